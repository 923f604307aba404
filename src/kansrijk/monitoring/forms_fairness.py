"""The forms of the fairness report (period and municipality) and the region view (region and peildatum)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansrijk.catalogue.forms import AccessibleForm

from .forms import DATE_INPUT_FORMATS, AnalysisForm, check_period_date

DEFAULT_DAYS = 365


def _date_field(label, help_text):
    return forms.DateField(label=label, required=False, input_formats=DATE_INPUT_FORMATS, help_text=help_text,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"invalid": _("Vul een geldige datum in, bijvoorbeeld 31-12-2024.")})


def check_period(start, end) -> dict[str, str]:
    """Per field, why this period cannot be used. Shared by the form and the API."""
    problems = {}
    for name, value in (("van", start), ("tot", end)):
        problem = check_period_date(value)
        if problem:
            problems[name] = str(problem)
    if not problems and start > end:
        problems["van"] = str(_("De periode begint na het einde: kies een begindatum vóór de einddatum."))
    return problems


def default_period(start=None, end=None):
    end = end or timezone.localdate()
    return start or end - timedelta(days=DEFAULT_DAYS - 1), end


class FairnessForm(AccessibleForm):
    van = _date_field(_("Periode van"), _("Leeg: een jaar vóór de einddatum."))
    tot = _date_field(_("Periode tot en met"), _("Leeg: vandaag."))
    gemeente = forms.ChoiceField(label=_("Gemeente"), required=False,
                                 error_messages={"invalid_choice": _("Kies een van uw gemeenten.")})

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].choices = [(m.cbs_code, m.name) for m in municipalities]
        if len(municipalities) < 2:
            self.fields["gemeente"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if "van" in data and "tot" in data:
            data["van"], data["tot"] = default_period(data["van"], data["tot"])
            for name, problem in check_period(data["van"], data["tot"]).items():
                self.add_error(name, problem)
        return data


class RegionForm(AnalysisForm):
    """The analysis form with the region instead of the municipality."""

    regio = forms.ChoiceField(label=_("Arbeidsmarktregio"), required=False,
                              error_messages={"invalid_choice": _("Kies een van uw regio's.")})

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, municipalities=[], **kwargs)
        del self.fields["gemeente"]
        self.fields["regio"].choices = [(r.code, r.name) for r in regions]
