"""The monitoring app through the database: selectors (scope, cache, query counts), pages, exports, API, command."""

import io
import json
from datetime import date

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kansrijk.caseload.models import BenefitSpell, CauseCode, Client
from kansrijk.caseload.tests.factories import ImportRunFactory
from kansrijk.monitoring import selectors

from .test_analysis import COHORTS, PEIL, plain_expected

QUERY = {"peildatum": PEIL.isoformat()}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def load(municipality, cohorts=COHORTS, prefix="7"):
    causes = {c.description: c for c in CauseCode.objects.all()}
    clients, spells = [], []
    for name, _count, sex, birth_year, start, ends, household, cause in cohorts:
        for index, end in enumerate(ends):
            client = Client(municipality=municipality, client_number=f"{prefix}{name}{index}", birth_year=birth_year,
                            sex=sex, household="Iets anders")  # the spell's household counts, not the client's
            clients.append(client)
            spells.append((client, start, end, household, causes[cause]))
    Client.objects.bulk_create(clients)
    BenefitSpell.objects.bulk_create(
        BenefitSpell(client=client, municipality=municipality, original_start=start, end_date=end,
                     first_period_start=start, last_period_start=start, household=household, cause=cause)
        for client, start, end, household, cause in spells)


def rows_from_database(municipality):
    """The spells as plain dicts, read with the ORM: the independent side of the comparison."""
    words = {"M": "M", "V": "V"}
    out = []
    for spell in BenefitSpell.objects.filter(municipality=municipality).select_related("client", "cause"):
        out.append({"client_id": spell.client_id, "start": spell.original_start, "end": spell.end_date,
                    "household": spell.household or spell.client.household, "cause": spell.cause.description,
                    "birth_year": spell.client.birth_year, "sex": words[spell.client.sex]})
    return out


def test_the_analysis_from_the_database_matches_the_plain_computation(world):
    load(world.muni)
    load(world.other_muni, prefix="8")  # another municipality's spells never count
    result = selectors.caseload_analysis(world.muni.pk, PEIL, use_cache=False)
    assert result == plain_expected(rows_from_database(world.muni), PEIL)
    totals = {r["instroomjaar"]: r for r in result["totaal"]}
    assert totals[2020] == {"instroomjaar": 2020, "n": 40, "actief": 18, "pct_actief": 45.0}
    assert "Iets anders" not in {r["groep"] for r in result["leefvorm"]}


def test_query_count_does_not_grow_with_the_data(world, django_assert_num_queries):
    load(world.muni)
    with django_assert_num_queries(1):
        selectors.caseload_analysis(world.muni.pk, PEIL, use_cache=False)
    load(world.muni, prefix="9")
    with django_assert_num_queries(1):
        selectors.caseload_analysis(world.muni.pk, PEIL, use_cache=False)
    with django_assert_num_queries(1):
        selectors.outflow_analysis(world.muni.pk, PEIL, use_cache=False)


def test_cached_until_the_data_changes(world, django_assert_num_queries):
    load(world.muni)
    first = selectors.caseload_analysis(world.muni.pk, PEIL)
    with django_assert_num_queries(3):  # only the data version: latest import, spell count, highest spell id
        assert selectors.caseload_analysis(world.muni.pk, PEIL) == first
    load(world.muni, prefix="9")  # new spells: the version changes, the analysis is recomputed
    again = selectors.caseload_analysis(world.muni.pk, PEIL)
    assert {r["instroomjaar"]: r["n"] for r in again["totaal"]}[2020] == 80
    # One spell corrected in place (same count, same ids): the save signal changes the version too.
    spell = BenefitSpell.objects.filter(municipality=world.muni, original_start=date(2020, 6, 30),
                                        end_date__isnull=True).first()
    spell.end_date = date(2024, 1, 1)
    spell.save()
    corrected = selectors.caseload_analysis(world.muni.pk, PEIL)
    assert {r["instroomjaar"]: r["n"] for r in corrected["totaal"]}[2020] == 80
    assert corrected != again


def test_a_new_import_run_changes_the_version(world):
    before = selectors.data_version(world.muni.pk)
    ImportRunFactory(municipality=world.muni)
    assert selectors.data_version(world.muni.pk) != before


def test_analyst_sees_the_page_with_suppression_marked(world, login):
    load(world.muni)
    response = login(world.users["beleidsmedewerker"]).get(reverse("monitoring:caseload"), QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Analyse bijstandsbestand" in html
    assert '<abbr title="minder dan 10 personen: onderdrukt">&lt;10</abbr>' in html
    assert "<td>45.0</td>" in html or "<td>45,0</td>" in html
    assert 'id="totaal-data"' in html  # the chart's data beside the table
    for name in ("Jansen", "Anna", "5001"):
        assert name not in html  # aggregates only


def test_client_manager_gets_no_analysis(world, login):
    client = login(world.users["klantmanager"])
    assert client.get(reverse("monitoring:caseload")).status_code == 403
    assert client.get(reverse("monitoring:outflow")).status_code == 403
    assert client.get(reverse("api:monitoring-caseload")).status_code == 403


def test_a_future_peildatum_is_explained(world, login):
    response = login(world.users["beleidsmedewerker"]).get(reverse("monitoring:caseload"),
                                                              {"peildatum": "2999-01-01"})
    assert response.status_code == 200
    assert "De peildatum kan niet in de toekomst liggen" in response.content.decode()
    assert 'id="totaal-data"' not in response.content.decode()


def test_outflow_page(world, login):
    load(world.muni)
    response = login(world.users["teamleider"]).get(reverse("monitoring:outflow"), QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Terug in de bijstand na 6, 12 en 18 maanden" in html
    assert 'id="overleving-leeftijdsklasse-data"' in html


@pytest.mark.parametrize("route, table", [("monitoring:caseload-export", "totaal"),
                                          ("monitoring:caseload-export", "actief_leeftijd_leefvorm"),
                                          ("monitoring:outflow-export", "terugkeer"),
                                          ("monitoring:outflow-export", "overleving-leefvorm")])
def test_exports_open(world, login, route, table):
    load(world.muni)
    client = login(world.users["beleidsmedewerker"])
    csv_text = client.get(reverse(route), {**QUERY, "tabel": table, "formaat": "csv"}).content.decode("utf-8-sig")
    assert "<10" in csv_text or table != "totaal"
    assert "peildatum 31-12-2024" in csv_text
    workbook = load_workbook(io.BytesIO(client.get(reverse(route), {**QUERY, "tabel": table,
                                                                     "formaat": "xlsx"}).content))
    values = [row for row in workbook.active.iter_rows(values_only=True)]
    assert values[0][0]  # the title
    if table == "totaal":
        assert (2020, 40, 18, 45) in [tuple(v[:4]) for v in values]
    png = client.get(reverse(route), {**QUERY, "tabel": table, "formaat": "png"})
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    svg = client.get(reverse(route), {**QUERY, "tabel": table, "formaat": "svg"})
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_export_refuses_unknown_table_and_bad_date(world, login):
    client = login(world.users["beleidsmedewerker"])
    assert client.get(reverse("monitoring:caseload-export"), {"tabel": "personen"}).status_code == 404
    assert client.get(reverse("monitoring:caseload-export"), {"formaat": "exe"}).status_code == 404
    assert client.get(reverse("monitoring:caseload-export"), {"peildatum": "gisteren"}).status_code == 400


def test_api_gives_the_analysis(world, api_login):
    load(world.muni)
    body = api_login(world.users["beleidsmedewerker"]).get(reverse("api:monitoring-caseload"), QUERY).json()
    assert body["gemeente"] == "9999" and body["peildatum"] == "2024-12-31" and body["onderdrukt_onder"] == 10
    assert {"instroomjaar": 2020, "n": 40, "actief": 18, "pct_actief": 45.0} in body["totaal"]
    outflow = api_login(world.users["beleidsmedewerker"]).get(reverse("api:monitoring-outflow"), QUERY).json()
    assert set(outflow) >= {"overleving", "uitstroomredenen", "terugkeer"}


@pytest.mark.parametrize("params, field", [({"peildatum": "31-13-2024"}, "peildatum"),
                                           ({"peildatum": "2999-01-01"}, "peildatum"),
                                           ({"gemeente": "9998"}, "gemeente")])
def test_api_problem_details_on_bad_input(world, api_login, params, field):
    response = api_login(world.users["beleidsmedewerker"]).get(reverse("api:monitoring-caseload"), params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [p["name"] for p in response.json()["invalidParams"]] == [field]


def test_command_json_has_exactly_the_issues_shape(world, capsys):
    load(world.muni)
    call_command("caseload_analysis", "--json", "--peildatum", "2024-12-31", "--gemeente", "9999")
    result = json.loads(capsys.readouterr().out)
    assert list(result) == ["totaal", "geslacht", "leefvorm", "leeftijdsklasse", "oorzaak",
                            "actief_leeftijd_leefvorm"]
    assert all(set(r) == {"instroomjaar", "n", "actief", "pct_actief"} for r in result["totaal"])
    for key in ("geslacht", "leefvorm", "leeftijdsklasse", "oorzaak"):
        assert all(set(r) == {"instroomjaar", "groep", "n", "actief", "pct_actief"} for r in result[key])
    assert all(set(r) == {"leeftijdsklasse", "leefvorm", "n"} for r in result["actief_leeftijd_leefvorm"])
    assert {"instroomjaar": 2020, "n": 40, "actief": 18, "pct_actief": 45.0} in result["totaal"]
    # Suppressed cells are null here too.
    assert {"instroomjaar": 2018, "n": None, "actief": None, "pct_actief": None} in result["totaal"]
    assert all(isinstance(r["pct_actief"], float) and round(r["pct_actief"], 2) == r["pct_actief"]
               for r in result["totaal"] if r["pct_actief"] is not None)


def test_command_table_and_errors(world, capsys):
    load(world.muni)
    call_command("caseload_analysis", "--peildatum", "2024-12-31")
    out = capsys.readouterr().out
    assert "Voorbeeldstad" in out and "45.00" in out and "<10" in out
    with pytest.raises(CommandError, match="Ongeldige peildatum"):
        call_command("caseload_analysis", "--peildatum", "31-12-2024")
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("caseload_analysis", "--gemeente", "0001")


def test_peildatum_defaults_to_today(world, api_login):
    body = api_login(world.users["beheerder"]).get(reverse("api:monitoring-caseload")).json()
    assert body["peildatum"] == timezone.localdate().isoformat()
