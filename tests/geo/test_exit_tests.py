"""The exit arithmetic against cases worked by hand (厅字〔2016〕16号, lines from
data/programmes/poverty_exit.toml: income line 2,952 yuan in 2016; incidence
< 2 %, < 3 % in the west; 错退率 and 漏评率 < 2 %; approval ≥ 90 %, ≥ 80 % in 旬阳)."""

import pandas as pd
import pytest

from geo.exit.criteria import county_tests, exit_verdicts, household_tests, village_tests
from geo.programme import load_programme

POVERTY = load_programme("poverty_exit")


def record(tests, code, criterion):
    return tests.set_index(["code", "criterion"]).loc[(code, criterion)]


def test_a_household_exited_with_one_guarantee_missing_does_not_pass():
    households = pd.DataFrame({
        "code": ["H1", "H2", "H3", "H4"],
        # H1: 3,500 yuan, every flag held: passes.  H2: housing not safe.
        # H3: 2,900 yuan, 52 below the 2016 line.  H4: medical care unknown.
        "income": [3500, 3500, 2900, 3100],
        "food": [True, True, True, True], "clothing": [True, True, True, True],
        "education": [True, True, True, True], "medical": [True, True, True, None],
        "housing": [True, False, True, True]})
    tests = household_tests(households, POVERTY, year=2016, region_code="610928")
    assert len(tests) == 4 * 6
    verdicts = exit_verdicts(tests).set_index("code")
    assert verdicts.loc["H1", "passes"] is True
    assert verdicts.loc["H2", "passes"] is False and verdicts.loc["H2", "failing"] == ["housing"]
    assert verdicts.loc["H3", "failing"] == ["income"]
    assert record(tests, "H3", "income")["gap"] == pytest.approx(52.0)
    assert record(tests, "H3", "income")["line"] == 2952
    assert verdicts.loc["H4", "passes"] is None and verdicts.loc["H4", "unknown"] == ["medical"]
    # The line moves with the year: 3,100 yuan is not enough in 2017 (3,335).
    later = exit_verdicts(household_tests(households, POVERTY, year=2017, region_code="610928"))
    assert later.set_index("code").loc["H1", "passes"] is True
    assert later.set_index("code").loc["H4", "failing"] == ["income"]


def test_a_village_at_exactly_three_per_cent_in_the_west_fails():
    villages = pd.DataFrame({
        # 甘孜州 (Sichuan, the west: < 3 %): 30 of 1,000 is 3.0 %, 29 is 2.9 %.
        # The same 2.9 % in 江苏 (the east: < 2 %) fails by 0.9 points.
        "code": ["513322101201", "513322101202", "320100101201", "513322101203"],
        "population": [1000, 1000, 1000, 0],
        "poor_people": [30, 29, 29, 0],
        "items_missing": [0, 1, 0, None]})
    tests = village_tests(villages, POVERTY)
    exactly = record(tests, "513322101201", "incidence")
    assert exactly["value"] == pytest.approx(3.0) and exactly["line"] == 3.0
    assert bool(exactly["passes"]) is False
    assert bool(record(tests, "513322101202", "incidence")["passes"]) is True
    east = record(tests, "320100101201", "incidence")
    assert east["line"] == 2.0 and east["gap"] == pytest.approx(0.9)
    verdicts = exit_verdicts(tests).set_index("code")
    assert verdicts.loc["513322101201", "failing"] == ["incidence"]
    assert verdicts.loc["513322101202", "failing"] == ["items"]       # one of 五有 missing
    assert verdicts.loc["320100101201", "failing"] == ["incidence"]
    # No residents known: the incidence cannot be told, and nothing is claimed.
    assert verdicts.loc["513322101203", "passes"] is None
    assert verdicts.loc["513322101203", "unknown"] == ["incidence", "items"]


def test_a_county_passing_three_criteria_and_failing_the_fourth():
    counties = pd.DataFrame({
        # 旬阳县: incidence 3,000 / 200,000 = 1.5 %; 错退 1/120 = 0.83 %; 漏评 2/150 =
        # 1.33 %; approval 72/120 = 60 %, 20 points under its own 80 % line.
        # 汉滨区 (Shaanxi, the province's 90 % line): 85 % approval fails by 5;
        # the same 85 % passes in 旬阳.
        "code": ["610928", "610902", "610981"],
        "population": [200000, 100000, 100000], "poor_people": [3000, 1000, 1000],
        "exited_sampled": [120, 100, 100], "wrongly_exited": [1, 0, 0],
        "non_registered_sampled": [150, 100, 100], "missed": [2, 0, 0],
        "surveyed": [120, 100, 100], "satisfied": [72, 85, 85]})
    tests = county_tests(counties, POVERTY)
    verdicts = exit_verdicts(tests).set_index("code")
    assert verdicts.loc["610928", "failing"] == ["approval"]
    approval = record(tests, "610928", "approval")
    assert approval["value"] == pytest.approx(60.0) and approval["line"] == 80.0
    assert approval["gap"] == pytest.approx(20.0) and approval["sample"] == 120
    assert record(tests, "610928", "wrongly_exited")["value"] == pytest.approx(100 / 120)
    assert record(tests, "610928", "missed")["value"] == pytest.approx(200 / 150)
    assert record(tests, "610928", "incidence")["value"] == pytest.approx(1.5)
    assert verdicts.loc["610902", "failing"] == ["approval"]
    assert record(tests, "610902", "approval")["gap"] == pytest.approx(5.0)
    assert verdicts.loc["610981", "passes"] is True                    # 旬阳市, the new code
