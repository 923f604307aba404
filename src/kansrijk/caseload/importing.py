"""Reading and validating the benefit system's caseload export ("Sturen op bijstand" format, BRIEF §6).

Pure functions over the file: nothing here touches the database except the code list passed in. The result is a
``ParsedExport``: every valid period merged into clients and spells, and every bad row with its line, column and
reason in Dutch. ``caseload.services.import_caseload`` decides what to write.

Speed matters (400,000 clients in seconds), so the row loop is plain Python with caches for the values that repeat
(dates, codes), and no objects are made for rows beyond what the merge needs.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

# Column headers exactly as the export names them; the order is the export's own.
REQUIRED_COLUMNS = [
    "Dossiernr",
    "Clientnummer",
    "geboortejaar",
    "geslacht",
    "Kode groep",
    "Startdatum periodiek algemeen",
    "Einddatum periodiek algemeen",
    "Oorspronkelijke begindatum uitkeringsdossier",
    "Omschrijving leefvorm",
    "Oorzaak bijstandsafhankelijkheid",
]
# Optional columns: the description columns of the export, and identification some systems add.
OPTIONAL_COLUMNS = [
    "Omschrijving oorzaak bijstandsafhankelijkheid",
    "Omschrijving einde bijstandsafhankelijkheid",
    "Indicatie leefvorm",
    "BSN",
    "Voornamen",
    "Achternaam",
]
FIELD_FOR_COLUMN = {
    "dossiernr": "dossier_number",
    "clientnummer": "client_number",
    "geboortejaar": "birth_year",
    "geslacht": "sex",
    "kode groep": "group_code",
    "startdatum periodiek algemeen": "period_start",
    "einddatum periodiek algemeen": "period_end",
    "oorspronkelijke begindatum uitkeringsdossier": "original_start",
    "omschrijving leefvorm": "household",
    "oorzaak bijstandsafhankelijkheid": "cause_code",
    "omschrijving oorzaak bijstandsafhankelijkheid": "cause_description",
    "omschrijving einde bijstandsafhankelijkheid": "end_reason",
    "indicatie leefvorm": "household_code",
    "bsn": "bsn",
    "voornamen": "given_names",
    "achternaam": "family_name",
}

SEX_CODES = {"M": "M", "MAN": "M", "V": "V", "VROUW": "V", "O": "O", "ONBEKEND": "O", "X": "X"}
EARLIEST_DATE = date(1950, 1, 1)
EXCEL_EPOCH = date(1899, 12, 30)
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T][0-9:.]*)?$")
DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
EXCEL_SERIAL = re.compile(r"^\d{1,6}(?:\.0*)?$")
# Characters no database text column takes (PostgreSQL refuses NUL, and a lone surrogate cannot be encoded): a cell
# holding one is a row error, and an error report quoting one shows the replacement character instead.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# A birth year or cause code never has more digits; Python's int() refuses texts over 4,300 digits with an error.
MAX_INT_DIGITS = 18
MAX_LENGTHS = {"client_number": 20, "dossier_number": 30, "group_code": 20, "household": 100, "end_reason": 200,
               "given_names": 100, "family_name": 100}


class ExportUnreadable(Exception):
    """The file as a whole cannot be read (empty, not CSV or XLSX, missing columns)."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    column: str
    message: str
    value: str = ""

    def as_dict(self) -> dict:
        return {"regel": self.line, "kolom": _storable(self.column), "waarde": _storable(self.value),
                "fout": _storable(self.message)}


def _storable(text: str) -> str:
    return UNSTORABLE.sub("\ufffd", text) if isinstance(text, str) else text


@dataclass(slots=True)
class SpellData:
    original_start: date
    end_date: date | None
    first_period_start: date
    last_period_start: date
    period_count: int
    group_code: str
    household: str
    cause_code: int | None
    end_reason: str
    open_periods: int


@dataclass(slots=True)
class ClientData:
    client_number: str
    birth_year: int
    sex: str
    household: str
    dossier_number: str
    bsn: str
    given_names: str
    family_name: str
    latest_period_start: date
    first_line: int
    spells: dict[date, SpellData] = field(default_factory=dict)


@dataclass
class ParsedExport:
    header: list[str]
    rows: int = 0
    clients: dict[str, ClientData] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    rejected: list[tuple[int, list[str], list[RowError]]] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)
    has_names: bool = False
    has_bsn: bool = False

    @property
    def rejected_count(self) -> int:
        return len(self.rejected)

    @property
    def spell_count(self) -> int:
        return sum(len(c.spells) for c in self.clients.values())


def is_valid_bsn(value: str) -> bool:
    """The 11-proef: nine digits, weights 9…2 and −1, sum divisible by 11 (and not all zeros)."""
    # isdigit() admits other scripts' digits and superscripts; a BSN is ASCII digits only.
    if len(value) != 9 or not value.isascii() or not value.isdigit() or value == "000000000":
        return False
    # Runs once per row of a 400,000-client export: arithmetic on the byte values (minus 48 per digit times the
    # weights 9+8+…+2−1 = 43) is several times faster than converting each digit.
    b = value.encode()
    total = 9 * b[0] + 8 * b[1] + 7 * b[2] + 6 * b[3] + 5 * b[4] + 4 * b[5] + 3 * b[6] + 2 * b[7] - b[8] - 48 * 43
    return total % 11 == 0


# --- reading -----------------------------------------------------------------------------------------------------

def _encoding(data: bytes) -> tuple[str, int]:
    """The file's encoding and where its text starts, without building the text: UTF-8 (after a BOM, or when it
    decodes), else Windows-1252, else latin-1, which reads any byte so one odd byte does not stop the import.

    A 400,000-client export decoded whole and wrapped in a StringIO held 600 MB (Python stores non-Latin-1 text such
    as Turkish names at two to four bytes a character), so the encoding is checked chunk by chunk here and the CSV
    reader decodes as it goes.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        _check_decodes(data, "utf-8", 3)  # a file with a BOM must be UTF-8
        return "utf-8", 3
    if data.isascii():
        return "utf-8", 0
    for encoding in ("utf-8", "cp1252"):
        try:
            _check_decodes(data, encoding, 0)
        except UnicodeDecodeError:
            continue
        return encoding, 0
    return "latin-1", 0


def _check_decodes(data: bytes, encoding: str, start: int, chunk: int = 1 << 20) -> None:
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    for offset in range(start, len(data), chunk):
        decoder.decode(view[offset:offset + chunk])
    decoder.decode(b"", True)


def _read_csv(data: bytes) -> tuple[list[str], Iterator[tuple[int, list]], int]:
    encoding, start = _encoding(data)
    end = data.find(b"\n", start)
    first_text = data[start:end if end >= 0 else len(data)].decode(encoding)
    delimiter = ";" if first_text.count(";") > first_text.count(",") else ","
    stream = io.BytesIO(data)
    stream.seek(start)
    # newline="" as with the StringIO before: the csv module itself handles line ends and quoted newlines.
    reader = csv.reader(io.TextIOWrapper(stream, encoding=encoding, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return [], iter(()), 0
    # "\n" is one byte in UTF-8, cp1252 and latin-1 alike, so counting bytes counts the text's line ends.
    estimated_rows = max(data.count(b"\n", start) - 1, 0)

    def rows():
        # line_num is the line a record ends on; a record with a quoted line break starts earlier, and the line it
        # starts on is the one a person looks for.
        previous = reader.line_num
        for row in reader:
            yield previous + 1, row
            previous = reader.line_num

    return header, rows(), estimated_rows


def _read_xlsx(data: bytes) -> tuple[list[str], Iterator[tuple[int, list]], int]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a damaged workbook
        raise ExportUnreadable([RowError(1, "", f"Het Excel-bestand kan niet worden gelezen ({exc}).")]) from exc
    # openpyxl reads the worksheet lazily, so a damaged sheet (broken XML, a number cell holding text) only fails
    # while its rows are read: that is an unreadable file as well, with the row where reading stopped.
    try:
        sheet = workbook.worksheets[0]
        iterator = sheet.iter_rows(values_only=True)
        header = ["" if v is None else str(v) for v in next(iterator)]
        estimated_rows = max((sheet.max_row or 1) - 1, 0)
    except StopIteration:
        return [], iter(()), 0
    except Exception as exc:
        raise _damaged_sheet(1, exc) from exc

    def rows():
        number = 1
        try:
            for number, row in enumerate(iterator, start=2):
                yield number, list(row)
        except Exception as exc:
            raise _damaged_sheet(number + 1, exc) from exc
        finally:
            workbook.close()

    return header, rows(), estimated_rows


def _damaged_sheet(line: int, exc: Exception) -> ExportUnreadable:
    return ExportUnreadable([RowError(line, "", f"Het Excel-bestand kan niet worden gelezen ({exc}).")])


def read_table(data: bytes) -> tuple[list[str], Iterator[tuple[int, list]], int]:
    """Header, an iterator of ``(line number, values)``, and an estimate of the number of data rows."""
    if not data.strip():
        raise ExportUnreadable([RowError(1, "", "Het bestand is leeg.")])
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if b"\x00" in data[:4096]:
        raise ExportUnreadable([RowError(1, "", "Dit is geen CSV- of XLSX-bestand.")])
    return _read_csv(data)


def _map_header(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    errors = []
    for index, name in enumerate(header):
        key = (name or "").strip().lstrip("\ufeff").lower()
        target = FIELD_FOR_COLUMN.get(key)
        if target is None:
            continue
        if target in positions:
            errors.append(RowError(1, name, f"De kolom '{name}' komt twee keer voor."))
        positions[target] = index
    missing = [c for c in REQUIRED_COLUMNS if FIELD_FOR_COLUMN[c.lower()] not in positions]
    for column in missing:
        errors.append(RowError(1, column, f"De verplichte kolom '{column}' ontbreekt in de kopregel."))
    if errors:
        raise ExportUnreadable(errors)
    return positions


# --- values ------------------------------------------------------------------------------------------------------

class _DateParser:
    """Parses ISO, dd-mm-jjjj and Excel serial dates, caching by text since exports repeat dates a lot."""

    def __init__(self, today: date):
        self.latest = today + timedelta(days=366)
        self.cache: dict[object, date | str] = {}

    def __call__(self, value) -> date | str | None:
        """A date, None for an empty cell, or a Dutch error message."""
        if value is None or value == "":
            return None
        try:
            return self.cache[value]
        except (KeyError, TypeError):
            pass
        result = self._parse(value)
        try:
            self.cache[value] = result
        except TypeError:
            pass
        return result

    def _parse(self, value) -> date | str:
        if isinstance(value, datetime):
            parsed = value.date()
        elif isinstance(value, date):
            parsed = value
        elif isinstance(value, (int, float)):
            parsed = self._serial(value)
        else:
            text = str(value).strip()
            if not text:
                return None  # type: ignore[return-value]
            if m := ISO_DATE.match(text):
                parsed = self._ymd(int(m[1]), int(m[2]), int(m[3]))
            elif m := DUTCH_DATE.match(text):
                parsed = self._ymd(int(m[3]), int(m[2]), int(m[1]))
            elif EXCEL_SERIAL.match(text):
                parsed = self._serial(float(text))
            else:
                return f"'{text}' is geen datum; gebruik jjjj-mm-dd, dd-mm-jjjj of een Excel-datumgetal."
        if isinstance(parsed, str):
            return parsed
        if not (EARLIEST_DATE <= parsed <= self.latest):
            return (f"De datum {parsed:%d-%m-%Y} is niet mogelijk: die moet tussen "
                    f"{EARLIEST_DATE:%d-%m-%Y} en {self.latest:%d-%m-%Y} liggen.")
        return parsed

    @staticmethod
    def _ymd(year: int, month: int, day: int) -> date | str:
        try:
            return date(year, month, day)
        except ValueError:
            return f"{day:02d}-{month:02d}-{year} bestaat niet als datum."

    @staticmethod
    def _serial(number: float) -> date | str:
        if not math.isfinite(number) or number != int(number) or number < 1:
            return f"'{number}' is geen geldig Excel-datumgetal."
        try:
            return EXCEL_EPOCH + timedelta(days=int(number))
        except OverflowError:
            return f"'{number}' is geen geldig Excel-datumgetal."


def _text(value) -> str:
    if type(value) is str:  # every CSV cell: the common case first
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _as_int(value) -> int | None:
    text = _text(value)
    if not text:
        return None
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isascii() and text.isdigit() and len(text) <= MAX_INT_DIGITS else -1


# --- parsing -----------------------------------------------------------------------------------------------------

def parse_export(
    data: bytes,
    *,
    cause_codes: set[int],
    today: date,
    progress: Callable[[int], None] | None = None,
    preview_rows: int = 20,
    keep_rejected_rows: bool = True,
) -> ParsedExport:
    """Validate every row and merge valid periods into clients and spells.

    Raises ``ExportUnreadable`` when the file as a whole cannot be read. Row problems do not raise: they are in
    ``errors`` (one entry per bad value) and ``rejected`` (one entry per bad row, with its raw values).
    """
    header, rows, estimated = read_table(data)
    if not header:
        raise ExportUnreadable([RowError(1, "", "Het bestand is leeg.")])
    positions = _map_header(header)
    names = {f: header[i].strip() for f, i in positions.items()}
    result = ParsedExport(header=[h if h is not None else "" for h in header],
                          has_names="family_name" in positions or "given_names" in positions,
                          has_bsn="bsn" in positions)
    if progress:
        progress(-estimated)  # a negative call announces the total

    parse_date = _DateParser(today)
    # Only a file that can hold them is searched cell by cell for unstorable characters: a CSV with a NUL byte
    # anywhere (found in one pass over the bytes) and any XLSX (whose XML escapes can produce them).
    check_text = data[:4] == b"PK\x03\x04" or b"\x00" in data
    min_birth_year, max_birth_year = today.year - 110, today.year - 15
    width = len(header)
    pos = {f: positions.get(f) for f in FIELD_FOR_COLUMN.values()}
    p_client, p_dossier, p_birth, p_sex = pos["client_number"], pos["dossier_number"], pos["birth_year"], pos["sex"]
    p_group, p_start, p_end, p_orig = pos["group_code"], pos["period_start"], pos["period_end"], pos["original_start"]
    p_house, p_cause, p_reason = pos["household"], pos["cause_code"], pos["end_reason"]
    p_bsn, p_given, p_family = pos["bsn"], pos["given_names"], pos["family_name"]
    clients = result.clients
    seen_periods: dict[tuple[str, date], int] = {}
    errors = result.errors
    count = 0

    row_errors: list[RowError] = []
    line = 0

    def bad(field_name: str, message: str, value=None) -> None:
        # Defined once: it reads the loop's current ``line`` and ``row_errors``.
        row_errors.append(RowError(line, names[field_name], message, _text(value)))

    int_cache: dict = {}

    def as_int(value) -> int | None:
        try:
            return int_cache[value]
        except KeyError:
            result = int_cache[value] = _as_int(value)
            return result
        except TypeError:
            return _as_int(value)

    for line, raw in rows:
        # A short row (fewer cells than the header) is padded before any cell is looked at.
        if len(raw) < width:
            raw = list(raw) + [None] * (width - len(raw))
        # A blank row is skipped; the full check runs only when the cheap one cannot decide.
        if not any(raw) or (not _text(raw[p_client]) and all(not _text(v) for v in raw)):
            continue
        count += 1
        if progress and count % 5000 == 0:
            progress(5000)
        row_errors = []
        client_number = _text(raw[p_client])
        if not client_number:
            bad("client_number", "Het cliëntnummer ontbreekt.")
        elif len(client_number) > MAX_LENGTHS["client_number"]:
            bad("client_number", "Het cliëntnummer is langer dan 20 tekens.", client_number)

        birth_year = as_int(raw[p_birth])
        if birth_year is None:
            bad("birth_year", "Het geboortejaar ontbreekt.")
        elif not (min_birth_year <= birth_year <= max_birth_year):
            bad("birth_year", f"Het geboortejaar moet een jaar tussen {min_birth_year} en {max_birth_year} zijn.",
                raw[p_birth])

        sex_text = _text(raw[p_sex]).upper()
        sex = SEX_CODES.get(sex_text)
        if sex is None:
            bad("sex", "Onbekende code voor geslacht; toegestaan zijn M, V, O of X." if sex_text
                else "Het geslacht ontbreekt.", raw[p_sex])

        period_start = parse_date(raw[p_start])
        if period_start is None:
            bad("period_start", "De startdatum van de periode ontbreekt.")
        elif isinstance(period_start, str):
            bad("period_start", period_start, raw[p_start])
        original_start = parse_date(raw[p_orig])
        if original_start is None:
            bad("original_start", "De oorspronkelijke begindatum ontbreekt.")
        elif isinstance(original_start, str):
            bad("original_start", original_start, raw[p_orig])
        period_end = parse_date(raw[p_end])
        if isinstance(period_end, str):
            bad("period_end", period_end, raw[p_end])
        dates_ok = isinstance(period_start, date) and isinstance(original_start, date)
        if dates_ok and isinstance(period_end, date) and period_end < period_start:
            bad("period_end", f"De einddatum ligt vóór de startdatum ({period_start:%d-%m-%Y}).", raw[p_end])
        if dates_ok and period_start < original_start:
            bad("period_start", f"De startdatum ligt vóór de oorspronkelijke begindatum ({original_start:%d-%m-%Y}).",
                raw[p_start])

        cause_code = as_int(raw[p_cause])
        if cause_code is not None and cause_code not in cause_codes:
            bad("cause_code", "Onbekende code oorzaak bijstandsafhankelijkheid (zie de codelijst).", raw[p_cause])

        household = _text(raw[p_house]) if p_house is not None else ""
        group_code = _text(raw[p_group]) if p_group is not None else ""
        dossier_number = _text(raw[p_dossier]) if p_dossier is not None else ""
        end_reason = _text(raw[p_reason]) if p_reason is not None else ""
        given_names = _text(raw[p_given]) if p_given is not None else ""
        family_name = _text(raw[p_family]) if p_family is not None else ""
        for field_name, value in (("household", household), ("group_code", group_code),
                                  ("dossier_number", dossier_number), ("end_reason", end_reason),
                                  ("given_names", given_names), ("family_name", family_name)):
            if len(value) > MAX_LENGTHS[field_name]:
                bad(field_name, f"De waarde is langer dan {MAX_LENGTHS[field_name]} tekens.", value[:40])
        if check_text:
            for field_name, value in (("client_number", client_number), ("household", household),
                                      ("group_code", group_code), ("dossier_number", dossier_number),
                                      ("end_reason", end_reason), ("given_names", given_names),
                                      ("family_name", family_name)):
                if UNSTORABLE.search(value):
                    bad(field_name, "De waarde bevat een teken dat niet kan worden opgeslagen (NUL of een losse "
                                    "surrogaat).", value[:40])
        bsn = ""
        if p_bsn is not None and (bsn_text := _text(raw[p_bsn])):
            bsn = bsn_text.zfill(9) if bsn_text.isdigit() and len(bsn_text) == 8 else bsn_text
            if not is_valid_bsn(bsn):
                bad("bsn", "Het BSN is ongeldig (negen cijfers die aan de elfproef voldoen).", bsn_text)

        client = clients.get(client_number) if client_number else None
        if not row_errors:
            key = (client_number, period_start)
            first = seen_periods.get(key)
            if first is not None:
                bad("period_start", f"Dubbele periode: deze cliënt heeft op regel {first} al een periode met "
                                    f"dezelfde startdatum.", raw[p_start])
            elif client is not None and client.birth_year != birth_year:
                bad("birth_year", f"Het geboortejaar wijkt af van regel {client.first_line} ({client.birth_year}).",
                    raw[p_birth])
            elif client is not None and client.sex != sex:
                bad("sex", f"Het geslacht wijkt af van regel {client.first_line} ({client.sex}).", raw[p_sex])

        if row_errors:
            errors.extend(row_errors)
            if keep_rejected_rows:
                result.rejected.append((line, [_text(v) for v in raw], row_errors))
            else:
                result.rejected.append((line, [], row_errors))
            continue

        seen_periods[(client_number, period_start)] = line
        if client is None:
            client = clients[client_number] = ClientData(
                client_number, birth_year, sex, household, dossier_number, bsn, given_names, family_name,
                period_start, line)
        elif period_start > client.latest_period_start:
            # The latest period says where the client stands now.
            client.latest_period_start = period_start
            client.household, client.dossier_number = household, dossier_number
            if bsn:
                client.bsn = bsn
            if family_name or given_names:
                client.given_names, client.family_name = given_names, family_name

        spell = client.spells.get(original_start)
        is_open = 1 if period_end is None else 0
        if spell is None:
            client.spells[original_start] = SpellData(
                original_start, period_end, period_start, period_start, 1, group_code, household, cause_code,
                end_reason, is_open)
        else:
            spell.period_count += 1
            spell.open_periods += is_open
            if period_start < spell.first_period_start:
                spell.first_period_start = period_start
            if period_start > spell.last_period_start:
                spell.last_period_start = period_start
                spell.group_code, spell.household, spell.end_reason = group_code, household, end_reason
                if cause_code is not None:
                    spell.cause_code = cause_code
            if spell.open_periods:
                spell.end_date = None
            elif period_end is not None and (spell.end_date is None or period_end > spell.end_date):
                spell.end_date = period_end

        if len(result.preview) < preview_rows:
            result.preview.append({
                "regel": line, "clientnummer": client_number, "geboortejaar": birth_year, "geslacht": sex,
                "start": period_start, "einde": period_end, "oorspronkelijke_begindatum": original_start,
                "leefvorm": household, "oorzaak": cause_code,
            })

    result.rows = count
    if progress:
        progress(count % 5000)
    if count == 0:
        raise ExportUnreadable([RowError(2, "", "Het bestand bevat een kopregel maar geen gegevensregels.")])
    return result


def write_rejected_csv(parsed: ParsedExport, stream: io.TextIOBase) -> None:
    """The rejected rows as CSV (``;``, as Dutch Excel expects), each with its line number and reasons."""
    writer = csv.writer(stream, delimiter=";")
    writer.writerow(["Regel", *parsed.header, "Fouten"])
    for line, raw, row_errors in parsed.rejected:
        writer.writerow([line, *raw, " | ".join(f"{e.column}: {e.message}" for e in row_errors)])
