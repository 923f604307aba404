"""Forms of the in-view pages (contacts, client groups, worklist filters, review campaigns). They only parse input
into the shapes the services and selectors take; every rule about what is allowed lives in ``services``."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansrijk.accounts import roles
from kansrijk.accounts.models import Municipality, Team, User
from kansrijk.accounts.roles import Role
from kansrijk.catalogue.forms import AccessibleForm

from .models import Channel, Confidentiality, Segment
from .selectors import CampaignCriteria, Reason

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]

# The reasons of a worklist item, for the filter (the sentences themselves come from ``selectors.reasons_for``).
REASON_CHOICES = [
    (Reason.OVERDUE, _("Contact te laat")),
    (Reason.NEVER_CONTACTED, _("Nog nooit contact")),
    (Reason.NEVER_DIAGNOSED, _("Nog nooit gediagnosticeerd")),
    (Reason.DIAGNOSIS_STALE, _("Diagnose ouder dan twaalf maanden")),
    (Reason.EXEMPTION_EXPIRING, _("Ontheffing loopt af of is verlopen")),
    (Reason.FOLLOW_UP_DUE, _("Afgesproken vervolg")),
    (Reason.NO_PLAN, _("Nog geen plan van aanpak")),
    (Reason.CAMPAIGN, _("Uitnodigen voor doorlichting")),
    (Reason.AFTERCARE, _("Nazorg na uitstroom")),
    (Reason.RETURN_TO_BENEFIT, _("Terug in de uitkering (draaideur)")),
]

# What each confidentiality level means, shown beside the choice.
CONFIDENTIALITY_HELP = {
    Confidentiality.SOCIAAL: _("Het wijkteam, de klantmanagers en de teamleider van het team lezen dit verslag."),
    Confidentiality.WERK_INKOMEN: _("Alleen klantmanagers en de teamleider lezen dit verslag; het wijkteam niet."),
    Confidentiality.VERTROUWELIJK: _("Alleen u en de eigen klantmanager van de cliënt lezen dit verslag."),
}


def date_field(label, *, required=True, help_text="") -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text, input_formats=DATE_INPUT_FORMATS,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"required": _("Vul de datum in."),
                                           "invalid": _("Vul een geldige datum in, bijvoorbeeld 31-12-2024.")})


def client_managers_of(teams):
    return User.objects.filter(teams__in=teams, role=Role.KLANTMANAGER, is_active=True).distinct().order_by(
        "last_name", "first_name", "username")


class ContactForm(AccessibleForm):
    """One contact, quick to fill in during or right after a conversation."""

    channel = forms.ChoiceField(label=_("Kanaal"), choices=Channel.choices, widget=forms.RadioSelect,
                                error_messages={"required": _("Kies het kanaal."),
                                                "invalid_choice": _("Kies een van de kanalen.")})
    with_whom = forms.CharField(label=_("Met wie"), required=False, max_length=200,
                                help_text=_("Bijvoorbeeld: cliënt, cliënt en partner, wijkteam."),
                                error_messages={"max_length": _("Gebruik hooguit %(limit_value)d tekens.")})
    summary = forms.CharField(label=_("Verslag"), widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": _("Schrijf een kort verslag.")})
    follow_up = forms.CharField(label=_("Afgesproken vervolg"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}),
                                help_text=_("Wat u met de cliënt hebt afgesproken; leeg als er niets is afgesproken."))
    confidentiality = forms.ChoiceField(label=_("Vertrouwelijkheid"), choices=Confidentiality.choices,
                                        widget=forms.RadioSelect,
                                        error_messages={"required": _("Kies de vertrouwelijkheid."),
                                                        "invalid_choice": _("Kies een vertrouwelijkheid die uw rol "
                                                                            "mag gebruiken.")})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["contacted_on"] = date_field(_("Datum van het contact"))
        self.fields["contacted_on"].initial = today
        self.fields["contacted_on"].widget.attrs["max"] = today.isoformat()
        self.fields["follow_up_on"] = date_field(
            _("Vervolg op"), required=False,
            help_text=_("De datum van het afgesproken vervolg; het komt een week vooraf op uw werklijst."))
        if user.has_role(roles.SEES_WORK_INCOME_CONTACTS):
            self.fields["confidentiality"].initial = Confidentiality.WERK_INKOMEN
        else:
            # The neighbourhood team records the social part only (the Mens Centraal split).
            self.fields["confidentiality"].choices = [(Confidentiality.SOCIAAL, Confidentiality.SOCIAAL.label)]
            self.fields["confidentiality"].initial = Confidentiality.SOCIAAL
        self.order_fields(["contacted_on", "channel", "with_whom", "summary", "follow_up", "follow_up_on",
                           "confidentiality"])

    def confidentiality_options(self):
        """Each radio option with what the level means."""
        return [(option, CONFIDENTIALITY_HELP[option.data["value"]]) for option in self["confidentiality"]]


class SegmentForm(AccessibleForm):
    """One choice per segmentation of the client's municipality. Once placed, a client stays in a group of that
    segmentation (the group can be changed, not emptied)."""

    def __init__(self, *args, segmentations, current: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.segmentations = segmentations
        self.segments = {}
        for segmentation in segmentations:
            placed = current.get(segmentation.pk)
            segments = list(segmentation.segments.all())  # prefetched: no query per field
            self.segments.update((segment.pk, segment) for segment in segments)
            choices = [(segment.pk, segment.name) for segment in segments]
            self.fields[f"indeling_{segmentation.pk}"] = forms.TypedChoiceField(
                label=segmentation.name, help_text=segmentation.description, required=placed is not None,
                coerce=int, empty_value=None, initial=placed, widget=forms.RadioSelect,
                choices=choices if placed else [("", _("Nog niet ingedeeld")), *choices],
                error_messages={"required": _("Kies een klantgroep."),
                                "invalid_choice": _("Kies een klantgroep uit deze indeling.")})

    def chosen(self) -> list[Segment]:
        """The chosen group of every segmentation with a choice."""
        return [self.segments[self.cleaned_data[f"indeling_{segmentation.pk}"]]
                for segmentation in self.segmentations if self.cleaned_data.get(f"indeling_{segmentation.pk}")]


class WorklistFilterForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reden"), required=False,
                               choices=[("", _("Alle redenen"))] + REASON_CHOICES)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False,
                                  empty_label=_("Al mijn teams"))
    client_manager = forms.ModelChoiceField(label=_("Klantmanager"), queryset=User.objects.none(), required=False,
                                            empty_label=_("Alle klantmanagers"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.has_role(roles.SEES_TEAM_WORKLISTS):
            teams = user.teams.order_by("name")
            self.fields["team"].queryset = teams
            self.fields["client_manager"].queryset = client_managers_of(user.teams.all())
        else:
            del self.fields["team"]
            del self.fields["client_manager"]


class CampaignForm(AccessibleForm):
    # Not required for the preview; the service asks for it when the campaign is started.
    name = forms.CharField(label=_("Naam"), max_length=200, required=False,
                           help_text=_("Bijvoorbeeld: Doorlichting langdurig klanten 2026."),
                           error_messages={"max_length": _("Gebruik hooguit %(limit_value)d tekens.")})
    municipality = forms.ModelChoiceField(label=_("Gemeente"), queryset=Municipality.objects.none(),
                                          error_messages={"required": _("Kies een gemeente."),
                                                          "invalid_choice": _("Kies een gemeente waarvoor u werkt.")})
    min_benefit_years = forms.IntegerField(
        label=_("Minstens … jaar in de bijstand"), required=False, min_value=1, max_value=50,
        help_text=_("Leeg: elke duur. Bijvoorbeeld 2 voor meer dan twee jaar."),
        error_messages={"invalid": _("Vul een heel aantal jaren in."),
                        "min_value": _("Vul minstens 1 jaar in, of laat het veld leeg."),
                        "max_value": _("Vul hooguit 50 jaar in.")})
    no_contact_months = forms.IntegerField(
        label=_("Geen contact in de laatste … maanden"), required=False, min_value=1, max_value=120,
        help_text=_("Leeg: ongeacht het laatste contact. Bijvoorbeeld 12."),
        error_messages={"invalid": _("Vul een heel aantal maanden in."),
                        "min_value": _("Vul minstens 1 maand in, of laat het veld leeg."),
                        "max_value": _("Vul hooguit 120 maanden in.")})
    trede_max = forms.TypedChoiceField(
        label=_("Trede hooguit"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Elke trede"))] + [(n, str(n)) for n in range(1, 7)],
        help_text=_("Cliënten zonder vastgelegde trede doen mee."),
        error_messages={"invalid_choice": _("Kies een trede van 1 tot en met 6.")})
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False,
                                  empty_label=_("Al mijn teams"),
                                  error_messages={"invalid_choice": _("Kies een van uw teams.")})
    segment = forms.ModelChoiceField(label=_("Klantgroep"), queryset=Segment.objects.none(), required=False,
                                     empty_label=_("Elke klantgroep"),
                                     help_text=_("Alleen cliënten die in deze klantgroep zijn geplaatst."),
                                     error_messages={"invalid_choice": _("Kies een klantgroep van uw gemeente.")})
    without_diagnosis = forms.BooleanField(label=_("Alleen cliënten die nog nooit gediagnosticeerd zijn"),
                                           required=False, help_text=_("Geen trede en geen ZRM vastgelegd."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].shows_required = True
        self.fields["segment"].queryset = Segment.objects.filter(
            segmentation__municipality__in=user.municipalities.all()).select_related("segmentation").order_by(
            "segmentation__name", "position", "name")
        municipalities = user.municipalities.order_by("name")
        self.fields["municipality"].queryset = municipalities
        self.fields["team"].queryset = user.teams.select_related("municipality").order_by("name")
        if len(municipalities) == 1:
            self.fields["municipality"].empty_label = None
            self.fields["municipality"].initial = municipalities[0].pk

    def clean(self):
        data = super().clean()
        team, municipality = data.get("team"), data.get("municipality")
        if team is not None and municipality is not None and team.municipality_id != municipality.pk:
            self.add_error("team", _("Dit team hoort bij een andere gemeente."))
        segment = data.get("segment")
        if segment is not None and municipality is not None and segment.segmentation.municipality_id != municipality.pk:
            self.add_error("segment", _("Deze klantgroep hoort bij een andere gemeente."))
        return data

    def criteria(self) -> CampaignCriteria:
        data = self.cleaned_data
        return CampaignCriteria(municipality_id=data["municipality"].pk,
                                min_benefit_years=data.get("min_benefit_years"),
                                no_contact_months=data.get("no_contact_months"),
                                trede_max=data.get("trede_max"),
                                team_id=data["team"].pk if data.get("team") else None,
                                without_diagnosis=bool(data.get("without_diagnosis")),
                                segment_id=data["segment"].pk if data.get("segment") else None)
