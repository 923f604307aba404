"""How the catalogue presents an approach: each fact with its label, its value in words and the sources it comes
from ("Bron: rapport, regels …"), results, assessments. Shared by the detail and compare pages."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import content
from . import vocabulary as v
from .forms import ANSWERS, SCORE_WORDS
from .models import Approach

# --- Facts with their sources -------------------------------------------------------------------------


def source_refs(*texts: str) -> list[dict]:
    """``"seed-000:L12-L15; seed-001:L3"`` → per document its title and line ranges, to show as "Bron: …".
    A reference that cannot be read (a local approach may carry free text) is shown as it is."""
    by_document: dict[str, list] = {}
    unreadable = []
    for text in texts:
        if not text:
            continue
        try:
            references = content.parse_references(text)
        except ValueError:
            unreadable.append({"title": text, "lines": ""})
            continue
        for reference in references:
            ranges = by_document.setdefault(reference.document, [])
            if (reference.start, reference.end) not in ranges:
                ranges.append((reference.start, reference.end))
    documents = content.source_documents()
    refs = []
    for key, ranges in by_document.items():
        spans = ", ".join(str(start) if start == end else f"{start}–{end}" for start, end in ranges)
        if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
            lines = _("regel %(lines)s") % {"lines": spans}
        else:
            lines = _("regels %(lines)s") % {"lines": spans}
        document = documents.get(key)
        refs.append({"title": document["title"] if document else key, "lines": lines})
    return refs + unreadable


def _number(value) -> str:
    if value is None:
        return ""
    value = Decimal(value)
    places = 0 if value == value.to_integral() else 2 if value.as_tuple().exponent <= -2 else 1
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def _yes_no(value) -> str:
    return {True: _("Ja"), False: _("Nee")}.get(value, "")


def _labels(values, choices) -> str:
    names = dict(choices)
    return ", ".join(str(names.get(value, value)) for value in values)


def _range(low, high, unit="") -> str:
    if low is None and high is None:
        return ""
    if low is not None and high is not None:
        text = _("%(low)s t/m %(high)s") % {"low": low, "high": high}
    elif low is not None:
        text = _("vanaf %(low)s") % {"low": low}
    else:
        text = _("t/m %(high)s") % {"high": high}
    return f"{text} {unit}".strip()


def _duration(a: Approach) -> str:
    weeks = _("%(n)s weken") % {"n": _number(a.duration_weeks)} if a.duration_weeks is not None else ""
    if a.duration and weeks:
        return f"{a.duration} ({weeks})"
    return a.duration or weeks


def _ladder(a: Approach) -> str:
    return ", ".join(_("trede %(step)s") % {"step": step} for step in a.ladder_steps)


# key → (label, fields whose sources apply, value, shown full width)
FACTS = {
    "municipality": (gettext_lazy("Gemeente(n)"), ("municipality",), lambda a: a.municipality, False),
    "region": (gettext_lazy("Regio"), ("region",), lambda a: a.region, False),
    "provider": (gettext_lazy("Uitvoerder"), ("provider",), lambda a: a.provider, False),
    "description": (gettext_lazy("Omschrijving"), ("description",), lambda a: a.description, True),
    "target_group_description": (gettext_lazy("Doelgroep in de woorden van de bron"),
                                 ("target_group_description",), lambda a: a.target_group_description, True),
    "goal": (gettext_lazy("Doel"), ("goal",), lambda a: a.get_goal_display() if a.goal else "", False),
    "approach_types": (gettext_lazy("Type aanpak"), ("approach_types",),
                       lambda a: _labels(a.approach_types, v.ApproachType.choices), False),
    "target_groups": (gettext_lazy("Doelgroepen"), ("target_groups",),
                      lambda a: _labels(a.target_groups, v.TargetGroup.choices), False),
    "phases": (gettext_lazy("Fasen"), ("phases",), lambda a: _labels(a.phases, v.Phase.choices), False),
    "ladder_steps": (gettext_lazy("Treden van de Participatieladder"), ("ladder_steps",), _ladder, False),
    "regimes": (gettext_lazy("Regelingen"), ("regimes",), lambda a: _labels(a.regimes, v.Regime.choices), False),
    "trede_range": (gettext_lazy("Toelating: trede"), ("trede_min", "trede_max"),
                    lambda a: _range(a.trede_min, a.trede_max), False),
    "min_hours_per_week": (gettext_lazy("Minimale belastbaarheid"), ("min_hours_per_week",),
                           lambda a: _("%(n)s uur per week") % {"n": _number(a.min_hours_per_week)}
                           if a.min_hours_per_week is not None else "", False),
    "language_level": (gettext_lazy("Taalniveau Nederlands"), ("language_level",), lambda a: a.language_level,
                       False),
    "age_range": (gettext_lazy("Leeftijd"), ("age_min", "age_max"),
                  lambda a: _range(a.age_min, a.age_max, _("jaar")), False),
    "entry_criteria": (gettext_lazy("Overige toelatingscriteria"), ("entry_criteria",), lambda a: a.entry_criteria,
                       True),
    "duration": (gettext_lazy("Duur"), ("duration", "duration_weeks"), _duration, False),
    "phases_description": (gettext_lazy("Fasen of stappen"), ("phases_description",),
                           lambda a: a.phases_description, True),
    "group_size": (gettext_lazy("Groepsgrootte"), ("group_size",), lambda a: a.group_size, False),
    "capacity": (gettext_lazy("Capaciteit"), ("capacity",),
                 lambda a: _("%(n)s plaatsen") % {"n": a.capacity} if a.capacity is not None else "", False),
    "intake_moments": (gettext_lazy("Instroommomenten"), ("intake_moments",), lambda a: a.intake_moments, False),
    "contact_frequency": (gettext_lazy("Contactfrequentie"), ("contact_frequency",), lambda a: a.contact_frequency,
                          False),
    "caseload": (gettext_lazy("Caseload"), ("caseload",), lambda a: a.caseload, False),
    "costs": (gettext_lazy("Kosten"), ("costs",), lambda a: a.costs, True),
    "cost_per_participant_eur": (gettext_lazy("Kosten per deelnemer"), ("cost_per_participant_eur",),
                                 lambda a: f"€ {_number(a.cost_per_participant_eur)}"
                                 if a.cost_per_participant_eur is not None else "", False),
    "funding": (gettext_lazy("Financiering"), ("funding",), lambda a: a.funding, True),
    "benefit_retained": (gettext_lazy("Met behoud van uitkering"), ("benefit_retained",),
                         lambda a: _yes_no(a.benefit_retained), False),
    "job_search_exemption": (gettext_lazy("Vrijstelling sollicitatieplicht"), ("job_search_exemption",),
                             lambda a: _yes_no(a.job_search_exemption), False),
    "job_guarantee": (gettext_lazy("Baangarantie"), ("job_guarantee",), lambda a: a.job_guarantee, False),
    "effect_level": (gettext_lazy("Niveau effectladder"), ("effect_level",),
                     lambda a: a.get_effect_level_display() if a.effect_level else "", False),
    "status": (gettext_lazy("Status"), ("status",), lambda a: a.get_status_display() if a.status else "", False),
    "srg_category": (gettext_lazy("SRG-voorziening (CBS)"), ("srg_category",),
                     lambda a: a.get_srg_category_display() if a.srg_category else "", False),
    "working_elements": (gettext_lazy("Werkzame elementen"), ("working_elements",),
                         lambda a: [element.label for element in a.working_elements.all()], False),
    "local_working_elements": (gettext_lazy("Eigen werkzame elementen en succesfactoren"),
                               ("local_working_elements",), lambda a: list(a.local_working_elements or []), True),
    "pitfalls": (gettext_lazy("Valkuilen en aandachtspunten"), ("pitfalls",), lambda a: list(a.pitfalls or []), True),
}

DETAIL_SECTIONS = [
    ("waar", gettext_lazy("Waar en door wie"), ["municipality", "region", "provider"]),
    ("wat", gettext_lazy("Wat de aanpak is"), ["description", "target_group_description", "goal", "approach_types",
                                               "target_groups", "phases", "ladder_steps", "regimes"]),
    ("toelating", gettext_lazy("Toelatingscriteria"), ["trede_range", "min_hours_per_week", "language_level",
                                                       "age_range", "entry_criteria"]),
    ("uitvoering", gettext_lazy("Duur en uitvoering"), ["duration", "phases_description", "group_size", "capacity",
                                                        "intake_moments", "contact_frequency", "caseload"]),
    ("kosten", gettext_lazy("Kosten en voorwaarden"), ["costs", "cost_per_participant_eur", "funding",
                                                       "benefit_retained", "job_search_exemption", "job_guarantee"]),
    ("status", gettext_lazy("Status en indeling"), ["status", "srg_category"]),
]
COMPARE_FACTS = [
    "municipality", "provider", "goal", "approach_types", "target_groups", "ladder_steps", "regimes", "trede_range",
    "min_hours_per_week", "language_level", "age_range", "entry_criteria", "duration", "group_size", "capacity",
    "intake_moments", "contact_frequency", "caseload", "costs", "cost_per_participant_eur", "benefit_retained",
    "job_search_exemption", "job_guarantee", "results", "effect_level", "assessment", "working_elements", "status",
    "offered_locally",
]  # fmt: skip


def fact(approach: Approach, key: str) -> dict:
    label, fields, value_of, wide = FACTS[key]
    refs = source_refs(*(approach.sources.get(name, "") for name in fields))
    value = value_of(approach)
    return {"key": key, "label": label, "value": value, "is_list": isinstance(value, list), "wide": wide,
            "sources": refs}


def result_lines(approach: Approach) -> list[dict]:
    rows = []
    for result in approach.results.all():
        amount = " ".join(part for part in (_number(result.value), result.unit) if part)
        rows.append({"description": result.description, "amount": amount, "period": result.period,
                     "sources": source_refs(result.source)})
    return rows


def assessment_view(assessment) -> dict:
    """One assessment with its scores in the framework's order, each score in symbol and words."""
    by_dimension = {score.dimension: score for score in assessment.scores.all()}
    answers = dict(ANSWERS)
    return {
        "assessment": assessment,
        "scores": [
            {"dimension": dimension.label, "symbol": by_dimension[dimension.value].get_score_display(),
             "words": SCORE_WORDS[by_dimension[dimension.value].score],
             "reasoning": by_dimension[dimension.value].reasoning}
            for dimension in v.Dimension if dimension.value in by_dimension
        ],
        "checklist": [
            {"question": v.Checklist(key).label if key in v.Checklist.values else key,
             "answer": answers.get(item.get("answer"), item.get("answer")), "note": item.get("note", "")}
            for key, item in (assessment.checklist or {}).items()
        ],
    }


def offered_text(approach: Approach) -> str:
    if approach.retired_at is not None:
        return _("Nee: uit de catalogus gehaald")
    return _("Ja, in uw gemeente") if approach.offered_locally else _("Nee")



def list_row(approach: Approach) -> dict:
    return {
        "approach": approach,
        "types": _labels(approach.approach_types, v.ApproachType.choices),
        "groups": _labels(approach.target_groups, v.TargetGroup.choices),
    }

