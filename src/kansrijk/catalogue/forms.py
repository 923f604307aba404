"""Forms of the catalogue's web pages. They only parse input into the shapes the selectors and services take
(CatalogueFilters, a content entry, a score dict); every rule about what is allowed lives in the services."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import services
from . import vocabulary as v
from .models import Approach, LocalOffer, WorkingElement
from .selectors import CatalogueFilters

# Paths under /catalogus/ that are not an approach: an approach with one of these slugs could not be reached.
RESERVED_SLUGS = frozenset({"nieuw", "vergelijken", "wat-werkt", "export", "import"})

# The scale's symbols say little to a screen reader ("-" is often not read at all), so every score also has words.
SCORE_WORDS = {
    2: _("zeer positief"),
    1: _("positief"),
    0: _("neutraal"),
    -1: _("negatief"),
    -2: _("zeer negatief"),
}
ANSWERS = [("ja", _("Ja")), ("nee", _("Nee")), ("onbekend", _("Onbekend"))]
YES_NO_UNKNOWN = [("ja", _("Ja")), ("nee", _("Nee")), ("onbekend", _("Onbekend"))]


def ladder_step_choices():
    return [(step, gettext("Trede %(step)s") % {"step": step}) for step in v.LADDER_STEPS]


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class AccessibleForm(forms.Form):
    """Links every error message to its field (aria-describedby) and gives the error summary its links."""

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                described = [f"{bound.auto_id}-fout"]
                if self.fields[name].help_text:
                    described.append(f"{bound.auto_id}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)

    def error_links(self) -> list[dict]:
        """Every error with the anchor of its field (the first option of a radio or checkbox group)."""
        links = [{"anchor": "", "label": "", "message": message} for message in self.non_field_errors()]
        for bound in self:
            for message in bound.errors:
                anchor = f"{bound.auto_id}_0" if bound.use_fieldset else bound.auto_id
                links.append({"anchor": anchor, "label": bound.label, "message": message})
        return links


def apply_service_errors(form: forms.Form, error: ValidationError, field_map=None) -> None:
    """Put a service's ValidationError on the form: dict keys that name a form field go next to that field; the
    content validator's messages ("<plaats>, veld trede_min: ...") go next to the field they name."""
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            name = field_map.get(key, key)
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
        return
    for message in error.messages:
        match = re.search(r", veld ([\w.\[\]]+): (.*)$", message)
        if match and match.group(1) in form.fields:
            form.add_error(match.group(1), match.group(2))
        else:
            form.add_error(None, message)


def _municipality_field(user, *, label=None) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        label=label or _("Gemeente"), queryset=user.municipalities.order_by("name"), empty_label=None,
        error_messages={"required": _("U bent aan geen gemeente gekoppeld."),
                        "invalid_choice": _("Kies een van uw eigen gemeenten.")})
    own = list(field.queryset[:2])
    if len(own) == 1:
        # One municipality: nothing to choose, so no select to tab past.
        field.widget = forms.HiddenInput()
        field.initial = own[0].pk
    return field


# --- Search and filters --------------------------------------------------------------------------------------------


class CatalogueFilterForm(AccessibleForm):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=200,
                        help_text=_("Woorden uit naam, omschrijving, doelgroep of werkzame elementen"),
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    kind = forms.ChoiceField(label=_("Soort"), required=False, choices=[("", _("Alle soorten")), *v.Kind.choices])
    goal = forms.ChoiceField(label=_("Doel"), required=False, choices=[("", _("Elk doel")), *v.Goal.choices])
    effect_level_min = forms.TypedChoiceField(
        label=_("Effectladder minimaal"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Elk niveau")), *v.EffectLevel.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Elke status")), *v.Status.choices])
    region = forms.CharField(label=_("Regio of gemeente"), required=False, max_length=100)
    max_cost = forms.DecimalField(label=_("Kosten per deelnemer tot (euro)"), required=False, min_value=0,
                                  max_digits=10, decimal_places=2, localize=True,
                                  widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    offered_locally = forms.ChoiceField(
        label=_("Lokaal aangeboden"), required=False,
        choices=[("alle", _("Alle")), ("ja", _("Ja, in mijn gemeente")), ("nee", _("Nee, niet in mijn gemeente"))])
    approach_types = forms.MultipleChoiceField(label=_("Type aanpak"), required=False, choices=v.ApproachType.choices,
                                               widget=forms.CheckboxSelectMultiple)
    target_groups = forms.MultipleChoiceField(label=_("Doelgroep"), required=False, choices=v.TargetGroup.choices,
                                              widget=forms.CheckboxSelectMultiple)
    phases = forms.MultipleChoiceField(label=_("Fase"), required=False, choices=v.Phase.choices,
                                       widget=forms.CheckboxSelectMultiple)
    ladder_steps = forms.MultipleChoiceField(label=_("Trede Participatieladder"), required=False, choices=(),
                                             widget=forms.CheckboxSelectMultiple)
    regimes = forms.MultipleChoiceField(label=_("Regeling"), required=False, choices=v.Regime.choices,
                                        widget=forms.CheckboxSelectMultiple)
    include_retired = forms.BooleanField(label=_("Ook aanpakken die uit de catalogus zijn gehaald"), required=False)

    SELECTS = ("kind", "goal", "effect_level_min", "status", "region", "max_cost", "offered_locally")
    GROUPS = ("approach_types", "target_groups", "phases", "ladder_steps", "regimes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ladder_steps"].choices = ladder_step_choices()

    def selects(self):
        return [self[name] for name in self.SELECTS]

    def groups(self):
        return [self[name] for name in self.GROUPS]

    def groups_in_use(self) -> bool:
        """Whether a classification filter is set, so the folded filter panel opens to show it."""
        return self.is_bound and any(self.data.getlist(name) for name in self.GROUPS)

    def filters(self) -> CatalogueFilters:
        """The valid part of the input as filters; an invalid field is shown with its error and left out."""
        if not self.is_bound:
            return CatalogueFilters()
        self.is_valid()
        data = self.cleaned_data
        offered = data.get("offered_locally") or "alle"
        return CatalogueFilters(
            q=data.get("q") or "",
            kind=data.get("kind") or "",
            goal=data.get("goal") or "",
            approach_types=data.get("approach_types") or [],
            target_groups=data.get("target_groups") or [],
            phases=data.get("phases") or [],
            ladder_steps=data.get("ladder_steps") or [],
            regimes=data.get("regimes") or [],
            effect_level_min=data.get("effect_level_min"),
            region=data.get("region") or "",
            max_cost=data.get("max_cost"),
            status=data.get("status") or "",
            offered_locally=None if offered == "alle" else offered == "ja",
            include_retired=bool(data.get("include_retired")),
        )


# --- Assessment ----------------------------------------------------------------------------------------------------


class AssessmentForm(AccessibleForm):
    """The assessment framework of seed 000: six dimensions scored ++ to -- with reasoning, the pre-screening
    checklist, the effect level and a conclusion. Whether a score and reasoning are complete is the service's rule."""

    effect_level = forms.TypedChoiceField(
        label=_("Niveau effectladder"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Niet vastgesteld")), *v.EffectLevel.choices],
        help_text=_("Alleen invullen als de onderbouwing het niveau aantoont."))
    conclusion = forms.CharField(label=_("Conclusie"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for dimension in v.Dimension:
            self.fields[f"score_{dimension.value}"] = forms.TypedChoiceField(
                label=dimension.label, required=False, coerce=int, empty_value=None,
                choices=[(value, f"{label} ({SCORE_WORDS[value]})") for value, label in v.Score.choices],
                help_text=v.DIMENSION_HELP[dimension], widget=forms.RadioSelect)
            self.fields[f"reasoning_{dimension.value}"] = forms.CharField(
                label=gettext("Onderbouwing van de score voor ‘%(dimension)s’") % {"dimension": dimension.label},
                required=False, widget=forms.Textarea(attrs={"rows": 3, "aria-required": "true"}))
            # Required by the service, not by the form (one rule, one place); the page still says so.
            self.fields[f"score_{dimension.value}"].shows_required = True
            self.fields[f"reasoning_{dimension.value}"].shows_required = True
        for question in v.Checklist:
            self.fields[f"checklist_{question.value}"] = forms.ChoiceField(
                label=question.label, required=False, choices=ANSWERS, widget=forms.RadioSelect)
            self.fields[f"note_{question.value}"] = forms.CharField(
                label=gettext("Toelichting"), required=False, max_length=1000)

    def dimension_rows(self):
        return [{"dimension": d, "score": self[f"score_{d.value}"], "reasoning": self[f"reasoning_{d.value}"]}
                for d in v.Dimension]

    def checklist_rows(self):
        return [{"question": q, "answer": self[f"checklist_{q.value}"], "note": self[f"note_{q.value}"]}
                for q in v.Checklist]

    def scores(self) -> dict[str, tuple[int | None, str]]:
        data = self.cleaned_data
        return {d.value: (data.get(f"score_{d.value}"), data.get(f"reasoning_{d.value}") or "") for d in v.Dimension}

    def checklist(self) -> dict[str, dict]:
        """Answered questions only; a note without an answer goes to the service, which asks for the answer."""
        data = self.cleaned_data
        answers = {}
        for question in v.Checklist:
            answer, note = data.get(f"checklist_{question.value}") or "", data.get(f"note_{question.value}") or ""
            if answer or note.strip():
                answers[question.value] = {"answer": answer, "note": note}
        return answers

    def field_for_service_error(self, key: str) -> str | None:
        if key.startswith("checklist."):
            return f"checklist_{key.removeprefix('checklist.')}"
        if key in v.Dimension.values:
            # No score chosen: the error belongs to the radio group; otherwise to the reasoning.
            has_score = self.cleaned_data.get(f"score_{key}") is not None
            return f"reasoning_{key}" if has_score else f"score_{key}"
        return key if key in self.fields else None

    def apply_service_errors(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            for message in messages:
                self.add_error(self.field_for_service_error(key), message)


# --- Local offer ---------------------------------------------------------------------------------------------------

OFFER_FORM_FIELDS = [name for name in services.LOCAL_OFFER_FIELDS if name != "active"]


class LocalOfferForm(AccessibleForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"] = _municipality_field(user)
        self.fields.update(forms.fields_for_model(LocalOffer, fields=OFFER_FORM_FIELDS))
        self.fields["notes"].widget.attrs["rows"] = 3
        self.fields["cost_per_participant_eur"].localize = True
        self.fields["cost_per_participant_eur"].widget = forms.TextInput(attrs={"inputmode": "decimal"})
        for name in ("contact_person", "contact_email", "contact_phone"):
            # Someone else's details: the browser should not offer the user's own.
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in OFFER_FORM_FIELDS} | {"active": True}


# --- Local approach ------------------------------------------------------------------------------------------------

APPROACH_SCALAR_FIELDS = [
    "name", "kind", "municipality", "region", "provider", "description", "target_group_description", "goal",
    "trede_min", "trede_max", "min_hours_per_week", "language_level", "age_min", "age_max", "entry_criteria",
    "duration", "duration_weeks", "phases_description", "group_size", "capacity", "intake_moments",
    "contact_frequency", "caseload", "costs", "cost_per_participant_eur", "funding", "job_guarantee", "status",
    "srg_category",
]  # fmt: skip
FACET_CHOICES = {
    "approach_types": (_("Type aanpak"), v.ApproachType.choices),
    "target_groups": (_("Doelgroepen"), v.TargetGroup.choices),
    "phases": (_("Fasen waarin de aanpak werkt"), v.Phase.choices),
    "ladder_steps": (_("Treden van de Participatieladder"), None),
    "regimes": (_("Regelingen"), v.Regime.choices),
}
BOOLEAN_CHOICE_FIELDS = ("benefit_retained", "job_search_exemption")
LIST_TEXT_FIELDS = ("local_working_elements", "pitfalls")


class ApproachForm(AccessibleForm):
    """A municipality's own approach. ``entry()`` turns the input into a content entry (``content/README.md``),
    keeping what the form does not show (results, sources, effect level) from the approach being edited."""

    slug = forms.SlugField(label=_("Sleutel"), required=False, max_length=120,
                           help_text=_("Kleine letters, cijfers en streepjes; leeg laten om hem uit de naam te maken. "
                                       "Later niet meer te wijzigen."))

    def __init__(self, *args, user, approach: Approach | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.approach = approach
        if approach is None:
            self.fields["owner"] = _municipality_field(user, label=_("Eigen aanpak van gemeente"))
        else:
            del self.fields["slug"]
        self.fields.update(forms.fields_for_model(Approach, fields=APPROACH_SCALAR_FIELDS))
        for name in ("municipality", "region", "provider", "language_level", "duration", "group_size",
                     "intake_moments", "contact_frequency", "caseload", "job_guarantee"):
            self.fields[name].widget.attrs["class"] = "wide"
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 6 if name == "description" else 3
            if isinstance(field, forms.DecimalField):
                field.localize = True
                field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
            if isinstance(field, forms.TypedChoiceField) and field.choices and field.choices[0][0] == "":
                field.choices = [("", _("Kies…") if field.required else _("Niet opgegeven")), *field.choices[1:]]
        self.fields["municipality"].label = _("Gemeente(n) waar de aanpak loopt")
        for name, (label, choices) in FACET_CHOICES.items():
            self.fields[name] = forms.MultipleChoiceField(
                label=label, required=False, choices=choices or ladder_step_choices(),
                widget=forms.CheckboxSelectMultiple)
        for name, label in (("benefit_retained", _("Met behoud van uitkering")),
                            ("job_search_exemption", _("Vrijstelling van de sollicitatieplicht"))):
            self.fields[name] = forms.ChoiceField(label=label, choices=YES_NO_UNKNOWN, initial="onbekend",
                                                  required=False, widget=forms.RadioSelect)
        self.fields["working_elements"] = forms.ModelMultipleChoiceField(
            label=_("Werkzame elementen"), required=False, to_field_name="key",
            queryset=WorkingElement.objects.order_by("position", "key"), widget=forms.CheckboxSelectMultiple)
        self.fields["local_working_elements"] = forms.CharField(
            label=_("Eigen werkzame elementen en succesfactoren"), required=False, help_text=_("Eén per regel."),
            widget=forms.Textarea(attrs={"rows": 4}))
        self.fields["pitfalls"] = forms.CharField(
            label=_("Valkuilen en aandachtspunten"), required=False, help_text=_("Eén per regel."),
            widget=forms.Textarea(attrs={"rows": 4}))
        if approach is not None and not self.is_bound:
            self.initial = self.initial_from(approach)

    @staticmethod
    def initial_from(approach: Approach) -> dict:
        initial = {name: getattr(approach, name) for name in APPROACH_SCALAR_FIELDS}
        for name in FACET_CHOICES:
            initial[name] = getattr(approach, name)
        for name in BOOLEAN_CHOICE_FIELDS:
            initial[name] = {True: "ja", False: "nee"}.get(getattr(approach, name), "onbekend")
        initial["working_elements"] = [element.key for element in approach.working_elements.all()]
        for name in LIST_TEXT_FIELDS:
            initial[name] = "\n".join(getattr(approach, name) or [])
        return initial

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or slugify(self.data.get("name", "")).replace("_", "-")[:120].strip("-")
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("Deze sleutel is gereserveerd; kies een andere."))
        return slug

    def field_groups(self) -> list[dict]:
        """The fields in the order and sections of the detail page."""
        sections = [
            (_("Naam en uitvoering"), ["slug", "owner", "name", "kind", "municipality", "region", "provider"]),
            (_("Wat de aanpak is"), ["description", "goal", "approach_types", "target_groups",
                                     "target_group_description", "phases", "ladder_steps", "regimes"]),
            (_("Toelatingscriteria"), ["trede_min", "trede_max", "min_hours_per_week", "language_level", "age_min",
                                       "age_max", "entry_criteria"]),
            (_("Duur en uitvoering"), ["duration", "duration_weeks", "phases_description", "group_size", "capacity",
                                       "intake_moments", "contact_frequency", "caseload"]),
            (_("Kosten en voorwaarden"), ["costs", "cost_per_participant_eur", "funding", "benefit_retained",
                                          "job_search_exemption", "job_guarantee"]),
            (_("Status"), ["status", "srg_category"]),
            (_("Werkzaamheid"), ["local_working_elements", "pitfalls"]),
        ]
        return [{"legend": legend, "fields": [self[name] for name in names if name in self.fields]}
                for legend, names in sections]

    def working_element_groups(self) -> list[dict]:
        """The working-element checkboxes grouped by the category the literature puts them in."""
        options = list(self["working_elements"])
        groups = []
        for category in v.WorkingElementCategory:
            members = [o for o in options if o.data["value"].instance.category == category.value]
            if members:
                groups.append({"label": category.label, "options": members})
        return groups

    def entry(self) -> dict:
        data = self.cleaned_data
        entry = services.entry_from_approach(self.approach) if self.approach is not None else {
            "results": [], "sources": {}, "effect_level": None}
        for name in APPROACH_SCALAR_FIELDS:
            entry[name] = data.get(name)
        for name in FACET_CHOICES:
            entry[name] = list(data.get(name) or [])
        for name in BOOLEAN_CHOICE_FIELDS:
            entry[name] = {"ja": True, "nee": False}.get(data.get(name))
        entry["working_elements"] = [element.key for element in data.get("working_elements") or []]
        for name in LIST_TEXT_FIELDS:
            entry[name] = lines(data.get(name))
        if self.approach is None:
            entry["slug"] = data.get("slug") or ""
        return entry


class RetireForm(AccessibleForm):
    reason = forms.CharField(label=_("Reden"), max_length=300,
                             help_text=_("Waarom de aanpak uit de catalogus gaat; blijft zichtbaar bij de aanpak."),
                             error_messages={"required": _("Geef een reden op.")})


# --- Exchange files ------------------------------------------------------------------------------------------------

MAX_IMPORT_BYTES = 20 * 1024 * 1024


class ImportForm(AccessibleForm):
    file = forms.FileField(label=_("Catalogusbestand"),
                           help_text=_("Een export van Kansrijk: JSON (.json) of Excel (.xlsx), hoogstens 20 MB."),
                           error_messages={"required": _("Kies een bestand.")},
                           widget=forms.ClearableFileInput(attrs={"accept": ".json,.xlsx"}))
    dry_run = forms.BooleanField(label=_("Alleen controleren, nog niets opslaan"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"] = _municipality_field(user, label=_("Importeren in gemeente"))
        self.order_fields(["file", "municipality", "dry_run"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 20 MB."))
        if not upload.name.lower().endswith((".json", ".xlsx")):
            raise forms.ValidationError(_("Kies een JSON- of XLSX-bestand (.json of .xlsx)."))
        return upload

