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
from kansrijk.core.ids import MAX_ID

from .models import AgreedHow, GoalKind, Owner
from .services import ActionInput, GoalInput, PlanInput

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
    previous = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)


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

    def __init__(self, data=None, *, initial: PlanInput | None = None, previous_pk: int | None = None):
        initial = initial or PlanInput(goals=[])
        self.text = PlanTextForm(data, initial={"situation": initial.situation, "ambition": initial.ambition,
                                                "previous": previous_pk})
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
