"""Progress figures and project sites for the demo's synthetic villages.

Each county gets a pace (how much of its work is done by 2016-09-01): urban
districts nearly all, most banners and counties 84–99 %, a few clearly
behind — 固阳县 and 达尔罕茂明安联合旗 above all, as the story of the demo
needs a last-ranked unit.  Villages scatter around their county's pace; each
item then follows an S-curve over the eight semi-monthly snapshots.

Row semantics (the roll-up depends on them):

- ``count``: target, started, completed, with started ≥ completed, both
  growing from one snapshot to the next; status None.
- ``binary``: status done / in_progress / not_started, target 1, started and
  completed 0 or 1.
- ``share``: target 100, completed the per cent covered, status None.
- An item that does not apply in a village: status ``na``, numbers NaN.
- No row at all: the village did not report (stale villages after
  2016-08-01, and a few village–item pairs never).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import STORE_CRS
from geo.programme import Item, Programme

SNAPSHOT_DATES = tuple(dt.date(2016, m, d) for m, d in (
    (5, 15), (6, 1), (6, 15), (7, 1), (7, 15), (8, 1), (8, 15), (9, 1)))
_DAYS = np.array([(d - SNAPSHOT_DATES[0]).days for d in SNAPSHOT_DATES], dtype=float)
_HORIZON = _DAYS[-1]
# Counties clearly behind on 2016-09-01, with their pace.
LAGGING = {"150222": 0.60, "150223": 0.63, "150723": 0.68, "152222": 0.70,
           "150929": 0.72}
# 达拉特旗 reported 8,656 houses renovated of 8,000 planned.
OVER_COMPLETED = ("150621", "housing", 8_000, 8_656)
_FIRST_DATA_ROW = 5  # below a title, a 填报单位/截至 row and two header rows


@dataclass(frozen=True)
class ItemSpec:
    """How the demo draws one item.

    ``applies`` is the share of villages the item applies to; ``total`` the
    region's target that village targets are scaled to (count items);
    ``basis`` what a village's target grows with; ``offset`` the item's
    pace relative to the county's; ``early`` how much more of it was done
    before the first snapshot; ``sites`` how many project sites to place.
    """

    applies: float
    total: float | None = None
    basis: str = "flat"
    decimals: int = 0
    offset: float = 0.0
    early: float = 1.0
    site_word: str = "项目点"
    sites: int = 0
    investment: tuple[float, float] = (10.0, 100.0)


# Scaled to the region's figures (DESIGN.md): 520,000 unsafe houses, 1.8–2.5 M
# people without safe water, 37,220 km of streets, 5,952 clinics, 9,251
# culture rooms, 5,612 shops, 1,036 schools; investment in 万元 per site.
TEN_FULL_COVERAGE = {
    "housing": ItemSpec(0.70, 520_000, "households", 0, 0.06, 1.0, "危房改造点", 4000, (40, 400)),
    "water": ItemSpec(0.60, 2_000_000, "population", 0, 0.02, 1.0, "安全饮水工程", 2000, (20, 150)),
    "roads": ItemSpec(0.80, 37_220, "km", 1, -0.01, 0.9, "街巷硬化工程", 3300, (80, 500)),
    "power": ItemSpec(0.99, None, "flat", 0, 0.08, 1.4, "电网改造工程", 400, (30, 200)),
    "telecom": ItemSpec(0.98, None, "flat", 0, 0.05, 1.3, "广播电视通讯工程", 400, (10, 80)),
    "schools": ItemSpec(940 / 11_224, 1_036, "schools", 0, 0.0, 0.9, "校舍改造工程", 500, (100, 600)),
    "clinics": ItemSpec(5_952 / 11_224, None, "flat", 0, -0.02, 0.9, "标准化卫生室", 1600, (15, 45)),
    "culture": ItemSpec(9_251 / 11_224, None, "flat", 0, 0.0, 0.9, "文化活动室", 1800, (20, 60)),
    "shops": ItemSpec(5_612 / 11_224, None, "flat", 0, -0.04, 0.8, "便民连锁超市", 700, (5, 20)),
    "social_security": ItemSpec(1.0, None, "flat", 0, 0.0, 1.0, "互助幸福院", 300, (30, 120)),
}
# Any other programme: generic figures by measure.
_GENERIC = {
    "count": ItemSpec(0.85, None, "exit", 0, 0.0, 0.8, sites=1500),
    "binary": ItemSpec(0.95, None, "flat", 0, 0.0, 1.0, sites=1500),
    "share": ItemSpec(1.0, None, "flat", 0, 0.0, 1.0, sites=500),
}


def item_specs(programme: Programme) -> dict[str, ItemSpec]:
    """The spec of each item: scaled for ten_full_coverage, generic otherwise."""
    if programme.key == "ten_full_coverage":
        return {item.key: TEN_FULL_COVERAGE[item.key] for item in programme.items}
    return {item.key: _GENERIC[item.measure] for item in programme.items}


def demo_progress(villages: pd.DataFrame, programme: Programme, *,
                  seed: int) -> pd.DataFrame:
    """Village-level progress rows for every snapshot date.

    Parameters
    ----------
    villages
        ``code, parent_code, population, households, pastoral``.
    programme
        Whose items to report.
    seed
        The same seed gives the same figures.

    Returns
    -------
    DataFrame
        ``as_of`` (ISO text), ``unit_code, item, target, started, completed,
        status, source_row``, one row per reporting village, item and date.
    """
    villages = villages.sort_values("code").reset_index(drop=True)
    n = len(villages)
    rng = np.random.default_rng([seed, 3])
    county = villages["code"].str[:6].to_numpy()
    pace, early, spread = _paces(villages, county, rng)
    frames = []
    for item in programme.items:
        spec = item_specs(programme)[item.key]
        applies = np.zeros(n, dtype=bool)
        applies[rng.permutation(n)[: round(spec.applies * n)]] = True
        over = ((county == OVER_COMPLETED[0]) if item.key == OVER_COMPLETED[1]
                else np.zeros(n, dtype=bool))
        figures = {"count": _count_figures, "binary": _binary_figures,
                   "share": _share_figures}[item.measure](
            villages, spec, applies, (pace, early, spread), over, rng)
        frames.append(_rows(villages, item, applies, figures))
    rows = pd.concat(frames, ignore_index=True)
    return _drop_unreported(rows, villages, county, rng)


def _paces(villages, county, rng):
    """Each village's completion on 2016-09-01, the share of it done by
    05-15, and how far its items may stray from that (little in districts)."""
    codes = np.unique(county)
    kinds = dict(zip(county, villages["county_kind"]))
    c_pace, c_early = {}, {}
    for code in codes:
        if code in LAGGING:
            c_pace[code] = LAGGING[code] + rng.normal(0, 0.01)
            c_early[code] = rng.uniform(0.3, 0.5)
        elif kinds[code] == "district":
            c_pace[code] = rng.uniform(0.97, 1.0)
            c_early[code] = rng.uniform(0.8, 0.95)
        else:
            c_pace[code] = 0.84 + 0.15 * rng.beta(3, 1.5)
            c_early[code] = rng.uniform(0.45, 0.75)
    towns = villages["parent_code"].to_numpy()
    t_codes, t_index = np.unique(towns, return_inverse=True)
    town_effect = rng.normal(0, 0.035, len(t_codes))[t_index]
    spread = np.where(villages["county_kind"].to_numpy() == "district", 0.1, 1.0)
    noise = spread * (town_effect + rng.normal(0, 0.05, len(county)))
    pace = np.clip(np.array([c_pace[c] for c in county]) + noise, 0.2, 1.0)
    early = np.clip(np.array([c_early[c] for c in county])
                    + rng.normal(0, 0.08, len(county)), 0.05, 1.0)
    return pace, early, spread


def _s_curves(n: int, rng) -> np.ndarray:
    """Monotone curves from 0 on the first date to 1 on the last, (n, dates)."""
    mid = rng.uniform(10, 95, n)[:, None]
    width = rng.uniform(8, 20, n)[:, None]
    raw = 1 / (1 + np.exp(-(_DAYS[None, :] - mid) / width))
    return (raw - raw[:, :1]) / (raw[:, -1:] - raw[:, :1])


def _targets(villages, spec: ItemSpec, applies, over, rng) -> np.ndarray:
    """Village targets (in units of 10^-decimals) adding up to the region's."""
    n = len(villages)
    if spec.basis == "schools":
        target = np.zeros(n)
        idx = np.flatnonzero(applies)
        target[idx] = 1
        target[rng.choice(idx, size=int(spec.total) - len(idx), replace=False)] = 2
        return target
    if spec.basis == "exit":
        return np.where(applies, rng.integers(1, 61, n), 0).astype(float)
    raw = {"households": villages["households"].to_numpy() * rng.uniform(0.05, 0.35, n),
           "population": villages["population"].to_numpy() * rng.uniform(0.1, 0.6, n),
           "km": rng.lognormal(np.log(3.5), 0.5, n)
           * np.sqrt(villages["population"].to_numpy() / 1000),
           "flat": np.ones(n)}[spec.basis]
    scale = 10 ** spec.decimals
    target = np.zeros(n)
    groups = [(applies & over, OVER_COMPLETED[2] * scale)] if over.any() else []
    rest_total = spec.total * scale - sum(t for _, t in groups)
    groups.append((applies & ~over, rest_total))
    for mask, total in groups:
        target[mask] = apportion(raw[mask], int(total))
    return target


def apportion(weights: np.ndarray, total: int) -> np.ndarray:
    """Whole numbers ≥ 1 in proportion to ``weights`` that add up to ``total``."""
    share = weights / weights.sum() * (total - len(weights))
    whole = np.floor(share)
    spare = int(total - len(weights) - whole.sum())
    whole[np.argsort(-(share - whole), kind="stable")[:spare]] += 1
    return whole + 1


def _count_figures(villages, spec, applies, paces, over, rng):
    n = len(villages)
    pace, early, spread = paces
    target = _targets(villages, spec, applies, over, rng)
    final = np.clip(pace + spread * (spec.offset + rng.normal(0, 0.05, n)), 0.05, 1.0)
    final[over] = np.clip(rng.normal(1.08, 0.05, over.sum()), 0.95, 1.25)
    start = np.clip(early * spec.early, 0, 1)[:, None]
    done = final[:, None] * (start + (1 - start) * _s_curves(n, rng))
    begun = np.minimum(np.maximum(final, 1.0)[:, None],
                       done + rng.uniform(0.02, 0.2, n)[:, None])
    # One dither per village keeps rounding unbiased and the series monotone.
    dither = rng.random(n)[:, None]
    completed = np.floor(target[:, None] * done + dither)
    started = np.floor(target[:, None] * begun + dither)
    if over.any():
        _hit_total(completed, over & applies, OVER_COMPLETED[3] * 10 ** spec.decimals)
        started[:, -1] = np.maximum(started[:, -1], completed[:, -1])
    scale = 10.0 ** spec.decimals
    return target / scale, started / scale, completed / scale, None


def _hit_total(completed: np.ndarray, mask: np.ndarray, total: int) -> None:
    """Nudge the last snapshot of ``mask`` villages to add up to ``total``."""
    idx = np.flatnonzero(mask)
    diff = int(total - completed[idx, -1].sum())
    # Only where the last figure stays ≥ the one before: the series stays monotone.
    room = idx if diff > 0 else idx[completed[idx, -1] > completed[idx, -2]]
    step = np.sign(diff)
    for k in range(abs(diff)):
        completed[room[k % len(room)], -1] += step


def _binary_figures(villages, spec, applies, paces, over, rng):
    n = len(villages)
    pace, early, spread = paces
    done_final = rng.random(n) < np.clip(pace + spread * spec.offset, 0, 1)
    done_early = done_final & (rng.random(n) < np.clip(early * spec.early, 0, 1))
    done_day = np.where(done_early, -rng.uniform(1, 700, n),
                        np.where(done_final, 1 + (_HORIZON - 1) * rng.beta(2, 1.6, n),
                                 np.inf))
    going = rng.random(n) < 0.7
    start_day = np.where(done_final, done_day - rng.uniform(10, 75, n),
                         np.where(going, rng.uniform(-120, _HORIZON - 5, n), np.inf))
    days = _DAYS[None, :]
    status = np.where(done_day[:, None] <= days, "done",
                      np.where(start_day[:, None] <= days, "in_progress", "not_started"))
    started = (status != "not_started").astype(float)
    completed = (status == "done").astype(float)
    return np.ones(n), started, completed, status


def _share_figures(villages, spec, applies, paces, over, rng):
    n = len(villages)
    pace = paces[0]
    final = np.clip(100 * (0.55 + 0.45 * pace) + rng.normal(0, 3, n), 60, 100)
    start = rng.uniform(0.85, 0.97, n)[:, None]
    covered = np.floor(10 * final[:, None] * (start + (1 - start) * _s_curves(n, rng))) / 10
    return np.full(n, 100.0), np.full(covered.shape, np.nan), covered, None


def _rows(villages, item: Item, applies, figures) -> pd.DataFrame:
    target, started, completed, status = figures
    n, dates = started.shape
    na = ~applies
    if status is None:
        status = np.full((n, dates), None, dtype=object)
    status = np.where(na[:, None], "na", status).astype(object)
    nan_if_na = lambda a: np.where(na[:, None], np.nan, a)  # noqa: E731
    return pd.DataFrame({
        "as_of": np.repeat([d.isoformat() for d in SNAPSHOT_DATES], n),
        "unit_code": np.tile(villages["code"].to_numpy(), dates),
        "item": item.key,
        "target": nan_if_na(np.broadcast_to(target[:, None], (n, dates))).T.ravel(),
        "started": nan_if_na(started).T.ravel(),
        "completed": nan_if_na(completed).T.ravel(),
        "status": status.T.ravel(),
        "source_row": np.tile(_FIRST_DATA_ROW + np.arange(n), dates),
    })


def _drop_unreported(rows, villages, county, rng) -> pd.DataFrame:
    """Stop a few villages reporting after 08-01; leave 20 items never reported."""
    eligible = ~np.isin(county, [OVER_COMPLETED[0], *LAGGING])
    towns = np.unique(villages["parent_code"].to_numpy()[eligible])
    quiet_towns = rng.choice(towns, size=2, replace=False)
    stale = set(villages["code"][villages["parent_code"].isin(quiet_towns)])
    stale |= set(rng.choice(villages["code"].to_numpy()[eligible], 12, replace=False))
    late = rows["as_of"] > SNAPSHOT_DATES[5].isoformat()
    rows = rows[~(late & rows["unit_code"].isin(stale))]
    applicable = rows[(rows["status"] != "na") & ~rows["unit_code"].isin(stale)
                      & rows["unit_code"].str[:6].isin(county[eligible])]
    pairs = applicable[["unit_code", "item"]].drop_duplicates()
    never = pairs.iloc[np.sort(rng.choice(len(pairs), 20, replace=False))]
    key = rows["unit_code"] + "/" + rows["item"]
    rows = rows[~key.isin(never["unit_code"] + "/" + never["item"])]
    return rows.sort_values(["as_of", "source_row"], kind="stable").reset_index(drop=True)


def demo_sites(villages: gpd.GeoDataFrame, snapshots: pd.DataFrame,
               programme: Programme, *, seed: int) -> gpd.GeoDataFrame:
    """Project sites, each a point in its village, in step with its progress.

    Returns
    -------
    GeoDataFrame
        :data:`geo.store.SITE_COLUMNS` less ``import_id``, Point geometry in
        EPSG:4326.  A site's status is its village's on its last report.
    """
    rng = np.random.default_rng([seed, 4])
    specs = item_specs(programme)
    history = _site_history(snapshots, programme)
    by_code = villages.set_index("code")
    chosen = []
    for item in programme.items:
        spec = specs[item.key]
        pool = history[history["item"] == item.key]
        k = min(spec.sites, len(pool))
        chosen.append(pool.iloc[np.sort(rng.choice(len(pool), k, replace=False))]
                      .assign(word=spec.site_word if spec.site_word != "项目点"
                              else item.short_zh + "项目点",
                              low=spec.investment[0], high=spec.investment[1]))
    sites = pd.concat(chosen, ignore_index=True).sort_values(
        ["unit_code", "order"], kind="stable").reset_index(drop=True)
    n = len(sites)
    first, last = pd.Timestamp(SNAPSHOT_DATES[0]), pd.Timestamp(SNAPSHOT_DATES[-1])
    began = pd.to_datetime(sites["began"])
    # Work seen on the first snapshot began weeks to years before it;
    # work not begun by the last one is planned for the weeks after.
    lead = np.where(began <= first, rng.uniform(60, 600, n), rng.uniform(1, 14, n))
    start = began - pd.to_timedelta(np.round(lead), unit="D")
    planned = sites["status"] == "not_started"
    start = start.where(~planned, last + pd.to_timedelta(
        np.round(rng.uniform(5, 40, n)), unit="D"))
    ended = pd.to_datetime(sites["ended"])
    span = (ended - start).dt.days.to_numpy(dtype=float)
    back = np.where(ended <= first, rng.uniform(0.1, 0.7, n) * span,
                    np.minimum(rng.uniform(0, 14, n), span))
    end = ended - pd.to_timedelta(np.floor(np.nan_to_num(back)), unit="D")
    done = sites["status"] == "done"
    investment = np.exp(rng.uniform(np.log(sites["low"]), np.log(sites["high"])))
    geoms = by_code.loc[sites["unit_code"], "geometry"].to_numpy()
    return gpd.GeoDataFrame({
        "site_id": [f"S{i:06d}" for i in range(1, n + 1)],
        "name": by_code.loc[sites["unit_code"], "name"].to_numpy() + sites["word"],
        "item": sites["item"], "status": sites["status"],
        "start_date": start.dt.strftime("%Y-%m-%d"),
        "end_date": end.dt.strftime("%Y-%m-%d").where(done, None),
        "investment": np.round(investment, 1),
        "unit_code": sites["unit_code"],
    }, geometry=points_in(geoms, rng), crs=STORE_CRS)


def _site_history(snapshots: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    """Per applicable village and item: last status, first start and done dates."""
    rows = snapshots[snapshots["status"].fillna("") != "na"].copy()
    measure = rows["item"].map({i.key: i.measure for i in programme.items})
    rows["is_started"] = (rows["started"] > 0) | (rows["completed"] > 0)
    rows["is_done"] = np.where(measure == "share", rows["completed"] >= 95,
                               rows["completed"] >= rows["target"])
    rows["state"] = np.where(rows["is_done"], "done",
                             np.where(rows["is_started"], "in_progress", "not_started"))
    grouped = rows.groupby(["unit_code", "item"], sort=True)
    out = grouped["state"].last().rename("status").to_frame()
    out["began"] = rows[rows["is_started"]].groupby(["unit_code", "item"])["as_of"].min()
    out["ended"] = rows[rows["is_done"]].groupby(["unit_code", "item"])["as_of"].min()
    out = out.reset_index()
    out["began"] = out["began"].fillna(out["ended"]).fillna(SNAPSHOT_DATES[-1].isoformat())
    out["order"] = out["item"].map({k: i for i, k in enumerate(programme.item_keys)})
    return out


def points_in(geoms: np.ndarray, rng: np.random.Generator, tries: int = 40) -> np.ndarray:
    """One random point inside each polygon (its point on surface if unlucky)."""
    geoms = np.asarray(geoms)
    shapely.prepare(geoms)
    bounds = shapely.bounds(geoms)
    out = shapely.point_on_surface(geoms)
    todo = np.arange(len(geoms))
    for _ in range(tries):
        if not len(todo):
            break
        lo, hi = bounds[todo, :2], bounds[todo, 2:]
        xy = lo + (hi - lo) * rng.random((len(todo), 2))
        hit = shapely.contains_xy(geoms[todo], xy[:, 0], xy[:, 1])
        out[todo[hit]] = shapely.points(xy[hit])
        todo = todo[~hit]
    return out
