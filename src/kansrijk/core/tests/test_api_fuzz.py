"""Schemathesis over the whole API: every operation of the OpenAPI schema the app generates, called in-process through
the WSGI application with generated valid and invalid requests, must never answer with a server error and must
answer as the schema says (status code, content type, body).

One test per operation (``schema.parametrize()``), each with its own database (pytest-django rolls it back), seeded
with the authorisation matrix's world so that most ids in paths exist. Each operation is called as the role that can
reach the most of it. To reproduce a failure: the message has a curl command and the failing case; rerun the one
operation with ``pytest src/kansrijk/core/tests/test_api_fuzz.py -k 'POST /api/v1/referrals/'`` (derandomized, so the
same examples come back).
"""

from __future__ import annotations

import json
import os
import zlib

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kansrijk.accounts.tests import test_authorisation_matrix as matrix
from kansrijk.monitoring.pilots.models import PilotEvaluation
from kansrijk.wsgi import application

# The matrix's seeded objects: a plan, an employer with vacancy/proposal/placement, a referral with a trajectory, a
# campaign, a selection with an invitation, a pending import and a pilot, all around the world's own client.
own_approach = matrix.own_approach
pending_run = matrix.pending_run
campaign = matrix.campaign
plan = matrix.plan
work = matrix.work
invitation = matrix.invitation
delivered = matrix.delivered
pilot = matrix.pilot


def _generated_schema() -> dict:
    # The schema as the app generates it now (not the committed file), so a fix in an annotation is tested at once.
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document, renderer_context={}))


schema = schemathesis.openapi.from_dict(_generated_schema())
schema.app = application

# Examples per operation: 10 keeps the run at about three minutes of CPU; raise it locally to fuzz harder.
EXAMPLES = int(os.environ.get("KANSRIJK_API_FUZZ_EXAMPLES", "10"))
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]

# The role that reaches most of an operation, by path prefix (first match wins); everything else is the client
# manager's. Roles without access still get fuzzed on 403/404 answers by the operations they cannot use.
ROLE_BY_PREFIX = [
    ("/api/v1/access-log/", "beheerder"),
    ("/api/v1/imports/", "beheerder"),
    ("/api/v1/catalogue/", "beheerder"),
    ("/api/v1/approaches/", "beheerder"),
    ("/api/v1/teams/", "beheerder"),
    ("/api/v1/working-elements/", "beheerder"),
    ("/api/v1/monitoring/", "beleidsmedewerker"),
    ("/api/v1/segmentations/", "beleidsmedewerker"),
    ("/api/v1/employers/", "werkgeversdienstverlener"),
    ("/api/v1/vacancies/", "werkgeversdienstverlener"),
    ("/api/v1/match-proposals/", "werkgeversdienstverlener"),
    ("/api/v1/vum/", "werkgeversdienstverlener"),
    ("/api/v1/referrals/{id}/accept/", "aanbieder"),
    ("/api/v1/referrals/{id}/decline/", "aanbieder"),
    ("/api/v1/trajectories/", "aanbieder"),
    ("/api/v1/campaigns/", "teamleider"),
    ("/api/v1/candidate-selections/", "teamleider"),
]


def role_for(path: str) -> str:
    return next((role for prefix, role in ROLE_BY_PREFIX if path.startswith(prefix)), "klantmanager")


def existing_ids(path: str, world, seeded: dict) -> dict:
    """Path parameters naming the seeded objects, so the fuzzing reaches past the 404 of an unknown id."""
    values = {"client_pk": world.own.pk, "slug": "eigen-aanpak", "key": "wf-netwerk", "code": 11}
    by_prefix = [
        ("/api/v1/clients/{client_pk}/plans/", seeded["plan"]),
        ("/api/v1/clients/{client_pk}/placements/", seeded["placement"]),
        ("/api/v1/clients/", world.own),
        ("/api/v1/referrals/", seeded["referral"]),
        ("/api/v1/trajectories/", seeded["trajectory"]),
        ("/api/v1/aftercare-tasks/", seeded["aftercare"]),
        ("/api/v1/campaigns/", seeded["campaign"]),
        ("/api/v1/candidate-invitations/", seeded["invitation"]),
        ("/api/v1/candidate-selections/", seeded["invitation"].selection),
        ("/api/v1/employers/", seeded["employer"]),
        ("/api/v1/vacancies/", seeded["vacancy"]),
        ("/api/v1/match-proposals/", seeded["proposal"]),
        ("/api/v1/imports/", seeded["run"]),
        ("/api/v1/monitoring/pilots/", seeded["pilot"]),
        ("/api/v1/teams/", world.team),
    ]
    target = next((obj for prefix, obj in by_prefix if path.startswith(prefix)), None)
    if target is not None:
        values["id"] = target.pk
    return values


@pytest.fixture(autouse=True)
def _connection_kept_across_requests():
    # The real WSGI handler closes the database connection after each request (close_old_connections), which on
    # PostgreSQL ends the test's transaction; Django's own test client disconnects it the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(world, pending_run, own_approach, campaign, plan, work, invitation, delivered, pilot):
    # The matrix's evaluation is hand-made with an empty effect-ladder suggestion; the analysis always writes one.
    suggestion = {"niveau": None, "code": "geen_aanwijzing", "uitkomsten": []}
    PilotEvaluation.objects.filter(pilot=pilot).update(results={**pilot.evaluations.get().results,
                                                                "effectladder": suggestion})
    return {"plan": plan, "placement": work[matrix.PLACEMENT], "referral": delivered[matrix.REFERRAL],
            "trajectory": delivered[matrix.TRAJECTORY], "aftercare": delivered[matrix.AFTERCARE],
            "campaign": campaign, "invitation": invitation, "employer": work[matrix.EMPLOYER],
            "vacancy": work[matrix.VACANCY], "proposal": work[matrix.PROPOSAL], "run": pending_run, "pilot": pilot}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_operation_never_errs_and_answers_as_documented(case, world, seeded):
    path = case.operation.path
    role = role_for(path)
    token = Token.objects.get_or_create(user=world.users[role])[0].key
    if case.path_parameters:
        # Three in four cases use the seeded objects; the rest keep the generated (mostly unknown, some absurd) ids.
        if zlib.crc32(repr(sorted(case.path_parameters.items())).encode()) % 4:
            known = existing_ids(path, world, seeded)
            case.path_parameters = {name: known.get(name, value) for name, value in case.path_parameters.items()}
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)


def test_the_requests_the_fuzzing_broke_answer_problem_details(world, seeded, client):
    # Each was a 500 (or Django's HTML 400) before; the schemathesis run above finds them again if they return.
    client.force_login(world.users["beheerder"])
    answers = [client.get("/api/v1/access-log/unusual/?days=999999999"),
               client.patch("/api/v1/approaches/eigen-aanpak/", "[null, null]", content_type="application/json")]
    client.force_login(world.users["teamleider"])
    answers.append(client.post("/api/v1/campaigns/null/invited/", {"client_ids": [1]},
                               content_type="application/json"))
    answers.append(client.post(f"/api/v1/campaigns/{seeded['campaign'].pk}/invited/",
                               {"client_ids": [str(n) for n in range(1200)]}))  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
    assert [answer.status_code for answer in answers] == [400, 400, 404, 400]
    assert {answer["Content-Type"] for answer in answers} == {"application/problem+json"}
