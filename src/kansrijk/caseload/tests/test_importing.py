"""Parser-level tests for the benefit-system export (``caseload.importing``). No database needed."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from kansrijk.caseload.importing import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    ExportUnreadable,
    ParsedExport,
    RowError,
    is_valid_bsn,
    parse_export,
    read_table,
    write_rejected_csv,
)

TODAY = date(2024, 6, 1)
CODE_LIST = Path(__file__).resolve().parent.parent / "data" / "oorzaak-bijstandsafhankelijkheid.csv"
with CODE_LIST.open(encoding="utf-8") as _handle:
    CAUSE_CODES = {int(r["Code oorzaak bijstandsafhankelijkheid"]) for r in csv.DictReader(_handle)}
VALID_CAUSE = 4  # "Verhuizing vanuit buitenland" in the shipped code list
UNKNOWN_CAUSE = 999
assert VALID_CAUSE in CAUSE_CODES and UNKNOWN_CAUSE not in CAUSE_CODES

HEADER = list(REQUIRED_COLUMNS)
START, END, ORIG = ("Startdatum periodiek algemeen", "Einddatum periodiek algemeen",
                    "Oorspronkelijke begindatum uitkeringsdossier")

# Words that only show up in English messages; a Dutch message contains none of them.
ENGLISH = re.compile(r"\b(the|is not|invalid|error|must|missing|unknown|date|column|line|value)\b", re.I)
DUTCH = re.compile(r"\b(de|het|een|is|niet|geen|ontbreekt|onbekende|moet|bestaat|ligt|dubbele|wijkt|tussen)\b",
                   re.I)


def period(client="1001", start="2020-01-01", end="", orig=None, birth="1980", sex="M", group="ALG",
           household="Alleenstaande", cause=str(VALID_CAUSE), dossier=None, **extra) -> dict:
    row = {
        "Dossiernr": dossier if dossier is not None else f"D{client}",
        "Clientnummer": client,
        "geboortejaar": birth,
        "geslacht": sex,
        "Kode groep": group,
        START: start,
        END: end,
        ORIG: orig if orig is not None else start,
        "Omschrijving leefvorm": household,
        "Oorzaak bijstandsafhankelijkheid": cause,
    }
    row.update(extra)
    return row


def to_csv(rows: list[dict], *, header: list[str] | None = None, delimiter=",", encoding="utf-8",
           bom=False) -> bytes:
    header = header or (HEADER + [k for k in (rows[0] if rows else {}) if k not in HEADER])
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(c, "") for c in header])
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def to_xlsx(rows: list[list], header: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parse(data: bytes, **kwargs) -> ParsedExport:
    kwargs.setdefault("cause_codes", CAUSE_CODES)
    kwargs.setdefault("today", TODAY)
    return parse_export(data, **kwargs)


def only_error(parsed: ParsedExport) -> RowError:
    assert len(parsed.errors) == 1, parsed.errors
    return parsed.errors[0]


def assert_dutch(message: str) -> None:
    assert message.strip(), "empty message"
    assert DUTCH.search(message), f"not Dutch: {message!r}"
    assert not ENGLISH.search(message), f"English words in: {message!r}"


# --- BSN ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("bsn", ["111222333", "123456782", "999999990"])
def test_bsn_11_proef_accepts_valid_numbers(bsn):
    assert is_valid_bsn(bsn)


@pytest.mark.parametrize("bsn", ["111222334", "123456789", "000000000", "12345678", "1234567820", "11122233a",
                                 "", "111 222 333"])
def test_bsn_11_proef_rejects_invalid_numbers(bsn):
    assert not is_valid_bsn(bsn)


def test_bsn_column_is_checked_and_eight_digit_bsn_gets_leading_zero():
    # 012345672: 0*9+1*8+2*7+3*6+4*5+5*4+6*3+7*2 - 2 = 110, divisible by 11.
    assert is_valid_bsn("012345672")
    data = to_csv([period(client="1", BSN="12345672"), period(client="2", BSN="123456789")])
    parsed = parse(data)
    assert parsed.has_bsn
    assert parsed.clients["1"].bsn == "012345672"
    error = only_error(parsed)
    assert (error.line, error.column) == (3, "BSN")
    assert "elfproef" in error.message


# --- encodings and delimiters ------------------------------------------------------------------------------------

def test_utf8_with_bom_reads_first_column_and_values():
    data = to_csv([period(client="1001", Voornamen="Zoë", Achternaam="Brontë")], bom=True)
    assert data.startswith(b"\xef\xbb\xbf")
    parsed = parse(data)
    assert parsed.errors == []
    client = parsed.clients["1001"]
    assert client.dossier_number == "D1001"  # the first column, right after the BOM
    assert (client.given_names, client.family_name) == ("Zoë", "Brontë")
    assert parsed.header[0] == "Dossiernr"


def test_utf8_without_bom():
    parsed = parse(to_csv([period(Voornamen="Zoë")]))
    assert parsed.clients["1001"].given_names == "Zoë"


def test_semicolon_delimiter():
    data = to_csv([period(client="1001"), period(client="1002", birth="1975", sex="V")], delimiter=";")
    assert b";" in data.split(b"\r\n")[0] and b"," not in data.split(b"\r\n")[0]
    parsed = parse(data)
    assert parsed.errors == []
    assert set(parsed.clients) == {"1001", "1002"}
    assert parsed.clients["1002"].birth_year == 1975
    assert parsed.clients["1002"].sex == "V"


def test_semicolon_delimiter_with_commas_inside_values():
    data = to_csv([period(household="Gehuwd, samenwonend")], delimiter=";")
    parsed = parse(data)
    assert parsed.errors == []
    assert parsed.clients["1001"].household == "Gehuwd, samenwonend"


def test_windows_1252():
    rows = [period(client="1001", household="Gehuwd/samenwonend", Voornamen="Zoë", Achternaam="Müller-Dijkstra"),
            period(client="1002", household="Alleenstaande ouder", Voornamen="Chloë", Achternaam="Eén")]
    data = to_csv(rows, delimiter=";", encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    parsed = parse(data)
    assert parsed.errors == []
    first = parsed.clients["1001"]
    assert first.household == "Gehuwd/samenwonend"
    assert (first.given_names, first.family_name) == ("Zoë", "Müller-Dijkstra")
    assert parsed.clients["1002"].family_name == "Eén"
    assert parsed.has_names


def test_windows_1252_with_comma_delimiter():
    data = to_csv([period(Voornamen="Noël")], encoding="cp1252")
    assert parse(data).clients["1001"].given_names == "Noël"


# --- XLSX --------------------------------------------------------------------------------------------------------

def test_xlsx_with_date_cells_and_excel_serials():
    # 43831 is 1 January 2020 in Excel's 1900 system; 43890 is 29 February 2020.
    rows = [
        ["D1", 1001, 1980, "M", "ALG", datetime(2020, 1, 1), datetime(2020, 6, 30), date(2020, 1, 1),
         "Alleenstaande", VALID_CAUSE],
        ["D2", "1002", "1981", "V", "ALG", 43831, 43890.0, 43831, "Alleenstaande", str(VALID_CAUSE)],
        ["D3", 1003.0, 1982.0, "v", "ALG", "43831", "43890", "43831.0", "Alleenstaande", float(VALID_CAUSE)],
    ]
    parsed = parse(to_xlsx(rows))
    assert parsed.errors == []
    assert set(parsed.clients) == {"1001", "1002", "1003"}
    spell = parsed.clients["1001"].spells[date(2020, 1, 1)]
    assert spell.end_date == date(2020, 6, 30)
    assert spell.cause_code == VALID_CAUSE
    for number in ("1002", "1003"):
        client = parsed.clients[number]
        assert list(client.spells) == [date(2020, 1, 1)]
        assert client.spells[date(2020, 1, 1)].end_date == date(2020, 2, 29)
        assert client.spells[date(2020, 1, 1)].cause_code == VALID_CAUSE
    assert parsed.clients["1003"].birth_year == 1982
    assert parsed.clients["1003"].sex == "V"


def test_xlsx_error_lines_are_sheet_rows_even_after_an_empty_row():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["D1", 1001, 1980, "M", "ALG", date(2020, 1, 1), None, date(2020, 1, 1), "A", VALID_CAUSE])
    # row 3 stays empty
    for column, value in enumerate(["D2", 1002, 1980, "M", "ALG", "31-02-2020", None, "01-01-2020", "A"], 1):
        sheet.cell(row=4, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parse(buffer.getvalue())
    assert parsed.rows == 2
    error = only_error(parsed)
    assert (error.line, error.column) == (4, START)


def test_xlsx_fractional_serial_is_an_error():
    parsed = parse(to_xlsx([["D1", 1001, 1980, "M", "ALG", 43831.5, None, 43831, "A", VALID_CAUSE]]))
    error = only_error(parsed)
    assert (error.line, error.column) == (2, START)
    assert_dutch(error.message)


def test_damaged_xlsx_is_unreadable():
    with pytest.raises(ExportUnreadable) as exc:
        parse(b"PK\x03\x04" + b"not really a zip file" * 10)
    assert exc.value.errors and exc.value.errors[0].line == 1
    assert "Excel" in exc.value.errors[0].message


def test_binary_file_is_unreadable():
    with pytest.raises(ExportUnreadable) as exc:
        parse(b"\x00\x01\x02binary\x00" * 20)
    assert "CSV" in exc.value.errors[0].message


# --- dates -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2020-03-15", date(2020, 3, 15)),
    ("2020-03-15 00:00:00", date(2020, 3, 15)),
    ("15-03-2020", date(2020, 3, 15)),
    ("5-3-2020", date(2020, 3, 5)),
    ("15/03/2020", date(2020, 3, 15)),
    ("15.03.2020", date(2020, 3, 15)),
    ("43905", date(2020, 3, 15)),
    ("43905.0", date(2020, 3, 15)),
])
def test_date_formats(text, expected):
    parsed = parse(to_csv([period(start=text, orig="01-01-2020", end=text)]))
    assert parsed.errors == []
    spell = parsed.clients["1001"].spells[date(2020, 1, 1)]
    assert spell.first_period_start == expected
    assert spell.end_date == expected


def test_dd_mm_jjjj_is_day_first():
    parsed = parse(to_csv([period(start="02-03-2020", orig="02-03-2020")]))
    assert list(parsed.clients["1001"].spells) == [date(2020, 3, 2)]


@pytest.mark.parametrize("column, values", [
    (START, {"start": "31-02-2020", "orig": "01-01-2020"}),
    (START, {"start": "2020-02-30", "orig": "01-01-2020"}),
    (END, {"start": "01-01-2020", "end": "31-04-2021"}),
    (ORIG, {"start": "01-01-2021", "orig": "29-02-2019"}),
    (START, {"start": "00-01-2020", "orig": "01-01-2020"}),
    (START, {"start": "01-13-2020", "orig": "01-01-2020"}),
])
def test_impossible_dates_are_rejected(column, values):
    parsed = parse(to_csv([period(client="1000"), period(client="1001", **values)]))
    error = only_error(parsed)
    assert (error.line, error.column) == (3, column)
    assert "bestaat niet" in error.message
    assert_dutch(error.message)
    assert "1001" not in parsed.clients
    assert "1000" in parsed.clients


@pytest.mark.parametrize("text", ["gisteren", "2020/13", "1-1-20", "01-01-2020x", "2020-1-1T"])
def test_unparseable_dates_are_rejected(text):
    error = only_error(parse(to_csv([period(start=text, orig="2020-01-01")])))
    assert (error.line, error.column, error.value) == (2, START, text)
    assert_dutch(error.message)


@pytest.mark.parametrize("text", ["01-01-1900", "2030-01-01", "1"])
def test_dates_outside_the_plausible_range_are_rejected(text):
    error = only_error(parse(to_csv([period(start="2020-01-01", end=text)])))
    assert error.column == END
    assert_dutch(error.message)


def test_missing_start_and_original_start():
    parsed = parse(to_csv([period(start="", orig="")]))
    assert {e.column for e in parsed.errors} == {START, ORIG}
    assert all("ontbreekt" in e.message for e in parsed.errors)


def test_end_before_start():
    error = only_error(parse(to_csv([period(start="01-06-2020", end="31-05-2020", orig="01-01-2020")])))
    assert (error.line, error.column) == (2, END)
    assert "vóór de startdatum" in error.message
    assert_dutch(error.message)


def test_end_on_start_date_is_allowed():
    parsed = parse(to_csv([period(start="01-06-2020", end="01-06-2020")]))
    assert parsed.errors == []


def test_start_before_original_start():
    error = only_error(parse(to_csv([period(start="2019-12-31", orig="2020-01-01")])))
    assert error.column == START
    assert_dutch(error.message)


# --- other values ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("birth", ["1890", str(TODAY.year - 5), "19x0", "-1980", "0"])
def test_birth_year_out_of_range(birth):
    error = only_error(parse(to_csv([period(birth=birth)])))
    assert (error.line, error.column) == (2, "geboortejaar")
    assert_dutch(error.message)


@pytest.mark.parametrize("birth", [str(TODAY.year - 110), str(TODAY.year - 15), "1980.0"])
def test_birth_year_at_the_edges_is_accepted(birth):
    assert parse(to_csv([period(birth=birth)])).errors == []


def test_missing_birth_year():
    error = only_error(parse(to_csv([period(birth="")])))
    assert error.column == "geboortejaar"
    assert "ontbreekt" in error.message


@pytest.mark.parametrize("code, expected", [("M", "M"), ("v", "V"), (" V ", "V"), ("Man", "M"), ("VROUW", "V"),
                                            ("O", "O"), ("X", "X")])
def test_sex_codes(code, expected):
    assert parse(to_csv([period(sex=code)])).clients["1001"].sex == expected


@pytest.mark.parametrize("code", ["Q", "F", "1", "male"])
def test_unknown_sex_code(code):
    error = only_error(parse(to_csv([period(sex=code)])))
    assert (error.line, error.column, error.value) == (2, "geslacht", code)
    assert "Onbekende code" in error.message
    assert_dutch(error.message)


def test_missing_sex():
    error = only_error(parse(to_csv([period(sex="")])))
    assert error.column == "geslacht" and "ontbreekt" in error.message


@pytest.mark.parametrize("number", ["", "   "])
def test_missing_client_number(number):
    parsed = parse(to_csv([period(client="1000"), period(client=number, dossier="D9")]))
    error = only_error(parsed)
    assert (error.line, error.column) == (3, "Clientnummer")
    assert "ontbreekt" in error.message
    assert set(parsed.clients) == {"1000"}


def test_client_number_too_long():
    error = only_error(parse(to_csv([period(client="1" * 21, dossier="D")])))
    assert error.column == "Clientnummer"


def test_unknown_cause_code():
    error = only_error(parse(to_csv([period(cause=str(UNKNOWN_CAUSE))])))
    assert (error.column, error.value) == ("Oorzaak bijstandsafhankelijkheid", str(UNKNOWN_CAUSE))
    assert_dutch(error.message)


def test_empty_cause_code_is_allowed():
    parsed = parse(to_csv([period(cause="")]))
    assert parsed.errors == []
    assert parsed.clients["1001"].spells[date(2020, 1, 1)].cause_code is None


def test_duplicate_period_names_the_first_line():
    rows = [period(client="1001", start="2020-01-01"),
            period(client="1002", start="2020-01-01"),
            period(client="1001", start="2020-07-01", orig="2020-01-01"),
            period(client="1001", start="2020-01-01", end="2020-06-30")]
    parsed = parse(to_csv(rows))
    error = only_error(parsed)
    assert (error.line, error.column) == (5, START)
    assert "regel 2" in error.message
    assert "Dubbele periode" in error.message
    assert_dutch(error.message)
    # The first occurrence stays; the duplicate does not change the spell.
    spell = parsed.clients["1001"].spells[date(2020, 1, 1)]
    assert spell.period_count == 2 and spell.end_date is None


def test_same_start_date_for_different_clients_is_no_duplicate():
    assert parse(to_csv([period(client="1"), period(client="2")])).errors == []


def test_conflicting_birth_year_for_one_client_is_rejected():
    rows = [period(start="2020-01-01", end="2020-06-30"), period(start="2020-07-01", orig="2020-01-01", birth="1981")]
    error = only_error(parse(to_csv(rows)))
    assert (error.line, error.column) == (3, "geboortejaar")
    assert "regel 2" in error.message


def test_one_row_with_several_problems_lists_each():
    parsed = parse(to_csv([period(birth="1800", sex="Q", start="31-02-2020", orig="2020-01-01")]))
    assert {e.column for e in parsed.errors} == {"geboortejaar", "geslacht", START}
    assert {e.line for e in parsed.errors} == {2}
    assert parsed.rejected_count == 1


BAD_ROWS = {
    "impossible date": dict(start="31-02-2020", orig="01-01-2020"),
    "unparseable date": dict(end="morgen"),
    "end before start": dict(start="2020-05-01", end="2020-04-01", orig="2020-01-01"),
    "birth year": dict(birth="1066"),
    "sex": dict(sex="Z"),
    "client number": dict(client=""),
    "cause": dict(cause="999"),
    "missing start": dict(start="", orig="2020-01-01"),
}


def test_every_error_has_line_header_column_and_dutch_message():
    # Header names in an odd case/spacing: errors must use the column name as it is in the file.
    header = [h.upper() if i % 2 else f" {h} " for i, h in enumerate(HEADER)]
    rows = [period(client=str(2000 + i), **kw) if "client" not in kw else period(**kw)
            for i, kw in enumerate(BAD_ROWS.values())]
    rows.insert(3, period(client="1999"))
    raw = io.StringIO(newline="")
    writer = csv.writer(raw, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row[c] for c in HEADER])
    parsed = parse(raw.getvalue().encode())
    stripped = [h.strip() for h in header]
    assert parsed.rejected_count == len(BAD_ROWS)
    assert {e.line for e in parsed.errors} == {n for n in range(2, len(rows) + 2) if n != 5}
    for error in parsed.errors:
        assert isinstance(error.line, int) and error.line >= 2
        assert error.column in stripped, error
        assert_dutch(error.message)
        assert set(error.as_dict()) == {"regel", "kolom", "waarde", "fout"}
    assert set(parsed.clients) == {"1999"}


# --- the file as a whole -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("missing", REQUIRED_COLUMNS)
def test_missing_required_column(missing):
    header = [c for c in HEADER if c != missing]
    data = to_csv([period()], header=header)
    with pytest.raises(ExportUnreadable) as exc:
        parse(data)
    assert [e.column for e in exc.value.errors] == [missing]
    assert exc.value.errors[0].line == 1
    assert missing in exc.value.errors[0].message
    assert_dutch(exc.value.errors[0].message)


def test_all_missing_columns_are_listed():
    with pytest.raises(ExportUnreadable) as exc:
        parse(b"Dossiernr,Clientnummer,Naam\nD1,1,Jan\n")
    assert {e.column for e in exc.value.errors} == set(REQUIRED_COLUMNS) - {"Dossiernr", "Clientnummer"}


def test_header_matching_ignores_case_and_spaces_and_optional_columns_are_optional():
    header = [f"  {h.lower()} " for h in HEADER] + ["Een kolom die niemand kent"]
    rows = [{**period(), "Een kolom die niemand kent": "x"}]
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerow([rows[0][h] for h in HEADER] + ["x"])
    parsed = parse(out.getvalue().encode())
    assert parsed.errors == [] and set(parsed.clients) == {"1001"}
    assert not parsed.has_names and not parsed.has_bsn
    assert set(OPTIONAL_COLUMNS).isdisjoint(header)


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", b"\xef\xbb\xbf"])
def test_empty_file(data):
    with pytest.raises(ExportUnreadable) as exc:
        parse(data)
    assert "leeg" in exc.value.errors[0].message


@pytest.mark.parametrize("data", [to_csv([]), to_csv([], delimiter=";", bom=True), to_csv([]) + b"\r\n,,,\r\n",
                                  to_xlsx([])])
def test_header_only_file(data):
    with pytest.raises(ExportUnreadable) as exc:
        parse(data)
    assert "geen gegevensregels" in exc.value.errors[0].message


def test_read_table_reports_line_numbers_with_header_as_line_one():
    header, rows, estimated = read_table(to_csv([period(client="1"), period(client="2")]))
    assert header == HEADER
    assert [(line, values[1]) for line, values in rows] == [(2, "1"), (3, "2")]
    assert estimated == 2


def test_line_numbers_count_blank_lines_and_header():
    data = to_csv([period(client="1"), period(client="2")]) + b"\r\n" + to_csv(
        [period(client="3", sex="?")]).split(b"\r\n", 1)[1]
    # line 1 header, 2 and 3 data, 4 blank, 5 the bad row
    parsed = parse(data)
    error = only_error(parsed)
    assert error.line == 5
    assert parsed.rows == 3
    assert parsed.rejected[0][0] == 5


# --- merging periods into spells ---------------------------------------------------------------------------------

def test_two_periods_with_an_open_one_merge_into_one_open_spell():
    rows = [period(start="2020-01-01", end="2020-06-30", orig="2019-10-01", household="Alleenstaande"),
            period(start="2020-07-01", end="", orig="2019-10-01", household="Gehuwd/samenwonend")]
    parsed = parse(to_csv(rows))
    assert parsed.errors == [] and parsed.rows == 2
    client = parsed.clients["1001"]
    assert list(client.spells) == [date(2019, 10, 1)]
    spell = client.spells[date(2019, 10, 1)]
    assert spell.end_date is None
    assert spell.period_count == 2
    assert (spell.first_period_start, spell.last_period_start) == (date(2020, 1, 1), date(2020, 7, 1))
    assert spell.household == "Gehuwd/samenwonend"
    assert client.household == "Gehuwd/samenwonend"
    assert parsed.spell_count == 1


def test_open_period_first_in_the_file_keeps_the_spell_open():
    rows = [period(start="2020-07-01", end="", orig="2020-01-01"),
            period(start="2020-01-01", end="2020-06-30", orig="2020-01-01")]
    spell = parse(to_csv(rows)).clients["1001"].spells[date(2020, 1, 1)]
    assert spell.end_date is None
    assert spell.first_period_start == date(2020, 1, 1)


def test_closed_periods_merge_into_a_spell_ending_at_the_latest_end():
    rows = [period(start="2021-01-01", end="2021-12-31", orig="2020-01-01"),
            period(start="2020-01-01", end="2020-12-31", orig="2020-01-01"),
            period(start="2020-06-01", end="2020-09-30", orig="2020-01-01")]
    spell = parse(to_csv(rows)).clients["1001"].spells[date(2020, 1, 1)]
    assert spell.end_date == date(2021, 12, 31)
    assert spell.period_count == 3
    assert (spell.first_period_start, spell.last_period_start) == (date(2020, 1, 1), date(2021, 1, 1))


def test_periods_with_different_original_start_are_separate_spells():
    rows = [period(start="2018-01-01", end="2019-03-31", orig="2018-01-01"),
            period(start="2021-05-01", end="", orig="2021-05-01", household="Alleenstaande ouder")]
    parsed = parse(to_csv(rows))
    client = parsed.clients["1001"]
    assert set(client.spells) == {date(2018, 1, 1), date(2021, 5, 1)}
    assert client.spells[date(2018, 1, 1)].end_date == date(2019, 3, 31)
    assert client.spells[date(2021, 5, 1)].end_date is None
    assert client.household == "Alleenstaande ouder"
    assert parsed.spell_count == 2 and len(parsed.clients) == 1


def test_latest_period_cause_wins_but_empty_cause_keeps_the_known_one():
    rows = [period(start="2020-01-01", end="2020-06-30", cause="4"),
            period(start="2020-07-01", orig="2020-01-01", cause="")]
    spell = parse(to_csv(rows)).clients["1001"].spells[date(2020, 1, 1)]
    assert spell.cause_code == 4


# --- volume and the rejected rows --------------------------------------------------------------------------------

def test_one_bad_row_among_ten_thousand():
    rows = [period(client=str(100000 + i), start="2020-01-01" if i % 2 else "15-03-2019") for i in range(10_000)]
    rows[6_000]["geslacht"] = "?"
    parsed = parse(to_csv(rows, delimiter=";"))
    assert parsed.rows == 10_000
    assert parsed.rejected_count == 1
    line, raw, errors = parsed.rejected[0]
    assert line == 6_002  # header is line 1, rows[0] is line 2
    assert raw[1] == "106000"
    assert [(e.line, e.column) for e in errors] == [(6_002, "geslacht")]
    assert len(parsed.clients) == 9_999
    assert "106000" not in parsed.clients


def test_write_rejected_csv():
    rows = [period(client="1"), period(client="2", sex="Q"), period(client="3", birth="1800", end="nooit")]
    parsed = parse(to_csv(rows))
    out = io.StringIO()
    write_rejected_csv(parsed, out)
    lines = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert lines[0] == ["Regel", *HEADER, "Fouten"]
    assert [r[0] for r in lines[1:]] == ["3", "4"]
    assert lines[1][1:-1] == [rows[1][c] for c in HEADER]
    assert "geslacht:" in lines[1][-1]
    assert "geboortejaar:" in lines[2][-1] and END in lines[2][-1]


def test_rejected_rows_without_raw_values_when_not_kept():
    parsed = parse(to_csv([period(sex="Q")]), keep_rejected_rows=False)
    assert parsed.rejected == [(2, [], parsed.errors)]


def test_preview_holds_the_first_valid_rows():
    rows = [period(client=str(i)) for i in range(30)]
    parsed = parse(to_csv(rows), preview_rows=5)
    assert [p["clientnummer"] for p in parsed.preview] == ["0", "1", "2", "3", "4"]
    assert parsed.preview[0]["regel"] == 2


def test_progress_reports_total_and_all_rows():
    calls = []
    parse(to_csv([period(client=str(i)) for i in range(12_345)]), progress=calls.append)
    assert calls[0] == -12_345
    assert sum(calls[1:]) == 12_345
