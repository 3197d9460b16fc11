"""Loaders cached on the store's version: an import shows without a restart.

``st.cache_data`` cannot hash a GeoDataFrame, so every cached function takes
the store's path and version (which changes with every write) and reads what
it needs itself.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.actions import map_source_of
from geo.display import display_units
from geo.gaps import fully_covered, uncovered_villages, unreported_villages, village_gaps
from geo.i18n import t
from geo.map_view import MapSource
from geo.placement import units_to_draw
from geo.service_gaps import villages_far_from_sites
from geo.settings import Settings
from geo.store import Store
from geo.summary import index_history, summarise
from geo.units import descendants
from ui.state import current_view


def store_path() -> str:
    """``$COVERMAP_STORE`` (a file or a ``postgresql://`` URL), else the demo (built on
    first use, with a progress bar)."""
    path = Settings.from_env().store
    if path:
        return path
    from geo.demo import demo_path, demo_store

    demo = demo_path()
    if not demo.exists():
        with st.spinner(t("building_demo", current_view().lang)):
            demo_store(progress=False)
    return str(demo)


def open_store() -> Store:
    return Store(store_path())


@st.cache_resource(show_spinner=False, max_entries=2)
def map_source(path: str, version: tuple) -> MapSource:
    """The store read once for every export map and deck drawn from it (about a second)."""
    return map_source_of(Store(path))


@st.cache_resource(show_spinner=False, max_entries=4)
def units(path: str, version: tuple) -> pd.DataFrame:
    return Store(path).units()


@st.cache_resource(show_spinner=False, max_entries=2)
def progress(path: str, version: tuple) -> pd.DataFrame:
    return Store(path).progress()


@st.cache_resource(show_spinner=False, max_entries=16)
def shapes(path: str, version: tuple, level: str):
    """Simplified geometry of one level, for the browser."""
    return display_units(units_to_draw(Store(path), level), level=level)


@st.cache_resource(show_spinner=False, max_entries=8)
def extents(path: str, version: tuple, level: str) -> gpd.GeoDataFrame:
    """Each unit's bounding box, indexed by code, and whether it is a dot
    (``approximate``): where a tiled map of some of a level's units opens."""
    drawn = units_to_draw(Store(path), level)
    return gpd.GeoDataFrame({"approximate": drawn["approximate"].to_numpy()},
                            geometry=drawn.geometry.envelope.to_numpy(), crs=drawn.crs,
                            index=pd.Index(drawn["code"].astype(str), name="code"))


def extents_of(path: str, version: tuple, level: str, codes) -> gpd.GeoDataFrame:
    """:func:`extents` of the units ``codes`` that are drawn (those with a place)."""
    found = extents(path, version, level).reindex(pd.Index(codes).astype(str))
    return found[found.geometry.notna()]


@st.cache_resource(show_spinner=False, max_entries=2)
def sites(path: str, version: tuple):
    return Store(path).sites()


@st.cache_data(show_spinner=False, max_entries=64)
def summary(path: str, version: tuple, *, level: str, region: str | None,
            item: str | None, as_of: dt.date | None) -> pd.DataFrame:
    store = Store(path)
    return summarise(units(path, version), progress(path, version), store.programme,
                     level=level, region=region, item=item, as_of=as_of,
                     snapshot_dates=store.snapshot_dates())


@st.cache_data(show_spinner=False, max_entries=32)
def history(path: str, version: tuple, code: str) -> pd.DataFrame:
    store = Store(path)
    return index_history(units(path, version), progress(path, version), store.programme,
                         code=code, dates=store.snapshot_dates())


@st.cache_data(show_spinner=False, max_entries=32)
def villages_covered(path: str, version: tuple, *, region: str | None, as_of: dt.date) -> int:
    """How many villages of ``region`` are fully covered (:func:`geo.gaps.fully_covered`)."""
    store = Store(path)
    return int(fully_covered(village_gaps(units(path, version), progress(path, version),
                                          store.programme, region=region, as_of=as_of)).sum())


@st.cache_data(show_spinner=False, max_entries=32)
def gaps(path: str, version: tuple, *, region: str | None, as_of: dt.date) -> pd.DataFrame:
    store = Store(path)
    return uncovered_villages(units(path, version), progress(path, version), store.programme,
                              region=region, as_of=as_of)


@st.cache_data(show_spinner=False, max_entries=32)
def unreported(path: str, version: tuple, *, region: str | None, as_of: dt.date) -> pd.DataFrame:
    store = Store(path)
    return unreported_villages(units(path, version), progress(path, version), store.programme,
                               region=region, as_of=as_of)


@st.cache_data(show_spinner=False, max_entries=32)
def far_villages(path: str, version: tuple, *, region: str, item: str, km: float):
    """Villages farther than ``km`` from a completed site, on the true (unsimplified) shapes."""
    inside = set(descendants(units(path, version), region)["code"])
    villages = Store(path).units(level="village", geometry=True)
    far = villages_far_from_sites(villages[villages["code"].isin(inside)], sites(path, version),
                                  item=item, km=km)
    return far.drop(columns="geometry")



@st.cache_data(show_spinner=False, max_entries=8)
def village_figures(path: str, version: tuple, table: str) -> pd.DataFrame:
    return Store(path).village_figures(table)


@st.cache_data(show_spinner=False, max_entries=16)
def readiness(path: str, version: tuple, *, level: str, region: str, year: int):
    """The exit tests of ``year`` (:func:`geo.exit.readiness.exit_readiness`)."""
    from geo.exit.readiness import exit_readiness

    store = Store(path)
    return exit_readiness(units(path, version), progress(path, version),
                          village_figures(path, version, "households"),
                          village_figures(path, version, "samples"), store.programme,
                          level=level, region=region, year=year)


@st.cache_data(show_spinner=False, max_entries=8)
def records(path: str, version: tuple, table: str) -> pd.DataFrame:
    """A supervision table's rows in force (``visits``, ``problems``, ``problem_events``)."""
    return Store(path).records(table)


@st.cache_data(show_spinner=False, max_entries=16)
def problems_on(path: str, version: tuple, as_of: dt.date) -> pd.DataFrame:
    """Each problem's status on ``as_of`` (:func:`geo.supervision.problems.problem_status`)."""
    from geo.supervision.problems import problem_status

    return problem_status(records(path, version, "problems"),
                          records(path, version, "problem_events"), as_of=as_of)


@st.cache_data(show_spinner=False, max_entries=8)
def supervision_as_of(path: str, version: tuple) -> dt.date:
    """The supervision's date (:func:`geo.supervision.rounds.supervision_as_of`), read
    once per store version."""
    from geo.supervision.rounds import supervision_as_of as latest

    return latest(Store(path))


@st.cache_data(show_spinner=False, max_entries=8)
def round_plan(path: str, version: tuple, *, region: str, per_county: int, allocate: str,
               weight: str | None, include: tuple, seed: int, as_of: dt.date):
    """``(plan, number)`` of the next round (:func:`geo.supervision.rounds.plan_store_round`): drawn
    once for its settings, not again on each rerun of the page (a team picked, …)."""
    from geo.supervision.rounds import plan_store_round

    return plan_store_round(Store(path), region=region, per_county=per_county,
                            allocate=allocate, weight=weight, include=dict(include),
                            seed=seed, as_of=as_of)
