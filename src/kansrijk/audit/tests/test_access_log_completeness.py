"""Access-log completeness, exhaustive by construction: every route of the authorisation matrix that answers a GET
(pages, exports, PDFs and every API read operation; the matrix test guarantees every route and API operation has an
entry) is called as every role the matrix allows, in a world where one client carries unmistakable personal data.
Whatever answer shows that data must have left an access record for that client during that request. Aggregate pages
must never show it at all."""

import io
import zipfile
from datetime import date

import pytest
from django.test import Client as DjangoClient
from django.urls import reverse

from kansrijk.accounts import roles
from kansrijk.accounts.tests import test_authorisation_matrix as matrix
from kansrijk.accounts.tests.test_authorisation_matrix import (
    API_PLACEMENT,
    API_PLAN,
    CLIENT,
    MATRIX,
    NESTED,
    PLACEMENT,
    PLAN,
    REFERRAL,
    SELECTION,
    TRAJECTORY,
    _kwargs,
)
from kansrijk.audit.models import AccessLog
from kansrijk.caseload.models import Client, search_name_for
from kansrijk.inview.models import CampaignInvitation
from kansrijk.matching.models import Placement, ProfileConsent

# The matrix's fixtures: the same world, so that every route's arguments resolve as they do in the matrix test.
pending_run, own_approach, campaign, plan, work = (matrix.pending_run, matrix.own_approach, matrix.campaign,
                                                   matrix.plan, matrix.work)
invitation, delivered, pilot = matrix.invitation, matrix.delivered, matrix.pilot

# Values nothing else in the world (or in a page's chrome) could contain by accident.
FAMILY_NAME = "Zwartsenberg-Quist"
GIVEN_NAMES = "Ottoline"
BSN = "739205186"
CLIENT_NUMBER = "Q-730193"
DOSSIER_NUMBER = "DZQ-88231"
MARKERS = (FAMILY_NAME, BSN, CLIENT_NUMBER, DOSSIER_NUMBER)

GET_ROUTES = sorted(name for name, (spec, _) in MATRIX.items() if spec["method"] == "get")

# Routes that must leave an access record for the subject client whenever an allowed role reads them, whether or not
# the answer happens to show one of the markers (an API list of a client's ladder steps names the client only by id;
# it is still a read of that client's file). Every GET route about one client (its matrix kind says so) belongs here,
# and so do the exports and lists that name clients.
PERSONAL_DATA_ROUTES = frozenset({
    # One client's file, on the web.
    "caseload:client-detail", "diagnosis:overview", "diagnosis:intake-new", "diagnosis:ladder-new",
    "diagnosis:zrm-new", "inview:client-segment", "inview:contacts", "matching:client-vacancies",
    "matching:job-seeker", "matching:placement-new", "matching:recommendations", "trajectories:client-trajectories",
    "trajectories:plan", "trajectories:plan-edit", "trajectories:plan-pdf", "trajectories:referral-new",
    "referrals:referral-detail", "referrals:trajectory-detail", "selection:detail", "privacy:access-request-client",
    # One client's file, in the API.
    "api:client-detail", "api:client-consents-list", "api:client-contacts-list", "api:client-distance-list",
    "api:client-intakes-list", "api:client-job-seeker-profile-list", "api:client-ladder-list",
    "api:client-placements-list", "api:client-plans-list", "api:client-plans-detail", "api:client-plans-pdf",
    "api:client-recommendation-decisions-list", "api:client-recommendations-list", "api:client-segments-list",
    "api:client-vacancies-list", "api:client-zrm-list", "api:referral-detail", "api:trajectory-detail",
    "api:trajectory-reports", "api:candidate-selection-detail",
    # Exports and lists that name clients.
    "caseload:client-export", "inview:worklist", "inview:worklist-export", "api:worklist", "inview:campaign-detail",
    "referrals:provider-home", "selection:invitations", "api:candidate-invitation-list", "api:referral-list",
    "api:trajectory-list", "api:aftercare-task-list", "employers:matching-list", "employers:matching-list-export",
    "api:matching-list", "api:vacancy-candidates",
    # Pseudonymised job-seeker profiles for employers: no name leaves, but every exported profile is still recorded.
    "vum:export-profiles", "api:vum-profiles",
})
# The matrix kinds whose routes are about one client (the world's own client): each such GET route must be listed in
# PERSONAL_DATA_ROUTES, so a new page of the client file cannot skip the check.
CLIENT_KINDS = {CLIENT, NESTED, PLAN, API_PLAN, PLACEMENT, API_PLACEMENT, REFERRAL, TRAJECTORY, SELECTION}

# Routes that show a client's data without an access record, and why. Each is a deliberate decision, not an oversight.
# Routes that may show a client's data without an access record, with the reason. None today: even browsing the
# caseload list records every name on the page.
NOT_LOGGED: dict[str, str] = {}

AGGREGATE_ROUTES = sorted(name for name in GET_ROUTES if name.startswith(("monitoring:", "api:monitoring-"))
                          and MATRIX[name][0]["allowed"] <= roles.SEES_AGGREGATES)


@pytest.fixture
def marked(world, campaign, work):
    """The world's own client, the subject of every client-scoped matrix route, with unmistakable personal data. It
    is also in the campaign, has consented to show its profile to employers and is a candidate for the vacancy, so
    that the lists which show clients only in those cases (campaign pages, profile exports, the matching list and a
    vacancy's candidates) have it to show."""
    Client.objects.filter(pk=world.own.pk).update(
        family_name=FAMILY_NAME, given_names=GIVEN_NAMES, bsn=BSN, client_number=CLIENT_NUMBER,
        dossier_number=DOSSIER_NUMBER, search_name=search_name_for(FAMILY_NAME, GIVEN_NAMES))
    world.own.refresh_from_db()
    CampaignInvitation.objects.create(campaign=campaign, client=world.own, client_manager=world.users["klantmanager"])
    ProfileConsent.objects.create(client=world.own, client_consented_on=date(2026, 1, 2),
                                  client_consent_how="mondeling", manager_consented_by=world.users["klantmanager"])
    # Out of the placement (a placed client is in no candidate pool) and on benefit, so it is a candidate.
    Placement.objects.filter(client=world.own).update(ended_on=date(2026, 2, 1))
    Client.objects.filter(pk=world.own.pk, active_spell_start__isnull=True).update(active_spell_start=date(2024, 1, 1))
    world.own.refresh_from_db()
    return world.own


def body_text(response) -> str:
    """The answer as text, whatever its format: HTML, JSON, CSV, XLSX (its XML parts) or PDF (its extracted text)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"%PDF"):
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return content.decode("utf-8-sig", "replace")


def shown(text: str) -> list[str]:
    return [marker for marker in MARKERS if marker in text]


@pytest.mark.parametrize("route", GET_ROUTES)
def test_every_answer_that_shows_personal_data_leaves_an_access_record(
        route, world, marked, pending_run, own_approach, campaign, plan, work, invitation, delivered, pilot):
    spec, kind = MATRIX[route]
    url = reverse(route, kwargs=_kwargs(kind, world, pending_run, campaign, plan, work, invitation, delivered, pilot))
    unlogged = []
    for who in sorted(role.value for role in spec["allowed"]):
        client = DjangoClient()
        client.force_login(world.users[who])
        before = AccessLog.objects.filter(client=marked).count()
        response = client.get(url)
        logged = AccessLog.objects.filter(client=marked).count() - before
        markers = shown(body_text(response))
        if route in AGGREGATE_ROUTES:
            assert not markers, f"{route} as {who} shows personal data {markers} on an aggregates page"
        if markers and not logged and route not in NOT_LOGGED:
            unlogged.append(f"{who} saw {markers} ({response.status_code})")
        if route in PERSONAL_DATA_ROUTES and response.status_code == 200 and not logged:
            unlogged.append(f"{who} read a personal-data route ({response.status_code})")
    assert not unlogged, f"GET {route} without an access record: " + "; ".join(unlogged)


def test_the_lists_are_consistent():
    assert PERSONAL_DATA_ROUTES <= set(GET_ROUTES), sorted(PERSONAL_DATA_ROUTES - set(GET_ROUTES))
    about_one_client = {name for name in GET_ROUTES if MATRIX[name][1] in CLIENT_KINDS}
    unlisted = sorted(about_one_client - PERSONAL_DATA_ROUTES)
    assert not unlisted, f"GET routes about one client missing from PERSONAL_DATA_ROUTES: {unlisted}"
    assert set(NOT_LOGGED) <= set(GET_ROUTES) and not set(NOT_LOGGED) & PERSONAL_DATA_ROUTES
    assert "monitoring:caseload" in AGGREGATE_ROUTES and "api:monitoring-results" in AGGREGATE_ROUTES


def test_the_marked_client_is_found_where_it_is_shown(world, marked, login):
    """The check above can fail: the client page of the marked client shows the markers and logs a record."""
    response = login(world.users["klantmanager"]).get(reverse("caseload:client-detail", args=[marked.pk]))
    assert set(shown(body_text(response))) >= {FAMILY_NAME, CLIENT_NUMBER}
    assert AccessLog.objects.filter(client=marked, view="clientpagina", client_number=CLIENT_NUMBER).exists()
