"""Reading employers, vacancies, job-seeker profiles, consent, proposals and placements, and matching clients and
vacancies both ways (issue 5). Scope: employers and vacancies belong to a municipality and are seen by the roles in
``roles.SEES_EMPLOYERS`` of that municipality; clients only through ``caseload.selectors.client_detail`` (scoped).

Candidate lists for a vacancy are computed over the vacancy's municipality, not the user's caseload: the employer
team looks for candidates across the whole municipality. Who a candidate is stays hidden unless the user may know:
the client's own client manager, the team lead of the client's team, or anyone seeing employers once the client and
the client manager have both consented (``ProfileConsent``, the HalloWerk pattern). Everyone else sees an anonymous
code that differs per vacancy (``anonymous_code``) and the factors, which hold no identifying data.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from kansrijk.accounts import roles
from kansrijk.accounts.roles import Role
from kansrijk.audit.services import log_bulk_access_by_ids
from kansrijk.caseload.models import Client
from kansrijk.core.pseudonyms import keyed_digest
from kansrijk.diagnosis.models import Intake, LadderMeasurement
from kansrijk.diagnosis.selectors import current

from ..models import (
    Employer,
    JobSeekerProfile,
    MatchProposal,
    Placement,
    ProfileConsent,
    Vacancy,
    VacancyInstrument,
    VacancyStatus,
)
from ..vacancy_matching import (
    SeekerFacts,
    VacancyFacts,
    VacancyMatch,
    match,
    prepare,
    rank_candidates,
    rank_vacancies,
)

# A candidate list shows the best few: a shortlist for a conversation, not a ranking of the whole municipality.
SHORTLIST = 25
# The pre-filtered pool scored in Python for one vacancy. Clients with a job-seeker profile come first (they are
# looking), then by trede (higher first); a municipality of 40,000 clients leaves a few thousand after the SQL filter.
POOL_LIMIT = 3000
WEEK_CANDIDATES = 5

INTAKE_FIELDS = ("id", "hours_per_week", "dutch_speaking", "dutch_listening", "dutch_reading", "dutch_writing",
                 "education", "driving_licence", "transport", "work_experience", "wishes", "work_exemption_until")
PROFILE_FIELDS = ("client_id", "desired_occupations", "desired_sectors", "home_postcode", "max_travel_minutes",
                  "available_from")
DUTCH_FIELDS = ("dutch_speaking", "dutch_listening", "dutch_reading", "dutch_writing")


# --- Employers and vacancies ----------------------------------------------------------------------------------------


def municipality_ids(user) -> list[int]:
    return list(user.municipalities.values_list("id", flat=True))


def employers_visible_to(user) -> QuerySet[Employer]:
    if not user.has_role(roles.SEES_EMPLOYERS):
        return Employer.objects.none()
    return Employer.objects.filter(municipality__in=user.municipalities.all())


@dataclass(frozen=True)
class EmployerFilters:
    q: str = ""
    sector: str = ""
    place: str = ""
    active: bool | None = True


def employer_list(*, user, filters: EmployerFilters) -> QuerySet[Employer]:
    """Employers of the user's municipalities, filtered, with their open vacancies counted (one query)."""
    qs = employers_visible_to(user).select_related("account_manager").annotate(
        open_vacancies=Count("vacancies", filter=Q(vacancies__status=VacancyStatus.OPEN)))
    if filters.q.strip():
        qs = qs.filter(Q(name__icontains=filters.q.strip()) | Q(kvk_number=filters.q.strip()))
    if filters.sector:
        qs = qs.filter(sector=filters.sector)
    if filters.place.strip():
        qs = qs.filter(place__iexact=filters.place.strip())
    if filters.active is not None:
        qs = qs.filter(active=filters.active)
    return qs.order_by("name", "id")


def employer_detail(*, user, pk: int) -> Employer | None:
    return employers_visible_to(user).select_related("municipality", "account_manager").filter(pk=pk).first()


def vacancies_visible_to(user) -> QuerySet[Vacancy]:
    if not user.has_role(roles.SEES_EMPLOYERS):
        return Vacancy.objects.none()
    return Vacancy.objects.filter(municipality__in=user.municipalities.all())


@dataclass(frozen=True)
class VacancyFilters:
    q: str = ""
    sector: str = ""
    status: str = ""
    place: str = ""
    employer: int | None = None


def with_instruments(qs: QuerySet[Vacancy]) -> QuerySet[Vacancy]:
    return qs.prefetch_related(Prefetch("instruments", queryset=VacancyInstrument.objects.order_by("instrument")))


def vacancy_list(*, user, filters: VacancyFilters) -> QuerySet[Vacancy]:
    """Vacancies of the user's municipalities, filtered, newest first, with employer and instruments (two queries)."""
    qs = with_instruments(vacancies_visible_to(user).select_related("employer"))
    q = filters.q.strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(occupation__icontains=q) | Q(employer__name__icontains=q))
    if filters.sector:
        qs = qs.filter(sector=filters.sector)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.place.strip():
        qs = qs.filter(place__iexact=filters.place.strip())
    if filters.employer:
        qs = qs.filter(employer_id=filters.employer)
    return qs.order_by("-opens_on", "-id")


def vacancy_detail(*, user, pk: int) -> Vacancy | None:
    return with_instruments(vacancies_visible_to(user).select_related("employer", "municipality")).filter(
        pk=pk).first()


def placements_of_employer(employer: Employer) -> QuerySet[Placement]:
    return employer.placements.select_related("vacancy").order_by("-started_on", "-id")


def vacancy_facts(vacancy: Vacancy) -> VacancyFacts:
    """A vacancy as the rules see it; its instruments should be prefetched (``with_instruments``)."""
    return VacancyFacts(
        vacancy_id=vacancy.pk, title=vacancy.title, occupation=vacancy.occupation, description=vacancy.description,
        sector=vacancy.sector, hours_min=vacancy.hours_min, hours_max=vacancy.hours_max, postcode=vacancy.postcode,
        place=vacancy.place, public_transport=vacancy.public_transport, education_min=vacancy.education_min,
        dutch_min=vacancy.dutch_min, physical_demand=vacancy.physical_demand,
        driving_licence_required=vacancy.driving_licence_required,
        instruments=tuple(i.instrument for i in vacancy.instruments.all()), banenafspraak=vacancy.banenafspraak,
        closes_on=vacancy.closes_on, opens_on=vacancy.opens_on)


def open_vacancies(municipality_id: int, today: date) -> QuerySet[Vacancy]:
    """Open vacancies that have opened and not closed on ``today``."""
    return with_instruments(Vacancy.objects.filter(
        municipality_id=municipality_id, status=VacancyStatus.OPEN, opens_on__lte=today)
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today)).select_related("employer"))


# --- Job seekers ----------------------------------------------------------------------------------------------------


def _seeker(client_id: int, trede, intake: dict | None, profile: dict | None, today: date) -> SeekerFacts:
    intake, profile = intake or {}, profile or {}
    return SeekerFacts(
        client_id=client_id, trede=trede, hours_per_week=intake.get("hours_per_week"),
        dutch=tuple(intake[f] for f in DUTCH_FIELDS if intake.get(f)), education=intake.get("education") or "",
        driving_licence=intake.get("driving_licence"), transport=intake.get("transport") or "",
        wishes=intake.get("wishes") or "", work_experience=intake.get("work_experience") or "",
        desired_occupations=profile.get("desired_occupations") or "",
        desired_sectors=tuple(profile.get("desired_sectors") or ()), home_postcode=profile.get("home_postcode") or "",
        max_travel_minutes=profile.get("max_travel_minutes"), available_from=profile.get("available_from"),
        work_exemption_until=intake.get("work_exemption_until"), today=today)


def seeker_facts(client: Client, *, today: date | None = None) -> SeekerFacts:
    """What matching may know of ``client``: the latest current trede and intake (ordinary fields only; health and
    addiction live in another table that is never joined) and the job-seeker profile. Three queries."""
    today = today or timezone.localdate()
    trede = current(LadderMeasurement.objects.filter(client=client)).order_by(
        "-measured_on", "-id").values_list("trede", flat=True).first()
    intake = current(Intake.objects.filter(client=client)).order_by("-measured_on", "-id").values(
        *INTAKE_FIELDS).first()
    profile = JobSeekerProfile.objects.filter(client=client).values(*PROFILE_FIELDS).first()
    return _seeker(client.pk, trede, intake, profile, today)


def job_seeker_profile(client: Client) -> JobSeekerProfile | None:
    return JobSeekerProfile.objects.filter(client=client).select_related("updated_by").first()


# --- Consent --------------------------------------------------------------------------------------------------------


def active_consent(client: Client) -> ProfileConsent | None:
    """The consent in force: given by client and client manager, not withdrawn."""
    return ProfileConsent.objects.filter(client=client, withdrawn_at__isnull=True).first()


def consent_history(client: Client) -> QuerySet[ProfileConsent]:
    return ProfileConsent.objects.filter(client=client).select_related("manager_consented_by", "withdrawn_by")


def consented_ids(client_ids) -> set[int]:
    return set(ProfileConsent.objects.filter(client_id__in=list(client_ids), withdrawn_at__isnull=True)
               .values_list("client_id", flat=True))


def anonymous_code(vacancy_id: int, client_id: int) -> str:
    """A candidate's code on one vacancy's list: derived with a keyed hash, so it is neither the client number nor
    the id, cannot be reversed without the server's key, and differs per vacancy so two lists cannot be linked."""
    digest = keyed_digest(settings.SECRET_KEY.encode(), "kandidaat", vacancy_id, client_id)
    return f"K-{digest[:8].upper()}"


def _named(user, row: dict, consented: set[int], team_ids: set[int]) -> bool:
    """Whether ``user`` may see who the candidate in ``row`` is (see the module docstring)."""
    if user.role == Role.KLANTMANAGER:
        return row["client_manager_id"] == user.pk
    if user.role == Role.TEAMLEIDER:
        return row["team_id"] is not None and row["team_id"] in team_ids
    if user.role == Role.WERKGEVERSDIENSTVERLENER:
        return row["id"] in consented
    return False


def nameable_ids(user, clients) -> set[int]:
    """The ids of ``clients`` whose name ``user`` may see (``_named``), in at most three queries for any number."""
    clients = list(clients)
    team_ids = set(user.teams.values_list("id", flat=True)) if user.role == Role.TEAMLEIDER else set()
    consented = consented_ids([c.pk for c in clients]) if user.role == Role.WERKGEVERSDIENSTVERLENER else set()
    own = set(municipality_ids(user))
    return {c.pk for c in clients if c.municipality_id in own and _named(
        user, {"id": c.pk, "client_manager_id": c.client_manager_id, "team_id": c.team_id}, consented, team_ids)}


def may_name(user, client: Client) -> bool:
    return client.pk in nameable_ids(user, [client])


# --- Direction 1: vacancies for a client ----------------------------------------------------------------------------


def vacancies_for_client(user, client: Client, *, today: date | None = None) -> list[VacancyMatch]:
    """The open vacancies of the client's municipality for ``client``, possible ones first. The caller looked the
    client up through ``client_detail`` (scope); this checks the role. Five queries."""
    if not user.has_role(roles.MATCHES_VACANCIES) or not user.has_role(roles.SEES_TEAM_CLIENTS):
        raise PermissionDenied
    today = today or timezone.localdate()
    vacancies = list(open_vacancies(client.municipality_id, today))
    by_id = {v.pk: v for v in vacancies}
    matches = rank_vacancies(seeker_facts(client, today=today), [vacancy_facts(v) for v in vacancies])
    for m in matches:
        m.vacancy_obj = by_id[m.vacancy.vacancy_id]
    return matches


def vacancy_matching_snapshot(client: Client, vacancy: Vacancy) -> dict:
    """The factors of ``client`` against ``vacancy`` as they stand now, for keeping with a proposal."""
    return match(seeker_facts(client), vacancy_facts(with_instruments(Vacancy.objects.filter(pk=vacancy.pk)).get()
                                                     )).snapshot()


# --- Direction 2: candidates for a vacancy --------------------------------------------------------------------------


def candidate_pool(municipality_id: int, *, today: date, hours_min: int | None = None,
                   profiles_only: bool = False, limit: int = POOL_LIMIT) -> list[tuple[dict, SeekerFacts]]:
    """The clients who may qualify for paid work, pre-filtered in SQL: in the municipality, on benefit now, not
    placed now, latest trede 3 or higher or unknown, and (with ``hours_min``) able to work those hours or unknown.
    Returns (row, facts) pairs; row holds id, client_manager_id and team_id. Three queries whatever the pool size."""
    ladder = current(LadderMeasurement.objects.filter(client=OuterRef("pk"))).order_by("-measured_on", "-id")
    intake = current(Intake.objects.filter(client=OuterRef("pk"))).order_by("-measured_on", "-id")
    qs = (Client.objects.filter(municipality_id=municipality_id, active_spell_start__isnull=False)
          .annotate(trede=Subquery(ladder.values("trede")[:1]),
                    intake_id=Subquery(intake.values("id")[:1]),
                    intake_hours=Subquery(intake.values("hours_per_week")[:1]),
                    has_profile=Exists(JobSeekerProfile.objects.filter(client=OuterRef("pk"))))
          .filter(Q(trede__isnull=True) | Q(trede__gte=3))
          .exclude(Exists(Placement.objects.filter(client=OuterRef("pk"), ended_on__isnull=True))))
    if hours_min:
        qs = qs.filter(Q(intake_hours__isnull=True) | Q(intake_hours__gte=hours_min))
    if profiles_only:
        qs = qs.filter(has_profile=True)
    rows = list(qs.order_by("-has_profile", "-trede", "pk")
                .values("id", "client_manager_id", "team_id", "trede", "intake_id")[:limit])
    intakes = {i["id"]: i for i in Intake.objects.filter(
        id__in=[r["intake_id"] for r in rows if r["intake_id"]]).values(*INTAKE_FIELDS)}
    profiles = {p["client_id"]: p for p in JobSeekerProfile.objects.filter(
        client_id__in=[r["id"] for r in rows]).values(*PROFILE_FIELDS)}
    return [(r, _seeker(r["id"], r["trede"], intakes.get(r["intake_id"]), profiles.get(r["id"]), today))
            for r in rows]


@dataclass
class CandidateRow:
    """One candidate on a vacancy's list: the anonymous code always, the client only when the user may know who
    it is (``client`` None otherwise), the match with its factors, and the proposal if one was made."""

    code: str
    match: VacancyMatch
    consented: bool
    client: Client | None = None
    proposal: MatchProposal | None = None


def _named_clients(user, named_ids: list[int], view: str) -> dict[int, Client]:
    if not named_ids:
        return {}
    clients = {c.pk: c for c in Client.objects.filter(pk__in=named_ids).select_related("client_manager").only(
        "pk", "client_number", "given_names", "family_name", "municipality_id", "team_id", "client_manager_id",
        "client_manager__first_name", "client_manager__last_name", "client_manager__username")}
    log_bulk_access_by_ids(user=user, client_ids=list(clients), view=view)
    return clients


def _rows(user, vacancy_id: int, ranked: list[VacancyMatch], pool_rows: dict[int, dict], consented: set[int],
          team_ids: set[int], clients: dict[int, Client], proposals: dict[int, MatchProposal]) -> list[CandidateRow]:
    rows = []
    for m in ranked:
        client_id = m.seeker.client_id
        named = _named(user, pool_rows[client_id], consented, team_ids)
        rows.append(CandidateRow(code=anonymous_code(vacancy_id, client_id), match=m,
                                 consented=client_id in consented, client=clients.get(client_id) if named else None,
                                 proposal=proposals.get(client_id)))
    return rows


def candidates_for_vacancy(user, vacancy: Vacancy, *, today: date | None = None, limit: int = SHORTLIST,
                           view: str = "kandidaten_vacature") -> list[CandidateRow]:
    """Direction 2: the best candidates for ``vacancy`` (looked up through ``vacancy_detail``), possible ones only,
    by score. Named candidates get an access record under ``view``; anonymous ones hold no personal data and get
    none. Seven queries at most, whatever the size of the municipality."""
    if not user.has_role(roles.MATCHES_VACANCIES):
        raise PermissionDenied
    today = today or timezone.localdate()
    pool = candidate_pool(vacancy.municipality_id, today=today, hours_min=vacancy.hours_min)
    pool_rows = {row["id"]: row for row, _facts in pool}
    ranked = rank_candidates(vacancy_facts(vacancy), [facts for _row, facts in pool], limit=limit)
    return _decorate(user, {vacancy.pk: ranked}, pool_rows, view)[vacancy.pk]


def _decorate(user, ranked_per_vacancy: dict[int, list[VacancyMatch]], pool_rows: dict[int, dict],
              view: str) -> dict[int, list[CandidateRow]]:
    shown = {m.seeker.client_id for ranked in ranked_per_vacancy.values() for m in ranked}
    consented = consented_ids(shown)
    team_ids = set(user.teams.values_list("id", flat=True)) if user.role == Role.TEAMLEIDER else set()
    named_ids = [cid for cid in shown if _named(user, pool_rows[cid], consented, team_ids)]
    clients = _named_clients(user, sorted(named_ids), view)
    proposals: dict[tuple[int, int], MatchProposal] = {
        (p.vacancy_id, p.client_id): p for p in MatchProposal.objects.filter(
            vacancy_id__in=list(ranked_per_vacancy), client_id__in=list(shown))}
    return {vid: _rows(user, vid, ranked, pool_rows, consented, team_ids, clients,
                       {cid: p for (pv, cid), p in proposals.items() if pv == vid})
            for vid, ranked in ranked_per_vacancy.items()}


def resolve_candidate(user, vacancy: Vacancy, code: str) -> int | None:
    """The client id behind an anonymous ``code`` on ``vacancy``'s list, searched in the vacancy's candidate pool;
    None when no candidate has that code. Lets the employer team suggest a candidate without seeing who it is."""
    if not user.has_role(roles.MATCHES_VACANCIES):
        raise PermissionDenied
    for row, _facts in candidate_pool(vacancy.municipality_id, today=timezone.localdate()):
        if hmac.compare_digest(anonymous_code(vacancy.pk, row["id"]), code):
            return row["id"]
    return None


def proposable_client(user, vacancy: Vacancy, *, client_id: int | None, code: str = "") -> Client | None:
    """The client a new proposal for ``vacancy`` names: by the anonymous ``code`` on the vacancy's candidate list,
    or by id. By id only a client the user may know who it is: for roles with clients of their own, any client of
    the vacancy's municipality (``services.propose`` checks their scope); for the employer team, a consented one (an
    id must not let them attach factors to a client they only know by code). None otherwise, as for an unknown id."""
    by_code = client_id is None and bool(code)
    if by_code:
        client_id = resolve_candidate(user, vacancy, code.strip().upper())
    client = Client.objects.filter(pk=client_id, municipality_id=vacancy.municipality_id).first() \
        if client_id else None
    if client is None or by_code or user.has_role(roles.SEES_TEAM_CLIENTS) or may_name(user, client):
        return client
    return None


# --- The weekly matching list (Steenwijkerland model) ---------------------------------------------------------------


def week_bounds(year: int, week: int) -> tuple[date, date]:
    monday = date.fromisocalendar(year, week, 1)
    return monday, monday + timedelta(days=6)


def parse_week(raw: str | None, today: date | None = None) -> tuple[int, int] | None:
    """``2026-W07`` → (2026, 7); empty → this week; anything else None."""
    today = today or timezone.localdate()
    if not raw:
        year, week, _day = today.isocalendar()
        return year, week
    raw = raw.strip().upper()
    if len(raw) not in (7, 8) or raw[4:6] != "-W" or not raw[:4].isdigit() or not raw[6:].isdigit():
        return None
    year, week = int(raw[:4]), int(raw[6:])
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        return None
    return year, week


@dataclass
class WeekVacancy:
    vacancy: Vacancy
    new: bool
    candidates: list[CandidateRow] = field(default_factory=list)


@dataclass
class MatchingList:
    year: int
    week: int
    monday: date
    sunday: date
    vacancies: list[WeekVacancy]

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"


def _week_ranking(municipality_id: int, year: int, week: int, per_vacancy: int):
    monday, sunday = week_bounds(year, week)
    # Open now and open during that week: the list is for the meeting, about what can still be filled.
    vacancies = list(with_instruments(Vacancy.objects.filter(
        municipality_id=municipality_id, status=VacancyStatus.OPEN, opens_on__lte=sunday)
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=monday)).select_related("employer"))
        .order_by("-opens_on", "-id"))
    pool = candidate_pool(municipality_id, today=sunday, profiles_only=True)
    pool_rows = {row["id"]: row for row, _facts in pool}
    prepared = [prepare(facts) for _row, facts in pool]
    ranked = {v.pk: rank_candidates(vacancy_facts(v), prepared, limit=per_vacancy) for v in vacancies}
    return monday, sunday, vacancies, pool_rows, ranked


def _week_list(year, week, monday, sunday, vacancies, rows) -> MatchingList:
    items = [WeekVacancy(v, monday <= v.opens_on <= sunday, rows[v.pk]) for v in vacancies]
    items.sort(key=lambda item: (not item.new, -item.vacancy.opens_on.toordinal(), -item.vacancy.pk))
    return MatchingList(year, week, monday, sunday, items)


def matching_list(user, municipality_id: int, year: int, week: int, *, per_vacancy: int = WEEK_CANDIDATES,
                  view: str = "matchlijst") -> MatchingList:
    """The weekly matching list: the vacancies open in that week, those opened in the week first, each with its best
    candidates among the job seekers (clients with a job-seeker profile: the meeting discusses the people who are
    looking). Names follow the same rule as a vacancy's candidate list. A fixed number of queries."""
    if not user.has_role(roles.MATCHES_VACANCIES) or municipality_id not in municipality_ids(user):
        raise PermissionDenied
    monday, sunday, vacancies, pool_rows, ranked = _week_ranking(municipality_id, year, week, per_vacancy)
    return _week_list(year, week, monday, sunday, vacancies, _decorate(user, ranked, pool_rows, view))


def anonymous_list(municipality_id: int, year: int, week: int, *, per_vacancy: int = WEEK_CANDIDATES
                   ) -> MatchingList:
    """The weekly matching list with every candidate anonymous (for the operator's command): no personal data, so
    no access record."""
    monday, sunday, vacancies, _pool_rows, ranked = _week_ranking(municipality_id, year, week, per_vacancy)
    rows = {vid: [CandidateRow(code=anonymous_code(vid, m.seeker.client_id), match=m, consented=False)
                  for m in matches] for vid, matches in ranked.items()}
    return _week_list(year, week, monday, sunday, vacancies, rows)


# --- Proposals and placements ---------------------------------------------------------------------------------------


def proposals_of_client(client: Client) -> QuerySet[MatchProposal]:
    return client.match_proposals.select_related("vacancy__employer", "updated_by")


def proposals_of_vacancy(vacancy: Vacancy) -> QuerySet[MatchProposal]:
    return vacancy.proposals.select_related("client", "updated_by")


def placements_of_client(client: Client) -> QuerySet[Placement]:
    return client.placements.select_related("employer", "vacancy", "created_by")


def counts() -> dict[str, int]:
    return {"employers": Employer.objects.count(), "vacancies": Vacancy.objects.count(),
            "placements": Placement.objects.count()}
