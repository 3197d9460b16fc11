"""Project sites: the points a map shows, from the tables offices keep.

Site lists arrive as xlsx/xls/csv with 经度/纬度 columns under a title row,
or as point files; dates and amounts are written every which way.
Coordinates that cannot be a place in China stop the file; unreadable dates
and amounts only warn.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import crs as gcrs
from geo.errors import InputError
from geo.i18n.errors import Sentence
from geo.io import VECTOR_FORMATS, read_vector
from geo.io_fields import cell_text, code_text, text_column
from geo.ledger.sheets import read_grid

_SITE_FIELDS = {
    "name": ("项目名称", "名称", "站点名称", "项目", "name"),
    "item_text": ("项目类别", "类别", "项目类型", "类型", "建设内容", "建设项目", "item", "category"),
    "status_text": ("状态", "建设状态", "项目状态", "进度", "进展", "status"),
    "start_date": ("开工日期", "开工时间", "开始日期", "start", "start_date"),
    "end_date": ("完工日期", "竣工日期", "完工时间", "竣工时间", "end", "end_date"),
    "investment": ("投资", "投资额", "总投资", "完成投资", "investment"),
    "village_name": ("所在村", "嘎查村", "行政村", "村名", "村", "village", "village_name"),
    "village_code": ("村代码", "行政区划代码", "区划代码", "村编码", "village_code"),
}
_LON, _LAT = ("经度", "东经", "lon", "lng", "long", "longitude"), ("纬度", "北纬", "lat", "latitude")
# X/Y may be lon/lat or Gauss-Krüger metres, and Chinese surveyors call the
# northing X: which is which is read from the values, not the header.
_X, _Y = ("x", "x坐标", "横坐标", "东坐标", "easting"), ("y", "y坐标", "纵坐标", "北坐标", "northing")
_TABLES = (".xlsx", ".xlsm", ".xls", ".csv", ".txt")
_DMS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[°度]\s*(?:(\d+(?:\.\d+)?)\s*['′分])?"
                  r"\s*(?:(\d+(?:\.\d+)?)\s*(?:\"|″|''|秒))?\s*[NSEW北南东西]?\s*$")


@dataclass
class SiteFile:
    """Project sites read from a table or point file (see :func:`read_sites`)."""

    sites: gpd.GeoDataFrame
    warnings: list[str] = field(default_factory=list)


def read_sites(path, *, encoding=None, crs=None, sheet=None) -> SiteFile:
    """Read project sites from xlsx/xls/csv with 经度/纬度 columns, or a point file.

    Parameters
    ----------
    path
        A table (``.xlsx``, ``.xls``, ``.csv`` in UTF-8, UTF-8 with BOM or
        GBK) whose header — under any title rows — names 经度/纬度 (or
        lon/lat, X/Y), or a GeoJSON/GeoPackage/Shapefile of points.
    encoding
        Text encoding of a csv or shapefile; default: detected.
    crs
        CRS of the coordinates (``--crs``; ``"GCJ-02"`` for amap picks);
        default lon/lat CGCS2000, or detected from X/Y metres.
    sheet
        Worksheet name; default the first.

    Returns
    -------
    SiteFile
        ``sites`` has name, item_text, status_text, start_date, end_date,
        investment (万元), village_name, village_code, source_row (as a
        person finds the row) and a Point geometry in EPSG:4326.

    Raises
    ------
    InputError
        One error for every bad coordinate: the first names its row and
        column, ``details`` lists the others.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in VECTOR_FORMATS:
        return _sites_from_points(path, encoding=encoding, crs=crs)
    if suffix not in _TABLES:
        raise InputError(reason="unknown_sites_suffix" if suffix else "no_sites_suffix",
                         param="file", value=suffix, file=path.name,
                         expected=list(_TABLES + tuple(VECTOR_FORMATS)))
    if not path.exists():
        raise InputError(reason="no_such_file", param="file", file=path.name)
    file, rows = path.name, _table_rows(path, sheet=sheet, encoding=encoding)
    at, header, keys, pair = _find_header(rows, file)
    cols = {f: next((keys.index(c.lower()) for c in cands if c.lower() in keys), None)
            for f, cands in _SITE_FIELDS.items()}
    names = [str(header[i]).strip() for i in pair]
    lonlat = keys[pair[0]] in _LON
    source = gcrs.crs_name(crs) if crs else None
    # Degrees can be checked cell by cell, naming the column; metres only after projecting.
    check_cells = lonlat and source in (None, "GCJ-02", "EPSG:4490", "EPSG:4326")
    records, problems, warnings = [], [], []
    for number, values in rows[at + 1:]:
        cell = lambda i: values[i] if i is not None and i < len(values) else None  # noqa: E731
        if all(cell_text(v) is None for v in values):
            continue
        xy = [_coordinate(cell(i)) for i in pair]
        label = cell_text(cell(cols["name"])) or ""
        if re.search("合计|小计|总计", label) and xy == [None, None]:
            warnings.append(Sentence("warn_total_row_not_site", row=number))
            continue
        for name, value, raw in zip(names, xy, (cell(i) for i in pair)):
            if value is None:
                empty = cell_text(raw) is None
                problems.append(InputError(
                    reason="coordinate_empty" if empty else "not_a_coordinate", param="crs",
                    row=number, column=name, value=None if empty else raw))
        if None not in xy and check_cells and not gcrs.in_china(*xy):
            problems.append(InputError(
                reason="coordinate_outside_china", param="crs", row=number,
                column=names[0] if not 73 <= xy[0] <= 136 else names[1], lon=xy[0], lat=xy[1],
                hint=gcrs.out_of_china_hint(*xy)))
        records.append({"source_row": number, "xy": xy,
                        **{f: cell(i) for f, i in cols.items()}})
    if problems:
        first = problems[0]
        raise InputError(reason="bad_coordinate", param="crs", file=file, row=first.row,
                         column=first.column, problem=first, details=problems[1:])
    xy = np.array([r["xy"] for r in records], dtype=float).reshape(-1, 2)
    if not lonlat:
        xy = _orient_xy(xy, names, file)
    gdf = gpd.GeoDataFrame({"source_row": [r["source_row"] for r in records]},
                           geometry=shapely.points(xy))
    if source is None:
        source = "EPSG:4490" if lonlat or not len(gdf) else gcrs.detect_crs(gdf, file=file)
    gdf = gcrs.to_store_crs(gdf, crs=source, file=file, rows=gdf["source_row"])
    unit = str(header[cols["investment"]]) if cols["investment"] is not None else ""
    return _site_frame(pd.DataFrame(records), gdf.geometry.to_numpy(), unit, warnings)


def _find_header(rows, file):
    """The first of the top 30 rows naming a coordinate pair: (index, cells, keys, pair)."""
    for at, (_, header) in enumerate(rows[:30]):
        keys = [_key(c) for c in header]
        for xs, ys in ((_LON, _LAT), (_X, _Y)):
            x = next((keys.index(k) for k in xs if k in keys), None)
            y = next((keys.index(k) for k in ys if k in keys), None)
            if x is not None and y is not None:
                return at, header, keys, (x, y)
    raise InputError(reason="no_coordinate_columns", param="file", file=file)


def _sites_from_points(path: Path, *, encoding, crs) -> SiteFile:
    gdf, file, _, warnings = read_vector(path, layer=None, encoding=encoding,
                                          want=("Point", "MultiPoint"))
    rows = np.arange(1, len(gdf) + 1)
    geoms = gdf.geometry.to_numpy()
    single = np.array([g is not None and (g.geom_type == "Point" or (
        g.geom_type == "MultiPoint" and len(g.geoms) == 1)) for g in geoms], dtype=bool)
    if not single.all():
        first = int(np.flatnonzero(~single)[0])
        raise InputError(reason="not_points", param="file", file=file, row=int(rows[first]),
                         rows=list(rows[~single]))
    gdf = gdf.set_geometry(shapely.force_2d([shapely.get_geometry(g, 0) if g.geom_type ==
                                             "MultiPoint" else g for g in geoms]))
    source = gcrs.crs_name(crs) if crs else gcrs.detect_crs(gdf, file=file)
    gdf = gcrs.to_store_crs(gdf, crs=source, file=file, rows=rows)
    by_key = {_key(c): c for c in gdf.columns if c != "geometry"}
    table = pd.DataFrame({"source_row": rows})
    for f, cands in _SITE_FIELDS.items():
        col = next((by_key[c.lower()] for c in cands if c.lower() in by_key), None)
        table[f] = gdf[col].to_numpy(dtype=object) if col else None
    return _site_frame(table, gdf.geometry.to_numpy(), "", warnings)


def _site_frame(table: pd.DataFrame, geometry, money_header: str, warnings) -> SiteFile:
    """Sites frame with typed columns; unreadable dates and amounts become warnings."""
    n = len(table)

    def get(f: str) -> pd.Series:
        return table[f] if f in table and n else pd.Series([None] * n, dtype=object)

    rows = table["source_row"].to_numpy() if n else np.array([], dtype=int)
    out = {f: text_column(get(f).map(cell_text), n)
           for f in ("name", "item_text", "status_text")}
    for f in ("start_date", "end_date"):
        parsed = get(f).map(_date)
        bad = parsed.isna().to_numpy() & get(f).map(cell_text).notna().to_numpy()
        if bad.any():
            warnings.append(Sentence(f"warn_{f}_not_date", rows=rows[bad]))
        out[f] = pd.to_datetime(parsed.astype(object).where(parsed.notna(), None))
    # A header in 元 (not 万元) means amounts in yuan: the store keeps 万元.
    scale = 1e-4 if "元" in money_header and "万" not in money_header else 1.0
    money = get("investment").map(lambda v: _money(v, scale))
    bad = money.isna().to_numpy() & get("investment").map(
        lambda v: cell_text(v) not in (None, "—", "-", "/", "无")).to_numpy()
    if bad.any():
        warnings.append(Sentence("warn_investment_not_number", rows=rows[bad]))
    out["investment"] = money.astype(float).to_numpy()
    out["village_name"] = text_column(get("village_name").map(cell_text), n)
    out["village_code"] = text_column(get("village_code").map(code_text), n)
    out["source_row"] = rows.astype(int)
    sites = gpd.GeoDataFrame(out, geometry=geometry, crs=gcrs.STORE_CRS)
    return SiteFile(sites, warnings)


def _table_rows(path: Path, *, sheet, encoding) -> list[tuple[int, list]]:
    """Every row of a table with the row number a person sees (Excel row, csv line).

    Read as ledgers are (:func:`geo.ledger.sheets.read_grid`), so an
    unreadable workbook or csv is an ``InputError`` here too.
    """
    grid = read_grid(path, sheet=sheet, encoding=encoding)
    return list(zip(grid.row_numbers, grid.cells))


def _orient_xy(xy: np.ndarray, names, file) -> np.ndarray:
    """Put easting (or longitude) first, judging by the values' sizes."""
    if not len(xy):
        return xy
    a, b = np.median(xy[:, 0]), np.median(xy[:, 1])
    if a < 180 and b < 180:  # degrees: longitudes in China are above 73, latitudes below 54
        return xy if a > b else xy[:, ::-1]
    if (a >= 1e7 > b) or (a < 1e6 <= b < 1e7):
        return xy
    if (b >= 1e7 > a) or (b < 1e6 <= a < 1e7):
        return xy[:, ::-1]
    raise InputError(reason="easting_or_northing", param="crs", file=file, x=names[0],
                     y=names[1])


def _key(cell) -> str:
    text = re.sub(r"\s+", "", str(cell or "")).replace("（", "(").replace("）", ")")
    return re.sub(r"\(.*\)$", "", text).lower()


def _coordinate(value) -> float | None:
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return float(value) if np.isfinite(value) else None
    text = cell_text(value)
    if text is None:
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        match = _DMS.match(text)
        if not match:
            return None
        d, m, s = (float(g) if g else 0.0 for g in match.groups())
        return d + m / 60 + s / 3600


def _date(value):
    if isinstance(value, (dt.date, pd.Timestamp)):
        return pd.Timestamp(value)
    text = cell_text(value)
    if text is None:
        return pd.NaT
    text = re.sub(r"\.0$", "", text)
    text = re.sub(r"[年月./]", "-", text).replace("日", "").split(" ")[0].strip("-")
    fmt = "%Y%m%d" if re.fullmatch(r"\d{8}", text) else "%Y-%m-%d"
    return pd.to_datetime(text, format=fmt, errors="coerce")


def _money(value, scale: float) -> float:
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return float(value) * scale
    text = cell_text(value)
    match = re.search(r"-?\d+(?:\.\d+)?", (text or "").replace(",", "").replace("，", ""))
    if not match:
        return np.nan
    if "万" in text:
        scale = 1.0
    elif "元" in text:
        scale = 1e-4
    return float(match.group()) * scale
