"""Point files of units: where a village without a boundary lies.

An office often has its villages as points (the village committee's seat), not
polygons.  A point file gives each unit it names — by code, else by name inside
the county its point lies in — that point; the unit keeps its code, name and
parent, and maps draw it there instead of at an approximate place
(:mod:`geo.placement`).  The units must be in the store already (``init``
brings the register's): a row naming none is reported, never added.
"""

from __future__ import annotations


import numpy as np
import pandas as pd
import shapely

from geo import crs as gcrs
from geo.errors import InputError
from geo.i18n.errors import Phrase, Sentence
from geo.imports.common import refuse_if_strict, region_label, unmatched_row
from geo.imports.report import ImportReport, file_sha256
from geo.io import CODE_FIELDS, NAME_FIELDS, read_vector
from geo.io_fields import cell_text, find_column
from geo.join import UNMATCHED_COLUMNS, join_ledger
from geo.store import ImportRecord, Store
from geo.units import top_units

POINT_TYPES = ("Point", "MultiPoint")


def import_unit_points(store: Store, path, *, encoding: str | None = None,
                       crs: str | None = None, code_field: str | None = None,
                       name_field: str | None = None, dry_run: bool = False,
                       strict: bool = False, who: str = "", account=None) -> ImportReport:
    """Give the units a point file names their points; see the module's notes.

    Raises
    ------
    InputError
        The file cannot be read, has no name or code column, or its points lie
        outside China; (``strict``) a row joined no unit.
    AccessError
        An editor's file names a unit outside their region.
    """
    gdf, file, _, warnings = read_vector(path, layer=None, encoding=encoding, want=POINT_TYPES)
    rows = np.arange(1, len(gdf) + 1)
    has_point = gdf.geometry.notna().to_numpy() & ~gdf.geometry.is_empty.to_numpy()
    if not has_point.all():
        warnings.append(Sentence("warn_rows_no_geometry", rows=rows[~has_point]))
    gdf, rows = gdf[has_point], rows[has_point]
    if not len(gdf):
        raise InputError(reason="no_features", param="file", file=file)
    source = gcrs.crs_name(crs) if crs else gcrs.detect_crs(gdf, file=file)
    gdf = gcrs.to_store_crs(gdf, crs=source, file=file, rows=rows)
    columns = [c for c in gdf.columns if c != "geometry"]
    code_col = find_column(columns, CODE_FIELDS, code_field, "code_field", file)
    name_col = find_column(columns, NAME_FIELDS, name_field, "name_field", file)
    if code_col is None and name_col is None:
        raise InputError(reason="no_name_column", param="name_field", file=file,
                         looked_for=list(NAME_FIELDS), columns=[str(c) for c in columns])
    points = shapely.get_geometry(gdf.geometry.to_numpy(), 0)    # a MultiPoint: its first
    units = store.units(geometry=True)
    table = pd.DataFrame({
        "source_row": rows,
        "code": gdf[code_col].to_numpy(dtype=object) if code_col else None,
        "name": gdf[name_col].map(cell_text).to_numpy(dtype=object) if name_col else None,
        "parent_name": None, "level_hint": None})
    joined = _join_by_county(table, points, units)
    if account is not None:
        account.check_rows(units, joined["matched"], file=file)
    at = dict(zip(rows, points))
    matched = joined["matched"]
    located = pd.DataFrame({
        "code": matched["unit_code"].to_numpy(),
        "lon": [at[r].x for r in matched["source_row"]],
        "lat": [at[r].y for r in matched["source_row"]]})
    unmatched = joined["unmatched"]
    report = ImportReport(file=str(path), kind="unit_points", level=joined["level"],
                          region=region_label(units), rows_read=len(gdf),
                          matched=len(located),
                          unmatched=unmatched.to_dict("records"), warnings=warnings,
                          dry_run=dry_run)
    refuse_if_strict(report, strict, "unit_item")
    if not dry_run:
        record = ImportRecord(kind="unit_points", file=str(path), sha256=file_sha256(path),
                              as_of=None, level=report.level, rows_read=report.rows_read,
                              matched=report.matched, report=report.as_dict(), who=who)
        report.import_id = store.record_rows(record, {"unit_points": located},
                                             unmatched=unmatched)
    return report


def is_point_file(path) -> bool:
    """Whether a vector file holds points (a units file of points, not boundaries)."""
    import pyogrio

    try:
        kind = pyogrio.read_info(str(path)).get("geometry_type") or ""
    except (pyogrio.errors.DataSourceError, OSError):
        return False           # unreadable here: the boundary reader says why, in words
    return kind.removesuffix(" Z").removeprefix("3D ") in POINT_TYPES


def _join_by_county(table: pd.DataFrame, points, units) -> dict:
    """Each row joined inside the county its point lies in (village names repeat
    across counties), else inside the top unit it lies in; a point outside the
    store's region joins nothing, whatever its name or code says."""
    region_of = np.full(len(points), None, dtype=object)
    tops = top_units(units)
    for frame in (tops, units[units["level"] == "county"]):
        frame = frame[frame.geometry.notna()]
        if len(frame):
            hits = shapely.STRtree(frame.geometry.to_numpy()).query(points, predicate="within")
            region_of[hits[0]] = frame["code"].to_numpy()[hits[1]]
    if tops.geometry.isna().all():          # a store without polygons: its top decides
        region_of = np.where(pd.isna(region_of), tops["code"].iloc[0], region_of)
    outside = pd.isna(region_of)
    matched, unmatched, level = [], [_outside(table[outside], units)], None
    for region in dict.fromkeys(region_of[~outside]):
        rows = table[region_of == region]
        part = join_ledger(rows, units, region_code=region,
                           level=None if rows["code"].notna().any() else "village")
        matched.append(part.matched)
        unmatched.append(part.unmatched)
        level = level or part.level
    return {"matched": pd.concat(matched, ignore_index=True) if matched
            else pd.DataFrame(columns=["source_row", "unit_code"]),
            "unmatched": pd.concat(unmatched, ignore_index=True).sort_values("source_row"),
            "level": level or "village"}


def _outside(rows: pd.DataFrame, units) -> pd.DataFrame:
    """The rows whose point lies outside the store's region, as unmatched rows."""
    reason = Phrase("unit_outside_region", region=region_label(units))
    return pd.DataFrame([unmatched_row(int(r.source_row), code=r.code, name=r.name,
                                       reason=reason, candidates=[])
                         for r in rows.itertuples()], columns=UNMATCHED_COLUMNS)
