"""Summaries of a region: its units at one level, per item, ranked."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from geo.errors import UsageError
from geo.programme import Programme
from geo.progress import SUMMARY_COLUMNS, data_date, overall_index, values_on
from geo.units import check_level_within, find_region, units_at_level


def summarise(units: pd.DataFrame, progress: pd.DataFrame, programme: Programme, *,
              level: str, region: str | None = None, item: str | None = None,
              as_of: dt.date | None = None,
              snapshot_dates: list[dt.date] | None = None) -> pd.DataFrame:
    """One record per unit of ``level`` inside ``region`` and per item.

    Parameters
    ----------
    units, progress
        As :meth:`geo.store.Store.units` and :meth:`~geo.store.Store.progress`
        return them.
    programme
        The store's programme.
    level, region
        The units listed: those of ``level`` under ``region`` (a code or
        exact name; the store's top unit when None), or the region itself when
        ``level`` is its own.
    item
        An item key or ``overall``; all items and overall when None.
    as_of
        The date D; the latest snapshot when None.
    snapshot_dates
        The store's report dates, for D's default and the previous snapshot
        that ``movement`` compares with; taken from ``progress`` when None.

    Returns
    -------
    DataFrame
        The columns of :data:`geo.progress.SUMMARY_COLUMNS`.
    """
    top = find_region(units, region)
    check_level_within(top, level)
    items = items_asked(programme, item)
    dates = snapshot_dates or sorted(dt.date.fromisoformat(d) for d in progress["as_of"].unique())
    as_of = as_of or data_date(dates, programme)
    listed = units_at_level(units, top, level)
    table = _records(units, progress, programme, listed, items, on=as_of)
    # Movement compares the snapshot in force on D with the one before it.
    in_force = [d for d in dates if d <= as_of]
    if len(in_force) >= 2:
        before = _records(units, progress, programme, listed, items, on=in_force[-2])
        keys = pd.MultiIndex.from_frame(table[["code", "item"]])
        earlier = before.set_index(["code", "item"])["rank"].reindex(keys).to_numpy()
        table["movement"] = earlier - table["rank"]
    else:
        table["movement"] = np.nan
    table["stale"] = _stale(table["as_of"], as_of, programme.reporting_interval_days)
    table = table.astype({"rank": "Int64", "movement": "Int64"})
    return table[SUMMARY_COLUMNS]


def items_asked(programme: Programme, item: str | None) -> list[str]:
    """The item keys an item asks for (all and ``overall`` when None)."""
    if item is None:
        return programme.item_keys + ["overall"]
    if item != "overall" and item not in programme.item_keys:
        raise UsageError(reason="unknown_item", param="item", value=item,
                         items=["overall", *programme.item_keys])
    return [item]


def _records(units, progress, programme, listed, items, *, on) -> pd.DataFrame:
    values = values_on(units, progress, programme, on=on)
    values = values[values["code"].isin(listed["code"])]
    if "overall" in items:
        values = pd.concat([values, overall_index(values, programme)], ignore_index=True)
    grid = listed[["code", "name", "level", "parent_code"]].merge(
        pd.DataFrame({"item": items}), how="cross")
    table = grid.merge(values, on=["code", "item"], how="left")
    table.loc[table["item"] == "overall", ["target", "started", "completed"]] = np.nan
    nothing_applies = values.groupby("code")["not_applicable"].all()
    overall = table["item"] == "overall"
    table.loc[overall, "not_applicable"] = table.loc[overall, "code"].map(nothing_applies)
    table["not_applicable"] = table["not_applicable"].fillna(False).astype(bool)
    # Ranked as shown: two units both shown as 96.43 % share a rank.
    table["pct"] = table["pct"].round(2)
    table["rank"] = table.groupby("item")["pct"].rank(method="min", ascending=False)
    return table


def _stale(as_of: pd.Series, on: dt.date, interval_days: int) -> pd.Series:
    limit = (on - dt.timedelta(days=interval_days)).isoformat()
    return as_of.isna() | (as_of < limit)


def index_history(units: pd.DataFrame, progress: pd.DataFrame, programme: Programme, *,
                  code: str, dates: list[dt.date]) -> pd.DataFrame:
    """A unit's overall index on each snapshot date: ``as_of, pct``."""
    rows = []
    for day in dates:
        values = values_on(units, progress, programme, on=day)
        overall = overall_index(values[values["code"] == code], programme)
        rows.append({"as_of": day, "pct": overall["pct"].iloc[0] if len(overall) else np.nan})
    return pd.DataFrame(rows, columns=["as_of", "pct"])
