"""What an import did to the units layer, unit by unit, so that it can be undone.

Every import that rewrites the units layer (boundaries, registers) records, for
each unit it added, changed or removed, the unit as it was (side ``before``) and
as it left it (``after``) in the ``unit_changes`` table.  Undoing the import puts
the ``before`` rows back and takes away the units it added — only while those
units are still as it left them: a later import that changed them again is
undone first, or the undo would quietly throw its work away.  An undo is itself
recorded the same way, so undoing the undo brings the import's units back.

Pure functions on frames; the backends read and write the rows.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import STORE_CRS
from geo.store.schema import UNIT_COLUMNS

_TEXT = ("name", "level", "kind", "parent_code", "aliases")
_NUMBERS = ("population", "households")
# A unit as compared and stored: its columns and its boundary as canonical hex WKB.
ROW_COLUMNS = ["code", *_TEXT, *_NUMBERS, "geometry_wkb"]


def unit_rows(units: gpd.GeoDataFrame) -> pd.DataFrame:
    """``units`` as ``unit_changes`` rows (without import id and side): blanks as None,
    counts as floats, each boundary normalised and multi, so that a unit read back
    from either backend compares equal to the one written."""
    shapes = np.array([shapely.MultiPolygon([g]) if g is not None and g.geom_type == "Polygon"
                       else g for g in units.geometry], dtype=object)
    wkb = shapely.to_wkb(shapely.normalize(shapes), hex=True)
    frame = pd.DataFrame({"code": units["code"].astype(str).to_numpy(dtype=object)})
    for column in _TEXT:   # kept as written ('' stays ''), compared blank = None
        frame[column] = [None if _text(v) is None and v != "" else v for v in units[column]]
    for column in _NUMBERS:
        frame[column] = [_number(v) for v in units[column]]
    frame["geometry_wkb"] = list(wkb)
    return frame


def changes_between(old: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> pd.DataFrame:
    """The ``unit_changes`` rows (``side`` and :data:`ROW_COLUMNS`) of every unit that
    differs between the layer ``old`` and the layer ``new``."""
    before, after = unit_rows(old), unit_rows(new)
    was, now = _keyed(before), _keyed(after)
    changed = {code for code in was.keys() | now.keys() if was.get(code) != now.get(code)}
    return pd.concat([before[before["code"].isin(changed)].assign(side="before"),
                      after[after["code"].isin(changed)].assign(side="after")],
                     ignore_index=True)[["side", *ROW_COLUMNS]]


def changed_since(current: gpd.GeoDataFrame, changes: pd.DataFrame) -> list[str]:
    """The codes of the units an import changed (its ``changes``) that are no longer
    as it left them in the ``current`` layer, in code order."""
    touched = set(changes["code"])
    now = _keyed(unit_rows(current[current["code"].isin(touched)]))
    left = _keyed(changes[changes["side"] == "after"])
    return sorted(code for code in touched if now.get(code) != left.get(code))


def undone_layer(current: gpd.GeoDataFrame, changes: pd.DataFrame) -> gpd.GeoDataFrame:
    """The ``current`` layer with an import's units as they were before it: changed
    and removed units back, the ones it added gone; the others untouched, in order."""
    before = changes[changes["side"] == "before"]
    restored = gpd.GeoDataFrame(
        before[UNIT_COLUMNS].reset_index(drop=True),
        geometry=shapely.from_wkb(np.array([_text(v) for v in before["geometry_wkb"]],
                                            dtype=object)),
        crs=STORE_CRS)
    kept = current[~current["code"].isin(set(changes["code"]))]
    layer = pd.concat([kept[UNIT_COLUMNS + ["geometry"]], restored], ignore_index=True)
    for column in _NUMBERS:   # floats, as every import writes them (never a text column)
        layer[column] = pd.to_numeric(layer[column].astype(object), errors="coerce") \
            .astype(float)
    # Where each unit stood in the layer; one the import removed goes at the end.
    place = {code: i for i, code in enumerate(current["code"])}
    order = np.argsort([place.get(c, len(place)) for c in layer["code"]], kind="stable")
    return gpd.GeoDataFrame(layer.iloc[order].reset_index(drop=True), geometry="geometry",
                            crs=STORE_CRS)


def orphaned(units: pd.DataFrame) -> list[str]:
    """The codes of units whose parent is not in ``units``."""
    codes = set(units["code"])
    return sorted(c for c, p in zip(units["code"], units["parent_code"])
                  if _text(p) is not None and p not in codes)


def _keyed(rows: pd.DataFrame) -> dict[str, tuple]:
    """Each row as a tuple that compares equal exactly when the units are the same."""
    columns = [[_text(v) for v in rows[c]] for c in _TEXT]
    columns += [[_number(v) for v in rows[c]] for c in _NUMBERS]
    columns.append([_text(v) for v in rows["geometry_wkb"]])
    return dict(zip(rows["code"].astype(str), zip(*columns))) if len(rows) else {}


def _text(value) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value) or None


def _number(value) -> float | None:
    if value is None or value is pd.NA:
        return None
    number = float(value)
    return None if math.isnan(number) else number
