"""Service gaps: villages far from any finished site of an item.

A village can have its own item done and still be far from the next clinic
or shop that serves its neighbours; planners ask "which villages are more
than 5 km from a finished clinic?".  Distances are measured in metres in a
projected CRS, from the village's polygon (its nearest edge), never from a
point standing for it.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from geo.errors import UsageError
from geo.i18n.errors import Phrase

# Equal-area Albers for China, for sets too wide for one UTM zone.
ALBERS = "+proj=aea +lat_1=25 +lat_2=47 +lon_0=110 +datum=WGS84 +units=m +no_defs"
# Up to 12° of longitude, the UTM zone of the middle errs by < 0.7 % at the
# set's edges (6° off the central meridian at 42° N: scale 1.0026).
UTM_MAX_SPAN_DEG = 12.0
FAR_COLUMNS = ["code", "name", "parent_code", "distance_km", "site_id", "geometry"]


def villages_far_from_sites(villages: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, *,
                            item: str, km: float = 5.0,
                            crs=None) -> gpd.GeoDataFrame:
    """Villages farther than ``km`` from the nearest finished site of ``item``.

    The distance is from the village polygon to the site point: 0 for a
    village that contains a site.  It is measured in metres in one
    projected CRS for the whole set (see ``crs``), with
    ``geopandas.sjoin_nearest``.

    Parameters
    ----------
    villages
        Village units (``code``, ``name``, ``parent_code``, polygon geometry),
        in any CRS.  Not modified.
    sites
        Project sites (``site_id``, ``item``, ``status``, point geometry) as
        :meth:`geo.store.Store.sites` returns them.  Pass every site, not only
        those inside the villages' region: a clinic across the border serves
        too.  Only sites of ``item`` with status ``done`` count.
    item
        The item key (``clinics``).
    km
        The distance a village may be from a finished site, in kilometres.
    crs
        The CRS to measure in.  When None: the villages' own CRS if it is
        projected (and not Web Mercator, whose scale is 1.3–1.5 here);
        otherwise the UTM zone of the middle of the villages' extent
        (EPSG:326xx) when they span at most :data:`UTM_MAX_SPAN_DEG` of
        longitude (any league of Inner Mongolia), else the Albers equal-area
        projection for China.  Albers is not equidistant: across Inner
        Mongolia its scale is 0.965–1.035, so a 5 km distance may read as
        4.83–5.18 km.  That is acceptable for a province-wide first look —
        it moves only villages within ~180 m of the line, less than the
        spread of a site's point inside its village — and a league-by-league
        call measures to within 0.7 %.

    Returns
    -------
    GeoDataFrame
        :data:`FAR_COLUMNS` in the villages' CRS: ``distance_km`` rounded
        to 0.1 (a village at 5.04 km is listed, shown as 5.0) and the nearest
        finished site's ``site_id`` (the smallest id among equally near
        ones); farthest first, then by code.  With no finished site of
        ``item`` at all every village is returned, with ``distance_km`` NaN
        and ``site_id`` None: nobody is served.

    Raises
    ------
    UsageError
        ``km`` is negative or not a number, or a frame has no CRS.
    """
    if not isinstance(km, (int, float)) or math.isnan(km) or km < 0:
        raise UsageError(reason="km_not_a_distance", param="km", value=km)
    for what, frame in (("villages", villages), ("sites", sites)):
        if frame.crs is None:
            raise UsageError(reason="frame_without_crs", what=Phrase(f"frame_{what}"))
    keep = ["code", "name", "parent_code"]
    geometry = villages.geometry.name
    table = villages[keep + [geometry]].reset_index(drop=True)
    done = sites[(sites["item"] == item) & (sites["status"] == "done")]
    done = done[done.geometry.notna() & ~done.geometry.is_empty]
    if done.empty or table.empty:
        return _result(table.assign(distance_km=np.nan, site_id=None), geometry)
    metric = pyproj.CRS.from_user_input(crs) if crs is not None else measuring_crs(table)
    near = gpd.sjoin_nearest(
        table.to_crs(metric),
        done[["site_id", done.geometry.name]].sort_values("site_id").to_crs(metric),
        how="left", distance_col="distance_m")
    # Equally near sites (two inside one village) give one row each: keep
    # the first by id, so that the answer does not depend on row order.
    near = near.sort_values("site_id", kind="stable")
    near = near[~near.index.duplicated(keep="first")].sort_index()
    far = near["distance_m"].to_numpy() > km * 1000
    table = table.assign(distance_km=(near["distance_m"] / 1000).round(1).to_numpy(),
                         site_id=near["site_id"].to_numpy())
    return _result(table[far], geometry)


def measuring_crs(gdf: gpd.GeoDataFrame) -> pyproj.CRS:
    """A projected CRS to measure ``gdf`` in metres (see :func:`villages_far_from_sites`)."""
    crs = pyproj.CRS.from_user_input(gdf.crs)
    if crs.is_projected and crs.to_epsg() not in (3857, 900913):
        return crs
    minx, miny, maxx, maxy = gdf.to_crs("EPSG:4326").total_bounds
    if maxx - minx > UTM_MAX_SPAN_DEG:
        return pyproj.CRS.from_user_input(ALBERS)
    zone = int((((minx + maxx) / 2) + 180) // 6) + 1
    north = (miny + maxy) / 2 >= 0
    return pyproj.CRS.from_epsg((32600 if north else 32700) + zone)


def _result(table: pd.DataFrame, geometry: str) -> gpd.GeoDataFrame:
    table = table.sort_values(["distance_km", "code"], ascending=[False, True],
                              na_position="last")
    columns = FAR_COLUMNS[:-1] + [geometry]
    return gpd.GeoDataFrame(table[columns].reset_index(drop=True), geometry=geometry)
