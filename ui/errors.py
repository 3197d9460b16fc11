"""Errors on a page: once, in the page's language, naming the page's control where
the command line would name its flag."""

from __future__ import annotations

from contextlib import contextmanager

import streamlit as st

from geo.errors import CovermapError
from geo.i18n import WORDS, t
from geo.i18n.errors import detail_lines, error_text, param_label
from ui.state import current_view


@contextmanager
def shown_errors():
    """A covermap error becomes one st.error in the page's language, naming the
    page's control where the CLI would name its flag; then the page stops."""
    try:
        yield
    except CovermapError as exc:
        lang = current_view().lang
        st.error(error_message(exc, lang))
        for line in detail_lines(exc, lang, label=control_label(exc, lang))[:20]:
            st.caption(line)
        st.stop()


def error_message(error: CovermapError, lang: str) -> str:
    """``error`` in ``lang``, its input named as the page's control is labelled."""
    return error_text(error, lang, label=control_label(error, lang))


def control_label(error: CovermapError, lang: str) -> str | None:
    """How a page labels the input ``error`` names: its control's label where the
    page has one (区域, 层级 ...), else the input's plain name."""
    if not error.param:
        return None
    return t(error.param, lang) if error.param in WORDS else param_label(error.param, lang)
