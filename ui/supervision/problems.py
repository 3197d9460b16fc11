"""The supervision page's problems section: the tiles, the problems' villages on a map,
the rectification ledger by county (and as Excel), every problem and the overdue ones."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from geo.i18n import t, unit_name
from geo.supervision.problems import (
    category_word,
    overdue_problems,
    problem_figures,
    rectification_ledger,
    status_word,
)
from geo.supervision.problems_xlsx import problem_list, write_problems_xlsx
from layers.interactive.problems import PROBLEM_WORDS, problems_data, villages_with_problems
from ui import tiled_map as tiled
from ui.supervision.scope import Scope, names_by_code


def show_problems(scope: Scope, *, units: pd.DataFrame, synthetic: bool, lang: str,
                  path: str, version: tuple) -> None:
    """The problems inside the region on the scope's date; a notice when there are none."""
    status = scope.status
    if status.empty:
        st.info(t("sup_none", lang))
        return
    figures = problem_figures(status)
    tiles = st.columns(4)
    tiles[0].metric(t("sup_n_problems", lang), f"{figures.problems:,}")
    tiles[1].metric(t("sup_n_open", lang), f"{figures.open:,}")
    tiles[2].metric(t("sup_n_overdue", lang), f"{figures.overdue:,}")
    tiles[3].metric(t("sup_rate", lang), f"{figures.rate:.1f}%")
    left, right = st.columns([3, 2])
    with left:
        problems_map(scope, units=units, lang=lang, path=path, version=version)
    with right:
        ledger_table(scope, units=units, synthetic=synthetic, lang=lang)
    every = problem_list(status, units)
    with st.expander(t("sup_all_problems", lang, n=len(every))):
        st.dataframe(problems_table(every, t("sup_status", lang),
                                    every["status"].map(lambda s: status_word(s, lang)),
                                    lang=lang), hide_index=True, width="stretch")
    late = overdue_problems(every)
    if len(late):
        st.markdown(f"**{t('sup_overdue_list', lang)}**")
        st.dataframe(problems_table(late, t("sup_col_days", lang), late["days_overdue"],
                                    lang=lang), hide_index=True, width="stretch")


def problems_map(scope: Scope, *, units: pd.DataFrame, lang: str, path: str,
                 version: tuple) -> None:
    """Each village with problems as a dot coloured by its worst, with the legend's
    counts, over the region's counties; one map (key ``supervision-problems-map``) that
    another region, date or language repaints."""
    villages = scope.villages
    shown = villages_with_problems(scope.status, villages)
    shown["name"] = shown["name"].map(lambda n: unit_name(n, lang))
    level, ground = problems_ground(scope, units=units, lang=lang)
    level_tiles = tiled.tiles(path, version)[level]
    words = PROBLEM_WORDS["en" if lang == "en" else "zh"]
    tiled.tiled_map(problems_data(
        level_tiles, tiled.tiles_url(level_tiles), ground, shown,
        title=f"{words['title']} · {scope.as_of}", lang=lang,
        bounds=villages.total_bounds if len(villages) else None,
        view=f"{scope.region['code']}/problems", basemap=tiled.basemap(), height=600),
        key="supervision-problems-map")


def problems_ground(scope: Scope, *, units: pd.DataFrame, lang: str) -> tuple[str, pd.Series]:
    """The level and units drawn under the dots, each with its tooltip: the region's
    counties with their problems (a township's own villages, below a county)."""
    inside = units[units["code"].isin(scope.inside)]
    counties = inside[inside["level"] == "county"]
    if counties.empty:
        return "village", names_by_code(inside[inside["level"] == "village"], lang)
    ledger = rectification_ledger(scope.status, units).set_index("code")
    tips = [county_tip(unit_name(name, lang), ledger.loc[code] if code in ledger.index else None,
                       lang)
            for code, name in zip(counties["code"], counties["name"])]
    return "county", pd.Series(tips, index=counties["code"].astype(str), dtype=object)


def county_tip(name: str, counts: pd.Series | None, lang: str) -> str:
    """A county's tooltip under the dots, as text: its name, then its problems, those
    not rectified and those overdue (none: its name alone)."""
    if counts is None:
        return name
    return (f"{name}\n{t('sup_col_problems', lang)} {int(counts['problems'])} · "
            f"{t('sup_col_open', lang)} {int(counts['open'])} · "
            f"{t('sup_n_overdue', lang)} {int(counts['overdue'])}")


def ledger_table(scope: Scope, *, units: pd.DataFrame, synthetic: bool, lang: str) -> None:
    """The rectification ledger by county, and the button that downloads it as Excel."""
    st.markdown(f"**{t('sup_ledger', lang)}**")
    ledger = rectification_ledger(scope.status, units)
    st.dataframe(pd.DataFrame({
        t("sup_col_county", lang): ledger["name"].map(lambda n: unit_name(n, lang)),
        t("sup_col_problems", lang): ledger["problems"],
        t("sup_col_open", lang): ledger["open"],
        t("sup_col_overdue", lang): ledger["overdue"],
        t("sup_col_rate", lang): ledger["rate"]}), hide_index=True, width="stretch",
        column_config={t("sup_col_rate", lang): st.column_config.NumberColumn(format="%.1f")})
    region, as_of = scope.region, scope.as_of
    excel = io.BytesIO()
    write_problems_xlsx(scope.status, units, excel, as_of=as_of, region_name=region["name"],
                        synthetic=synthetic)
    st.download_button(t("sup_download_ledger", lang), excel.getvalue(),
                       file_name=f"{region['name']}-整改台账-{as_of}.xlsx")


def problems_table(rows: pd.DataFrame, last: str, values: pd.Series, *,
                   lang: str) -> pd.DataFrame:
    """Problems (:func:`geo.supervision.problems_xlsx.problem_list` rows) as the page
    lists them, ending with the column ``last`` of ``values``."""
    return pd.DataFrame({
        t("sup_problem", lang): rows["problem_id"],
        t("sup_col_county", lang): rows["county"].map(lambda n: unit_name(n, lang)),
        t("sup_col_village", lang): rows["village"].map(lambda n: unit_name(n, lang)),
        t("sup_category", lang): rows["category"].map(lambda c: category_word(c, lang)),
        t("sup_description", lang): rows["description"],
        t("sup_deadline", lang): rows["deadline"],
        last: values})
