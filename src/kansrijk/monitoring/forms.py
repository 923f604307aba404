"""The one form of the analysis pages: which municipality, at which reference date (peildatum)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansrijk.catalogue.forms import AccessibleForm

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
EARLIEST = date(1965, 1, 1)  # the Algemene Bijstandswet took effect on 1 January 1965


def check_period_date(value: date, today: date | None = None) -> str | None:
    """Why this start or end of a period cannot be used, or None. Shared by the period forms and their API."""
    today = today or timezone.localdate()
    if value > today:
        return _("Deze datum ligt in de toekomst: over later zijn nog geen gegevens.")
    if value < EARLIEST:
        return _("Kies een datum vanaf 1 januari 1965.")
    return None


def check_peildatum(value: date, today: date | None = None) -> str | None:
    """Why this peildatum cannot be used, or None. Shared by the form and the API."""
    today = today or timezone.localdate()
    if value > today:
        return _("De peildatum kan niet in de toekomst liggen: over later zijn nog geen gegevens.")
    if value < EARLIEST:
        return _("Kies een peildatum vanaf 1 januari 1965.")
    return None


class AnalysisForm(AccessibleForm):
    peildatum = forms.DateField(
        label=_("Peildatum"), required=False, input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("De cijfers zoals ze op deze datum waren. Leeg: vandaag."),
        error_messages={"invalid": _("Vul een geldige datum in, bijvoorbeeld 31-12-2024.")})
    gemeente = forms.ChoiceField(label=_("Gemeente"), required=False,
                                 error_messages={"invalid_choice": _("Kies een van uw gemeenten.")})

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].choices = [(m.cbs_code, m.name) for m in municipalities]
        if len(municipalities) < 2:
            self.fields["gemeente"].widget = forms.HiddenInput()

    def clean_peildatum(self):
        value = self.cleaned_data.get("peildatum") or timezone.localdate()
        problem = check_peildatum(value)
        if problem:
            raise forms.ValidationError(problem)
        return value
