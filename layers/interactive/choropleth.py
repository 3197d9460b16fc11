"""The folium choropleth: completion per unit, the programme's classes.

The GeoJSON carries three properties per unit and nothing else: ``code``
(streamlit-folium returns it on click as
``last_active_drawing["properties"]["code"]``), ``tip`` (the tooltip,
escaped HTML built here) and ``fill`` (the class colour).  The style is one
JavaScript function over ``fill``, not folium's ``style_function``, which
writes a ``case`` per unit into the page.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
from folium.utilities import JsCode

from geo.i18n import t
from geo.programme import Programme
from layers.static.choropleth import class_colors
from layers.interactive.escape import js_literal, safe_text
from layers.interactive.geojson import APPROXIMATE_DOT, feature_collection

_TIP_STYLE = "font-size:13px;line-height:1.35"
_TABLE_STYLE = "margin-top:4px;border-collapse:collapse;font-size:12px"


def add_choropleth(fmap, units: gpd.GeoDataFrame, values: pd.DataFrame, programme: Programme,
                   *, item_label: str, lang: str = "zh", breakdown: pd.DataFrame | None = None,
                   not_applicable: pd.Series | None = None) -> folium.FeatureGroup:
    """Add units coloured by completion, with tooltips, to ``fmap``.

    Parameters
    ----------
    fmap
        A folium Map (see :func:`layers.interactive.basemap.base_map`) or FeatureGroup.
    units
        ``code, name, geometry`` in EPSG:4326, already simplified for the zoom.
    values
        Indexed by code, with ``pct`` (0–100, may exceed 100; NaN = no data).
    programme
        Its legend classes colour the units.
    item_label
        The item's name in the tooltip, e.g. ``综合`` or ``安全饮水``.
    lang
        ``zh`` or ``en``, for the words in the tooltip.
    breakdown
        Optional rows ``code, item, pct``: each item's completion in a unit,
        shown as a small table in its tooltip (``item`` is the label shown).
    not_applicable
        Indexed by code, True where the item does not apply (white, dashed).

    Returns
    -------
    folium.FeatureGroup
        Added to ``fmap``; holds one ``folium.GeoJson``.
    """
    words = _words("en" if lang == "en" else "zh")
    codes = units["code"].astype(str)
    pct = _by_code(values["pct"]).reindex(codes).astype(float)
    pct.index = units.index
    na = pd.Series(False, index=units.index)
    if not_applicable is not None:
        na = _by_code(not_applicable).reindex(codes).fillna(False).astype(bool)
        na.index = units.index
    fill = class_colors(pct, programme, not_applicable=na)
    rows = _breakdown_rows(breakdown)
    tips = [
        _tip(name, item_label, value, is_na, rows.get(code, ()), words)
        for code, name, value, is_na in zip(codes, units["name"], pct, na)
    ]
    return add_coloured_units(fmap, units, list(fill), tips, layer=words["layer"],
                              dashed=programme.legend_special["not_applicable"])


def add_coloured_units(fmap, units: gpd.GeoDataFrame, fills: list[str], tips: list[str], *,
                       layer: str, dashed: str | None = None) -> folium.FeatureGroup:
    """Add units filled with ``fills`` and their tooltips (escaped HTML) to ``fmap``.

    One style function over each feature's ``fill`` (a unit filled ``dashed``
    gets a dashed grey outline: not applicable); clicking a unit returns its
    ``code`` to streamlit-folium.
    """
    data = feature_collection(units.geometry, {"code": list(units["code"].astype(str)),
                                               "tip": list(tips), "fill": list(fills)})
    style = JsCode(
        "function(f) { var na = f.properties.fill === " + js_literal(dashed or "") + ";"
        " return {fillColor: f.properties.fill, fillOpacity: 0.85, color: na ? '#888888' :"
        " '#555555', weight: 0.8, dashArray: na ? '4 3' : null}; }"
    )
    group = folium.FeatureGroup(name=layer, control=True)
    folium.GeoJson(
        data, name=layer, control=False, style=style, marker=APPROXIMATE_DOT,
        highlight_function=lambda _: {"weight": 3, "color": "#222222", "fillOpacity": 0.95},
        on_each_feature=JsCode(
            "function(f, layer) { layer.bindTooltip(f.properties.tip,"
            " {sticky: true, className: 'covermap-tip'});"
            " layer.on('mouseover', function(e) { e.target.bringToFront(); }); }"
        ),
    ).add_to(group)
    group.add_to(fmap)
    return group


def _words(lang: str) -> dict[str, str]:
    # A tooltip's value reads in lower case ("no data"), as a sentence goes on.
    return {"no_data": t("no_data", lang).lower(),
            "not_applicable": t("not_applicable", lang).lower(),
            "layer": t("completion", lang)}


def _by_code(series: pd.Series) -> pd.Series:
    # A code read as a number (150222) must still meet the unit's "150222".
    return series.set_axis(series.index.astype(str))


def _breakdown_rows(breakdown: pd.DataFrame | None) -> dict[str, list]:
    if breakdown is None or breakdown.empty:
        return {}
    rows: dict[str, list] = {}
    for code, item, value in zip(breakdown["code"].astype(str), breakdown["item"],
                                 breakdown["pct"]):
        rows.setdefault(code, []).append((item, value))
    return rows


def _tip(name, item_label: str, pct: float, is_na: bool, rows, words: dict) -> str:
    head = f"<b>{safe_text(name)}</b> · {safe_text(item_label)} {_pct_text(pct, is_na, words)}"
    if not rows:
        return f'<div style="{_TIP_STYLE}">{head}</div>'
    cells = "".join(
        f'<tr><td style="padding:0 8px 0 0">{safe_text(item)}</td>'
        f'<td style="text-align:right">{_pct_text(value, False, words)}</td></tr>'
        for item, value in rows
    )
    return (f'<div style="{_TIP_STYLE}">{head}'
            f'<table style="{_TABLE_STYLE}">{cells}</table></div>')


def _pct_text(pct, is_na: bool, words: dict) -> str:
    if is_na:
        return words["not_applicable"]
    if pct is None or pd.isna(pct):
        return words["no_data"]
    return f"{float(pct):.1f}%"
