"""Stepped selection of candidates for one approach (issue 5): who of the caseload may qualify, ranked and explained.

Seed 000 describes selection for an approach as *getrapt* (stepped): "First selection from files. This is done by the
klantmanager using data in the *bestanden* (files) … Selection is usually **getrapt** (stepped): first who might
qualify, then who is really suitable" (sources/seed-000.md L132–133, §2.5 step 2), followed by the invitation
(step 3, L134–139) and the intake in conversation (step 4). With broad approaches "*De selectie kan dan via
bestanden plaatsvinden*", but characteristics "*die niet in bestanden zitten*" need a conversation (L509, source
L1955–1959); and each step loses people: "12 candidates were seen to get 5" (Aandacht doet bewegen, L325), and
"recruiting and selecting enough clients often stalls inflow" (§7 pitfalls). So the funnel is kept and shown:

1. **caseload** — the clients with a running benefit the user works with (a client manager: their own caseload; a
   team lead: the clients of their teams), narrowed by the optional filters (team, years on benefit, client group);
2. **meets the entry criteria** — one SQL filter over that caseload translating the approach's hard criteria
   (regime, trede range, hours a week, age range, language level, driving licence; the local offer's capacity)
   against the latest current ladder step and the latest current intake of each client. An unknown fact never
   excludes: as in ``recommendations.recommend`` it becomes a question to ask in the conversation;
3. **shortlist** — the same ``recommend`` rules run on those clients (so the reasons shown are exactly the
   recommendation's sentences, and a test proves the SQL filter and the rules agree), ranked by its score; the top
   ``limit`` are shown, and the user decides whom to invite (``selection_services``).

Nothing here reads health, addiction, origin, the special ZRM domains or sex: the facts are ``ClientFacts``, read by
``selectors.facts_from`` from the same fields as a single client's recommendation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from kansrijk.accounts import roles
from kansrijk.accounts.models import Team
from kansrijk.caseload.models import Client
from kansrijk.caseload.selectors import clients_for
from kansrijk.core.bulk import paused_gc
from kansrijk.diagnosis.instruments import ZRM_SPECIAL_DOMAINS
from kansrijk.diagnosis.models import Intake, LadderMeasurement, ZrmMeasurement, ZrmScore
from kansrijk.inview.models import ClientSegment, Segment
from kansrijk.trajectories.selectors import outcome_lookup

from .models import CandidateInvitation, CandidateSelection, InvitationStatus
from .recommendations import (
    LANGUAGE_ORDER,
    Candidate,
    ClientFacts,
    Reason,
    Recommendation,
    _required_language,
    recommend,
)
from .selectors import INTAKE_FIELDS, active_offer, candidates_for, facts_from

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
# Ids per IN list when reading the facts of the clients that meet the criteria (well under every database's limit).
CHUNK = 5000
DUTCH_FIELDS = ("dutch_speaking", "dutch_listening", "dutch_reading", "dutch_writing")


@dataclass(frozen=True)
class SelectionCriteria:
    """What the user chose: the approach (of the municipality's local offer) and the optional narrowing of the
    caseload. ``limit`` is the length of the shortlist shown."""

    municipality_id: int
    approach_id: int
    team_id: int | None = None
    min_benefit_years: int | None = None
    segment_id: int | None = None
    limit: int = DEFAULT_LIMIT

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Shortlisted:
    """A client that meets the criteria, with the recommendation for the approach (score, reasons, open questions)."""

    client_id: int
    rank: int
    recommendation: Recommendation
    client: Client | None = None  # loaded for the shown part of the shortlist only

    @property
    def score(self) -> int:
        return self.recommendation.score


@dataclass
class SelectionResult:
    criteria: SelectionCriteria
    candidate: Candidate
    # Reasons that hold for the offer itself (no places free), whoever the client: then nobody meets the criteria.
    offer_unmet: list[Reason]
    counts: dict[str, int]
    shortlist: list[Shortlisted] = field(default_factory=list)  # the shown part, rank order

    @property
    def shown_ids(self) -> list[int]:
        return [item.client_id for item in self.shortlist]


# --- Step 1: the caseload --------------------------------------------------------------------------------------------


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def selection_caseload(user, criteria: SelectionCriteria) -> QuerySet[Client]:
    """The clients with a running benefit the user selects from: a client manager their own caseload, a team lead the
    clients of their teams (or of one of them)."""
    clients = clients_for(user).filter(municipality_id=criteria.municipality_id, active_spell_start__isnull=False)
    if user.has_role(roles.SELECTS_FOR_TEAMS):
        # Said as "in these teams" (not only "in scope") so that the planner estimates the teams' rows, as the
        # worklist does (inview.selectors.worklist_clients).
        if criteria.team_id:
            return clients.filter(team_id=criteria.team_id)
        return clients.filter(team__in=user.teams.all())
    return clients.filter(client_manager=user)


def with_filters(clients: QuerySet[Client], criteria: SelectionCriteria, today: date) -> QuerySet[Client]:
    """The optional filters the user set beside the approach's criteria."""
    if criteria.min_benefit_years:
        clients = clients.filter(active_spell_start__lte=_years_before(today, criteria.min_benefit_years))
    if criteria.segment_id:
        clients = clients.filter(Exists(ClientSegment.objects.filter(client=OuterRef("pk"),
                                                                     segment_id=criteria.segment_id)))
    return clients


# --- Step 2: the approach's hard criteria as one SQL filter -----------------------------------------------------------


def _latest(model, field_name: str):
    """The field of the client's latest current record (the order of ``Meta.ordering`` and of ``current().first()``),
    one probe of the (client, date) index per client."""
    return Subquery(model.objects.filter(client=OuterRef("pk"), corrected_by__isnull=True)
                    .order_by("-measured_on", "-id").values(field_name)[:1])


def with_latest(clients: QuerySet[Client]) -> QuerySet[Client]:
    """Annotate the latest current trede and the id of the latest current intake."""
    return clients.annotate(latest_trede=_latest(LadderMeasurement, "trede"),
                            latest_intake_id=_latest(Intake, "id"))


def _intake_violations(candidate: Candidate) -> Q | None:
    """The intake values that fail one of the approach's criteria (unknown values fail nothing)."""
    violations = []
    if candidate.regimes:
        violations.append(~Q(regime="") & ~Q(regime__in=candidate.regimes))
    if candidate.min_hours_per_week is not None and candidate.min_hours_per_week > 0:
        violations.append(Q(hours_per_week__lt=candidate.min_hours_per_week))
    required = _required_language(candidate.language_level)
    if required:
        below = LANGUAGE_ORDER[:LANGUAGE_ORDER.index(required)]
        if below:
            for name in DUTCH_FIELDS:
                violations.append(Q(**{f"{name}__in": below}))
    if "rijbewijs" in (candidate.entry_criteria or "").lower():
        violations.append(Q(driving_licence=False))
    if not violations:
        return None
    combined = violations[0]
    for violation in violations[1:]:
        combined |= violation
    return combined


def offer_unmet(candidate: Candidate) -> list[Reason]:
    """What the offer itself fails (not offered, no places), whoever the client: ``recommend`` for a client of whom
    nothing is known says it in its own words."""
    [rec] = recommend(ClientFacts(), [candidate])
    return [reason for reason in rec.unmet if reason.code in ("aanbod", "capaciteit")]


def entry_criteria_filter(candidate: Candidate, today: date) -> Q:
    """The approach's hard criteria as a filter on a queryset annotated by ``with_latest``. The SQL side of
    ``recommendations._hard_criteria``: a client passes when no known fact fails a criterion (an unknown fact is a
    question, not an exclusion). ``test_selection`` proves it agrees with ``recommend`` on random clients."""
    if offer_unmet(candidate):
        return Q(pk__in=[])
    condition = Q()
    if candidate.trede_min is not None or candidate.trede_max is not None:
        low, high = candidate.trede_min or 1, candidate.trede_max or 6
        condition &= Q(latest_trede__isnull=True) | Q(latest_trede__gte=low, latest_trede__lte=high)
    if candidate.age_min is not None or candidate.age_max is not None:
        # Age as on 1 July of this year, from the birth year (``selectors.facts_from``); an unknown birth year is 0.
        in_range = Q()
        if candidate.age_min is not None:
            in_range &= Q(birth_year__lte=today.year - candidate.age_min)
        if candidate.age_max is not None:
            in_range &= Q(birth_year__gte=today.year - candidate.age_max)
        condition &= in_range | Q(birth_year=0)
    violations = _intake_violations(candidate)
    if violations is not None:
        condition &= ~Exists(Intake.objects.filter(violations, pk=OuterRef("latest_intake_id")))
    return condition


# --- Step 3: the recommendation's rules on those clients --------------------------------------------------------------


def facts_for(rows: list[tuple], today: date) -> dict[int, ClientFacts]:
    """``ClientFacts`` for many clients at once from rows of (id, birth year, start of the running benefit, latest
    trede, latest intake id): the intakes and the latest ZRMs' low non-special domains in a query each per
    ``CHUNK`` clients. Built by ``selectors.facts_from``, as for one client."""
    intake_ids = [row[4] for row in rows if row[4] is not None]
    intakes: dict[int, dict] = {}
    for start in range(0, len(intake_ids), CHUNK):
        for values in Intake.objects.filter(pk__in=intake_ids[start:start + CHUNK]).values("id", *INTAKE_FIELDS):
            intakes[values.pop("id")] = values
    client_ids = [row[0] for row in rows]
    low: dict[int, list[str]] = {}
    for start in range(0, len(client_ids), CHUNK):
        latest_zrm = Subquery(ZrmMeasurement.objects.filter(client=OuterRef("measurement__client_id"),
                                                            corrected_by__isnull=True)
                              .order_by("-measured_on", "-id").values("id")[:1])
        scores = (ZrmScore.objects.filter(measurement__client_id__in=client_ids[start:start + CHUNK], level__lte=2)
                  .exclude(domain__in=ZRM_SPECIAL_DOMAINS).filter(measurement_id=latest_zrm)
                  .values_list("measurement__client_id", "domain"))
        for client_id, domain in scores:
            low.setdefault(client_id, []).append(domain)
    return {
        client_id: facts_from(birth_year=birth_year, active_spell_start=spell_start, trede=trede,
                              low_zrm_domains=low.get(client_id, ()), intake=intakes.get(intake_id, {}),
                              today=today)
        for client_id, birth_year, spell_start, trede, intake_id in rows
    }


def check_criteria(user, criteria: SelectionCriteria) -> None:
    """Who may select what: the role, a municipality of the user's, one of their own teams, a client group of that
    municipality, a shortlist length within bounds. PermissionDenied or ValidationError (Dutch messages)."""
    if not user.has_role(roles.SELECTS_CANDIDATES):
        raise PermissionDenied
    errors = {}
    if not user.municipalities.filter(pk=criteria.municipality_id).exists():
        errors["municipality"] = "Kies een gemeente waarvoor u werkt."
    if criteria.team_id is not None and not (
            user.has_role(roles.SELECTS_FOR_TEAMS)
            and user.teams.filter(pk=criteria.team_id, municipality_id=criteria.municipality_id).exists()):
        errors["team"] = "Kies een van uw eigen teams in deze gemeente."
    if criteria.segment_id is not None:
        if not Segment.objects.filter(pk=criteria.segment_id,
                                      segmentation__municipality_id=criteria.municipality_id).exists():
            errors["segment"] = "Kies een klantgroep van deze gemeente."
    if criteria.min_benefit_years is not None and not 1 <= criteria.min_benefit_years <= 50:
        errors["min_benefit_years"] = "Vul een aantal jaren van 1 tot en met 50 in."
    if not 1 <= criteria.limit <= MAX_LIMIT:
        errors["limit"] = f"Toon 1 tot en met {MAX_LIMIT} cliënten op de shortlist."
    if "municipality" not in errors and not active_offer(criteria.municipality_id).filter(
            approach_id=criteria.approach_id).exists():
        errors["approach"] = "Deze aanpak wordt in deze gemeente nu niet aangeboden."
    if errors:
        raise ValidationError(errors)


def candidate_for(municipality_id: int, approach_id: int) -> Candidate | None:
    """The approach as the recommendation sees it in this municipality's local offer (kept candidates)."""
    return next((c for c in candidates_for(municipality_id) if c.approach_id == approach_id), None)


def select_candidates(user, criteria: SelectionCriteria, *, today: date | None = None) -> SelectionResult:
    """The stepped selection for ``user``: the count at every step and the shown part of the ranked shortlist, with
    each client's recommendation for the approach. Checks role and scope (``check_criteria``). A fixed number of
    queries whatever the size of the shortlist (one more per ``CHUNK`` clients meeting the criteria)."""
    check_criteria(user, criteria)
    return _select(selection_caseload(user, criteria), criteria, today=today)


def select_in_municipality(criteria: SelectionCriteria, *, today: date | None = None) -> SelectionResult:
    """The selection over every client of the municipality, without a user (the operator's management command)."""
    if not active_offer(criteria.municipality_id).filter(approach_id=criteria.approach_id).exists():
        raise ValidationError({"approach": "Deze aanpak wordt in deze gemeente nu niet aangeboden."})
    caseload = Client.objects.filter(municipality_id=criteria.municipality_id, active_spell_start__isnull=False)
    return _select(caseload, criteria, today=today)


@paused_gc()
def _select(caseload: QuerySet[Client], criteria: SelectionCriteria, *, today: date | None) -> SelectionResult:
    today = today or timezone.localdate()
    candidate = candidate_for(criteria.municipality_id, criteria.approach_id)
    if candidate is None:  # withdrawn between the check and now
        raise ValidationError({"approach": "Deze aanpak wordt in deze gemeente nu niet aangeboden."})
    counts = {"caseload": caseload.count()}
    filtered = with_filters(caseload, criteria, today)
    has_filters = bool(criteria.min_benefit_years or criteria.segment_id)
    counts["filtered"] = filtered.count() if has_filters else counts["caseload"]
    rows = list(with_latest(filtered).filter(entry_criteria_filter(candidate, today)).values_list(
        "pk", "birth_year", "active_spell_start", "latest_trede", "latest_intake_id"))
    facts = facts_for(rows, today)
    ranked = []
    # Clients with the same facts get the same recommendation; many share them (nothing measured yet, the same trede
    # and age), and the rules are most of the cost of a large selection. The facts are the whole input of the rules.
    seen: dict[ClientFacts, Recommendation] = {}
    outcomes_for = outcome_lookup(criteria.municipality_id)
    for client_id, client_facts in facts.items():
        rec = seen.get(client_facts)
        if rec is None:
            [rec] = recommend(client_facts, [candidate], outcomes_for(client_facts.trede))
            seen[client_facts] = rec
        if rec.possible:  # always, when the filter and the rules agree
            ranked.append((client_id, rec))
    ranked.sort(key=lambda pair: (-pair[1].score, pair[0]))
    counts["meets_criteria"] = len(ranked)
    shown = ranked[:criteria.limit]
    counts["shortlist"] = len(shown)
    clients = {}
    if shown:
        clients = {c.pk: c for c in Client.objects.filter(pk__in=[client_id for client_id, _rec in shown])
                   .select_related("client_manager", "team")}
    shortlist = []
    for position, (client_id, rec) in enumerate(shown, start=1):
        rec = replace(rec, rank=position)  # shared between clients with the same facts: a copy per place
        shortlist.append(Shortlisted(client_id, position, rec, clients.get(client_id)))
    return SelectionResult(criteria, candidate, offer_unmet(candidate), counts, shortlist)


# --- Reading recorded selections and invitations ---------------------------------------------------------------------


def _own_clients(user) -> QuerySet[Client]:
    """The clients whose invitations the user follows: a team lead the clients of their teams, a client manager
    their own caseload."""
    clients = clients_for(user)
    if user.has_role(roles.SELECTS_FOR_TEAMS):
        return clients.filter(team__in=user.teams.all())
    return clients.filter(client_manager=user)


def selections_for(user) -> QuerySet:
    """The selections a user follows: those they made, and those with invitations of their (teams') clients."""
    if not user.has_role(roles.SELECTS_CANDIDATES):
        return CandidateSelection.objects.none()
    theirs = CandidateInvitation.objects.filter(selection=OuterRef("pk"), client__in=_own_clients(user))
    return (CandidateSelection.objects.filter(municipality__in=user.municipalities.all())
            .filter(Q(created_by=user) | Q(Exists(theirs))).select_related("approach", "created_by", "municipality"))


def invitations_of(selection, user) -> QuerySet:
    """The selection's invitations of clients the user follows, in shortlist order."""
    return (CandidateInvitation.objects.filter(selection=selection, client__in=_own_clients(user))
            .select_related("client", "client_manager", "decided_by", "invited_by").order_by("rank", "id"))


def funnel(selection, user) -> list[dict]:
    """The stepped funnel of a recorded selection: the counts of the selection itself, then what became of the
    shortlist (invited, registered), with the drop-off at each step. One query."""
    status = CandidateInvitation.objects.filter(selection=selection, client__in=_own_clients(user)).aggregate(
        shortlist=Count("pk"),
        open=Count("pk", filter=Q(status=InvitationStatus.VOORGESTELD)),
        invited=Count("pk", filter=Q(invited_at__isnull=False)),
        not_invited=Count("pk", filter=Q(status=InvitationStatus.AFGEZIEN, invited_at__isnull=True)),
        registered=Count("pk", filter=Q(status=InvitationStatus.AANGEMELD)),
        dropped=Count("pk", filter=Q(status=InvitationStatus.AFGEZIEN, invited_at__isnull=False)))
    counts = selection.counts
    return [{"key": key, "n": n} for key, n in (
        ("caseload", counts.get("caseload", 0)), ("filtered", counts.get("filtered", 0)),
        ("meets_criteria", counts.get("meets_criteria", 0)), ("shortlist", status["shortlist"]),
        ("open", status["open"]), ("not_invited", status["not_invited"]), ("invited", status["invited"]),
        ("dropped", status["dropped"]), ("registered", status["registered"]))]


def invitations_for(user, *, status: str = "") -> QuerySet:
    """Invitations of the user's own clients (a team lead: their teams'), newest selection first."""
    if not user.has_role(roles.SELECTS_CANDIDATES):
        return CandidateInvitation.objects.none()
    invitations = CandidateInvitation.objects.filter(client__in=_own_clients(user))
    if status:
        invitations = invitations.filter(status=status)
    return invitations.select_related("client", "selection__approach", "client_manager").order_by(
        "-selection__created_at", "rank", "id")


def invitations_of_client(client) -> QuerySet:
    """Every invitation of one client (the caller looked the client up in scope)."""
    return CandidateInvitation.objects.filter(client=client).select_related(
        "selection__approach", "selection__created_by", "decided_by").order_by("-selection__created_at", "-id")


def criteria_in_words(selection: CandidateSelection) -> list[str]:
    """The filters the user set beside the approach's own criteria, in words (for the selection's page)."""
    criteria = selection.criteria
    words = []
    if criteria.get("team_id"):
        team = Team.objects.filter(pk=criteria["team_id"]).first()
        words.append(_("team %(name)s") % {"name": team.name if team else "?"})
    if criteria.get("min_benefit_years"):
        words.append(_("minstens %(n)s jaar in de bijstand") % {"n": criteria["min_benefit_years"]})
    if criteria.get("segment_id"):
        segment = Segment.objects.filter(pk=criteria["segment_id"]).select_related("segmentation").first()
        words.append(_("klantgroep %(name)s") % {"name": str(segment) if segment else "?"})
    return words
