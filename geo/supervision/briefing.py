"""The briefing's supervision page (督导整改): the villages the latest round and all
rounds visited, the problems found by category, rectification by unit and the worst
overdue — all on the briefing's date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.supervision.problems import (
    CATEGORIES,
    problem_status,
    rectification_ledger,
    worst_per_village,
)
from geo.supervision.problems_xlsx import problem_list
from geo.units import descendants

WORST_OVERDUE = 10


@dataclass(frozen=True)
class SupervisionPage:
    round: int
    """The latest round that visited a village."""
    visited_round: int
    visited_ever: int
    villages: int
    by_category: pd.DataFrame
    """``category, this_round, all``: problems found, in the programme's order."""
    ledger: pd.DataFrame
    """:func:`geo.supervision.problems.rectification_ledger` of the briefing's units."""
    overdue: pd.DataFrame
    """The worst overdue problems (:func:`geo.supervision.problems_xlsx.problem_list` rows), most
    days late first."""
    points: gpd.GeoDataFrame | None = None
    """Each village with problems at a point inside it: ``worst`` class and ``count``,
    the most urgent last; None without village shapes."""


def supervision_page(units: pd.DataFrame, records: dict[str, pd.DataFrame], *, region: str,
                     level: str, as_of: dt.date,
                     villages: gpd.GeoDataFrame | None = None) -> SupervisionPage | None:
    """The page for ``region``'s units of ``level``; None when no round visited it.

    ``records`` holds the store's ``visits``, ``problems`` and ``problem_events``
    (``Store.records``); ``villages`` the village shapes, for the map's points.
    """
    inside = descendants(units, region)
    village_codes = set(inside.loc[inside["level"] == "village", "code"])
    visits = records["visits"]
    made = visits[visits["visited_on"].notna() & visits["unit_code"].isin(village_codes)
                  & (visits["visited_on"].astype(str) <= as_of.isoformat())]
    if made.empty:
        return None
    latest = int(pd.to_numeric(made["round"]).max())
    status = problem_status(records["problems"], records["problem_events"], as_of=as_of)
    status = status[status["unit_code"].isin(village_codes)]
    this_round = status[pd.to_numeric(status["round"]) == latest]
    by_category = pd.DataFrame({
        "category": list(CATEGORIES),
        "this_round": [int((this_round["category"] == c).sum()) for c in CATEGORIES],
        "all": [int((status["category"] == c).sum()) for c in CATEGORIES]})
    overdue = problem_list(status[status["overdue"]], units).sort_values(
        ["days_overdue", "problem_id"], ascending=[False, True]).head(WORST_OVERDUE)
    return SupervisionPage(
        round=latest,
        visited_round=int(made.loc[pd.to_numeric(made["round"]) == latest,
                                   "unit_code"].nunique()),
        visited_ever=int(made["unit_code"].nunique()), villages=len(village_codes),
        by_category=by_category, ledger=rectification_ledger(status, units, level=level),
        overdue=overdue.reset_index(drop=True),
        points=None if villages is None else _points(status, villages))


def _points(status: pd.DataFrame, villages: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    worst = worst_per_village(status)
    shapes = villages.set_index("code").geometry
    shown = worst[worst["unit_code"].isin(shapes.index)]
    return gpd.GeoDataFrame(shown, geometry=shapes.loc[shown["unit_code"]]
                            .representative_point().to_numpy(), crs=villages.crs)
