"""The exit-readiness map: villages or counties by whether they pass the exit tests
of a year — passes, close, far, unknown — or by one criterion (incidence,
approval …), with the failing criteria in each tooltip."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.exit.criteria import CRITERIA_WORDS
from layers.interactive.basemap import base_map
from layers.interactive.choropleth import add_coloured_units
from layers.interactive.escape import safe_text
from layers.interactive.labels import add_labels
from layers.interactive.legend import add_legend_rows
from layers.readiness_style import READINESS_COLOURS, READINESS_WORDS

_SWATCH = ("display:inline-block;width:18px;height:12px;margin-right:6px;"
           "vertical-align:middle;border:1px solid #555555;background:")


def readiness_map(shapes: gpd.GeoDataFrame, status: pd.Series, tests: pd.DataFrame, *,
                  year: int, criterion: str | None = None, lang: str = "zh",
                  labels: pd.Series | None = None, basemap_options: dict | None = None):
    """A folium map of ``shapes`` coloured by readiness.

    Parameters
    ----------
    shapes
        ``code, name, geometry`` indexed by code.
    status
        Indexed by code: ``passes``, ``close``, ``far`` or ``unknown``
        (:func:`geo.exit.readiness.readiness_of`).
    tests
        The long table of every criterion, for the tooltips.
    criterion
        The criterion ``status`` is of, for the title; None for all.
    labels
        Indexed by code: each unit's label.
    """
    words = READINESS_WORDS["en" if lang == "en" else "zh"]
    status = status.reindex(shapes.index).fillna("unknown")
    fmap = base_map(bounds=shapes.total_bounds, **(basemap_options or {}))
    by_unit = tests.groupby("code")
    tips = [_tip(name, status[code], by_unit.get_group(code) if code in by_unit.groups
                 else tests.iloc[:0], words, lang)
            for code, name in zip(shapes.index, shapes["name"])]
    title = words["title"].format(year=year)
    if criterion:
        title += " · " + CRITERIA_WORDS[criterion][lang == "en"]
    add_coloured_units(fmap, shapes, [READINESS_COLOURS[s] for s in status], tips, layer=title)
    counts = status.value_counts()
    add_legend_rows(fmap, [(f"{_SWATCH}{READINESS_COLOURS[s]};", words[s], int(counts.get(s, 0)))
                           for s in READINESS_COLOURS if s != "not_due" or s in counts],
                    title=title)
    names = labels if labels is not None else shapes["name"]
    add_labels(fmap, shapes, names.reindex(shapes.index),
               first=status.isin(["far", "close"]))
    return fmap


def _tip(name, status: str, tests: pd.DataFrame, words: dict, lang: str) -> str:
    rows = "".join(
        f'<tr><td style="padding:0 8px 0 0">'
        f"{safe_text(CRITERIA_WORDS[r.criterion][lang == 'en'])}</td>"
        f'<td style="text-align:right">{_value(r)}</td>'
        f'<td style="padding-left:6px">{_mark(r.passes)}</td></tr>'
        for r in tests.itertuples())
    return (f'<div style="font-size:13px;line-height:1.35"><b>{safe_text(name)}</b> · '
            f'{safe_text(words[status])}<table style="margin-top:4px;font-size:12px">{rows}'
            f"</table></div>")


def _mark(passes) -> str:
    if passes is None or pd.isna(passes):
        return "?"
    return "✓" if passes else "✗"


def _value(row) -> str:
    if row.value is None or pd.isna(row.value):
        return "—"
    unit = "" if row.criterion == "items" else "%"
    return f"{float(row.value):.1f}{unit} / {float(row.line):g}{unit}"
