"""The command line: kansrijk import_caseload, exit codes, --json, --skip-invalid, --dry-run, --gemeente."""

import csv
import json

import pytest
from django.core.management import CommandError, call_command

from kansrijk.caseload.models import BenefitSpell, Client, ImportRun

HEADER = ("Dossiernr;Clientnummer;geboortejaar;geslacht;Kode groep;Startdatum periodiek algemeen;"
          "Einddatum periodiek algemeen;Oorspronkelijke begindatum uitkeringsdossier;Omschrijving leefvorm;"
          "Oorzaak bijstandsafhankelijkheid\n")
GOOD = "1;9001;1970;V;PW;01-01-2015;31-12-2016;01-01-2015;Alleenstaande;11\n" \
       "1;9001;1970;V;PW;01-01-2017;;01-01-2015;Alleenstaande;11\n"
BAD = "2;;1970;V;PW;2020-01-01;;2020-01-01;Alleenstaande;11\n"


@pytest.fixture
def export(tmp_path):
    def _write(body: str, name="export.csv", encoding="utf-8"):
        path = tmp_path / name
        path.write_text(HEADER + body, encoding=encoding)
        return path
    return _write


def _run(capsys, *args):
    call_command("import_caseload", *map(str, args))
    return capsys.readouterr()


def test_import_prints_json_summary(world, export, capsys):
    out = _run(capsys, export(GOOD), "--json")
    summary = json.loads(out.out)
    assert {k: summary[k] for k in ("rows", "clients", "spells", "created", "updated", "unchanged", "rejected")} \
        == {"rows": 2, "clients": 1, "spells": 1, "created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    spell = BenefitSpell.objects.get(client__client_number="9001")
    assert spell.period_count == 2 and spell.end_date is None
    # Importing the same file again changes nothing.
    again = json.loads(_run(capsys, export(GOOD), "--json").out)
    assert again["created"] == 0 and again["unchanged"] == 2


def test_one_bad_row_fails_the_command_and_writes_nothing(world, export, capsys):
    with pytest.raises(CommandError) as excinfo:
        _run(capsys, export(GOOD + BAD))
    assert excinfo.value.returncode == 1
    err = capsys.readouterr().err
    assert "regel 4, kolom 'Clientnummer': Het cliëntnummer ontbreekt." in err
    assert not Client.objects.filter(client_number="9001").exists()
    assert ImportRun.objects.get().status == ImportRun.Status.REJECTED


def test_skip_invalid_imports_valid_rows_and_writes_rejected_csv(world, export, capsys, tmp_path):
    rejected = tmp_path / "afgewezen.csv"
    out = _run(capsys, export(GOOD + BAD), "--skip-invalid", "--rejected-out", rejected, "--json")
    assert json.loads(out.out)["rejected"] == 1
    assert Client.objects.filter(client_number="9001").exists()
    rows = list(csv.reader(rejected.open(encoding="utf-8-sig"), delimiter=";"))
    assert rows[0][0] == "Regel" and rows[0][-1] == "Fouten"
    assert rows[1][0] == "4" and "Het cliëntnummer ontbreekt." in rows[1][-1]


def test_dry_run_writes_nothing(world, export, capsys):
    summary = json.loads(_run(capsys, export(GOOD), "--dry-run", "--json").out)
    assert summary["created"] == 2
    assert not Client.objects.filter(client_number="9001").exists()
    assert not ImportRun.objects.exists()


def test_windows_1252_and_other_municipality(world, export, capsys):
    path = export("1;9001;1970;V;PW;01-01-2015;;01-01-2015;Gehuwd/samenwonend met kinderen ë;11\n",
                  encoding="cp1252")
    _run(capsys, path, "--gemeente", "9998")
    client = Client.objects.get(client_number="9001")
    assert client.municipality == world.other_muni
    assert client.household.endswith("ë")


def test_unknown_municipality_or_file_is_a_clear_error(world, export, capsys, tmp_path):
    with pytest.raises(CommandError, match="Gemeente 1234 bestaat niet"):
        _run(capsys, export(GOOD), "--gemeente", "1234")
    with pytest.raises(CommandError, match="Bestand niet gevonden"):
        _run(capsys, tmp_path / "bestaat-niet.csv")
