"""督导: supervision rounds — the problems found and their rectification, which villages
each round visited, the next round's plan, and a village's history."""

import datetime as dt
import io
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.actions import is_builtin_demo
from geo.i18n import t, unit_name
from geo.supervision.problems import CATEGORIES, SETTLED, SEVERITIES, STATUS_WORDS, rectification_ledger
from geo.supervision.problems_xlsx import problem_list, write_problems_xlsx
from geo.supervision.round_xlsx import write_round_xlsx
from geo.supervision.rounds import read_include, record_round
from geo.supervision.rounds import round_coverage, village_history
from geo.settings import Settings
from geo.supervision.plan import REASONS
from geo.units import descendants
from layers.interactive.basemap import base_map
from layers.interactive.choropleth import add_coloured_units
from layers.interactive.escape import safe_text
from layers.interactive.gaps import add_outline
from layers.interactive.legend import add_legend_rows
from layers.interactive.problems import (
    NEVER_COLOUR,
    PROBLEM_COLOURS,
    PROBLEM_WORDS,
    add_problems,
    add_route,
    coverage_fills,
    villages_with_problems,
)
from ui import data
from ui.auth import open_mode_notice
from ui.common import breadcrumb, open_page, region_picker, shown_errors, synthetic_notice
from ui.state import go

_SWATCH = ("display:inline-block;width:14px;height:14px;margin-right:6px;border-radius:7px;"
           "vertical-align:middle;border:1px solid #333;background:")

page = open_page()
view, store, units, region = page.view, page.store, page.units, page.region
path, version, programme, lang = page.path, page.version, page.programme, page.lang
english = lang == "en"
read_only = is_builtin_demo(path)
may_write = not read_only and (page.account is None or page.account.can("editor"))

st.subheader(f"{t('supervision', lang)} · {unit_name(region['name'], lang)}")
breadcrumb(view, units, region)
synthetic_notice(store, lang)
top, when = st.columns([3, 2])
chosen = region_picker(top, units, region, lang)
if chosen != region["code"]:
    go(view, region=chosen)
as_of = view.as_of or data.supervision_as_of(path, version)
picked = when.date_input(t("sup_as_of", lang), value=as_of, min_value=programme.start,
                         max_value=max(programme.end, dt.date.today()))
if picked != as_of:
    go(view, as_of=picked)

inside = set(descendants(units, region["code"])["code"]) | {region["code"]}
visits = data.records(path, version, "visits")
visits = visits[visits["unit_code"].isin(inside)]
status = data.problems_on(path, version, as_of)
status = status[status["unit_code"].isin(inside)]
villages = data.shapes(path, version, "village")
villages = villages[villages["code"].isin(inside)]
names = dict(zip(units["code"], units["name"]))

# One section drawn at a time: a map in a hidden tab would fit itself to a frame
# of no size (and every section's work would be done on each rerun).
SECTIONS = ("problems", "coverage", "plan", "enter", "history")
asked = st.query_params.get("section")           # a link may open one: ?section=coverage
section = st.segmented_control(" ", SECTIONS, key="section",
                               default=asked if asked in SECTIONS else "problems",
                               format_func=lambda k: t(f"sup_{k}", lang),
                               label_visibility="collapsed") or "problems"


def problems_table(rows: pd.DataFrame, last: str, values: pd.Series) -> pd.DataFrame:
    """Problems (problem_list rows) as the page lists them, ending with ``last``."""
    return pd.DataFrame({
        t("sup_problem", lang): rows["problem_id"],
        t("sup_col_county", lang): rows["county"].map(lambda n: unit_name(n, lang)),
        t("sup_col_village", lang): rows["village"].map(lambda n: unit_name(n, lang)),
        t("sup_category", lang): rows["category"].map(
            lambda c: CATEGORIES.get(c, (c, c))[english]),
        t("sup_description", lang): rows["description"],
        t("sup_deadline", lang): rows["deadline"],
        last: values})


def counties_outline():
    counties = data.shapes(path, version, "county")
    return counties[counties["code"].isin(inside)]


if section == "problems":
    if status.empty:
        st.info(t("sup_none", lang))
    else:
        settled = status["status"].isin(SETTLED)
        tiles = st.columns(4)
        tiles[0].metric(t("sup_n_problems", lang), f"{len(status):,}")
        tiles[1].metric(t("sup_n_open", lang), f"{int((~settled).sum()):,}")
        tiles[2].metric(t("sup_n_overdue", lang), f"{int(status['overdue'].sum()):,}")
        tiles[3].metric(t("sup_rate", lang), f"{100 * settled.mean():.1f}%")
        left, right = st.columns([3, 2])
        with left:
            shown = villages_with_problems(status, villages)
            shown["name"] = shown["name"].map(lambda n: unit_name(n, lang))
            fmap = base_map(bounds=villages.total_bounds if len(villages) else shown.total_bounds,
                            **Settings.from_env().basemap_options())
            add_outline(fmap, counties_outline())
            add_problems(fmap, shown, lang=lang)
            words = PROBLEM_WORDS["en" if english else "zh"]
            worst = shown["worst"].value_counts()
            add_legend_rows(fmap, [(f"{_SWATCH}{c};", words[k], int(worst.get(k, 0)))
                                   for k, c in PROBLEM_COLOURS.items()],
                            title=f"{words['title']} · {as_of}")
            st_folium(fmap, height=600, use_container_width=True, returned_objects=[],
                      key=f"problems-{region['code']}-{as_of}-{lang}")
        with right:
            st.markdown(f"**{t('sup_ledger', lang)}**")
            ledger = rectification_ledger(status, units)
            st.dataframe(pd.DataFrame({
                t("sup_col_county", lang): ledger["name"].map(lambda n: unit_name(n, lang)),
                t("sup_col_problems", lang): ledger["problems"],
                t("sup_col_open", lang): ledger["open"],
                t("sup_col_overdue", lang): ledger["overdue"],
                t("sup_col_rate", lang): ledger["rate"]}), hide_index=True, width="stretch",
                column_config={t("sup_col_rate", lang): st.column_config.NumberColumn(
                    format="%.1f")})
            excel = io.BytesIO()
            write_problems_xlsx(status, units, excel, as_of=as_of, region_name=region["name"],
                                synthetic=store.synthetic)
            st.download_button(t("sup_download_ledger", lang), excel.getvalue(),
                               file_name=f"{region['name']}-整改台账-{as_of}.xlsx")
        every = problem_list(status, units)
        with st.expander(t("sup_all_problems", lang, n=len(every))):
            st.dataframe(problems_table(every, t("sup_status", lang), every["status"].map(
                lambda s: STATUS_WORDS[s][english])), hide_index=True, width="stretch")
        late = every[every["overdue"]].sort_values("days_overdue", ascending=False)
        if len(late):
            st.markdown(f"**{t('sup_overdue_list', lang)}**")
            st.dataframe(problems_table(late, t("sup_col_days", lang), late["days_overdue"]),
                         hide_index=True, width="stretch")

if section == "coverage":
    coverage = round_coverage(units, visits, region=region["code"])
    rounds = int(pd.to_numeric(visits["round"], errors="coerce").max()) if len(visits) else 0
    seen = coverage["times"] > 0
    tiles = st.columns(2 + min(rounds, 4))
    tiles[0].metric(t("sup_visited_share", lang),
                    f"{100 * seen.mean():.1f}%" if len(coverage) else "—",
                    help=f"{int(seen.sum()):,} / {len(coverage):,}")
    tiles[1].metric(t("sup_never", lang), f"{int((~seen).sum()):,}")
    for tile, n in zip(tiles[2:], range(max(rounds - 3, 1), rounds + 1)):
        tile.metric(t("sup_visited_in", lang, n=n),
                    f"{int(coverage['rounds'].map(lambda r, n=n: n in r).sum()):,}")
    drawn = villages.merge(coverage[["code", "last_round", "rounds"]], on="code")
    fmap = base_map(bounds=drawn.total_bounds if len(drawn) else villages.total_bounds,
                    **Settings.from_env().basemap_options())
    fills = coverage_fills(drawn["last_round"], max(rounds, 1))
    tips = [f"<b>{safe_text(unit_name(n, lang))}</b><br>"
            + safe_text("、".join(t("sup_round", lang, n=r) for r in rs) or t("sup_never", lang))
            for n, rs in zip(drawn["name"], drawn["rounds"])]
    add_coloured_units(fmap, drawn, fills, tips, layer=t("sup_coverage", lang))
    add_outline(fmap, counties_outline(), color="#222222")
    legend = [(f"{_SWATCH}{NEVER_COLOUR};", t("sup_never", lang), int((~seen).sum()))]
    for n in range(1, rounds + 1):
        colour = coverage_fills(pd.Series([n]), rounds)[0]
        legend.append((f"{_SWATCH}{colour};", t("sup_round", lang, n=n),
                       int((drawn["last_round"] == n).sum())))
    add_legend_rows(fmap, legend, title=t("sup_coverage", lang))
    st_folium(fmap, height=600, use_container_width=True, returned_objects=[],
              key=f"coverage-{region['code']}-{lang}-{rounds}")

if section == "plan":
    form = st.form("plan")
    one, two, three = form.columns(3)
    per_county = one.number_input(t("sup_per_county", lang), min_value=1, value=10)
    allocate = two.radio(t("sup_allocate", lang), ["even", "lag"], horizontal=True,
                         format_func=lambda k: t(f"sup_allocate_{k}", lang))
    seed = three.number_input(t("sup_seed", lang), min_value=0, value=1)
    weight = form.checkbox(t("sup_weight", lang))
    include_file = form.file_uploader(t("sup_include", lang), type=["xlsx", "xls", "csv"])
    drawn_plan = form.form_submit_button(t("sup_draw", lang), type="primary")
    if drawn_plan or "plan_drawn" in st.session_state:
        with shown_errors():
            include = {}
            if include_file is not None:
                saved = Path(tempfile.mkdtemp(prefix="covermap-include-")) / "include.xlsx"
                saved = saved.with_suffix(Path(include_file.name).suffix)
                saved.write_bytes(include_file.getbuffer())
                include = read_include(saved, store, region=region["code"])
            plan, number = data.round_plan(
                path, version, region=region["code"], per_county=int(per_county),
                allocate=allocate, weight="lagging" if weight else None,
                include=tuple(sorted(include.items())), seed=int(seed), as_of=as_of)
        st.session_state["plan_drawn"] = True
        st.caption(t("sup_plan_summary", lang, n=number, villages=len(plan.villages),
                     teams=plan.villages["team"].nunique(),
                     named=int(plan.allocation["included"].sum())))
        st.dataframe(pd.DataFrame({
            t("sup_team", lang): plan.villages["team"],
            t("sup_col_seq", lang): plan.villages["seq"],
            t("sup_col_county", lang): plan.villages["county"].map(lambda n: unit_name(n, lang)),
            t("sup_col_village", lang): plan.villages["name"].map(lambda n: unit_name(n, lang)),
            t("sup_col_reason", lang): plan.villages["reason"].map(
                lambda r: REASONS[r][english]),
            t("sup_col_leg", lang): (plan.villages["leg_m"] / 1000).round(1)}), hide_index=True,
            width="stretch", height=360)
        excel = io.BytesIO()
        write_round_xlsx(plan, excel, number=number, region_name=region["name"],
                         note=f"随机种子 {int(seed)}", synthetic=store.synthetic)
        first, second = st.columns(2)
        first.download_button(t("sup_download_plan", lang), excel.getvalue(),
                              file_name=f"{region['name']}-第{number}轮督查点位表.xlsx")
        teams = list(dict.fromkeys(plan.villages["team"]))
        county_of = dict(zip(plan.villages["team"], plan.villages["county"]))
        team = st.selectbox(t("sup_route", lang), teams,
                            format_func=lambda k: f"{k} · {unit_name(county_of[k], lang)}")
        stops = plan.villages[plan.villages["team"] == team].assign(
            name=lambda f: f["name"].map(lambda n: unit_name(n, lang)))
        county_code = stops["county_code"].iloc[0]
        ground = villages[villages["code"].isin(set(descendants(units, county_code)["code"]))]
        fmap = base_map(bounds=ground.total_bounds if len(ground) else villages.total_bounds,
                        **Settings.from_env().basemap_options())
        add_outline(fmap, ground, color="#9a9a9a")
        add_route(fmap, stops)
        st_folium(fmap, height=520, use_container_width=True, returned_objects=[],
                  key=f"route-{region['code']}-{team}-{number}")
        if may_write and second.button(t("sup_keep", lang, n=number)):
            with shown_errors():
                import_id = record_round(store, plan, number, region=region["code"],
                                         file="page", options={
                                             "per_county": int(per_county),
                                             "allocate": allocate,
                                             "weight": "lagging" if weight else None},
                                         who=page.account.name if page.account else "")
            st.success(t("sup_kept", lang, n=number, id=import_id))

if section == "enter":
    open_mode_notice(lang)
    if not may_write:
        st.info(t("demo_read_only", lang) if read_only else t("needs_editor", lang))
    else:
        from geo.imports.findings import record_finding, record_status

        village_codes = sorted(villages["code"])
        with st.form("finding", clear_on_submit=True):
            st.markdown(f"**{t('sup_new_problem', lang)}**")
            a, b, c = st.columns(3)
            village = a.selectbox(t("sup_village", lang), village_codes,
                                  format_func=lambda c: f"{unit_name(names[c], lang)} · {c}")
            found_on = b.date_input(t("sup_date", lang), value=as_of,
                                    min_value=programme.start)
            team = c.text_input(t("sup_team", lang))
            d, e, f = st.columns(3)
            category = d.selectbox(t("sup_category", lang), list(CATEGORIES),
                                   format_func=lambda k: CATEGORIES[k][english])
            severity = e.selectbox(t("sup_severity", lang), list(SEVERITIES),
                                   format_func=lambda k: SEVERITIES[k][english])
            deadline = f.date_input(t("sup_deadline", lang), value=None,
                                    min_value=programme.start)
            description = st.text_area(t("sup_description", lang))
            responsible = st.text_input(t("sup_responsible", lang))
            if st.form_submit_button(t("sup_save", lang)):
                with shown_errors():
                    import_id = record_finding(
                        store, unit_code=village, found_on=found_on, category=category,
                        description=description, severity=severity, team=team,
                        responsible=responsible, deadline=deadline, account=page.account,
                        who=page.account.name if page.account else "")
                    st.success(t("sup_saved", lang, id=import_id))
        open_ones = status[status["status"] != "verified"]
        if len(open_ones):
            with st.form("status", clear_on_submit=True):
                st.markdown(f"**{t('sup_change', lang)}**")
                a, b, c = st.columns(3)
                label = dict(zip(open_ones["problem_id"], open_ones["unit_code"]))
                problem = a.selectbox(
                    t("sup_problem", lang), list(label),
                    format_func=lambda p: f"{p} · {unit_name(names.get(label[p], ''), lang)}")
                new = b.selectbox(t("sup_status", lang), list(STATUS_WORDS),
                                  format_func=lambda k: STATUS_WORDS[k][english])
                on = c.date_input(t("sup_status_on", lang), value=as_of,
                                  min_value=programme.start)
                note = st.text_input(t("sup_note", lang))
                if st.form_submit_button(t("sup_save", lang)):
                    with shown_errors():
                        import_id = record_status(store, problem, new, on, note=note,
                                                  account=page.account,
                                                  who=page.account.name if page.account else "")
                        st.success(t("sup_saved", lang, id=import_id))

if section == "history":
    touched = sorted(set(visits["unit_code"]) | set(status["unit_code"]))
    if not touched:
        st.info(t("sup_none", lang))
    else:
        village = st.selectbox(t("sup_pick_village", lang), touched,
                               format_func=lambda c: f"{unit_name(names.get(c, c), lang)} · {c}")
        history = village_history(village, visits, status,
                                  data.records(path, version, "problem_events"))
        history = history.astype(object).where(history.notna(), "")
        st.dataframe(pd.DataFrame({
            t("sup_date", lang): history["date"],
            t("sup_round_col", lang): history["round"],
            t("sup_col_what", lang): history["what"].map(lambda w: t(f"sup_what_{w}", lang)),
            t("sup_team", lang): history["team"],
            t("sup_description", lang): history["detail"],
            t("sup_status", lang): history["status"].map(
                lambda s: STATUS_WORDS[s][english] if isinstance(s, str) else "")}),
            hide_index=True, width="stretch")
