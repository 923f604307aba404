"""The numbers of the caseload analysis and the outflow analysis, each checked against a computation written here
in plain Python over a small set of spells whose answers are also known by hand."""

from collections import defaultdict
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from kansrijk.monitoring import analysis
from kansrijk.monitoring.analysis import COLUMNS, days

PEIL = date(2024, 12, 31)

# (count, sex, birth year, start, [end dates …], household, cause): one client per spell.
COHORTS = [
    ("A", 20, "M", 1991, date(2020, 6, 30), [date(2021, 6, 30)] * 10 + [date(2025, 3, 1)] * 2 + [None] * 8,
     "Alleenstaande", "Einde Arb. dienstbetr./ZW"),
    ("B", 20, "V", 1970, date(2020, 7, 1), [date(2023, 3, 1)] * 12 + [None] * 8, "Alleenstaande ouder",
     "Beeindiging huwelijk/relatie"),
    ("C", 15, "V", 1970, date(2021, 7, 1), [None] * 15, "Alleenstaande", "Einde Arb. dienstbetr./ZW"),
    ("D", 25, "M", 1994, date(2021, 1, 15), [date(2022, 5, 1)] * 10 + [PEIL] * 2 + [None] * 13, "Alleenstaande",
     "Einde Uitkering werkeloosheid"),
    ("E", 3, "M", 1980, date(2019, 5, 1), [None] * 3, "Alleenstaande", "Einde Arb. dienstbetr./ZW"),
    ("F", 1, "V", 1980, date(2025, 2, 1), [None], "Alleenstaande", "Einde Arb. dienstbetr./ZW"),
]


def spells():
    out, client = [], 0
    for _name, count, sex, birth_year, start, ends, household, cause in COHORTS:
        assert len(ends) == count
        for end in ends:
            client += 1
            out.append({"client_id": client, "start": start, "end": end, "household": household, "cause": cause,
                        "birth_year": birth_year, "sex": sex})
    return out


def frame(rows) -> pd.DataFrame:
    return pd.DataFrame({
        "client_id": [r["client_id"] for r in rows],
        "start": [days(r["start"]) for r in rows],
        "end": [float(days(r["end"])) if r["end"] else np.nan for r in rows],
        "household": [r["household"] for r in rows], "cause": [r["cause"] for r in rows],
        "birth_year": [r["birth_year"] for r in rows], "sex": [r["sex"] for r in rows],
        **({"end_reason": [r.get("end_reason", "") for r in rows]} if any("end_reason" in r for r in rows) else {}),
    }, columns=COLUMNS + (["end_reason"] if any("end_reason" in r for r in rows) else []))


# --- The independent computation --------------------------------------------------------------------------------

def plain_age_class(birth_year: int, start: date) -> str:
    age = start.year - birth_year - (1 if start < date(start.year, 7, 1) else 0)
    return "< 30" if age < 30 else ("30-50" if age <= 50 else "50+")


AGE_ORDER = {"< 30": 0, "30-50": 1, "50+": 2}


def _order(key):
    """Age classes in their natural order (youngest first), everything else alphabetically."""
    return tuple((AGE_ORDER[k], "") if k in AGE_ORDER else (9, k) for k in key) if isinstance(key, tuple) else key


def plain_expected(rows, peil):
    known = [r for r in rows if r["start"] <= peil]
    words = {"M": "Man", "V": "Vrouw"}

    def is_active(r):
        return r["end"] is None or r["end"] > peil

    def cells(key):
        cell = defaultdict(lambda: [0, 0])
        for r in known:
            k = key(r)
            cell[k][0] += 1
            cell[k][1] += is_active(r)
        return cell

    def row(n, act):
        hidden_n = n < 10
        hidden_a = hidden_n or act < 10 or n - act < 10
        return {"n": None if hidden_n else n, "actief": None if hidden_a else act,
                "pct_actief": None if hidden_a else round(100 * act / n, 2)}

    result = {"totaal": [{"instroomjaar": y, **row(*v)}
                         for y, v in sorted(cells(lambda r: r["start"].year).items())]}
    keys = {"geslacht": lambda r: words[r["sex"]], "leefvorm": lambda r: r["household"],
            "leeftijdsklasse": lambda r: plain_age_class(r["birth_year"], r["start"]), "oorzaak": lambda r: r["cause"]}
    for name, key in keys.items():
        rows_out = [{"instroomjaar": y, "groep": g, **row(*v)}
                    for (y, g), v in sorted(cells(lambda r, key=key: (r["start"].year, key(r))).items(),
                                                key=lambda item: (item[0][0], _order((item[0][1],))))]
        # Secondary suppression: a year with exactly one hidden actief among several groups hides the others too
        # (each year here has at most two groups, so "the smallest other" is "the other").
        for year in {r["instroomjaar"] for r in rows_out}:
            same = [r for r in rows_out if r["instroomjaar"] == year]
            if len(same) > 1 and sum(r["actief"] is None for r in same) == 1:
                for r in same:
                    r["actief"] = r["pct_actief"] = None
        result[name] = rows_out
    cross = defaultdict(int)
    for r in known:
        if is_active(r):
            cross[(plain_age_class(r["birth_year"], r["start"]), r["household"])] += 1
    result["actief_leeftijd_leefvorm"] = [{"leeftijdsklasse": a, "leefvorm": h, "n": None if n < 10 else n}
                                          for (a, h), n in sorted(cross.items(), key=lambda i: _order(i[0]))]
    for age in AGE_ORDER:  # the same secondary rule within an age class (at most two households here)
        same = [r for r in result["actief_leeftijd_leefvorm"] if r["leeftijdsklasse"] == age]
        if len(same) > 1 and sum(r["n"] is None for r in same) == 1:
            for r in same:
                r["n"] = None
    return result


def test_caseload_analysis_matches_the_plain_computation():
    rows = spells()
    result = analysis.caseload_analysis(analysis.prepare(frame(rows), PEIL))
    assert result == plain_expected(rows, PEIL)


def test_caseload_analysis_known_answers():
    result = analysis.caseload_analysis(analysis.prepare(frame(spells()), PEIL))
    # By hand: 2020 = A + B = 40 spells, active 10 (A: 8 open, 2 ending after the peildatum) + 8 (B) = 18.
    assert result["totaal"] == [
        {"instroomjaar": 2019, "n": None, "actief": None, "pct_actief": None},  # E: 3 spells, suppressed
        {"instroomjaar": 2020, "n": 40, "actief": 18, "pct_actief": 45.0},
        # 2021 = C + D = 40; active 15 + 13 (D's two spells ending on the peildatum count as ended).
        {"instroomjaar": 2021, "n": 40, "actief": 28, "pct_actief": 70.0},
    ]  # F starts after the peildatum: no 2025 row.
    by_age = {(r["instroomjaar"], r["groep"]): r for r in result["leeftijdsklasse"]}
    assert by_age[(2020, "< 30")]["n"] == 20  # A: born 1991, started 30 June 2020: 28
    assert by_age[(2020, "30-50")]["n"] == 20  # B: born 1970, started 1 July 2020: exactly 50
    assert by_age[(2021, "50+")]["n"] == 15  # C: born 1970, started 1 July 2021: 51
    # B has 8 active (< 10), so its actief is hidden and A's too (otherwise 18 − A gives B away).
    assert by_age[(2020, "30-50")]["actief"] is None and by_age[(2020, "< 30")]["actief"] is None
    assert result["actief_leeftijd_leefvorm"] == [
        {"leeftijdsklasse": "< 30", "leefvorm": "Alleenstaande", "n": 23},  # A 10 + D 13
        {"leeftijdsklasse": "30-50", "leefvorm": "Alleenstaande", "n": None},  # E: 3
        {"leeftijdsklasse": "30-50", "leefvorm": "Alleenstaande ouder", "n": None},  # B: 8
        {"leeftijdsklasse": "50+", "leefvorm": "Alleenstaande", "n": 15},
    ]


@pytest.mark.parametrize("birth_year, start, expected", [
    (1990, date(2020, 6, 30), "< 30"),  # 29: the birthday (1 July) is still to come
    (1990, date(2020, 7, 1), "30-50"),  # 30 on 1 July
    (1970, date(2020, 7, 1), "30-50"),  # 50 is still 30-50
    (1970, date(2021, 6, 30), "30-50"),  # 50 until 1 July
    (1970, date(2021, 7, 1), "50+"),  # 51
    (2000, date(2020, 1, 1), "< 30"),
])
def test_age_class_at_the_start_with_the_1_july_rule(birth_year, start, expected):
    age = analysis.age_at(np.array([days(start)]), np.array([birth_year]))
    assert analysis.AGE_CLASSES[analysis.age_class(age)[0]] == expected == plain_age_class(birth_year, start)


def test_peildatum_decides_what_is_known_and_what_is_active():
    rows = spells()
    earlier = date(2021, 12, 31)
    result = analysis.caseload_analysis(analysis.prepare(frame(rows), earlier))
    assert result == plain_expected(rows, earlier)
    totals = {r["instroomjaar"]: r for r in result["totaal"]}
    # On 31-12-2021 A's ten ended spells (30-06-2021) had ended, B's (2023) had not: 30 of 40 active.
    assert totals[2020] == {"instroomjaar": 2020, "n": 40, "actief": 30, "pct_actief": 75.0}


def test_a_spell_ending_on_the_peildatum_is_no_longer_active():
    rows = [{"client_id": i, "start": date(2020, 1, 1), "end": PEIL if i < 12 else None, "household": "A",
             "cause": "x", "birth_year": 1980, "sex": "M"} for i in range(24)]
    result = analysis.caseload_analysis(analysis.prepare(frame(rows), PEIL))
    assert result["totaal"] == [{"instroomjaar": 2020, "n": 24, "actief": 12, "pct_actief": 50.0}]
    later = analysis.caseload_analysis(analysis.prepare(frame(rows), PEIL - timedelta(days=1)))
    # A day earlier all 24 are active; 0 ended is fewer than 10, and "all active" would say it, so hidden.
    assert later["totaal"] == [{"instroomjaar": 2020, "n": 24, "actief": None, "pct_actief": None}]


def test_two_spells_of_one_client_in_a_cell_count_as_one_person_for_suppression():
    # 10 spells, but only 5 persons: the cell must be hidden.
    rows = [{"client_id": i // 2, "start": date(2020, 1 + i % 2 * 6, 1), "end": None, "household": "A",
             "cause": "x", "birth_year": 1980, "sex": "M"} for i in range(10)]
    result = analysis.caseload_analysis(analysis.prepare(frame(rows), PEIL))
    assert result["totaal"] == [{"instroomjaar": 2020, "n": None, "actief": None, "pct_actief": None}]


def test_single_hidden_group_triggers_secondary_suppression_of_the_smallest_other():
    rows, client = [], 0
    for household, count in (("Groot", 30), ("Middel", 12), ("Klein", 4)):
        for i in range(count):
            client += 1
            rows.append({"client_id": client, "start": date(2020, 3, 1), "end": None if i % 2 else date(2021, 1, 1),
                         "household": household, "cause": "x", "birth_year": 1980, "sex": "M"})
    result = analysis.caseload_analysis(analysis.prepare(frame(rows), PEIL))
    by_group = {r["groep"]: r["n"] for r in result["leefvorm"]}
    assert by_group == {"Groot": 30, "Middel": None, "Klein": None}


# --- Outflow and duration ---------------------------------------------------------------------------------------

def plain_km_median(durations, events):
    """Kaplan–Meier by hand: S(t) = Π (1 − d_i / n_i); the median is the first t where S ≤ 0.5."""
    survival, at_risk = 1.0, len(durations)
    for t in sorted(set(durations)):
        deaths = sum(1 for d, e in zip(durations, events, strict=True) if d == t and e)
        if deaths:
            survival *= 1 - deaths / at_risk
            if survival <= 0.5:
                return t
        at_risk -= sum(1 for d in durations if d == t)
    return None


def test_kaplan_meier_median_matches_the_hand_computation():
    lengths = [30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 330, 360]
    censored = {90, 210}
    cut = days(PEIL)
    rows = pd.DataFrame({
        "client_id": range(len(lengths)),
        "start": [cut - d for d in lengths],
        "end": [np.nan if d in censored else float(cut) for d in lengths],
        "household": "A", "cause": "x", "birth_year": 1980, "sex": "M"}, columns=COLUMNS)
    # Ended spells end on the peildatum itself, so they are ended (end > peildatum is active).
    curves = analysis.km_segments(analysis.prepare(rows, PEIL), "leefvorm")
    assert len(curves) == 1
    by_hand = plain_km_median(lengths, [d not in censored for d in lengths])
    # 12 at risk: after 30, 60 → 10/12; 90 censored; 120 → ·8/9; 150 → ·7/8; 180 → ·6/7 = 0.556;
    # 210 censored; 240 → ·3/4 = 0.417 ≤ 0.5: the median is 240 days.
    assert by_hand == 240
    assert curves[0]["mediaan_maanden"] == round(240 / analysis.MONTH, 1) == 7.9
    # 10 left, but the 2 who did not are fewer than 10 and follow from n: hidden.
    assert curves[0]["n"] == 12 and curves[0]["uitgestroomd"] is None
    # The curve stops once fewer than 10 are at risk: from month 3 (90 days: 9 left) on.
    assert [p["maand"] for p in curves[0]["punten"]] == [0, 1, 2]
    assert curves[0]["punten"][1]["nog_in_uitkering"] == round(11 / 12, 4)


def test_small_segments_are_left_out_of_the_curves():
    cut = days(PEIL)
    rows = pd.DataFrame({"client_id": range(5), "start": [cut - 100] * 5, "end": [np.nan] * 5, "household": "A",
                         "cause": "x", "birth_year": 1980, "sex": "M"}, columns=COLUMNS)
    curves = analysis.km_segments(analysis.prepare(rows, PEIL), "leefvorm")
    assert curves == [{"groep": "A", "n": None, "uitgestroomd": None, "mediaan_maanden": None,
                       "mediaan_ci": [None, None], "punten": []}]


def return_rows():
    rows, client = [], 0

    def add(end, reason, back_after_days=None):
        nonlocal client
        client += 1
        rows.append({"client_id": client, "start": date(2019, 1, 1), "end": end, "end_reason": reason,
                     "household": "A", "cause": "x", "birth_year": 1980, "sex": "M"})
        if back_after_days is not None:
            rows.append({"client_id": client, "start": end + timedelta(days=back_after_days), "end": None,
                         "end_reason": "", "household": "A", "cause": "x", "birth_year": 1980, "sex": "M"})

    for _ in range(12):
        add(date(2022, 1, 31), "Werkaanvaarding", 150)  # back within 6 months
    for _ in range(10):
        add(date(2022, 1, 31), "Werkaanvaarding", 270)  # back after 9 months: within 12, not within 6
    for _ in range(18):
        add(date(2022, 1, 31), "Werkaanvaarding")  # never back
    for _ in range(10):
        add(date(2022, 1, 31), "Verhuizing naar andere gemeente")
    for _ in range(10):
        add(date(2024, 9, 30), "Werkaanvaarding")  # less than 6 months before the peildatum: not followed long enough
    return rows


def plain_returns(rows, peil, months):
    def plus_months(d, n):
        month = d.month - 1 + n
        year, month = d.year + month // 12, month % 12 + 1
        last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
        return date(year, month, min(d.day, last))

    out = {}
    for kind in ("werk", "overig", "totaal"):
        n = back = 0
        for r in rows:
            if r["end"] is None or r["end"] > peil:
                continue
            work = "werk" in r["end_reason"].lower()
            if (kind == "werk" and not work) or (kind == "overig" and work):
                continue
            limit = plus_months(r["end"], months)
            if limit > peil:
                continue
            n += 1
            back += any(o["client_id"] == r["client_id"] and r["end"] < o["start"] <= limit for o in rows)
        out[kind] = (n, back)
    return out


def test_return_to_benefit_matches_the_plain_computation():
    rows = return_rows()
    result = analysis.returns(analysis.prepare(frame(rows), PEIL))
    for row in result:
        n, back = plain_returns(rows, PEIL, row["maanden"])[row["uitstroom"]]
        assert row["n"] == (n if n >= 10 else None)
        shown = n >= 10 and back >= 10 and n - back >= 10
        assert row["terug"] == (back if shown else None)
        assert row["pct_terug"] == (round(100 * back / n, 2) if shown else None)
    work = {r["maanden"]: r for r in result if r["uitstroom"] == "werk"}
    # By hand: 40 work outflows followed long enough (the 10 of September 2024 are not), 12 back within 6 months,
    # 22 within 12 and 18.
    assert (work[6]["n"], work[6]["terug"], work[6]["pct_terug"]) == (40, 12, 30.0)
    assert (work[12]["n"], work[12]["terug"], work[12]["pct_terug"]) == (40, 22, 55.0)
    assert (work[18]["n"], work[18]["terug"]) == (40, 22)
    other = {r["maanden"]: r for r in result if r["uitstroom"] == "overig"}
    assert other[6]["n"] == 10 and other[6]["terug"] is None  # 0 back: fewer than 10, hidden


def test_outflow_reasons_split_work_and_other():
    rows = return_rows()
    reasons = {r["uitstroomjaar"]: r for r in analysis.outflow_reasons(analysis.prepare(frame(rows), PEIL))}
    assert reasons[2022] == {"uitstroomjaar": 2022, "n": 50, "werk": 40, "pct_werk": 80.0, "overig": 10,
                             "pct_overig": 20.0, "onbekend": 0, "pct_onbekend": 0.0}
    assert reasons[2024]["n"] == 10 and reasons[2024]["werk"] == 10


@pytest.mark.parametrize("reason, work", [("Werkaanvaarding", True), ("Inkomsten uit arbeid", True),
                                          ("Aanvaarding dienstbetrekking", True), ("Start eigen bedrijf", True),
                                          ("Inkomsten partner", False), ("Andere uitkering (WW/WIA)", False),
                                          ("Verhuizing naar andere gemeente", False), ("Start studie", False),
                                          ("Detentie", False)])
def test_end_reasons_mapped_to_work(reason, work):
    assert analysis.is_work(reason) is work
