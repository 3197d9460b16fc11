"""The wall's figures, worked by hand on Baotou's two ledger rounds (tests/conftest.py)."""

import datetime as dt

import pytest

from geo.map_view import MapSource
from geo.wall import forecast_status, wall_board

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
