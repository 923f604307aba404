"""Defining a pilot: approach, name, period and a description. Participants follow from the rule, so the form asks
for no person."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kansrijk.catalogue.forms import AccessibleForm
from kansrijk.catalogue.models import Approach
from kansrijk.monitoring.forms import DATE_INPUT_FORMATS

from .services import check_pilot


def _date(label, help_text):
    return forms.DateField(label=label, input_formats=DATE_INPUT_FORMATS, help_text=help_text,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"invalid": _("Vul een geldige datum in, bijvoorbeeld 1-7-2017."),
                                           "required": _("Vul deze datum in.")})


class PilotForm(AccessibleForm):
    name = forms.CharField(label=_("Naam"), max_length=200, error_messages={"required": _("Geef de pilot een naam.")})
    approach = forms.ModelChoiceField(
        label=_("Aanpak"), queryset=Approach.objects.none(),
        help_text=_("Deelnemers zijn de cliënten met een traject van deze aanpak dat in de periode is geaccepteerd."),
        error_messages={"required": _("Kies de aanpak van de pilot."),
                        "invalid_choice": _("Kies een aanpak uit de lijst.")})
    starts_on = _date(_("Start"), _("Vanaf deze datum worden deelnemers en vergelijkingsgroep gevolgd."))
    ends_on = _date(_("Einde instroom"), _("Tot en met deze datum telt een geaccepteerd traject mee."))
    description = forms.CharField(label=_("Omschrijving"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["approach"].queryset = (Approach.objects.current()
                                            .filter(models_q_owner(municipality)).order_by("name"))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        for field, message in check_pilot(municipality=self.municipality, approach=data.get("approach"),
                                          name=data.get("name"), starts_on=data.get("starts_on"),
                                          ends_on=data.get("ends_on")).items():
            self.add_error(field, message)
        return data


def models_q_owner(municipality):
    from django.db.models import Q

    return Q(owner__isnull=True) | Q(owner=municipality)
