"""API conventions: problem details everywhere, the committed OpenAPI schema, deploy checks, stats."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[4]


def test_not_found_is_problem_details(world, login):
    client = login(world.users["klantmanager"])
    for url in ("/api/v1/bestaat-niet/", reverse("api:client-detail", args=[world.other_muni_client.pk])):
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 404


def test_forbidden_is_problem_details(world, login):
    response = login(world.users["beleidsmedewerker"]).get(reverse("api:client-list"))
    assert response.status_code == 403
    assert response.json()["detail"] == "Uw rol geeft geen toegang tot deze gegevens."


def test_validation_error_lists_invalid_params(world, login):
    response = login(world.users["teamleider"]).post(reverse("api:client-assign", args=[world.own.pk]),
                                                    {"team": "geen-getal"}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["invalidParams"][0]["name"] == "team"
    assert response["Content-Type"] == "application/problem+json"


def test_api_import_rejects_bad_file_with_every_error(world, login):
    import io

    upload = io.BytesIO(
        "Dossiernr,Clientnummer,geboortejaar,geslacht,Kode groep,Startdatum periodiek algemeen,"
        "Einddatum periodiek algemeen,Oorspronkelijke begindatum uitkeringsdossier,Omschrijving leefvorm,"
        "Oorzaak bijstandsafhankelijkheid\n1,,1970,V,PW,2020-01-01,,2020-01-01,A,11\n"
        "2,9,1800,V,PW,2020-01-01,,2020-01-01,A,11\n".encode())
    upload.name = "export.csv"
    response = login(world.users["beheerder"]).post(reverse("api:import-list"), {"file": upload},
                                                   format="multipart")
    assert response.status_code == 422
    body = response.json()
    assert [(e["regel"], e["kolom"]) for e in body["errors"]] == [(2, "Clientnummer"), (3, "geboortejaar")]
    assert body["summary"]["rejected"] == 2


def test_committed_openapi_schema_matches_the_code(tmp_path):
    # Integer bounds in the schema follow the database backend's field ranges, so the committed schema is
    # generated against the default SQLite engine (as `make schema` does), whatever engine this run uses.
    generated = tmp_path / "openapi.yaml"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'schema.sqlite3'}"}
    result = subprocess.run([sys.executable, "-m", "kansrijk.manage", "spectacular", "--file", str(generated),
                             "--validate", "--fail-on-warn"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    committed = ROOT / "docs" / "api" / "openapi.yaml"
    assert committed.read_text() == generated.read_text(), "Run `make schema` and commit docs/api/openapi.yaml"


def test_deploy_check_refuses_the_development_secret_key(tmp_path):
    env = {**os.environ, "DEBUG": "0", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run([sys.executable, "-m", "kansrijk.manage", "check", "--deploy", "--fail-level",
                             "WARNING"], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


@pytest.mark.django_db
def test_stats_json_counts_the_main_entities(world, capsys):
    call_command("stats", "--json")
    counts = json.loads(capsys.readouterr().out)
    assert counts["clients"] == 4 and counts["spells"] == 4
    assert counts["teams"] == 3 and counts["users"] == 8
