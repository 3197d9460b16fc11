"""The supervision page's coverage section: the share of villages visited, those never
visited and those visited in each of the latest rounds; the villages on a map coloured
by the last round that visited them."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.i18n import t
from geo.settings import Settings
from geo.supervision.coverage import (
    CoverageFigures,
    coverage_figures,
    last_round_counts,
    rounds_held,
)
from geo.supervision.rounds import round_coverage
from layers.interactive.basemap import base_map
from layers.interactive.choropleth import add_coloured_units
from layers.interactive.gaps import add_outline
from layers.interactive.legend import add_legend_rows
from layers.interactive.problems import NEVER_COLOUR, coverage_fills
from ui.supervision.html import coverage_tip, swatch
from ui.supervision.scope import Scope, counties_within


def show_coverage(scope: Scope, *, units: pd.DataFrame, lang: str, path: str,
                  version: tuple) -> None:
    """The coverage tiles and map of the region's villages."""
    coverage = round_coverage(units, scope.visits, region=scope.region["code"])
    rounds = rounds_held(scope.visits)
    figures = coverage_figures(coverage, rounds=rounds)
    coverage_tiles(figures, lang=lang)
    villages = scope.villages
    drawn = villages.merge(coverage[["code", "last_round", "rounds"]], on="code")
    fmap = base_map(bounds=drawn.total_bounds if len(drawn) else villages.total_bounds,
                    **Settings.from_env().basemap_options())
    tips = [coverage_tip(n, rs, lang) for n, rs in zip(drawn["name"], drawn["rounds"])]
    add_coloured_units(fmap, drawn, coverage_fills(drawn["last_round"], max(rounds, 1)), tips,
                       layer=t("sup_coverage", lang))
    add_outline(fmap, counties_within(path, version, scope), color="#222222")
    legend = [(swatch(NEVER_COLOUR), t("sup_never", lang), figures.never)]
    for n, count in last_round_counts(drawn["last_round"], rounds).items():
        colour = coverage_fills(pd.Series([n]), rounds)[0]
        legend.append((swatch(colour), t("sup_round", lang, n=n), count))
    add_legend_rows(fmap, legend, title=t("sup_coverage", lang))
    st_folium(fmap, height=600, use_container_width=True, returned_objects=[],
              key=f"coverage-{scope.region['code']}-{lang}-{rounds}")


def coverage_tiles(figures: CoverageFigures, *, lang: str) -> None:
    """Visited at least once (of how many), never visited, and one tile per latest round."""
    tiles = st.columns(2 + len(figures.by_round))
    tiles[0].metric(t("sup_visited_share", lang),
                    "—" if figures.share is None else f"{figures.share:.1f}%",
                    help=f"{figures.visited:,} / {figures.villages:,}")
    tiles[1].metric(t("sup_never", lang), f"{figures.never:,}")
    for tile, (n, visited) in zip(tiles[2:], figures.by_round.items()):
        tile.metric(t("sup_visited_in", lang, n=n), f"{visited:,}")
