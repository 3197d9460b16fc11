"""The wall's problems mode (``/wall?mode=problems``): supervision problems not yet
rectified, as dots over the units, each unit labelled with its overdue count, and a
board of the units with the most overdue problems."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geo.i18n import level_label, t, unit_name
from geo.names import short_form
from geo.supervision.problems import SETTLED, rectification_ledger
from geo.units import descendants
from layers.interactive.escape import safe_text
from layers.interactive.problems import PROBLEM_COLOURS, PROBLEM_WORDS, problem_dots
from layers.interactive.problems import villages_with_problems
from layers.interactive.wall import wall_layer
from ui import data
from ui.wall.style import board_start, kpi_tiles

# Units with overdue problems darker red the more they have; none, the background grey.
# Dots seen from across the room: twice and more the desk map's.
DOT_SCALE = 2.2
OVERDUE_STEPS = ((0, "#2f3540"), (1, "#5c2a2e"), (3, "#8a2b2f"), (6, "#b3262b"))


def problems_check(path: str, version: tuple, *, level: str, region: pd.Series, units,
                   as_of: dt.date):
    """(as_of, problems not settled inside the region, the ledger of ``level``), or None
    when the store has no problems there."""
    status = data.problems_on(path, version, as_of)
    status = status[status["unit_code"].isin(set(descendants(units, region["code"])["code"]))]
    if status.empty:
        return None
    return as_of, status, rectification_ledger(status, units, level=level)


def problems_layer(check, shown, *, lang: str, path: str, version: tuple, font_px: int,
                   font_css: str):
    """The units filled by their overdue count and labelled with it, the open problems'
    villages as dots (no tooltips: nobody hovers over a wall)."""
    _, status, ledger = check
    drawn = shown.shapes
    overdue = ledger.set_index("code")["overdue"].reindex(drawn.index).fillna(0)
    fills = overdue.map(lambda n: next(c for at, c in reversed(OVERDUE_STEPS) if n >= at))
    names = drawn.apply(lambda r: short_form(r["code"], r["name"]) if lang == "zh"
                        else unit_name(r["name"], lang), axis=1)
    words = t("wall_overdue_n", lang)
    texts = names + overdue.map(lambda n: f"\n{words.format(n=int(n))}" if n else "")
    villages = data.shapes(path, version, "village")
    unsettled = status[~status["status"].isin(SETTLED)]
    dots = villages_with_problems(unsettled, villages)
    # Placed for the 1080p map the labels are placed for (a dot of up to 22 px).
    layer = wall_layer(drawn, fills, texts, zoom=shown.zoom, font_px=font_px,
                       font_css=font_css, fit=shown.fit, first=overdue > 0,
                       avoid=dots.geometry, avoid_px=DOT_SCALE * 10)
    problem_dots(dots, lang=lang, tips=False, scale=DOT_SCALE).add_to(layer)
    return layer


def problems_legend(check, lang: str) -> str:
    words = PROBLEM_WORDS["en" if lang == "en" else "zh"]
    cells = "".join(f'<span class="wall-key"><i style="background:{PROBLEM_COLOURS[k]};'
                    f'border-radius:50%"></i>{safe_text(words[k])}</span>'
                    for k in ("overdue", "open"))
    title = t("wall_mode_problems", lang, d=check[0].isoformat())
    return f'<div class="wall-legend"><b>{safe_text(title)}</b>{cells}</div>'


def problems_board(check, programme, shown, *, lang: str, rows: int) -> str:
    """KPI tiles (open, overdue) and the units with the most overdue problems."""
    _, status, ledger = check
    unsettled = ~status["status"].isin(SETTLED)
    tiles = [(t("wall_open_problems", lang), f"{int(unsettled.sum()):,}"),
             (t("wall_overdue_problems", lang), f"{int(status['overdue'].sum()):,}")]
    title = t("wall_problems_board", lang, level=level_label(programme, shown.level, lang))
    html = [kpi_tiles(tiles), board_start(title)]
    for row in ledger.head(rows).itertuples():
        verdict = t("wall_problems_row", lang, overdue=row.overdue, open=row.open,
                    rate=f"{row.rate:.0f}")
        html.append(f'<tr class="{"wall-last" if row.overdue else ""}">'
                    f'<td class="name">{safe_text(unit_name(row.name, lang))}</td>'
                    f'<td class="verdict">{safe_text(verdict)}</td></tr>')
    html.append("</table></div>")
    return "".join(html)
