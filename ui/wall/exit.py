"""The wall's exit mode (``mode=exit``, a poverty-exit store): each county or village
coloured by its exit check, the failing labelled with the criteria that hold them
back, and a board of who fails and by how much."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.exit.criteria import CRITERIA_WORDS
from geo.exit.readiness import Readiness, readiness_status
from geo.i18n import level_label, t, unit_name
from geo.programme import Programme
from geo.exit.readiness import EXIT_LEVELS, exit_year
from geo.wall_checks import FAILING, exit_figures, shortfalls
from layers.interactive.wall import EXIT_COLOURS
from layers.readiness_style import READINESS_WORDS
from ui import data
from ui.wall.html import Html, fill
from ui.wall.layer import Drawn, Shown, unit_labels, units_layer
from ui.wall.style import BOARD_ROWS, board, count_of, kpi_tiles, legend


@dataclass(frozen=True)
class ExitCheck:
    """The exit check of the units shown: its year, the readiness tests and each
    unit's status (indexed by code; villages not due this year ``not_due``)."""

    year: int
    readiness: Readiness
    status: pd.Series


def exit_check(programme: Programme, shown: Shown, *, path: str,
               version: tuple) -> ExitCheck | None:
    """The exit check of ``shown``'s units in the latest year of household counts;
    None where it does not apply (no exit rules, another level, no counts)."""
    if not programme.has_exit_rules or shown.level not in EXIT_LEVELS:
        return None
    year = exit_year(data.village_figures(path, version, "households"))
    if year is None:
        return None
    readiness = data.readiness(path, version, level=shown.level,
                               region=shown.region["code"], year=year)
    return ExitCheck(year, readiness, readiness_status(readiness, programme))


def draw_exit(check: ExitCheck, shown: Shown, *, programme: Programme, lang: str) -> Drawn:
    """The exit check's map, legend and board."""
    title = t("wall_mode_exit", lang, year=check.year)
    figures = exit_figures(check.status)
    words = READINESS_WORDS["en" if lang == "en" else "zh"]
    keys = [(EXIT_COLOURS[k], words[k]) for k in EXIT_COLOURS
            if k != "not_due" or figures.any_not_due]
    return Drawn(title=title, layer=_exit_layer(check, shown, lang=lang),
                 legend=legend(title, keys),
                 board=_exit_board(check, shown, programme=programme, lang=lang))


def _criteria_words(criteria, english: bool) -> str:
    return "、".join(CRITERIA_WORDS[c][english] for c in criteria)


def _exit_layer(check: ExitCheck, shown: Shown, *, lang: str):
    drawn = shown.shapes.loc[shown.shapes.index.isin(check.status.index)]
    failing = check.readiness.verdicts.set_index("code")["failing"]
    english = lang == "en"
    # A failing unit's label says what holds it back: 色达县 / 贫困发生率.
    texts = unit_labels(drawn, lang) + failing.reindex(drawn.index).map(
        lambda f: "" if not isinstance(f, list) or not f else
        "\n" + _criteria_words(f, english))
    status = check.status.reindex(drawn.index)
    return units_layer(drawn, status.map(EXIT_COLOURS), texts, shown,
                       first=status.isin(FAILING))


def _exit_board(check: ExitCheck, shown: Shown, *, programme: Programme, lang: str):
    """KPI tiles (passing of tested) and the units that fail, worst first, each with
    its failing criteria against their lines."""
    figures = exit_figures(check.status)
    tiles = kpi_tiles([(t("wall_mode_exit", lang, year=check.year),
                        count_of(figures.passing, figures.tested))])
    verdicts = check.readiness.verdicts.set_index("code")
    english = lang == "en"
    rows = []
    for code in figures.failing[:BOARD_ROWS]:
        why = "；".join(
            f"{CRITERIA_WORDS[s.criterion][english]} {s.value:.1f}{'%' if s.percent else ''}"
            f" / {s.line:g}{'%' if s.percent else ''}"
            for s in shortfalls(verdicts.loc[code, "failing"], check.readiness.tests, code))
        rows.append(fill('<tr class="{far}"><td class="name">{name}</td>'
                         '<td class="verdict">{why}</td></tr>',
                         far="wall-last" if check.status[code] == "far" else "",
                         name=unit_name(verdicts.loc[code, "name"], lang), why=why))
    if not figures.failing:
        rows.append(fill('<tr><td class="name">{none}</td></tr>',
                         none=t("wall_exit_none", lang)))
    title = t("wall_exit_board", lang, level=level_label(programme, shown.level, lang))
    return Html(tiles + board(title, rows))
