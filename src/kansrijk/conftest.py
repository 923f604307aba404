"""Fixtures shared by every app's tests: a small world of two municipalities, teams, one user per role and
clients at every distance from the user (own caseload, own team, other team, other municipality)."""

import functools
import os
from dataclasses import dataclass

import hypothesis
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client as DjangoClient

from kansrijk.accounts.models import Municipality, RolePolicy, Team, User
from kansrijk.accounts.roles import Role
from kansrijk.caseload.models import Client, ClientSpecialCategories
from kansrijk.caseload.tests.factories import BenefitSpellFactory, ClientFactory, UserFactory

# The suite's property tests draw the same examples on every run, so `make test` (and CI) passes or fails the same way
# each time; HYPOTHESIS_PROFILE=explore draws new examples, for hunting bugs locally.
hypothesis.settings.register_profile("kansrijk", derandomize=True, database=None)
hypothesis.settings.register_profile("explore")  # hypothesis's defaults: a random seed per run
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "kansrijk"))


@dataclass
class World:
    muni: Municipality
    other_muni: Municipality
    team: Team
    other_team: Team
    foreign_team: Team
    users: dict[str, User]
    colleague: User
    own: Client
    teammate: Client
    other_team_client: Client
    other_muni_client: Client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher is slow on purpose; a test creates many users and only needs the check to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached figures are keyed by a data version (counts, highest ids); ids are reused after a test's rollback, so a
    # figure from one test could otherwise answer for another test's data.
    cache.clear()


@pytest.fixture(autouse=True)
def _content_types_match_their_table(request):
    # A test with serialized rollback (the browser tests) leaves django_content_type emptied, not refilled; the
    # ContentType cache would then hand the next transactional test ids that no longer exist, which django-auditlog
    # writes into its change history (a foreign-key error on PostgreSQL).
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _no_two_factor_by_default(db):
    # Tests of two-factor switch it on themselves; everything else logs in with a password only.
    RolePolicy.objects.update(otp_required=False)


@pytest.fixture
def world(db, settings) -> World:
    settings.KANSRIJK_DEFAULT_GEMEENTE = "9999"
    muni = Municipality.objects.create(cbs_code="9999", name="Voorbeeldstad")
    other_muni = Municipality.objects.create(cbs_code="9998", name="Buurdorp")
    team = Team.objects.create(municipality=muni, name="Team Noord")
    other_team = Team.objects.create(municipality=muni, name="Team Zuid")
    foreign_team = Team.objects.create(municipality=other_muni, name="Team Buurdorp")
    users = {}
    for role in Role:
        users[role.value] = UserFactory(username=role.value, role=role, municipalities=[muni], teams=[team])
    colleague = UserFactory(username="collega", role=Role.KLANTMANAGER, municipalities=[muni], teams=[team])
    own = ClientFactory(municipality=muni, team=team, client_manager=users["klantmanager"],
                        given_names="Anna", family_name="Jansen", bsn="111222333", client_number="5001")
    teammate = ClientFactory(municipality=muni, team=team, client_manager=colleague, client_number="5002")
    other_team_client = ClientFactory(municipality=muni, team=other_team, client_number="5003")
    other_muni_client = ClientFactory(municipality=other_muni, team=foreign_team, client_number="5001")
    for client in (own, teammate, other_team_client, other_muni_client):
        BenefitSpellFactory(client=client)
    ClientSpecialCategories.objects.create(client=own, health="Rugklachten", addiction="Alcohol, in behandeling",
                                           migration_background="niet_westers")
    return World(muni, other_muni, team, other_team, foreign_team, users, colleague, own, teammate,
                 other_team_client, other_muni_client)


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client
    return _login


@pytest.fixture
def api_login(db):
    """A logged-in test client of its own per user (several users in one test), posting JSON."""
    def _login(user):
        api = DjangoClient()
        api.force_login(user)
        api.post = functools.partial(DjangoClient.post, api, content_type="application/json")
        return api
    return _login
