"""The overview's exit-check view (a poverty-exit store): which villages or counties
pass the year's exit tests, a map per criterion, and the list of those that fail."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from geo.exit.readiness import EXIT_LEVELS, READINESS, exit_year, readiness_status, readiness_table
from geo.exit.criteria import CRITERIA_WORDS
from geo.exit.xlsx import write_exit_xlsx
from geo.i18n import item_label, t, unit_name
from geo.output import to_csv
from layers.interactive.readiness import readiness_data
from layers.readiness_style import READINESS_WORDS
from ui import data, tiled_map as tiled

CRITERIA = ("incidence", "items", "wrongly_exited", "missed", "approval")


def exit_items() -> list[str]:
    """The overview's item choices for the exit check: all of it, then each criterion."""
    return ["exit", *(f"exit:{c}" for c in CRITERIA)]


def exit_labels(lang: str) -> dict[str, str]:
    english = lang == "en"
    return {"exit": t("exit_check", lang)} | {
        f"exit:{c}": f"{t('exit_check', lang)} · {CRITERIA_WORDS[c][english]}" for c in CRITERIA}


def show_exit_view(page, *, level: str, item: str) -> None:
    """The map and the list for ``item`` (``exit`` or ``exit:CRITERION``) at ``level``."""
    lang, programme = page.lang, page.programme
    if level not in EXIT_LEVELS:
        st.info(t("exit_levels", lang))
        return
    households = data.village_figures(page.path, page.version, "households")
    if households.empty:
        st.info(t("exit_no_records", lang))
        return
    year = exit_year(households)
    readiness = data.readiness(page.path, page.version, level=level,
                               region=page.region["code"], year=year)
    criterion = item.split(":", 1)[1] if ":" in item else None
    if criterion and criterion not in set(readiness.tests["criterion"]):
        st.info(t("exit_not_at_level", lang))
        return
    status = readiness_status(readiness, programme, criterion=criterion)
    names = page.units.set_index("code")["name"].map(lambda n: unit_name(n, lang))
    level_tiles = tiled.tiles(page.path, page.version)[level]
    extent = data.extents_of(page.path, page.version, level, status.index)
    map_column, side = st.columns([3, 2])
    with map_column:
        tiled.tiled_map(readiness_data(
            level_tiles, tiled.tiles_url(level_tiles), status, readiness.tests, names,
            year=year, criterion=criterion, lang=lang,
            view=f"{page.region['code']}/{level}", bounds=extent.total_bounds,
            basemap=tiled.basemap()),
            key="exit-map")
    with side:
        _side_panel(page, readiness, status, level=level, year=year)


def _side_panel(page, readiness, status: pd.Series, *, level: str, year: int) -> None:
    lang, programme = page.lang, page.programme
    words = READINESS_WORDS["en" if lang == "en" else "zh"]
    counts = status.value_counts()
    shown = [key for key in (*READINESS, "not_due") if key in counts or key in READINESS]
    for column, key in zip(st.columns(len(shown)), shown):
        column.metric(words[key], f"{int(counts.get(key, 0)):,}")
    table = readiness_table(readiness, programme, failing_only=True,
                            due_only=level == "village")
    # A map of one criterion lists the units failing that criterion, as it colours them.
    table = table[table["code"].map(status).isin(["far", "close"])]
    st.markdown(f"**{t('exit_failing', lang, year=year)}**")
    english = lang == "en"
    shown = pd.DataFrame({
        t("exit_unit", lang): table["name"].map(lambda n: unit_name(n, lang)),
        t("exit_readiness", lang): table["readiness"].map(words.get),
        t("exit_failing_criteria", lang): table["failing"].map(
            lambda f: "、".join(CRITERIA_WORDS[c][english] for c in f.split(",") if c)),
    })
    if "missing_items" in table:
        labels = {i.key: item_label(i, lang) for i in programme.items}
        shown[t("exit_missing_items", lang)] = table["missing_items"].map(
            lambda m: "、".join(labels.get(k, k) for k in m.split(",")) if m else "").to_numpy()
    if shown.empty:
        st.success(t("exit_all_pass", lang))
        return
    st.dataframe(shown, hide_index=True, width="stretch", height=min(35 * (len(shown) + 1) + 3,
                                                                    460))
    excel = io.BytesIO()
    write_exit_xlsx(table, page.units, programme, excel, level=level, year=year,
                    region_name=page.region["name"], synthetic=page.store.synthetic)
    stem = f"{page.region['name']}-{t('exit_check', lang)}-{year}"
    one, two = st.columns(2)
    one.download_button(t("download_xlsx", lang), excel.getvalue(), file_name=f"{stem}.xlsx")
    two.download_button(t("download_csv", lang), to_csv(table).encode("utf-8-sig"),
                        file_name=f"{stem}.csv", mime="text/csv")
