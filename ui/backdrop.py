"""The outline drawn under dots (units placed approximately), read once per store version."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from geo.backdrop import backdrop
from geo.display import display_units
from geo.store import Store
from layers.interactive.backdrop import bounds_with


@st.cache_resource(show_spinner=False, max_entries=16)
def outline_of(path: str, version: tuple, code: str) -> gpd.GeoDataFrame | None:
    """The polygon of ``code`` or of its nearest ancestor with one
    (:func:`geo.backdrop.backdrop`), simplified for the browser; None without one."""
    found = backdrop(Store(path), code)
    if found is None:
        return None
    return display_units(found, level=found["level"].iloc[0])


def outline_under(shapes: gpd.GeoDataFrame, *, path: str, version: tuple,
                  code: str) -> gpd.GeoDataFrame | None:
    """:func:`outline_of` the region ``code`` where ``shapes`` (the units drawn) has
    a dot; None where every unit has its own polygon."""
    if "approximate" not in shapes or not shapes["approximate"].any():
        return None
    return outline_of(path, version, code)


def framed(shapes: gpd.GeoDataFrame, outline: gpd.GeoDataFrame | None, code: str):
    """The bounds a map of ``shapes`` opens on: with ``outline`` where it is the region
    ``code``'s own polygon (or ``shapes`` is a single dot), else ``shapes`` alone — an
    ancestor's polygon (the county under a township's villages) would shrink them."""
    if outline is not None and (outline["code"].iloc[0] == code or len(shapes) < 2):
        return bounds_with(shapes, outline)
    return shapes.total_bounds
