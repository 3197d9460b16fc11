"""The wall's map: a mode's layer (:class:`ui.wall.layer.WallLayer`) as the tiled map's
colour table — dark, no controls, labels sized with the screen."""

from __future__ import annotations


import streamlit as st

from geo.tiles import LevelTiles
from layers.interactive.backdrop import WALL
from layers.interactive.tiled import map_data
from layers.interactive.wall import EDGE, NO_DATA
from ui import tiled_map as tiled
from ui.wall.layer import Shown, WallLayer
from ui.wall.store import STORE_LOST

BACKGROUND = "#1b1f27"
# A share of the screen's height, so that 1080p and 4K agree; the map is 80 vh tall.
HEIGHT, LABEL_SIZE = "80vh", "2.4vh"


def wall_tiles(path: str, version: tuple, level: str) -> tuple[LevelTiles, str]:
    """The level's tiles and their URL; while the store cannot be read, the last ones
    (the wall keeps its last figures, and its map)."""
    try:
        level_tiles = tiled.tiles(path, version)[level]
    except STORE_LOST:
        return st.session_state["wall_tiles"][level]
    shown = (level_tiles, tiled.tiles_url(level_tiles))
    st.session_state.setdefault("wall_tiles", {})[level] = shown
    return shown


def wall_map_data(layer: WallLayer, shown: Shown, tiles: LevelTiles, url: str, *,
                  lang: str, basemap: dict | None) -> dict:
    """The wall's view of ``shown``: the layer's colours by class character, its labels
    on one line, its dots, the whole region framed (or the child a tour is on)."""
    fills = layer.fills.fillna(NO_DATA)
    # Each colour a mode uses gets a character of its own: A, B, C …
    characters = {colour: chr(ord("A") + k) for k, colour in enumerate(dict.fromkeys(fills))}
    bounds = shown.fit if shown.fit is not None else shown.frame
    return map_data(
        tiles, url, fills.map(characters), {c: colour for colour, c in characters.items()},
        label_texts=layer.labels.fillna("").str.replace("\n", " "),
        first_labels=layer.first, sites=layer.dots,
        view=f"{shown.region['code']}/{shown.level}/{bounds}", bounds=bounds,
        outline=shown.outline, outline_style=WALL, lang=lang, clickable=False,
        paint={"opacity": 0.92, "stroke": EDGE, "width": 1.5}, kiosk=True,
        height=HEIGHT, label_size=LABEL_SIZE, background=BACKGROUND,
        basemap=basemap)
