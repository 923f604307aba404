"""Caseload analysis ("Sturen op bijstand") and outflow/duration, computed on a pandas DataFrame of benefit spells.

Plain functions of a frame (see ``selectors.spell_frame`` for how it is read) and a reference date (*peildatum*), so
they can be tested without a database. Definitions, following the VNG Data Science Hub's caseload analysis
(``VNG-Realisatie/Data-Science-Hub-Bijstand``, script ``Bijstand.R`` from gemeente Nissewaard, anchors.md §5.4):

* **Unit**: one benefit spell (``BenefitSpell``: the periods of one client with the same original start date).
* **Inflow year** (*instroomjaar*): the year of the spell's ``original_start`` ("Oorspronkelijke begindatum
  uitkeringsdossier"). The script takes ``year(startdatum)`` of the dossier; the original start is that date for
  the whole spell, where ``first_period_start`` would move with a new norm period or an incomplete export.
* **Age** at the start of the spell, from the birth year taken as 1 July (the export has only the year): whole years
  between 1 July of the birth year and the start. **Age class**: ``< 30``; ``30-50`` up to and including 50;
  ``50+`` from 51 (the script's ``leeftijd <= 50 ~ "30-50"``; the same classes as the caseload list filter).
* **Household** (*leefvorm*) of the spell (the period's "Omschrijving leefvorm"), falling back to the client's when
  the spell has none: a client who was single in an earlier spell and is married now must count as single for that
  spell's inflow year. Sex and birth year are the client's.
* **At the peildatum**: only spells started on or before the peildatum count (what was known then); a spell is
  **active** when it has no end date or ends after the peildatum (the script's ``is.na(einddatum)`` at extraction).
* **Suppression** (``SUPPRESS_BELOW``): a count that covers fewer than 10 persons is not shown (``None``, "<10"),
  nor is a percentage that would give it away; see ``suppress_groups``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

SUPPRESS_BELOW = 10
EPOCH = date(1970, 1, 1)
UNKNOWN = "Onbekend"
AGE_CLASSES = ["< 30", "30-50", "50+"]
# Sex codes of ``caseload.models.Sex`` as words; data values like the household texts, so not translated.
SEX_WORDS = {"M": "Man", "V": "Vrouw", "O": "Onbekend", "X": "Anders / X"}
DIMENSIONS = {"geslacht": "sex", "leefvorm": "household", "leeftijdsklasse": "age_class", "oorzaak": "cause"}
# The columns ``selectors.spell_frame`` delivers (dates as days since 1970-01-01; end NaN when open).
COLUMNS = ["client_id", "start", "end", "household", "cause", "birth_year", "sex"]


def days(value: date) -> int:
    return (value - EPOCH).days


def age_at(start_days: np.ndarray, birth_year: np.ndarray) -> np.ndarray:
    """Whole years from 1 July of the birth year to the start: before July the birthday of that year is still to
    come (1 July is the first day of month 7, so "before 1 July" is "month < 7")."""
    start = start_days.astype("datetime64[D]")
    year = start.astype("datetime64[Y]").astype(np.int64) + 1970
    month = start.astype("datetime64[M]").astype(np.int64) % 12 + 1
    return year - birth_year - (month < 7)


def age_class(age: np.ndarray) -> np.ndarray:
    return np.where(age < 30, 0, np.where(age <= 50, 1, 2))


@dataclass(frozen=True)
class Prepared:
    frame: pd.DataFrame  # the spells known at the peildatum, with year, active, age_class, household …
    peildatum: date


def prepare(frame: pd.DataFrame, peildatum: date) -> Prepared:
    """The spells known at the peildatum with the derived columns of the definitions above."""
    cut = days(peildatum)
    known = frame["start"].to_numpy() <= cut
    df = frame if known.all() else frame[known]  # usually all are known: no copy of 400,000 rows
    start = df["start"].to_numpy(dtype=np.int64)
    end = df["end"].to_numpy(dtype=np.float64)
    out = pd.DataFrame({
        "client_id": df["client_id"].to_numpy(),
        "start": start,
        "end": end,
        "year": start.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970,
        "active": np.isnan(end) | (end > cut),
        "age_class": pd.Categorical.from_codes(
            age_class(age_at(start, df["birth_year"].to_numpy(dtype=np.int64))), AGE_CLASSES),
        # Text columns become categoricals once here: every later group-by then works on small integer codes.
        "sex": _category(df["sex"], SEX_WORDS),
        "household": _category(df["household"]),
        "cause": _category(df["cause"]),
    })
    for extra in ("end_reason",):
        if extra in df:
            out[extra] = df[extra].fillna("").to_numpy()
    return Prepared(out, peildatum)


def _category(values: pd.Series, words: dict | None = None) -> pd.Categorical:
    """Text as a categorical, empty or missing as "Onbekend", codes translated to words where given."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    names = [(words.get(u, UNKNOWN) if words else (u or UNKNOWN)) for u in uniques]
    if (codes < 0).any():
        codes = np.where(codes < 0, len(names), codes)
        names.append(UNKNOWN)
    categories = sorted(set(names))
    position = {name: i for i, name in enumerate(categories)}
    remap = np.array([position[name] for name in names] or [0], dtype=np.int64)
    return pd.Categorical.from_codes(remap[codes] if len(codes) else codes, categories)


# --- Caseload analysis --------------------------------------------------------------------------------------------

def _counts(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """n and actief per cell of ``keys``, and the persons behind them (a client may have two spells in one cell).

    Counted with numpy on integer cell numbers (``np.bincount``), and persons as distinct (client, cell) pairs: a
    pandas group-by with ``nunique`` on text columns took seconds at 400,000 spells, this takes milliseconds."""
    codes, uniques = [], []
    for key in keys:
        code, unique = pd.factorize(df[key], sort=True)
        codes.append(code.astype(np.int64))
        uniques.append(unique)
    sizes = [len(u) for u in uniques]
    cells = int(np.prod(sizes)) if sizes else 1
    cell = np.zeros(len(df), dtype=np.int64)
    for code, size in zip(codes, sizes, strict=True):
        cell = cell * size + code
    active = df["active"].to_numpy(dtype=bool)
    n = np.bincount(cell, minlength=cells)
    actief = np.bincount(cell[active], minlength=cells)
    # Distinct (client, cell, active) triples from one sort; np.unique's hash path was slower here.
    triple = np.sort((df["client_id"].to_numpy(dtype=np.int64) * cells + cell) * 2 + active)
    triple = triple[np.concatenate(([True], triple[1:] != triple[:-1]))] if len(triple) else triple
    pair = triple // 2
    first_pair = pair[np.concatenate(([True], pair[1:] != pair[:-1]))] if len(pair) else pair
    persons_all = np.bincount(first_pair % cells, minlength=cells)
    persons_active = np.bincount(pair[triple % 2 == 1] % cells, minlength=cells)
    persons_ended = np.bincount(pair[triple % 2 == 0] % cells, minlength=cells)

    present = np.flatnonzero(n)
    table = pd.DataFrame({"n": n[present], "actief": actief[present], "persons": persons_all[present],
                          "persons_active": persons_active[present], "persons_ended": persons_ended[present]})
    index = present
    for key, unique, size in reversed(list(zip(keys, uniques, sizes, strict=True))):
        table.insert(0, key, np.asarray(unique)[index % size])
        index = index // size
    return table


def _hide_second(table: pd.DataFrame, hidden: str, value: str, by: list[str]) -> None:
    """Secondary suppression: where exactly one cell of a set that adds up to a shown total is hidden, the total
    minus the others gives it away; hide the smallest other cell of the set too."""
    for _, rows in table.groupby(by, observed=True, sort=False) if by else [(None, table)]:
        if int(rows[hidden].sum()) == 1 and len(rows) > 1:
            candidates = rows[~rows[hidden]]
            table.loc[candidates[value].idxmin(), hidden] = True


def suppress_groups(table: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Mark what may not be shown. ``hide_n``: the cell covers fewer than 10 persons (everything hidden).
    ``hide_active``: fewer than 10 active persons or fewer than 10 who left (either follows from n and the
    other), so actief and the percentage are hidden. Then secondary suppression within each ``by`` set (the
    groups of one inflow year add up to the year's total)."""
    table = table.copy()
    table["hide_n"] = table["persons"] < SUPPRESS_BELOW
    if by is not None:
        _hide_second(table, "hide_n", "n", by)
    table["hide_active"] = table["hide_n"] | (table["persons_active"] < SUPPRESS_BELOW) | (
        table["persons_ended"] < SUPPRESS_BELOW)
    if by is not None:
        _hide_second(table, "hide_active", "actief", by)
    return table


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 2) if whole else 0.0


def _rows(table: pd.DataFrame, fields: dict[str, str]) -> list[dict]:
    rows = []
    for record in table.to_dict("records"):
        row = {out: _plain(record[col]) for out, col in fields.items()}
        n, actief = int(record["n"]), int(record["actief"])
        row["n"] = None if record["hide_n"] else n
        row["actief"] = None if record["hide_active"] else actief
        row["pct_actief"] = None if record["hide_active"] else _pct(actief, n)
        rows.append(row)
    return rows


def _plain(value):
    return value.item() if hasattr(value, "item") else value


def caseload_analysis(prepared: Prepared) -> dict:
    """The "Sturen op bijstand" tables, suppressed, in the shape of ``kansrijk caseload_analysis --json``."""
    df = prepared.frame
    result = {"totaal": _rows(suppress_groups(_counts(df, ["year"]), None), {"instroomjaar": "year"})}
    for name, column in DIMENSIONS.items():
        table = suppress_groups(_counts(df, ["year", column]), ["year"])
        result[name] = _rows(table, {"instroomjaar": "year", "groep": column})
    active = df[df["active"]]
    cross = active.groupby(["age_class", "household"], observed=True, sort=True)["client_id"].agg(
        n="size", persons="nunique").reset_index()
    cross["hide"] = cross["persons"] < SUPPRESS_BELOW
    _hide_second(cross, "hide", "n", ["age_class"])
    result["actief_leeftijd_leefvorm"] = [
        {"leeftijdsklasse": str(r["age_class"]), "leefvorm": r["household"], "n": None if r["hide"] else int(r["n"])}
        for r in cross.to_dict("records")]
    return result


# --- Outflow and duration -----------------------------------------------------------------------------------------

MONTH = 365.25 / 12
# End reasons count as outflow to work when their description says so. The benefit systems' "Omschrijving einde
# bijstandsafhankelijkheid" is free text per municipality (Werkaanvaarding, Inkomsten uit arbeid, Aanvaarding
# dienstbetrekking, Start eigen bedrijf …); these stems catch those and nothing in the other reasons of the synthetic
# export (partner's income, moving, other benefit, study, detention, abroad).
WORK_STEMS = ("werk", "arbeid", "dienstbetrekking", "dienstverband", "baan", "loondienst", "eigen bedrijf",
              "zelfstandig")
RETURN_MONTHS = (6, 12, 18)
KM_SEGMENTS = {"leeftijdsklasse": "age_class", "leefvorm": "household", "geslacht": "sex",
               "instroomjaar": "year", "oorzaak": "cause"}
KM_GRID_MONTHS = 120
COHORT_YEARS = 10


def is_work(reason: str) -> bool:
    text = reason.lower()
    return any(stem in text for stem in WORK_STEMS)


def _duration(prepared: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """Months from the start to the end, or to the peildatum for active spells (censored)."""
    df = prepared.frame
    cut = days(prepared.peildatum)
    stop = np.where(df["active"].to_numpy(), cut, df["end"].to_numpy())
    return (stop - df["start"].to_numpy()) / MONTH, ~df["active"].to_numpy()


def km_segments(prepared: Prepared, segment: str) -> list[dict]:
    """Kaplan–Meier curves of the time to outflow, one per group of ``segment``, with the median duration and its
    95% confidence interval (lifelines). A group of fewer than 10 persons is left out; a curve stops where fewer than
    10 persons are still at risk, so its tail never describes a handful of people."""
    from lifelines import KaplanMeierFitter
    from lifelines.utils import median_survival_times

    df = prepared.frame
    column = KM_SEGMENTS[segment]
    durations, observed = _duration(prepared)
    values = df[column].astype(str).to_numpy()
    groups = sorted(set(values))
    if segment == "instroomjaar":
        groups = groups[-COHORT_YEARS:]
    grid = np.arange(0, KM_GRID_MONTHS + 1, 1.0)
    curves = []
    for group in groups:
        mask = values == group
        persons = df.loc[mask, "client_id"].nunique()
        if persons < SUPPRESS_BELOW:
            curves.append({"groep": group, "n": None, "uitgestroomd": None, "mediaan_maanden": None,
                           "mediaan_ci": [None, None], "punten": []})
            continue
        kmf = KaplanMeierFitter().fit(durations[mask], observed[mask])
        ordered = np.sort(durations[mask])
        at_risk = len(ordered) - np.searchsorted(ordered, grid, side="left")
        shown = grid[at_risk >= SUPPRESS_BELOW]
        survival = kmf.survival_function_at_times(shown).to_numpy()
        median = kmf.median_survival_time_
        ci = median_survival_times(kmf.confidence_interval_)
        low, high = (float(ci.iloc[0, 0]), float(ci.iloc[0, 1]))
        outflow = int(observed[mask].sum())
        curves.append({
            "groep": group, "n": int(mask.sum()),
            "uitgestroomd": outflow if min(outflow, int(mask.sum()) - outflow) >= SUPPRESS_BELOW else None,
            "mediaan_maanden": _finite(median), "mediaan_ci": [_finite(low), _finite(high)],
            "punten": [{"maand": int(t), "nog_in_uitkering": round(float(s), 4)}
                       for t, s in zip(shown, survival, strict=True)],
        })
    return curves


def _finite(value) -> float | None:
    value = float(value)
    return round(value, 1) if np.isfinite(value) else None


def outflow_reasons(prepared: Prepared) -> list[dict]:
    """Per year of outflow (end date up to the peildatum): outflow to work, other reasons, reason unknown."""
    df = prepared.frame
    ended = df[~df["active"]]
    reasons = ended["end_reason"].to_numpy() if "end_reason" in ended else np.full(len(ended), "")
    kind = np.where(reasons == "", "onbekend", np.where(_work_mask(reasons), "werk", "overig"))
    year = ended["end"].to_numpy().astype(np.int64).astype("datetime64[D]").astype("datetime64[Y]").astype(
        np.int64) + 1970
    frame = pd.DataFrame({"year": year, "kind": kind, "client_id": ended["client_id"].to_numpy()})
    table = frame.groupby(["year", "kind"])["client_id"].agg(n="size", persons="nunique").unstack(fill_value=0)
    rows = []
    for year_value in table.index:
        counts = {k: int(table.loc[year_value, ("n", k)]) if ("n", k) in table.columns else 0
                  for k in ("werk", "overig", "onbekend")}
        persons = {k: int(table.loc[year_value, ("persons", k)]) if ("persons", k) in table.columns else 0
                   for k in counts}
        total = sum(counts.values())
        hidden = {k for k in counts if 0 < persons[k] < SUPPRESS_BELOW}
        if len(hidden) == 1:  # the total minus the other two would give it away
            visible = [k for k in counts if k not in hidden and counts[k] > 0]
            if visible:
                hidden.add(min(visible, key=counts.get))
        row = {"uitstroomjaar": int(year_value), "n": total if sum(persons.values()) >= SUPPRESS_BELOW else None}
        for k in counts:
            row[k] = None if k in hidden or row["n"] is None else counts[k]
            row[f"pct_{k}"] = None if row[k] is None else _pct(counts[k], total)
        rows.append(row)
    return rows


def _work_mask(reasons: np.ndarray) -> np.ndarray:
    unique = {r: is_work(r) for r in set(reasons.tolist())}
    return np.array([unique[r] for r in reasons], dtype=bool)


def _add_months(day_numbers: np.ndarray, months: int) -> np.ndarray:
    """Calendar months later, clamped to the month's last day (31 August + 6 months = 28/29 February)."""
    stamps = pd.to_datetime(day_numbers.astype("datetime64[D]"))
    shifted = stamps + pd.DateOffset(months=months)
    return (shifted.to_numpy().astype("datetime64[D]").astype(np.int64))


def returns(prepared: Prepared, frame: pd.DataFrame | None = None) -> list[dict]:
    """Return to benefit (*draaideur*, the CBS 6/12/18-month pattern): of the spells that ended at least N months
    before the peildatum, the share whose client started a new spell within N months after the end. Split into
    outflow to work and other outflow. The new spell must have started by the peildatum, like every spell here."""
    df = prepared.frame
    cut = days(prepared.peildatum)
    ended = df[~df["active"]]
    end = ended["end"].to_numpy().astype(np.int64)
    reasons = ended["end_reason"].to_numpy() if "end_reason" in ended else np.full(len(ended), "")
    work = _work_mask(reasons)
    # The first later start of the same client: sort all spells by client and start, look at the next one.
    starts = df[["client_id", "start"]].sort_values(["client_id", "start"])
    starts_client = starts["client_id"].to_numpy()
    starts_day = starts["start"].to_numpy()
    # One sortable key per (client, day); days stay below 100,000 until the year 2243.
    position = np.searchsorted(starts_client.astype(np.int64) * 100_000 + starts_day,
                               ended["client_id"].to_numpy().astype(np.int64) * 100_000 + end, side="right")
    has_next = position < len(starts_day)
    next_client = np.where(has_next, starts_client[np.minimum(position, len(starts_day) - 1)], -1)
    next_start = np.where(has_next & (next_client == ended["client_id"].to_numpy()),
                          starts_day[np.minimum(position, len(starts_day) - 1)], np.iinfo(np.int64).max)
    rows = []
    for months in RETURN_MONTHS:
        limit = _add_months(end, months)
        followed = limit <= cut
        returned = followed & (next_start <= limit)
        for label, mask in (("werk", work), ("overig", ~work), ("totaal", np.ones_like(work))):
            selection = followed & mask
            n = int(selection.sum())
            back = int((returned & mask).sum())
            show_n = n >= SUPPRESS_BELOW
            show_back = show_n and back >= SUPPRESS_BELOW and n - back >= SUPPRESS_BELOW
            rows.append({"maanden": months, "uitstroom": label, "n": n if show_n else None,
                         "terug": back if show_back else None,
                         "pct_terug": _pct(back, n) if show_back else None})
    return rows


def outflow_analysis(prepared: Prepared) -> dict:
    return {
        "overleving": {segment: km_segments(prepared, segment) for segment in KM_SEGMENTS},
        "uitstroomredenen": outflow_reasons(prepared),
        "terugkeer": returns(prepared),
    }
