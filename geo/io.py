"""Read the boundary files offices send, into the store's shapes.

Boundaries come as Shapefile (often GBK without a ``.cpg``, often zipped),
GeoPackage, GeoJSON or KML, in lon/lat or a CGCS2000 Gauss-Krüger zone.
Everything leaves here in EPSG:4326 with codes as text.  Sites are read by
:mod:`geo.sites`, which opens point files with :func:`read_vector`.
"""

from __future__ import annotations

import codecs
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo import crs as gcrs
from geo.errors import InputError, UsageError
from geo.i18n.errors import Sentence
from geo.io_fields import cell_text, code_text, find_column, text_column

CODE_FIELDS = ("行政区划代码", "区划代码", "代码", "CODE", "XZQDM", "ADCODE", "ZLDWDM")
NAME_FIELDS = ("名称", "NAME", "XZQMC", "ZLDWMC", "村名", "乡镇名称")
VECTOR_FORMATS = {".shp": "Shapefile", ".zip": "zipped Shapefile", ".gpkg": "GeoPackage",
            ".geojson": "GeoJSON", ".json": "GeoJSON", ".kml": "KML", ".kmz": "KML"}
# DBF language driver byte -> codec.  0x57 ("ANSI") is whatever the writer's
# Windows used, GBK in Chinese offices, so it says nothing: try the bytes.
_LDID = {0x4D: "GB18030", 0x7A: "GB18030", 0x4F: "CP950", 0x78: "CP950",
         0x4E: "CP949", 0x79: "CP949", 0x7B: "CP932", 0x13: "CP932",
         0x01: "CP437", 0x02: "CP850", 0x03: "CP1252"}
# GBK and GB2312 are subsets: GB18030 reads them and the rare characters too.
_GB = {"GBK", "GB2312", "CP936", "936", "MS936", "GB18030", "ANSI 936"}


@dataclass
class BoundaryFile:
    """Units read from a boundary file (see :func:`read_boundaries`)."""

    units: gpd.GeoDataFrame
    source_crs: str
    encoding: str
    repaired: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_boundaries(path, *, encoding=None, crs=None, code_field=None,
                    name_field=None, parent_field=None, layer=None) -> BoundaryFile:
    """Read administrative boundaries from a Shapefile, GeoPackage, GeoJSON or KML.

    Parameters
    ----------
    path
        ``.shp``, ``.zip`` holding one shapefile, ``.gpkg``, ``.geojson``,
        ``.kml``.
    encoding
        Attribute encoding of a shapefile (``--encoding``); default: the
        ``.cpg``, then the DBF language byte, then UTF-8, then GB18030.
    crs
        The coordinates' CRS (``--crs``); wins over the file's own.
    code_field, name_field, parent_field
        Columns to use; code and name default to the names offices use
        (:data:`CODE_FIELDS`, :data:`NAME_FIELDS`).
    layer
        Layer of a GeoPackage/KML, or shapefile inside a zip.

    Returns
    -------
    BoundaryFile
        ``units`` has code, name, parent_code and geometry in EPSG:4326;
        ``repaired`` the row numbers whose invalid geometry was mended.

    Raises
    ------
    InputError
        Unreadable file, no name column, non-polygon features, unknown CRS,
        or coordinates outside China.
    """
    gdf, file, used, warnings = read_vector(path, layer=layer, encoding=encoding,
                                             want=("Polygon", "MultiPolygon"))
    if not len(gdf):
        raise InputError(reason="no_features", param="file", file=file)
    columns = [c for c in gdf.columns if c != "geometry"]
    name_col = find_column(columns, NAME_FIELDS, name_field, "name_field", file)
    if name_col is None:
        raise InputError(reason="no_name_column" if columns else "no_name_column_no_columns",
                         param="name_field", file=file, looked_for=list(NAME_FIELDS),
                         columns=[str(c) for c in columns])
    code_col = find_column(columns, CODE_FIELDS, code_field, "code_field", file)
    parent_col = find_column(columns, (), parent_field, "parent_field", file)
    rows = np.arange(1, len(gdf) + 1)

    missing = gdf.geometry.isna().to_numpy() | gdf.geometry.is_empty.to_numpy()
    if missing.any():
        warnings.append(Sentence("warn_rows_no_geometry", rows=rows[missing]))
        gdf, rows = gdf[~missing], rows[~missing]
    geoms = shapely.force_2d(gdf.geometry.to_numpy())
    kinds = shapely.get_type_id(geoms)
    wrong = ~np.isin(kinds, (3, 6, 7))  # Polygon, MultiPolygon, GeometryCollection
    if wrong.any():
        first = int(np.flatnonzero(wrong)[0])
        raise InputError(reason="not_polygons", param="file", file=file, row=int(rows[first]),
                         geom_type=geoms[first].geom_type, rows=list(rows[wrong]))
    invalid = ~shapely.is_valid(geoms) | (kinds == 7)
    geoms[invalid] = [_polygonal(shapely.make_valid(g)) for g in geoms[invalid]]
    repaired = [int(r) for r in rows[invalid]]
    if repaired:
        warnings.append(Sentence("warn_geometry_repaired", rows=repaired))
    empty = shapely.is_empty(geoms)
    if empty.any():
        warnings.append(Sentence("warn_no_area_after_repair", rows=rows[empty]))
    gdf = gdf.set_geometry(geoms)[~empty]
    rows = rows[~empty]

    source = gcrs.crs_name(crs) if crs else gcrs.detect_crs(gdf, file=file)
    gdf = gcrs.to_store_crs(gdf, crs=source, file=file, rows=rows)
    names = gdf[name_col].map(cell_text)
    if names.isna().any():
        bad = rows[names.isna().to_numpy()]
        raise InputError(reason="empty_names", param="file", file=file, row=int(bad[0]),
                         column=name_col, rows=list(bad))
    codes = gdf[code_col].map(lambda v: code_text(v, code_col)) if code_col else None
    if code_col is None:
        warnings.append(Sentence("warn_no_code_column"))
    elif codes.dropna().duplicated().any():
        twice = sorted(set(codes[codes.duplicated() & codes.notna()]))
        warnings.append(Sentence("warn_codes_twice", codes=twice))
    units = gpd.GeoDataFrame({
        "code": text_column(codes, len(gdf)),
        "name": names.astype(object).to_numpy(),
        "parent_code": text_column(gdf[parent_col].map(lambda v: code_text(v, parent_col))
                                if parent_col else None, len(gdf)),
    }, geometry=gdf.geometry.to_numpy(), crs=gcrs.STORE_CRS)
    return BoundaryFile(units, source, used, repaired, warnings)


def read_vector(path, *, layer: str | None, encoding: str | None,
                want: tuple[str, ...]) -> tuple[gpd.GeoDataFrame, str, str, list[str]]:
    """Open a vector file of any kind in :data:`VECTOR_FORMATS`, attributes as they are.

    Parameters
    ----------
    path
        The file; a ``.zip`` must hold one shapefile (or the one ``layer``
        names).
    layer
        Layer of a GeoPackage/KML, or shapefile inside a zip; default the
        only one, or the only one whose geometry type is in ``want`` (a KML's
        fitting layers are read together).
    encoding
        A shapefile's attribute encoding; default as :func:`read_boundaries`
        says.
    want
        Geometry types that fit (``("Point", "MultiPoint")``).

    Returns
    -------
    tuple
        ``(frame, file name, encoding used, warnings)``; the frame in the
        file's own CRS.

    Raises
    ------
    InputError
        Unknown extension, missing or unreadable file, several layers and
        none chosen, or text not in the encoding.
    """
    path = Path(path)
    file = path.name
    suffix = path.suffix.lower()
    if suffix not in VECTOR_FORMATS:
        raise InputError(reason="unknown_suffix" if suffix else "no_suffix", param="file",
                         file=file, value=suffix, expected=sorted(set(VECTOR_FORMATS)))
    if not path.exists():
        raise InputError(reason="no_such_file", param="file", file=file)
    warnings: list[str] = []
    source, used, opened = str(path), "UTF-8", {}
    if suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            shps = [n for n in zf.namelist() if n.lower().endswith(".shp")]
            if layer is not None:
                shps = [n for n in shps if Path(n).stem == layer or n == layer]
            if len(shps) != 1:
                raise InputError(reason=_ZIP_SHAPEFILES[bool(layer), bool(shps)], param="file",
                                 file=file, layer=layer, shapefiles=shps)
            member, layer = shps[0], None
            read = lambda ext: _zip_bytes(zf, member, ext)  # noqa: E731
            used, warnings = _shapefile_encoding(read, encoding, file)
        source = f"/vsizip/{path.resolve()}/{member}"
    elif suffix == ".shp":
        used, warnings = _shapefile_encoding(
            lambda ext: _file_bytes(path.with_suffix(ext)), encoding, file)
    if suffix in (".shp", ".zip"):
        opened["encoding"] = used
    try:
        layers = pyogrio.list_layers(source)
        if layer is None and len(layers) > 1:
            fitting = [n for n, kind in layers if kind is None or kind.removeprefix("3D ") in want
                       or kind == "Unknown"]
            if suffix in (".kml", ".kmz") and fitting:
                frames = [pyogrio.read_dataframe(source, layer=n) for n in fitting]
                return pd.concat(frames, ignore_index=True), file, used, warnings
            if len(fitting) != 1:
                raise InputError(reason="several_layers", param="file", file=file,
                                 layers=[str(n) for n, _ in layers])
            layer = fitting[0]
        gdf = pyogrio.read_dataframe(source, layer=layer, **opened)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as err:
        reason = str(err).split(";")[0]  # GDAL appends generic advice about drivers
        raise InputError(reason="unreadable_vector", param="file", file=file,
                         format=VECTOR_FORMATS[suffix], error=reason) from err
    except UnicodeDecodeError as err:
        raise InputError(reason="not_in_encoding", param="encoding", file=file,
                         encoding=used) from err
    return gdf, file, used, warnings


# The zip's shapefiles error by (a layer was named, some shapefile is there).
_ZIP_SHAPEFILES = {(False, False): "zip_no_shapefile", (False, True): "zip_shapefiles",
                   (True, False): "zip_no_named_shapefile", (True, True): "zip_named_shapefiles"}


def _file_bytes(path: Path) -> bytes | None:
    for candidate in (path, path.with_suffix(path.suffix.upper())):
        if candidate.exists():
            return candidate.read_bytes()
    return None


def _zip_bytes(zf: zipfile.ZipFile, member: str, ext: str) -> bytes | None:
    stem = member[: -len(Path(member).suffix)]
    names = {n.lower(): n for n in zf.namelist()}
    found = names.get((stem + ext).lower())
    return zf.read(found) if found else None


def _shapefile_encoding(read, encoding, file) -> tuple[str, list[str]]:
    """Choose a shapefile's attribute encoding: argument, .cpg, LDID, UTF-8, GB18030."""
    if encoding:
        codec = _codec(encoding)
        if codec is None:
            raise UsageError(reason="unknown_encoding", param="encoding", value=encoding)
        return codec, []
    dbf = read(".dbf") or b""
    text = _dbf_text(dbf)
    warnings = []
    cpg = (read(".cpg") or b"").decode("ascii", "replace").strip()
    # What the file says its encoding is: the warning if it is wrong, and the codec.
    declared = [("warn_cpg_wrong", {}, _codec(cpg) if cpg else None)]
    if len(dbf) > 29:
        declared.append(("warn_ldid_wrong", {"byte": f"{dbf[29]:02X}"}, _LDID.get(dbf[29])))
    for key, fields, codec in declared:
        if codec and _decodes(text, codec):
            return codec, warnings
        if codec:
            warnings.append(Sentence(key, codec=codec, **fields))
    for codec in ("UTF-8", "GB18030"):
        if _decodes(text, codec):
            return codec, warnings
    raise InputError(reason="encoding_unknown", param="encoding", file=file)


def _codec(name: str) -> str | None:
    key = name.strip().upper()
    if key in _GB:
        return "GB18030"
    key = key.removeprefix("ANSI ")
    try:
        canonical = codecs.lookup(f"CP{key}" if key.isdigit() else key).name
    except LookupError:
        return None
    # Python's names (iso8859-1, cp1252, utf-8) are ones iconv, used by GDAL, knows.
    return canonical.upper().replace("_", "-")


def _dbf_text(dbf: bytes) -> bytes:
    """The bytes of a DBF that are text: field names and character fields."""
    if len(dbf) < 32:
        return b""
    count = int.from_bytes(dbf[4:8], "little")
    header, length = int.from_bytes(dbf[8:10], "little"), int.from_bytes(dbf[10:12], "little")
    names, spans, offset = [], [], 1  # a record starts with its deletion flag
    for pos in range(32, header - 1, 32):
        desc = dbf[pos:pos + 32]
        if not desc or desc[0] == 0x0D:
            break
        names.append(desc[:11].split(b"\0")[0])
        if desc[11:12] == b"C":
            spans.append((offset, offset + desc[16]))
        offset += desc[16]
    parts = list(names)
    for rec in range(header, min(header + count * length, len(dbf)), length or 1):
        parts.extend(dbf[rec + a:rec + b] for a, b in spans)
    return b"\n".join(parts)


def _decodes(text: bytes, codec: str) -> bool:
    try:
        text.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _polygonal(geom):
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    for nested in [p for p in shapely.get_parts(geom) if p.geom_type == "GeometryCollection"]:
        parts.append(_polygonal(nested))
    polys = [q for p in parts if not p.is_empty for q in shapely.get_parts(p)]
    if not polys:
        return shapely.Polygon()
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)
