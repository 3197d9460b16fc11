"""总览: the region's units coloured by completion; click a unit to go down."""

import pandas as pd
import streamlit as st

from geo.i18n import item_label, level_label, t, unit_name
from geo.units import check_level_within, child_level, descendants
from layers.interactive.tiled import colour_table, site_points
from ui import data, tiled_map as tiled
from ui.auth import open_mode_notice
from ui.backdrop import framed, outline_under
from ui.exit_view import exit_items, exit_labels, show_exit_view
from ui.common import (
    as_of_choice,
    breadcrumb,
    levels_below,
    open_page,
    shown_errors,
    synthetic_notice,
)
from ui.state import go

page = open_page()
view, store, units, region = page.view, page.store, page.units, page.region
path, version, programme, lang = page.path, page.version, page.programme, page.lang
dates = store.snapshot_dates()
default_level = child_level(units, region)
level = view.level or default_level

st.subheader(f"{programme.name(lang)} · {unit_name(region['name'], lang)}")
breadcrumb(view, units, region)
synthetic_notice(store, lang)
open_mode_notice(lang)
if level is None:
    st.info(t("no_units_below", lang))
    st.stop()
if view.level:
    with shown_errors():
        # The region's own level lists the region alone, as the command line does.
        check_level_within(region, view.level)

# -- the controls: each change is a new URL ---------------------------------
items = ["overall", *programme.item_keys]
labels = {"overall": t("overall", lang)} | {i.key: item_label(i, lang) for i in programme.items}
if programme.has_exit_rules:
    # The exit tests of the year, and a map per criterion (a poverty-exit store).
    items += exit_items()
    labels |= exit_labels(lang)
choice, when, depth, language, with_sites = st.columns([3, 2, 2, 2, 2])
item = choice.selectbox(t("item", lang), items, index=items.index(view.item)
                        if view.item in items else 0, format_func=labels.get)
as_of = as_of_choice(view, store)
if dates:
    as_of = when.selectbox(t("as_of", lang), dates[::-1],
                           index=dates[::-1].index(as_of) if as_of in dates else 0)
# Tiles draw every level, the province's villages too.
below = [region["level"], *levels_below(region)]
asked = level if level in below else below[-1]
level = depth.selectbox(t("level", lang), below, index=below.index(asked),
                        format_func=lambda lv: level_label(programme, lv, lang))
lang_choice = language.radio(t("language", lang), ["zh", "en"], index=["zh", "en"].index(lang),
                             format_func={"zh": "中文", "en": "English"}.get, horizontal=True)
show_sites = with_sites.toggle(t("sites", lang), value=False)
if (item, as_of, level, lang_choice) != (view.item, as_of_choice(view, store),
                                          asked, lang):
    go(view, item=item, as_of=as_of if as_of != (dates[-1] if dates else None) else None,
       level=level if level != default_level else None, lang=lang_choice)

if item.startswith("exit"):
    show_exit_view(page, level=level, item=item)
    st.stop()

with shown_errors():
    table = data.summary(path, version, level=level, region=region["code"], item=None,
                         as_of=as_of)
listed = table[table["item"] == item].set_index("code")
# The map draws the level's tiles; the page sends which of them are in view, coloured.
level_tiles = tiled.tiles(path, version)[level]
sites = None
if show_sites:
    inside = set(descendants(units, region["code"])["code"])
    sites = data.sites(path, version)
    sites = site_points(sites[sites["unit_code"].isin(inside)], programme, lang)

map_column, side = st.columns([3, 2])
with map_column:
    breakdown = table[table["item"] != "overall"].assign(
        item=lambda f: f["item"].map(labels))[["code", "item", "pct"]]
    extent = data.extents_of(path, version, level, listed.index)
    # Dots (units without a boundary) sit on the grey polygon they were placed in.
    outline = outline_under(extent, path=path, version=version, code=region["code"])
    bounds = framed(extent, outline, region["code"])
    table_of_colours = colour_table(
        level_tiles, tiled.tiles_url(level_tiles), listed, programme,
        item_label=labels[item], lang=lang, breakdown=breakdown,
        approximate=int(extent["approximate"].sum()), view=f"{region['code']}/{level}",
        bounds=bounds, outline=outline, sites=sites, cluster_sites=True,
        basemap=tiled.basemap())
    code = tiled.tiled_map(table_of_colours, key="overview-map")
    if code and code in listed.index and levels_below(units.set_index("code").loc[code]):
        go(view, region=code, level=None)

with side:
    history = data.history(path, version, region["code"])
    now = history.loc[history["as_of"] == as_of, "pct"]
    milestone = programme.next_milestone(as_of)
    villages = descendants(units, region["code"])
    villages = villages[villages["level"] == "village"]
    first, second, third = st.columns(3)
    first.metric(t("overall", lang), f"{now.iloc[0]:.1f}%" if len(now) and pd.notna(
        now.iloc[0]) else "—")
    if milestone:
        name = milestone.zh if lang == "zh" else milestone.en
        days = (milestone.date - as_of).days
        second.metric(name, t("days_left", lang, n=days),
                      help=t("days_to", lang, milestone=f"{name} {milestone.date}", n=days))
    if len(villages):
        covered = data.villages_covered(path, version, region=region["code"], as_of=as_of)
        third.metric(f"{t('villages_covered', lang)} / {len(villages):,}", f"{covered:,}")

    ranking = listed.sort_values("rank")[["name", "pct", "rank", "movement"]].copy()
    ranking["name"] = ranking["name"].map(lambda n: unit_name(n, lang))
    ranking["movement"] = ranking["movement"].map(
        lambda m: "" if pd.isna(m) else "↑" + str(m) if m > 0 else "↓" + str(-m) if m < 0 else "–")
    # Nobody is last where every ranked unit shares one rank (the region alone at its
    # own level, one township reported); a unit without a figure has no rank (NA).
    ranks = ranking["rank"].dropna()
    last = ranks.max() if ranks.nunique() > 1 else None
    ranking["name"] = [f"{n} ⚑{t('last_place', lang)}" if pd.notna(r) and r == last else n
                       for n, r in zip(ranking["name"], ranking["rank"])]
    columns = {
        "name": st.column_config.TextColumn(level_label(programme, level, lang), width="medium"),
        "pct": st.column_config.ProgressColumn(
            t("completion", lang), format="%.1f%%", min_value=0, max_value=100),
        "rank": st.column_config.NumberColumn(t("rank", lang), width="small"),
        "movement": st.column_config.TextColumn(t("movement", lang), width="small")}
    if len(ranking) > 12:
        # A long list scrolls: the ones who will be called in go on top, apart.
        st.markdown(f"**{t('bottom_five', lang)} · {labels[item]}**")
        st.dataframe(ranking.tail(5).iloc[::-1], hide_index=True, width="stretch",
                     column_config=columns)
    st.markdown(f"**{t('ranking', lang)} · {labels[item]}**")
    st.dataframe(ranking, hide_index=True, width="stretch",
                 height=min(35 * (len(ranking) + 1) + 3, 460), column_config=columns)
    st.markdown(f"**{t('trend', lang)}**")
    # Dates as text: Vega would write "May 15" on a Chinese page.
    trend = history.assign(as_of=history["as_of"].map(lambda d: f"{d:%m-%d}"))
    st.line_chart(trend.set_index("as_of")["pct"], height=180, x_label="", y_label="%")
