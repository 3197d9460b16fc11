"""Page furniture every page shares: the store, the region, errors shown once."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from geo.accounts import Account
from geo.actions import default_as_of
from geo.i18n import t, unit_name
from geo.programme import LEVELS
from geo.store import Store
from geo.units import find_region
from ui import data
from ui.auth import page_account
from ui.errors import shown_errors
from ui.state import View, current_view, go, show_view


@dataclass(frozen=True)
class Page:
    """What every page starts from: the view, the store and the region it shows."""

    view: View
    store: Store
    units: pd.DataFrame
    region: pd.Series
    account: Account | None = None      # None: the app runs open (no accounts)

    @property
    def path(self) -> str:
        return str(self.store.path)

    @property
    def version(self) -> tuple:
        return self.store.version

    @property
    def programme(self):
        return self.store.programme

    @property
    def lang(self) -> str:
        return self.view.lang


def open_page(*, role: str = "viewer", chrome: bool = True) -> Page:
    """Read the URL, sign in (when there are accounts) with at least ``role``, open
    the store, find the region; errors shown once, then stop.  ``chrome=False``
    (the wall) leaves out the signed-in line."""
    view = current_view()
    account = page_account(role, view.lang, chrome=chrome)
    with shown_errors():
        store = data.open_store()
    units = data.units(str(store.path), store.version)
    region = region_of(view, units)
    show_view(view)
    return Page(view, store, units, region, account)


def levels_below(region: pd.Series) -> list[str]:
    return list(LEVELS[LEVELS.index(region["level"]) + 1:])


def levels_drawn(region: pd.Series) -> list[str]:
    """The levels a map of ``region`` may show: its own (the region alone, a county
    office's own total, as ``summary --level county --region 150222`` lists it) and every
    one below it, but a province's villages (tens of megabytes in a browser, minutes to
    label) a league at a time."""
    return [region["level"], *(lv for lv in levels_below(region)
                               if not (region["level"] == "province" and lv == "village"))]


def ancestors(units: pd.DataFrame, code: str) -> list[pd.Series]:
    """The region's ancestors and itself, from the top down."""
    by_code = units.set_index("code", drop=False)
    chain = []
    while isinstance(code, str) and code in by_code.index:
        chain.append(by_code.loc[code])
        code = by_code.loc[code, "parent_code"]
    return chain[::-1]


def breadcrumb(view: View, units: pd.DataFrame, region: pd.Series) -> None:
    """Buttons up the tree: 内蒙古自治区 › 包头市 › 固阳县."""
    chain = ancestors(units, region["code"])
    columns = st.columns(len(chain) + 4, gap="small")
    for column, unit in zip(columns, chain):
        label = unit_name(unit["name"], view.lang)
        if unit["code"] == region["code"]:
            column.markdown(f"**{label}**")
        elif column.button(label, key=f"crumb-{unit['code']}", type="tertiary"):
            go(view, region=unit["code"], level=None)


def synthetic_notice(store, lang: str) -> None:
    if store.synthetic:
        st.caption(f"⚠ {t('synthetic_note', lang)}")


def region_of(view: View, units: pd.DataFrame) -> pd.Series:
    with shown_errors():
        return find_region(units, view.region)


def as_of_choice(view: View, store) -> object:
    """The as-of date: the URL's, else the data's (:func:`geo.actions.default_as_of`)."""
    return view.as_of or default_as_of(store)



def region_picker(where, units: pd.DataFrame, region: pd.Series, lang: str) -> str:
    """A select box of every unit down to townships, on ``region``; returns the code picked."""
    regions = units[units["level"].isin(["province", "league", "county", "township"])]
    codes = list(regions["code"])
    names = dict(zip(regions["code"], regions["name"]))
    return where.selectbox(t("region", lang), codes,
                           index=codes.index(region["code"]) if region["code"] in codes else 0,
                           format_func=lambda c: f"{unit_name(names[c], lang)} · {c}")
