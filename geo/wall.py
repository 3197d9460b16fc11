"""What the wall screen shows, as plain data: :class:`WallBoard`.

The command post reads four things off it: how far the region is (KPI
tiles), who is last (the ranking), how many days are left (the countdown)
and who will miss the milestone at their pace (the forecast).  The map has
three modes over the same children: completion, forecast status and the
change since the previous snapshot.  The page's rules live here too, as plain
functions: what a ranking row says (on time, late, stalled, ...), which rows a
board of few lines lists, which labels the map places first, and which step a
rotating wall shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.forecast import pace_window_start, run_rates
from geo.gaps import fully_covered, village_gaps
from geo.map_view import MapSource
from geo.programme import Milestone
from geo.units import find_region

# Forecast classes of the map's second mode, in the order of the legend.
FORECAST_CLASSES = ("on_time", "at_risk", "will_miss", "no_data")
# What a ranking row says of a unit (:func:`ranking_verdicts`).
VERDICTS = ("on_time", "no_figure", "pace_unknown", "stalled", "late")


@dataclass(frozen=True)
class WallBoard:
    region: pd.Series
    level: str
    as_of: dt.date
    milestone: Milestone | None
    days_left: int | None
    overall_pct: float
    """The region's own overall index."""
    villages: int
    villages_covered: int
    """Villages with every applicable item done (none missing, none unreported)."""
    items: pd.DataFrame
    """The region's completion per item: ``item, pct``, in programme order."""
    ranking: pd.DataFrame
    """The children per item (``overall`` too): ``item, code, name, pct, rank, movement,
    last``, best first within an item."""
    forecast: pd.DataFrame
    """Per child and item (``overall`` too): :func:`geo.forecast.run_rates` columns
    plus ``item`` and ``status`` (one of :data:`FORECAST_CLASSES`)."""
    change: pd.DataFrame
    """Per child and item: ``item, code, pct, pct_before, change`` since the previous
    snapshot (NaN when there is none)."""

    def of(self, frame: str, item: str) -> pd.DataFrame:
        """The rows of ``ranking``, ``forecast`` or ``change`` for one item."""
        rows = getattr(self, frame)
        return rows[rows["item"] == item].reset_index(drop=True)


def wall_board(source: MapSource, *, level: str, region: str | None = None,
               as_of: dt.date | None = None) -> WallBoard:
    """The wall's figures for the children of ``region`` at ``level``."""
    top = find_region(source.units, region)
    as_of = as_of or source.latest()
    table = source.summary(level=level, region=top["code"], item=None, as_of=as_of)
    own = source.own_values(top["code"], as_of=as_of)
    milestone = source.programme.next_milestone(as_of)
    gaps = village_gaps(source.units, source.progress, source.programme, region=top["code"],
                        as_of=as_of)
    covered = int(fully_covered(gaps).sum())
    return WallBoard(
        region=top, level=level, as_of=as_of, milestone=milestone,
        days_left=(milestone.date - as_of).days if milestone else None,
        overall_pct=_pct_of(own, "overall"), villages=len(gaps), villages_covered=covered,
        items=pd.DataFrame({"item": source.programme.item_keys,
                            "pct": [_pct_of(own, k) for k in source.programme.item_keys]}),
        ranking=_ranking(table),
        forecast=_forecast(source, table, level=level, region=top["code"], as_of=as_of,
                           milestone=milestone),
        change=_change(source, table, level=level, region=top["code"], as_of=as_of))


def forecast_status(days_late, pct, interval_days: int, *, pace_known: bool = True) -> str:
    """On time, at risk (late by at most one reporting interval: one good round
    closes it), will miss (later, or stalled), or no data (no figure, or no
    earlier one to tell the pace by)."""
    if pct is None or pd.isna(pct) or not pace_known:
        return "no_data"
    if days_late is not None and not pd.isna(days_late):
        if days_late == 0:
            return "on_time"
        if days_late <= interval_days:
            return "at_risk"
    return "will_miss"


def ranking_verdicts(ranking: pd.DataFrame, forecast: pd.DataFrame) -> pd.DataFrame:
    """What each ranked unit's row says of its forecast.

    Parameters
    ----------
    ranking, forecast
        One item's rows of :attr:`WallBoard.ranking` and :attr:`WallBoard.forecast`.

    Returns
    -------
    pandas.DataFrame
        Aligned with ``ranking``: ``status`` (its forecast class, ``no_data`` when it
        has none), ``verdict`` (one of :data:`VERDICTS`), and for a ``late`` one the
        day it finishes at its pace (``finish``) and how many days after the
        milestone that is (``days_late``).  On time wins over everything; then a
        unit with no figure, one whose pace cannot be told (a single report),
        one that gained nothing (stalled: it never finishes), and the late.
    """
    by_code = forecast.set_index("code")
    rows = []
    for code, pct in zip(ranking["code"], ranking["pct"]):
        status = by_code["status"].get(code, "no_data")
        late = by_code["days_late"].get(code)
        finish, days_late = None, None
        if status == "on_time":
            verdict = "on_time"
        elif pd.isna(pct):
            verdict = "no_figure"
        elif not by_code["pace_known"].get(code, False):
            verdict = "pace_unknown"
        elif late is None or pd.isna(late):
            verdict = "stalled"
        else:
            verdict, finish, days_late = "late", by_code["finish"].get(code), int(late)
        rows.append((status, verdict, finish, days_late))
    status, verdict, finish, days_late = zip(*rows) if rows else ((), (), (), ())
    return pd.DataFrame({"status": pd.Series(status, dtype=object),
                         "verdict": pd.Series(verdict, dtype=object),
                         "finish": pd.Series(finish, dtype=object),
                         "days_late": pd.Series(days_late, dtype="Int64")}
                        ).set_axis(ranking.index)


def listed_rows(count: int, *, rows: int, best: int = 3) -> list[int | None]:
    """The positions a board of ``rows`` lines lists out of ``count`` ranked units.

    All of them when they fit; else the ``best`` first and the worst after them,
    with None where the middle is left out.

    Examples
    --------
    >>> listed_rows(4, rows=9)
    [0, 1, 2, 3]
    >>> listed_rows(12, rows=6)
    [0, 1, 2, None, 9, 10, 11]
    """
    if count <= rows:
        return list(range(count))
    return [*range(best), None, *range(count - (rows - best), count)]


def labelled_first(last: pd.Series, values: pd.Series, *, lagging_below: float) -> pd.Series:
    """Which units' labels the map places before the others' (so that none of them is
    dropped for want of room): the last and those with a value under ``lagging_below``.
    Both inputs indexed alike (by code); a missing ``last`` counts as not last."""
    return last.astype("boolean").fillna(False).astype(bool) | (values < lagging_below)


def tour_steps(units: pd.DataFrame, children: pd.Series) -> list[str]:
    """The codes of ``children`` a tour visits: those with units of their own below."""
    parents = set(units["parent_code"].dropna())
    return [code for code in children if code in parents]


def step_at(sequence: list[str], *, now: float, every: float) -> str:
    """The step a wall rotating every ``every`` seconds shows at ``now`` (seconds since
    the epoch): the clock, not a counter, so a refresh of the data never resets it.

    Examples
    --------
    >>> step_at(["overall", "water", "roads"], now=70.0, every=30)   # the third 30 s
    'roads'
    """
    return sequence[int(now // every) % len(sequence)]


def _ranking(table: pd.DataFrame) -> pd.DataFrame:
    rows = table[["item", "code", "name", "pct", "rank", "movement"]]
    rows = rows.sort_values(["item", "rank", "code"], na_position="last").reset_index(drop=True)
    worst = rows.groupby("item")["rank"].transform("max")
    rows["last"] = rows["rank"].notna() & (rows["rank"] == worst)
    return rows


def _forecast(source, table, *, level, region, as_of, milestone) -> pd.DataFrame:
    since = pace_window_start(source.dates, as_of)
    before = (source.summary(level=level, region=region, item=None, as_of=since)
              if since else table.assign(pct=np.nan))
    frames = []
    for key in ["overall", *source.programme.item_keys]:
        rates = run_rates(table[table["item"] == key], before[before["item"] == key],
                          source.programme, as_of=as_of, since=since or as_of)
        frames.append(rates.assign(item=key))
    out = pd.concat(frames, ignore_index=True)
    interval = source.programme.reporting_interval_days
    out["status"] = [forecast_status(late, pct, interval, pace_known=known)
                     for late, pct, known in zip(out["days_late"], out["pct"],
                                                 out["pace_known"])]
    if milestone is None:
        out["status"] = np.where(out["pct"].isna(), "no_data",
                                 np.where(out["pct"] >= 100, "on_time", "will_miss"))
    return out


def _change(source, table, *, level, region, as_of) -> pd.DataFrame:
    rows = table[["item", "code", "pct"]].reset_index(drop=True)
    in_force = [d for d in source.dates if d <= as_of]
    if len(in_force) >= 2:
        before = source.summary(level=level, region=region, item=None, as_of=in_force[-2])
        earlier = before.set_index(["code", "item"])["pct"]
        rows["pct_before"] = earlier.reindex(pd.MultiIndex.from_frame(
            rows[["code", "item"]])).to_numpy()
    else:
        rows["pct_before"] = np.nan
    rows["change"] = rows["pct"] - rows["pct_before"]
    return rows


def _pct_of(rows: pd.DataFrame, item: str) -> float:
    match = rows.loc[rows["item"] == item, "pct"]
    return float(match.iloc[0]) if len(match) and pd.notna(match.iloc[0]) else float("nan")
