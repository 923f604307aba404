import csv
import hashlib
import hmac
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kansrijk.caseload.models import BenefitSpell
from kansrijk.caseload.tests.factories import ClientFactory
from kansrijk.core.pseudonyms import analysis_key, analysis_pseudonym
from kansrijk.diagnosis.models import LadderMeasurement, LadderStep
from kansrijk.privacy import pseudonymised
from kansrijk.privacy.models import PseudonymisedExport
from kansrijk.trajectories.tests.factories import accepted, delivery

PURPOSE = "Uitstroom naar werk per trede, evaluatie 2026"


@pytest.fixture
def person(world):
    """A client whose every identifier is distinctive, so a cell containing one cannot be a coincidence."""
    client = ClientFactory(pk=987654321, municipality=world.muni, team=world.team,
                           client_manager=world.users["klantmanager"], client_number="4455667", bsn="123456782",
                           given_names="Zeldzame", family_name="Achternaamvan")
    BenefitSpell.objects.create(client=client, municipality=world.muni, original_start=date(2019, 3, 12),
                                first_period_start=date(2019, 3, 12), last_period_start=date(2019, 3, 12),
                                end_date=date(2024, 5, 20), household="Alleenstaande ouder")
    BenefitSpell.objects.create(client=client, municipality=world.muni, original_start=date(2025, 1, 2),
                                first_period_start=date(2025, 1, 2), last_period_start=date(2025, 1, 2))
    step = LadderStep.objects.get(code="2", municipality=None)
    LadderMeasurement.objects.create(client=client, measured_on=date(2025, 2, 3), measured_by=world.users[
        "klantmanager"], trede=2, step=step, note="Vrije tekst die nooit mee mag")
    accepted(world, delivery(world), client=client)
    return client


def export(api_or_client, table, purpose=PURPOSE, municipality="9999", via="web"):
    if via == "web":
        response = api_or_client.post(reverse("privacy:pseudonymised-export"),
                                      {"gemeente": municipality, "tabel": table, "doel": purpose})
    else:
        response = api_or_client.post(reverse("api:pseudonymised-export"),
                                      {"municipality": municipality, "table": table, "purpose": purpose})
    assert response.status_code == 200, response.content[:500]
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_no_cell_holds_an_identifier_of_the_client(world, person, login):
    analyst = login(world.users["beleidsmedewerker"])
    identifiers = ["4455667", "123456782", "Zeldzame", "Achternaamvan", "987654321", "D4455667",
                   "Vrije tekst", "Anna", "Jansen", "111222333"]
    for table in pseudonymised.TABLES:
        rows = export(analyst, table)
        assert rows[0][0] == "pseudoniem"
        assert len(rows) > 1, table
        for row in rows:
            for cell in row:
                for identifier in identifiers:
                    assert identifier.lower() not in cell.lower(), (table, cell)
        # Dates are months only; no full date of birth or of a spell.
        assert not any(len(cell) == 10 and cell[4] == "-" and cell[7] == "-" for row in rows for cell in row)


def test_the_pseudonym_is_stable_under_one_key_and_differs_under_another(world, person, login, settings):
    analyst = login(world.users["beleidsmedewerker"])
    settings.PSEUDONYMISATION_KEY = "sleutel-een"
    first = {row[0] for row in export(analyst, "uitkeringen")[1:]}
    again = {row[0] for row in export(analyst, "treden")[1:]}
    assert analysis_pseudonym(person.pk) in first and analysis_pseudonym(person.pk) in again
    settings.PSEUDONYMISATION_KEY = "sleutel-twee"
    other = {row[0] for row in export(analyst, "uitkeringen")[1:]}
    assert len(other) == len(first) and not other & first


def test_recomputing_the_pseudonym_needs_the_key(person, settings):
    settings.PSEUDONYMISATION_KEY = "de-echte-sleutel"
    pseudonym = analysis_pseudonym(person.pk)
    guesses = [hashlib.sha256(str(person.pk).encode()).hexdigest(),
               hashlib.sha256(person.client_number.encode()).hexdigest(),
               hmac.new(settings.SECRET_KEY.encode(), f"analyse:{person.pk}".encode(), hashlib.sha256).hexdigest(),
               hmac.new(b"", f"analyse:{person.pk}".encode(), hashlib.sha256).hexdigest()]
    assert all(pseudonym[2:] not in guess for guess in guesses)
    assert analysis_pseudonym(person.pk, b"de-echte-sleutel") == pseudonym
    assert analysis_pseudonym(person.pk, b"een-gok") != pseudonym


def test_no_column_joins_with_the_other_exports(world, person, login):
    """Neither the pseudonyms nor anything else identifying appear in any other file the analyst can download, nor
    in the client manager's caseload export; and the caseload export's client numbers appear nowhere in ours."""
    analyst = login(world.users["beleidsmedewerker"])
    ours = {table: export(analyst, table) for table in pseudonymised.TABLES}
    pseudonyms = {row[0] for rows in ours.values() for row in rows[1:]}
    others = []
    for name in ("monitoring:caseload-export", "monitoring:outflow-export", "monitoring:fairness-export",
                 "monitoring:dashboard-export"):
        response = analyst.get(reverse(name))
        assert response.status_code == 200, name
        others.append(response.content.decode("utf-8-sig"))
    manager = login(world.users["klantmanager"])
    caseload = manager.get(reverse("caseload:client-export")).content.decode("utf-8-sig")
    others.append(caseload)
    for text in others:
        assert not any(pseudonym in text for pseudonym in pseudonyms)
    client_numbers = {row[0] for row in csv.reader(io.StringIO(caseload), delimiter=";")}
    assert "4455667" in client_numbers
    our_cells = {cell for rows in ours.values() for row in rows for cell in row}
    assert not our_cells & (client_numbers - {""})


def test_every_export_is_recorded_with_its_purpose(world, person, login):
    analyst = login(world.users["beleidsmedewerker"])
    rows = export(analyst, "uitkeringen")
    record = PseudonymisedExport.objects.get()
    assert (record.exported_by, record.municipality, record.table, record.purpose) == (
        world.users["beleidsmedewerker"], world.muni, "uitkeringen", PURPOSE)
    assert record.rows == len(rows) - 1


def test_without_a_purpose_nothing_leaves(world, person, login):
    analyst = login(world.users["beleidsmedewerker"])
    response = analyst.post(reverse("privacy:pseudonymised-export"), {"gemeente": "9999", "tabel": "treden",
                                                                      "doel": "kort"})
    assert response.status_code == 400
    assert "minstens 20 tekens" in response.content.decode()
    assert not PseudonymisedExport.objects.exists()
    # The other municipality is not the analyst's.
    response = analyst.post(reverse("privacy:pseudonymised-export"), {"gemeente": "9998", "tabel": "treden",
                                                                      "doel": PURPOSE})
    assert response.status_code == 400


def test_production_without_a_key_refuses(world, person, login, api_login, settings):
    settings.SECRET_KEY = "een-echte-productiesleutel-" + "x" * 40
    settings.PSEUDONYMISATION_KEY = ""
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured):
        analysis_key()
    response = login(world.users["beleidsmedewerker"]).post(
        reverse("privacy:pseudonymised-export"), {"gemeente": "9999", "tabel": "treden", "doel": PURPOSE})
    assert response.status_code == 400 and "PSEUDONYMISATION_KEY" in response.content.decode()
    api = api_login(world.users["beleidsmedewerker"])
    response = api.post(reverse("api:pseudonymised-export"), {"table": "treden", "purpose": PURPOSE})
    assert response.status_code == 503
    assert not PseudonymisedExport.objects.exists()


def test_api_streams_the_same_rows_and_checks_input(world, person, api_login, login):
    api = api_login(world.users["beleidsmedewerker"])
    assert export(api, "trajecten", via="api") == export(login(world.users["beleidsmedewerker"]), "trajecten")
    bad = api.post(reverse("api:pseudonymised-export"), {"table": "namen", "purpose": ""})
    assert bad.status_code == 400
    assert {p["name"] for p in bad.json()["invalidParams"]} == {"table", "purpose"}
    assert api_login(world.users["teamleider"]).post(reverse("api:pseudonymised-export"), {}).status_code == 403


def test_rows_are_read_in_chunks_with_a_fixed_number_of_queries(world, person):
    key = b"k"

    def queries():
        with CaptureQueriesContext(connection) as captured:
            lines = list(pseudonymised.csv_lines("uitkeringen", world.muni.pk, key))
        return len(captured), lines

    few, _lines = queries()
    for number in range(30):
        client = ClientFactory(municipality=world.muni, client_number=f"66{number:03d}")
        BenefitSpell.objects.create(client=client, municipality=world.muni, original_start=date(2020, 1, 1),
                                    first_period_start=date(2020, 1, 1), last_period_start=date(2020, 1, 1),
                                    end_date=date(2020, 1, 1) + timedelta(days=number))
    many, lines = queries()
    assert few == many
    assert "".join(lines).count("\n") >= 35


def test_deploy_check_names_a_missing_key(settings):
    from kansrijk.privacy.checks import pseudonymisation_key_set

    settings.SECRET_KEY = "een-echte-productiesleutel-" + "x" * 40
    settings.PSEUDONYMISATION_KEY = ""
    assert [w.id for w in pseudonymisation_key_set(None)] == ["privacy.W001"]
    settings.PSEUDONYMISATION_KEY = "gezet"
    assert pseudonymisation_key_set(None) == []


def test_debug_on_a_real_installation_does_not_derive_the_key_from_the_secret_key(settings):
    """A derived key is for development installations (recognised by the development SECRET_KEY). A production
    installation switched to DEBUG for troubleshooting must not quietly key the pseudonyms with its SECRET_KEY,
    which every process of the web application holds: the exports would be linkable without the separate key."""
    settings.SECRET_KEY = "een-echte-productiesleutel-" + "x" * 40
    settings.PSEUDONYMISATION_KEY = ""
    settings.DEBUG = True
    with pytest.raises(ImproperlyConfigured):
        analysis_key()


def test_a_medical_end_reason_does_not_reach_the_person_level_export(world, person, login):
    """That a trajectory ended for a medical reason is health data (AVG art. 9), which the person-level export
    leaves out like the other special categories; the row itself stays, with the reason made general."""
    from django.db.models import F

    from kansrijk.trajectories.models import Trajectory

    Trajectory.objects.filter(client=person).update(status="beeindigd", end_on=F("accepted_on"), end_reason="medisch")
    rows = export(login(world.users["beleidsmedewerker"]), "trajecten")
    column = rows[0].index("reden_einde")
    assert len(rows) > 1
    assert all(row[column] != "medisch" for row in rows[1:])
    assert {row[column] for row in rows[1:]} == {"overig"}


def test_a_cause_telling_of_health_detention_or_origin_does_not_reach_the_person_level_export(world, person, login):
    """The cause of benefit dependency can be health (arbeidsongeschiktheid, psychiatric institution), detention or
    origin (AZC); per person it is given as 39 "Andere oorzaak", an ordinary cause as it is."""
    from kansrijk.caseload.models import CauseCode

    first, second = BenefitSpell.objects.filter(client=person).order_by("original_start")
    first.cause, second.cause = CauseCode.objects.get(code=25), CauseCode.objects.get(code=2)  # detentie; relatie
    BenefitSpell.objects.bulk_update([first, second], ["cause"])
    rows = export(login(world.users["beleidsmedewerker"]), "uitkeringen")
    column = rows[0].index("oorzaak_code")
    pseudonym = analysis_pseudonym(person.pk)
    assert [row[column] for row in rows[1:] if row[0] == pseudonym] == ["39", "2"]
    for code in (15, 21, 26, 32, 4, 16, 43):
        second.cause = CauseCode.objects.get(code=code)
        second.save(update_fields=["cause"])
        rows = export(login(world.users["beleidsmedewerker"]), "uitkeringen")
        assert [row[column] for row in rows[1:] if row[0] == pseudonym] == ["39", "39"], code
    # The end of a job (11, "Einde Arb. dienstbetr./ZW", the commonest cause) stays as it is.
    second.cause = CauseCode.objects.get(code=11)
    second.save(update_fields=["cause"])
    rows = export(login(world.users["beleidsmedewerker"]), "uitkeringen")
    assert [row[column] for row in rows[1:] if row[0] == pseudonym] == ["39", "11"]
