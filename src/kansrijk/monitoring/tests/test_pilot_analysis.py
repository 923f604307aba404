"""Pilot evaluation's statistics against independent computations: Newcombe's interval and Welch's interval by their
textbook formulas, matching checked for its rules (no one twice, no participant as comparison, within the caliper),
balance improving, determinism, suppression, and the list of characteristics (never a special category)."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from kansrijk.monitoring.pilots import analysis

Z = 1.959963984540054


def wilson(x, n):
    p = x / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return centre - half, centre + half


def newcombe(x1, n1, x0, n0):
    """Newcombe (1998) method 10: the hybrid score interval from the two Wilson intervals."""
    p1, p0 = x1 / n1, x0 / n0
    l1, u1 = wilson(x1, n1)
    l0, u0 = wilson(x0, n0)
    d = p1 - p0
    return d - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)


def test_the_outflow_difference_and_newcombe_interval_match_the_formula():
    # FIP's own numbers (seed 000 L823): 71 against 55 ended benefits of 300.
    result = analysis.proportion_effect(71, 300, 55, 300)
    low, high = newcombe(71, 300, 55, 300)
    assert result["verschil"] == round(100 * 16 / 300, 1) == 5.3
    assert result["ci_laag"] == round(100 * low, 1) == -1.2
    assert result["ci_hoog"] == round(100 * high, 1) == 11.8
    assert (result["pct_deelnemers"], result["pct_vergelijking"]) == (23.7, 18.3)


def test_a_proportion_with_fewer_than_ten_persons_is_suppressed():
    result = analysis.proportion_effect(9, 300, 40, 300)
    assert result["aantal_deelnemers"] is None and result["verschil"] is None and result["ci_laag"] is None
    assert result["n_deelnemers"] == 300
    # Fewer than 10 WITHOUT the outcome gives the count away as well.
    assert analysis.proportion_effect(295, 300, 250, 300)["verschil"] is None


def test_the_ladder_difference_and_welch_interval_match_the_formula():
    treated = np.array([1, 0, 1, 1, 0, 2, 0, 1, 0, 1, 1, 0], dtype=float)
    control = np.array([0, 0, -1, 1, 0, 0, 0, 1, 0, 0, -1, 0, 1, 0], dtype=float)
    result = analysis.mean_effect(treated, control)
    v1, v0 = treated.var(ddof=1) / len(treated), control.var(ddof=1) / len(control)
    df = (v1 + v0) ** 2 / (v1 ** 2 / (len(treated) - 1) + v0 ** 2 / (len(control) - 1))
    half = stats.t.ppf(0.975, df) * math.sqrt(v1 + v0)
    difference = treated.mean() - control.mean()
    assert result["verschil"] == round(difference, 2)
    assert result["ci_laag"] == round(difference - half, 2)
    assert result["ci_hoog"] == round(difference + half, 2)
    assert analysis.mean_effect(treated[:9], control)["verschil"] is None


def test_the_characteristics_are_observed_and_never_special_categories():
    assert analysis.COVARIATES == ["age_class", "sex", "household", "trede", "cause", "team", "years_on_benefit",
                                   "zrm_mean"]
    special = ("health", "gezond", "addiction", "versla", "origin", "migrat", "herkomst", "middel")
    assert not [c for c in analysis.COVARIATES if any(word in c for word in special)]


def synthetic(n=1500, seed=3, effect=0.08):
    """Participants more often young and short on benefit; outflow depends on those too, plus a true effect."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"client_id": np.arange(10, 10 + n)})
    frame["age_class"] = rng.choice(["< 30", "30-50", "50+"], n)
    frame["sex"] = rng.choice(["Man", "Vrouw"], n)
    frame["household"] = rng.choice(["Alleenstaand", "Gehuwd", "Alleenstaande ouder"], n)
    frame["trede"] = rng.choice(["1", "2", "3", None], n)
    frame["cause"] = rng.choice(["Ontslag", "Scheiding"], n)
    frame["team"] = rng.choice(["Noord", "Zuid"], n)
    frame["years_on_benefit"] = rng.exponential(4, n)
    frame["zrm_mean"] = np.where(rng.random(n) < 0.3, np.nan, rng.uniform(1, 5, n))
    score = -2.2 + 1.2 * (frame["age_class"] == "< 30") - 0.15 * frame["years_on_benefit"]
    frame["participant"] = rng.random(n) < 1 / (1 + np.exp(-score))
    base = 0.25 - 0.015 * frame["years_on_benefit"].clip(0, 10)
    frame["outflow"] = rng.random(n) < base + effect * frame["participant"]
    frame["outflow_work"] = frame["outflow"] & (rng.random(n) < 0.5)
    frame["ladder_change"] = np.where(rng.random(n) < 0.7, rng.choice([-1.0, 0.0, 1.0], n), np.nan)
    return frame[analysis.COLUMNS]


def test_matching_pairs_each_participant_with_a_distinct_non_participant_within_the_caliper():
    frame = synthetic()
    result, pairs = analysis.evaluate_with_pairs(frame)
    participants = set(frame.loc[frame["participant"], "client_id"])
    treated_ids = [t for t, _c in pairs]
    control_ids = [c for _t, c in pairs]
    assert set(treated_ids) <= participants
    assert not set(control_ids) & participants  # never a participant, so never oneself
    assert len(set(control_ids)) == len(control_ids) == len(set(treated_ids))  # without replacement
    assert result["groepen"]["paren"] == len(pairs) >= 100
    # Independently: refit the score and check every pair lies within 0.2 SD of the logit.
    ordered = frame.sort_values("client_id").reset_index(drop=True)
    design = analysis.design(ordered)
    logit = pd.Series(analysis.propensity_logit(design.matrix, ordered["participant"].to_numpy()),
                      index=ordered["client_id"])
    caliper = 0.2 * logit.std(ddof=1)
    assert all(abs(logit[t] - logit[c]) <= caliper + 1e-12 for t, c in pairs)


def test_matching_improves_balance_and_is_deterministic():
    frame = synthetic()
    first, pairs = analysis.evaluate_with_pairs(frame)
    again, pairs_again = analysis.evaluate_with_pairs(frame.sample(frac=1, random_state=7))  # row order irrelevant
    assert pairs == pairs_again and first == again
    assert first["max_smd_voor"] > 0.3
    assert first["max_smd_na"] < first["max_smd_voor"] / 2
    young = next(r for r in first["balans"] if r["kenmerk"] == "Leeftijdsklasse" and r["categorie"] == "< 30")
    assert abs(young["smd_na"]) < abs(young["smd_voor"]) / 3


def test_the_effect_is_the_plain_difference_in_the_matched_groups():
    frame = synthetic()
    result, pairs = analysis.evaluate_with_pairs(frame)
    outcome = frame.set_index("client_id")["outflow"]
    x1 = int(sum(outcome[t] for t, _c in pairs))
    x0 = int(sum(outcome[c] for _t, c in pairs))
    low, high = newcombe(x1, len(pairs), x0, len(pairs))
    effect = result["effecten"]["uitstroom"]
    assert (effect["aantal_deelnemers"], effect["aantal_vergelijking"]) == (x1, x0)
    assert effect["ci_laag"] == round(100 * low, 1) and effect["ci_hoog"] == round(100 * high, 1)


def test_too_few_participants_cannot_be_evaluated():
    frame = synthetic()
    few = pd.concat([frame[~frame["participant"]], frame[frame["participant"]].head(9)])
    with pytest.raises(analysis.EvaluationError):
        analysis.evaluate(few)


def test_balance_shares_of_small_cells_are_suppressed():
    frame = synthetic()
    frame.loc[frame["participant"].to_numpy().nonzero()[0][:5], "household"] = "Samenwonend"
    frame.loc[frame.index[-20:], "household"] = "Samenwonend"
    result = analysis.evaluate(frame)
    row = next(r for r in result["balans"] if r["categorie"] == "Samenwonend")
    assert row["deelnemers"] is None and row["smd_voor"] is None

