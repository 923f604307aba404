"""Reading for matching: the facts about a client the recommendation may use, the municipality's local offer as
candidates, and the ranked recommendations. Every function runs a fixed number of queries, whatever the number of
approaches on offer (``client_facts``: 3; ``candidates_for``: 2, or 5 when the menukaart changed;
``recommendations_for``: 5 or 8)."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Subquery, Sum
from django.utils import timezone

from kansrijk.accounts import roles
from kansrijk.caseload.models import Client
from kansrijk.catalogue.models import Approach, ApproachFacet, Facet, LocalOffer, WorkingElement
from kansrijk.core.bulk import paused_gc
from kansrijk.diagnosis.instruments import ZRM_SPECIAL_DOMAINS
from kansrijk.diagnosis.models import Intake, LadderMeasurement, ZrmMeasurement, ZrmScore
from kansrijk.diagnosis.selectors import current
from kansrijk.trajectories.selectors import local_outcomes

from .models import RecommendationDecision
from .recommendations import Candidate, ClientFacts, Element, Recommendation, recommend

# The intake fields the recommendation reads. Named one by one so that nothing else of the intake is loaded; the
# special categories (health, addiction) are in another table and never joined.
INTAKE_FIELDS = ("hours_per_week", "regime", "dutch_speaking", "dutch_listening", "dutch_reading", "dutch_writing",
                 "education", "driving_licence", "work_experience", "wishes", "motivation_willing",
                 "motivation_able", "motivation_ready", "debts", "work_exemption_until",
                 "job_search_exemption_until")
DUTCH_SKILLS = (("spreken", "dutch_speaking"), ("luisteren", "dutch_listening"), ("lezen", "dutch_reading"),
                ("schrijven", "dutch_writing"))


def client_facts(client: Client, *, today: date | None = None) -> ClientFacts:
    """The facts of ``client`` that the recommendation may use: age from the birth year (as on 1 July), the latest
    current trede, the latest current intake's ordinary fields, the non-special ZRM domains scored 1 or 2 in the
    latest current ZRM, and the years on benefit. Never reads health, addiction, origin, the special ZRM domains or
    sex. Three queries."""
    today = today or timezone.localdate()
    trede = current(LadderMeasurement.objects.filter(client=client)).values_list("trede", flat=True).first()
    low = sorted(ZrmScore.objects.filter(measurement_id=Subquery(
        current(ZrmMeasurement.objects.filter(client=client)).values("id")[:1]), level__lte=2)
        .exclude(domain__in=ZRM_SPECIAL_DOMAINS).values_list("domain", flat=True))
    intake = current(Intake.objects.filter(client=client)).values(*INTAKE_FIELDS).first() or {}
    return facts_from(birth_year=client.birth_year, active_spell_start=client.active_spell_start, trede=trede,
                      low_zrm_domains=low, intake=intake, today=today)


def facts_from(*, birth_year, active_spell_start, trede, low_zrm_domains, intake: dict, today: date) -> ClientFacts:
    """``ClientFacts`` from what was read: the one place that turns stored values into facts, for one client
    (``client_facts``) and for many at once (``selection.facts_for``), so both always mean the same."""
    years = None
    if active_spell_start:
        years = round((today - active_spell_start).days / 365.25, 1)
    return ClientFacts(
        age=today.year - birth_year if birth_year else None,
        trede=trede,
        hours_per_week=intake.get("hours_per_week"),
        regime=intake.get("regime") or "",
        dutch=tuple((skill, intake[name]) for skill, name in DUTCH_SKILLS if intake.get(name)),
        education=intake.get("education") or "",
        driving_licence=intake.get("driving_licence"),
        work_experience=intake.get("work_experience") or "",
        wishes=intake.get("wishes") or "",
        motivation_willing=intake.get("motivation_willing") or "",
        motivation_able=intake.get("motivation_able") or "",
        motivation_ready=intake.get("motivation_ready") or "",
        years_on_benefit=years,
        low_zrm_domains=tuple(sorted(low_zrm_domains)),
        debts=intake.get("debts") or "",
        work_exemption_until=intake.get("work_exemption_until"),
        job_search_exemption_until=intake.get("job_search_exemption_until"),
        today=today,
    )


def active_offer(municipality_id: int):
    """The municipality's local offer that counts for matching: active entries of approaches not retired."""
    return LocalOffer.objects.filter(municipality_id=municipality_id, active=True, approach__retired_at__isnull=True)


OFFER_FIELDS = ("approach_id", "capacity", "approach__slug", "approach__name",
                "approach__trede_min", "approach__trede_max", "approach__min_hours_per_week",
                "approach__age_min", "approach__age_max", "approach__language_level", "approach__entry_criteria",
                "approach__effect_level", "approach__search_document")
FACETS_READ = (Facet.APPROACH_TYPE, Facet.TARGET_GROUP, Facet.REGIME)


# Candidates per municipality, kept between calls in this process: building a thousand of them is most of the cost of
# a recommendation, and a menukaart changes seldom. A fingerprint query (one row) says whether the kept list still
# holds: the number of entries, the sum of their approach ids, and the latest change of an entry or its approach.
# Every catalogue service saves the approach (``updated_at``) when its facets or working elements change; the working
# elements themselves (a small vocabulary) are read on every call and compared too. Callers must not change the
# candidates they get.
# Changes that bypass the services (a queryset ``update``) are seen at the latest after KEEP_SECONDS.
KEEP_SECONDS = 60
_CANDIDATES: dict[int, tuple[tuple, float, list[Candidate]]] = {}


def _fingerprint(municipality_id: int) -> tuple:
    values = active_offer(municipality_id).aggregate(
        entries=Count("id"), ids=Sum("approach_id"), offer=Max("updated_at"), approach=Max("approach__updated_at"))
    return tuple(values[key] for key in ("entries", "ids", "offer", "approach"))


def candidates_for(municipality_id: int) -> list[Candidate]:
    """The active local offer of a municipality as candidates, with their approach types, target groups, legal
    regimes and working elements. Two queries when the kept list still holds, five when it is rebuilt; never more
    with more approaches. Rows are read as values, not model instances, because a menukaart can hold a thousand
    entries. The approach's texts come as its stemmed search document (kept by ``catalogue.services``)."""
    through = Approach.working_elements.through
    ids = active_offer(municipality_id).values("approach_id")
    vocabulary = tuple(WorkingElement.objects.filter(
        id__in=through.objects.filter(approach_id__in=ids).values("workingelement_id")).order_by("id")
        .values_list("id", "label", "category", "target_group", "need"))
    fingerprint = (_fingerprint(municipality_id), vocabulary)
    kept = _CANDIDATES.get(municipality_id)
    now = time.monotonic()
    if kept is None or kept[0] != fingerprint or now - kept[1] > KEEP_SECONDS:
        elements = {pk: Element(label=label, category=category, target_group=target_group, need=need)
                    for pk, label, category, target_group, need in vocabulary}
        kept = (fingerprint, now,
                [_with_elements(candidate, elements) for candidate in _build_candidates(municipality_id)])
        _CANDIDATES[municipality_id] = kept
    return kept[2]


def _with_elements(candidate: Candidate, elements: dict[int, Element]) -> Candidate:
    return replace(candidate, elements=tuple(elements[pk] for pk in candidate.element_ids if pk in elements))


def _build_candidates(municipality_id: int) -> list[Candidate]:
    offers = active_offer(municipality_id)
    ids = offers.values("approach_id")
    facets: dict[int, dict[str, list[str]]] = {}
    for approach_id, facet, value in (ApproachFacet.objects.filter(approach_id__in=ids, facet__in=FACETS_READ)
                                      .order_by("approach_id", "facet", "value")
                                      .values_list("approach_id", "facet", "value")):
        facets.setdefault(approach_id, {}).setdefault(facet, []).append(value)
    through = Approach.working_elements.through
    links: dict[int, list[int]] = {}
    for approach_id, element_id in (through.objects.filter(approach_id__in=ids)
                                    .order_by("workingelement__position", "workingelement__key")
                                    .values_list("approach_id", "workingelement_id")):
        links.setdefault(approach_id, []).append(element_id)
    candidates = []
    for row in offers.values_list(*OFFER_FIELDS):
        (approach_id, capacity, slug, name, trede_min, trede_max, min_hours, age_min, age_max,
         language_level, entry_criteria, effect_level, document) = row
        own = facets.get(approach_id, {})
        candidates.append(Candidate(
            approach_id=approach_id, slug=slug, name=name,
            approach_types=tuple(own.get(Facet.APPROACH_TYPE, ())),
            target_groups=tuple(own.get(Facet.TARGET_GROUP, ())),
            regimes=tuple(own.get(Facet.REGIME, ())), trede_min=trede_min, trede_max=trede_max,
            min_hours_per_week=float(min_hours) if min_hours is not None else None, age_min=age_min, age_max=age_max,
            language_level=language_level, entry_criteria=entry_criteria, effect_level=effect_level,
            element_ids=tuple(links.get(approach_id, ())), offered=True, capacity=capacity,
            text_words=frozenset(document.split()) if document else frozenset(),
        ))
    return candidates


@dataclass
class Recommendations:
    """The ranked recommendations for one client: ``possible`` in rank order, ``not_now`` with what is not met."""

    facts: ClientFacts
    possible: list[Recommendation]
    not_now: list[Recommendation]

    @property
    def all(self) -> list[Recommendation]:
        return [*self.possible, *self.not_now]

    def for_approach(self, approach_id: int) -> Recommendation | None:
        return next((r for r in self.all if r.candidate.approach_id == approach_id), None)


def recommendations_for_client(client: Client, *, today: date | None = None) -> Recommendations:
    """The recommendations for ``client`` over the active local offer of the client's municipality, without a role
    check (for the management command run by the operator). Seven queries (eleven when the menukaart changed or a
    trajectory ended)."""
    facts = client_facts(client, today=today)
    outcomes = local_outcomes(client.municipality_id, facts.trede)
    # A ranking builds thousands of small objects without cycles that all live until it returns; the cyclic
    # collector re-scanning the whole process meanwhile was most of the slow tail (as in the import).
    with paused_gc():
        ranked = recommend(facts, candidates_for(client.municipality_id), outcomes)
    return Recommendations(facts, [r for r in ranked if r.possible], [r for r in ranked if not r.possible])


def recommendations_for(user, client: Client, *, today: date | None = None) -> Recommendations:
    """The recommendations for ``client`` as ``user`` may see them. The caller looked the client up through
    ``caseload.selectors.client_detail`` (scope); this checks the role (``roles.SEES_RECOMMENDATIONS``)."""
    if not user.has_role(roles.SEES_RECOMMENDATIONS):
        raise PermissionDenied
    return recommendations_for_client(client, today=today)


def decisions_of(client: Client):
    """Every decision on a recommendation for the client, newest first."""
    return RecommendationDecision.objects.filter(client=client).select_related("approach", "decided_by")
