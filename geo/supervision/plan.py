"""Plan a supervision round (督导): which villages each county's team visits, in what order.

:func:`plan_round` draws a reproducible sample (the same seed, the same list):

1. **Allocation.** ``per_county`` villages for every county (``even``), or the same
   total shared out toward the lagging counties (``lag``: each county keeps half its
   even share, the rest goes in proportion to each county's distance from 100 %).
2. **Named villages first.** Villages to include (the last round's unverified
   problems, a list given) are in the plan whatever the draw; they count toward
   their county's share, and are kept even beyond it.
3. **Stratified by township.** The rest of a county's share is spread over its
   townships in proportion to their villages, so no township is skipped by chance.
4. **Spread over rounds.** Inside a township, villages never visited before are
   drawn first; once every village has been visited, the least visited.  With
   ``weight="lagging"`` the draw favours villages with more items missing.
5. **Visiting order.** Each county's team starts from the centre of its villages and
   goes to the nearest village not yet visited; then any stretch whose reversal
   shortens the way is reversed (2-opt), so the route does not cross itself.
   Distances in metres on a local projection (UTM).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer

from geo.errors import UsageError

PLAN_COLUMNS = ["team", "seq", "county_code", "county", "township", "code", "name",
                "reason", "lag", "times_visited", "leg_m", "lon", "lat"]
REASONS = {"open_problem": ("有未销号问题", "unverified problem"),
           "named": ("指定必查", "named"),
           "never_visited": ("从未督导", "never visited"),
           "sampled": ("随机抽取", "drawn")}


@dataclass(frozen=True)
class RoundPlan:
    """A round's villages (:data:`PLAN_COLUMNS`, by team and visiting order) and the
    share of each county (``code, name, villages, pct, allocated, included``)."""

    villages: pd.DataFrame
    allocation: pd.DataFrame
    seed: int
    approximate: int = 0
    """How many of the plan's villages are placed approximately (no boundary): their
    route and distances are only indicative."""


def plan_round(villages: gpd.GeoDataFrame, counties: pd.DataFrame, *, per_county: int,
               allocate: str = "even", weight: str | None = None,
               include: dict[str, str] | None = None,
               visited: dict[str, int] | None = None, seed: int = 0) -> RoundPlan:
    """Draw a round's villages (module docstring).

    Parameters
    ----------
    villages
        One row per village of the region: ``code, name, county_code, township``
        (a township's name or code), ``lag`` (0–1, the share of applicable items
        missing; missing when unknown) and geometry (EPSG:4326).
    counties
        ``code, name`` and ``pct``, the overall completion (0–100; missing when
        unknown), in the order teams are numbered.
    include
        Village code → reason (``open_problem`` or ``named``): always in the plan.
    visited
        Village code → how many earlier rounds visited it.

    Raises
    ------
    UsageError
        ``per_county`` below 1, or an unknown ``allocate`` or ``weight``.
    """
    if per_county < 1:
        raise UsageError(reason="per_county_too_small", param="per_county", value=per_county)
    if allocate not in ("even", "lag"):
        raise UsageError(reason="unknown_allocation", param="allocate", value=allocate)
    if weight not in (None, "lagging"):
        raise UsageError(reason="unknown_weight", param="weight", value=weight)
    include, visited = include or {}, visited or {}
    rng = np.random.default_rng(seed)
    # In code order: the same seed gives the same list whatever order the rows came in.
    villages = villages.sort_values("code", kind="stable")
    missing = villages.loc[villages.geometry.isna() | villages.geometry.is_empty, "code"]
    if len(missing):
        raise UsageError(reason="villages_without_boundary", param="region",
                         count=len(missing), codes=[str(c) for c in missing[:5]])
    approximate_codes = (villages.loc[villages["approximate"].astype(bool), "code"]
                         if "approximate" in villages else [])
    # Plain rows with a point each: a GeoDataFrame's every selection costs far more.
    points = villages.geometry.representative_point().to_crs(4326)
    villages = pd.DataFrame(villages.drop(columns=villages.geometry.name)).assign(
        lon=points.x.to_numpy(), lat=points.y.to_numpy(),
        township=villages["township"].fillna("").astype(str).to_numpy())
    sizes = villages.groupby("county_code").size()
    allocation = counties[["code", "name", "pct"]].assign(
        villages=counties["code"].map(sizes).fillna(0).astype(int))
    allocation["allocated"] = _allocate(allocation, per_county, allocate)
    chosen = []
    by_county = dict(tuple(villages.groupby("county_code", sort=False)))
    for county in allocation.itertuples():
        pool = by_county.get(county.code, villages.iloc[:0])
        named = pool[pool["code"].isin(include)]
        drawn = _draw(pool[~pool["code"].isin(include)],
                      max(county.allocated - len(named), 0), rng=rng, weight=weight,
                      visited=visited)
        picked = pd.concat([named.assign(reason=named["code"].map(include)), drawn])
        if len(picked):                        # a county with nothing to visit has no team
            chosen.append(_in_visiting_order(picked, team=f"第{len(chosen) + 1}组"))
    plan = pd.concat(chosen, ignore_index=True) if chosen else pd.DataFrame(
        columns=PLAN_COLUMNS)
    plan["county"] = plan["county_code"].map(allocation.set_index("code")["name"])
    plan["times_visited"] = plan["code"].map(visited).fillna(0).astype(int)
    allocation["included"] = allocation["code"].map(
        plan[plan["reason"].isin(["open_problem", "named"])].groupby("county_code").size()
    ).fillna(0).astype(int)
    placed = set(approximate_codes)
    return RoundPlan(plan[PLAN_COLUMNS], allocation[["code", "name", "villages", "pct",
                                                     "allocated", "included"]], seed,
                     approximate=int(plan["code"].isin(placed).sum()))


def _allocate(counties: pd.DataFrame, per_county: int, allocate: str) -> list[int]:
    """Villages per county: ``per_county`` each, or the same total toward the lagging."""
    cap = counties["villages"].to_numpy()
    if allocate == "even":
        return list(np.minimum(per_county, cap))
    total = min(per_county * len(counties), int(cap.sum()))
    # Distance from 100 %; a county with no figures counts as the average one.
    gap = (100 - counties["pct"].astype(float).clip(upper=100)).to_numpy()
    gap = np.where(np.isnan(gap), np.nanmean(gap) if np.isfinite(gap).any() else 1.0, gap)
    # Half the even share stays with every county: none goes unchecked.
    base = np.minimum(max(per_county // 2, 1), cap)
    share = base.copy()
    while share.sum() < total:
        room = share < cap
        wants = np.where(room, gap + 1e-9, 0.0)
        # What each county is owed of the rest, against what it got: the most owed next.
        owed = wants / wants.sum() * (total - base.sum()) - (share - base)
        share[np.argmax(np.where(room, owed, -np.inf))] += 1
    return list(share)


def _draw(pool: pd.DataFrame, n: int, *, rng, weight, visited) -> pd.DataFrame:
    """``n`` villages of ``pool``, stratified by township, the least visited first."""
    if n <= 0 or pool.empty:
        return pool.iloc[:0].assign(reason=[])
    n = min(n, len(pool))
    sizes = pool["township"].value_counts().sort_index()
    unseen = (pool.assign(unseen=~pool["code"].isin(visited))
              .groupby("township")["unseen"].sum().reindex(sizes.index))
    quotas = _township_quotas(sizes, n, unseen=unseen, rng=rng)
    picked = []
    townships = dict(tuple(pool.groupby("township", sort=False)))
    for township, quota in quotas.items():
        here = townships[township]
        times = here["code"].map(visited).fillna(0).to_numpy()
        lag = here["lag"].astype(float).fillna(here["lag"].astype(float).mean()).fillna(0)
        odds = (1 + 4 * lag.to_numpy()) if weight == "lagging" else np.ones(len(here))
        order = []
        # The never (least) visited first: over rounds, every village comes up.
        for level in np.unique(times):
            at = np.flatnonzero(times == level)
            k = min(quota - len(order), len(at))
            if k <= 0:
                break
            p = odds[at] / odds[at].sum()
            order += list(rng.choice(at, size=k, replace=False, p=p))
        rows = here.iloc[order]
        picked.append(rows.assign(reason=np.where(times[order] == 0, "never_visited",
                                                  "sampled")))
    return pd.concat(picked)


def _township_quotas(sizes: pd.Series, n: int, *, unseen: pd.Series, rng) -> pd.Series:
    """``n`` spread over townships in proportion to their villages (largest remainders),
    never more than a township has.  Among equal remainders (a county of many small
    townships) the places left go to the townships with more villages never visited,
    then by lot — not always to the first by name, which would leave the others out
    round after round."""
    exact = sizes / sizes.sum() * n
    quota = np.floor(exact).astype(int).clip(upper=sizes)
    lot = pd.Series(rng.random(len(sizes)), index=sizes.index)
    while quota.sum() < n:
        room = quota < sizes
        remainder = (exact - quota).round(9).where(room, -np.inf)
        best = remainder[remainder == remainder.max()].index
        ranked = pd.DataFrame({"unseen": unseen[best], "lot": lot[best]})
        quota[ranked.sort_values(["unseen", "lot"], ascending=False).index[0]] += 1
    return quota[quota > 0]


def _in_visiting_order(picked: pd.DataFrame, *, team: str) -> pd.DataFrame:
    """The county's villages nearest-next from their centre, each leg in metres."""
    if picked.empty:
        return picked.assign(team=[], seq=[], leg_m=[])
    xy = np.column_stack(_metres(picked["lon"].to_numpy(), picked["lat"].to_numpy()))
    start = xy.mean(axis=0)
    here, left, order = start, list(range(len(xy))), []
    while left:
        nearest = int(np.argmin(np.hypot(*(xy[left] - here).T)))
        here = xy[left[nearest]]
        order.append(left.pop(nearest))
    order = _untangled(order, xy, start)
    path = np.vstack([start, xy[order]])
    legs = np.hypot(*np.diff(path, axis=0).T)
    ordered = picked.iloc[order]
    return pd.DataFrame({
        "team": team, "seq": range(1, len(order) + 1),
        "county_code": ordered["county_code"].to_numpy(),
        "township": ordered["township"].to_numpy(), "code": ordered["code"].to_numpy(),
        "name": ordered["name"].to_numpy(), "reason": ordered["reason"].to_numpy(),
        "lag": ordered["lag"].to_numpy(), "leg_m": np.round(legs).astype(int),
        "lon": ordered["lon"].round(6).to_numpy(), "lat": ordered["lat"].round(6).to_numpy()})


def _metres(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points in metres, in the UTM zone of their middle (north of the equator)."""
    zone = int((float(np.mean(lon)) + 180) // 6) + 1
    to_utm = Transformer.from_crs(4326, 32600 + zone, always_xy=True)
    return to_utm.transform(lon, lat)


def _untangled(order: list[int], xy: np.ndarray, start: np.ndarray,
               passes: int = 50) -> list[int]:
    """The nearest-next route with its crossings undone (2-opt): a stretch of it is
    reversed wherever that makes the whole way shorter, until none does (or after
    ``passes`` sweeps).  Only the two edges a reversal changes are compared."""
    points = np.vstack([start, xy])                     # 0 is the start, then the villages
    d = np.hypot(*(points[:, None, :] - points[None, :, :]).transpose(2, 0, 1))
    route = [0] + [i + 1 for i in order]
    for _ in range(passes):
        shorter = False
        for i in range(1, len(route) - 1):
            for k in range(i + 1, len(route)):
                a, b, c = route[i - 1], route[i], route[k]
                after = d[b, route[k + 1]] - d[c, route[k + 1]] if k + 1 < len(route) else 0
                if d[a, c] - d[a, b] + after < -1e-6:
                    route[i:k + 1] = route[i:k + 1][::-1]
                    shorter = True
        if not shorter:
            break
    return [i - 1 for i in route[1:]]
