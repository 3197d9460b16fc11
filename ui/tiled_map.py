"""The tiled map on a page: tiles kept per store, the view's colour table, a click.

``static/covermap/map.js`` is a Streamlit component (``st.components.v2``: it
lives in the page itself, not in an iframe).  Mounted under one key, it stays
across reruns: a new item, date or language changes its data, and the browser
repaints the tiles it already has.  Panning and zooming never rerun the script;
a click on a unit does, once, with that unit's code.
"""

from __future__ import annotations

import streamlit as st

from geo.store import Store
from geo.i18n import t
from geo.settings import Settings
from geo.tiles import TILES, LevelTiles, tiles_of
from ui.state import current_view

STATIC = TILES.parent
STATIC_URL = "/app/static"

_map = st.components.v2.component(
    "covermap_map", js=(STATIC / "covermap" / "map.js").read_text(encoding="utf-8"),
    isolate_styles=False)
_tips = st.components.v2.component(
    "covermap_tips", js=(STATIC / "covermap" / "tips.js").read_text(encoding="utf-8"))


@st.cache_resource(show_spinner=False, max_entries=4)
def tiles(path: str, version: tuple) -> dict[str, LevelTiles]:
    """Every level's tiles of the store, built where they are missing or stale (the
    first view after a change of boundaries made on the command line)."""
    with st.spinner(t("building_tiles", current_view().lang)):
        return tiles_of(Store(path))


def tiles_url(level_tiles: LevelTiles) -> str:
    """Where the browser fetches a level's tiles (the file's name says what it holds)."""
    served = level_tiles.location.resolve().relative_to(STATIC)
    return f"{STATIC_URL}/{served.as_posix()}"


def basemap() -> dict | None:
    """The configured tile server (``COVERMAP_TILES``) as the tiled map draws it under
    the units; None (no tiles, the default on a closed network)."""
    options = Settings.from_env().basemap_options()
    if not options["tiles"]:
        return None
    return {"url": options["tiles"], "attribution": options["attribution"],
            "subdomains": options["subdomains"]}


def tiled_map(data: dict, *, key: str) -> str | None:
    """Show the map of ``data`` (:func:`layers.interactive.tiled.colour_table`); the
    code of the unit clicked in this run, else None."""
    data = dict(data)
    breakdown = data.pop("breakdown", None)
    if breakdown:
        data["tipsKey"] = key
        _tips(data={"key": key, "breakdown": breakdown}, key=f"{key}-tips", height=0)
    result = _map(data=data, key=key, height=data["height"], on_clicked_change=lambda: None)
    return getattr(result, "clicked", None)
