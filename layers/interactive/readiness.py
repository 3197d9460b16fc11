"""The exit-readiness map: villages or counties by whether they pass the exit tests
of a year — passes, close, far, unknown — or by one criterion (incidence,
approval …), with the failing criteria in each tooltip."""

from __future__ import annotations

import pandas as pd

from geo.exit.criteria import CRITERIA_WORDS
from geo.tiles import LevelTiles
from layers.interactive.tiled import map_data
from layers.readiness_style import READINESS_COLOURS, READINESS_WORDS


def readiness_data(tiles: LevelTiles, url: str, status: pd.Series, tests: pd.DataFrame,
                   names: pd.Series, *, year: int, criterion: str | None = None,
                   lang: str = "zh", **options) -> dict:
    """The tiled map's data of units coloured by readiness (:func:`map_data`).

    Parameters
    ----------
    status
        Indexed by code: ``passes``, ``close``, ``far`` or ``unknown``
        (:func:`geo.exit.readiness.readiness_of`), for the units shown.
    tests
        The long table of every criterion, for the tooltips.
    names
        Indexed by code: each unit's name in ``lang``, for the tooltips.
    criterion
        The criterion ``status`` is of, for the title; None for all.
    """
    words = READINESS_WORDS["en" if lang == "en" else "zh"]
    by_unit = tests.groupby("code")
    tips = pd.Series([_tip(names.get(code, code), state,
                           by_unit.get_group(code) if code in by_unit.groups else tests.iloc[:0],
                           words, lang)
                      for code, state in status.items()], index=status.index)
    title = words["title"].format(year=year)
    if criterion:
        title += " · " + CRITERIA_WORDS[criterion][lang == "en"]
    counts = status.value_counts()
    # Each state a character of its own: its initial (p, c, f, u, n).
    characters = {state: state[0] for state in READINESS_COLOURS}
    legend = {"title": title, "notes": [], "rows": [
        [READINESS_COLOURS[s], f"{words[s]}  {int(counts.get(s, 0))}", False]
        for s in READINESS_COLOURS if s != "not_due" or s in counts]}
    return map_data(tiles, url, status.map(characters),
                    {c: READINESS_COLOURS[s] for s, c in characters.items()}, tips=tips,
                    legend=legend, lang=lang, clickable=False,
                    first_labels=status.isin(["far", "close"]), **options)


def _tip(name, status: str, tests: pd.DataFrame, words: dict, lang: str) -> str:
    """Plain text: the unit and its state, then a line per criterion (value / line, ✓ ✗)."""
    lines = [f"{name} · {words[status]}"]
    lines += [f"{CRITERIA_WORDS[r.criterion][lang == 'en']}  {_value(r)}  {_mark(r.passes)}"
              for r in tests.itertuples()]
    return "\n".join(lines)


def _mark(passes) -> str:
    if passes is None or pd.isna(passes):
        return "?"
    return "✓" if passes else "✗"


def _value(row) -> str:
    if row.value is None or pd.isna(row.value):
        return "—"
    unit = "" if row.criterion == "items" else "%"
    return f"{float(row.value):.1f}{unit} / {float(row.line):g}{unit}"
