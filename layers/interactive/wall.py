"""The wall screen's map layer: the children in one of three modes.

The wall keeps one Leaflet map mounted all day; what changes with the
rotation or a data refresh is one ``folium.FeatureGroup`` that
streamlit-folium swaps in place (``feature_group_to_add``).  Colours are
ColorBrewer's RdYlBu, which stays apart for the common colour-blindnesses
(the programme's red–green classes do not).
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
from jinja2 import Template

from geo.programme import Programme
from layers.interactive.backdrop import WALL, add_backdrop
from layers.interactive.labels import add_labels

MODES = ("value", "forecast", "change", "exit", "problems")
# RdYlBu, five classes, one per class of the programme's legend (worst first).
VALUE_COLOURS = ("#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6")
FORECAST_COLOURS = {"on_time": "#2c7bb6", "at_risk": "#fdae61", "will_miss": "#d7191c",
                    "no_data": "#6b6f78"}
# The exit check (a poverty-exit store): the same blue / orange / red, grey unknown,
# and the villages not due this year dark, like the background.
EXIT_COLOURS = {"passes": "#2c7bb6", "close": "#fdae61", "far": "#d7191c",
                "unknown": "#6b6f78", "not_due": "#2a2f38"}
# Points gained since the previous snapshot: none, then more and more blue.
CHANGE_STEPS = (0.0, 1.0, 3.0, 5.0)
CHANGE_COLOURS = ("#6b6f78", "#deebf7", "#9ecae1", "#4292c6", "#08519c")
NO_DATA = "#6b6f78"
EDGE = "#0f1218"
# A unit without a boundary is a dot (geo.placement), larger than the desk map's: a
# wall is read from across the room.  Its labels keep clear of DOT_PX.
DOT_RADIUS, DOT_EDGE = 10, 1.5
DOT_PX = DOT_RADIUS + DOT_EDGE
WALL_DOT = folium.CircleMarker(radius=DOT_RADIUS, weight=DOT_EDGE, fill=True,
                               fill_opacity=0.92)
# A dot's label lies on the dark map, not on a light fill: light text, dark halo.
DOT_LABEL = ("#e8eaed", "#0f1218")


def value_colour(pct, programme: Programme) -> str:
    """The wall's colour of a completion per cent: the programme's class, RdYlBu."""
    if pct is None or pd.isna(pct):
        return NO_DATA
    for n, cls in enumerate(programme.legend):
        if cls.contains(float(pct)):
            return VALUE_COLOURS[min(n, len(VALUE_COLOURS) - 1)]
    return VALUE_COLOURS[-1]


def change_colour(points) -> str:
    if points is None or pd.isna(points) or points <= CHANGE_STEPS[0]:
        return CHANGE_COLOURS[0]
    steps = sum(points > step for step in CHANGE_STEPS[1:])
    return CHANGE_COLOURS[1 + steps]


class KioskMap(folium.MacroElement):
    """The wall's map fills its frame whatever the screen, refits the region
    on every resize, and shows no controls (nobody touches a wall)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            (function (map) {
                var bounds = {{ this.bounds|tojson }};
                map.zoomControl && map.zoomControl.remove();
                map.attributionControl && map.attributionControl.remove();
                document.querySelectorAll(".leaflet-control-scale").forEach(
                    function (el) { el.remove(); });
                function fill() {
                    var box = map.getContainer();
                    box.style.height = window.innerHeight + "px";
                    map.invalidateSize(false);
                    map.fitBounds(window.wallBounds || bounds, {animate: false});
                }
                window.wallFill = fill;
                window.addEventListener("resize", fill);
                fill();
            })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, bounds):
        super().__init__()
        self._name = "KioskMap"
        west, south, east, north = (float(v) for v in bounds)
        self.bounds = [[south, west], [north, east]]


class FitTo(folium.MacroElement):
    """Inside the wall's feature group: pan the map to ``bounds`` (a child on a tour)
    or back to the whole region (None), without remounting it."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            window.wallBounds = {{ this.bounds|tojson }};
            if (window.wallFill) { window.wallFill(); }
        {% endmacro %}
    """)

    def __init__(self, bounds):
        super().__init__()
        self._name = "FitTo"
        if bounds is None:
            self.bounds = None
        else:
            west, south, east, north = (float(v) for v in bounds)
            self.bounds = [[south, west], [north, east]]


def wall_layer(units: gpd.GeoDataFrame, fills: pd.Series, labels: pd.Series, *, zoom: float,
               font_px: int, font_css: str, first: pd.Series | None = None,
               fit: tuple | None = None, avoid: gpd.GeoSeries | None = None,
               avoid_px: float = 0, outline: gpd.GeoDataFrame | None = None,
               extent: tuple | None = None) -> folium.FeatureGroup:
    """One feature group: ``units`` filled with ``fills`` and labelled with ``labels``.

    Parameters
    ----------
    units
        ``code, name, geometry`` in EPSG:4326, indexed by code.
    fills, labels
        Indexed by code: a colour and a label (``name\\nvalue``) per unit.
    zoom, font_px, font_css
        Labels are placed for ``font_px`` at ``zoom`` (the map on a 1920×1080
        screen) and drawn at ``font_css``, which scales with the screen.
    fit
        ``(west, south, east, north)`` the map pans to; None: the whole region.
    avoid, avoid_px
        Dots drawn over the units, which no label may cover (layers.interactive.labels).
    outline
        ``geometry`` (EPSG:4326) drawn faint under the units: the polygon the units
        drawn as dots were placed in; None for none.
    extent
        ``(west, south, east, north)`` the map frames: a dot's label stays inside it.
    """
    group = folium.FeatureGroup(name="wall", control=False)
    group.add_child(FitTo(fit))
    add_backdrop(group, outline, style=WALL)
    shown = units[["name", "geometry"]].assign(fill=fills.reindex(units.index).fillna(NO_DATA))
    folium.GeoJson(
        shown.reset_index().to_json(),
        style_function=lambda feature: {"fillColor": feature["properties"]["fill"],
                                        "fillOpacity": 0.92, "color": EDGE, "weight": 1.5},
        interactive=False, marker=WALL_DOT,
    ).add_to(group)
    add_labels(group, units, labels, font_px=font_px, zoom=zoom, first=first,
               font_css=font_css, avoid=avoid, avoid_px=avoid_px, dot_px=DOT_PX,
               extent=extent, dot_colours=DOT_LABEL)
    return group
