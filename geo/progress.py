"""Progress maths: figures on a date, roll-up, completion, rank, staleness.

The rules are DESIGN.md's.  The value of a unit on date D is the newer of
its own latest report on or before D and the roll-up of its children's
values on D; on the same date its own report wins and the difference is
kept as ``disagreement``.  Everything is relative to D, never to the clock.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from geo.programme import LEVELS, Programme

SUMMARY_COLUMNS = ["code", "name", "level", "parent_code", "item", "target",
                   "started", "completed", "pct", "as_of", "rank", "movement",
                   "source", "stale", "disagreement", "children_reported",
                   "children_missing", "not_applicable"]
_SUMS = ["target", "started", "completed", "weight", "weighted_pct"]


def data_date(snapshot_dates: list[dt.date], programme: Programme) -> dt.date:
    """The data's date when none is asked for: the latest date with progress figures,
    the programme's start when there are none — never the wall clock."""
    return snapshot_dates[-1] if snapshot_dates else programme.start


def latest_reports(progress: pd.DataFrame, *, on: dt.date) -> pd.DataFrame:
    """Each unit's latest report of each item on or before ``on``.

    For one unit, item and date the latest import wins: it is a correction.
    """
    rows = progress[progress["as_of"] <= on.isoformat()]
    # Integer keys: sorting and de-duplicating strings is what made this slow.
    day = pd.factorize(rows["as_of"], sort=True)[0].astype(np.int64)
    order = np.lexsort((rows["import_id"].to_numpy(dtype=np.int64), day))
    unit = pd.factorize(rows["unit_code"])[0].astype(np.int64)
    item = pd.factorize(rows["item"])[0].astype(np.int64)
    key = pd.Series((unit * 1024 + item)[order])
    return rows.iloc[order[~key.duplicated(keep="last").to_numpy()]]


def values_on(units: pd.DataFrame, progress: pd.DataFrame, programme: Programme,
              *, on: dt.date) -> pd.DataFrame:
    """The value of every unit and item on ``on``, rolled up level by level.

    Parameters
    ----------
    units
        ``code, level, parent_code, population`` of every unit in the store.
    progress
        Reported figures (``as_of`` ISO text, ``unit_code, item, target,
        started, completed, status, import_id``).
    programme
        Says how each item is measured.
    on
        The date D.

    Returns
    -------
    DataFrame
        One row per unit and item that has a value: ``code, item, target,
        started, completed, pct, as_of, source, disagreement,
        children_reported, children_missing``.
    """
    measures = {item.key: item.measure for item in programme.items}
    shares = {item.key: item.target_share for item in programme.items}
    by_code = units.set_index("code")
    level_of = by_code["level"]
    parent_of = by_code["parent_code"]
    # The level of each unit's parent: children at any depth roll up into it.
    parent_level = parent_of.map(level_of)
    children_count = units.groupby("parent_code").size()
    own = _as_sums(latest_reports(progress, on=on), measures, by_code["population"])
    own_level = own["code"].map(level_of)
    done: list[pd.DataFrame] = []
    for level in reversed(LEVELS):
        below = [frame[frame["code"].map(parent_level).eq(level)] for frame in done]
        below = pd.concat(below) if below else own.iloc[:0]
        rolled = _roll_up(below, parent_of, children_count)
        done.append(_choose(own[own_level.eq(level)], rolled))
    values = pd.concat(done, ignore_index=True)
    values["pct"] = _pct(values, measures, shares)
    return values


def _as_sums(reports: pd.DataFrame, measures: dict, population: pd.Series) -> pd.DataFrame:
    """Reports as additive sums, so that a roll-up is a plain sum.

    A share item becomes a population weight and weight × per cent.
    """
    frame = reports.rename(columns={"unit_code": "code"})[
        ["code", "item", "as_of", "target", "started", "completed", "status"]
    ].copy()
    frame = frame[frame["item"].isin(measures)]
    is_share = frame["item"].map(measures).eq("share")
    # A target of 0 means nothing to do here: not applicable, like "—".
    not_applicable = frame["status"].eq("na") | (~is_share & frame["target"].le(0))
    weight = frame["code"].map(population).astype(float)
    weight = weight.where(weight > 0, 1.0)
    share_pct = frame["completed"] / frame["target"] * 100
    frame["weight"] = np.where(is_share & share_pct.notna(), weight, np.nan)
    frame["weighted_pct"] = frame["weight"] * share_pct
    frame.loc[is_share, ["target", "started", "completed"]] = np.nan
    # Work done against no target cannot be weighed: it would inflate the
    # parent's completion (5 done of nothing + 5 of 10 is not 100 %).
    no_target = ~is_share & frame["target"].isna()
    frame.loc[no_target, ["started", "completed"]] = np.nan
    frame["not_applicable"] = not_applicable
    frame.loc[not_applicable, _SUMS] = np.nan
    frame["source"] = "reported"
    return frame.drop(columns="status")


def _roll_up(children: pd.DataFrame, parent_of: pd.Series,
             children_count: pd.Series) -> pd.DataFrame:
    if children.empty:
        return children.assign(children_reported=pd.Series(dtype=float))
    # Codes as plain text: a categorical code (as the progress table may hold it) maps
    # to a categorical parent, and its counts would not subtract.
    parents = children["code"].astype(object).map(parent_of).astype(object)
    grouped = children.assign(code=parents).groupby(["code", "item"], sort=False)
    rolled = grouped[_SUMS].sum(min_count=1)
    rolled["as_of"] = grouped["as_of"].max()
    rolled["not_applicable"] = grouped["not_applicable"].all()
    rolled["children_reported"] = grouped.size()
    rolled = rolled.reset_index()
    rolled["children_missing"] = rolled["code"].map(children_count) - rolled["children_reported"]
    rolled["source"] = "rolled_up"
    return rolled


def _choose(own: pd.DataFrame, rolled: pd.DataFrame) -> pd.DataFrame:
    """Own report or roll-up, whichever is newer; own wins on the same date."""
    if rolled.empty:
        return own.assign(disagreement=np.nan, children_reported=np.nan,
                          children_missing=np.nan)
    both = own.merge(rolled, on=["code", "item"], how="outer",
                     suffixes=("", "_rolled"), indicator=True)
    use_own = both["_merge"].eq("left_only") | (
        both["_merge"].eq("both") & (both["as_of"] >= both["as_of_rolled"])
    )
    chosen = both.copy()
    for column in _SUMS + ["as_of", "not_applicable", "source"]:
        chosen[column] = both[column].where(use_own, both[f"{column}_rolled"])
    own_pct = both["weighted_pct"] / both["weight"]
    rolled_pct = both["weighted_pct_rolled"] / both["weight_rolled"]
    chosen["disagreement"] = np.where(
        both["_merge"].eq("both") & use_own,
        (both["completed"] - both["completed_rolled"]).fillna(own_pct - rolled_pct),
        np.nan,
    )
    return chosen[["code", "item", "as_of", *_SUMS, "not_applicable", "source",
                   "disagreement", "children_reported", "children_missing"]]


def _pct(values: pd.DataFrame, measures: dict, shares: dict) -> pd.Series:
    """Completion per cent; a share item's is its share over the share that counts as done."""
    is_share = values["item"].map(measures).eq("share")
    count_pct = (values["completed"] / values["target"].where(values["target"] > 0)) * 100
    done_at = values["item"].map(shares).astype(float)
    share_pct = values["weighted_pct"] / values["weight"] / done_at * 100
    pct = count_pct.where(~is_share, share_pct)
    return pct.where(~values["not_applicable"].astype(bool))


def overall_index(values: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    """The weighted mean of each unit's item completions, each capped at 100 %.

    Items that do not apply, or have no figure, drop out and the weights of
    the rest are renormalised.
    """
    weights = {item.key: item.weight for item in programme.items}
    frame = values[values["pct"].notna()].assign(
        weight_=lambda f: f["item"].map(weights).astype(float),
        capped=lambda f: f["pct"].clip(upper=100),
        reported=lambda f: f["source"].eq("reported"),
    )
    frame = frame[frame["weight_"] > 0]
    grouped = frame.assign(product=frame["capped"] * frame["weight_"]).groupby("code")
    result = pd.DataFrame({
        "pct": grouped["product"].sum() / grouped["weight_"].sum(),
        "as_of": grouped["as_of"].max(),
        "source": grouped["reported"].all().map({True: "reported", False: "rolled_up"}),
    }).reset_index()
    result["item"] = "overall"
    return result
