"""Unit labels on a static map: inside a unit where they fit, else moved out.

Boxes are measured with the figure's renderer in display pixels, so what
is checked is what is drawn.  A label that does not fit inside its unit, or
would touch a label already placed, goes to a free slot in the margin beside
the units, on the side nearer its unit, with a leader line back to it.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib import patheffects
from matplotlib.transforms import Bbox

# Share of a label's box that must lie inside its unit to stay there.
MIN_INSIDE = 0.92
# Least gap between labels, leaders and dots, in points (pixels scale with dpi).
GAP_PT = 3
# Longest leader, as a share of the map's width: on a dense map (103
# counties) a longer one reads as belonging elsewhere, and the unit goes
# unlabelled; a league's few units all keep their label.
MAX_LEADER = {"dense": 0.2, "sparse": 0.6}
DENSE = 20
# Above this many units no label is moved out: a thousand leader lines are
# unreadable, and searching slots for them took a minute (a province's
# 1,027 townships).  Units too small for their label go unlabelled.
MOST_UNITS_WITH_LEADERS = 200
# What a leader running through another unit costs, as a share of the map's
# width: a slot that much farther round is as good as one crossing a unit.
CROSSING_COST = 0.1


def place_static_labels(fig, ax, units: gpd.GeoDataFrame, texts: pd.Series, *,
                        fontsize: float, colours: dict) -> list:
    """Draw one label per unit; returns the Text objects, none overlapping.

    Parameters
    ----------
    units
        Projected units (the axis' data CRS), indexed like ``texts``.
    texts
        The label of each unit (``name\\nvalue``).
    """
    renderer = fig.canvas.get_renderer()
    gap = GAP_PT * fig.dpi / 72
    order = units.geometry.area.sort_values(ascending=False).index
    placed: list = []
    boxes = _Boxes()
    moved = []
    dots = units.geometry[units.geometry.geom_type == "Point"]
    for point in dots:  # a label never hides another unit's dot
        boxes.append(_dot_box(ax, point, gap))
    for idx in order:
        geom = units.geometry[idx]
        if geom is None or geom.is_empty:
            continue
        if geom.geom_type == "Point":
            text = _beside_dot(ax, renderer, geom, texts[idx], fontsize, colours, boxes, gap)
            if text is not None:
                placed.append(text)
            continue
        anchor = _anchor(geom)
        text = _text(ax, anchor, texts[idx], fontsize, colours, ha="center")
        box = text.get_window_extent(renderer)
        if _fits(ax, geom, box) and not _collides(box, boxes, gap):
            placed.append(text)
            boxes.append(box)
        else:
            text.remove()
            moved.append((idx, anchor))
    units = units[units.geometry.geom_type != "Point"]
    if len(units) > MOST_UNITS_WITH_LEADERS or not moved:
        return placed
    land = shapely.union_all(units.geometry.to_numpy())
    tree = shapely.STRtree(units.geometry.to_numpy())
    positions = {idx: n for n, idx in enumerate(units.index)}
    # Leaders and the dots of other moved units, grown a little: a leader
    # running along or through one reads as going to the wrong unit.
    dots = {idx: shapely.Point(ax.transData.transform(a)).buffer(3 * gap)
            for idx, a in moved}
    leaders: list = []
    # Top to bottom, so leader lines on one side do not cross.
    for idx, anchor in sorted(moved, key=lambda m: -m[1][1]):
        text = _free_slot(ax, renderer, land, anchor, texts[idx], fontsize, colours,
                          boxes=boxes, gap=gap,
                          leaders=leaders + [d for i, d in dots.items() if i != idx],
                          max_leader=MAX_LEADER["dense" if len(units) > DENSE else "sparse"],
                          crossed=lambda line, own=positions[idx]: _units_crossed(
                              tree, line, own))
        if text is None:
            continue
        placed.append(text)
        box = text.get_window_extent(renderer)
        boxes.append(box)
        right = text.get_ha() == "left"
        end_px = _leader_end(box, right)
        anchor_px = ax.transData.transform(anchor)
        leaders.append(shapely.LineString([anchor_px, end_px]).buffer(gap))
        end = ax.transData.inverted().transform(end_px)
        ax.plot([anchor[0], end[0]], [anchor[1], end[1]], color=colours["leader"],
                linewidth=0.8, zorder=14, path_effects=[
                    patheffects.withStroke(linewidth=2.2, foreground=colours["halo"])])
        ax.plot([anchor[0]], [anchor[1]], marker="o", markersize=3,
                color=colours["leader"], zorder=14)
    return placed


def _dot_box(ax, point, gap: float) -> Bbox:
    x, y = ax.transData.transform((point.x, point.y))
    return Bbox.from_extents(x - gap, y - gap, x + gap, y + gap)


def _beside_dot(ax, renderer, point, text: str, fontsize, colours, boxes, gap):
    """A point's label right of its dot, else left of it; None when both collide (a
    dense cluster of villages placed approximately: their names are in the lists)."""
    x, y = ax.transData.transform((point.x, point.y))
    for ha, dx in (("left", 2 * gap), ("right", -2 * gap)):
        xy = ax.transData.inverted().transform((x + dx, y))
        label = _text(ax, xy, text, fontsize, colours, ha=ha)
        box = label.get_window_extent(renderer)
        inside = ax.bbox.x0 <= box.x0 and box.x1 <= ax.bbox.x1
        if inside and not _collides(box, boxes, gap):
            boxes.append(box)
            return label
        label.remove()
    return None


def _anchor(geom) -> tuple[float, float]:
    part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    point = shapely.maximum_inscribed_circle(part, part.length / 500).coords[0] \
        if hasattr(shapely, "maximum_inscribed_circle") else part.representative_point().coords[0]
    return float(point[0]), float(point[1])


def _text(ax, xy, text, fontsize, colours, *, ha):
    return ax.text(xy[0], xy[1], text, ha=ha, va="center", fontsize=fontsize,
                   color=colours["text"], zorder=15, linespacing=1.1,
                   path_effects=[patheffects.withStroke(linewidth=2.5,
                                                        foreground=colours["halo"])])


def _fits(ax, geom, box: Bbox) -> bool:
    corners = ax.transData.inverted().transform([(box.x0, box.y0), (box.x1, box.y1)])
    rect = shapely.box(*corners[0], *corners[1])
    return geom.intersection(rect).area >= MIN_INSIDE * rect.area


def _collides(box: Bbox, boxes: _Boxes, gap: float) -> bool:
    return boxes.overlap(box, gap)


def _leader_end(box: Bbox, right: bool) -> tuple[float, float]:
    return (box.x0 - 2 if right else box.x1 + 2, (box.y0 + box.y1) / 2)


def _crosses(box: Bbox, right: bool, anchor_px, boxes: _Boxes, leaders: list) -> bool:
    """Whether the leader to ``box`` would cut a placed label, another leader or dot."""
    line = shapely.LineString([anchor_px, _leader_end(box, right)])
    return (bool(shapely.intersects(line, boxes.shapes()).any())
            or any(line.intersects(other) for other in leaders))


class _Boxes(list):
    """The labels' boxes placed so far, tested against all at once (a province has 100)."""

    def extents(self) -> np.ndarray:
        return np.array([b.extents for b in self]).reshape(-1, 4)

    def overlap(self, box: Bbox, gap: float) -> bool:
        x0, y0, x1, y1 = self.extents().T
        return bool(np.any((x0 < box.x1 + gap) & (x1 > box.x0 - gap)
                           & (y0 < box.y1 + gap) & (y1 > box.y0 - gap)))

    def shapes(self) -> np.ndarray:
        return shapely.box(*self.extents().T)


def _free_slot(ax, renderer, land, anchor, label, fontsize, colours, *, boxes, gap, leaders,
               max_leader, crossed):
    """The best slot beside the units, up or down the margin from ``anchor``.

    At each height the label sits just outside the units' outer edge on
    either side.  Of the slots free of labels and leaders the shortest
    leader wins, each other unit it runs through counting as
    :data:`CROSSING_COST` of the map's width more: a leader drawn across
    three leagues reads as belonging to any of them.  The label is measured
    once and its box moved by arithmetic.
    """
    frame = ax.get_window_extent(renderer)
    to_data = ax.transData.inverted()
    probe = _text(ax, anchor, label, fontsize, colours, ha="left")
    size = probe.get_window_extent(renderer)
    width, height = size.width, size.height
    step = height * 0.25
    pad = fontsize * 0.8
    anchor_px = ax.transData.transform(anchor)
    y_px = anchor_px[1]
    longest = max_leader * frame.width
    minx, _, maxx, _ = land.bounds
    best = None
    for k in range(int(longest / step) + 1):
        for sign in ((1,) if k == 0 else (1, -1)):
            y = y_px + sign * k * step
            y0, y1 = to_data.transform([(0, y - height / 2 - pad), (0, y + height / 2 + pad)])[:, 1]
            band = shapely.clip_by_rect(land, minx, y0, maxx, y1)
            left, right = (band.bounds[0], band.bounds[2]) if not band.is_empty \
                else (anchor[0], anchor[0])
            for ha, edge in (("left", right), ("right", left)):
                x_px = ax.transData.transform((edge, 0))[0] + (pad if ha == "left" else -pad)
                x0 = x_px if ha == "left" else x_px - width
                box = Bbox.from_extents(x0, y - height / 2, x0 + width, y + height / 2)
                end = _leader_end(box, ha == "left")
                length = np.hypot(end[0] - anchor_px[0], end[1] - anchor_px[1])
                if length > longest or (best is not None and best[0] <= length):
                    continue
                if box.y0 < frame.y0 or box.y1 > frame.y1 or box.x0 < frame.x0 \
                        or box.x1 > frame.x1:
                    continue
                if _collides(box, boxes, gap) or _crosses(box, ha == "left", anchor_px, boxes,
                                                          leaders):
                    continue
                line = shapely.LineString(to_data.transform([anchor_px, end]))
                cost = length + crossed(line) * CROSSING_COST * frame.width
                if best is None or cost < best[0]:
                    best = (cost, ha, x_px, y)
    if best is None:
        probe.remove()
        return None
    _, ha, x_px, y = best
    probe.set_ha(ha)
    probe.set_position(to_data.transform((x_px, y)))
    return probe


def _units_crossed(tree, line, own: int) -> int:
    """How many units other than ``own`` the leader ``line`` runs through."""
    hits = tree.query(line, predicate="crosses")
    return int(np.count_nonzero(hits != own))


