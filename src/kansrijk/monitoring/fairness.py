"""Fairness report: who gets a recommended approach chosen, an invitation, a vacancy proposal, a referral, a work
result and a placement — by sex, by age class, and by origin — with disparity measures, so bias is watched in live
use (BRIEF §7: SyRI, the Rotterdam model; "bias is measured in live use, not only before").

Plain functions of a DataFrame with one row per client active in the period (``fairness_selectors.client_frame``),
so every number can be tested without a database.

* **Population**: the clients with a benefit spell overlapping the period (started on or before its last day, not
  ended before its first day), in one municipality.
* **Rate** of an outcome in a group: the clients of the group with at least one such event in the period, divided by
  the group's clients (persons, not events).
* **Groups**: sex (the client's), age class at the period's last day (birth year taken as 1 July, the caseload
  analysis' classes ``< 30``, ``30-50``, ``50+``), and origin (migration background, a special category of personal
  data, AVG art. 9). **Origin is read here and nowhere else in monitoring**, as counts per group, never per person, and
  only for ``roles.SEES_ORIGIN_AGGREGATES``: the exception the AVG allows for monitoring equal treatment.
* **Disparity**: the ratio of a group's rate to the highest group rate (the "four-fifths rule": below 0.8 is flagged
  and explained in words) and to the overall rate; the difference from the highest group in percentage points with
  its 95% confidence interval (Newcombe's hybrid score interval, statsmodels ``confint_proportions_2indep``); per
  dimension and outcome a chi-square test over the shown groups (scipy).
* **Suppression**: a group of fewer than 10 persons shows nothing; a count of 1–9 clients, or one that leaves 1–9
  clients of the group without the event, is hidden with its rate and every measure derived from it (a zero stays
  visible: "nobody in this group of 40 was referred" is exactly what the audit is for). Secondary suppression: the
  groups of a dimension add up to the total, so when exactly one group's count is hidden, the smallest other one is
  hidden too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import analysis

SUPPRESS_BELOW = analysis.SUPPRESS_BELOW
FOUR_FIFTHS = 0.8
ALPHA = 0.05


@dataclass(frozen=True)
class Outcome:
    key: str
    label: str  # gettext_noop: translated where shown
    less_often: str  # "<group> … minder vaak …", the sentence's verb phrase


OUTCOMES = [
    Outcome("aanbeveling_gekozen", gettext_noop("Aanbevolen aanpak gekozen"),
            gettext_noop("krijgen minder vaak een aanbevolen aanpak gekozen")),
    Outcome("uitgenodigd", gettext_noop("Uitgenodigd bij een kandidatenselectie"),
            gettext_noop("worden minder vaak uitgenodigd bij een kandidatenselectie")),
    Outcome("voorgesteld_vacature", gettext_noop("Voorgesteld voor een vacature"),
            gettext_noop("worden minder vaak voorgesteld voor een vacature")),
    Outcome("verwezen", gettext_noop("Verwezen naar een aanbieder"),
            gettext_noop("worden minder vaak verwezen naar een aanbieder")),
    Outcome("traject_werk", gettext_noop("Traject beëindigd met werk"),
            gettext_noop("beëindigen minder vaak een traject met werk")),
    Outcome("geplaatst", gettext_noop("Geplaatst bij een werkgever"),
            gettext_noop("worden minder vaak geplaatst bij een werkgever")),
]
OUTCOME_KEYS = [o.key for o in OUTCOMES]
OUTCOME_BY_KEY = {o.key: o for o in OUTCOMES}
# Dimension key → column of the frame.
DIMENSIONS = {"geslacht": "sex", "leeftijdsklasse": "age_class", "herkomst": "origin"}
DIMENSION_LABELS = {"geslacht": gettext_noop("Geslacht"), "leeftijdsklasse": gettext_noop("Leeftijdsklasse"),
                    "herkomst": gettext_noop("Herkomst (migratieachtergrond)")}
# Origin codes of ``caseload.models.MigrationBackground`` as group names; missing counts as unknown.
ORIGIN_WORDS = {"nederlands": gettext_noop("Nederlandse achtergrond"),
                "westers": gettext_noop("Westerse migratieachtergrond"),
                "niet_westers": gettext_noop("Niet-westerse migratieachtergrond"),
                "onbekend": analysis.UNKNOWN}
# The frame ``fairness_selectors.client_frame`` delivers; ``origin`` only when origin may be read.
COLUMNS = ["client_id", "birth_year", "sex", *OUTCOME_KEYS]


def group_columns(frame: pd.DataFrame, period_end: date) -> pd.DataFrame:
    """Sex, age class at the period's end and (when present) origin, as group names."""
    n = len(frame)
    end_days = np.full(n, analysis.days(period_end), dtype=np.int64)
    age = analysis.age_at(end_days, frame["birth_year"].to_numpy(dtype=np.int64))
    groups = pd.DataFrame({
        "sex": [analysis.SEX_WORDS.get(s, analysis.UNKNOWN) for s in frame["sex"]],
        "age_class": np.asarray(analysis.AGE_CLASSES, dtype=object)[analysis.age_class(age)] if n else [],
    })
    if "origin" in frame:
        groups["origin"] = [_(ORIGIN_WORDS.get(o or "onbekend", analysis.UNKNOWN)) for o in frame["origin"]]
    return groups


def _hidden_count(count: int, n: int) -> bool:
    return 0 < count < SUPPRESS_BELOW or 0 < n - count < SUPPRESS_BELOW


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 2) if whole else None


def _order(dimension: str, group: str):
    if dimension == "leeftijdsklasse" and group in analysis.AGE_CLASSES:
        return (analysis.AGE_CLASSES.index(group), "")
    return (1 if group == analysis.UNKNOWN else 0, group)


def newcombe_ci(count1: int, n1: int, count2: int, n2: int) -> tuple[float, float]:
    """95% interval of p1 − p2 in percentage points (statsmodels' default for a difference: Newcombe)."""
    from statsmodels.stats.proportion import confint_proportions_2indep

    low, high = confint_proportions_2indep(count1, n1, count2, n2, compare="diff", alpha=ALPHA)
    return round(100 * float(low), 2), round(100 * float(high), 2)


def chi_square_p(counts: list[int], sizes: list[int]) -> float | None:
    """p-value of the chi-square test of equal rates over the groups, or None when it is undefined (fewer than two
    groups, or nobody/everybody had the event)."""
    from scipy.stats import chi2_contingency

    counts_arr, sizes_arr = np.asarray(counts), np.asarray(sizes)
    if len(counts) < 2 or counts_arr.sum() == 0 or counts_arr.sum() == sizes_arr.sum():
        return None
    table = np.vstack([counts_arr, sizes_arr - counts_arr])
    return round(float(chi2_contingency(table, correction=False).pvalue), 4)


def fairness_report(frame: pd.DataFrame, period_start: date, period_end: date) -> dict:
    """The report for one period: overall rates, rates per group with disparity measures, tests and the flagged
    disparities in words. ``frame`` holds one row per active client (``COLUMNS``, plus ``origin`` when allowed)."""
    groups = group_columns(frame, period_end)
    events = {key: frame[key].to_numpy(dtype=bool) for key in OUTCOME_KEYS}
    total_n = len(frame)
    overall = []
    for outcome in OUTCOMES:
        count = int(events[outcome.key].sum())
        hide = total_n < SUPPRESS_BELOW or _hidden_count(count, total_n)
        overall.append({"uitkomst": outcome.key, "aantal": None if hide else count,
                        "pct": None if hide else analysis._pct(count, total_n)})
    result = {"periode_van": period_start.isoformat(), "periode_tot": period_end.isoformat(),
              "n": total_n if total_n >= SUPPRESS_BELOW else None, "totaal": overall, "groepen": [], "toetsen": [],
              "signalen": []}
    if total_n < SUPPRESS_BELOW:
        return result
    for dimension, column in DIMENSIONS.items():
        if column not in groups:
            continue
        values = groups[column].to_numpy()
        names = sorted(set(values.tolist()), key=lambda g: _order(dimension, g))
        sizes = {g: int((values == g).sum()) for g in names}
        hide_group = {g: sizes[g] < SUPPRESS_BELOW for g in names}
        _second(hide_group, sizes)
        for outcome in OUTCOMES:
            counts = {g: int(events[outcome.key][values == g].sum()) for g in names}
            hide = {g: hide_group[g] or _hidden_count(counts[g], sizes[g]) for g in names}
            _second(hide, counts)
            shown = [g for g in names if not hide[g]]
            rates = {g: counts[g] / sizes[g] for g in shown}
            overall_rate = int(events[outcome.key].sum()) / total_n
            reference = max(shown, key=lambda g: (rates[g], sizes[g])) if shown else None
            for group in names:
                row = {"dimensie": dimension, "groep": group, "uitkomst": outcome.key,
                       "n": None if hide_group[group] else sizes[group], "aantal": None, "pct": None,
                       "verhouding_hoogste": None, "verhouding_gemiddeld": None, "verschil_pp": None,
                       "verschil_ci": [None, None], "referentie": reference, "vier_vijfde": None}
                if not hide[group]:
                    rate = rates[group]
                    row.update({"aantal": counts[group], "pct": analysis._pct(counts[group], sizes[group]),
                                "verhouding_gemiddeld": _ratio(rate, overall_rate)})
                    if rates[reference] > 0:
                        row["verhouding_hoogste"] = round(rate / rates[reference], 2)
                        row["vier_vijfde"] = below_four_fifths(counts[group], sizes[group], counts[reference],
                                                               sizes[reference])
                    row["verschil_pp"] = round(100 * (rate - rates[reference]), 2)
                    if group != reference:
                        row["verschil_ci"] = list(newcombe_ci(counts[group], sizes[group], counts[reference],
                                                              sizes[reference]))
                    else:
                        row["verschil_ci"] = [0.0, 0.0]
                    if row["vier_vijfde"]:
                        result["signalen"].append({
                            "dimensie": dimension, "groep": group, "uitkomst": outcome.key,
                            "verhouding": row["verhouding_hoogste"],
                            "tekst": explain(dimension, group, outcome, row, reference, rates[reference],
                                             overall_rate)})
                result["groepen"].append(row)
            result["toetsen"].append({"dimensie": dimension, "uitkomst": outcome.key, "p_waarde": chi_square_p(
                [counts[g] for g in shown], [sizes[g] for g in shown])})
    return result


def below_four_fifths(count: int, n: int, reference_count: int, reference_n: int) -> bool:
    """(count/n) / (reference_count/reference_n) < 4/5, in integers: a ratio of exactly 0.8 is not flagged, whatever
    floating point would make of it."""
    return 5 * count * reference_n < 4 * reference_count * n


def _second(hidden: dict[str, bool], values: dict[str, int]) -> None:
    """Where exactly one group of a dimension is hidden, the total minus the others would give it away."""
    if sum(hidden.values()) == 1 and len(hidden) > 1:
        others = [g for g in hidden if not hidden[g]]
        hidden[min(others, key=lambda g: (values[g], g))] = True


# --- Words --------------------------------------------------------------------------------------------------------

def group_phrase(dimension: str, group: str) -> str:
    if group == analysis.UNKNOWN:
        return {"geslacht": _("Cliënten van wie het geslacht onbekend is"),
                "herkomst": _("Cliënten van wie de herkomst onbekend is")}.get(dimension, _("Cliënten (onbekend)"))
    if dimension == "geslacht":
        return {"Man": _("Mannen"), "Vrouw": _("Vrouwen")}.get(group, _("Cliënten met geslacht %(group)s")
                                                                 % {"group": group})
    if dimension == "leeftijdsklasse":
        return {"< 30": _("Cliënten jonger dan 30"), "30-50": _("Cliënten van 30 tot en met 50"),
                "50+": _("Cliënten van 50+")}.get(group, group)
    return _("Cliënten met een %(group)s") % {"group": group[0].lower() + group[1:]}


def _pct_words(rate: float) -> str:
    return number_format(round(100 * rate, 1), 1) + "%"


def explain(dimension: str, group: str, outcome: Outcome, row: dict, reference: str, reference_rate: float,
            overall_rate: float) -> str:
    """A careful, factual sentence for a flagged disparity: what the numbers say, that it may be justified, what to
    look at. No blame: the report shows a difference, not its cause."""
    rate = row["aantal"] / row["n"]
    low, high = row["verschil_ci"]
    text = _("%(who)s %(what)s: %(rate)s tegen %(ref_rate)s bij %(reference)s (verhouding %(ratio)s, onder de "
             "vier-vijfde-grens van 0,8; gemiddeld %(overall)s).") % {
        "who": group_phrase(dimension, group), "what": _(outcome.less_often), "rate": _pct_words(rate),
        "ref_rate": _pct_words(reference_rate), "reference": group_phrase(dimension, reference).lower(),
        "ratio": number_format(row["verhouding_hoogste"], 2), "overall": _pct_words(overall_rate)}
    if low is not None and high is not None and low <= 0 <= high:
        text += " " + _("Het verschil kan toeval zijn: het 95%%-betrouwbaarheidsinterval (%(low)s tot %(high)s "
                        "procentpunt) bevat nul.") % {"low": number_format(low, 1), "high": number_format(high, 1)}
    else:
        text += " " + _("Het verschil is %(low)s tot %(high)s procentpunt (95%%-betrouwbaarheidsinterval).") % {
            "low": number_format(low, 1), "high": number_format(high, 1)}
    text += " " + _("Dat kan terecht zijn, bijvoorbeeld omdat de aanpakken of vacatures bij andere situaties passen; "
                    "bekijk of het aanbod, de selectiecriteria en de besluiten deze groep even goed bereiken.")
    return text


# --- Tables (page, exports, charts) -------------------------------------------------------------------------------

def tables(result: dict):
    """The report as ``presentation.Table``s: the overall rates, then one table per dimension with every outcome."""
    from .presentation import Table

    labels = {o.key: _(o.label) for o in OUTCOMES}
    overall = [{"uitkomst": labels[r["uitkomst"]], "aantal": r["aantal"], "pct": r["pct"]} for r in result["totaal"]]
    out = [Table(
        "totaal", _("Alle actieve cliënten"),
        _("Van de %(n)s cliënten met een uitkering in de periode: hoeveel er minstens één keer deze uitkomst hadden.")
        % {"n": result["n"] if result["n"] is not None else "<10"},
        [("uitkomst", _("Uitkomst")), ("aantal", _("Cliënten met uitkomst")), ("pct", _("%"))], overall,
        {"type": "bar", "labels": [r["uitkomst"] for r in overall], "y_label": _("% van de cliënten"),
         "datasets": [{"label": _("Alle cliënten"), "data": [r["pct"] for r in overall]}]})]
    tests = {(t["dimensie"], t["uitkomst"]): t["p_waarde"] for t in result["toetsen"]}
    for dimension in DIMENSIONS:
        rows = [r for r in result["groepen"] if r["dimensie"] == dimension]
        if not rows:
            continue
        shown_rows = []
        for r in rows:
            hidden = r["aantal"] is None
            low, high = r["verschil_ci"]
            shown_rows.append({
                "uitkomst": labels[r["uitkomst"]], "groep": r["groep"], "n": r["n"], "aantal": r["aantal"],
                "pct": r["pct"], "verhouding_hoogste": r["verhouding_hoogste"] if not hidden else None,
                "verhouding_gemiddeld": r["verhouding_gemiddeld"], "verschil_pp": r["verschil_pp"],
                "verschil_ci": None if hidden else ("–" if r["groep"] == r["referentie"] else f"{low} – {high}"),
                "vier_vijfde": None if hidden else (_("onder 0,8") if r["vier_vijfde"] else
                                                    ("–" if r["vier_vijfde"] is None else _("nee"))),
                "p_waarde": "–" if tests.get((dimension, r["uitkomst"])) is None else tests[(dimension,
                                                                                            r["uitkomst"])],
            })
        groups = []
        for r in rows:
            if r["groep"] not in groups:
                groups.append(r["groep"])
        lookup = {(r["uitkomst"], r["groep"]): r["pct"] for r in rows}
        name = _(DIMENSION_LABELS[dimension])
        out.append(Table(
            dimension, _("Naar %(dimension)s") % {"dimension": name.lower()},
            _("Per uitkomst en groep: cliënten, hoeveel de uitkomst hadden en welk percentage; de verhouding tot de "
              "groep met het hoogste percentage (vier-vijfderegel: onder 0,8 gemarkeerd) en tot het gemiddelde; het "
              "verschil met de hoogste groep in procentpunten met het 95%-betrouwbaarheidsinterval; de p-waarde van "
              "de chi-kwadraattoets over de getoonde groepen."),
            [("uitkomst", _("Uitkomst")), ("groep", name), ("n", _("Cliënten")), ("aantal", _("Met uitkomst")),
             ("pct", _("%")), ("verhouding_hoogste", _("Verhouding tot hoogste")),
             ("verhouding_gemiddeld", _("Verhouding tot gemiddeld")), ("verschil_pp", _("Verschil (procentpunt)")),
             ("verschil_ci", _("95%-BI verschil")), ("vier_vijfde", _("Vier-vijfderegel")),
             ("p_waarde", _("p (chi-kwadraat)"))],
            shown_rows,
            {"type": "bar", "labels": [labels[k] for k in OUTCOME_KEYS], "y_label": _("% van de groep"),
             "datasets": [{"label": g, "data": [lookup.get((k, g)) for k in OUTCOME_KEYS]} for g in groups]}))
    return out
