"""Property-based tests (hypothesis) of the caseload import: ``caseload.importing`` (CSV and XLSX) and the service that
writes it. The format is ``docs/import-format.md``; the properties are its promises:

- no input, however wrong, raises anything but ``ExportUnreadable``, and every reported error names a line of the file
  and one of its columns;
- a valid export, in any of the documented spellings (``;`` or ``,``, BOM or not, CRLF or LF, empty lines, UTF-8 or
  Windows-1252, XLSX, any date notation, Polish, Turkish and Arabic names), reads as exactly its rows, and importing it
  twice changes nothing the second time;
- one bad cell rejects the file as a whole (nothing written) and the report names that cell's line and column.

A failing example is printed by hypothesis with the ``@example`` to paste above the test to keep it as a regression.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from kansrijk.caseload.importing import (
    EXCEL_EPOCH,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    SEX_CODES,
    ExportUnreadable,
    ParsedExport,
    parse_export,
    write_rejected_csv,
)
from kansrijk.caseload.models import BenefitSpell, Client, ImportRun
from kansrijk.caseload.services import import_caseload

from .factories import MunicipalityFactory
from .test_importing import CAUSE_CODES, TODAY

HEADER = REQUIRED_COLUMNS + ["BSN", "Voornamen", "Achternaam", "Omschrijving einde bijstandsafhankelijkheid"]
ALL_COLUMNS = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DB = settings(max_examples=12, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Letters of the names a Dutch municipality registers: Dutch, Polish, Turkish and Arabic ones among them.
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéëïöüÉŁłŚśĄąŻżĆćŃńİıŞşĞğÇçÖÜابتثجحخدرسعلمنهوي"
NAME = st.builds(lambda first, rest: (first + rest).strip(), st.sampled_from(LETTERS),
                 st.text(alphabet=LETTERS + " -'", max_size=30))
CLIENT_NUMBER = st.text(alphabet="0123456789ABCDEFGHJKLMNPRSTVWXYZıİşğ", min_size=1, max_size=20)
HOUSEHOLD = st.sampled_from(["Alleenstaande", "Gehuwd/samenwonend", "Eenoudergezin", "Samenwonend met kinderen", ""])
VALID_BSNS = ["111222333", "123456782", "999999990", "012345672", ""]
EARLIEST = date(1950, 1, 1)


@dataclass
class Period:
    start: date
    end: date | None
    orig: date
    household: str
    cause: str
    group: str
    end_reason: str


@dataclass
class ClientRows:
    number: str
    birth_year: int
    sex: str  # as written in the file: any documented spelling, any case
    bsn: str
    given_names: str
    family_name: str
    periods: list[Period]


@st.composite
def client_rows(draw, number: str) -> ClientRows:
    spells = draw(st.lists(st.dates(EARLIEST, TODAY - timedelta(days=400)), min_size=1, max_size=2, unique=True))
    periods = []
    starts: set[date] = set()
    for orig in spells:
        for _ in range(draw(st.integers(1, 2))):
            start = orig + timedelta(days=draw(st.integers(0, 380)))
            if start in starts:  # one period per client per start date, as the format demands
                continue
            starts.add(start)
            # An end date may lie ahead, but no further than the importer accepts (a year and a day from today).
            end = draw(st.none() | st.integers(0, 700).map(
                lambda days, s=start: min(s + timedelta(days=days), TODAY + timedelta(days=366))))
            periods.append(Period(start, end, orig, draw(HOUSEHOLD),
                                  draw(st.sampled_from(["", *map(str, sorted(CAUSE_CODES)[:8])])),
                                  draw(st.sampled_from(["PW", "IOAW", "IOAZ", ""])),
                                  draw(st.sampled_from(["", "Werk gevonden", "Verhuisd naar Zwolle"]))))
    sex = draw(st.sampled_from(sorted(SEX_CODES)))
    return ClientRows(number, draw(st.integers(TODAY.year - 110, TODAY.year - 15)),
                      draw(st.sampled_from([sex, sex.lower(), sex.capitalize()])), draw(st.sampled_from(VALID_BSNS)),
                      draw(NAME), draw(NAME), periods)


@st.composite
def exports(draw, min_clients=1, max_clients=4) -> list[ClientRows]:
    numbers = draw(st.lists(CLIENT_NUMBER, min_size=min_clients, max_size=max_clients, unique=True))
    return [draw(client_rows(number)) for number in numbers]


def date_text(day: date | None, style: int) -> str:
    """The documented notations: ISO (with or without a time), dd-mm-jjjj with -, / or ., and Excel numbers."""
    if day is None:
        return ""
    return [day.isoformat(), f"{day.isoformat()} 00:00:00", f"{day.day}-{day.month}-{day.year}",
            f"{day:%d/%m/%Y}", f"{day.day}.{day.month:02d}.{day.year}", str((day - EXCEL_EPOCH).days)][style % 6]


def cells(client: ClientRows, period: Period, style: int) -> dict[str, str]:
    return {
        "Dossiernr": f"D-{client.number}", "Clientnummer": client.number, "geboortejaar": str(client.birth_year),
        "geslacht": client.sex, "Kode groep": period.group,
        "Startdatum periodiek algemeen": date_text(period.start, style),
        "Einddatum periodiek algemeen": date_text(period.end, style + 1),
        "Oorspronkelijke begindatum uitkeringsdossier": date_text(period.orig, style + 2),
        "Omschrijving leefvorm": period.household, "Oorzaak bijstandsafhankelijkheid": period.cause,
        "BSN": client.bsn, "Voornamen": client.given_names, "Achternaam": client.family_name,
        "Omschrijving einde bijstandsafhankelijkheid": period.end_reason,
    }


@dataclass
class Rendering:
    delimiter: str = ","
    bom: bool = False
    crlf: bool = True
    cp1252: bool = False
    blank_every: int = 0  # an empty line after every n-th row (0: none)
    style: int = 0
    quote_all: bool = False


RENDERINGS = st.builds(Rendering, st.sampled_from([",", ";"]), st.booleans(), st.booleans(), st.booleans(),
                       st.integers(0, 3), st.integers(0, 5), st.booleans())


def rows_of(clients: list[ClientRows], style: int) -> list[dict[str, str]]:
    return [cells(client, period, style + i) for client in clients for i, period in enumerate(client.periods)]


def to_csv(rows: list[dict[str, str]], rendering: Rendering) -> tuple[bytes, list[int]]:
    """The file, and the line each row is on (blank lines and the header counted, as the report counts them)."""
    out = io.StringIO(newline="")
    terminator = "\r\n" if rendering.crlf else "\n"
    writer = csv.writer(out, delimiter=rendering.delimiter, lineterminator=terminator,
                        quoting=csv.QUOTE_ALL if rendering.quote_all else csv.QUOTE_MINIMAL)
    writer.writerow(HEADER)
    line, lines = 1, []
    for number, row in enumerate(rows, start=1):
        writer.writerow([row.get(column, "") for column in HEADER])
        line += 1
        lines.append(line)
        if rendering.blank_every and number % rendering.blank_every == 0:
            out.write(terminator)
            line += 1
    text = out.getvalue()
    data = text.encode("cp1252") if rendering.cp1252 and _fits_cp1252(text) else text.encode("utf-8")
    return (b"\xef\xbb\xbf" + data if rendering.bom and not rendering.cp1252 else data), lines


def _fits_cp1252(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def to_xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parse(data: bytes) -> ParsedExport:
    return parse_export(data, cause_codes=CAUSE_CODES, today=TODAY)


def assert_errors_point_into_the_file(parsed: ParsedExport, last_line: int) -> None:
    for line, _raw, errors in parsed.rejected:
        assert 2 <= line <= last_line
        for error in errors:
            assert error.line == line and error.column in {name.strip() for name in parsed.header} and error.message
    assert sum(len(errors) for _, _, errors in parsed.rejected) == len(parsed.errors)


def assert_reads_as(parsed: ParsedExport, clients: list[ClientRows]) -> None:
    """The clients and spells the format's merge rules make of the generated periods."""
    assert parsed.errors == []
    assert parsed.rows == sum(len(c.periods) for c in clients)
    assert set(parsed.clients) == {c.number for c in clients}
    for client in clients:
        data = parsed.clients[client.number]
        assert (data.birth_year, data.sex, data.bsn) == (client.birth_year, SEX_CODES[client.sex.upper()],
                                                          client.bsn)
        assert (data.given_names, data.family_name) == (client.given_names, client.family_name)
        latest = max(client.periods, key=lambda p: p.start)
        assert data.household == latest.household and data.latest_period_start == latest.start
        assert set(data.spells) == {p.orig for p in client.periods}
        for orig, spell in data.spells.items():
            periods = [p for p in client.periods if p.orig == orig]
            assert spell.period_count == len(periods)
            assert spell.first_period_start == min(p.start for p in periods)
            assert spell.last_period_start == max(p.start for p in periods)
            ends = [p.end for p in periods]
            assert spell.end_date == (None if None in ends else max(ends))


# --- Any input: read or refused with the documented error, never a crash ----------------------------------------

@FAST
@given(data=st.binary(max_size=300))
@example(data=b"PK\x03\x04broken zip")
@example(data=b"\xef\xbb\xbf")
@example(data=("Clientnummer," * 3).encode())
def test_any_bytes_are_read_or_refused_as_unreadable(data):
    try:
        parsed = parse(data)
    except ExportUnreadable as error:
        assert error.errors and all(e.message for e in error.errors)
    else:
        assert_errors_point_into_the_file(parsed, data.count(b"\n") + data.count(b"\r") + 1)


CELL = st.text(max_size=12) | st.sampled_from(["", "1980", "M", "v", "2020-02-30", "31-12-2020", "44000", "1e999",
                                               "9" * 5000, "  ", "\x00", "12.0", "-3", "²", "٣"])


@FAST
@given(rows=st.lists(st.lists(CELL, max_size=len(HEADER) + 2), max_size=6), delimiter=st.sampled_from([",", ";"]))
@example(rows=[["", "1", "9" * 5000, "M", "", "2020-01-01", "", "2020-01-01", "", ""]], delimiter=",")
def test_any_cells_under_a_valid_header_give_row_errors_with_line_and_column(rows, delimiter):
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8", "surrogatepass")
    try:
        parsed = parse(data)
    except ExportUnreadable as error:
        # Only a file without data rows, or with a NUL byte where a file's type is sniffed, is refused whole.
        assert [e.message for e in error.errors] in (["Het bestand bevat een kopregel maar geen gegevensregels."],
                                                     ["Dit is geen CSV- of XLSX-bestand."])
        return
    assert_errors_point_into_the_file(parsed, data.count(b"\n") + data.count(b"\r") + 1)
    assert parsed.rows == len(parsed.rejected) + sum(c.spells[s].period_count for c in parsed.clients.values()
                                                     for s in c.spells)
    for _line, _raw, errors in parsed.rejected:
        for error in errors:
            assert "\x00" not in error.as_dict()["waarde"]


XLSX_VALUE = (st.none() | st.booleans() | st.integers(-10**6, 10**6)
              | st.floats(allow_nan=False, allow_infinity=False) | st.dates(date(1900, 3, 1), date(2100, 1, 1))
              | st.text(alphabet=LETTERS + "0123456789-/. ", max_size=12))


@settings(FAST, max_examples=15)
@given(rows=st.lists(st.lists(XLSX_VALUE, max_size=len(HEADER)), min_size=1, max_size=4))
def test_any_xlsx_cells_give_row_errors_not_a_crash(rows):
    try:
        parsed = parse(to_xlsx(rows))
    except ExportUnreadable as error:
        assert [e.message for e in error.errors] == ["Het bestand bevat een kopregel maar geen gegevensregels."]
        return
    assert_errors_point_into_the_file(parsed, len(rows) + 1)


def _damaged_sheet(sheet_xml: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(to_xlsx([["D1", "1", 1980, "M", "", "2020-01-01", "", "2020-01-01", "", ""]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, sheet_xml if name == "xl/worksheets/sheet1.xml" else source.read(name))
    return out.getvalue()


@settings(FAST, max_examples=15)
@given(number=st.text(alphabet="0123456789.eE+-infa", max_size=8), cut=st.integers(0, 400))
@example(number="inf", cut=0)  # openpyxl raised ValueError while reading the rows: once a server error
@example(number="1E999", cut=0)  # read as infinity: once an OverflowError in the date check
def test_a_damaged_worksheet_is_refused_as_unreadable(number, cut):
    source = zipfile.ZipFile(io.BytesIO(to_xlsx([[None, "1", 1980, "M", "", 43000, "", 43000, "", ""]])))
    sheet = source.read("xl/worksheets/sheet1.xml").replace(b"<v>43000</v>", f"<v>{number}</v>".encode(), 1)
    if cut:
        sheet = sheet[:-cut]
    try:
        parsed = parse(_damaged_sheet(sheet))
    except ExportUnreadable as error:
        assert all(e.message.startswith("Het Excel-bestand kan niet worden gelezen") or e.line >= 1
                   for e in error.errors)
    else:
        assert_errors_point_into_the_file(parsed, 2)


# --- Valid exports read exactly, in every documented spelling ----------------------------------------------------

@FAST
@given(clients=exports(), rendering=RENDERINGS)
def test_a_valid_csv_reads_as_exactly_its_rows(clients, rendering):
    data, _lines = to_csv(rows_of(clients, rendering.style), rendering)
    assert_reads_as(parse(data), clients)


@settings(FAST, max_examples=10)
@given(clients=exports(max_clients=3), style=st.integers(0, 5), as_dates=st.booleans())
def test_a_valid_xlsx_reads_as_exactly_its_rows(clients, style, as_dates):
    rows = []
    for row in rows_of(clients, style):
        values = [row.get(column, "") for column in HEADER]
        if as_dates:  # date cells, as Excel stores them
            for column in ("Startdatum periodiek algemeen", "Einddatum periodiek algemeen",
                           "Oorspronkelijke begindatum uitkeringsdossier"):
                text = row[column]
                values[HEADER.index(column)] = None if not text else EXCEL_EPOCH + timedelta(
                    days=int(text)) if text.isdigit() else _from_text(text)
        values[HEADER.index("geboortejaar")] = int(row["geboortejaar"])
        rows.append(values)
    assert_reads_as(parse(to_xlsx(rows)), clients)


def _from_text(text: str) -> date:
    from kansrijk.caseload.importing import _DateParser

    return _DateParser(TODAY)(text)


@FAST
@given(clients=exports(max_clients=2), before=st.integers(0, 3))
def test_a_quoted_line_break_keeps_the_line_numbers_of_the_file(clients, before):
    # An end reason typed with Alt+Enter in Excel: one record over two lines. The report names the line a record
    # starts on, and every record after it keeps its place in the file.
    rows = rows_of(clients, 0)
    rows[min(before, len(rows) - 1)]["Omschrijving einde bijstandsafhankelijkheid"] = "Werk gevonden\nbij de bakker"
    rows.append({**rows[-1], "geslacht": "Q", "Startdatum periodiek algemeen": "2099-01-01"})
    data, _ = to_csv(rows, Rendering())
    parsed = parse(data)
    assert [line for line, _, _ in parsed.rejected] == [len(rows) + 2]  # header + rows + the one extra line
    assert {e.column for e in parsed.errors} == {"geslacht", "Startdatum periodiek algemeen"}


# --- One bad cell: the row, its line and its column ---------------------------------------------------------------

CORRUPTIONS = {
    "Clientnummer": ["", "X" * 21],
    "geboortejaar": ["", "negentig", "1800", "9" * 5000, "19٨٠"],
    "geslacht": ["", "Q", "vrouwelijk"],
    "Startdatum periodiek algemeen": ["", "31-02-2020", "gisteren", "1e999", "1949-12-31"],
    "Einddatum periodiek algemeen": ["2020-13-01", "99999999", "nooit"],
    "Oorspronkelijke begindatum uitkeringsdossier": ["", "00-00-0000"],
    "Oorzaak bijstandsafhankelijkheid": ["999", "abc"],
    "BSN": ["123456789", "12345678X", "٠١٢٣٤٥٦٧٢"],
    "Achternaam": ["x" * 101],
    "Omschrijving leefvorm": ["y" * 101],
}


@st.composite
def corrupted(draw):
    clients = draw(exports())
    rendering = draw(RENDERINGS)
    rows = rows_of(clients, rendering.style)
    index = draw(st.integers(0, len(rows) - 1))
    column = draw(st.sampled_from(sorted(CORRUPTIONS)))
    rows[index][column] = draw(st.sampled_from(CORRUPTIONS[column]))
    return rows, rendering, index, column


@FAST
@given(case=corrupted())
def test_one_bad_cell_is_reported_with_its_line_and_column(case):
    rows, rendering, index, column = case
    data, lines = to_csv(rows, rendering)
    parsed = parse(data)
    assert [line for line, _, _ in parsed.rejected] == [lines[index]]
    assert column in {error.column for error in parsed.errors}
    assert parsed.rows == len(rows)
    # The rejected rows as CSV (the documented report) carry the same line and the original values back.
    out = io.StringIO()
    write_rejected_csv(parsed, out)
    report = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert report[1][0] == str(lines[index]) and column in report[1][-1]


def test_a_nul_past_the_sniffed_start_is_a_row_error_not_a_database_error():
    # A NUL in the first 4 KB marks a binary file; one further on passed every check and PostgreSQL refused the text
    # halfway through the import (a server error).
    filler = [{**cells(ClientRows(f"{n}", 1980, "M", "", "Anna", "Jansen", []),
                       Period(date(2020, 1, 1), None, date(2020, 1, 1), "", "", "", ""), 0)} for n in range(150)]
    filler[-1]["Achternaam"] = "Jan\x00sen"
    data, lines = to_csv(filler, Rendering())
    assert data.index(b"\x00") > 4096
    parsed = parse(data)
    assert [(e.line, e.column) for e in parsed.errors] == [(lines[-1], "Achternaam")]
    assert parsed.errors[0].as_dict()["waarde"] == "Jan\ufffdsen"


# --- With the database: idempotent, atomic ------------------------------------------------------------------------

@pytest.fixture
def municipality(db):
    return MunicipalityFactory(cbs_code="0363", name="Amsterdam")


def _register() -> list[tuple]:
    clients = list(Client.objects.order_by("client_number").values_list(
        "client_number", "birth_year", "sex", "household", "dossier_number", "bsn", "given_names", "family_name",
        "active_spell_start"))
    spells = list(BenefitSpell.objects.order_by("client__client_number", "original_start").values_list(
        "client__client_number", "original_start", "end_date", "first_period_start", "last_period_start",
        "period_count", "group_code", "household", "cause__code", "end_reason"))
    return clients + spells


@DB
@given(clients=exports(max_clients=3), rendering=RENDERINGS)
def test_a_valid_export_imports_exactly_and_a_second_import_changes_nothing(municipality, clients, rendering):
    data, _ = to_csv(rows_of(clients, rendering.style), rendering)
    with transaction.atomic():
        first = import_caseload(data=data, municipality=municipality, filename="x.csv", today=TODAY)
        assert first.ok, first.errors
        spells = sum(len({p.orig for p in c.periods}) for c in clients)
        assert (first.summary["clients_created"], first.summary["spells_created"]) == (len(clients), spells)
        stored = {c.client_number: c for c in Client.objects.all()}
        for client in clients:
            assert (stored[client.number].given_names, stored[client.number].family_name) == (
                client.given_names, client.family_name)
        register = _register()
        second = import_caseload(data=data, municipality=municipality, filename="x.csv", today=TODAY)
        assert (second.summary["created"], second.summary["updated"]) == (0, 0)
        assert second.summary["unchanged"] == len(clients) + spells
        assert _register() == register
        transaction.set_rollback(True)


@DB
@given(case=corrupted())
def test_a_file_with_one_bad_cell_writes_nothing(municipality, case):
    rows, rendering, index, column = case
    data, lines = to_csv(rows, rendering)
    with transaction.atomic():
        before = _register()
        result = import_caseload(data=data, municipality=municipality, filename="x.csv", today=TODAY)
        assert result.status == ImportRun.Status.REJECTED and not result.ok
        assert _register() == before
        stored = ImportRun.objects.get(pk=result.run.pk)
        assert {(e["regel"], e["kolom"]) for e in stored.errors} >= {(lines[index], column)}
        transaction.set_rollback(True)
