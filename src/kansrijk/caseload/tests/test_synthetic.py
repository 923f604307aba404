"""The synthetic export (caseload.synthetic), the generate_caseload and load_demo commands.

Calibration is checked from the written CSV rows with code of its own, not with the generator's internals, so a
change in the generator that breaks a published figure fails here.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from kansrijk.accounts.models import Municipality, RolePolicy, Team, User
from kansrijk.accounts.roles import Role
from kansrijk.caseload.importing import REQUIRED_COLUMNS, is_valid_bsn
from kansrijk.caseload.models import BenefitSpell, CauseCode, Client, ClientSpecialCategories
from kansrijk.caseload.services import import_caseload
from kansrijk.caseload.synthetic import HEADER, generate_rows, write_export
from kansrijk.catalogue import content
from kansrijk.catalogue.models import Approach, LocalOffer

REFERENCE = date(2024, 6, 30)
TODAY = date(2024, 7, 1)


@pytest.fixture(scope="module")
def calibration_rows(tmp_path_factory) -> list[dict]:
    path = tmp_path_factory.mktemp("synthetic") / "export.csv"
    write_export(path, 20_000, seed=3, reference_date=REFERENCE)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def clients_from(rows: list[dict]) -> dict[str, dict]:
    clients: dict[str, dict] = defaultdict(lambda: {"spells": defaultdict(list)})
    for row in rows:
        client = clients[row["Clientnummer"]]
        client.update(birth_year=int(row["geboortejaar"]), sex=row["geslacht"],
                      household=row["Omschrijving leefvorm"], bsn=row["BSN"])
        client["spells"][date.fromisoformat(row["Oorspronkelijke begindatum uitkeringsdossier"])].append(row)
    return clients


def active_clients(clients: dict[str, dict]) -> list[dict]:
    """Clients whose latest spell has an open period at the reference date."""
    return [c for c in clients.values() if any(r["Einddatum periodiek algemeen"] == ""
                                               for r in c["spells"][max(c["spells"])])]


def municipality() -> Municipality:
    return Municipality.objects.get_or_create(cbs_code="0363", defaults={"name": "Teststad"})[0]


# --- calibration -------------------------------------------------------------------------------------------------

def test_header_has_required_and_identifying_columns():
    assert HEADER[:len(REQUIRED_COLUMNS)] == REQUIRED_COLUMNS
    for column in ("Omschrijving oorzaak bijstandsafhankelijkheid", "BSN", "Voornamen", "Achternaam"):
        assert column in HEADER


def test_duration_of_active_spells_matches_cbs(calibration_rows):
    active = active_clients(clients_from(calibration_rows))
    two_years_ago = REFERENCE.replace(year=REFERENCE.year - 2)
    fifteen_years_ago = REFERENCE.replace(year=REFERENCE.year - 15)
    starts = [max(c["spells"]) for c in active]
    assert sum(s < two_years_ago for s in starts) / len(starts) == pytest.approx(0.71, abs=0.04)
    assert sum(s < fifteen_years_ago for s in starts) / len(starts) == pytest.approx(0.09, abs=0.025)


def test_women_age_and_household_shares(calibration_rows):
    clients = clients_from(calibration_rows)
    active = active_clients(clients)
    assert sum(c["sex"] == "V" for c in clients.values()) / len(clients) == pytest.approx(0.55, abs=0.02)

    def age_class(client):
        age = REFERENCE.year - client["birth_year"]
        return "<27" if age < 27 else "27-44" if age < 45 else "45-54" if age < 55 else "55+"

    ages = Counter(age_class(c) for c in active)
    for label, share in {"<27": 0.08, "27-44": 0.37, "45-54": 0.25, "55+": 0.30}.items():
        assert ages[label] / len(active) == pytest.approx(share, abs=0.025), label
    assert all(18 <= REFERENCE.year - c["birth_year"] <= 66 for c in clients.values())

    households = Counter(c["household"] for c in active)
    for label, share in {"Alleenstaande": 0.55, "Alleenstaande ouder": 0.20,
                         "Gehuwd/samenwonend zonder kinderen": 0.10,
                         "Gehuwd/samenwonend met kinderen": 0.15}.items():
        assert households[label] / len(active) == pytest.approx(share, abs=0.025), label


def test_earlier_spells_returns_and_periods(calibration_rows):
    clients = clients_from(calibration_rows)
    with_ended = sum(any(all(r["Einddatum periodiek algemeen"] for r in rows) for rows in c["spells"].values())
                     for c in clients.values())
    returned = sum(len(c["spells"]) > 1 for c in clients.values())
    assert with_ended / len(clients) == pytest.approx(0.20, abs=0.03)
    assert returned / len(clients) == pytest.approx(0.10, abs=0.03)
    period_counts = Counter(len(rows) for c in clients.values() for rows in c["spells"].values())
    assert set(period_counts) <= {1, 2, 3} and period_counts[2] and period_counts[3]
    for client in clients.values():
        for rows in client["spells"].values():
            starts = [date.fromisoformat(r["Startdatum periodiek algemeen"]) for r in rows]
            assert starts == sorted(starts)
            # Consecutive: each period ends the day before the next starts, only the last may be open.
            for current, following in zip(rows, rows[1:]):
                end = date.fromisoformat(current["Einddatum periodiek algemeen"])
                assert (date.fromisoformat(following["Startdatum periodiek algemeen"]) - end).days == 1


def test_cause_codes_are_in_use_codes(calibration_rows):
    codes = Counter(int(r["Oorzaak bijstandsafhankelijkheid"]) for r in calibration_rows)
    in_use = {11, 14, 2, 1, 43, 41, 4, 25, 13, 17, 40, 35, 33, 34, 31, 32, 42}
    assert set(codes) <= in_use
    assert codes.most_common(1)[0][0] in {11, 14}
    groups = Counter(r["Kode groep"] for r in calibration_rows)
    assert groups["PW"] / len(calibration_rows) > 0.85 and groups["IOAW"] and groups["IOAZ"]


def test_bsns_valid_and_unique(calibration_rows):
    bsns = {c["bsn"] for c in clients_from(calibration_rows).values()}
    assert len(bsns) == len(clients_from(calibration_rows))
    assert all(is_valid_bsn(b) for b in bsns)


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    paths = [tmp_path / name for name in ("a.csv", "b.csv", "c.csv")]
    write_export(paths[0], 500, seed=1, reference_date=REFERENCE)
    write_export(paths[1], 500, seed=1, reference_date=REFERENCE)
    write_export(paths[2], 500, seed=2, reference_date=REFERENCE)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()


def test_dutch_dates_and_semicolons(tmp_path):
    path = tmp_path / "nl.csv"
    write_export(path, 50, seed=0, delimiter=";", date_style="nl", reference_date=REFERENCE)
    first = path.read_text(encoding="utf-8").splitlines()[1].split(";")
    start = first[HEADER.index("Startdatum periodiek algemeen")]
    assert len(first) == len(HEADER)
    assert start[2] == "-" and start[5] == "-" and len(start) == 10
    rows = list(generate_rows(50, 0, REFERENCE, date_style="date"))
    assert isinstance(rows[0][HEADER.index("Startdatum periodiek algemeen")], date)


# --- through the real import ---------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_generated_export_imports_cleanly(tmp_path):
    path = tmp_path / "export.csv"
    rows = write_export(path, 2000, seed=5, reference_date=REFERENCE)
    result = import_caseload(data=path.read_bytes(), municipality=municipality(), filename=path.name, today=TODAY)
    assert result.status == "imported"
    assert result.errors == []
    assert result.summary["rows"] == rows
    assert Client.objects.count() == 2000
    assert BenefitSpell.objects.count() == result.summary["spells"] > 2000
    assert not Client.objects.filter(bsn="").exists()
    assert Client.objects.exclude(active_spell_start=None).count() == pytest.approx(1800, abs=80)
    cause_ids = set(CauseCode.objects.filter(status=1).values_list("id", flat=True))
    assert set(BenefitSpell.objects.values_list("cause_id", flat=True)) <= cause_ids

    again = import_caseload(data=path.read_bytes(), municipality=municipality(), filename=path.name, today=TODAY)
    assert again.summary["created"] == again.summary["updated"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("name, options", [
    ("export.xlsx", {}),
    ("export-nl.csv", {"delimiter": ";", "date_style": "nl"}),
])
def test_variants_import_cleanly(tmp_path, name, options):
    path = tmp_path / name
    write_export(path, 300, seed=9, reference_date=REFERENCE, **options)
    result = import_caseload(data=path.read_bytes(), municipality=municipality(), filename=name, today=TODAY)
    assert result.errors == []
    assert result.status == "imported"
    assert Client.objects.count() == 300
    reference = tmp_path / "reference.csv"
    write_export(reference, 300, seed=9, reference_date=REFERENCE)
    # Same seed, other format: the same register.
    assert import_caseload(data=reference.read_bytes(), municipality=municipality(), filename="reference.csv",
                           today=TODAY).summary["updated"] == 0


def test_generate_caseload_command(tmp_path):
    path = tmp_path / "out.csv"
    call_command("generate_caseload", "--clients", "40", "--out", str(path), "--peildatum", "2024-06-30",
                 "--delimiter", ";", stdout=io.StringIO(), stderr=io.StringIO())
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].split(";") == HEADER
    assert len({line.split(";")[1] for line in lines[1:]}) == 40


# --- load_demo -----------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_load_demo_creates_every_role_and_is_idempotent():
    out = io.StringIO()
    call_command("load_demo", "--clients", "300", stdout=out)
    main = Municipality.objects.get(name="Voorbeeldstad")
    assert Municipality.objects.filter(cbs_code="9998", name="Buurdorp").exists()
    for role in Role.values:
        user = User.objects.get(username=role)
        assert user.role == role
        assert user.check_password("kansrijk-demo")
    noord = Team.objects.get(municipality=main, name="Team Noord")
    for username in ("klantmanager", "teamleider", "wijkteammedewerker"):
        assert noord in User.objects.get(username=username).teams.all()
    beheerder = User.objects.get(username="beheerder")
    assert beheerder.is_staff and not beheerder.is_superuser
    assert beheerder.has_perm("caseload.change_client") and beheerder.has_perm("accounts.add_team")
    assert Group.objects.get(name="Functioneel beheer") in beheerder.groups.all()
    assert not RolePolicy.objects.filter(otp_required=True).exists()
    assert RolePolicy.objects.count() == len(Role.values)

    clients = Client.objects.filter(municipality=main)
    assert clients.count() == 300
    assert User.objects.get(username="klantmanager").caseload.exists()
    unassigned = clients.filter(team=None).count()
    assert 0 < unassigned < 30
    assert not clients.filter(team=None).exclude(client_manager=None).exists()
    # Every assigned client's manager belongs to the client's team.
    for team_id, manager_id in clients.exclude(team=None).values_list("team", "client_manager").distinct():
        assert User.objects.get(pk=manager_id).teams.filter(pk=team_id).exists()
    loads = Counter(clients.exclude(client_manager=None).values_list("client_manager", flat=True))
    assert max(loads.values()) - min(loads.values()) <= 1
    special = ClientSpecialCategories.objects.filter(client__municipality=main).count()
    assert 0.2 * 300 < special < 0.4 * 300
    assert "http://127.0.0.1:8000" in out.getvalue() and "kansrijk-demo" in out.getvalue()
    # The catalogue is loaded and Voorbeeldstad has a menukaart to show.
    assert Approach.objects.filter(owner=None).count() == len(content.shipped_approaches())
    assert LocalOffer.objects.filter(municipality=main, active=True).count() >= 10

    before = (Client.objects.count(), BenefitSpell.objects.count(), User.objects.count(), Team.objects.count(),
              ClientSpecialCategories.objects.count(), LocalOffer.objects.count())
    call_command("load_demo", "--clients", "300", stdout=io.StringIO())
    after = (Client.objects.count(), BenefitSpell.objects.count(), User.objects.count(), Team.objects.count(),
             ClientSpecialCategories.objects.count(), LocalOffer.objects.count())
    assert before == after
