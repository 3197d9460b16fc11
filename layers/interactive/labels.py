"""Unit names as map labels, placed only where they fit and never on each other.

Placement is greedy, largest unit first, in Web Mercator pixels at the zoom
the viewer sees (:func:`layers.interactive.basemap.fit_zoom`): a label's box is
estimated from its text (a CJK character ≈ ``font_px`` wide, any other ≈
0.6 ``font_px``; a line 1.3 ``font_px`` high) and centred on the unit's pole
of inaccessibility — or, where it has no room there (a bent or thin unit, a
neighbour's label), at the nearest point of a grid over the unit where it
has.  A label is skipped when no box stays in the unit's extent, lies mostly
inside the unit and keeps ``min_gap_px`` from the labels already placed.  A unit
drawn as a dot (a point: no boundary, placed approximately) is labelled beside its
dot — right, left, above, below, then right or left raised or lowered — and no
label covers any dot.
Below that zoom the boxes would collide, so the labels hide when the viewer zooms
out further.
"""

from __future__ import annotations

import unicodedata

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.template import Template
from folium.utilities import get_obj_in_upper_tree
from shapely.ops import polylabel

from layers.interactive.basemap import lonlat_to_px, px_to_lonlat
from layers.interactive.escape import safe_lines
from layers.interactive.geojson import APPROXIMATE_DOT

LINE_HEIGHT = 1.3
# A label may stick out of its unit a little (a thin banner), not mostly.
MIN_INSIDE = 0.6
# Where the pole of inaccessibility has no room, a GRID × GRID search over the unit.
GRID = 12
_HALO = "0 0 2px #fff,0 0 2px #fff,0 0 3px #fff"
# The radius of a unit's dot (with its edge), in pixels: a label keeps clear of it.
DOT_PX = APPROXIMATE_DOT.options["radius"] + APPROXIMATE_DOT.options["weight"]


def text_box(text: str, font_px: float) -> tuple[float, float]:
    """Estimated (width, height) in pixels of ``text``; lines split on newlines."""
    lines = str(text).split("\n")
    width = max(sum(font_px if unicodedata.east_asian_width(ch) in "WF" else 0.6 * font_px
                    for ch in line) for line in lines)
    return width, len(lines) * LINE_HEIGHT * font_px


def place_labels(units: gpd.GeoDataFrame, texts: pd.Series, *, font_px: float = 12,
                 min_gap_px: float = 2, zoom: float, first: pd.Series | None = None,
                 avoid: gpd.GeoSeries | None = None, avoid_px: float = 0,
                 dot_px: float = DOT_PX, extent=None) -> pd.DataFrame:
    """Where each label goes, for the units whose label fits.

    Parameters
    ----------
    units
        ``code, geometry`` in EPSG:4326.
    texts
        Indexed by code; a unit without text gets no label.
    first
        Indexed by code, True for units whose label goes in before any
        other (the lagging ones); the rest by area, largest first.
    avoid, avoid_px
        Points (EPSG:4326) drawn over the map, each ``avoid_px`` in radius: no
        label covers one.
    dot_px
        The radius of the dot a unit whose geometry is a point is drawn as: its
        label goes beside it, and no label covers a dot.
    extent
        ``(west, south, east, north)`` the map shows at least: a label beside a dot
        stays inside it (not cut by the map's edge); None: anywhere.

    Returns
    -------
    DataFrame
        ``code, text, lon, lat, x0, y0, x1, y1`` (the box in Web Mercator
        pixels at ``zoom``, y down), in placement order.
    """
    codes = units["code"].astype(str).to_numpy()
    texts = texts.copy()
    texts.index = texts.index.astype(str)
    texts = texts.reindex(codes)
    pixels = shapely.transform(
        np.asarray(units.geometry.values),
        lambda xy: np.column_stack(lonlat_to_px(xy[:, 0], xy[:, 1], zoom)),
    )
    placed: list[tuple] = []
    obstacles = []
    if avoid is not None and len(avoid):
        xs, ys = lonlat_to_px(avoid.x.to_numpy(), avoid.y.to_numpy(), zoom)
        obstacles = [(x - avoid_px, y - avoid_px, x + avoid_px, y + avoid_px)
                     for x, y in zip(xs, ys)]
    dots = shapely.get_type_id(pixels) == shapely.GeometryType.POINT
    obstacles += [(p.x - dot_px, p.y - dot_px, p.x + dot_px, p.y + dot_px)
                  for p in pixels[dots]]
    frame = None
    if extent is not None:
        (x0, x1), (y1, y0) = lonlat_to_px([extent[0], extent[2]], [extent[1], extent[3]], zoom)
        frame = (x0, y0, x1, y1)
    urgent = (first.copy().set_axis(first.index.astype(str)).reindex(codes).fillna(False)
              .astype(bool).to_numpy() if first is not None else np.zeros(len(codes), bool))
    for i in np.lexsort((-shapely.area(pixels), ~urgent)):
        text, geom = texts.iloc[i], pixels[i]
        if geom is None or geom.is_empty or pd.isna(text) or not str(text).strip():
            continue
        width, height = text_box(str(text), font_px)
        if dots[i]:
            candidates = (b for b in _beside(geom, width, height, dot_px + min_gap_px + 1)
                          if frame is None or _inside_extent(b, frame))
        else:
            part = _largest_part(geom)
            minx, miny, maxx, maxy = part.bounds
            if width > maxx - minx or height > maxy - miny:
                continue
            candidates = _boxes(part, width, height)
        taken = obstacles + [other[4:] for other in placed]
        box = next((b for b in candidates
                    if not any(_near(b, other, min_gap_px) for other in taken)), None)
        if box is None:
            continue
        lon, lat = px_to_lonlat((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, zoom)
        placed.append((codes[i], str(text), float(lon), float(lat), *box))
    return pd.DataFrame(placed, columns=["code", "text", "lon", "lat", "x0", "y0", "x1", "y1"])


class _LabelPane(folium.MacroElement):
    """A pane above the units that ignores the mouse and hides below ``zoom``."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            (function () {
                var map = {{ this.map_name }};
                var name = {{ this.pane|tojson }};
                var pane = map.getPane(name) || map.createPane(name);
                pane.style.zIndex = 650;
                pane.style.pointerEvents = "none";
                function gate() {
                    pane.style.display = map.getZoom() < {{ this.zoom|tojson }} ? "none" : "";
                }
                // Labels added to the same map again: only the newest gate decides.
                if (pane._gate) { map.off("zoomend", pane._gate); }
                pane._gate = gate;
                map.on("zoomend", gate);
                gate();
            })();
        {% endmacro %}
    """)

    def __init__(self, pane: str, zoom: float):
        super().__init__()
        self._name = "LabelPane"
        self.pane = pane
        self.zoom = zoom

    @property
    def map_name(self) -> str:
        # Looked up as the script is written: streamlit-folium renames the map
        # and writes each element's script without calling render().
        return get_obj_in_upper_tree(self, folium.Map).get_name()


def add_labels(fmap, units: gpd.GeoDataFrame, texts: pd.Series, *, font_px: int = 12,
               min_gap_px: float = 2, zoom: float | None = None,
               first: pd.Series | None = None, extent=None) -> list[str]:
    """Add permanent labels (name, or name and value) where they fit.

    Parameters
    ----------
    fmap
        A folium Map or FeatureGroup; the labels go into a new FeatureGroup in it.
    units
        ``code, geometry`` in EPSG:4326.
    texts
        Indexed by code, e.g. ``"固阳县\\n62.2%"`` (a newline starts a line);
        escaped here.
    font_px, min_gap_px
        Text size and the least room between two labels, in pixels.
    zoom
        The zoom the viewer sees (:func:`layers.interactive.basemap.fit_zoom` for the
        map's size in pixels); labels are placed for it and hidden when
        zoomed out beyond it.  None takes the zoom ``fmap``'s map opens at
        (:func:`layers.interactive.basemap.base_map` estimates it for ``size_px``).
    first, extent
        The units labelled before the others, and the bounds a label beside a dot
        (a unit whose geometry is a point) stays inside (:func:`place_labels`).

    Returns
    -------
    list[str]
        The codes that got a label, largest unit first.
    """
    if zoom is None:
        zoom = _opening_zoom(fmap)
    spots = place_labels(units, texts, font_px=font_px, min_gap_px=min_gap_px, zoom=zoom,
                         first=first, extent=extent)
    group = folium.FeatureGroup(name="labels", control=False)
    # A fixed name: a random one would change the map's hash on every rerun,
    # and streamlit-folium would remount the map (and forget the click).
    pane = "covermap-labels"
    group.add_child(_LabelPane(pane, zoom))
    css = (f"font-size:{int(font_px)}px;line-height:{LINE_HEIGHT};text-align:center;"
           f"white-space:nowrap;color:#222222;text-shadow:{_HALO}")
    for spot in spots.itertuples(index=False):
        width, height = spot.x1 - spot.x0, spot.y1 - spot.y0
        html = safe_lines(spot.text)
        folium.Marker(
            [spot.lat, spot.lon],
            icon=folium.DivIcon(html=f'<div style="{css}">{html}</div>',
                                icon_size=(round(width), round(height)),
                                icon_anchor=(round(width / 2), round(height / 2)),
                                class_name="covermap-label"),
            interactive=False, keyboard=False, pane=pane,
        ).add_to(group)
    group.add_to(fmap)
    return list(spots["code"])


def _opening_zoom(fmap) -> float:
    element = fmap
    while element is not None and not isinstance(element, folium.Map):
        element = element._parent
    if element is None or "zoom" not in element.options:
        raise ValueError("add_labels needs zoom= when fmap is not (yet) on a folium Map")
    return element.options["zoom"]


def _largest_part(geom):
    parts = getattr(geom, "geoms", [geom])
    return max(parts, key=lambda p: p.area)


def _anchor(part) -> tuple[float, float]:
    # GEOS refuses an invalid ring; a representative point still lies inside.
    point = polylabel(part, tolerance=1.0) if part.is_valid else part.representative_point()
    return point.x, point.y


def _boxes(part, width: float, height: float):
    """Label boxes that fit ``part``, best first: centred on its pole of inaccessibility,
    then — for a bent or thin unit whose middle is too narrow, or where a neighbour's
    label sits — on points of a grid over it, nearest the pole first."""
    cx, cy = _anchor(part)
    pole = (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
    if _inside_extent(pole, part.bounds) and \
            part.intersection(shapely.box(*pole)).area >= MIN_INSIDE * width * height:
        yield pole
    minx, miny, maxx, maxy = part.bounds
    xs, ys = np.meshgrid(np.linspace(minx + width / 2, maxx - width / 2, GRID),
                         np.linspace(miny + height / 2, maxy - height / 2, GRID))
    xs, ys = xs.ravel(), ys.ravel()
    boxes = shapely.box(xs - width / 2, ys - height / 2, xs + width / 2, ys + height / 2)
    inside = shapely.area(shapely.intersection(part, boxes)) >= MIN_INSIDE * width * height
    nearest_first = np.argsort(np.hypot(xs - cx, ys - cy), kind="stable")
    for n in nearest_first[inside[nearest_first]]:
        yield (xs[n] - width / 2, ys[n] - height / 2, xs[n] + width / 2, ys[n] + height / 2)


def _beside(dot, width: float, height: float, clear: float):
    """Label boxes beside a dot, ``clear`` pixels from its centre, best first: to its
    right, left, above, below, then right and left raised or lowered by half a box."""
    x, y = dot.x, dot.y
    half_w, half_h = width / 2, height / 2
    right, left = x + clear + half_w, x - clear - half_w
    for cx, cy in ((right, y), (left, y), (x, y - clear - half_h), (x, y + clear + half_h),
                   (right, y - half_h), (right, y + half_h),
                   (left, y - half_h), (left, y + half_h)):
        yield (cx - half_w, cy - half_h, cx + half_w, cy + half_h)


def _inside_extent(box, bounds) -> bool:
    return (box[0] >= bounds[0] and box[1] >= bounds[1]
            and box[2] <= bounds[2] and box[3] <= bounds[3])


def _near(a, b, gap: float) -> bool:
    return (a[0] < b[2] + gap and b[0] < a[2] + gap
            and a[1] < b[3] + gap and b[1] < a[3] + gap)
