"""The supervision page's enter section: record a problem found in a village, or a change
of a problem's status — for an editor, never on a built-in demo."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from geo.accounts import Account
from geo.i18n import t, unit_name
from geo.imports.findings import record_finding, record_status
from geo.store import Store
from geo.supervision.problems import CATEGORIES, SEVERITIES, STATUS_WORDS, unverified
from ui.auth import open_mode_notice
from ui.common import shown_errors
from ui.supervision.scope import Scope, who


def show_enter(scope: Scope, *, store: Store, names: dict[str, str], start: dt.date,
               lang: str, may_write: bool, read_only: bool,
               account: Account | None) -> None:
    """The two forms; or, when this account may not write here, why not.

    ``names`` maps a unit's code to its name; ``start`` is the programme's first day,
    the earliest date the forms take; ``read_only`` says the store is a built-in demo.
    """
    open_mode_notice(lang)
    if not may_write:
        st.info(t("demo_read_only", lang) if read_only else t("needs_editor", lang))
        return
    finding_form(scope, store=store, names=names, start=start, lang=lang, account=account)
    open_ones = unverified(scope.status)
    if len(open_ones):
        status_form(open_ones, store=store, names=names, as_of=scope.as_of, start=start,
                    lang=lang, account=account)


def finding_form(scope: Scope, *, store: Store, names: dict[str, str], start: dt.date,
                 lang: str, account: Account | None) -> None:
    """A problem found in one of the region's villages."""
    english = lang == "en"
    with st.form("finding", clear_on_submit=True):
        st.markdown(f"**{t('sup_new_problem', lang)}**")
        a, b, c = st.columns(3)
        village = a.selectbox(t("sup_village", lang), sorted(scope.villages["code"]),
                              format_func=lambda c: f"{unit_name(names[c], lang)} · {c}")
        found_on = b.date_input(t("sup_date", lang), value=scope.as_of, min_value=start)
        team = c.text_input(t("sup_team", lang))
        d, e, f = st.columns(3)
        category = d.selectbox(t("sup_category", lang), list(CATEGORIES),
                               format_func=lambda k: CATEGORIES[k][english])
        severity = e.selectbox(t("sup_severity", lang), list(SEVERITIES),
                               format_func=lambda k: SEVERITIES[k][english])
        deadline = f.date_input(t("sup_deadline", lang), value=None, min_value=start)
        description = st.text_area(t("sup_description", lang))
        responsible = st.text_input(t("sup_responsible", lang))
        if st.form_submit_button(t("sup_save", lang)):
            with shown_errors():
                import_id = record_finding(
                    store, unit_code=village, found_on=found_on, category=category,
                    description=description, severity=severity, team=team,
                    responsible=responsible, deadline=deadline, account=account,
                    who=who(account))
                st.success(t("sup_saved", lang, id=import_id))


def status_form(open_ones: pd.DataFrame, *, store: Store, names: dict[str, str],
                as_of: dt.date, start: dt.date, lang: str, account: Account | None) -> None:
    """A new status for one of ``open_ones`` (problems not yet verified)."""
    english = lang == "en"
    with st.form("status", clear_on_submit=True):
        st.markdown(f"**{t('sup_change', lang)}**")
        a, b, c = st.columns(3)
        label = dict(zip(open_ones["problem_id"], open_ones["unit_code"]))
        problem = a.selectbox(
            t("sup_problem", lang), list(label),
            format_func=lambda p: f"{p} · {unit_name(names.get(label[p], ''), lang)}")
        new = b.selectbox(t("sup_status", lang), list(STATUS_WORDS),
                          format_func=lambda k: STATUS_WORDS[k][english])
        on = c.date_input(t("sup_status_on", lang), value=as_of, min_value=start)
        note = st.text_input(t("sup_note", lang))
        if st.form_submit_button(t("sup_save", lang)):
            with shown_errors():
                import_id = record_status(store, problem, new, on, note=note,
                                          account=account, who=who(account))
                st.success(t("sup_saved", lang, id=import_id))
