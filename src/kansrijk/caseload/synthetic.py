"""A synthetic benefit-system export ("Sturen op bijstand" format, BRIEF §6) for demos, tests and benchmarks.

Deterministic: everything is drawn from one ``random.Random(seed)``, so the same seed, client count and reference
date give the same bytes. One row per benefit period, with every column of ``importing.REQUIRED_COLUMNS`` plus the
cause description, the end reason, BSN and names. Nobody in it is a real person: names are random combinations from
the short lists below, and BSNs are numbers that pass the 11-proef but are never paired with real data.

Calibration (what a test can check against the rows; "active" = the client's latest spell has no end date at the
reference date, age = reference year − birth year):

* **Duration of active spells: 71% longer than two years.** CBS, end 2016: 71% of bijstand recipients had received
  it for more than two years (seed 000 §1, BRIEF §1). The buckets below give 28.85% up to two years.
* **Active spells longer than 15 years: about 9%.** Assumption, read from the CBS duration tables (StatLine
  "Personen met bijstand; duur"), where roughly one in ten recipients has been on benefit 15 years or more.
  Long spells are drawn mostly for the older age classes, since a spell cannot start before age 18.
* **Duration buckets per age class** (weights for <1, 1–2, 2–5, 5–10, 10–15, >15 years): assumption, tuned so the
  totals above hold while young clients cannot have long spells; older clients have the longer spells, as CBS and
  seed 000 report (long-term recipients are more often 49+).
* **Women 55%.** CBS: a little over half of the people in bijstand households are women. Single parents are
  mostly women (90%, assumption, CBS reports most one-parent households are mothers), the rest is drawn so the
  total stays 55%.
* **Age of active clients: <27 8%, 27–44 37%, 45–54 25%, 55–66 30%.** Rounded from CBS "Personen met bijstand;
  leeftijd" (2016–2020); upper bound 66 because bijstand stops at the AOW age.
* **Household (Omschrijving leefvorm): Alleenstaande 55%, Alleenstaande ouder 20%, Gehuwd/samenwonend zonder
  kinderen 10%, Gehuwd/samenwonend met kinderen 15%.** Rounded from CBS "Bijstandsuitkeringen; leefvorm":
  most bijstand households are single persons, about one in five single parents.
* **Earlier spells: 20% of clients have an ended spell.** Assumption. Half of them (10% of all clients) have left
  benefit (the ended spell is their latest; ended within three years before the reference date), the other half
  came back (*draaideur*): an ended spell, a gap of one month to two and a half years, then a running spell with
  a later original start date. Young clients with a long running spell sometimes have no room for an earlier
  spell, so the measured share of returners is a little under 10%.
* **Periods per spell: 1 (45%), 2 (35%) or 3 (20%).** Assumption: a spell gets a new period when the norm or
  household changes. Periods are consecutive (each ends the day before the next starts on the first of a month);
  only the last period of a running spell is open.
* **Cause codes:** only codes with status 1 in the shipped code list; weights are an assumption led by how people
  enter bijstand (end of a job or of WW first, then relationship breakdown, status holders from the AZC, moving in
  from another municipality, end of studies).
* **Kode groep:** PW (Participatiewet) for most; IOAW for some clients of 50+ and IOAZ for some of 55+, since those
  laws only cover older unemployed workers and former self-employed.

Speed matters (400,000 clients for the import benchmark): the loop works on date ordinals and caches formatted
dates, and rows are streamed rather than built in memory.
"""

from __future__ import annotations

import csv
import random
from bisect import bisect
from collections.abc import Callable, Iterator
from datetime import date
from itertools import accumulate
from pathlib import Path

from .importing import REQUIRED_COLUMNS

CODE_LIST = Path(__file__).resolve().parent / "data" / "oorzaak-bijstandsafhankelijkheid.csv"

HEADER = [*REQUIRED_COLUMNS, "Omschrijving oorzaak bijstandsafhankelijkheid",
          "Omschrijving einde bijstandsafhankelijkheid", "BSN", "Voornamen", "Achternaam"]

YEAR = 365.25
# Day bounds of the duration buckets, with a few days' margin around the two- and fifteen-year marks so a check
# that counts calendar years classifies every spell the same way as the generator.
DURATION_BUCKETS = [(30, 360), (370, 725), (735, 1820), (1830, 3650), (3660, 5470), (5485, None)]
# (lowest age, highest age, share of clients, duration bucket weights)
AGE_CLASSES = [
    (18, 26, 0.08, [0.45, 0.30, 0.25, 0.0, 0.0, 0.0]),
    (27, 44, 0.37, [0.17, 0.13, 0.30, 0.25, 0.10, 0.05]),
    (45, 54, 0.25, [0.12, 0.11, 0.25, 0.24, 0.15, 0.13]),
    (55, 66, 0.30, [0.10, 0.10, 0.24, 0.23, 0.19, 0.14]),
]
# Ended spells are shorter on average: outflow is highest in the first years on benefit.
ENDED_BUCKET_WEIGHTS = [0.45, 0.25, 0.20, 0.10, 0.0, 0.0]

HOUSEHOLDS = [
    ("Alleenstaande", 0.55),
    ("Alleenstaande ouder", 0.20),
    ("Gehuwd/samenwonend zonder kinderen", 0.10),
    ("Gehuwd/samenwonend met kinderen", 0.15),
]
WOMEN_SHARE = 0.55
WOMEN_SHARE_SINGLE_PARENT = 0.90
# The rest of the households gets the women's share that keeps the total at WOMEN_SHARE.
WOMEN_SHARE_OTHER = (WOMEN_SHARE - 0.20 * WOMEN_SHARE_SINGLE_PARENT) / 0.80

CAUSE_WEIGHTS = {
    11: 20, 14: 18, 2: 12, 43: 8, 41: 8, 1: 6, 42: 6, 13: 4, 4: 3, 40: 3, 35: 3, 32: 3, 34: 2, 17: 1, 25: 1,
    31: 1, 33: 1,
}
END_REASONS = [
    ("Werkaanvaarding", 0.40), ("Verhuizing naar andere gemeente", 0.12), ("Overig", 0.13),
    ("Inkomsten partner", 0.10), ("Samenwonen of huwelijk", 0.08), ("Andere uitkering (WW/WIA)", 0.07),
    ("Start studie", 0.06), ("Detentie", 0.02), ("Vertrek naar buitenland", 0.02),
]
PERIOD_COUNTS = [(1, 0.45), (2, 0.35), (3, 0.20)]
SHARE_LEFT = 0.10
SHARE_RETURNED = 0.10

# Name lists per (rough) origin: (share, women's given names, men's given names, family names).
NAMES = {
    "nl": (0.52,
           ["Anna", "Maria", "Johanna", "Sanne", "Lisa", "Femke", "Ingrid", "Petra", "Monique", "Sandra", "Anouk",
            "Wilma", "Marieke", "Kim", "Esther", "Linda", "Henny", "Gerda"],
           ["Jan", "Pieter", "Johannes", "Kees", "Henk", "Sander", "Bas", "Ruud", "Gerrit", "Dennis", "Mark",
            "Willem", "Joost", "Erik", "Marco", "Ronald", "Hendrik", "Thijs"],
           ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
            "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra",
            "Smits", "de Graaf", "van der Meer", "Kok", "Jacobs", "van Dijk", "Vermeulen", "Willems", "Post"]),
    "ma": (0.11,
           ["Fatima", "Khadija", "Naima", "Samira", "Malika", "Hanan", "Yasmina", "Nora", "Latifa", "Souad"],
           ["Mohamed", "Ahmed", "Youssef", "Said", "Mustafa", "Rachid", "Karim", "Hassan", "Abdelkader", "Bilal"],
           ["El Amrani", "Bouzid", "El Idrissi", "Benali", "Ouali", "Aziz", "El Khatib", "Boukhari", "Tahiri",
            "Azzouzi", "Chaouch", "El Hamdaoui"]),
    "tr": (0.09,
           ["Ayşe", "Fatma", "Emine", "Hatice", "Zeynep", "Elif", "Songül", "Derya", "Gül", "Sevda"],
           ["Mehmet", "Mustafa", "Ali", "Hüseyin", "Hasan", "İbrahim", "Murat", "Osman", "Kemal", "Emre"],
           ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk", "Arslan", "Doğan", "Koç",
            "Kurt"]),
    "sr": (0.08,
           ["Sharon", "Jennifer", "Ranjana", "Shanti", "Priya", "Melissa", "Natasha", "Germaine"],
           ["Ramon", "Rishi", "Errol", "Glenn", "Romano", "Dinesh", "Clyde", "Marlon"],
           ["Ramdin", "Sewnarain", "Kromodikoro", "Pinas", "Biharie", "Nelom", "Soekhai", "Amatdjais",
            "Wijngaarde", "Tjon A Fong", "Doekhie", "Bhoelai"]),
    "er": (0.05,
           ["Senait", "Helen", "Selam", "Yordanos", "Saba", "Feven", "Luwam", "Rahel"],
           ["Yonas", "Tesfay", "Dawit", "Samuel", "Filmon", "Habtom", "Kidane", "Mebrahtu"],
           ["Tesfamariam", "Ghebremedhin", "Haile", "Tekle", "Berhane", "Gebremichael", "Woldu", "Kahsay"]),
    "sy": (0.07,
           ["Rania", "Lina", "Reem", "Hiba", "Dima", "Nour", "Ghada", "Amal"],
           ["Omar", "Khaled", "Ammar", "Firas", "Tarek", "Samer", "Bassel", "Mahmoud"],
           ["Al-Hassan", "Haddad", "Khalil", "Al-Ahmad", "Darwish", "Hamdan", "Saleh", "Al-Ali", "Mansour",
            "Nasser"]),
    "pl": (0.04,
           ["Katarzyna", "Agnieszka", "Magdalena", "Joanna", "Ewa", "Anna"],
           ["Piotr", "Tomasz", "Krzysztof", "Paweł", "Marek", "Andrzej"],
           ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński"]),
    "an": (0.04,
           ["Shurayda", "Rosalinda", "Giselle", "Jeanine", "Yvette"],
           ["Jurgen", "Rignald", "Edsel", "Gilbert", "Ruthmilo"],
           ["Martina", "Isenia", "Rosaria", "Statia", "Koeiman", "Pieternella", "Doran", "Sillé"]),
}


def _cumulative(weights) -> list[float]:
    return list(accumulate(weights))


def _in_use_causes() -> dict[int, str]:
    causes = {}
    with CODE_LIST.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Status record"].strip() == "1":
                causes[int(row["Code oorzaak bijstandsafhankelijkheid"])] = \
                    row["Omschrijving oorzaak bijstandsafhankelijkheid"].strip()
    return causes


def _bsns(rng: random.Random) -> Iterator[str]:
    """Unique 11-proef numbers: a fixed bijection over eight-digit prefixes, skipping prefixes with no check digit."""
    span = 90_000_000  # prefixes 10000000–99999999
    step = 48_271  # coprime with span, so every prefix comes up exactly once
    offset = rng.randrange(span)
    weights = (9, 8, 7, 6, 5, 4, 3, 2)
    k = 0
    while True:
        prefix = str(10_000_000 + (offset + k * step) % span)
        k += 1
        check = sum(int(d) * w for d, w in zip(prefix, weights)) % 11
        if check < 10:
            yield prefix + str(check)


def generate_rows(clients: int, seed: int = 0, reference_date: date | None = None, *,
                  date_style: str = "iso") -> Iterator[list]:
    """Data rows (no header; see ``HEADER``), one per benefit period, grouped by client.

    ``date_style``: "iso" (jjjj-mm-dd), "nl" (dd-mm-jjjj) or "date" (``date`` objects, for real Excel date cells).
    Numbers (birth year, cause code) are ints.
    """
    if date_style not in ("iso", "nl", "date"):
        raise ValueError(f"unknown date_style {date_style!r}")
    reference = reference_date or date.today()
    ref = reference.toordinal()
    rng = random.Random(seed)
    rand, randint, choice = rng.random, rng.randint, rng.choice

    date_cache: dict[int, object] = {}

    def fmt(ordinal: int | None):
        if ordinal is None:
            return ""
        value = date_cache.get(ordinal)
        if value is None:
            d = date.fromordinal(ordinal)
            value = d if date_style == "date" else (
                d.isoformat() if date_style == "iso" else f"{d.day:02d}-{d.month:02d}-{d.year}")
            date_cache[ordinal] = value
        return value

    age_cum = _cumulative(c[2] for c in AGE_CLASSES)
    bucket_cums = [_cumulative(c[3]) for c in AGE_CLASSES]
    ended_cum = _cumulative(ENDED_BUCKET_WEIGHTS)
    household_names = [h for h, _ in HOUSEHOLDS]
    household_cum = _cumulative(w for _, w in HOUSEHOLDS)
    causes = _in_use_causes()
    cause_codes = [c for c in CAUSE_WEIGHTS if c in causes]
    cause_cum = _cumulative(CAUSE_WEIGHTS[c] for c in cause_codes)
    end_reason_names = [r for r, _ in END_REASONS]
    end_reason_cum = _cumulative(w for _, w in END_REASONS)
    period_counts = [n for n, _ in PERIOD_COUNTS]
    period_cum = _cumulative(w for _, w in PERIOD_COUNTS)
    origins = list(NAMES.values())
    origin_cum = _cumulative(o[0] for o in origins)
    bsns = _bsns(rng)

    def pick(cum: list[float]) -> int:
        return min(bisect(cum, rand() * cum[-1]), len(cum) - 1)

    def duration(bucket: int, max_days: int) -> int:
        low, high = DURATION_BUCKETS[bucket]
        high = max_days if high is None else min(high, max_days)
        return randint(low, max(low, high))

    def periods(start: int, end: int | None) -> list[tuple[int, int | None]]:
        """Consecutive periods of one spell; later periods start on the first of a month."""
        last = end if end is not None else ref
        first_day = date.fromordinal(start)
        last_day = date.fromordinal(last)
        months = (last_day.year - first_day.year) * 12 + last_day.month - first_day.month
        wanted = period_counts[pick(period_cum)] - 1
        wanted = min(wanted, months - 1) if months > 1 else 0
        if wanted <= 0:
            return [(start, end)]
        base = first_day.year * 12 + first_day.month - 1
        offsets = sorted(rng.sample(range(1, months), wanted))
        starts = [start] + [date((base + o) // 12, (base + o) % 12 + 1, 1).toordinal() for o in offsets]
        return [(s, starts[i + 1] - 1) for i, s in enumerate(starts[:-1])] + [(starts[-1], end)]

    for number in range(1, clients + 1):
        class_index = pick(age_cum)
        low_age, high_age, _, _ = AGE_CLASSES[class_index]
        kind = rand()
        left = kind < SHARE_LEFT
        returned = SHARE_LEFT <= kind < SHARE_LEFT + SHARE_RETURNED
        # A spell cannot start before the client turned 18, so the highest age bounds the longest spell.
        max_days = int((high_age - 19) * YEAR)
        if left:
            spell_days = duration(pick(ended_cum), max_days)
            end = ref - randint(1, 3 * 365)
            start = end - spell_days
        else:
            spell_days = duration(pick(bucket_cums[class_index]), max_days)
            end = None
            start = ref - spell_days
        years_on_benefit = (ref - start) / YEAR
        age = randint(max(low_age, min(high_age, 18 + int(years_on_benefit) + 1)), high_age)
        birth_year = reference.year - age

        household_index = pick(household_cum)
        household = household_names[household_index]
        women_share = WOMEN_SHARE_SINGLE_PARENT if household_index == 1 else WOMEN_SHARE_OTHER
        woman = rand() < women_share
        origin = origins[pick(origin_cum)]
        given = choice(origin[1] if woman else origin[2])
        if origin is origins[0] and rand() < 0.3:
            second = choice(origin[1] if woman else origin[2])
            if second != given:
                given = f"{given} {second}"
        family = choice(origin[3])

        spells: list[tuple[int, int | None]] = []
        if returned:
            gap = randint(30, 900)
            earlier_end = start - gap
            earlier_start = earlier_end - duration(pick(ended_cum), 3 * 365)
            adult = date(birth_year + 18, 1, 1).toordinal()
            if earlier_start < adult:
                earlier_start = adult
            if earlier_end - earlier_start >= 60:
                spells.append((earlier_start, earlier_end))
        spells.append((start, end))

        client_number = str(1_000_000 + number)
        dossier = f"D{4_000_000 + number}"
        bsn = next(bsns)
        sex = "V" if woman else "M"
        if age >= 55 and rand() < 0.06:
            group = "IOAZ"
        elif age >= 50 and rand() < 0.14:
            group = "IOAW"
        else:
            group = "PW"
        for spell_start, spell_end in spells:
            cause = cause_codes[pick(cause_cum)]
            cause_text = causes[cause]
            reason = end_reason_names[pick(end_reason_cum)] if spell_end is not None else ""
            spell_periods = periods(spell_start, spell_end)
            last_index = len(spell_periods) - 1
            original = fmt(spell_start)
            for index, (period_start, period_end) in enumerate(spell_periods):
                yield [dossier, client_number, birth_year, sex, group, fmt(period_start), fmt(period_end),
                       original, household, cause, cause_text, reason if index == last_index else "",
                       bsn, given, family]


def write_export(path: str | Path, clients: int, seed: int = 0, fmt: str | None = None, delimiter: str = ",",
                 date_style: str = "iso", reference_date: date | None = None,
                 progress: Callable[[int], None] | None = None) -> int:
    """Write the export to ``path`` as CSV (UTF-8) or XLSX; returns the number of data rows.

    ``fmt`` defaults to the file extension. In XLSX the dates are real Excel date cells (as a benefit system's Excel
    export has them), so ``date_style`` only applies to CSV. ``progress`` is called with the number of clients done
    since the previous call.
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".") or "csv").lower()
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown format {fmt!r}")
    rows = generate_rows(clients, seed, reference_date, date_style="date" if fmt == "xlsx" else date_style)
    rows = _counting(rows, progress) if progress else rows
    count = 0
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=delimiter)
            writer.writerow(HEADER)
            for row in rows:
                writer.writerow(row)
                count += 1
    else:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import NamedStyle

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Export")
        sheet.append(HEADER)
        # One registered style for every date cell; a per-cell number format would make openpyxl slow.
        date_style_obj = NamedStyle(name="datum", number_format="DD-MM-YYYY")
        workbook.add_named_style(date_style_obj)
        date_columns = {HEADER.index(c) for c in ("Startdatum periodiek algemeen", "Einddatum periodiek algemeen",
                                                  "Oorspronkelijke begindatum uitkeringsdossier")}
        for row in rows:
            cells = []
            for index, value in enumerate(row):
                if index in date_columns and value != "":
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.style = "datum"
                    cells.append(cell)
                else:
                    cells.append(None if value == "" else value)
            sheet.append(cells)
            count += 1
        workbook.save(path)
    return count


def _counting(rows: Iterator[list], progress: Callable[[int], None]) -> Iterator[list]:
    """Report progress per client: rows of one client share a client number."""
    previous = None
    done = 0
    for row in rows:
        if row[1] != previous:
            previous = row[1]
            done += 1
            if done == 1000:
                progress(done)
                done = 0
        yield row
    if done:
        progress(done)
