"""督导: supervision rounds — the problems found and their rectification, which villages
each round visited, the next round's plan, and a village's history.

This page reads the URL and its controls (region, date, section), calls and renders;
each section is a module of ui/supervision/ and the figures they show are computed in
geo/supervision/ (problems, coverage).
"""

import datetime as dt

import streamlit as st

from geo.actions import is_builtin_demo
from geo.i18n import t, unit_name
from ui import data
from ui.common import breadcrumb, open_page, region_picker, synthetic_notice
from ui.state import go
from ui.supervision.coverage import show_coverage
from ui.supervision.enter import show_enter
from ui.supervision.history import show_history
from ui.supervision.plan import show_plan
from ui.supervision.problems import show_problems
from ui.supervision.scope import supervision_scope

SECTIONS = ("problems", "coverage", "plan", "enter", "history")

page = open_page()
view, store, units, region, lang = page.view, page.store, page.units, page.region, page.lang
path, version, programme, account = page.path, page.version, page.programme, page.account
read_only = is_builtin_demo(path)
may_write = not read_only and (account is None or account.can("editor"))

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
scope = supervision_scope(path, version, units=units, region=region, as_of=as_of)

# One section drawn at a time: a map in a hidden tab would fit itself to a frame
# of no size (and every section's work would be done on each rerun).
asked = st.query_params.get("section")           # a link may open one: ?section=coverage
section = st.segmented_control(" ", SECTIONS, key="section",
                               default=asked if asked in SECTIONS else "problems",
                               format_func=lambda k: t(f"sup_{k}", lang),
                               label_visibility="collapsed") or "problems"
names = dict(zip(units["code"], units["name"]))
if section == "problems":
    show_problems(scope, units=units, synthetic=store.synthetic, lang=lang, path=path,
                  version=version)
elif section == "coverage":
    show_coverage(scope, units=units, lang=lang, path=path, version=version)
elif section == "plan":
    show_plan(scope, store=store, units=units, lang=lang, may_write=may_write, account=account)
elif section == "enter":
    show_enter(scope, store=store, names=names, start=programme.start, lang=lang,
               may_write=may_write, read_only=read_only, account=account)
elif section == "history":
    show_history(scope, events=data.records(path, version, "problem_events"), names=names,
                 lang=lang)
