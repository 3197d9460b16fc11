"""The supervision page's plan section: draw the next round's villages (the sampler of
``cli.py plan-round``), list them, download the visit list, show a team's route, and
keep the plan as a round."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.accounts import Account
from geo.i18n import t, unit_name
from geo.store import Store
from geo.supervision.plan import REASONS, RoundPlan
from geo.supervision.round_xlsx import plan_note, write_round_xlsx
from geo.supervision.rounds import read_include, record_round
from geo.units import descendants
from layers.interactive.problems import route_data
from ui import data, tiled_map as tiled
from ui.common import shown_errors
from ui.supervision.scope import Scope, names_by_code, who


def show_plan(scope: Scope, *, store: Store, units: pd.DataFrame, lang: str,
              may_write: bool, account: Account | None) -> None:
    """The plan's form; once drawn (and on every rerun after), the plan and its route."""
    form = st.form("plan")
    one, two, three = form.columns(3)
    per_county = one.number_input(t("sup_per_county", lang), min_value=1, value=10)
    allocate = two.radio(t("sup_allocate", lang), ["even", "lag"], horizontal=True,
                         format_func=lambda k: t(f"sup_allocate_{k}", lang))
    seed = three.number_input(t("sup_seed", lang), min_value=0, value=1)
    weight = "lagging" if form.checkbox(t("sup_weight", lang)) else None
    include_file = form.file_uploader(t("sup_include", lang), type=["xlsx", "xls", "csv"])
    drawn = form.form_submit_button(t("sup_draw", lang), type="primary")
    if not (drawn or "plan_drawn" in st.session_state):
        return
    region = scope.region
    path, version = str(store.path), store.version
    with shown_errors():
        include = {}
        if include_file is not None:
            include = read_include(uploaded(include_file), store, region=region["code"])
        plan, number = data.round_plan(
            path, version, region=region["code"], per_county=int(per_county),
            allocate=allocate, weight=weight, include=tuple(sorted(include.items())),
            seed=int(seed), as_of=scope.as_of)
    st.session_state["plan_drawn"] = True
    st.caption(t("sup_plan_summary", lang, n=number, villages=len(plan.villages),
                 teams=plan.villages["team"].nunique(),
                 named=int(plan.allocation["included"].sum())))
    st.dataframe(plan_table(plan, lang), hide_index=True, width="stretch", height=360)
    excel = io.BytesIO()
    write_round_xlsx(plan, excel, number=number, region_name=region["name"],
                     note=plan_note(per_county=int(per_county), allocate=allocate,
                                    weight=weight, seed=int(seed)),
                     synthetic=store.synthetic)
    first, second = st.columns(2)
    first.download_button(t("sup_download_plan", lang), excel.getvalue(),
                          file_name=f"{region['name']}-第{number}轮督查点位表.xlsx")
    route(plan, number, scope=scope, units=units, lang=lang, path=path, version=version)
    if may_write and second.button(t("sup_keep", lang, n=number)):
        with shown_errors():
            import_id = record_round(store, plan, number, region=region["code"],
                                     file="page", options={
                                         "per_county": int(per_county),
                                         "allocate": allocate,
                                         "weight": weight},
                                     who=who(account))
        st.success(t("sup_kept", lang, n=number, id=import_id))


def uploaded(file) -> Path:
    """An uploaded file saved under a fresh temporary folder, keeping its suffix (the
    reader picks Excel or CSV by it)."""
    saved = Path(tempfile.mkdtemp(prefix="covermap-include-")) / "include.xlsx"
    saved = saved.with_suffix(Path(file.name).suffix)
    saved.write_bytes(file.getbuffer())
    return saved


def plan_table(plan: RoundPlan, lang: str) -> pd.DataFrame:
    """The plan's villages as the page lists them: team, order, names, why chosen and
    the leg from the previous stop in km."""
    villages = plan.villages
    return pd.DataFrame({
        t("sup_team", lang): villages["team"],
        t("sup_col_seq", lang): villages["seq"],
        t("sup_col_county", lang): villages["county"].map(lambda n: unit_name(n, lang)),
        t("sup_col_village", lang): villages["name"].map(lambda n: unit_name(n, lang)),
        t("sup_col_reason", lang): villages["reason"].map(lambda r: REASONS[r][lang == "en"]),
        t("sup_col_leg", lang): (villages["leg_m"] / 1000).round(1)})


def route(plan: RoundPlan, number: int, *, scope: Scope, units: pd.DataFrame, lang: str,
          path: str, version: tuple) -> None:
    """A team picked from the plan, and its route over its county's villages in light
    grey; one map (key ``supervision-route-map``) that another team repaints."""
    teams = list(dict.fromkeys(plan.villages["team"]))
    county_of = dict(zip(plan.villages["team"], plan.villages["county"]))
    team = st.selectbox(t("sup_route", lang), teams,
                        format_func=lambda k: f"{k} · {unit_name(county_of[k], lang)}")
    stops = plan.villages[plan.villages["team"] == team].assign(
        name=lambda f: f["name"].map(lambda n: unit_name(n, lang)))
    ground = county_villages(scope.villages, units, stops["county_code"].iloc[0])
    level_tiles = tiled.tiles(path, version)["village"]
    tiled.tiled_map(route_data(
        level_tiles, tiled.tiles_url(level_tiles), names_by_code(ground, lang), stops, lang=lang,
        bounds=ground.total_bounds if len(ground) else scope.villages.total_bounds,
        view=f"{scope.region['code']}/{number}/{team}", basemap=tiled.basemap(), height=520),
        key="supervision-route-map")


def county_villages(villages: gpd.GeoDataFrame, units: pd.DataFrame,
                    county: str) -> gpd.GeoDataFrame:
    """The villages of ``villages`` inside ``county``: the ground a team's route covers."""
    return villages[villages["code"].isin(set(descendants(units, county)["code"]))]
