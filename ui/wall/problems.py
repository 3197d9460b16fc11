"""The wall's problems mode (``/wall?mode=problems``): supervision problems not yet
rectified, as dots over the units, each unit labelled with its overdue count, and a
board of the units with the most overdue problems."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from geo.i18n import level_label, t, unit_name
from geo.programme import Programme
from geo.supervision.problems import SETTLED, rectification_ledger
from geo.wall_checks import problem_counts, problems_within
from layers.interactive.problems import PROBLEM_COLOURS, PROBLEM_WORDS
from layers.interactive.problems import villages_with_problems
from ui import data
from ui.wall.html import Html, fill
from ui.wall.layer import Drawn, Shown, unit_labels, units_layer
from ui.wall.style import BOARD_ROWS, board, kpi_tiles, legend

# Units with overdue problems darker red the more they have; none, the background grey.
# Dots seen from across the room: twice and more the desk map's.
DOT_SCALE = 2.2
OVERDUE_STEPS = ((0, "#2f3540"), (1, "#5c2a2e"), (3, "#8a2b2f"), (6, "#b3262b"))


@dataclass(frozen=True)
class ProblemsCheck:
    """The problems inside the region on ``as_of`` (one row each, with its status)
    and their ledger per unit of the level shown."""

    as_of: dt.date
    status: pd.DataFrame
    ledger: pd.DataFrame


def problems_check(path: str, version: tuple, *, level: str, region: pd.Series,
                   units: pd.DataFrame, as_of: dt.date) -> ProblemsCheck | None:
    """The problems inside ``region`` and the ledger of ``level``, or None when the
    store has no problems there."""
    status = problems_within(data.problems_on(path, version, as_of), units, region["code"])
    if status.empty:
        return None
    return ProblemsCheck(as_of, status, rectification_ledger(status, units, level=level))


def draw_problems(check: ProblemsCheck, shown: Shown, *, programme: Programme, lang: str,
                  path: str, version: tuple) -> Drawn:
    """The problems' map, legend and board."""
    words = PROBLEM_WORDS["en" if lang == "en" else "zh"]
    keys = [(PROBLEM_COLOURS[k], words[k]) for k in ("overdue", "open")]
    return Drawn(
        title=t("wall_problems_title", lang),
        layer=problems_layer(check, shown, lang=lang, path=path, version=version),
        legend=legend(t("wall_mode_problems", lang, d=check.as_of.isoformat()), keys,
                      dots=True),
        board=problems_board(check, programme, shown, lang=lang))


def problems_layer(check: ProblemsCheck, shown: Shown, *, lang: str, path: str,
                   version: tuple):
    """The units filled by their overdue count and labelled with it, the open problems'
    villages as dots (no tooltips: nobody hovers over a wall)."""
    drawn = shown.shapes
    overdue = check.ledger.set_index("code")["overdue"].reindex(drawn.index).fillna(0)
    fills = overdue.map(lambda n: next(c for at, c in reversed(OVERDUE_STEPS) if n >= at))
    words = t("wall_overdue_n", lang)
    texts = unit_labels(drawn, lang) + overdue.map(
        lambda n: f"\n{words.format(n=int(n))}" if n else "")
    villages = data.shapes(path, version, "village")
    unsettled = check.status[~check.status["status"].isin(SETTLED)]
    dots = villages_with_problems(unsettled, villages)
    return units_layer(drawn, fills, texts, shown, first=overdue > 0, dots=[
        {"lat": p.y, "lon": p.x, "colour": PROBLEM_COLOURS[worst], "edge": "#333333",
         "radius": DOT_SCALE * (5 + min(int(n), 5))}
        for p, worst, n in zip(dots.geometry.representative_point(), dots["worst"],
                               dots["count"])])


def problems_board(check: ProblemsCheck, programme: Programme, shown: Shown, *,
                   lang: str) -> Html:
    """KPI tiles (open, overdue) and the units with the most overdue problems."""
    unsettled, overdue = problem_counts(check.status)
    tiles = kpi_tiles([(t("wall_open_problems", lang), f"{unsettled:,}"),
                       (t("wall_overdue_problems", lang), f"{overdue:,}")])
    rows = [fill('<tr class="{overdue}"><td class="name">{name}</td>'
                 '<td class="verdict">{verdict}</td></tr>',
                 overdue="wall-last" if row.overdue else "", name=unit_name(row.name, lang),
                 verdict=t("wall_problems_row", lang, overdue=row.overdue, open=row.open,
                           rate=f"{row.rate:.0f}"))
            for row in check.ledger.head(BOARD_ROWS).itertuples()]
    title = t("wall_problems_board", lang, level=level_label(programme, shown.level, lang))
    return Html(tiles + board(title, rows))
