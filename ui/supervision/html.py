"""The supervision maps' bits of HTML, built from escaped values only: a legend row's
swatch and a village's coverage tooltip."""

from __future__ import annotations

from geo.i18n import t, unit_name
from layers.interactive.escape import safe_text

_SWATCH = ("display:inline-block;width:14px;height:14px;margin-right:6px;border-radius:7px;"
           "vertical-align:middle;border:1px solid #333;background:")


def swatch(colour: str) -> str:
    """A legend row's swatch (the CSS of :func:`layers.interactive.legend.add_legend_rows`):
    a round dot of ``colour``."""
    return f"{_SWATCH}{safe_text(colour)};"


def coverage_tip(name: str, rounds: list[int], lang: str) -> str:
    """A village's tooltip on the coverage map: its name, then the rounds that visited
    it (or that none did), escaped."""
    visited = "、".join(t("sup_round", lang, n=r) for r in rounds) or t("sup_never", lang)
    return f"<b>{safe_text(unit_name(name, lang))}</b><br>{safe_text(visited)}"
