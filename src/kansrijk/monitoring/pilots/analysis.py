"""Pilot evaluation with a matched comparison group: plain functions of a DataFrame with one row per client who had a
running benefit at the pilot's start (``selectors.pilot_frame`` reads it), so they can be tested without a database.

Method (seed 000 §3.4: FIP Sittard-Geleen compared 300 participants with 300 others; issue 6):

* **Who is compared.** Participants: clients with a trajectory of the pilot's approach accepted within the pilot
  period, who had a running benefit at the start. Candidates for the comparison group: clients with a running benefit
  at the start who never had a trajectory of that approach.
* **Characteristics** (``COVARIATES``), all observed in the file at the start, none of them a special category
  (health, addiction, origin are never read): age class, sex, household, years on benefit, trede, the mean ZRM score
  over the non-special domains, cause of dependency and team. Sex is used: it is an observed characteristic that
  differs between groups and relates to outflow; balancing it ranks nobody.
* **Propensity score**: a logistic regression (scikit-learn, L2-regularised so rare categories cannot make it
  diverge) of taking part on those characteristics. Categories of fewer than 10 persons are pooled as "Overig";
  a missing trede or ZRM is its own category / indicator.
* **Matching**: 1:1 nearest neighbour on the logit of the score, without replacement, within a caliper of 0.2 times
  its standard deviation (Austin 2011). Participants are matched in order of decreasing score (the hardest to match
  first), ties by client id: the result is deterministic, no random seed.
* **Balance**: the standardised mean difference (difference in means divided by the root of the mean of the two
  variances) of every characteristic, before and after matching; below 0.1 is the usual sign of good balance.
* **Effects** (matched groups): outflow — the benefit running at the start ended within 12 months — and outflow to
  work, as a difference in percentages with Newcombe's 95% interval (statsmodels ``confint_proportions_2indep``);
  ladder progress — the trede measured 9 to 15 months after the start minus the trede at the start, among those
  measured both times — as a difference in means with Welch's 95% interval (scipy).
* **Suppression**: every count under 10 persons, and every share or difference that would give one away, is None.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kansrijk.monitoring.analysis import SUPPRESS_BELOW

FOLLOW_UP_MONTHS = 12
LADDER_WINDOW_MONTHS = (9, 15)
CALIPER_SD = 0.2
GOOD_BALANCE = 0.1
OTHER = "Overig"
MISSING = "Onbekend"

# The characteristics the propensity score reads, and only these. A test asserts this list; a special category
# (health, addiction, origin) must never appear here.
CATEGORICAL = ["age_class", "sex", "household", "trede", "cause", "team"]
CONTINUOUS = ["years_on_benefit", "zrm_mean"]
COVARIATES = CATEGORICAL + CONTINUOUS
# Columns of the frame: the covariates, and the group and outcomes (not used for matching).
COLUMNS = ["client_id", "participant", *COVARIATES, "outflow", "outflow_work", "ladder_change"]

# Characteristic labels (data words, shown as-is, like the household texts of the caseload analysis).
LABELS = {
    "age_class": "Leeftijdsklasse", "sex": "Geslacht", "household": "Leefvorm", "trede": "Trede bij de start",
    "cause": "Oorzaak", "team": "Team", "years_on_benefit": "Jaren in de uitkering",
    "zrm_mean": "ZRM-gemiddelde (niet-bijzondere domeinen)", "zrm_mean_missing": "ZRM ontbreekt",
}


class EvaluationError(ValueError):
    """The pilot cannot be evaluated (too few persons, no follow-up yet); the message says why, in Dutch."""


@dataclass
class Design:
    matrix: np.ndarray  # standardised for the regression
    raw: np.ndarray  # as the balance table shows them: shares of 0/1 columns, means of continuous ones
    names: list[tuple[str, str]]  # (characteristic, category or "") per column
    binary: np.ndarray  # per column: a 0/1 indicator (its count is suppressed under 10)


def design(frame: pd.DataFrame) -> Design:
    """The characteristics as numbers: one 0/1 column per category (rare ones pooled), continuous ones as they are,
    a missing ZRM as the overall mean plus an indicator."""
    columns, names, binary = [], [], []
    for name in CATEGORICAL:
        values = frame[name].astype(object).where(frame[name].notna(), MISSING).astype(str).to_numpy()
        categories, counts = np.unique(values, return_counts=True)
        rare = set(categories[counts < SUPPRESS_BELOW])
        if rare:
            values = np.where(np.isin(values, list(rare)), OTHER, values)
        for category in sorted(set(values.tolist())):
            columns.append((values == category).astype(float))
            names.append((name, category))
            binary.append(True)
    for name in CONTINUOUS:
        values = frame[name].to_numpy(dtype=float)
        missing = np.isnan(values)
        fill = float(np.nanmean(values)) if (~missing).any() else 0.0
        columns.append(np.where(missing, fill, values))
        names.append((name, ""))
        binary.append(False)
        if missing.any() and not missing.all():
            columns.append(missing.astype(float))
            names.append((f"{name}_missing", ""))
            binary.append(True)
    raw = np.column_stack(columns) if columns else np.zeros((len(frame), 0))
    sd = raw.std(axis=0)
    matrix = (raw - raw.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    return Design(matrix, raw, names, np.array(binary, dtype=bool))


def propensity_logit(matrix: np.ndarray, treated: np.ndarray) -> np.ndarray:
    """The logit of the estimated probability of taking part (scikit-learn's logistic regression, lbfgs)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1.0, max_iter=2000)
    model.fit(matrix, treated.astype(int))
    return model.decision_function(matrix)


def match(logit: np.ndarray, treated: np.ndarray, client_ids: np.ndarray, caliper: float) -> list[tuple[int, int]]:
    """1:1 nearest-neighbour pairs (row of participant, row of comparison) without replacement within the caliper.
    Participants in order of decreasing score, ties by client id; among equally near candidates the lowest
    client id."""
    treated_rows = np.flatnonzero(treated)
    control_rows = np.flatnonzero(~treated)
    control_rows = control_rows[np.lexsort((client_ids[control_rows],))]
    control_logit = logit[control_rows]
    available = np.ones(len(control_rows), dtype=bool)
    order = treated_rows[np.lexsort((client_ids[treated_rows], -logit[treated_rows]))]
    pairs = []
    for row in order:
        if not available.any():
            break
        distance = np.where(available, np.abs(control_logit - logit[row]), np.inf)
        best = int(np.argmin(distance))
        if distance[best] <= caliper:
            pairs.append((int(row), int(control_rows[best])))
            available[best] = False
    return pairs


def smd(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Standardised mean difference per column: (mean a − mean b) / sqrt((var a + var b) / 2)."""
    if len(a) == 0 or len(b) == 0:
        return np.full(a.shape[1] if a.ndim == 2 else 0, np.nan)
    spread = np.sqrt((a.var(axis=0, ddof=1) + b.var(axis=0, ddof=1)) / 2) if min(len(a), len(b)) > 1 else 0
    difference = a.mean(axis=0) - b.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(spread > 0, difference / np.where(spread > 0, spread, 1), 0.0)


def balance(des: Design, treated_rows, pool_rows, matched_treated, matched_control) -> list[dict]:
    """Per characteristic column: the participants' share or mean, the comparison candidates' before matching and the
    matched comparison group's after, with the SMDs. A share over fewer than 10 persons (or with fewer than 10
    without it) is suppressed, and so is an SMD it would give away."""
    raw = des.raw
    groups = {"deelnemers": raw[treated_rows], "voor": raw[pool_rows], "na": raw[matched_control],
              "deelnemers_na": raw[matched_treated]}
    before = smd(groups["deelnemers"], groups["voor"])
    after = smd(groups["deelnemers_na"], groups["na"])
    rows = []
    for index, ((name, category), is_binary) in enumerate(zip(des.names, des.binary, strict=True)):
        def shown(values, column=index, binary=is_binary):
            if len(values) == 0:
                return None
            if binary:
                count = int(values[:, column].sum())
                if count < SUPPRESS_BELOW or len(values) - count < SUPPRESS_BELOW:
                    return None
                return round(100 * count / len(values), 1)
            return round(float(values[:, column].mean()), 2)

        row = {"kenmerk": LABELS.get(name, name), "categorie": category, "soort": "pct" if is_binary else "gem",
               "deelnemers": shown(groups["deelnemers"]), "vergelijking_voor": shown(groups["voor"]),
               "deelnemers_na": shown(groups["deelnemers_na"]), "vergelijking_na": shown(groups["na"])}
        row["smd_voor"] = _round(before[index]) if None not in (row["deelnemers"], row["vergelijking_voor"]) else None
        row["smd_na"] = _round(after[index]) if None not in (row["deelnemers_na"], row["vergelijking_na"]) else None
        rows.append(row)
    return rows


def _round(value, digits: int = 3):
    value = float(value)
    return round(value, digits) if np.isfinite(value) else None


def proportion_effect(x1: int, n1: int, x0: int, n0: int) -> dict:
    """Difference in percentages (participants − comparison) with Newcombe's hybrid-score 95% interval, in
    percentage points. Suppressed (None) where a count of persons with or without the outcome is under 10."""
    from statsmodels.stats.proportion import confint_proportions_2indep

    shown = min(x1, n1 - x1, x0, n0 - x0) >= SUPPRESS_BELOW
    result = {"n_deelnemers": n1, "n_vergelijking": n0, "aantal_deelnemers": x1 if shown else None,
              "aantal_vergelijking": x0 if shown else None, "pct_deelnemers": None, "pct_vergelijking": None,
              "verschil": None, "ci_laag": None, "ci_hoog": None, "methode": "newcombe"}
    if not shown:
        return result
    low, high = confint_proportions_2indep(x1, n1, x0, n0, method="newcomb", compare="diff")
    result.update(pct_deelnemers=round(100 * x1 / n1, 1), pct_vergelijking=round(100 * x0 / n0, 1),
                  verschil=round(100 * (x1 / n1 - x0 / n0), 1), ci_laag=round(100 * float(low), 1),
                  ci_hoog=round(100 * float(high), 1))
    return result


def mean_effect(treated: np.ndarray, control: np.ndarray) -> dict:
    """Difference in mean change (participants − comparison) with Welch's 95% interval. Suppressed when either group
    has fewer than 10 persons measured."""
    from scipy import stats

    result = {"n_deelnemers": len(treated), "n_vergelijking": len(control), "gem_deelnemers": None,
              "gem_vergelijking": None, "verschil": None, "ci_laag": None, "ci_hoog": None, "methode": "welch"}
    if min(len(treated), len(control)) < SUPPRESS_BELOW:
        result["n_deelnemers"] = len(treated) if len(treated) >= SUPPRESS_BELOW else None
        result["n_vergelijking"] = len(control) if len(control) >= SUPPRESS_BELOW else None
        return result
    difference = float(treated.mean() - control.mean())
    if treated.var(ddof=1) + control.var(ddof=1) == 0:
        low = high = difference  # no spread at all: the interval is the point
    else:
        interval = stats.ttest_ind(treated, control, equal_var=False).confidence_interval(0.95)
        low, high = float(interval.low), float(interval.high)
    result.update(gem_deelnemers=round(float(treated.mean()), 2), gem_vergelijking=round(float(control.mean()), 2),
                  verschil=round(difference, 2), ci_laag=round(low, 2), ci_hoog=round(high, 2))
    return result


def evaluate(frame: pd.DataFrame, *, caliper_sd: float = CALIPER_SD, participants_by_rule: int | None = None) -> dict:
    """The whole evaluation on the frame; aggregates only (the matched pairs go back separately, see
    ``evaluate_with_pairs``)."""
    return evaluate_with_pairs(frame, caliper_sd=caliper_sd, participants_by_rule=participants_by_rule)[0]


def evaluate_with_pairs(frame: pd.DataFrame, *, caliper_sd: float = CALIPER_SD,
                        participants_by_rule: int | None = None) -> tuple[dict, list[tuple[int, int]]]:
    frame = frame.sort_values("client_id", kind="stable").reset_index(drop=True)
    treated = frame["participant"].to_numpy(dtype=bool)
    n_treated, n_pool = int(treated.sum()), int((~treated).sum())
    if n_treated < SUPPRESS_BELOW:
        raise EvaluationError("Te weinig deelnemers met een lopende uitkering bij de start (minder dan 10): een "
                              "vergelijking zou over personen gaan.")
    if n_pool < n_treated:
        raise EvaluationError("Er zijn minder mogelijke vergelijkingspersonen dan deelnemers: geen vergelijking "
                              "mogelijk.")
    des = design(frame)
    logit = propensity_logit(des.matrix, treated)
    caliper = caliper_sd * float(np.std(logit, ddof=1))
    client_ids = frame["client_id"].to_numpy(dtype=np.int64)
    pairs = match(logit, treated, client_ids, caliper)
    if len(pairs) < SUPPRESS_BELOW:
        raise EvaluationError("Minder dan 10 deelnemers vonden een vergelijkbare niet-deelnemer: de groepen lijken "
                              "te weinig op elkaar voor een vergelijking.")
    matched_treated = np.array([t for t, _c in pairs])
    matched_control = np.array([c for _t, c in pairs])
    rows = balance(des, np.flatnonzero(treated), np.flatnonzero(~treated), matched_treated, matched_control)

    effects = {}
    for key in ("outflow", "outflow_work"):
        outcome = frame[key].to_numpy(dtype=bool)
        effects[key] = proportion_effect(int(outcome[matched_treated].sum()), len(matched_treated),
                                         int(outcome[matched_control].sum()), len(matched_control))
    change = frame["ladder_change"].to_numpy(dtype=float)
    treated_change = change[matched_treated]
    control_change = change[matched_control]
    effects["ladder"] = mean_effect(treated_change[~np.isnan(treated_change)],
                                    control_change[~np.isnan(control_change)])
    measured = int((~np.isnan(treated_change)).sum() + (~np.isnan(control_change)).sum())
    coverage = round(100 * measured / (2 * len(pairs)), 1)

    after = [abs(r["smd_na"]) for r in rows if r["smd_na"] is not None]
    before = [abs(r["smd_voor"]) for r in rows if r["smd_voor"] is not None]
    groups = {"deelnemers_regel": _count(participants_by_rule if participants_by_rule is not None else n_treated),
              "deelnemers": _count(n_treated), "kandidaten": _count(n_pool), "paren": len(pairs),
              "niet_gematcht": _count(n_treated - len(pairs))}
    result = {
        "groepen": groups,
        "balans": rows,
        "max_smd_voor": round(max(before), 3) if before else None,
        "max_smd_na": round(max(after), 3) if after else None,
        "effecten": {"uitstroom": effects["outflow"], "uitstroom_werk": effects["outflow_work"],
                     "trede": effects["ladder"]},
        "meetdekking_pct": coverage,
        "kaliper": round(caliper, 4),
    }
    result["kanttekeningen"] = caveats(result, n_treated=n_treated)
    result["effectladder"] = effect_ladder(result)
    pairs_ids = [(int(client_ids[t]), int(client_ids[c])) for t, c in pairs]
    return result, pairs_ids


def _count(value: int) -> int | None:
    return value if value >= SUPPRESS_BELOW or value == 0 else None


def caveats(result: dict, *, n_treated: int) -> list[dict]:
    """The caveats as codes with their numbers; ``presentation.caveat_text`` puts them in Dutch words."""
    out = [{"code": "observationeel"}, {"code": "onbekende_verschillen"}, {"code": "selectie_klantmanager"}]
    pairs = result["groepen"]["paren"]
    if pairs < 100:
        out.append({"code": "kleine_aantallen", "n": pairs})
    unmatched = n_treated - pairs
    if unmatched > 0:
        out.append({"code": "niet_gematcht", "pct": round(100 * unmatched / n_treated, 1)})
    if result["max_smd_na"] is not None and result["max_smd_na"] > GOOD_BALANCE:
        out.append({"code": "balans", "smd": result["max_smd_na"]})
    if result["meetdekking_pct"] < 60:
        out.append({"code": "meetdekking", "pct": result["meetdekking_pct"]})
    if any(e["verschil"] is None for e in result["effecten"].values()):
        out.append({"code": "onderdrukt"})
    out.append({"code": "instroom_in_periode"})
    out.append({"code": "team_nu"})
    return out


def effect_ladder(result: dict) -> dict:
    """A suggestion for the catalogue's effect ladder (van Yperen & Veerman), never written automatically: a matched
    comparison can support level 3 ("effectief volgens eerste aanwijzingen") when an effect's interval lies above
    zero (imperfect balance is a caveat beside it, not a veto); it cannot reach level 4 ("bewezen effectief"),
    which asks for repeated, preferably randomised research."""
    positive = [key for key, effect in result["effecten"].items()
                if effect["ci_laag"] is not None and effect["ci_laag"] > 0]
    if positive:
        return {"niveau": 3, "code": "eerste_aanwijzingen", "uitkomsten": positive}
    return {"niveau": None, "code": "geen_aanwijzing", "uitkomsten": []}
