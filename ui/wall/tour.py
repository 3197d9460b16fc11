"""What the wall shows at each step of its rotation: the items of the region
(overall first), or on a tour (``tour=children``) each child of the region with
its own units, the map panned to it."""

from __future__ import annotations

import time

import geopandas as gpd
import pandas as pd

from geo.units import child_level, descendants
from geo.wall import step_at, tour_steps
from ui import data
from ui.backdrop import framed, outline_under
from ui.wall.layer import Shown


def steps(programme, children: gpd.GeoDataFrame, units: pd.DataFrame, *,
          tour: bool) -> list[str]:
    """What the wall rotates through: items (overall first), or the region's children
    that have units of their own to show."""
    if tour:
        return tour_steps(units, children["code"])
    return ["overall", *programme.item_keys]


def current_step(sequence: list[str], *, rotate: int, tour: bool, item: str) -> str:
    """The step shown now: by the clock when the wall rotates; else ``item`` (the
    first child on a tour)."""
    if not rotate:
        return sequence[0] if tour else item
    return step_at(sequence, now=time.time(), every=rotate)


def shown_for(step: str, whole: Shown, units: pd.DataFrame, *, tour: bool, path: str,
              version: tuple) -> Shown:
    """What ``step`` shows: the whole region, or on a tour the child ``step`` with
    the units one level below it, the map fitted to them."""
    if not tour:
        return whole
    child = units.set_index("code", drop=False).loc[step]
    below = child_level(units, child)
    inside = data.shapes(path, version, below)
    inside = inside[inside["code"].isin(descendants(units, step)["code"])]
    inside = inside.set_index("code", drop=False)
    outline = outline_under(inside, path=path, version=version, code=step)
    bounds = tuple(framed(inside, outline, step))
    return Shown(child, below, inside, fit=bounds, outline=outline, frame=bounds)
