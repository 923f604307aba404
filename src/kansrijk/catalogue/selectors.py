"""Read-side queries of the catalogue: filtering and search, comparison, and "wat werkt voor wie"."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from . import vocabulary as v
from .models import (
    FACET_FIELDS,
    Approach,
    ApproachFacet,
    Assessment,
    Facet,
    LocalOffer,
    WorkingElement,
    ladder_sort_key,
)
from .search import filter_search


@dataclass
class CatalogueFilters:
    q: str = ""
    kind: str = ""
    goal: str = ""
    approach_types: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)
    ladder_steps: list[str] = field(default_factory=list)
    regimes: list[str] = field(default_factory=list)
    effect_level_min: int | None = None
    region: str = ""
    max_cost: Decimal | None = None
    status: str = ""
    offered_locally: bool | None = None
    include_retired: bool = False


FILTER_FACETS = {
    "approach_types": Facet.APPROACH_TYPE,
    "target_groups": Facet.TARGET_GROUP,
    "phases": Facet.PHASE,
    "ladder_steps": Facet.LADDER_STEP,
    "regimes": Facet.REGIME,
}


def with_relations(queryset: QuerySet, municipality_ids=()) -> QuerySet:
    """Prefetch what lists and details show, so a page costs the same few queries at any length."""
    return queryset.select_related("owner").prefetch_related(
        "facets",
        "working_elements",
        "results",
        Prefetch(
            "local_offers",
            queryset=LocalOffer.objects.filter(municipality_id__in=list(municipality_ids), active=True).select_related(
                "municipality"
            ),
            to_attr="offers_here",
        ),
    ).annotate(
        offered_locally=Exists(
            LocalOffer.objects.filter(approach=OuterRef("pk"), municipality_id__in=list(municipality_ids), active=True)
        )
    )


def approach_list(filters: CatalogueFilters, municipality_ids=()) -> QuerySet:
    approaches = Approach.objects.all() if filters.include_retired else Approach.objects.current()
    if filters.kind:
        approaches = approaches.filter(kind=filters.kind)
    if filters.goal:
        # "beide" serves both goals, so it matches a filter on either.
        goals = [filters.goal] if filters.goal in ("beide", "anders") else [filters.goal, v.Goal.BEIDE]
        approaches = approaches.filter(goal__in=goals)
    for name, facet in FILTER_FACETS.items():
        values = getattr(filters, name)
        if values:
            condition = Q(Exists(ApproachFacet.objects.filter(approach=OuterRef("pk"), facet=facet, value__in=(
                _with_parent_steps(values) if facet == Facet.LADDER_STEP else values))))
            if facet == Facet.LADDER_STEP:
                # An entry criterion "trede 1 to 3" serves every step in that range.
                for whole in {int(value.split(".")[0]) for value in values}:
                    condition |= Q(trede_min__lte=whole, trede_max__gte=whole)
            approaches = approaches.filter(condition)
    if filters.effect_level_min:
        approaches = approaches.filter(effect_level__gte=filters.effect_level_min)
    if filters.region:
        approaches = approaches.filter(Q(region__icontains=filters.region) | Q(municipality__icontains=filters.region))
    if filters.max_cost is not None:
        approaches = approaches.filter(cost_per_participant_eur__lte=filters.max_cost)
    if filters.status:
        approaches = approaches.filter(status=filters.status)
    approaches = with_relations(approaches, municipality_ids)
    if filters.offered_locally is not None:
        approaches = approaches.filter(offered_locally=filters.offered_locally)
    if filters.q.strip():
        return filter_search(approaches, filters.q)
    return approaches.order_by("name", "pk")


def _with_parent_steps(values: list[str]) -> list[str]:
    """A filter on sub-step 2.3 also finds approaches that serve trede 2 as a whole, and a filter on trede 2 finds
    those serving any of its sub-steps."""
    expanded = set(values)
    for value in values:
        if "." in value:
            expanded.add(value.split(".")[0])
        else:
            expanded.update(step for step in v.LADDER_STEPS if step.startswith(f"{value}."))
    return sorted(expanded)


def approach_detail(slug: str, municipality_ids=()) -> Approach:
    return with_relations(Approach.objects.filter(slug=slug), municipality_ids).get()


def assessment_history(approach: Approach) -> QuerySet:
    return approach.assessments.select_related("assessor", "municipality").prefetch_related("scores")


def latest_assessment(approach: Approach) -> Assessment | None:
    return assessment_history(approach).first()


def compare(slugs: list[str], municipality_ids=()) -> list[Approach]:
    found = {a.slug: a for a in with_relations(Approach.objects.filter(slug__in=slugs[:4]), municipality_ids)}
    return [found[slug] for slug in slugs[:4] if slug in found]


def what_works() -> dict:
    """Per target group and per ladder step: the approaches the research describes, best evidence first, and the
    working elements the literature names — each with its source."""
    approaches = list(
        Approach.objects.current().filter(owner__isnull=True).prefetch_related("facets").order_by("name")
    )
    elements = list(WorkingElement.objects.all())

    def ranked(items):
        return sorted(items, key=lambda a: (-(a.effect_level or 0), a.name))

    by_group = []
    for group in v.TargetGroup:
        members = [a for a in approaches if group.value in a.target_groups]
        group_elements = [e for e in elements if e.target_group == group.value]
        if members or group_elements:
            by_group.append({"key": group.value, "label": group.label, "approaches": ranked(members),
                             "working_elements": group_elements})
    by_type = []
    for approach_type in v.ApproachType:
        by_type.append(
            {
                "key": approach_type.value,
                "label": approach_type.label,
                "approaches": ranked([a for a in approaches if approach_type.value in a.approach_types]),
                "working_elements": [e for e in elements if e.category == approach_type.value],
            }
        )
    by_step = []
    steps = sorted({s for a in approaches for s in a.ladder_steps} | {"1", "2", "3", "4", "5", "6"}, key=ladder_sort_key)
    for step in steps:
        members = [a for a in approaches if step in a.ladder_steps or _serves_range(a, step)]
        by_step.append({"key": step, "approaches": ranked(members)})
    return {
        "target_groups": by_group,
        "approach_types": by_type,
        "ladder_steps": by_step,
        "general_elements": [e for e in elements if e.category == v.WorkingElementCategory.ALGEMEEN],
    }


def _serves_range(approach: Approach, step: str) -> bool:
    if approach.trede_min is None and approach.trede_max is None:
        return False
    whole = int(step.split(".")[0])
    return (approach.trede_min or 1) <= whole <= (approach.trede_max or 6)


def facet_counts() -> dict[str, dict[str, int]]:
    rows = (
        ApproachFacet.objects.filter(approach__retired_at__isnull=True)
        .values("facet", "value")
        .annotate(n=Count("approach"))
    )
    counts: dict[str, dict[str, int]] = {name: {} for name in FACET_FIELDS.values()}
    for row in rows:
        counts[FACET_FIELDS[row["facet"]]][row["value"]] = row["n"]
    return counts


def counts() -> dict[str, int]:
    return {
        "approaches": Approach.objects.current().count(),
        "working_elements": WorkingElement.objects.count(),
    }
