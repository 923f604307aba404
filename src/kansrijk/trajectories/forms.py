"""The plan van aanpak form: the plan's own text and three lists (goals, actions, agreements) as formsets with empty
rows to fill in. Rows left empty are skipped. Goals are numbered as shown; sub-goals and actions refer to those
numbers, which are renumbered when empty rows are skipped."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansrijk.catalogue.forms import AccessibleForm
from kansrijk.catalogue.models import LocalOffer

from . import codes
from .models import AgreedHow, GoalKind, Owner
from .services import ActionInput, GoalInput, GoalProgressInput, PlanInput, ReportInput

EMPTY_ROWS = 3
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Vul een geldige datum in.")}


def _number_choices(empty_label):
    return [("", empty_label)] + [(str(n), str(n)) for n in range(1, 31)]


class PlanTextForm(AccessibleForm):
    situation = forms.CharField(label=_("Waar staat de cliënt nu"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    ambition = forms.CharField(label=_("Wat wil de cliënt bereiken"), required=False,
                               help_text=_("In de woorden van de cliënt."), widget=forms.Textarea(attrs={"rows": 3}))
    # The version the edit started from (optimistic locking): empty only for the first plan.
    based_on_version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=32767)


class GoalRow(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=GoalKind.choices, initial=GoalKind.DOEL)
    description = forms.CharField(label=_("Doel"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    target = forms.CharField(label=_("Meetbaar: hoeveel of wat"), required=False, max_length=200)
    due_on = forms.DateField(label=_("Bereikt op"), required=False, widget=DATE, error_messages=DATE_ERRORS)
    parent = forms.TypedChoiceField(label=_("Subdoel van doel nr."), required=False, coerce=int, empty_value=None,
                                    choices=_number_choices(_("–")))

    def has_content(self) -> bool:
        """Anything filled in besides the kind: a row with a date but no description is an error, not skipped."""
        data = self.cleaned_data
        return bool(data.get("description", "").strip() or data.get("target", "").strip() or data.get("due_on")
                    or data.get("parent"))


class ActionRow(forms.Form):
    description = forms.CharField(label=_("Wat"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ChoiceField(label=_("Wie"), choices=[("", _("Kies…"))] + Owner.choices, required=False)
    owner_name = forms.CharField(label=_("Naam (als dat helpt)"), required=False, max_length=120)
    due_on = forms.DateField(label=_("Wanneer klaar"), required=False, widget=DATE, error_messages=DATE_ERRORS)
    goal = forms.TypedChoiceField(label=_("Voor doel nr."), required=False, coerce=int, empty_value=None,
                                  choices=_number_choices(_("–")))
    done = forms.BooleanField(label=_("Gedaan"), required=False)

    def has_content(self) -> bool:
        data = self.cleaned_data
        return bool(data.get("description", "").strip() or data.get("owner") or data.get("owner_name", "").strip()
                    or data.get("due_on") or data.get("goal") or data.get("done"))


class AgreementRow(forms.Form):
    text = forms.CharField(label=_("Afspraak"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def has_content(self) -> bool:
        return bool(self.cleaned_data.get("text", "").strip())


GoalFormSet = formset_factory(GoalRow, extra=EMPTY_ROWS, max_num=30, absolute_max=30)
ActionFormSet = formset_factory(ActionRow, extra=EMPTY_ROWS, max_num=60, absolute_max=60)
AgreementFormSet = formset_factory(AgreementRow, extra=EMPTY_ROWS, max_num=30, absolute_max=30)


class PlanForms:
    """The four parts of the plan form together: bound or prefilled, validated, turned into a ``PlanInput``, and
    given the service's errors back next to the right row and field."""

    def __init__(self, data=None, *, initial: PlanInput | None = None, based_on_version: int | None = None):
        initial = initial or PlanInput(goals=[])
        self.text = PlanTextForm(data, initial={"situation": initial.situation, "ambition": initial.ambition,
                                                "based_on_version": based_on_version})
        self.goals = GoalFormSet(data, prefix="doel", initial=[
            {"kind": g.kind, "description": g.description, "target": g.target, "due_on": g.due_on,
             "parent": g.parent} for g in initial.goals])
        self.actions = ActionFormSet(data, prefix="actie", initial=[
            {"description": a.description, "owner": a.owner, "owner_name": a.owner_name, "due_on": a.due_on,
             "goal": a.goal, "done": a.done} for a in initial.actions])
        self.agreements = AgreementFormSet(data, prefix="afspraak", initial=[{"text": t} for t in initial.agreements])
        self._rows: dict[str, list[int]] = {}

    def is_valid(self) -> bool:
        return all([self.text.is_valid(), self.goals.is_valid(), self.actions.is_valid(),
                    self.agreements.is_valid()])

    def plan_input(self) -> PlanInput:
        goal_forms = [(i, f) for i, f in enumerate(self.goals.forms) if f.has_content()]
        renumber = {i + 1: n for n, (i, _f) in enumerate(goal_forms, start=1)}
        action_forms = [(i, f) for i, f in enumerate(self.actions.forms) if f.has_content()]
        agreement_forms = [(i, f) for i, f in enumerate(self.agreements.forms) if f.has_content()]
        self._rows = {"goals": [i for i, _f in goal_forms], "actions": [i for i, _f in action_forms],
                      "agreements": [i for i, _f in agreement_forms]}

        def number(value):
            # A reference to an empty row stays invalid (-1) so the service names it, instead of silently dropping it.
            return None if value is None else renumber.get(value, -1)

        return PlanInput(
            situation=self.text.cleaned_data["situation"], ambition=self.text.cleaned_data["ambition"],
            goals=[GoalInput(description=f.cleaned_data["description"], kind=f.cleaned_data["kind"],
                             target=f.cleaned_data["target"], due_on=f.cleaned_data["due_on"],
                             parent=number(f.cleaned_data["parent"])) for _i, f in goal_forms],
            actions=[ActionInput(description=f.cleaned_data["description"], owner=f.cleaned_data["owner"],
                                 owner_name=f.cleaned_data["owner_name"], due_on=f.cleaned_data["due_on"],
                                 goal=number(f.cleaned_data["goal"]), done=f.cleaned_data["done"])
                     for _i, f in action_forms],
            agreements=[f.cleaned_data["text"] for _i, f in agreement_forms],
        )

    def apply_errors(self, error: ValidationError) -> None:
        formsets = {"goals": self.goals, "actions": self.actions, "agreements": self.agreements}
        fields = {"agreements": "text"}
        for key, messages in error.message_dict.items():
            match = re.fullmatch(r"(goals|actions|agreements)\[(\d+)\](?:\.(\w+))?", key)
            for message in messages:
                if match:
                    part, index, name = match.group(1), int(match.group(2)), match.group(3) or fields[match.group(1)]
                    formsets[part].forms[self._rows[part][index]].add_error(name, message)
                else:
                    self.text.add_error(None, message)

    @property
    def errors(self) -> list[str]:
        """Every error in words with its place, for the summary at the top."""
        found = [str(m) for m in self.text.non_field_errors()]
        found += [f"{self.text[name].label}: {m}" for name in self.text.errors if name != "__all__"
                  for m in self.text.errors[name]]
        for label, formset in ((_("Doel"), self.goals), (_("Actie"), self.actions), (_("Afspraak"), self.agreements)):
            for number, form in enumerate(formset.forms, start=1):
                for name, messages in form.errors.items():
                    for message in messages:
                        field = form.fields[name].label if name in form.fields else ""
                        place = f"{label} {number}, {field}" if field else f"{label} {number}"
                        found.append(f"{place}: {message}")
        return found


class AgreementForm(AccessibleForm):
    agreed_on = forms.DateField(label=_("Akkoord op"), widget=DATE, error_messages={
        "required": _("Vul de datum in."), **DATE_ERRORS})
    how = forms.ChoiceField(label=_("Hoe"), choices=AgreedHow.choices, widget=forms.RadioSelect,
                            error_messages={"required": _("Kies hoe de cliënt akkoord is gegaan.")})
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_on"].initial = timezone.localdate()


# --- Referrals and trajectories --------------------------------------------------------------------------------------

TREDE_CHOICES = [("", _("Geen advies"))] + [(str(n), str(n)) for n in range(1, 7)]


class ReferralForm(AccessibleForm):
    """Refer a client: the offer, the provider, the question, and exactly which data go along."""

    local_offer = forms.ModelChoiceField(label=_("Aanpak (lokaal aanbod)"), queryset=LocalOffer.objects.none(),
                                         empty_label=_("Kies…"),
                                         error_messages={"required": _("Kies de aanpak waarnaar u verwijst."),
                                                         "invalid_choice": _("Kies een aanpak uit de lijst.")})
    provider = forms.ModelChoiceField(label=_("Aanbieder"), queryset=None, empty_label=_("Kies…"),
                                      error_messages={"required": _("Kies de aanbieder."),
                                                      "invalid_choice": _("Kies een aanbieder uit de lijst.")})
    question = forms.CharField(label=_("Vraag aan de aanbieder"), widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("Wat moet het traject opleveren? Dit deelt u altijd."),
                               error_messages={"required": _("Schrijf op wat u de aanbieder vraagt.")})
    shared_items = forms.MultipleChoiceField(
        label=_("Welke gegevens deelt u met de aanbieder?"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=codes.SharedItem.choices, initial=codes.DEFAULT_SHARED,
        help_text=_("Deel alleen wat de aanbieder voor dit traject nodig heeft. De aanbieder ziet alleen wat u hier "
                    "aanvinkt, zoals het nu is vastgelegd, en niet het dossier. Gezondheid, verslaving en "
                    "migratieachtergrond worden nooit gedeeld."))
    goals = forms.TypedMultipleChoiceField(label=_("Doelen uit het plan van aanpak"), required=False, coerce=int,
                                           widget=forms.CheckboxSelectMultiple,
                                           help_text=_("Alleen de aangevinkte doelen; de aanbieder rapporteert "
                                                       "hierover."))

    def __init__(self, *args, client, providers, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_offer"].queryset = (
            LocalOffer.objects.filter(municipality_id=client.municipality_id, active=True,
                                      approach__retired_at__isnull=True)
            .select_related("approach").order_by("approach__name"))
        self.fields["local_offer"].label_from_instance = lambda offer: offer.approach.name
        self.fields["provider"].queryset = providers
        self.fields["goals"].choices = [(goal.pk, f"{goal.position}. {goal.description}") for goal in goals]
        if not goals:
            del self.fields["goals"]


class _OwnIds:
    """A form that shares its page with another form of the same field names (the trajectory page's pause and end
    forms both have a reason and a note; the referral page's accept and decline forms both have a note). Its own id
    prefix keeps the ids unique, so each label, help text and error link points at this form's field and not at
    the first element of that id on the page. The field names stay the same."""

    id_prefix = "id"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class AcceptForm(AccessibleForm):
    accepted_on = forms.DateField(label=_("Geaccepteerd op"), widget=DATE, error_messages=DATE_ERRORS,
                                  initial=timezone.localdate)
    srg_provision = forms.ChoiceField(label=_("SRG-voorziening"), choices=codes.SrgProvision.choices,
                                      help_text=_("Zoals het traject aan het CBS wordt gemeld."))
    note = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DeclineForm(_OwnIds, AccessibleForm):
    id_prefix = "afwijzen"

    reason = forms.ChoiceField(label=_("Reden van afwijzing"), choices=codes.DeclineReason.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": _("Kies de reden van de afwijzing.")})
    note = forms.CharField(label=_("Toelichting en advies aan de klantmanager"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Bijvoorbeeld: wat zou wel passen?"))


class WithdrawForm(_OwnIds, AccessibleForm):
    id_prefix = "intrekken"

    note = forms.CharField(label=_("Reden van intrekken"), required=False, max_length=500)


class ReportForm(AccessibleForm):
    """The one standard report form; a progress line per plan goal the author may report on."""

    kind = forms.ChoiceField(label=_("Soort rapportage"), choices=codes.FORM_REPORT_KINDS,
                             initial=codes.ReportKind.VOORTGANG)
    reported_on = forms.DateField(label=_("Datum"), widget=DATE, error_messages=DATE_ERRORS,
                                  initial=timezone.localdate,
                                  help_text=_("Voor een intake of start: de dag van de intake of de start."))
    period_from = forms.DateField(label=_("Periode van"), required=False, widget=DATE, error_messages=DATE_ERRORS)
    period_until = forms.DateField(label=_("Periode tot en met"), required=False, widget=DATE,
                                   error_messages=DATE_ERRORS)
    sessions_planned = forms.IntegerField(label=_("Afspraken gepland"), required=False, min_value=0, max_value=500)
    sessions_attended = forms.IntegerField(label=_("Afspraken nagekomen"), required=False, min_value=0, max_value=500)
    text = forms.CharField(label=_("Rapportage"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    advised_trede = forms.TypedChoiceField(label=_("Advies trede"), required=False, coerce=int, empty_value=None,
                                           choices=TREDE_CHOICES,
                                           help_text=_("Een advies: de klantmanager beslist over de trede."))
    advice_reason = forms.CharField(label=_("Onderbouwing van het advies"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.goal_rows = []
        for goal in goals:
            status = f"goal_{goal.pk}_status"
            note = f"goal_{goal.pk}_note"
            self.fields[status] = forms.ChoiceField(
                label=_("Voortgang doel %(n)s: %(text)s") % {"n": goal.position, "text": goal.description[:80]},
                required=False, choices=[("", _("Niet gerapporteerd"))] + codes.GoalProgress.choices)
            self.fields[note] = forms.CharField(label=_("Toelichting bij doel %(n)s") % {"n": goal.position},
                                                required=False, max_length=500)
            self.goal_rows.append((goal, status, note))

    def report_input(self) -> ReportInput:
        data = self.cleaned_data
        return ReportInput(
            kind=data["kind"], reported_on=data["reported_on"], text=data["text"],
            period_from=data["period_from"], period_until=data["period_until"],
            sessions_planned=data["sessions_planned"], sessions_attended=data["sessions_attended"],
            advised_trede=data["advised_trede"], advice_reason=data["advice_reason"],
            goals=[GoalProgressInput(goal=goal.pk, status=data[status], note=data[note])
                   for goal, status, note in self.goal_rows if data.get(status)])

    def apply_errors(self, error: ValidationError) -> None:
        rows = {f"goals[{index}]": (status, note) for index, (_goal, status, note) in enumerate(
            [row for row in self.goal_rows if self.cleaned_data.get(row[1])])}
        for key, messages in error.message_dict.items():
            name = key
            prefix = key.split(".")[0]
            if prefix in rows:
                name = rows[prefix][0]
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class PauseForm(_OwnIds, AccessibleForm):
    id_prefix = "pauze"

    starts_on = forms.DateField(label=_("Pauze vanaf"), widget=DATE, error_messages=DATE_ERRORS)
    until = forms.DateField(label=_("Tot en met"), required=False, widget=DATE, error_messages=DATE_ERRORS,
                            help_text=_("Leeg als nog niet bekend is wanneer het traject verdergaat."))
    reason = forms.ChoiceField(label=_("Reden"), choices=codes.PauseReason.choices)
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=300,
                           help_text=_("Kort en zonder medische details."))


class ResumeForm(_OwnIds, AccessibleForm):
    id_prefix = "hervatten"

    until = forms.DateField(label=_("Laatste dag van de pauze"), widget=DATE, error_messages=DATE_ERRORS)


class EndForm(_OwnIds, AccessibleForm):
    id_prefix = "einde"

    end_on = forms.DateField(label=_("Einddatum"), widget=DATE, error_messages=DATE_ERRORS,
                             initial=timezone.localdate)
    reason = forms.ChoiceField(label=_("Reden einde"), choices=[("", _("Kies…"))] + codes.EndReason.choices,
                               error_messages={"required": _("Kies de reden van het einde.")})
    dropout_reason = forms.ChoiceField(label=_("Reden uitval (alleen bij uitval)"), required=False,
                                       choices=[("", "–")] + codes.DropoutReason.choices)
    result = forms.ChoiceField(label=_("Resultaat"), choices=[("", _("Kies…"))] + codes.Result.choices,
                               error_messages={"required": _("Kies het resultaat.")})
    note = forms.CharField(label=_("Eindrapportage"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    satisfaction = forms.IntegerField(
        label=_("Rapportcijfer van de cliënt (1–10)"), required=False, min_value=1, max_value=10,
        help_text=_("Vraag de cliënt welk cijfer hij of zij het traject geeft. Leeg laten als de cliënt dat niet "
                    "wil zeggen."),
        error_messages={"invalid": _("Vul een heel getal van 1 tot en met 10 in."),
                        "min_value": _("Vul een heel getal van 1 tot en met 10 in."),
                        "max_value": _("Vul een heel getal van 1 tot en met 10 in.")})


class AftercareForm(AccessibleForm):
    outcome = forms.ChoiceField(label=_("Hoe ging het contact?"), choices=codes.AftercareOutcome.choices,
                                widget=forms.RadioSelect,
                                error_messages={"required": _("Kies hoe het contact ging.")})
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=500)
