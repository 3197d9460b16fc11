"""缺项村: every village still missing an item, to act on and tick off."""

import io

import pandas as pd
import streamlit as st

from geo.gaps_xlsx import write_gaps_xlsx
from geo.i18n import item_label, t, unit_name
from geo.output import to_csv
from geo.units import ancestor_codes
from layers.interactive.gaps import gaps_map_data
from ui import data, tiled_map as tiled
from ui.backdrop import outline_of
from ui.common import (
    as_of_choice,
    breadcrumb,
    open_page,
    region_picker,
    shown_errors,
    synthetic_notice,
)
from ui.state import go

page = open_page()
view, store, units, region = page.view, page.store, page.units, page.region
path, version, programme, lang = page.path, page.version, page.programme, page.lang
as_of = as_of_choice(view, store)
labels = {i.key: item_label(i, lang) for i in programme.items}

st.subheader(f"{t('gaps', lang)} · {unit_name(region['name'], lang)} · {as_of}")
breadcrumb(view, units, region)
synthetic_notice(store, lang)

with shown_errors():
    gaps = data.gaps(path, version, region=region["code"], as_of=as_of)

# -- filters ------------------------------------------------------------------
place, pick, state, people, homes = st.columns([3, 4, 2, 2, 2])
chosen = region_picker(place, units, region, lang)
if chosen != region["code"]:
    go(view, region=chosen)
url_items = [view.item] if view.item in labels else []
wanted_items = pick.multiselect(t("items", lang), programme.item_keys, format_func=labels.get,
                                default=url_items, placeholder=t("choose_options", lang))
# One item is a link (item=clinics); several stay on this page only.
if len(wanted_items) <= 1 and wanted_items != url_items:
    go(view, item=wanted_items[0] if wanted_items else None)
which = state.radio(t("status", lang), ["missing", "unreported"], horizontal=True,
                    format_func=lambda k: t(k, lang))
min_people = people.number_input(t("population_at_least", lang), min_value=0, value=0, step=100)
min_homes = homes.number_input(t("households_at_least", lang), min_value=0, value=0, step=50)

shown = gaps if which == "missing" else data.unreported(path, version, region=region["code"],
                                                       as_of=as_of)
if wanted_items:
    # .loc with a boolean mask: on an empty frame a bare [] would select columns.
    shown = shown.loc[shown[which].map(lambda keys: any(k in keys for k in wanted_items))
                      .astype(bool)]
shown = shown.loc[(shown["population"].fillna(0).ge(min_people)
                   & shown["households"].fillna(0).ge(min_homes)).astype(bool)]

table = pd.DataFrame({
    "code": shown["code"],
    "county": shown["county"].map(lambda n: unit_name(n, lang) if n else ""),
    "township": shown["township"].map(lambda n: unit_name(n, lang) if n else ""),
    "name": shown["name"].map(lambda n: unit_name(n, lang)),
    which: shown[which].map(lambda keys: "、".join(labels[k] for k in keys)),
    "since": shown["since"] if "since" in shown else None,
    "population": shown["population"],
})
st.caption(t("villages_listed", lang, n=len(table)))

left, right = st.columns([3, 2])
with right:
    picked = st.dataframe(table, hide_index=True, width="stretch", height=560,
                          on_select="rerun", selection_mode="single-row",
                          column_config={c: t(c, lang) for c in table.columns})
    rows = picked.selection.rows if picked else []
    excel = io.BytesIO()
    write_gaps_xlsx(shown, programme, excel, as_of=as_of, synthetic=store.synthetic,
                    region_name=region["name"])
    stem = f"{region['name']}-{t('gaps', lang)}-{as_of}"
    one, two = st.columns(2)
    one.download_button(t("download_xlsx", lang), excel.getvalue(), file_name=f"{stem}.xlsx")
    two.download_button(t("download_csv", lang), to_csv(shown).encode("utf-8-sig"),
                        file_name=f"{stem}.csv", mime="text/csv")

with left:
    many = region["level"] in ("province", "league")
    if many:
        # Above a county a planner reads how many villages each county still has,
        # not thousands of village outlines.
        level = "county"
        counts = ancestor_codes(units, shown["code"], "county").value_counts()
        names = units.set_index("code")["name"]
        tips = pd.Series({code: t("county_gaps", lang, name=unit_name(names[code], lang), n=n)
                          for code, n in counts.items()}, dtype=object)
        st.caption(t("pick_a_county", lang))
    else:
        level = "village"
        tips = pd.Series([f"{unit_name(n, lang)}\n{'、'.join(labels[k] for k in m)}"
                          for n, m in zip(shown["name"], shown[which])],
                         index=shown["code"].astype(str), dtype=object)
    if shown.empty:
        st.success(t("nothing_missing", lang))
    extent = data.extents_of(path, version, level, tips.index)
    if extent["approximate"].any():
        st.caption(t("approximate_location", lang, n=int(extent["approximate"].sum())))
    outline = outline_of(path, version, region["code"])
    # Dots alone frame too tightly (a pin at the map's edge): their region frames them.
    if len(extent) and not extent["approximate"].all():
        bounds = extent.total_bounds
    else:
        bounds = outline.total_bounds if outline is not None else None
    # A row picked in the table moves the same map there (no rebuild, no flicker).
    focus = None
    if rows and not many and table["code"].iloc[rows[0]] in extent.index:
        centre = extent.geometry[table["code"].iloc[rows[0]]].centroid
        focus = (centre.y, centre.x, 12)
    # The map fits itself again when what it frames changes, not when a row is picked.
    frame = [] if bounds is None else [f"{v:.5f}" for v in bounds]
    # A store of counties alone has no village to draw: the list says what there is.
    level_tiles = tiled.tiles(path, version).get(level)
    if level_tiles is None:
        st.stop()
    gap_map = gaps_map_data(
        level_tiles, tiled.tiles_url(level_tiles), tips,
        view="/".join([region["code"], which, *frame]), bounds=bounds, outline=outline,
        focus=focus, lang=lang, height=560,
        basemap=tiled.basemap(),
        clickable=many)
    clicked = tiled.tiled_map(gap_map, key="gaps-map")
    if clicked and many:
        go(view, region=clicked)

# -- service gaps: far from any completed site of an item ---------------------
st.markdown(f"#### {t('service_gaps', lang)}")
kind, reach = st.columns([3, 1])
item = kind.selectbox(t("item", lang), programme.item_keys, format_func=labels.get,
                      index=programme.item_keys.index("clinics")
                      if "clinics" in programme.item_keys else 0)
km = reach.number_input(t("km", lang), min_value=0.5, value=5.0, step=0.5)
far = data.far_villages(path, version, region=region["code"], item=item, km=km)
st.caption(t("far_villages", lang, n=len(far), km=km, item=labels[item]))
far = far.assign(township=far["parent_code"].map(dict(zip(units["code"], units["name"]))),
                 name=far["name"].map(lambda n: unit_name(n, lang)))
st.dataframe(far[["code", "township", "name", "distance_km", "site_id"]], hide_index=True,
             width="stretch", column_config={c: t(c, lang) for c in
                                             ("code", "township", "name", "distance_km")}
             | {"site_id": t("nearest_site", lang)})
