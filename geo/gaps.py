"""Uncovered villages: every village still missing an item that applies."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geo.errors import UsageError
from geo.programme import Programme
from geo.progress import latest_reports
from geo.units import ancestor_names, descendants, find_region

GAP_COLUMNS = ["code", "name", "parent_code", "missing", "unreported",
               "township", "county", "population", "households", "since", "as_of"]


def uncovered_villages(units: pd.DataFrame, progress: pd.DataFrame,
                       programme: Programme, *, region: str | None = None,
                       item: str | None = None, as_of: dt.date) -> pd.DataFrame:
    """The villages of a region with any applicable item not done on ``as_of``.

    A village with no report for an item lists it under ``unreported`` and
    is not counted as uncovered for it: nobody knows yet.

    Returns
    -------
    DataFrame
        :data:`GAP_COLUMNS`; ``missing`` and ``unreported`` are lists of item
        keys.  With ``item``, only the villages missing that item.
    """
    if item is not None and item not in programme.item_keys:
        raise UsageError(reason="unknown_item", param="item", value=item,
                         items=programme.item_keys)
    table = village_gaps(units, progress, programme, region=region, as_of=as_of)
    wanted = table["missing"].map(lambda m: item in m if item else bool(m)).astype(bool)
    return table.loc[wanted].reset_index(drop=True)


def unreported_villages(units: pd.DataFrame, progress: pd.DataFrame, programme: Programme, *,
                        region: str | None = None, as_of: dt.date) -> pd.DataFrame:
    """The villages of a region with any item never reported by ``as_of``."""
    table = village_gaps(units, progress, programme, region=region, as_of=as_of)
    return table.loc[table["unreported"].map(bool).astype(bool)].reset_index(drop=True)


def village_gaps(units: pd.DataFrame, progress: pd.DataFrame, programme: Programme, *,
                 region: str | None = None, as_of: dt.date) -> pd.DataFrame:
    """Every village of a region with its missing and unreported items (:data:`GAP_COLUMNS`)."""
    top = find_region(units, region)
    villages = descendants(units, top["code"])
    villages = villages[villages["level"] == "village"]
    reports = latest_reports(progress[progress["unit_code"].isin(villages["code"])], on=as_of)
    reports = reports[reports["item"].isin(programme.item_keys)]
    reports = reports.assign(not_done=_not_done(reports, programme))
    # Plain dicts: a lookup in a categorical index of no reports at all overflowed.
    missing = reports[reports["not_done"]].groupby("unit_code", observed=True)["item"] \
        .agg(list).to_dict()
    reported = reports.groupby("unit_code", observed=True)["item"].agg(set).to_dict()
    latest = reports.groupby("unit_code", observed=True)["as_of"].max().to_dict()
    keys = programme.item_keys
    table = villages[["code", "name", "parent_code", "population", "households"]].copy()
    table["missing"] = table["code"].map(lambda c: _in_order(missing.get(c, []), keys))
    table["unreported"] = table["code"].map(
        lambda c: [k for k in keys if k not in reported.get(c, set())])
    table["township"] = ancestor_names(units, table["code"], "township")
    table["county"] = ancestor_names(units, table["code"], "county")
    table["as_of"] = table["code"].map(latest)
    table["since"] = table["code"].map(_missing_since(progress, reports, programme, as_of))
    return table[GAP_COLUMNS].sort_values("code").reset_index(drop=True)


def fully_covered(gaps: pd.DataFrame) -> pd.Series:
    """Which villages of :func:`village_gaps` are fully covered (全覆盖): every item
    that applies done, and every item reported — a village with an item nobody
    reported is not uncovered, but not known to be covered either."""
    return gaps["missing"].map(len).eq(0) & gaps["unreported"].map(len).eq(0)


def _missing_since(progress, latest, programme, as_of) -> pd.Series:
    """Per village, the first report date from which an item now missing stayed not done."""
    missing = latest.loc[latest["not_done"], ["unit_code", "item"]]
    if missing.empty:
        return pd.Series(dtype=object)
    keys = missing["unit_code"].astype(str) + "|" + missing["item"].astype(str)
    rows = progress[progress["unit_code"].isin(set(missing["unit_code"]))
                    & (progress["as_of"] <= as_of.isoformat())]
    rows = rows[(rows["unit_code"].astype(str) + "|" + rows["item"].astype(str)).isin(set(keys))]
    rows = rows.assign(not_done=_not_done(rows, programme))
    # The run of not-done reports that ends now starts after the last done one.
    last_done = rows[~rows["not_done"]].groupby(["unit_code", "item"], observed=True)["as_of"].max()
    rows = rows.join(last_done.rename("last_done"), on=["unit_code", "item"])
    rows = rows[rows["not_done"] & ~(rows["as_of"] <= rows["last_done"])]
    first = rows.groupby(["unit_code", "item"], observed=True)["as_of"].min()
    return first.groupby(level="unit_code", observed=True).min()


def _not_done(reports: pd.DataFrame, programme: Programme) -> pd.Series:
    measure = reports["item"].map({i.key: i.measure for i in programme.items})
    done_share = reports["item"].map({i.key: i.target_share for i in programme.items})
    applies = reports["status"].ne("na") & reports["target"].fillna(0).gt(0)
    share = reports["completed"] / reports["target"] * 100
    below = reports["completed"].fillna(0) < reports["target"]
    return applies & ((measure.ne("share") & below)
                      | (measure.eq("share") & share.lt(done_share.astype(float))))


def _in_order(items, keys) -> list[str]:
    return [k for k in keys if k in set(items)]
