"""The wall's figures, worked by hand on Baotou's two ledger rounds (tests/conftest.py)."""

import datetime as dt

import pandas as pd
import pytest

from geo.map_view import MapSource
from geo.wall import (forecast_status, labelled_first, listed_rows, ranking_verdicts,
                      step_at, tour_steps, wall_board)

AUG_25 = dt.date(2016, 8, 25)


@pytest.fixture(scope="module")
def board(two_rounds):
    return wall_board(MapSource.from_store(two_rounds), level="county", region="150200",
                      as_of=AUG_25)


def test_kpis_are_the_region_rolled_up(board):
    # Sums over the nine counties on 08-25 (固阳县 from the second round):
    housing = (118 + 85 + 51 + 180 + 30 + 400 + 2450 + 2028 + 1170) / 8885
    water = (1150 + 480 + 2100 + 3300 + 15200 + 7680 + 3900) / 45393
    roads = (12.5 + 7.2 + 6.0 + 12 + 2.5 + 35 + 128 + 99 + 51) / 519.4
    clinics = (3 + 2 + 8 + 1 + 18 + 80 + 55 + 35) / 282
    items = board.items.set_index("item")["pct"]
    assert items["housing"] == pytest.approx(100 * housing)
    assert items["clinics"] == pytest.approx(100 * clinics)
    assert board.overall_pct == pytest.approx(100 * (housing + water + roads + clinics) / 4)
    assert items[["power", "schools"]].isna().all()        # never reported
    assert (board.villages, board.villages_covered) == (0, 0)   # no villages in this store
    assert board.days_left == 36


def test_the_board_ranks_and_marks_the_last(board):
    ranking = board.of("ranking", "overall").set_index("name")
    assert ranking.index[-1] == "达尔罕茂明安联合旗" and ranking["last"].sum() == 1
    assert ranking.loc["固阳县", "movement"] == 1


def test_change_since_the_previous_snapshot(board):
    change = board.of("change", "overall").set_index("code")["change"]
    assert change["150222"] == pytest.approx(60.62 - 56.98)    # 固阳县 reported again
    assert change["150202"] == 0                                # 东河区 carried forward


def test_forecast_status_of_each_county(board):
    overall = board.of("forecast", "overall").set_index("name")
    # 固阳县: 39.38 points left at 3.64 per 15 days takes ceil(162.3) = 163 days:
    # 2017-02-04, 127 days after the assessment on 2016-09-30.
    assert overall.loc["固阳县", "finish"] == dt.date(2017, 2, 4)
    assert overall.loc["固阳县", "days_late"] == 127
    assert overall.loc["固阳县", "status"] == "will_miss"
    assert overall.loc["东河区", "status"] == "will_miss"          # stalled
    # 白云矿区 is done on every item it reports: on time.
    assert overall.loc["白云鄂博矿区", "pct"] == 100
    assert overall.loc["白云鄂博矿区", "status"] == "on_time"


@pytest.mark.parametrize("days_late, pct, status", [
    (0, 80.0, "on_time"), (1, 80.0, "at_risk"), (15, 80.0, "at_risk"),
    (16, 80.0, "will_miss"), (None, 40.0, "will_miss"), (None, float("nan"), "no_data")])
def test_at_risk_is_late_by_at_most_one_reporting_round(days_late, pct, status):
    assert forecast_status(days_late, pct, interval_days=15) == status


def test_an_unknown_pace_is_no_data_on_the_map():
    assert forecast_status(None, 60.0, interval_days=15, pace_known=False) == "no_data"


def test_what_each_ranking_row_says_on_baotou(board):
    ranking = board.of("ranking", "overall")
    said = ranking_verdicts(ranking, board.of("forecast", "overall")).set_axis(ranking["name"])
    # 固阳县 finishes 2017-02-04 at its pace, 127 days late (as worked above).
    assert said.loc["固阳县"].to_dict() == {
        "status": "will_miss", "verdict": "late", "finish": dt.date(2017, 2, 4),
        "days_late": 127}
    # 东河区 gained nothing between the rounds: it never finishes.
    assert said.loc["东河区", ["status", "verdict"]].tolist() == ["will_miss", "stalled"]
    assert pd.isna(said.loc["东河区", "days_late"])
    assert said.loc["白云鄂博矿区", ["status", "verdict"]].tolist() == ["on_time", "on_time"]


def test_each_verdict_of_a_ranking_row():
    ranking = pd.DataFrame({"code": list("ABCDEF"),
                            "pct": [100.0, float("nan"), 50.0, 40.0, 70.0, 30.0]})
    forecast = pd.DataFrame({
        "code": list("ABCDE"),
        "status": ["on_time", "no_data", "no_data", "will_miss", "at_risk"],
        "pace_known": [False, False, False, True, True],
        "days_late": [None, None, None, None, 12],
        "finish": [None, None, None, None, dt.date(2016, 10, 12)]})
    said = ranking_verdicts(ranking, forecast).set_axis(ranking["code"])
    assert said["verdict"].tolist() == [
        "on_time",          # A: on time wins, even with its pace unknown
        "no_figure",        # B: no figure at all
        "pace_unknown",     # C: one report only
        "stalled",          # D: its pace is known and it never finishes
        "late",             # E: 12 days late
        "pace_unknown"]     # F: not in the forecast at all
    assert said.loc["E", "finish"] == dt.date(2016, 10, 12) and said.loc["E", "days_late"] == 12
    assert said.loc["F", "status"] == "no_data"
    assert said["days_late"].isna().tolist() == [True] * 4 + [False, True]


@pytest.mark.parametrize("count, listed", [
    (0, []), (4, [0, 1, 2, 3]), (9, list(range(9))),
    # One too many: the best three, then the worst six; the fourth is left out.
    (10, [0, 1, 2, None, 4, 5, 6, 7, 8, 9]),
    # Inner Mongolia's 103 banners and counties.
    (103, [0, 1, 2, None, 97, 98, 99, 100, 101, 102])])
def test_a_board_lists_the_best_three_and_the_worst(count, listed):
    assert listed_rows(count, rows=9) == listed


def test_the_last_and_the_lagging_are_labelled_first():
    codes = ["A", "B", "C", "D"]
    last = pd.Series([False, True, None, False], index=codes)
    values = pd.Series([70.0, 80.0, 50.0, float("nan")], index=codes)
    # B is last; C is under the lagging line of 60; D has no value and is not last.
    assert labelled_first(last, values, lagging_below=60).tolist() == [
        False, True, True, False]


def test_a_tour_visits_the_children_with_units_below():
    units = pd.DataFrame({"code": ["150200", "150202", "150203", "150222", "150222100"],
                          "parent_code": [None, "150200", "150200", "150200", "150222"]})
    assert tour_steps(units, pd.Series(["150202", "150222", "150203"])) == ["150222"]
    units.loc[len(units)] = ["150202001", "150202"]
    assert tour_steps(units, pd.Series(["150202", "150222", "150203"])) == [
        "150202", "150222"]                                   # in the children's order


@pytest.mark.parametrize("now, step", [(0.0, "overall"), (2.9, "overall"), (3.0, "water"),
                                       (8.9, "roads"), (9.0, "overall"),
                                       (1_472_083_203.0, "water")])   # step 490,694,401: 1 mod 3
def test_the_rotation_follows_the_clock(now, step):
    assert step_at(["overall", "water", "roads"], now=now, every=3) == step
