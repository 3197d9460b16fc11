"""Villages still missing an item, outlined on the interactive map."""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
from folium.template import Template
from folium.utilities import JsCode, get_obj_in_upper_tree

from geo.i18n import t
from geo.tiles import LevelTiles
from layers.interactive.escape import safe_lines
from layers.interactive.geojson import feature_collection
from layers.interactive.tiled import map_data

GAP_COLOR = "#7b1fa2"
# The tiled map's class character of a unit with gaps (one class: drawn or not).
GAP = "g"
# A thick outline with a light fill: the base map and the region stay readable inside.
GAP_PAINT = {"opacity": 0.12, "stroke": "class", "width": 3}
REGION_OUTLINE = {"color": "#555555", "weight": 1, "fill": False}
# A village without a boundary (geo.placement) is a ring, not Leaflet's default pin.
GAP_DOT = folium.CircleMarker(radius=8)


class _GapPane(folium.MacroElement):
    """A pane above the choropleth, so a hovered unit brought to front cannot hide the outlines."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            if (!{{ this.map_name }}.getPane({{ this.pane|tojson }})) {
                {{ this.map_name }}.createPane({{ this.pane|tojson }}).style.zIndex = 450;
            }
        {% endmacro %}
    """)

    def __init__(self, pane: str):
        super().__init__()
        self._name = "GapPane"
        self.pane = pane

    @property
    def map_name(self) -> str:
        # Looked up as the script is written: streamlit-folium renames the map
        # and writes each element's script without calling render().
        return get_obj_in_upper_tree(self, folium.Map).get_name()


def gaps_map_data(tiles: LevelTiles, url: str, tips: pd.Series, **options) -> dict:
    """The tiled map of units with gaps, for ``static/covermap/map.js``.

    Parameters
    ----------
    tiles, url
        The level's tiles (villages, or counties counting their villages) and
        their URL.
    tips
        Indexed by code, one per unit drawn: its tooltip as plain text (lines,
        the first bold), e.g. ``"新建村\n安全饮水、卫生室"``.
    options
        To :func:`layers.interactive.tiled.map_data`: ``outline`` (the region,
        drawn thin without fill), ``bounds``, ``focus``, ``view``…

    Returns
    -------
    dict
        Each unit in :data:`GAP_COLOR`, outlined thick over a light fill; no legend.
    """
    return map_data(tiles, url, pd.Series(GAP, index=tips.index, dtype=object),
                    {GAP: GAP_COLOR}, tips=tips, paint=GAP_PAINT,
                    outline_style=REGION_OUTLINE, **options)


def add_gaps(fmap, villages: gpd.GeoDataFrame, *, tip_column: str = "tip",
             name: str | None = None) -> folium.FeatureGroup:
    """Outline ``villages`` (thick, a light fill) with a tooltip each.

    Parameters
    ----------
    fmap
        A folium Map or FeatureGroup.
    villages
        ``code, geometry`` in EPSG:4326 and ``tip_column``: plain text,
        escaped here (markup shows as typed); a newline starts a line and
        the first line is set bold, e.g. ``"新建村\n缺：安全饮水、卫生室"``.
    name
        The layer's name in a layer control.

    Returns
    -------
    folium.FeatureGroup
        Added to ``fmap``; clicking a village gives streamlit-folium's
        ``last_active_drawing["properties"]["code"]``.
    """
    tips = [_tip(text) for text in villages[tip_column]]
    data = feature_collection(villages.geometry, {
        "code": [str(c) for c in villages["code"]], "tip": tips})
    group = folium.FeatureGroup(name=name or t("gaps"), control=True)
    pane = "covermap-gaps"
    group.add_child(_GapPane(pane))
    folium.GeoJson(
        data, control=False, pane=pane, marker=GAP_DOT,
        style=JsCode("function(f) { return {color: '" + GAP_COLOR + "', weight: 3,"
                     " fillColor: '" + GAP_COLOR + "', fillOpacity: 0.08}; }"),
        highlight_function=lambda _: {"weight": 5, "fillOpacity": 0.25},
        on_each_feature=JsCode("function(f, layer) { layer.bindTooltip(f.properties.tip,"
                               " {sticky: true, className: 'covermap-tip'}); }"),
    ).add_to(group)
    group.add_to(fmap)
    return group


def _tip(text) -> str:
    first, _, rest = safe_lines(text).partition("<br>")
    return f"<b>{first}</b><br>{rest}" if rest else (f"<b>{first}</b>" if first else "")


def add_outline(fmap, shapes: gpd.GeoDataFrame, *, color: str = "#555555") -> folium.GeoJson:
    """Thin outlines without fill, so highlighted villages sit in their region."""
    data = feature_collection(shapes.geometry, {"code": [str(c) for c in shapes["code"]]})
    layer = folium.GeoJson(
        data, control=False, interactive=False,
        style=JsCode("function(f) { return {color: '" + color + "', weight: 1,"
                     " fill: false}; }"))
    layer.add_to(fmap)
    return layer
