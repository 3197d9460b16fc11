"""What the three progress modes (completion, forecast, change) share: the ranked
units on the map, filled by the mode and labelled with a figure, and the board
of KPI tiles and the ranking beside it."""

from __future__ import annotations

import pandas as pd

from geo.i18n import item_label, level_label, t, unit_name
from geo.programme import Programme
from geo.wall import WallBoard, labelled_first, listed_rows, ranking_verdicts
from ui.wall.html import Html, fill
from ui.wall.layer import Shown, unit_labels, units_layer
from ui.wall.style import BOARD_ROWS, board, count_of, kpi_tiles


def item_words(item: str, programme: Programme, lang: str) -> str:
    """The title's words for an item (``overall``: the overall index)."""
    return t("overall", lang) if item == "overall" else item_label(programme.item(item), lang)


def children_layer(wall: WallBoard, item: str, shown: Shown, *, fills: pd.Series,
                   values: pd.Series, figure: str, programme: Programme,
                   lang: str):
    """The ranked units filled with ``fills`` and labelled with their name and
    ``values`` (formatted by ``figure``), both indexed by code; the last and the
    lagging labelled first."""
    ranking = wall.of("ranking", item).set_index("code")
    drawn = shown.shapes.loc[shown.shapes.index.isin(ranking.index)]
    shown_values = values.reindex(drawn.index)
    texts = unit_labels(drawn, lang) + shown_values.map(
        lambda v: "" if pd.isna(v) else "\n" + figure.format(v))
    first = labelled_first(ranking["last"].reindex(drawn.index), shown_values,
                           lagging_below=programme.lagging_below)
    return units_layer(drawn, fills, texts, shown, first=first)


def ranking_board(wall: WallBoard, item: str, shown: Shown, *, programme: Programme,
                  lang: str) -> Html:
    """The region's KPI tiles, then its units ranked on ``item``, each with what its
    forecast says (the middle elided on a long list)."""
    overall = "—" if pd.isna(wall.overall_pct) else f"{wall.overall_pct:.1f}%"
    tiles = kpi_tiles([(t("wall_index", lang), overall),
                       (t("wall_villages_covered", lang),
                        count_of(wall.villages_covered, wall.villages))])
    ranking = wall.of("ranking", item)
    verdicts = ranking_verdicts(ranking, wall.of("forecast", item))
    rows = []
    # Nobody is last where every ranked unit shares one rank (the region alone at its
    # own level, one township reported).
    alone = ranking["rank"].dropna().nunique() <= 1
    for position in listed_rows(len(ranking), rows=BOARD_ROWS):
        if position is None:
            rows.append(fill('<tr class="wall-gap"><td colspan="5">⋯ {n} ⋯</td></tr>',
                             n=len(ranking)))
            continue
        row, verdict = ranking.iloc[position], verdicts.iloc[position]
        rows.append(fill(
            '<tr class="{last} status-{status}"><td>{rank}</td><td class="name">{name}</td>'
            '<td>{pct}</td><td>{arrow}</td><td class="verdict">{verdict}</td></tr>',
            last="wall-last" if row["last"] and not alone else "", status=verdict["status"],
            rank="—" if pd.isna(row["rank"]) else int(row["rank"]),
            name=unit_name(row["name"], lang),
            pct="—" if pd.isna(row["pct"]) else f"{row['pct']:.1f}%",
            arrow=_arrow(row["movement"]), verdict=_verdict_words(verdict, lang)))
    title = t("wall_ranking", lang, level=level_label(programme, shown.level, lang))
    return Html(tiles + board(title, rows))


def _arrow(move) -> Html:
    """Places gained (▲) or lost (▼) since the previous snapshot; nothing when none."""
    if move is None or pd.isna(move) or move == 0:
        return Html("")
    if move > 0:
        return fill('<span class="up">▲{n}</span>', n=int(move))
    return fill('<span class="down">▼{n}</span>', n=-int(move))


def _verdict_words(verdict: pd.Series, lang: str) -> str:
    kind = verdict["verdict"]
    if kind == "no_figure":
        return "—"
    if kind == "late":
        # The day it finishes at its pace, and how late that is.
        return f'{verdict["finish"]:%m-%d} · {t("wall_late_by", lang, n=int(verdict["days_late"]))}'
    return t(_VERDICT_KEYS[kind], lang)


_VERDICT_KEYS = {"on_time": "wall_on_time", "pace_unknown": "wall_pace_unknown",
                 "stalled": "wall_stalled"}
