"""The view lives in the URL: a link with parameters opens that exact view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import streamlit as st

PARAMS = ("region", "level", "item", "as_of", "lang")


@dataclass(frozen=True)
class View:
    region: str | None = None
    level: str | None = None
    item: str = "overall"
    as_of: dt.date | None = None
    lang: str = "zh"

    def params(self) -> dict[str, str]:
        """The query parameters of this view, defaults left out."""
        values = {"region": self.region, "level": self.level,
                  "item": None if self.item == "overall" else self.item,
                  "as_of": self.as_of.isoformat() if self.as_of else None,
                  "lang": None if self.lang == "zh" else self.lang}
        return {k: v for k, v in values.items() if v}


def current_view() -> View:
    """The view the URL asks for; unknown values fall back to defaults."""
    params = st.query_params
    as_of = None
    if params.get("as_of"):
        try:
            as_of = dt.date.fromisoformat(params["as_of"])
        except ValueError:
            as_of = None
    return View(region=params.get("region") or None, level=params.get("level") or None,
                item=params.get("item") or "overall", as_of=as_of,
                lang="en" if params.get("lang") == "en" else "zh")


def show_view(view: View) -> None:
    """Write the view into the URL (and so into the browser's history)."""
    wanted = view.params()
    for key in PARAMS:
        if key in wanted and st.query_params.get(key) != wanted[key]:
            st.query_params[key] = wanted[key]
        elif key not in wanted and key in st.query_params:
            del st.query_params[key]


def go(view: View, **changes) -> None:
    """Move to another view and rerun the page at once."""
    show_view(replace(view, **changes))
    st.rerun()
