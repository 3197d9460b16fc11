"""What the boundary and site imports share: typed layers, strictness, the region.

Both imports rewrite a whole layer of the store, report the store's region
and keep their unmatched rows in the store's ``unmatched`` table.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.crs import STORE_CRS
from geo.errors import InputError
from geo.i18n.errors import Phrase, reason_columns, stored_reason
from geo.imports.report import ImportReport
from geo.join import UNMATCHED_COLUMNS
from geo.units import top_units


def typed_layer(frame: pd.DataFrame, columns: list[str], numbers=()) -> gpd.GeoDataFrame:
    """``columns`` and geometry: ``numbers`` as floats, the rest objects with None.

    One dtype per column whatever the source (pyogrio, pandas' str), so that
    a concat never meets an all-NA column of another dtype (deprecated in
    pandas) and amounts are not written as text.
    """
    out = gpd.GeoDataFrame(frame[columns + ["geometry"]].copy(), geometry="geometry",
                           crs=STORE_CRS)
    for column in columns:
        if column in numbers:
            out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
        else:
            values = out[column].astype(object)
            out[column] = values.where(values.notna(), None).astype(object)
    return out


def region_label(units: pd.DataFrame) -> str:
    """The store's top units as ``code name; …``, for the report."""
    tops = top_units(units)
    return "; ".join(f"{c} {n}" for c, n in zip(tops["code"], tops["name"]))


def refuse_if_strict(report: ImportReport, strict: bool, what: str) -> None:
    """With ``strict``, refuse the file when any row did not join ``what`` (village,
    unit_item or parent: what the row should have joined).

    Raises
    ------
    InputError
        Naming the first unmatched row; ``details`` holds the report.
    """
    if strict and report.unmatched:
        first = report.unmatched[0]
        raise InputError(reason="strict_unmatched", param="strict", file=Path(report.file).name,
                         row=first["source_row"], count=len(report.unmatched),
                         what=Phrase(f"joins_{what}"),
                         name=first.get("name") or first.get("code"),
                         why=stored_reason(first),
                         details=[report])


def unmatched_row(row: int, *, name, code, reason: Phrase, candidates: list[str],
                  parent_name: str | None = None) -> dict:
    """One row that joined nothing, as an import's report and the store keep it."""
    return {"source_row": row, "code": code, "name": name, "parent_name": parent_name,
            **reason_columns(reason), "candidates": "; ".join(candidates)}


def unmatched_frame(report: ImportReport) -> pd.DataFrame:
    """The report's unmatched rows as the store keeps them: never dropped."""
    return pd.DataFrame(report.unmatched).reindex(columns=UNMATCHED_COLUMNS)
