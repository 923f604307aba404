"""Service-level tests for ``caseload.services.import_caseload`` (and ``assign_client``), with the database."""

from __future__ import annotations

import io
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kansrijk.accounts.roles import Role
from kansrijk.caseload.importing import write_rejected_csv
from kansrijk.caseload.models import BenefitSpell, CauseCode, Client, ImportRun
from kansrijk.caseload.services import assign_client, import_caseload

from .factories import (
    BenefitSpellFactory,
    ClientFactory,
    MunicipalityFactory,
    TeamFactory,
    TeamleiderFactory,
    UserFactory,
)
from .test_importing import period, to_csv

pytestmark = pytest.mark.django_db

TODAY = date(2024, 6, 1)
SUMMARY_KEYS = {"rows", "clients", "spells", "created", "updated", "unchanged", "rejected"}


def run_import(data: bytes, municipality, **kwargs):
    kwargs.setdefault("filename", "export.csv")
    kwargs.setdefault("today", TODAY)
    return import_caseload(data=data, municipality=municipality, **kwargs)


def counts() -> tuple[int, int, int, int]:
    return Client.objects.count(), BenefitSpell.objects.count(), ImportRun.objects.count(), LogEntry.objects.filter(
        content_type__in=[ContentType.objects.get_for_model(Client),
                          ContentType.objects.get_for_model(BenefitSpell)]).count()


def entries_for(obj) -> list[LogEntry]:
    return list(LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)),
                                        object_pk=str(obj.pk)).order_by("timestamp", "pk"))


def base_export(**kwargs) -> bytes:
    """Three clients: one with two periods in one spell (one open), one ended, one running."""
    return to_csv([
        period(client="1001", start="2020-01-01", end="2020-06-30", orig="2019-10-01", birth="1970", sex="M"),
        period(client="1001", start="2020-07-01", end="", orig="2019-10-01", birth="1970", sex="M",
               household="Gehuwd/samenwonend"),
        period(client="1002", start="2018-03-01", end="2019-02-28", birth="1985", sex="V"),
        period(client="1003", start="2021-05-01", end="", birth="1990", sex="X", cause="11"),
    ], **kwargs)


@pytest.fixture
def muni():
    return MunicipalityFactory(cbs_code="0363", name="Amsterdam")


@pytest.fixture
def admin(muni):
    return UserFactory(role=Role.BEHEERDER, municipalities=[muni])


# --- the first import --------------------------------------------------------------------------------------------

def test_import_writes_clients_and_merged_spells(muni, admin):
    result = run_import(base_export(), muni, user=admin)
    assert result.ok and result.status == ImportRun.Status.IMPORTED
    assert result.summary["rows"] == 4
    assert result.summary["clients"] == 3 and result.summary["spells"] == 3
    assert result.summary["created"] == 6 and result.summary["updated"] == 0 and result.summary["unchanged"] == 0
    assert result.summary["rejected"] == 0

    c1 = Client.objects.get(municipality=muni, client_number="1001")
    assert (c1.birth_year, c1.sex, c1.household) == (1970, "M", "Gehuwd/samenwonend")
    assert c1.active_spell_start == date(2019, 10, 1)
    spell = c1.spells.get()
    assert spell.end_date is None and spell.period_count == 2
    assert (spell.first_period_start, spell.last_period_start) == (date(2020, 1, 1), date(2020, 7, 1))
    assert spell.municipality_id == muni.pk

    c2 = Client.objects.get(municipality=muni, client_number="1002")
    assert c2.active_spell_start is None
    assert c2.spells.get().end_date == date(2019, 2, 28)

    c3 = Client.objects.get(municipality=muni, client_number="1003")
    assert c3.spells.get().cause == CauseCode.objects.get(code=11)
    assert c3.spells.get().cause.description  # resolved with the shipped code list

    run = result.run
    assert run.status == ImportRun.Status.IMPORTED and run.uploaded_by == admin and run.finished_at
    assert run.summary["created"] == 6
    assert set(Client.objects.values_list("last_import", flat=True)) == {run.pk}
    assert set(BenefitSpell.objects.values_list("last_import", flat=True)) == {run.pk}


def test_summary_keys(muni):
    for result in (run_import(base_export(), muni),
                   run_import(base_export(), muni, dry_run=True),
                   run_import(to_csv([period(sex="Q")]), muni),
                   run_import(b"", muni)):
        assert SUMMARY_KEYS <= set(result.summary), result.summary
        assert all(isinstance(result.summary[k], int) for k in SUMMARY_KEYS)


def test_xlsx_and_cp1252_exports_import(muni):
    from .test_importing import to_xlsx

    xlsx = to_xlsx([["D1", 1001, 1980, "M", "ALG", 43831, None, 43831, "Alleenstaande", 4]])
    assert run_import(xlsx, muni, filename="export.xlsx").ok
    cp1252 = to_csv([period(client="1002", household="Gehuwd/samenwonend", Voornamen="Zoë", Achternaam="Brontë")],
                    delimiter=";", encoding="cp1252")
    assert run_import(cp1252, muni).ok
    assert Client.objects.get(client_number="1001").spells.get().original_start == date(2020, 1, 1)
    client = Client.objects.get(client_number="1002")
    assert (client.given_names, client.family_name, client.household) == ("Zoë", "Brontë", "Gehuwd/samenwonend")
    assert client.search_name == "brontë zoë"


# --- atomic, skip_invalid, dry_run -------------------------------------------------------------------------------

def test_one_bad_row_rejects_the_whole_file(muni, admin):
    data = to_csv([period(client="1"), period(client="2"), period(client="3", start="31-02-2020", orig="2020-01-01"),
                   period(client="4", sex="Q")])
    result = run_import(data, muni, user=admin)
    assert result.status == ImportRun.Status.REJECTED and not result.ok
    assert Client.objects.count() == 0 and BenefitSpell.objects.count() == 0
    assert [(e.line, e.column) for e in result.errors] == [(4, "Startdatum periodiek algemeen"), (5, "geslacht")]
    assert result.summary["rejected"] == 2 and result.summary["created"] == 0
    run = ImportRun.objects.get()
    assert run == result.run
    assert run.status == ImportRun.Status.REJECTED and run.uploaded_by == admin and not run.skip_invalid
    assert [(e["regel"], e["kolom"]) for e in run.errors] == [(4, "Startdatum periodiek algemeen"), (5, "geslacht")]
    assert all(e["fout"] for e in run.errors)


def test_unreadable_file_is_rejected_with_a_run(muni):
    result = run_import(to_csv([period()], header=["Dossiernr", "Clientnummer"]), muni)
    assert result.status == ImportRun.Status.REJECTED and not result.ok
    assert result.parsed is None
    assert Client.objects.count() == 0
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.REJECTED
    assert {e["kolom"] for e in run.errors} >= {"geboortejaar", "geslacht"}


def test_rejection_leaves_existing_register_untouched(muni):
    run_import(base_export(), muni)
    before = list(BenefitSpell.objects.order_by("pk").values())
    bad = to_csv([period(client="1002", start="2018-03-01", end="2019-12-31", birth="1985", sex="V"),
                  period(client="1004", birth="2100")])
    result = run_import(bad, muni)
    assert result.status == ImportRun.Status.REJECTED
    assert list(BenefitSpell.objects.order_by("pk").values()) == before
    assert Client.objects.count() == 3


def test_skip_invalid_writes_valid_rows_only(muni):
    data = to_csv([period(client="1"), period(client="2", birth="1066"), period(client="3"),
                   period(client="", dossier="D"), period(client="1", start="2020-01-01")])
    result = run_import(data, muni, skip_invalid=True)
    assert result.status == ImportRun.Status.IMPORTED and result.ok
    assert set(Client.objects.values_list("client_number", flat=True)) == {"1", "3"}
    assert BenefitSpell.objects.count() == 2
    assert result.summary["rejected"] == 3 and result.summary["created"] == 4
    assert [line for line, _raw, _errors in result.parsed.rejected] == [3, 5, 6]
    assert result.run.skip_invalid and result.run.status == ImportRun.Status.IMPORTED
    assert [e["regel"] for e in result.run.errors] == [3, 5, 6]
    out = io.StringIO()
    write_rejected_csv(result.parsed, out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 4 and lines[1].startswith("3;") and "geboortejaar" in lines[1]


def test_dry_run_writes_nothing_at_all(muni):
    before = counts()
    result = run_import(base_export(), muni, dry_run=True)
    assert result.status == ImportRun.Status.PREVIEW and result.ok and result.run is None
    assert result.summary["created"] == 6 and result.summary["clients"] == 3
    assert counts() == before == (0, 0, 0, 0)


def test_dry_run_of_a_bad_file_writes_no_import_run(muni):
    assert run_import(to_csv([period(sex="Q")]), muni, dry_run=True).status == ImportRun.Status.REJECTED
    assert run_import(b"", muni, dry_run=True).status == ImportRun.Status.REJECTED
    assert counts() == (0, 0, 0, 0)


def test_dry_run_against_an_existing_register_reports_changes_but_writes_nothing(muni):
    run_import(base_export(), muni)
    before = counts()
    snapshot = list(BenefitSpell.objects.order_by("pk").values_list("end_date", flat=True))
    newer = to_csv([period(client="1003", start="2021-05-01", end="2024-01-31", birth="1990", sex="X", cause="11"),
                    period(client="1005")])
    result = run_import(newer, muni, dry_run=True)
    assert result.status == ImportRun.Status.PREVIEW
    assert result.summary["updated"] == 2  # the spell's end and the client's running spell
    assert result.summary["created"] == 2
    assert counts() == before
    assert list(BenefitSpell.objects.order_by("pk").values_list("end_date", flat=True)) == snapshot


# --- re-import ---------------------------------------------------------------------------------------------------

def test_reimport_of_the_same_file_changes_nothing(muni):
    run_import(base_export(), muni)
    before_clients = list(Client.objects.order_by("pk").values("pk", "client_number", "active_spell_start"))
    before_logs = counts()[3]
    for data in (base_export(), base_export(delimiter=";", bom=True)):
        result = run_import(data, muni)
        assert result.ok
        assert result.summary["created"] == 0 and result.summary["updated"] == 0
        assert result.summary["unchanged"] == 6  # 3 clients + 3 spells
    assert list(Client.objects.order_by("pk").values("pk", "client_number", "active_spell_start")) == before_clients
    assert BenefitSpell.objects.count() == 3
    assert counts()[3] == before_logs


def test_newer_export_with_changed_end_date_updates_and_is_audited(muni, admin):
    run_import(base_export(), muni)
    newer = to_csv([
        period(client="1001", start="2020-01-01", end="2020-06-30", orig="2019-10-01", birth="1970", sex="M"),
        period(client="1001", start="2020-07-01", end="2024-03-31", orig="2019-10-01", birth="1970", sex="M",
               household="Gehuwd/samenwonend"),
        period(client="1002", start="2018-03-01", end="2019-02-28", birth="1985", sex="V"),
        period(client="1003", start="2021-05-01", end="", birth="1990", sex="X", cause="11"),
    ])
    result = run_import(newer, muni, user=admin)
    assert result.summary["created"] == 0
    assert result.summary["updated"] == 2  # spell end date, client's running spell
    assert result.summary["unchanged"] == 4
    client = Client.objects.get(client_number="1001")
    spell = client.spells.get()
    assert spell.end_date == date(2024, 3, 31)
    assert spell.last_import == result.run
    assert client.active_spell_start is None
    assert BenefitSpell.objects.count() == 3 and Client.objects.count() == 3

    [spell_entry] = entries_for(spell)
    assert spell_entry.action == LogEntry.Action.UPDATE
    assert spell_entry.changes_dict == {"end_date": [None, "2024-03-31"]}
    assert spell_entry.actor == admin
    assert spell_entry.additional_data == {"import_run": result.run.pk}
    [client_entry] = entries_for(client)
    assert client_entry.changes_dict == {"active_spell_start": ["2019-10-01", None]}
    # nothing logged for what did not change
    assert entries_for(Client.objects.get(client_number="1002")) == []


def test_changed_client_fields_are_audited_with_old_and_new(muni):
    run_import(to_csv([period(client="7", household="Alleenstaande", dossier="D1")]), muni)
    run_import(to_csv([period(client="7", household="Gehuwd/samenwonend", dossier="D2")]), muni)
    client = Client.objects.get()
    assert (client.household, client.dossier_number) == ("Gehuwd/samenwonend", "D2")
    changes = {}
    for entry in entries_for(client):
        changes.update(entry.changes_dict)
    assert changes["household"] == ["Alleenstaande", "Gehuwd/samenwonend"]
    assert changes["dossier_number"] == ["D1", "D2"]


def test_returning_client_gets_a_new_spell(muni):
    run_import(to_csv([period(client="1002", start="2018-03-01", end="2019-02-28", birth="1985", sex="V")]), muni)
    client = Client.objects.get()
    assert client.active_spell_start is None
    newer = to_csv([
        period(client="1002", start="2018-03-01", end="2019-02-28", birth="1985", sex="V"),
        period(client="1002", start="2023-09-01", end="", birth="1985", sex="V"),
    ])
    result = run_import(newer, muni)
    assert result.summary["created"] == 1 and result.summary["updated"] == 1
    client.refresh_from_db()
    assert client.active_spell_start == date(2023, 9, 1)
    spells = list(client.spells.order_by("original_start").values_list("original_start", "end_date"))
    assert spells == [(date(2018, 3, 1), date(2019, 2, 28)), (date(2023, 9, 1), None)]
    assert {"active_spell_start": [None, "2023-09-01"]} in [e.changes_dict for e in entries_for(client)]


def test_returning_client_in_an_export_without_the_old_spell(muni):
    run_import(to_csv([period(client="1002", start="2018-03-01", end="2019-02-28")]), muni)
    run_import(to_csv([period(client="1002", start="2023-09-01", end="")]), muni)
    client = Client.objects.get()
    assert client.spells.count() == 2
    assert client.active_spell_start == date(2023, 9, 1)


def test_spell_that_the_register_knows_as_running_stays_running_when_missing_from_the_export(muni):
    run_import(to_csv([period(client="1", start="2019-01-01", end="")]), muni)
    run_import(to_csv([period(client="1", start="2023-01-01", end="")]), muni)
    client = Client.objects.get()
    # The later running spell is the active one.
    assert client.active_spell_start == date(2023, 1, 1)
    assert client.spells.count() == 2


def test_names_are_not_overwritten_by_an_export_without_name_columns(muni):
    first = to_csv([period(client="1", Voornamen="Anna", Achternaam="de Vries", BSN="111222333")])
    run_import(first, muni)
    client = Client.objects.get()
    assert (client.given_names, client.family_name, client.bsn) == ("Anna", "de Vries", "111222333")
    assert client.search_name == "de vries anna"

    result = run_import(to_csv([period(client="1", household="Gehuwd/samenwonend")]), muni)
    assert result.summary["updated"] == 2  # the client's and the spell's household
    client.refresh_from_db()
    assert (client.given_names, client.family_name, client.bsn) == ("Anna", "de Vries", "111222333")
    assert client.search_name == "de vries anna"
    assert client.household == "Gehuwd/samenwonend"
    assert all("family_name" not in e.changes_dict and "given_names" not in e.changes_dict
               for e in entries_for(client))


def test_names_are_updated_by_an_export_with_name_columns(muni):
    run_import(to_csv([period(client="1", Voornamen="Anna", Achternaam="de Vries")]), muni)
    run_import(to_csv([period(client="1", Voornamen="Anna", Achternaam="Jansen")]), muni)
    client = Client.objects.get()
    assert client.family_name == "Jansen" and client.search_name == "jansen anna"
    assert {"family_name": ["de Vries", "Jansen"]} in [e.changes_dict for e in entries_for(client)]


def test_team_and_client_manager_survive_a_reimport(muni):
    run_import(base_export(), muni)
    team = TeamFactory(municipality=muni)
    manager = UserFactory(role=Role.KLANTMANAGER, municipalities=[muni], teams=[team])
    Client.objects.filter(client_number="1001").update(team=team, client_manager=manager)
    run_import(to_csv([period(client="1001", start="2024-01-01", birth="1970", sex="M")]), muni)
    client = Client.objects.get(client_number="1001")
    assert (client.team, client.client_manager) == (team, manager)


# --- several municipalities --------------------------------------------------------------------------------------

def test_same_client_number_in_two_municipalities_are_two_clients(muni):
    other = MunicipalityFactory(cbs_code="0599", name="Rotterdam")
    run_import(to_csv([period(client="1001", birth="1970", sex="M", start="2020-01-01")]), muni)
    result = run_import(to_csv([period(client="1001", birth="1990", sex="V", start="2022-01-01")]), other)
    assert result.summary["created"] == 2 and result.summary["updated"] == 0
    a = Client.objects.get(municipality=muni, client_number="1001")
    b = Client.objects.get(municipality=other, client_number="1001")
    assert a.pk != b.pk
    assert (a.birth_year, a.sex, a.active_spell_start) == (1970, "M", date(2020, 1, 1))
    assert (b.birth_year, b.sex, b.active_spell_start) == (1990, "V", date(2022, 1, 1))
    assert b.spells.get().municipality == other
    # re-importing in one municipality does not touch the other
    result = run_import(to_csv([period(client="1001", birth="1970", sex="M", start="2020-01-01",
                                       end="2020-12-31")]), muni)
    assert result.summary["updated"] == 2 and result.summary["created"] == 0
    b.refresh_from_db()
    assert b.active_spell_start == date(2022, 1, 1) and b.spells.get().end_date is None
    assert Client.objects.count() == 2 and BenefitSpell.objects.count() == 2


# --- set-wise writes ---------------------------------------------------------------------------------------------

def many_clients(n: int, *, end: str = "") -> bytes:
    rows = []
    for i in range(n):
        number = str(500000 + i)
        rows.append(period(client=number, start="2019-01-01", end="2019-12-31", orig="2019-01-01"))
        rows.append(period(client=number, start="2020-01-01", end=end, orig="2019-01-01"))
    return to_csv(rows)


def query_count(data: bytes, municipality) -> int:
    with CaptureQueriesContext(connection) as context:
        result = run_import(data, municipality)
    assert result.ok
    return len(context.captured_queries)


def test_import_of_500_clients_uses_a_bounded_number_of_queries(muni, django_assert_max_num_queries):
    data = many_clients(500)
    with django_assert_max_num_queries(25):
        result = run_import(data, muni)
    assert result.summary["created"] == 1000
    assert Client.objects.count() == 500 and BenefitSpell.objects.count() == 500
    # Ending every client's benefit also schedules their aftercare (trajectories): one read, one bulk insert.
    with django_assert_max_num_queries(27):
        result = run_import(many_clients(500, end="2024-05-31"), muni)
    assert result.summary["updated"] == 1000
    assert LogEntry.objects.count() >= 1000


def test_query_count_does_not_grow_with_the_number_of_clients(muni):
    other = MunicipalityFactory(cbs_code="0599", name="Rotterdam")
    # first import (all new)
    small, large = query_count(many_clients(100), muni), query_count(many_clients(1000), other)
    assert small == large, (small, large)
    # re-import with every spell changed (all updates, all audited)
    small_update = query_count(many_clients(100, end="2024-05-31"), muni)
    large_update = query_count(many_clients(1000, end="2024-05-31"), other)
    assert small_update == large_update, (small_update, large_update)
    assert Client.objects.filter(municipality=other).count() == 1000
    assert BenefitSpell.objects.filter(municipality=other, end_date=date(2024, 5, 31)).count() == 1000


# --- assignment (uses the shared factories) ----------------------------------------------------------------------

def test_team_lead_assigns_a_client(muni):
    team = TeamFactory(municipality=muni)
    manager = UserFactory(role=Role.KLANTMANAGER, municipalities=[muni], teams=[team])
    lead = TeamleiderFactory(municipalities=[muni], teams=[team])
    client = ClientFactory(municipality=muni)
    BenefitSpellFactory(client=client)
    assign_client(client=client, team=team, client_manager=manager, by=lead)
    client.refresh_from_db()
    assert (client.team, client.client_manager) == (team, manager)
    assert client.spells.get().municipality == muni


def test_assignment_rules(muni):
    team = TeamFactory(municipality=muni)
    other_team = TeamFactory(municipality=MunicipalityFactory())
    manager = UserFactory(role=Role.KLANTMANAGER, teams=[team])
    outsider = UserFactory(role=Role.KLANTMANAGER, teams=[other_team])
    lead = TeamleiderFactory(teams=[team])
    client = ClientFactory(municipality=muni)
    with pytest.raises(PermissionDenied):
        assign_client(client=client, team=team, client_manager=manager, by=manager)
    with pytest.raises(ValidationError):
        assign_client(client=client, team=other_team, client_manager=None, by=lead)
    with pytest.raises(ValidationError):
        assign_client(client=client, team=team, client_manager=outsider, by=lead)
    with pytest.raises(ValidationError):
        assign_client(client=client, team=team, client_manager=lead, by=lead)
    client.refresh_from_db()
    assert client.team is None and client.client_manager is None
