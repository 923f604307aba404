"""Every route × every role (and anonymous): the expected answer. A route without an entry fails the suite,
so nobody adds a page or endpoint without deciding who may use it."""

import functools
import re
from datetime import date

import pytest
from django.test import Client as DjangoClient
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from kansrijk.accounts import roles
from kansrijk.accounts.roles import Role
from kansrijk.caseload.models import ImportRun
from kansrijk.catalogue.tests.factories import approach, working_element
from kansrijk.inview.models import Campaign
from kansrijk.matching.models import (
    CandidateInvitation,
    CandidateSelection,
    Employer,
    EmployerContact,
    JobSeekerProfile,
    MatchProposal,
    Placement,
    Vacancy,
)
from kansrijk.trajectories.models import AftercareTask
from kansrijk.trajectories.services import GoalInput, PlanInput, save_plan
from kansrijk.trajectories.tests.factories import accepted, delivery, refer

ALL = frozenset(Role)
ANON = "anonymous"


def _names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            if namespace.startswith(ADMIN_PREFIX):
                names.add(f"{namespace}{pattern.name}")
                continue
            assert pattern.name, f"Route {pattern.pattern} has no name; name it and add it to the matrix."
            names.add(f"{namespace}{pattern.name}")
    return names


def web(allowed: frozenset, ok: int = 200, method: str = "get", denied: int = 403, anon: int = 302):
    return {"allowed": allowed, "ok": ok, "method": method, "denied": denied, "anon": anon}


def api(allowed: frozenset, ok: int = 200, method: str = "get", anon: int = 401):
    return {"allowed": allowed, "ok": ok, "method": method, "denied": 403, "anon": anon}


CLIENT = "client"
RUN = "run"
APPROACH = "approach"
CAMPAIGN = "campaign"
PLAN = "plan"
API_PLAN = "api_plan"
NESTED = "client_pk"
EMPLOYER = "employer"
CONTACT = "contact"
VACANCY = "vacancy"
PROPOSAL = "proposal"
PLACEMENT = "placement"
API_PLACEMENT = "api_placement"
SEES_JOB_SEEKER = roles.SEES_EMPLOYERS & roles.SEES_TEAM_CLIENTS
SELECTION = "selection"
INVITATION = "invitation"
# Referrals and trajectories: the world's own client referred to the provider of the world's 'aanbieder'.
REFERRAL = "referral"
TRAJECTORY = "trajectory"
AFTERCARE = "aftercare"
PILOT = "pilot"
MATRIX = {
    "core:home": (web(ALL), None),
    "accounts:login": (web(ALL, ok=302, anon=200), None),
    "accounts:logout": (web(ALL, ok=302, method="post"), None),
    "accounts:otp": (web(ALL), None),
    "caseload:client-list": (web(roles.SEES_TEAM_CLIENTS), None),
    "caseload:client-export": (web(roles.SEES_TEAM_CLIENTS), None),
    "caseload:client-detail": (web(roles.SEES_TEAM_CLIENTS), CLIENT),
    "caseload:client-assign": (web(roles.ASSIGNS_CLIENTS, ok=302, method="post"), CLIENT),
    "caseload:import-upload": (web(roles.ADMINISTERS), None),
    "caseload:import-preview": (web(roles.ADMINISTERS), RUN),
    "caseload:import-confirm": (web(roles.ADMINISTERS, ok=302, method="post"), RUN),
    "caseload:import-cancel": (web(roles.ADMINISTERS, ok=302, method="post"), RUN),
    "caseload:import-rejected": (web(roles.ADMINISTERS), RUN),
    "caseload:import-result": (web(roles.ADMINISTERS), RUN),
    "audit:access-log": (web(roles.ADMINISTERS), None),
    "audit:unusual-access": (web(roles.ADMINISTERS), None),
    "catalogue:list": (web(roles.SEES_CATALOGUE), None),
    "catalogue:compare": (web(roles.SEES_CATALOGUE), None),
    "catalogue:what-works": (web(roles.SEES_CATALOGUE), None),
    "catalogue:detail": (web(roles.SEES_CATALOGUE), APPROACH),
    "catalogue:assess": (web(roles.ASSESSES_APPROACHES), APPROACH),
    "catalogue:local-offer": (web(roles.MANAGES_CATALOGUE), APPROACH),
    "catalogue:create": (web(roles.MANAGES_CATALOGUE), None),
    "catalogue:edit": (web(roles.MANAGES_CATALOGUE), APPROACH),
    "catalogue:retire": (web(roles.MANAGES_CATALOGUE, ok=302, method="post"), APPROACH),
    "catalogue:export": (web(roles.EXPORTS_CATALOGUE), None),
    "catalogue:import": (web(roles.MANAGES_CATALOGUE), None),
    "diagnosis:overview": (web(roles.SEES_TEAM_CLIENTS), CLIENT),
    "diagnosis:ladder-new": (web(roles.RECORDS_DIAGNOSIS), CLIENT),
    "diagnosis:zrm-new": (web(roles.RECORDS_DIAGNOSIS), CLIENT),
    "diagnosis:intake-new": (web(roles.RECORDS_DIAGNOSIS), CLIENT),
    "diagnosis:distance": (web(roles.JUDGES_DISTANCE, ok=400, method="post"), CLIENT),
    "inview:contacts": (web(roles.SEES_TEAM_CLIENTS), CLIENT),
    "matching:recommendations": (web(roles.SEES_RECOMMENDATIONS), CLIENT),
    "inview:client-segment": (web(roles.RECORDS_DIAGNOSIS | roles.ASSIGNS_CLIENTS), CLIENT),
    "inview:worklist": (web(roles.HAS_WORKLIST), None),
    "inview:worklist-export": (web(roles.HAS_WORKLIST), None),
    "inview:campaign-list": (web(roles.RUNS_CAMPAIGNS), None),
    "inview:campaign-new": (web(roles.RUNS_CAMPAIGNS), None),
    "inview:campaign-detail": (web(roles.RUNS_CAMPAIGNS), CAMPAIGN),
    "inview:campaign-invite": (web(roles.HAS_WORKLIST | roles.RUNS_CAMPAIGNS, ok=302, method="post"), CAMPAIGN),
    "inview:campaign-close": (web(roles.RUNS_CAMPAIGNS, ok=302, method="post"), CAMPAIGN),
    "selection:new": (web(roles.SELECTS_CANDIDATES), None),
    "selection:list": (web(roles.SELECTS_CANDIDATES), None),
    "selection:detail": (web(roles.SELECTS_CANDIDATES, denied=403), SELECTION),
    "selection:invitations": (web(roles.SELECTS_CANDIDATES), None),
    # A client manager may record what came of the invitation of their own client; the team lead who made the
    # selection may no longer change it once invited (403); other roles never reach it.
    "selection:invitation-update": (web(frozenset({Role.KLANTMANAGER}), ok=302, method="post"), INVITATION),
    "trajectories:plan": (web(roles.SEES_PLANS), CLIENT),
    "trajectories:plan-edit": (web(roles.MAKES_PLANS), CLIENT),
    "trajectories:plan-agree": (web(roles.MAKES_PLANS, ok=400, method="post"), PLAN),
    "trajectories:plan-pdf": (web(roles.SEES_PLANS), PLAN),
    "vum:exchange": (web(roles.EXCHANGES_VUM), None),
    "vum:export-vacancies": (web(roles.EXCHANGES_VACANCIES), None),
    "vum:export-profiles": (web(roles.EXPORTS_PROFILES), None),
    # Monitoring (issue 6): aggregates only, for the roles that see aggregates; exports default to the first table.
    "monitoring:caseload": (web(roles.SEES_AGGREGATES), None),
    "monitoring:caseload-export": (web(roles.SEES_AGGREGATES), None),
    "monitoring:outflow": (web(roles.SEES_AGGREGATES), None),
    "monitoring:outflow-export": (web(roles.SEES_AGGREGATES), None),
    "api:monitoring-caseload": (api(roles.SEES_AGGREGATES), None),
    "api:monitoring-outflow": (api(roles.SEES_AGGREGATES), None),
    "monitoring:fairness": (web(roles.SEES_AGGREGATES), None),
    "monitoring:fairness-export": (web(roles.SEES_AGGREGATES), None),
    "api:monitoring-fairness": (api(roles.SEES_AGGREGATES), None),
    # The world's users have no region: the page says so, an export has nothing to give, the API names the field.
    "monitoring:region": (web(roles.SEES_REGIONS), None),
    "monitoring:region-export": (web(roles.SEES_REGIONS, ok=404), None),
    "api:monitoring-region": (api(roles.SEES_REGIONS, ok=400), None),
    "monitoring:dashboard": (web(roles.SEES_AGGREGATES), None),
    "monitoring:dashboard-export": (web(roles.SEES_AGGREGATES), None),
    "api:monitoring-results": (api(roles.SEES_AGGREGATES), None),
    "api:monitoring-kpi": (api(roles.SEES_AGGREGATES), None),
    "monitoring:pilot-list": (web(roles.RUNS_PILOTS), None),
    "monitoring:pilot-create": (web(roles.RUNS_PILOTS), None),
    "monitoring:pilot-detail": (web(roles.RUNS_PILOTS), PILOT),
    "monitoring:pilot-evaluate": (web(roles.RUNS_PILOTS, ok=302, method="post"), PILOT),
    "monitoring:pilot-export": (web(roles.RUNS_PILOTS), PILOT),
    "api:monitoring-pilots": (api(roles.RUNS_PILOTS), None),
    "api:monitoring-pilot-detail": (api(roles.RUNS_PILOTS), PILOT),
    # The matrix world has no participants: the evaluation is refused with a 400 problem, after the role check.
    "api:monitoring-pilot-evaluate": (api(roles.RUNS_PILOTS, ok=400, method="post"), PILOT),
    "api:monitoring-pilot-evaluations": (api(roles.RUNS_PILOTS), PILOT),
    "trajectories:client-trajectories": (web(roles.SEES_TRAJECTORIES), CLIENT),
    "trajectories:referral-new": (web(roles.REFERS_CLIENTS), CLIENT),
    "referrals:provider-home": (web(roles.DELIVERS_TRAJECTORIES), None),
    "referrals:referral-detail": (web(roles.SEES_REFERRALS), REFERRAL),
    "referrals:referral-accept": (web(roles.DELIVERS_TRAJECTORIES, ok=400, method="post"), REFERRAL),
    "referrals:referral-decline": (web(roles.DELIVERS_TRAJECTORIES, ok=400, method="post"), REFERRAL),
    "referrals:referral-withdraw": (web(roles.REFERS_CLIENTS, ok=302, method="post"), REFERRAL),
    "referrals:trajectory-detail": (web(roles.SEES_REFERRALS), TRAJECTORY),
    "referrals:trajectory-report": (web(roles.RECORDS_TRAJECTORY_PROGRESS, ok=400, method="post"), TRAJECTORY),
    "referrals:trajectory-pause": (web(roles.RECORDS_TRAJECTORY_PROGRESS, ok=400, method="post"), TRAJECTORY),
    "referrals:trajectory-resume": (web(roles.RECORDS_TRAJECTORY_PROGRESS, ok=400, method="post"), TRAJECTORY),
    "referrals:trajectory-end": (web(roles.RECORDS_TRAJECTORY_PROGRESS, ok=400, method="post"), TRAJECTORY),
    "referrals:aftercare-done": (web(roles.FOLLOWS_AFTERCARE, ok=400, method="post"), AFTERCARE),
    "set_language": (web(ALL, ok=302, method="post", anon=302), None),
    "employers:employer-list": (web(roles.SEES_EMPLOYERS), None),
    "employers:employer-new": (web(roles.MANAGES_EMPLOYERS), None),
    "employers:employer-detail": (web(roles.SEES_EMPLOYERS), EMPLOYER),
    "employers:employer-edit": (web(roles.MANAGES_EMPLOYERS), EMPLOYER),
    "employers:contact-new": (web(roles.MANAGES_EMPLOYERS), EMPLOYER),
    "employers:contact-delete": (web(roles.MANAGES_EMPLOYERS, ok=302, method="post"), CONTACT),
    "employers:vacancy-list": (web(roles.SEES_EMPLOYERS), None),
    "employers:vacancy-new": (web(roles.MANAGES_EMPLOYERS), None),
    "employers:vacancy-detail": (web(roles.SEES_EMPLOYERS), VACANCY),
    "employers:vacancy-edit": (web(roles.MANAGES_EMPLOYERS), VACANCY),
    "employers:vacancy-status": (web(roles.MANAGES_EMPLOYERS, ok=302, method="post"), VACANCY),
    "employers:vacancy-propose": (web(roles.PROPOSES_CANDIDATES, ok=302, method="post"), VACANCY),
    "employers:proposal-advance": (web(roles.PROPOSES_CANDIDATES, ok=302, method="post"), PROPOSAL),
    "employers:matching-list": (web(roles.MATCHES_VACANCIES), None),
    "employers:matching-list-export": (web(roles.MATCHES_VACANCIES), None),
    "matching:job-seeker": (web(SEES_JOB_SEEKER), CLIENT),
    "matching:consent": (web(roles.RECORDS_CONSENT, ok=400, method="post"), CLIENT),
    "matching:consent-withdraw": (web(roles.RECORDS_CONSENT, ok=302, method="post"), CLIENT),
    "matching:placement-new": (web(roles.PLACES_CLIENTS), CLIENT),
    "matching:placement-end": (web(roles.PLACES_CLIENTS, ok=302, method="post"), PLACEMENT),
    "matching:client-vacancies": (web(roles.MATCHES_VACANCIES & roles.SEES_TEAM_CLIENTS), CLIENT),
    "api:employer-list": (api(roles.SEES_EMPLOYERS), None),
    "api:employer-detail": (api(roles.SEES_EMPLOYERS), EMPLOYER),
    "api:employer-contacts": (api(roles.SEES_EMPLOYERS), EMPLOYER),
    "api:vacancy-list": (api(roles.SEES_EMPLOYERS), None),
    "api:vacancy-detail": (api(roles.SEES_EMPLOYERS), VACANCY),
    "api:vacancy-status": (api(roles.MANAGES_EMPLOYERS, ok=400, method="post"), VACANCY),
    "api:vacancy-candidates": (api(roles.MATCHES_VACANCIES), VACANCY),
    "api:match-proposal-list": (api(roles.MATCHES_VACANCIES), None),
    "api:match-proposal-advance": (api(roles.PROPOSES_CANDIDATES, ok=400, method="post"), PROPOSAL),
    "api:matching-list": (api(roles.MATCHES_VACANCIES), None),
    "api:client-vacancies-list": (api(roles.MATCHES_VACANCIES & roles.SEES_TEAM_CLIENTS), NESTED),
    "api:client-job-seeker-profile-list": (api(SEES_JOB_SEEKER), NESTED),
    "api:client-consents-list": (api(SEES_JOB_SEEKER), NESTED),
    "api:client-consents-withdraw": (api(roles.RECORDS_CONSENT, ok=400, method="post"), NESTED),
    "api:client-placements-list": (api(SEES_JOB_SEEKER), NESTED),
    "api:client-placements-end": (api(roles.PLACES_CLIENTS, ok=400, method="post"), API_PLACEMENT),
    "api:client-list": (api(roles.SEES_TEAM_CLIENTS), None),
    "api:client-detail": (api(roles.SEES_TEAM_CLIENTS), CLIENT),
    "api:client-assign": (api(roles.ASSIGNS_CLIENTS, ok=400, method="post"), CLIENT),
    "api:causecode-list": (api(ALL), None),
    "api:causecode-detail": (api(ALL), "cause"),
    "api:import-list": (api(roles.ADMINISTERS, ok=200), None),
    "api:import-detail": (api(roles.ADMINISTERS), RUN),
    "api:accesslog-list": (api(roles.ADMINISTERS), None),
    "api:accesslog-unusual": (api(roles.ADMINISTERS), None),
    "api:approach-list": (api(roles.SEES_CATALOGUE), None),
    "api:approach-detail": (api(roles.SEES_CATALOGUE), APPROACH),
    "api:approach-retire": (api(roles.MANAGES_CATALOGUE, ok=400, method="post"), APPROACH),
    "api:approach-assessments": (api(roles.SEES_CATALOGUE), APPROACH),
    "api:approach-local-offer": (api(roles.SEES_CATALOGUE), APPROACH),
    "api:approach-compare": (api(roles.SEES_CATALOGUE, ok=400), None),
    "api:workingelement-list": (api(roles.SEES_CATALOGUE), None),
    "api:workingelement-detail": (api(roles.SEES_CATALOGUE), "element"),
    "api:what-works": (api(roles.SEES_CATALOGUE), None),
    "api:catalogue-export": (api(roles.EXPORTS_CATALOGUE), None),
    "api:catalogue-import": (api(roles.MANAGES_CATALOGUE, ok=400, method="post"), None),
    "api:client-ladder-list": (api(roles.SEES_TEAM_CLIENTS), NESTED),
    "api:client-zrm-list": (api(roles.SEES_TEAM_CLIENTS), NESTED),
    "api:client-intakes-list": (api(roles.SEES_TEAM_CLIENTS), NESTED),
    "api:client-distance-list": (api(roles.SEES_TEAM_CLIENTS), NESTED),
    "api:client-contacts-list": (api(roles.SEES_TEAM_CLIENTS), NESTED),
    "api:client-segments-list": (api(roles.SEES_TEAM_CLIENTS), NESTED),
    "api:client-recommendations-list": (api(roles.SEES_RECOMMENDATIONS), NESTED),
    "api:client-recommendation-decisions-list": (api(roles.SEES_RECOMMENDATIONS), NESTED),
    "api:segmentation-list": (api(roles.SEES_TEAM_CLIENTS | roles.ADMINISTERS), None),
    "api:ladderstep-list": (api(roles.SEES_TEAM_CLIENTS | roles.ADMINISTERS), None),
    "api:worklist": (api(roles.HAS_WORKLIST), None),
    "api:campaign-list": (api(roles.RUNS_CAMPAIGNS), None),
    "api:campaign-detail": (api(roles.RUNS_CAMPAIGNS), CAMPAIGN),
    "api:campaign-close": (api(roles.RUNS_CAMPAIGNS, method="post"), CAMPAIGN),
    "api:campaign-invited": (api(roles.HAS_WORKLIST | roles.RUNS_CAMPAIGNS, ok=400, method="post"), CAMPAIGN),
    "api:candidate-selection-list": (api(roles.SELECTS_CANDIDATES), None),
    "api:candidate-selection-detail": (api(roles.SELECTS_CANDIDATES), SELECTION),
    "api:candidate-selection-preview": (api(roles.SELECTS_CANDIDATES, ok=400, method="post"), None),
    "api:candidate-invitation-list": (api(roles.SELECTS_CANDIDATES), None),
    "api:candidate-invitation-status": (api(frozenset({Role.KLANTMANAGER}), ok=400, method="post"), INVITATION),
    "api:client-plans-list": (api(roles.SEES_PLANS), NESTED),
    "api:client-plans-detail": (api(roles.SEES_PLANS), API_PLAN),
    "api:client-plans-agreement": (api(roles.MAKES_PLANS, ok=400, method="post"), API_PLAN),
    "api:client-plans-pdf": (api(roles.SEES_PLANS), API_PLAN),
    "api:vum-vacancies": (api(roles.EXCHANGES_VACANCIES), None),
    "api:vum-vacancies-import": (api(roles.EXCHANGES_VACANCIES, ok=400, method="post"), None),
    "api:vum-profiles": (api(roles.EXPORTS_PROFILES), None),
    "api:vum-profiles-import": (api(roles.IMPORTS_PROFILES, ok=400, method="post"), None),
    "api:referral-list": (api(roles.SEES_REFERRALS), None),
    "api:referral-detail": (api(roles.SEES_REFERRALS), REFERRAL),
    "api:referral-accept": (api(roles.DELIVERS_TRAJECTORIES, method="post"), REFERRAL),
    "api:referral-decline": (api(roles.DELIVERS_TRAJECTORIES, ok=400, method="post"), REFERRAL),
    "api:referral-withdraw": (api(roles.REFERS_CLIENTS, method="post"), REFERRAL),
    "api:trajectory-list": (api(roles.SEES_REFERRALS), None),
    "api:trajectory-detail": (api(roles.SEES_REFERRALS), TRAJECTORY),
    "api:trajectory-reports": (api(roles.SEES_REFERRALS), TRAJECTORY),
    "api:trajectory-pause": (api(roles.RECORDS_TRAJECTORY_PROGRESS, ok=400, method="post"), TRAJECTORY),
    "api:trajectory-resume": (api(roles.RECORDS_TRAJECTORY_PROGRESS, ok=400, method="post"), TRAJECTORY),
    "api:trajectory-end": (api(roles.RECORDS_TRAJECTORY_PROGRESS, ok=400, method="post"), TRAJECTORY),
    "api:aftercare-task-list": (api(roles.FOLLOWS_AFTERCARE), None),
    "api:aftercare-task-done": (api(roles.FOLLOWS_AFTERCARE, ok=400, method="post"), AFTERCARE),
    "api:me": (api(ALL), None),
    "api:team-list": (api(ALL), None),
    "api:team-detail": (api(ALL), "team"),
    # Privacy operations: access requests (the whole file, every team) for the privacy desk, retention for the
    # administrator, person-level pseudonymised exports for the analyst only. Posts without input are refused (400).
    "privacy:access-request": (web(roles.HANDLES_ACCESS_REQUESTS), None),
    "privacy:access-request-client": (web(roles.HANDLES_ACCESS_REQUESTS), CLIENT),
    "privacy:retention": (web(roles.MANAGES_RETENTION), None),
    "privacy:retention-dry-run": (web(roles.MANAGES_RETENTION, ok=302, method="post"), None),
    "privacy:pseudonymised-export": (web(roles.EXPORTS_PSEUDONYMISED), None),
    "api:client-access-request-export": (api(roles.HANDLES_ACCESS_REQUESTS, ok=400, method="post"), CLIENT),
    "api:pseudonymised-export": (api(roles.EXPORTS_PSEUDONYMISED, ok=400, method="post"), None),
    # The schema and its viewers hold no personal data; they are public like Open Zaak's.
    "api:schema": (api(ALL, anon=200), None),
    "api:api-docs": (api(ALL, anon=200), None),
    "api:api-redoc": (api(ALL, anon=200), None),
}
# The Django admin (/beheer/) is used by functional administrators with staff rights; Django guards it itself.
ADMIN_PREFIX = "admin:"

# The API operations beyond the one each MATRIX entry calls: (route, method) → expected answer per role. Called with an
# empty body, so an allowed role gets the validation error (400) or, where every field is optional, the write itself;
# a denied role gets 403 *before* the body is validated, so the answer never tells a denied user what the body lacks.
# A schema operation with neither a MATRIX entry of its method nor an entry here fails the suite.
OPERATIONS = {
    ("api:approach-list", "post"): api(roles.MANAGES_CATALOGUE, ok=400, method="post"),
    ("api:approach-detail", "put"): api(roles.MANAGES_CATALOGUE, ok=400, method="put"),
    ("api:approach-detail", "patch"): api(roles.MANAGES_CATALOGUE, method="patch"),
    ("api:approach-assessments", "post"): api(roles.ASSESSES_APPROACHES, ok=400, method="post"),
    ("api:approach-local-offer", "put"): api(roles.MANAGES_CATALOGUE, method="put"),
    ("api:approach-local-offer", "delete"): api(roles.MANAGES_CATALOGUE, ok=204, method="delete"),
    ("api:campaign-list", "post"): api(roles.RUNS_CAMPAIGNS, ok=400, method="post"),
    ("api:candidate-selection-list", "post"): api(roles.SELECTS_CANDIDATES, ok=400, method="post"),
    ("api:client-consents-list", "post"): api(roles.RECORDS_CONSENT, ok=400, method="post"),
    ("api:client-contacts-list", "post"): api(roles.RECORDS_CONTACTS, ok=400, method="post"),
    ("api:client-distance-list", "post"): api(roles.JUDGES_DISTANCE, ok=400, method="post"),
    # Every intake field is optional: an empty intake is a valid (if thin) record of the conversation.
    ("api:client-intakes-list", "post"): api(roles.RECORDS_DIAGNOSIS, ok=201, method="post"),
    ("api:client-job-seeker-profile-list", "post"): api(roles.MAKES_JOB_PROFILES, ok=201, method="post"),
    ("api:client-ladder-list", "post"): api(roles.RECORDS_DIAGNOSIS, ok=400, method="post"),
    ("api:client-placements-list", "post"): api(roles.PLACES_CLIENTS, ok=400, method="post"),
    ("api:client-plans-list", "post"): api(roles.MAKES_PLANS, ok=400, method="post"),
    ("api:client-recommendation-decisions-list", "post"): api(roles.RECOMMENDS_APPROACHES, ok=400, method="post"),
    # A segment is recorded by whoever records the diagnosis and by the team lead who assigns (like the web form).
    ("api:client-segments-list", "post"): api(roles.RECORDS_DIAGNOSIS | roles.ASSIGNS_CLIENTS, ok=400, method="post"),
    ("api:client-zrm-list", "post"): api(roles.RECORDS_DIAGNOSIS, ok=400, method="post"),
    ("api:employer-list", "post"): api(roles.MANAGES_EMPLOYERS, ok=400, method="post"),
    ("api:employer-detail", "put"): api(roles.MANAGES_EMPLOYERS, ok=400, method="put"),
    ("api:employer-detail", "patch"): api(roles.MANAGES_EMPLOYERS, method="patch"),
    ("api:employer-contacts", "post"): api(roles.MANAGES_EMPLOYERS, ok=400, method="post"),
    # The caseload import takes a file upload (multipart), not JSON.
    ("api:import-list", "post"): api(roles.ADMINISTERS, ok=400, method="post") | {"multipart": True},
    ("api:match-proposal-list", "post"): api(roles.PROPOSES_CANDIDATES, ok=400, method="post"),
    ("api:monitoring-pilots", "post"): api(roles.RUNS_PILOTS, ok=400, method="post"),
    ("api:referral-list", "post"): api(roles.REFERS_CLIENTS, ok=400, method="post"),
    ("api:trajectory-reports", "post"): api(roles.RECORDS_TRAJECTORY_PROGRESS, ok=400, method="post"),
    ("api:vacancy-list", "post"): api(roles.MANAGES_EMPLOYERS, ok=400, method="post"),
    ("api:vacancy-detail", "put"): api(roles.MANAGES_EMPLOYERS, ok=400, method="put"),
    ("api:vacancy-detail", "patch"): api(roles.MANAGES_EMPLOYERS, method="patch"),
}


def test_every_route_has_a_matrix_entry():
    names = _names(get_resolver())
    missing = sorted(n for n in names if n not in MATRIX and not n.startswith(ADMIN_PREFIX))
    assert not missing, f"Routes without an authorisation-matrix entry: {missing}"
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"Matrix entries for routes that no longer exist: {stale}"


HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@functools.cache
def _schema_operations() -> tuple[tuple[str, str, str], ...]:
    """Every operation of the OpenAPI schema generated from the code as it is now (not the committed file, which may
    lag behind): (route name, method, path)."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, items in schema["paths"].items():
        # A sample value fits every path converter the API uses (int, slug, str), so the path resolves to its route.
        match = resolve(re.sub(r"\{[^}]+\}", "1", path))
        name = ":".join([*match.namespaces, match.url_name])
        operations += [(name, method, path) for method in items if method in HTTP_METHODS]
    return tuple(operations)


def test_every_api_operation_has_a_matrix_or_operations_entry():
    operations = _schema_operations()
    assert len(operations) > len({name for name, _, _ in operations}), "the schema lost its multi-method routes"
    missing = sorted(f"{method.upper()} {path} ({name})" for name, method, path in operations
                     if MATRIX.get(name, ({}, None))[0].get("method") != method and (name, method) not in OPERATIONS)
    assert not missing, "API operations without an authorisation-matrix entry (add them to OPERATIONS):\n" + \
        "\n".join(missing)
    known = {(name, method) for name, method, _ in operations}
    stale = sorted(f"{name} {method}" for name, method in OPERATIONS if (name, method) not in known)
    assert not stale, f"OPERATIONS entries for operations that no longer exist: {stale}"
    doubled = sorted(f"{name} {method}" for name, method in OPERATIONS if MATRIX.get(name, ({}, None))[0].get("method")
                     == method)
    assert not doubled, f"Operations in both MATRIX and OPERATIONS (keep one): {doubled}"


def _kwargs(kind, world, run, campaign, plan=None, work=None, invitation=None, delivered=None, pilot=None):
    if kind == PILOT:
        return {"pk": pilot.pk}
    if kind in (EMPLOYER, VACANCY, PROPOSAL):
        return {"pk": work[kind].pk}
    if kind == CONTACT:
        return {"pk": work[EMPLOYER].pk, "contact_pk": work[CONTACT].pk}
    if kind == PLACEMENT:
        return {"pk": world.own.pk, "placement_pk": work[PLACEMENT].pk}
    if kind == API_PLACEMENT:
        return {"client_pk": world.own.pk, "pk": work[PLACEMENT].pk}
    if kind in (REFERRAL, TRAJECTORY, AFTERCARE):
        return {"pk": delivered[kind].pk}
    if kind == CLIENT:
        return {"pk": world.own.pk}
    if kind == RUN:
        return {"pk": run.pk}
    if kind == "cause":
        return {"code": 11}
    if kind == "team":
        return {"pk": world.team.pk}
    if kind == APPROACH:
        return {"slug": "eigen-aanpak"}
    if kind == "element":
        return {"key": "wf-netwerk"}
    if kind == CAMPAIGN:
        return {"pk": campaign.pk}
    if kind == NESTED:
        return {"client_pk": world.own.pk}
    if kind == PLAN:
        return {"pk": world.own.pk, "plan_pk": plan.pk}
    if kind == SELECTION:
        return {"pk": invitation.selection_id}
    if kind == INVITATION:
        return {"pk": invitation.pk}
    if kind == API_PLAN:
        return {"client_pk": world.own.pk, "pk": plan.pk}
    return {}


@pytest.fixture
def own_approach(world):
    """An approach of the users' own municipality, so that edit and retire can be allowed at all."""
    working_element("wf-netwerk", category="work_first")
    return approach(owner=world.muni, slug="eigen-aanpak", name="Eigen aanpak")


@pytest.fixture
def pending_run(world, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"Clientnummer\n1\n")
    return ImportRun.objects.create(municipality=world.muni, source="web", filename="export.csv", sha256="x",
                                    stored_path=str(path), status=ImportRun.Status.PREVIEW)


@pytest.fixture
def campaign(world):
    return Campaign.objects.create(municipality=world.muni, name="Doorlichting", criteria={},
                                   created_by=world.users["teamleider"], started_on="2026-01-01")


@pytest.fixture
def plan(world):
    return save_plan(client=world.own, by=world.users["klantmanager"], plan=PlanInput(
        goals=[GoalInput(description="Werk vinden", due_on=date(2027, 6, 1))]), based_on_version=None)


@pytest.fixture
def work(world):
    """An employer with a contact and an open vacancy, a proposal and a placement of the own client."""
    employer = Employer.objects.create(municipality=world.muni, name="Bakkerij Voorbeeld", place="Voorbeeldstad")
    contact = EmployerContact.objects.create(employer=employer, name="P. de Bakker", email="p@bakkerij.example")
    vacancy = Vacancy.objects.create(municipality=world.muni, employer=employer, title="Bakkershulp", hours_min=20)
    proposal = MatchProposal.objects.create(vacancy=vacancy, client=world.own, created_by=world.users["klantmanager"],
                                            updated_by=world.users["klantmanager"])
    placement = Placement.objects.create(client=world.own, employer=employer, kind="proefplaatsing",
                                         started_on=date(2026, 1, 5), created_by=world.users["klantmanager"])
    JobSeekerProfile.objects.create(client=world.own, desired_occupations="Bakker")
    return {EMPLOYER: employer, CONTACT: contact, VACANCY: vacancy, PROPOSAL: proposal, PLACEMENT: placement}


@pytest.fixture
def invitation(world, own_approach):
    """The own client invited by the team lead for the users' own approach: the team lead's selection."""
    selection = CandidateSelection.objects.create(municipality=world.muni, approach=own_approach,
                                                  created_by=world.users["teamleider"])
    return CandidateInvitation.objects.create(selection=selection, client=world.own, status="uitgenodigd",
                                              client_manager=world.users["klantmanager"])


@pytest.fixture
def delivered(world):
    """An open referral of the own client to the 'aanbieder''s provider, an accepted one with its trajectory, and an
    aftercare task."""
    setup = delivery(world)
    trajectory = accepted(world, setup, days_ago=40)
    referral = refer(world, setup, days_ago=5)
    task = AftercareTask.objects.create(client=world.own, outflow_on=date(2026, 1, 1), due_on=date(2026, 2, 1),
                                        months_after=1)
    return {REFERRAL: referral, TRAJECTORY: trajectory, AFTERCARE: task}


@pytest.fixture
def pilot(world, own_approach):
    """A pilot of the world's municipality with one stored (fully suppressed) evaluation, so its export exists."""
    import numpy as np

    from kansrijk.monitoring.pilots import analysis
    from kansrijk.monitoring.pilots.models import Pilot, PilotEvaluation

    pilot = Pilot.objects.create(municipality=world.muni, approach=own_approach, name="Pilot",
                                 starts_on=date(2020, 1, 1), ends_on=date(2020, 3, 1),
                                 created_by=world.users["beleidsmedewerker"])
    effect = analysis.proportion_effect(5, 20, 5, 20)
    results = {"groepen": {"deelnemers_regel": None, "deelnemers": None, "kandidaten": None, "paren": 0,
                           "niet_gematcht": None}, "balans": [], "max_smd_voor": None, "max_smd_na": None,
               "effecten": {"uitstroom": effect, "uitstroom_werk": effect,
                            "trede": analysis.mean_effect(np.array([]), np.array([]))},
               "meetdekking_pct": 0.0, "kanttekeningen": [{"code": "observationeel"}], "effectladder": {}}
    PilotEvaluation.objects.create(pilot=pilot, results=results)
    return pilot


@pytest.mark.parametrize("route", sorted(MATRIX))
@pytest.mark.parametrize("who", [ANON, *[r.value for r in Role]])
def test_matrix(route, who, world, pending_run, own_approach, campaign, plan, work, invitation, delivered,
                client, pilot):
    spec, kind = MATRIX[route]
    url = reverse(route, kwargs=_kwargs(kind, world, pending_run, campaign, plan, work, invitation, delivered, pilot))
    if who != ANON:
        client.force_login(world.users[who])
    response = getattr(client, spec["method"])(url)
    if who == ANON:
        expected = spec["anon"]
    elif who in spec["allowed"]:
        expected = spec["ok"]
    else:
        expected = spec["denied"]
    assert response.status_code == expected, f"{route} as {who}: {response.status_code}, expected {expected}"
    if who == ANON and expected == 302 and spec["anon"] == 302 and route != "set_language":
        assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("who", [r.value for r in Role])
def test_admin_site_only_for_staff(who, world, client):
    user = world.users[who]
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 302
    user.is_staff = True
    user.save()
    assert client.get(reverse("admin:index")).status_code == 200


def _expected(spec, who):
    if who == ANON:
        return spec["anon"]
    return spec["ok"] if who in spec["allowed"] else spec["denied"]


@pytest.mark.parametrize("route,method", sorted(OPERATIONS))
def test_operation(route, method, world, pending_run, own_approach, campaign, plan, work, invitation, delivered,
                   pilot):
    """Each extra operation for anonymous and every role, in one test per operation (the world is built once): the
    denied roles first, so that an allowed write cannot change what a later denied call finds."""
    spec = OPERATIONS[route, method]
    _, kind = MATRIX[route]
    url = reverse(route, kwargs=_kwargs(kind, world, pending_run, campaign, plan, work, invitation, delivered, pilot))
    everyone = [ANON, *[r.value for r in Role]]
    wrong = []
    for who in sorted(everyone, key=lambda w: w in spec["allowed"]):
        client = DjangoClient()
        if who != ANON:
            client.force_login(world.users[who])
        if spec.get("multipart"):
            response = getattr(client, method)(url, {})
        else:
            response = getattr(client, method)(url, data="{}", content_type="application/json")
        expected = _expected(spec, who)
        if response.status_code != expected:
            wrong.append(f"{who}: {response.status_code}, expected {expected}")
    assert not wrong, f"{method.upper()} {route}: " + "; ".join(wrong)


# Web pages the matrix calls with GET that also take a form POST (or might). Posting to them must be refused to every
# role the page is refused to, exactly like the GET: 403 (or 405 if the page takes no POST), and the login page for
# anonymous; never a 200 or a redirect after a save.
WEB_GET_ROUTES = sorted(name for name, (spec, _) in MATRIX.items()
                        if spec["method"] == "get" and not name.startswith("api:") and spec["allowed"] != ALL)


@pytest.mark.parametrize("route", WEB_GET_ROUTES)
def test_form_post_refused_like_its_page(route, world, pending_run, own_approach, campaign, plan, work, invitation,
                                         delivered, pilot):
    spec, kind = MATRIX[route]
    url = reverse(route, kwargs=_kwargs(kind, world, pending_run, campaign, plan, work, invitation, delivered, pilot))
    wrong = []
    for who in [ANON, *sorted(r.value for r in Role if r not in spec["allowed"])]:
        client = DjangoClient()
        if who != ANON:
            client.force_login(world.users[who])
        response = client.post(url, {})
        if who == ANON:
            refused = response.status_code == 405 or (
                response.status_code == 302 and reverse("accounts:login") in response["Location"])
        else:
            refused = response.status_code in (spec["denied"], 405)
        if not refused:
            wrong.append(f"{who}: {response.status_code}")
    assert not wrong, f"POST {route} not refused: " + "; ".join(wrong)
