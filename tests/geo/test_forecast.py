"""Run rates worked by hand: a steady pace, a stalled county, done, over-completed."""

import datetime as dt

import pandas as pd
import pytest

from geo.forecast import pace_window_start, run_rates
from geo.programme import load_programme

PROGRAMME = load_programme("ten_full_coverage")     # milestones 2016-06-30, 2016-09-30
SEP_1, AUG_2 = dt.date(2016, 9, 1), dt.date(2016, 8, 2)


def rates(now: dict, before: dict, *, as_of=SEP_1, since=AUG_2) -> pd.DataFrame:
    """``now`` and ``before`` map a county to its completion per cent."""
    def rows(values):
        return pd.DataFrame({"code": list(values), "name": list(values),
                             "pct": list(values.values()), "target": float("nan"),
                             "completed": float("nan")})
    return run_rates(rows(now), rows(before), PROGRAMME, as_of=as_of,
                     since=since).set_index("code")


def test_a_steady_pace_finishes_after_the_milestone():
    row = rates({"steady": 70.0}, {"steady": 55.0}).loc["steady"]
    # 15 points in 30 days = 0.5 a day, 3.5 a week; 30 points left take 60 days:
    # 2016-09-01 + 60 = 2016-10-31, 31 days after 2016-09-30.
    assert row["pace_per_week"] == pytest.approx(3.5)
    assert row["finish"] == dt.date(2016, 10, 31) and row["days_late"] == 31
    # 29 days to the milestone: 30 / 29 × 7 = 7.24 a week needed; 70 + 0.5 × 29 = 84.5 by then.
    assert row["needed_per_week"] == pytest.approx(30 / 29 * 7)
    assert row["forecast_pct"] == pytest.approx(84.5)
    assert row["lagging"]


def test_a_stalled_county_never_finishes():
    row = rates({"stalled": 40.0}, {"stalled": 40.0}).loc["stalled"]
    assert row["pace_per_week"] == 0 and row["forecast_pct"] == 40
    assert row["finish"] is None and row["days_late"] is None and row["lagging"]


def test_done_and_over_completed_are_on_time():
    table = rates({"done": 100.0, "over": 104.3}, {"done": 90.0, "over": 101.0})
    for code in ("done", "over"):
        row = table.loc[code]
        assert row["finish"] == SEP_1 and row["days_late"] == 0
        assert row["needed_per_week"] == 0 and not row["lagging"]
    assert table.loc["over", "forecast_pct"] == 100


def test_a_pace_just_enough_is_on_time():
    # 29 points left at 1 a day: done on 2016-09-30 itself.
    row = rates({"just": 71.0}, {"just": 41.0}).loc["just"]
    assert row["finish"] == dt.date(2016, 9, 30) and row["days_late"] == 0
    assert not row["lagging"]


def test_no_figures_is_not_lagging():
    row = rates({"quiet": float("nan")}, {"quiet": float("nan")}).loc["quiet"]
    assert not row["lagging"] and row["finish"] is None


def test_after_the_last_milestone_nothing_is_needed_in_time():
    row = rates({"late": 90.0}, {"late": 80.0}, as_of=dt.date(2016, 10, 5),
                since=dt.date(2016, 9, 5)).loc["late"]
    assert row["days_left"] == 0 and row["needed_per_week"] == float("inf")
    assert row["days_late"] is None and row["lagging"]


def test_the_pace_window_starts_thirty_days_back():
    dates = [dt.date(2016, 8, 1), dt.date(2016, 8, 15), dt.date(2016, 9, 1)]
    assert pace_window_start(dates, SEP_1) == dt.date(2016, 8, 1)
    # Less than 30 days of history: from the oldest snapshot.
    assert pace_window_start(dates[1:], SEP_1) == dt.date(2016, 8, 15)
    assert pace_window_start(dates[2:], SEP_1) is None


def test_without_an_earlier_figure_the_pace_is_unknown_never_on_time():
    table = rates({"new": 60.0, "done": 100.0}, {"new": float("nan"), "done": float("nan")})
    new = table.loc["new"]
    assert not new["pace_known"] and new["finish"] is None and new["lagging"]
    assert new["pace_per_week"] != new["pace_per_week"]          # NaN, not 60 / 30 × 7
    assert table.loc["done", "pace_known"] and not table.loc["done", "lagging"]
