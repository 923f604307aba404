"""Forms of the employer, vacancy and job-seeker pages. They parse input; the rules (hours, dates, loonwaarde,
consent) live in ``services`` and come back onto the form with ``apply_service_errors``."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansrijk.catalogue.forms import AccessibleForm
from kansrijk.diagnosis.models import Education, LanguageLevel

from ..models import (
    ConsentHow,
    Employer,
    Instrument,
    PhysicalDemand,
    PlacementKind,
    ProposalStatus,
    Sector,
    VacancyStatus,
)

BLANK = [("", _("— alle —"))]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO_UNKNOWN = [("", _("Onbekend")), ("ja", _("Ja")), ("nee", _("Nee"))]


def _tri(value: str):
    return {"ja": True, "nee": False}.get(value)


class EmployerFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoeken op naam of KvK-nummer"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=BLANK + Sector.choices, required=False)
    place = forms.CharField(label=_("Plaats"), required=False)


class VacancyFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoeken op functie, beroep of werkgever"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=BLANK + Sector.choices, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=BLANK + VacancyStatus.choices, required=False)
    place = forms.CharField(label=_("Plaats"), required=False)


class EmployerForm(AccessibleForm):
    name = forms.CharField(label=_("Naam"), max_length=200,
                           error_messages={"required": _("Vul de naam van de werkgever in.")})
    kvk_number = forms.CharField(label=_("KvK-nummer"), max_length=8, required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—")] + Sector.choices, required=False)
    address = forms.CharField(label=_("Adres"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    place = forms.CharField(label=_("Plaats"), max_length=100, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https",
                             error_messages={"invalid": _("Vul een geldig webadres in, bijvoorbeeld https://…")})
    inclusive = forms.BooleanField(label=_("Inclusieve werkgever (banenafspraak of social return)"), required=False)
    active = forms.BooleanField(label=_("Actief"), required=False, initial=True)
    note = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Over de organisatie; geen gegevens van cliënten."))


class ContactForm(AccessibleForm):
    name = forms.CharField(label=_("Naam"), max_length=150,
                           error_messages={"required": _("Vul de naam van de contactpersoon in.")})
    function = forms.CharField(label=_("Functie"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False,
                             error_messages={"invalid": _("Vul een geldig e-mailadres in.")})
    phone = forms.CharField(label=_("Telefoon"), max_length=20, required=False)
    primary = forms.BooleanField(label=_("Eerste aanspreekpunt"), required=False)


class VacancyForm(AccessibleForm):
    employer = forms.ModelChoiceField(label=_("Werkgever"), queryset=Employer.objects.none(),
                                      error_messages={"required": _("Kies de werkgever."),
                                                      "invalid_choice": _("Kies een werkgever uit de lijst.")})
    title = forms.CharField(label=_("Functie"), max_length=120, error_messages={"required": _("Vul de functie in.")})
    occupation = forms.CharField(label=_("Beroep"), max_length=120, required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—")] + Sector.choices, required=False)
    description = forms.CharField(label=_("Omschrijving"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    hours_min = forms.IntegerField(label=_("Uren per week, minimaal"), required=False, min_value=1, max_value=60,
                                   error_messages={"min_value": _("Vul een aantal uren per week tussen 1 en 60 in."),
                                                   "max_value": _("Vul een aantal uren per week tussen 1 en 60 in."),
                                                   "invalid": _("Vul een heel getal in.")})
    hours_max = forms.IntegerField(label=_("Uren per week, maximaal"), required=False, min_value=1, max_value=60,
                                   error_messages={"min_value": _("Vul een aantal uren per week tussen 1 en 60 in."),
                                                   "max_value": _("Vul een aantal uren per week tussen 1 en 60 in."),
                                                   "invalid": _("Vul een heel getal in.")})
    places = forms.IntegerField(label=_("Aantal plaatsen"), min_value=1, max_value=999, initial=1,
                                error_messages={"required": _("Vul het aantal plaatsen in."),
                                                "min_value": _("Een vacature heeft minstens één plaats.")})
    postcode = forms.CharField(label=_("Postcode werkplek"), max_length=7, required=False)
    place = forms.CharField(label=_("Plaats werkplek"), max_length=100, required=False)
    public_transport = forms.ChoiceField(label=_("Bereikbaar met openbaar vervoer"), choices=YES_NO_UNKNOWN,
                                         required=False)
    travel_note = forms.CharField(label=_("Reizen en werktijden"), max_length=200, required=False)
    education_min = forms.ChoiceField(label=_("Opleiding, minimaal"), choices=[("", "—")] + Education.choices,
                                      required=False)
    dutch_min = forms.ChoiceField(label=_("Nederlands, minimaal"), choices=[("", "—")] + LanguageLevel.choices,
                                  required=False)
    physical_demand = forms.ChoiceField(label=_("Fysieke belasting"), choices=[("", "—")] + PhysicalDemand.choices,
                                        required=False)
    driving_licence_required = forms.BooleanField(label=_("Rijbewijs vereist"), required=False)
    requirements_note = forms.CharField(label=_("Overige eisen"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))
    banenafspraak = forms.BooleanField(label=_("Geschikt voor de banenafspraak"), required=False)
    instruments = forms.MultipleChoiceField(label=_("Instrumenten die de werkgever wil inzetten"),
                                            choices=Instrument.choices, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    opens_on = forms.DateField(label=_("Open vanaf"), widget=DATE, initial=timezone.localdate,
                               error_messages={"required": _("Vul de datum in waarop de vacature opent."),
                                               "invalid": _("Vul een geldige datum in.")})
    closes_on = forms.DateField(label=_("Sluitingsdatum"), widget=DATE, required=False,
                                error_messages={"invalid": _("Vul een geldige datum in.")})

    def __init__(self, *args, employers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers if employers is not None else Employer.objects.none()

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("instruments")
        data["public_transport"] = _tri(data.get("public_transport") or "")
        return data


class VacancyStatusForm(forms.Form):
    status = forms.ChoiceField(choices=VacancyStatus.choices)


class ProfileForm(AccessibleForm):
    desired_occupations = forms.CharField(label=_("Gewenste beroepen"), required=False,
                                          widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Eén per regel."))
    desired_sectors = forms.MultipleChoiceField(label=_("Gewenste sectoren"), choices=Sector.choices, required=False,
                                                widget=forms.CheckboxSelectMultiple)
    home_postcode = forms.CharField(label=_("Postcode woonadres"), max_length=7, required=False)
    max_travel_minutes = forms.IntegerField(label=_("Maximale reistijd (minuten, enkele reis)"), required=False,
                                            min_value=1, max_value=240,
                                            error_messages={"min_value": _("Vul een reistijd tussen 1 en 240 minuten "
                                                                           "in."),
                                                            "max_value": _("Vul een reistijd tussen 1 en 240 minuten "
                                                                           "in.")})
    available_from = forms.DateField(label=_("Beschikbaar vanaf"), widget=DATE, required=False,
                                     error_messages={"invalid": _("Vul een geldige datum in.")})
    summary = forms.CharField(label=_("Profieltekst voor werkgevers"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Wat de cliënt kan en wil; geen gegevens over gezondheid of herkomst. "
                                          "Werkgevers zien deze tekst alleen na toestemming."))


class ConsentForm(AccessibleForm):
    client_consented_on = forms.DateField(label=_("Datum toestemming cliënt"), widget=DATE,
                                          initial=timezone.localdate,
                                          error_messages={"required": _("Vul de datum in waarop de cliënt "
                                                                        "toestemming gaf."),
                                                          "invalid": _("Vul een geldige datum in.")})
    client_consent_how = forms.ChoiceField(label=_("Hoe gaf de cliënt toestemming?"), choices=ConsentHow.choices,
                                           widget=forms.RadioSelect,
                                           error_messages={"required": _("Kies hoe de cliënt toestemming gaf.")})
    manager_agrees = forms.BooleanField(label=_("Ik ga als klantmanager akkoord met het delen van het profiel"),
                                        error_messages={"required": _("Geef ook uw eigen akkoord als klantmanager.")})


class WithdrawConsentForm(forms.Form):
    withdrawal_note = forms.CharField(label=_("Reden intrekken"), max_length=300, required=False)


class ProposeForm(forms.Form):
    code = forms.CharField(max_length=12, required=False)
    client = forms.IntegerField(min_value=1, required=False)
    status = forms.ChoiceField(choices=[(ProposalStatus.VOORGESTELD, ProposalStatus.VOORGESTELD.label),
                                        (ProposalStatus.VOORGEDRAGEN, ProposalStatus.VOORGEDRAGEN.label)])


class AdvanceForm(forms.Form):
    status = forms.ChoiceField(choices=ProposalStatus.choices)
    reason = forms.CharField(required=False, max_length=1000)


class PlacementForm(AccessibleForm):
    employer = forms.ModelChoiceField(label=_("Werkgever"), queryset=Employer.objects.none(),
                                      error_messages={"required": _("Kies de werkgever."),
                                                      "invalid_choice": _("Kies een werkgever uit de lijst.")})
    vacancy = forms.IntegerField(label=_("Vacature (nummer, als die er is)"), required=False, min_value=1,
                                 widget=forms.NumberInput)
    kind = forms.ChoiceField(label=_("Soort"), choices=PlacementKind.choices,
                             error_messages={"required": _("Kies de soort plaatsing.")})
    started_on = forms.DateField(label=_("Begonnen op"), widget=DATE,
                                 error_messages={"required": _("Vul de begindatum in."),
                                                 "invalid": _("Vul een geldige datum in.")})
    hours_per_week = forms.IntegerField(label=_("Uren per week"), required=False, min_value=1, max_value=60,
                                        error_messages={"min_value": _("Vul een aantal uren per week tussen 1 en 60 "
                                                                       "in."),
                                                        "max_value": _("Vul een aantal uren per week tussen 1 en 60 "
                                                                       "in.")})
    instruments = forms.MultipleChoiceField(label=_("Instrumenten"), choices=Instrument.choices, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    loonwaarde_pct = forms.IntegerField(label=_("Loonwaarde (%)"), required=False,
                                        help_text=_("Verplicht bij loonkostensubsidie."))

    def __init__(self, *args, employers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers if employers is not None else Employer.objects.none()


class EndPlacementForm(AccessibleForm):
    ended_on = forms.DateField(label=_("Geëindigd op"), widget=DATE,
                               error_messages={"required": _("Vul de einddatum in."),
                                               "invalid": _("Vul een geldige datum in.")})
    end_reason = forms.CharField(label=_("Reden einde"), max_length=200,
                                 error_messages={"required": _("Geef de reden van het einde.")})
