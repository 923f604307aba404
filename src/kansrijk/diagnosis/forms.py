"""Forms of the diagnosis pages. They only parse input into the shapes the services take (step ids and answers,
levels per domain, intake values and special categories); every rule about what is allowed lives in
``diagnosis.services``."""

from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kansrijk.accounts import roles
from kansrijk.catalogue.forms import AccessibleForm

from .instruments import LADDER_QUESTIONS, ZRM_LEVELS, propose_trede
from .models import DistanceClass, Intake, IntakeSpecialCategories, ZrmVersion

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
YES_NO = [("ja", _("Ja")), ("nee", _("Nee"))]


def date_field(label, *, required=True, help_text="") -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text, input_formats=DATE_INPUT_FORMATS,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"required": _("Vul de datum in."),
                                           "invalid": _("Vul een geldige datum in, bijvoorbeeld 31-12-2024.")})


def measured_on_field() -> forms.DateField:
    field = date_field(_("Datum van de meting"))
    field.initial = timezone.localdate
    field.widget.attrs["max"] = timezone.localdate().isoformat()
    return field


# --- Participatieladder ---------------------------------------------------------------------------------------------


class LadderForm(AccessibleForm):
    """The question flow (ja/nee per question, all optional) and the steps the client is on (several sub-steps may
    be ticked; the highest counts)."""

    steps = forms.TypedMultipleChoiceField(
        label=_("Trede en substappen"), coerce=int, widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Vink aan op welke trede of substappen de cliënt nu staat. Staat de cliënt op meer substappen "
                    "tegelijk, vink ze allemaal aan: de hoogste telt als de geregistreerde trede."),
        error_messages={"invalid_choice": _("Kies een trede of substap van uw gemeente.")})
    override_reason = forms.CharField(
        label=_("Reden van afwijking van het voorstel"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Alleen nodig als u een andere trede kiest dan de vragen voorstellen."))
    note = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.step_objects = {step.pk: step for step in steps}
        self.fields["steps"].choices = [(step.pk, f"{step.code} {step.name}") for step in steps]
        self.fields["steps"].shows_required = True  # the service requires one; not checked here so a proposal
        # can be asked for before a step is chosen
        self.fields["measured_on"] = measured_on_field()
        self.question_names = []
        for key, _trede, text in LADDER_QUESTIONS:
            name = f"vraag_{key}"
            self.fields[name] = forms.ChoiceField(label=text, required=False, choices=YES_NO,
                                                  widget=forms.RadioSelect)
            self.question_names.append(name)
        # Questions first, then the choice: the order the professional works in.
        order = [*self.question_names, "steps", "measured_on", "override_reason", "note"]
        self.order_fields(order)

    def questions(self):
        return [self[name] for name in self.question_names]

    def step_options(self):
        """Each checkbox with its step, for showing the criterion beside it."""
        return [(option, self.step_objects[int(option.data["value"])]) for option in self["steps"]]

    def _value(self, name):
        if self.is_bound:
            return self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        return self[name].value()

    def answers(self) -> dict[str, bool]:
        """The answered questions; an unanswered question is left out (the service counts it as "nee")."""
        answers = {}
        for key, _trede, _text in LADDER_QUESTIONS:
            value = self._value(f"vraag_{key}")
            if value in ("ja", "nee"):
                answers[key] = value == "ja"
        return answers

    def chosen_steps(self) -> list:
        ids = self._value("steps") or []
        return [self.step_objects[int(pk)] for pk in ids if int(pk) in self.step_objects]

    def proposal(self) -> dict | None:
        """What the question flow proposes and whether the chosen steps deviate from it (for showing live; the
        service decides on saving). The highest chosen step is the one with the highest position, as in
        ``services.record_ladder``."""
        answers = self.answers()
        chosen = self.chosen_steps()
        highest = max(chosen, key=lambda step: (step.trede, step.position, step.code)) if chosen else None
        if not answers:
            return {"trede": None, "reason": "", "highest": highest, "deviates": False}
        trede, reason = propose_trede(answers)
        return {"trede": trede, "reason": reason, "highest": highest,
                "deviates": highest is not None and highest.trede != trede}


# --- Zelfredzaamheidsmatrix -----------------------------------------------------------------------------------------


class ZrmVersionForm(forms.Form):
    """The version choice; switching it reloads the scoring form (a GET form)."""

    versie = forms.ChoiceField(label=_("Versie van de ZRM"), choices=ZrmVersion.choices, initial=ZrmVersion.ZRM_2017)


class ZrmForm(AccessibleForm):
    """One whole level 1–5 per domain of the version, all required."""

    version = forms.ChoiceField(choices=ZrmVersion.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, version: str, domains: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["version"].initial = version
        self.fields["measured_on"] = measured_on_field()
        self.domain_names = []
        for key, label in domains:
            self.fields[key] = forms.TypedChoiceField(
                label=label, coerce=int, widget=forms.RadioSelect,
                choices=[(level, name) for level, name in ZRM_LEVELS.items()],
                error_messages={"required": _("Vul elk domein in."),
                                "invalid_choice": _("Kies een heel niveau van 1 tot en met 5 (geen halve scores).")})
            self.domain_names.append(key)
        self.order_fields(["version", *self.domain_names, "measured_on", "note"])

    def domain_rows(self):
        return [self[name] for name in self.domain_names]

    def levels(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key in self.domain_names}


# --- Keukentafelgesprek ---------------------------------------------------------------------------------------------

# The intake's fields per life domain. Each entry: legend, field names, the role set that may see (and write) them
# (None: every role that records a diagnosis), and whether the fields are special categories.
INTAKE_SECTIONS = [
    ("wonen", _("Wonen"), ["housing", "housing_note"], None),
    ("financien", _("Financiën en schulden"), ["debts", "finances_note"], None),
    ("gezondheid", _("Gezondheid"), ["physical_health", "mental_health"], roles.SEES_HEALTH),
    ("verslaving", _("Verslaving"), ["addiction"], roles.SEES_ADDICTION),
    ("taal", _("Taal: Nederlands per vaardigheid"),
     ["dutch_speaking", "dutch_listening", "dutch_reading", "dutch_writing"], None),
    ("opleiding", _("Opleiding en werk"), ["education", "work_experience"], None),
    ("wensen", _("Wensen en talenten"), ["wishes", "talents"], None),
    ("motivatie", _("Motivatie en rol van de cliënt"),
     ["motivation_willing", "motivation_able", "motivation_ready", "client_role"], None),
    ("belastbaarheid", _("Belastbaarheid"), ["hours_per_week"], None),
    ("praktisch", _("Praktische zaken"),
     ["childcare_needed", "childcare_arranged", "transport", "driving_licence"], None),
    ("ontheffingen", _("Ontheffingen"), ["work_exemption_until", "job_search_exemption_until", "exemption_reason"],
     None),
    ("regeling", _("Regeling"), ["regime"], None),
]
SPECIAL_FIELDS = ("physical_health", "mental_health", "addiction")
INTAKE_FIELDS = [name for _key, _legend, names, _allowed in INTAKE_SECTIONS for name in names
                 if name not in SPECIAL_FIELDS] + ["note"]
RADIO_FIELDS = {"motivation_willing", "motivation_able", "motivation_ready", "client_role"}
NULL_BOOLEAN_CHOICES = [("", _("Onbekend")), ("True", _("Ja")), ("False", _("Nee"))]


def intake_sections_for(user) -> list[tuple[str, str, list[str]]]:
    """The sections a user sees: the health and addiction sections only for the roles that see them."""
    return [(key, legend, names) for key, legend, names, allowed in INTAKE_SECTIONS
            if allowed is None or user.has_role(allowed)]


class IntakeForm(AccessibleForm):
    """Every field of the intake, grouped per life domain; the special categories only for the roles that may see
    them (a field that is not on the form cannot be written)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measured_on"] = measured_on_field()
        self.fields["measured_on"].label = _("Datum van het gesprek")
        model_fields = fields_for_model(Intake, fields=INTAKE_FIELDS)
        special_labels = {f.name: f.verbose_name for f in IntakeSpecialCategories._meta.get_fields()
                          if f.name in SPECIAL_FIELDS}
        self.sections = []
        for key, legend, names in intake_sections_for(user):
            for name in names:
                if name in SPECIAL_FIELDS:
                    self.fields[name] = forms.CharField(label=special_labels[name], required=False,
                                                        widget=forms.Textarea(attrs={"rows": 2}))
                else:
                    self.fields[name] = self._adapt(name, model_fields[name])
            self.sections.append({"key": key, "legend": legend, "names": names,
                                  "special": any(name in SPECIAL_FIELDS for name in names)})
        self.fields["note"] = self._adapt("note", model_fields["note"])
        self.fields["note"].label = _("Toelichting bij het gesprek")

    @staticmethod
    def _adapt(name, field):
        """Form controls that are quick to use in a conversation."""
        field.required = False
        if isinstance(field, forms.NullBooleanField):
            field.widget = forms.RadioSelect(choices=NULL_BOOLEAN_CHOICES)
        elif isinstance(field, forms.DateField):
            field.input_formats = DATE_INPUT_FORMATS
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            field.error_messages["invalid"] = _("Vul een geldige datum in, bijvoorbeeld 31-12-2024.")
        elif isinstance(field, forms.TypedChoiceField):
            field.choices = [("", _("Niet besproken")), *[c for c in field.choices if c[0] != ""]]
            if name in RADIO_FIELDS:
                field.widget = forms.RadioSelect(choices=field.choices)
        elif isinstance(field, forms.IntegerField):
            field = forms.IntegerField(label=field.label, required=False, min_value=0, max_value=60,
                                       help_text=_("Het aantal uur per week dat de cliënt kan werken, 0 tot 60."),
                                       error_messages={"invalid": _("Vul een heel aantal uren in."),
                                                       "max_value": _("Ten hoogste 60 uur per week."),
                                                       "min_value": _("Niet minder dan 0 uur per week.")})
        elif isinstance(field.widget, forms.Textarea):
            field.widget.attrs.update({"rows": 2})
        return field

    def bound_sections(self):
        return [{**section, "fields": [self[name] for name in section["names"]]} for section in self.sections]

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in INTAKE_FIELDS}

    def special(self) -> dict:
        return {name: self.cleaned_data[name] for name in SPECIAL_FIELDS if name in self.fields}



# --- Distance to the labour market ----------------------------------------------------------------------------------


class DistanceForm(AccessibleForm):
    distance = forms.ChoiceField(label=_("Uw oordeel over de afstand tot de arbeidsmarkt"),
                                 choices=DistanceClass.choices, widget=forms.RadioSelect,
                                 error_messages={"required": _("Kies klein, middel, groot of zeer groot.")})
    reason = forms.CharField(label=_("Reden van uw oordeel"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("In woorden die u ook met de cliënt kunt bespreken."),
                             error_messages={"required": _("Geef de reden van uw oordeel.")})
