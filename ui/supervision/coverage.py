"""The supervision page's coverage section: the share of villages visited, those never
visited and those visited in each of the latest rounds; the villages on a map coloured
by the last round that visited them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.i18n import t, unit_name
from geo.supervision.coverage import CoverageFigures, coverage_figures, rounds_held
from geo.supervision.rounds import round_coverage
from layers.interactive.problems import COUNTY_BORDER, border_lines, coverage_data
from ui import tiled_map as tiled
from ui.supervision.scope import Scope, counties_within


def show_coverage(scope: Scope, *, units: pd.DataFrame, lang: str, path: str,
                  version: tuple) -> None:
    """The coverage tiles and map of the region's villages."""
    coverage = round_coverage(units, scope.visits, region=scope.region["code"])
    rounds = rounds_held(scope.visits)
    figures = coverage_figures(coverage, rounds=rounds)
    coverage_tiles(figures, lang=lang)
    coverage_map(scope, coverage, rounds=rounds, never=figures.never, lang=lang, path=path,
                 version=version)


def coverage_map(scope: Scope, coverage: pd.DataFrame, *, rounds: int, never: int, lang: str,
                 path: str, version: tuple) -> None:
    """The region's villages coloured by the last round that visited them, the counties'
    borders over them; one map (key ``supervision-coverage-map``) that another region,
    date or language repaints."""
    shapes = scope.villages[scope.villages["code"].isin(coverage["code"])]
    drawn = coverage[coverage["code"].isin(shapes["code"])].assign(
        name=lambda f: f["name"].map(lambda n: unit_name(n, lang)))
    level_tiles = tiled.tiles(path, version)["village"]
    counties = counties_within(path, version, scope)
    tiled.tiled_map(coverage_data(
        level_tiles, tiled.tiles_url(level_tiles), drawn, rounds=rounds, never=never,
        lang=lang, lines=border_lines(counties, **COUNTY_BORDER),
        bounds=shapes.total_bounds if len(shapes) else None,
        view=f"{scope.region['code']}/coverage", basemap=tiled.basemap(), height=600),
        key="supervision-coverage-map")


def coverage_tiles(figures: CoverageFigures, *, lang: str) -> None:
    """Visited at least once (of how many), never visited, and one tile per latest round."""
    tiles = st.columns(2 + len(figures.by_round))
    tiles[0].metric(t("sup_visited_share", lang),
                    "—" if figures.share is None else f"{figures.share:.1f}%",
                    help=f"{figures.visited:,} / {figures.villages:,}")
    tiles[1].metric(t("sup_never", lang), f"{figures.never:,}")
    for tile, (n, visited) in zip(tiles[2:], figures.by_round.items()):
        tile.metric(t("sup_visited_in", lang, n=n), f"{visited:,}")
