"""Progress and results of trajectories (issue 6): per approach, provider and team, how many trajectories ended, how
(completed, dropped out, outflow to work), how far clients moved on the Participatieladder and the ZRM, and what a
result cost. Plain functions of DataFrames (``results_selectors`` reads them), so tests need no database.

Definitions, for a period ``[van, tot en met]``:

* **Trajectories counted**: those running at some time in the period: started (``start_on``, or ``accepted_on``
  while not started) on or before its last day and not ended before its first day.
* **Ended** (*beëindigd*): ended within the period. Of those: **completed** (*afgerond*) — end reason goal reached,
  work found, started an education or agreed duration over (``COMPLETED_REASONS``); **dropped out** (*uitval*) —
  end reason ``uitval``; **outflow to work** — a result in ``codes.WORK_RESULTS`` (regular work, with
  loonkostensubsidie, beschut werk, self-employed). Percentages are of the ended trajectories. The remaining end
  reasons (moved, medical, another provision, benefit ended, other) are ended but neither completed nor uitval.
* **Ladder change**: the trede of the last current measurement on or before the trajectory's end (or the period's
  last day while it runs) minus the trede of the last current measurement on or before its start. Only trajectories
  with both, where the later one is a re-measurement (another record than the first): one measurement shows no
  change. Corrected records do not count (their correction does). **% improved**: of those, the share with a
  higher trede.
* **ZRM change**: the same two moments with ZRM measurements; per trajectory the mean, over the domains scored in
  both, of (later level − earlier level). The special-category domains (``ZRM_SPECIAL_DOMAINS``: mental and
  physical health, substance use) are left out: the figure is shown to analysts and team leads, who do not see
  those domains in a file, and a health score is not a result a provider is judged by.
* **Cost per outflow to work**: the sum of the cost per participant of the trajectories ended in the period whose
  cost is known (the municipality's menukaart price, ``LocalOffer.cost_per_participant_eur``, else the
  catalogue's ``Approach.cost_per_participant_eur``) divided by the number of those that ended in work. Caveats:
  list prices, not invoices; every ended trajectory counts at its full price, drop-outs too; the whole outflow is
  attributed to the trajectory, without a comparison group (for that: the pilot evaluation).
* **Team**: the client's current team ("Geen team" without one); approaches and providers by name.
* **Suppression** (``SUPPRESS_BELOW`` persons, as everywhere in monitoring): a group of fewer than 10 persons shows
  nothing; a count (and its percentage) is hidden when fewer than 10 persons are in it or fewer than 10 in its
  complement (the ended trajectories that are not in it: the total would give that away); a mean is hidden when
  fewer than 10 persons are measured. Then secondary suppression per column: the groups add up to the total row,
  so where one group's cell is hidden the smallest other one is hidden too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from kansrijk.core.dates import add_months
from kansrijk.diagnosis.instruments import ZRM_SPECIAL_DOMAINS
from kansrijk.trajectories import codes

from .analysis import SUPPRESS_BELOW, days

COMPLETED_REASONS = frozenset({codes.EndReason.DOEL_BEREIKT, codes.EndReason.WERK_GEVONDEN,
                               codes.EndReason.OPLEIDING, codes.EndReason.TERMIJN_VERSTREKEN})
DIMENSIONS = {"aanpak": "approach", "aanbieder": "provider", "team": "team"}
NO_TEAM = "Geen team"
TOTAL = "Totaal"
# The frames ``results_selectors`` delivers; days since 1970-01-01, NaN where empty.
TRAJECTORY_COLUMNS = ["trajectory_id", "client_id", "approach", "provider", "team", "start", "end", "end_reason",
                      "result", "cost", "satisfaction"]
MEASUREMENT_COLUMNS = ["id", "client_id", "day"]  # ladder frames add "trede"
SCORE_COLUMNS = ["measurement_id", "domain", "level"]


@dataclass(frozen=True)
class Period:
    """Both days included."""

    start: date
    end: date

    @classmethod
    def year_until(cls, end: date) -> Period:
        """The twelve months up to and including ``end``."""
        try:
            first = end.replace(year=end.year - 1)
        except ValueError:  # 29 February
            first = end.replace(year=end.year - 1, day=28)
        return cls(first + timedelta(days=1), end)

    def previous(self) -> Period:
        """The period just before this one, for the trend: as many calendar months when the period is whole months
        (a calendar year, or the twelve months up to a day), else as many days."""
        end = self.start - timedelta(days=1)
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        for count in (months, months - 1):
            if count > 0 and add_months(self.start, count) - timedelta(days=1) == self.end:
                return Period(add_months(self.start, -count), end)
        return Period(end - timedelta(days=(self.end - self.start).days), end)

    def as_dict(self) -> dict:
        return {"van": self.start.isoformat(), "tot_en_met": self.end.isoformat()}


def pct(part: float, whole: float) -> float:
    return round(100.0 * part / whole, 2) if whole else 0.0


# --- Per trajectory -----------------------------------------------------------------------------------------------

def _as_of(moments: pd.DataFrame, measurements: pd.DataFrame) -> np.ndarray:
    """Per row of ``moments`` (client_id, day) the id of the client's last measurement on or before that day, NaN
    when there is none. Of two on one day the later record (higher id) counts."""
    result = np.full(len(moments), np.nan)
    if not len(moments) or not len(measurements):
        return result
    right = (measurements[["client_id", "day", "id"]].sort_values(["day", "id"])
             .drop_duplicates(["client_id", "day"], keep="last").astype({"day": np.int64, "client_id": np.int64}))
    left = pd.DataFrame({"row": np.arange(len(moments)), "client_id": moments["client_id"].to_numpy(np.int64),
                         "day": moments["day"].to_numpy(np.int64)}).sort_values("day")
    merged = pd.merge_asof(left, right, on="day", by="client_id", direction="backward")
    result[merged["row"].to_numpy()] = merged["id"].to_numpy(np.float64)
    return result


def _pairs(frame: pd.DataFrame, measurements: pd.DataFrame, until: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The measurement before (at the start) and after (at ``until``) per trajectory; NaN where there is no pair."""
    before = _as_of(pd.DataFrame({"client_id": frame["client_id"], "day": frame["start"]}), measurements)
    after = _as_of(pd.DataFrame({"client_id": frame["client_id"], "day": until}), measurements)
    valid = ~np.isnan(before) & ~np.isnan(after) & (before != after)
    return np.where(valid, before, np.nan), np.where(valid, after, np.nan)


def ladder_changes(frame: pd.DataFrame, ladder: pd.DataFrame, until: np.ndarray) -> np.ndarray:
    before, after = _pairs(frame, ladder, until)
    trede = pd.Series(ladder["trede"].to_numpy(np.float64), index=ladder["id"].to_numpy(np.int64))
    change = np.full(len(frame), np.nan)
    valid = ~np.isnan(before)
    if valid.any():
        change[valid] = (trede.loc[after[valid].astype(np.int64)].to_numpy()
                         - trede.loc[before[valid].astype(np.int64)].to_numpy())
    return change


def zrm_changes(frame: pd.DataFrame, zrm: pd.DataFrame, scores: pd.DataFrame, until: np.ndarray) -> np.ndarray:
    before, after = _pairs(frame, zrm, until)
    change = np.full(len(frame), np.nan)
    valid = np.flatnonzero(~np.isnan(before))
    if not len(valid):
        return change
    usable = scores[~scores["domain"].isin(ZRM_SPECIAL_DOMAINS)]
    pairs = pd.DataFrame({"row": valid, "before": before[valid].astype(np.int64),
                          "after": after[valid].astype(np.int64)})
    first = pairs.merge(usable, left_on="before", right_on="measurement_id")[["row", "domain", "level"]]
    last = pairs.merge(usable, left_on="after", right_on="measurement_id")[["row", "domain", "level"]]
    both = first.merge(last, on=["row", "domain"], suffixes=("_before", "_after"))
    if len(both):
        mean = (both["level_after"] - both["level_before"]).groupby(both["row"]).mean()
        change[mean.index.to_numpy()] = mean.to_numpy()
    return change


def prepare(frame: pd.DataFrame, ladder: pd.DataFrame, zrm: pd.DataFrame, scores: pd.DataFrame,
            period: Period) -> pd.DataFrame:
    """The trajectories counted in the period, one row each, with their outcome flags and measured changes."""
    first, last = days(period.start), days(period.end)
    end = frame["end"].to_numpy(np.float64)
    running = (frame["start"].to_numpy(np.int64) <= last) & (np.isnan(end) | (end >= first))
    df = frame[running].reset_index(drop=True)
    end = df["end"].to_numpy(np.float64)
    ended = ~np.isnan(end) & (end <= last)  # and >= first, by the selection above
    reasons = df["end_reason"].to_numpy(object)
    results = df["result"].to_numpy(object)
    until = np.where(ended, np.nan_to_num(end, nan=last), last).astype(np.int64)
    out = pd.DataFrame({
        "client_id": df["client_id"].to_numpy(np.int64),
        "approach": df["approach"].to_numpy(object),
        "provider": df["provider"].to_numpy(object),
        "team": df["team"].fillna(NO_TEAM).replace("", NO_TEAM).to_numpy(object),
        "ended": ended,
        "completed": ended & np.isin(reasons, list(COMPLETED_REASONS)),
        "dropout": ended & (reasons == codes.EndReason.UITVAL),
        "work": ended & np.isin(results, list(codes.WORK_RESULTS)),
        "success": ended & (np.isin(reasons, [codes.EndReason.DOEL_BEREIKT, codes.EndReason.WERK_GEVONDEN])
                            | np.isin(results, list(codes.OUTFLOW_RESULTS))),
        "cost": np.where(ended, df["cost"].to_numpy(np.float64), np.nan),
        "satisfaction": np.where(ended, df["satisfaction"].to_numpy(np.float64), np.nan),
    })
    out["ladder"] = ladder_changes(df, ladder, until)
    out["zrm"] = zrm_changes(df, zrm, scores, until)
    return out


# --- Per group, suppressed ------------------------------------------------------------------------------------------

COUNTS = ("trajecten", "beeindigd", "afgerond", "uitval", "naar_werk", "gemeten_trede", "trede_omhoog",
          "gemeten_zrm")
# A count and the count it is part of: hidden with it, and its complement within it must be 10 persons too.
PART_OF = {"beeindigd": "trajecten", "afgerond": "beeindigd", "uitval": "beeindigd", "naar_werk": "beeindigd",
           "trede_omhoog": "gemeten_trede"}


def _group_stats(df: pd.DataFrame) -> dict:
    """Counts, persons and sums of one group (or the total)."""
    masks = {
        "trajecten": np.ones(len(df), dtype=bool),
        "beeindigd": df["ended"].to_numpy(),
        "afgerond": df["completed"].to_numpy(),
        "uitval": df["dropout"].to_numpy(),
        "naar_werk": df["work"].to_numpy(),
        "gemeten_trede": ~np.isnan(df["ladder"].to_numpy()),
        "trede_omhoog": df["ladder"].to_numpy() > 0,
        "gemeten_zrm": ~np.isnan(df["zrm"].to_numpy()),
    }
    clients = df["client_id"].to_numpy()
    stats = {}
    for key, mask in masks.items():
        stats[key] = int(mask.sum())
        stats[f"p_{key}"] = len(np.unique(clients[mask]))
        parent = PART_OF.get(key)
        if parent:
            stats[f"q_{key}"] = len(np.unique(clients[masks[parent] & ~mask]))
    stats["trede_verschil"] = float(np.nanmean(df["ladder"])) if stats["gemeten_trede"] else None
    stats["zrm_verschil"] = float(np.nanmean(df["zrm"])) if stats["gemeten_zrm"] else None
    cost = df["cost"].to_numpy()
    known = ~np.isnan(cost)
    stats["kosten"] = float(cost[known].sum())
    stats["werk_met_kosten"] = int((masks["naar_werk"] & known).sum())
    return stats


def _primary(stats: dict) -> dict[str, bool]:
    hide = {"trajecten": stats["p_trajecten"] < SUPPRESS_BELOW}
    for key in COUNTS[1:]:
        parent = PART_OF.get(key, "trajecten")
        small = stats[f"p_{key}"] < SUPPRESS_BELOW
        if key in PART_OF:
            small = small or stats[f"q_{key}"] < SUPPRESS_BELOW
        hide[key] = hide[parent] or hide["trajecten"] or small
    return hide


def _secondary(groups: list[dict], key: str) -> None:
    """Where exactly one group's cell is hidden while the total shows the column, hide the smallest other."""
    hidden = [g for g in groups if g["hide"][key]]
    shown = [g for g in groups if not g["hide"][key]]
    if len(hidden) == 1 and shown:
        smallest = min(shown, key=lambda g: (g["stats"][key], g["groep"]))
        smallest["hide"][key] = True
        if key == "trajecten":
            smallest["hide"] = dict.fromkeys(COUNTS, True)


def _row(group: str, stats: dict, hide: dict[str, bool]) -> dict:
    def count(key):
        return None if hide[key] else stats[key]

    def share(key):
        return None if hide[key] else pct(stats[key], stats[PART_OF[key]])

    def mean(value, key):
        return None if hide[key] or value is None else round(value, 2)

    cost = None
    if not hide["naar_werk"] and stats["werk_met_kosten"]:
        cost = round(stats["kosten"] / stats["werk_met_kosten"], 2)
    return {
        "groep": group, "trajecten": count("trajecten"), "beeindigd": count("beeindigd"),
        "afgerond": count("afgerond"), "pct_afgerond": share("afgerond"),
        "uitval": count("uitval"), "pct_uitval": share("uitval"),
        "naar_werk": count("naar_werk"), "pct_naar_werk": share("naar_werk"),
        "gemeten_trede": count("gemeten_trede"), "trede_verschil": mean(stats["trede_verschil"], "gemeten_trede"),
        "pct_trede_omhoog": share("trede_omhoog"),
        "gemeten_zrm": count("gemeten_zrm"), "zrm_verschil": mean(stats["zrm_verschil"], "gemeten_zrm"),
        "kosten_per_werk": cost,
    }


def group_rows(df: pd.DataFrame, column: str, total: dict) -> list[dict]:
    """One row per group of ``column``, suppressed (primary, then secondary against the shown ``total``)."""
    groups = []
    for name, rows in df.groupby(column, sort=True):
        stats = _group_stats(rows)
        groups.append({"groep": str(name), "stats": stats, "hide": _primary(stats)})
    total_hide = _primary(total)
    for key in COUNTS:
        for group in groups:  # what a hidden parent hides, before the column is checked
            parent = PART_OF.get(key, "trajecten")
            group["hide"][key] = group["hide"][key] or group["hide"][parent] or group["hide"]["trajecten"]
        if not total_hide[key]:
            _secondary(groups, key)
    return [_row(g["groep"], g["stats"], g["hide"]) for g in groups]


def results_analysis(prepared: pd.DataFrame, period: Period) -> dict:
    total = _group_stats(prepared)
    result = {"periode": period.as_dict(), "totaal": _row(TOTAL, total, _primary(total))}
    for name, column in DIMENSIONS.items():
        result[name] = group_rows(prepared, column, total)
    return result
