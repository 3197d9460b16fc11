"""The tiled map on a page: tiles kept per store, the view's colour table, a click.

``static/covermap/map.js`` is a Streamlit component (``st.components.v2``: it
lives in the page itself, not in an iframe).  Mounted under one key, it stays
across reruns: a new item, date or language changes its data, and the browser
repaints the tiles it already has.  Panning and zooming never rerun the script;
a click on a unit does, once, with that unit's code.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from geo.store import Store
from geo.tiles import LevelTiles, ensure_tiles, tile_folder

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
TILES = STATIC / "tiles"
STATIC_URL = "/app/static"

_component = st.components.v2.component(
    "covermap_map", js=(STATIC / "covermap" / "map.js").read_text(encoding="utf-8"),
    isolate_styles=False)


@st.cache_resource(show_spinner=False, max_entries=4)
def tiles(path: str, version: tuple) -> dict[str, LevelTiles]:
    """Every level's tiles of the store, built where they are missing or stale."""
    store = Store(path)
    return ensure_tiles(store, tile_folder(TILES, store.label))


def tiles_url(path: str, level_tiles: LevelTiles) -> str:
    """Where the browser fetches a level's tiles; the fingerprint keeps caches honest."""
    folder = tile_folder(TILES, Store(path).label).relative_to(STATIC)
    return f"{STATIC_URL}/{folder.as_posix()}/{level_tiles.file}?v={level_tiles.fingerprint}"


def tiled_map(data: dict, *, key: str) -> str | None:
    """Show the map of ``data`` (:func:`layers.interactive.tiled.colour_table`); the
    code of the unit clicked in this run, else None."""
    result = _component(data=data, key=key, height=data["height"],
                        on_clicked_change=lambda: None)
    return getattr(result, "clicked", None)
