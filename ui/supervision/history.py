"""The supervision page's history section: one village's visits, problems and changes of
status, oldest first."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.i18n import t, unit_name
from geo.supervision.coverage import villages_touched
from geo.supervision.problems import status_word
from geo.supervision.rounds import village_history
from ui.supervision.scope import Scope


def show_history(scope: Scope, *, events: pd.DataFrame, names: dict[str, str],
                 lang: str) -> None:
    """A village picked among those supervision touched, and its history.

    ``events`` are the store's changes of status (``Store.records("problem_events")``);
    ``names`` maps a unit's code to its name.
    """
    touched = villages_touched(scope.visits, scope.status)
    if not touched:
        st.info(t("sup_none", lang))
        return
    village = st.selectbox(t("sup_pick_village", lang), touched,
                           format_func=lambda c: f"{unit_name(names.get(c, c), lang)} · {c}")
    history = village_history(village, scope.visits, scope.status, events)
    st.dataframe(history_table(history, lang), hide_index=True, width="stretch")


def history_table(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`geo.supervision.rounds.village_history` as the page lists it, each missing
    value blank (a visit has no status, a planned one no date)."""
    history = history.astype(object).where(history.notna(), "")
    return pd.DataFrame({
        t("sup_date", lang): history["date"],
        t("sup_round_col", lang): history["round"],
        t("sup_col_what", lang): history["what"].map(lambda w: t(f"sup_what_{w}", lang)),
        t("sup_team", lang): history["team"],
        t("sup_description", lang): history["detail"],
        t("sup_status", lang): history["status"].map(lambda s: status_word(s, lang))})
