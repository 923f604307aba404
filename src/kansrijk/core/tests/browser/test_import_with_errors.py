"""The administrator imports a caseload file with bad rows through the browser: the Dutch error report names the
line and the column of each error, and nothing is written."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kansrijk.caseload.models import BenefitSpell, Client, ImportRun

from .conftest import axe_violations, describe, log_in, menu

HEADER = ("Dossiernr;Clientnummer;geboortejaar;geslacht;Kode groep;Startdatum periodiek algemeen;"
          "Einddatum periodiek algemeen;Oorspronkelijke begindatum uitkeringsdossier;Omschrijving leefvorm;"
          "Oorzaak bijstandsafhankelijkheid\n")
# Line 2 is valid; line 3 has an unknown sex code and a date that does not exist; line 4 a birth year out of range.
BAD_FILE = (HEADER
            + "1;9001;1970;V;PW;01-01-2015;;01-01-2015;Alleenstaande;11\n"
            + "2;9002;1970;Q;PW;31-02-2015;;01-01-2015;Alleenstaande;11\n"
            + "3;9003;1790;M;PW;01-01-2016;;01-01-2016;Alleenstaande;11\n")


def test_import_with_invalid_rows_reports_lines_and_columns_and_writes_nothing(world, page, settings, tmp_path):
    settings.KANSRIJK_UPLOAD_DIR = tmp_path
    clients, spells = Client.objects.count(), BenefitSpell.objects.count()
    log_in(page, "beheerder")
    menu(page, "Import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Caseload importeren uit het uitkeringssysteem")
    page.get_by_label("Export van het uitkeringssysteem").set_input_files(
        files=[{"name": "export.csv", "mimeType": "text/csv", "buffer": BAD_FILE.encode("utf-8")}])
    page.get_by_role("button", name="Controleren").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Voorbeeld: export.csv")
    expect(page.get_by_role("alert")).to_contain_text("2 regels bevatten fouten")
    errors = page.get_by_role("table", name="Fouten per regel en kolom")
    rows = [row.get_by_role("cell").all_inner_texts() for row in errors.get_by_role("row").all()[1:]]
    by_line_and_column = {(line, column): message for line, column, _value, message in rows}
    assert re.search("Onbekende code voor geslacht", by_line_and_column[("3", "geslacht")])
    assert re.search("bestaat niet als datum", by_line_and_column[("3", "Startdatum periodiek algemeen")])
    assert ("4", "geboortejaar") in by_line_and_column
    violations = axe_violations(page)
    assert not violations, describe(violations)

    # Nothing is written by the check; the administrator cancels the import.
    assert (Client.objects.count(), BenefitSpell.objects.count()) == (clients, spells)
    page.get_by_role("button", name="Annuleren").click()
    assert ImportRun.objects.get().status == ImportRun.Status.CANCELLED
    assert (Client.objects.count(), BenefitSpell.objects.count()) == (clients, spells)
    assert not Client.objects.filter(client_number__in=["9001", "9002", "9003"]).exists()
