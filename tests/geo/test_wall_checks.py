"""The wall's exit check and problems figures, worked by hand on small tables."""

import datetime as dt

import pandas as pd
import pytest

from geo.exit.readiness import exit_year
from geo.wall_checks import (ExitFigures, Shortfall, exit_figures, problem_counts,
                             problems_within, shortfalls)


def test_the_exit_board_counts_the_tested_and_lists_the_failing_worst_first():
    status = pd.Series(["passes", "close", "far", "not_due", "far", "unknown", "passes"],
                       index=["a", "b", "c", "d", "e", "f", "g"])
    # d is not due this year: six tested, two pass; the far (c, e, in order) before b.
    assert exit_figures(status) == ExitFigures(tested=6, passing=2, failing=["c", "e", "b"],
                                               any_not_due=True)


def test_an_exit_board_with_every_unit_passing():
    assert exit_figures(pd.Series(["passes", "passes"], index=["a", "b"])) == ExitFigures(
        tested=2, passing=2, failing=[], any_not_due=False)


def test_a_shortfall_is_a_per_cent_except_the_village_items():
    tests = pd.DataFrame({"code": ["513332", "513332", "513332"],
                          "criterion": ["wrongly_exited", "items", "approval"],
                          "value": [3.5, 7, 92.0], "line": [2.0, 8, 90.0]})
    assert shortfalls(["wrongly_exited", "items"], tests, "513332") == [
        Shortfall("wrongly_exited", 3.5, 2.0, percent=True),
        Shortfall("items", 7.0, 8.0, percent=False)]


def test_the_exit_year_is_the_latest_of_the_household_counts():
    assert exit_year(pd.DataFrame({"year": [2018, 2019, 2019]})) == 2019
    assert exit_year(pd.DataFrame({"year": []})) is None


@pytest.fixture
def problems():
    # 150222 固阳县 > 150222100 a township > two villages; 150223 达茂旗 > one village.
    units = pd.DataFrame({
        "code": ["150200", "150222", "150222100", "150222100001", "150222100002", "150223",
                 "150223100001"],
        "parent_code": [None, "150200", "150222", "150222100", "150222100", "150200",
                        "150223"]})
    status = pd.DataFrame({
        "problem_id": [1, 2, 3, 4],
        "unit_code": ["150222100001", "150222100002", "150222100001", "150223100001"],
        "status": ["overdue", "open", "rectified", "overdue"],
        "overdue": [True, False, False, True],
        "found_on": [dt.date(2016, 9, 1)] * 4})
    return units, status


def test_the_problems_inside_a_county(problems):
    units, status = problems
    assert problems_within(status, units, "150222")["problem_id"].tolist() == [1, 2, 3]
    assert problems_within(status, units, "150200")["problem_id"].tolist() == [1, 2, 3, 4]


def test_open_problems_are_those_not_settled_and_overdue_of_them(problems):
    _, status = problems
    # 1, 2 and 4 are not rectified; 1 and 4 are past their deadline.
    assert problem_counts(status) == (3, 2)
    verified = status.assign(status=["verified", "open", "rectified", "overdue"],
                             overdue=[False, False, False, True])
    assert problem_counts(verified) == (2, 1)
