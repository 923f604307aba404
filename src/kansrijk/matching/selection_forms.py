"""Forms of the candidate selection pages. They only parse input into ``SelectionCriteria`` and decisions; the rules
about who may select what and what a decision needs live in ``selection.check_criteria`` and ``selection_services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kansrijk.accounts import roles
from kansrijk.accounts.models import Municipality, Team
from kansrijk.catalogue.forms import AccessibleForm
from kansrijk.catalogue.models import Approach, LocalOffer
from kansrijk.inview.models import Segment

from .models import InvitationStatus
from .selection import DEFAULT_LIMIT, MAX_LIMIT, SelectionCriteria
from .selectors import active_offer

# The decision per shortlisted client on the selection page.
INVITE, EXCLUDE = "uitnodigen", "niet_uitnodigen"
DECISION_CHOICES = [("", _("Later beslissen")), (INVITE, _("Uitnodigen")), (EXCLUDE, _("Niet uitnodigen"))]


class SelectionForm(AccessibleForm):
    """The approach and the optional filters. Read from the query string, so a preview is a link."""

    gemeente = forms.ModelChoiceField(label=_("Gemeente"), queryset=Municipality.objects.none(),
                                      error_messages={"required": _("Kies een gemeente."),
                                                      "invalid_choice": _("Kies een gemeente waarvoor u werkt.")})
    aanpak = forms.ModelChoiceField(label=_("Aanpak"), queryset=Approach.objects.none(),
                                    help_text=_("Alleen aanpakken uit het lokale aanbod."),
                                    error_messages={"required": _("Kies een aanpak."),
                                                    "invalid_choice": _("Kies een aanpak uit het lokale aanbod.")})
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False,
                                  empty_label=_("Al mijn teams"),
                                  error_messages={"invalid_choice": _("Kies een van uw teams.")})
    jaren = forms.IntegerField(label=_("Minstens … jaar in de bijstand"), required=False, min_value=1, max_value=50,
                               help_text=_("Leeg: elke duur."),
                               error_messages={"invalid": _("Vul een heel aantal jaren in."),
                                               "min_value": _("Vul minstens 1 jaar in, of laat het veld leeg."),
                                               "max_value": _("Vul hooguit 50 jaar in.")})
    klantgroep = forms.ModelChoiceField(label=_("Klantgroep"), queryset=Segment.objects.none(), required=False,
                                        empty_label=_("Elke klantgroep"),
                                        error_messages={"invalid_choice": _("Kies een klantgroep van uw gemeente.")})
    aantal = forms.IntegerField(label=_("Aantal op de shortlist"), required=False, min_value=1, max_value=MAX_LIMIT,
                                initial=DEFAULT_LIMIT,
                                help_text=_("Hoeveel cliënten met de hoogste score u wilt zien (standaard %(n)s).")
                                % {"n": DEFAULT_LIMIT},
                                error_messages={"invalid": _("Vul een heel aantal in."),
                                                "min_value": _("Toon minstens 1 cliënt."),
                                                "max_value": _("Toon hooguit %(limit_value)s cliënten.")})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = user.municipalities.order_by("name")
        self.fields["gemeente"].queryset = municipalities
        if len(municipalities) == 1:
            self.fields["gemeente"].empty_label = None
            self.fields["gemeente"].initial = municipalities[0].pk
        self.fields["aanpak"].queryset = Approach.objects.filter(
            pk__in=active_offer_in(municipalities).values("approach_id")).order_by("name")
        self.fields["klantgroep"].queryset = Segment.objects.filter(
            segmentation__municipality__in=municipalities).select_related("segmentation").order_by(
            "segmentation__name", "position", "name")
        if user.has_role(roles.SELECTS_FOR_TEAMS):
            self.fields["team"].queryset = user.teams.order_by("name")
        else:
            del self.fields["team"]

    def clean(self):
        data = super().clean()
        municipality = data.get("gemeente")
        team, segment, approach = data.get("team"), data.get("klantgroep"), data.get("aanpak")
        if municipality is not None:
            if team is not None and team.municipality_id != municipality.pk:
                self.add_error("team", _("Dit team hoort bij een andere gemeente."))
            if segment is not None and segment.segmentation.municipality_id != municipality.pk:
                self.add_error("klantgroep", _("Deze klantgroep hoort bij een andere gemeente."))
            if approach is not None and not active_offer(municipality.pk).filter(approach=approach).exists():
                self.add_error("aanpak", _("Deze aanpak wordt in deze gemeente nu niet aangeboden."))
        return data

    def criteria(self) -> SelectionCriteria:
        data = self.cleaned_data
        return SelectionCriteria(municipality_id=data["gemeente"].pk, approach_id=data["aanpak"].pk,
                                 team_id=data["team"].pk if data.get("team") else None,
                                 min_benefit_years=data.get("jaren"),
                                 segment_id=data["klantgroep"].pk if data.get("klantgroep") else None,
                                 limit=data.get("aantal") or DEFAULT_LIMIT)


def active_offer_in(municipalities):
    return LocalOffer.objects.filter(municipality__in=municipalities, active=True, approach__retired_at__isnull=True)


class InvitationStatusForm(AccessibleForm):
    status = forms.ChoiceField(label=_("Nieuwe status"), choices=[
        (InvitationStatus.UITGENODIGD, InvitationStatus.UITGENODIGD.label),
        (InvitationStatus.AANGEMELD, InvitationStatus.AANGEMELD.label),
        (InvitationStatus.AFGEZIEN, InvitationStatus.AFGEZIEN.label)],
        error_messages={"required": _("Kies de nieuwe status."),
                        "invalid_choice": _("Kies uitgenodigd, aangemeld of afgezien.")})
    reason = forms.CharField(label=_("Reden"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Verplicht bij afgezien: waarom de cliënt niet (meer) meedoet."),
                             error_messages={"max_length": _("Gebruik hooguit %(limit_value)d tekens.")})


def decisions_from(data, shown_ids: list[int]) -> tuple[list[int], dict[int, str]]:
    """The decisions posted per shortlisted client (``besluit-<id>``, ``reden-<id>``): whom to invite, and whom not
    with the reason given (possibly empty: the service says a reason is needed)."""
    invite, exclude = [], {}
    for client_id in shown_ids:
        decision = data.get(f"besluit-{client_id}", "")
        if decision == INVITE:
            invite.append(client_id)
        elif decision == EXCLUDE:
            exclude[client_id] = data.get(f"reden-{client_id}", "")
    return invite, exclude
