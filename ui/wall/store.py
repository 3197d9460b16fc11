"""Reading the store for the wall, which must outlive a store gone for a while.

A wall runs all day: when its store cannot be read (a share unmounted, a file
being replaced, the database restarting) it keeps the last figures up with a
notice, and logs why.  Only what reading a lost store raises is caught
(:data:`STORE_LOST`); any other error is a bug and shows.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3

import psycopg
import pyogrio.errors
import streamlit as st

from geo.errors import StoreError
from geo.store import store_version
from geo.wall import WallBoard, wall_board
from ui import data
from ui.common import Page, open_page

log = logging.getLogger(__name__)

# What reading a store that is gone or being replaced raises: no store there
# (StoreError, also a database that does not answer), a file gone (OSError from
# its stat, GDAL's DataSourceError), SQLite or PostgreSQL losing the connection.
STORE_LOST = (StoreError, OSError, sqlite3.OperationalError, psycopg.OperationalError,
              pyogrio.errors.DataSourceError)


@st.cache_resource(show_spinner=False, max_entries=8)
def board_of(path: str, version: tuple, *, level: str, region: str,
             as_of: dt.date | None) -> WallBoard:
    return wall_board(data.map_source(path, version), level=level, region=region, as_of=as_of)


def read_version(path: str) -> tuple | None:
    """The store's version now; None (logged) when it cannot be read."""
    try:
        return store_version(path)
    except STORE_LOST as exc:
        log.warning("the wall cannot read the store %s (%s: %s); it keeps its last figures",
                    path, type(exc).__name__, exc)
        return None


def wall_page() -> tuple[Page, tuple, tuple | None]:
    """The page as opened (URL, account, store, region), the store's version then,
    and its version now (None when it cannot be read).

    While the store cannot be read, the page last opened stays, with its
    version: a store gone must not turn the wall into an error page.
    """
    if "wall_page" in st.session_state:
        now = read_version(data.store_path())
        if now is None:
            page, opened = st.session_state["wall_page"]
            return page, opened, None
    page = open_page(chrome=False)
    st.session_state["wall_page"] = (page, page.version)
    return page, page.version, page.version


def latest_board(path: str, version: tuple | None, *, level: str, region: str,
                 as_of: dt.date | None) -> tuple[WallBoard | None, bool]:
    """The board of the store at ``version`` and False; when it cannot be read (or
    ``version`` is None) the last good board, None before there is one, and True."""
    if version is None:
        return st.session_state.get("wall_good"), True
    try:
        board = board_of(path, version, level=level, region=region, as_of=as_of)
    except STORE_LOST:
        log.warning("the wall cannot read the store %s; it keeps its last figures", path,
                    exc_info=True)
        return st.session_state.get("wall_good"), True
    st.session_state["wall_good"] = board
    return board, False
