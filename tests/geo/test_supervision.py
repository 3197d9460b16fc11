"""The round sampler and the problem rules, on small frames worked by hand."""

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.supervision.problems import (
    ProblemFigures,
    category_word,
    overdue_problems,
    problem_figures,
    problem_status,
    rectification_ledger,
    status_word,
    transition_problem,
    unverified,
)
from geo.supervision.plan import plan_round


def villages(spec: dict[str, dict[str, int]]) -> gpd.GeoDataFrame:
    """``{county: {township: n}}`` → n villages per township, 1 km apart along a parallel
    near Baotou (41° N, where a degree of longitude is about 84 km)."""
    rows, x = [], 110.0
    for county, townships in spec.items():
        for township, n in townships.items():
            for k in range(n):
                rows.append({"code": f"{county}{township}{k:02d}", "name": f"{township}{k}",
                             "county_code": county, "township": township, "lag": 0.0,
                             "geometry": shapely.Point(x, 41.0)})
                x += 1 / 84
    return gpd.GeoDataFrame(rows, crs=4326)


def counties(pct: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"code": list(pct), "name": list(pct), "pct": list(pct.values())})


def test_the_same_seed_gives_the_same_plan_another_seed_another():
    pool = villages({"A": {"t1": 30}, "B": {"t1": 30}})
    share = counties({"A": 90, "B": 90})
    first = plan_round(pool, share, per_county=5, seed=7).villages
    again = plan_round(pool, share, per_county=5, seed=7).villages
    other = plan_round(pool, share, per_county=5, seed=8).villages
    assert first["code"].tolist() == again["code"].tolist()
    assert set(first["code"]) != set(other["code"])
    assert first.groupby("county_code").size().to_dict() == {"A": 5, "B": 5}


def test_allocation_toward_the_lagging_keeps_half_for_everyone():
    # 3 counties × 4 = 12 villages.  Each keeps 4 // 2 = 2; the other 6 go by the
    # distance from 100 %: 0, 10 and 50 points → 0, 1 and 5 more.
    pool = villages({"A": {"t": 20}, "B": {"t": 20}, "C": {"t": 20}})
    plan = plan_round(pool, counties({"A": 100, "B": 90, "C": 50}), per_county=4,
                      allocate="lag", seed=1)
    assert plan.allocation.set_index("code")["allocated"].to_dict() == {"A": 2, "B": 3, "C": 7}
    assert len(plan.villages) == 12


def test_a_county_with_fewer_villages_than_its_share_gives_all_it_has():
    plan = plan_round(villages({"A": {"t": 3}, "B": {"t": 20}}), counties({"A": 80, "B": 80}),
                      per_county=5, seed=1)
    assert plan.allocation.set_index("code")["allocated"].to_dict() == {"A": 3, "B": 5}


def test_townships_share_a_county_by_their_villages():
    # 6, 3 and 1 villages, 5 to draw: exactly 3, 1.5 and 0.5; floors 3, 1, 0; the one
    # left to the largest remainder, the first of the tied (t2).
    plan = plan_round(villages({"A": {"t1": 6, "t2": 3, "t3": 1}}), counties({"A": 50}),
                      per_county=5, seed=3)
    assert plan.villages.groupby("township").size().to_dict() == {"t1": 3, "t2": 2}


def test_villages_never_visited_come_first():
    pool = villages({"A": {"t": 6}})
    seen = {code: 1 for code in pool["code"][:4]}               # two left unvisited
    plan = plan_round(pool, counties({"A": 50}), per_county=2, visited=seen, seed=5)
    assert set(plan.villages["code"]) == set(pool["code"][4:])
    assert set(plan.villages["reason"]) == {"never_visited"}
    # Over rounds every village comes up: three rounds of two cover all six.
    seen, covered = {}, set()
    for seed in range(3):
        drawn = plan_round(pool, counties({"A": 50}), per_county=2, visited=seen, seed=seed)
        covered |= set(drawn.villages["code"])
        seen = {code: 1 for code in covered}
    assert covered == set(pool["code"])


def test_lagging_villages_are_favoured_with_weight_lagging():
    pool = villages({"A": {"t": 40}})
    pool["lag"] = [1.0 if k < 10 else 0.0 for k in range(40)]      # 10 of 40 lag
    picked = [plan_round(pool, counties({"A": 50}), per_county=5, weight="lagging",
                         seed=s).villages["lag"].mean() for s in range(20)]
    even = [plan_round(pool, counties({"A": 50}), per_county=5, seed=s).villages["lag"].mean()
            for s in range(20)]
    # Odds 5 : 1 for a lagging village: about 62 % of the draw, against 25 % unweighted.
    assert sum(picked) / 20 > 0.45 > 0.35 > sum(even) / 20


def test_named_villages_are_always_in_and_count_toward_the_share():
    pool = villages({"A": {"t": 20}})
    named = {pool["code"][17]: "open_problem", pool["code"][3]: "named"}
    plan = plan_round(pool, counties({"A": 50}), per_county=4, include=named, seed=2)
    reasons = plan.villages.set_index("code")["reason"]
    assert reasons[pool["code"][17]] == "open_problem" and reasons[pool["code"][3]] == "named"
    assert len(plan.villages) == 4 and plan.allocation["included"].tolist() == [2]


def test_the_team_goes_to_the_nearest_village_next_in_metres():
    # Villages at 0, 1 and 5 km along the parallel; the team starts at their centre
    # (2 km): the shortest way is 7 km — 1 km, 0, then 5 km out; or 0 km (2 km away),
    # then on through 1 to 5 — the farthest last either way.
    pool = gpd.GeoDataFrame({
        "code": ["a", "b", "c"], "name": ["a", "b", "c"], "county_code": "A", "township": "t",
        "lag": 0.0}, geometry=[shapely.Point(110 + km / 84.2, 41.0) for km in (0, 1, 5)],
        crs=4326)
    plan = plan_round(pool, counties({"A": 50}), per_county=3, seed=1).villages
    assert plan["code"].tolist()[-1] == "c" and plan["seq"].tolist() == [1, 2, 3]
    assert plan["leg_m"].sum() == pytest.approx(7000, rel=0.02)
    assert plan["team"].unique().tolist() == ["第1组"]


def test_the_route_never_crosses_itself():
    # 40 villages scattered over a county: nearest-next alone crosses its own track;
    # undone (2-opt), the route is a simple line.
    rng = np.random.default_rng(4)
    xy = rng.uniform(0, 0.5, size=(40, 2))
    pool = gpd.GeoDataFrame({"code": [f"v{i}" for i in range(40)], "name": "v",
                             "county_code": "A", "township": "t", "lag": 0.0},
                            geometry=shapely.points(110 + xy[:, 0], 41 + xy[:, 1]), crs=4326)
    plan = plan_round(pool, counties({"A": 50}), per_county=40, seed=1).villages
    route = shapely.LineString(list(zip(plan["lon"], plan["lat"])))
    assert route.is_simple and len(plan) == 40


@pytest.mark.parametrize("current, wanted, allowed", [
    ("open", "verified", False), ("open", "rectified", True), ("rectified", "verified", True),
    ("in_progress", "verified", False), ("rectified", "reopened", True),
    ("reopened", "rectified", True), ("verified", "open", False),
])
def test_status_transitions(current, wanted, allowed):
    why = transition_problem(current, wanted)
    assert (why is None) == allowed
    if wanted == "verified" and not allowed:
        assert "cannot be verified before it is rectified" in why


def problem(pid, unit, found, deadline):
    return {"import_id": 1, "problem_id": pid, "round": 1, "unit_code": unit,
            "found_on": found, "team": "第1组", "category": "quality", "description": "x",
            "severity": "minor", "responsible": "乡政府", "deadline": deadline,
            "source_row": 4}


def test_overdue_is_counted_on_the_data_date():
    problems = pd.DataFrame([problem("1-1", "v1", "2016-08-10", "2016-08-20"),
                             problem("1-2", "v2", "2016-08-10", "2016-08-20"),
                             problem("1-3", "v2", "2016-08-10", None)])
    events = pd.DataFrame([{"import_id": 2, "problem_id": "1-2", "status": "rectified",
                            "on_date": "2016-08-25", "note": "已硬化", "source_row": 4}])

    def on(day):
        return problem_status(problems, events, as_of=dt.date(2016, 8, day)).set_index(
            "problem_id")

    assert not on(20)["overdue"].any()                              # the deadline itself
    week = on(27)
    # 1-1: 7 days past its deadline; 1-2 rectified on the 25th, late but not overdue;
    # 1-3 has no deadline.
    assert week["overdue"].to_dict() == {"1-1": True, "1-2": False, "1-3": False}
    assert week.loc["1-1", "days_overdue"] == 7 and week.loc["1-2", "status"] == "rectified"
    before = on(24)                                                  # not yet rectified
    assert before.loc["1-2", "status"] == "open" and before.loc["1-2", "days_overdue"] == 4
    assert on(9).empty                                               # not found yet


def test_the_rectification_ledger_per_county():
    units = pd.DataFrame({"code": ["C1", "C2", "v1", "v2", "v3"],
                          "name": ["甲县", "乙县", "a", "b", "c"],
                          "level": ["county", "county", "village", "village", "village"],
                          "parent_code": [None, None, "C1", "C1", "C2"]})
    problems = pd.DataFrame([problem("1-1", "v1", "2016-08-10", "2016-08-20"),
                             problem("1-2", "v2", "2016-08-10", "2016-08-20"),
                             problem("1-3", "v3", "2016-08-10", "2016-09-30"),
                             problem("1-4", "v3", "2016-08-10", "2016-09-30")])
    events = pd.DataFrame([
        {"import_id": 2, "problem_id": "1-2", "status": "rectified", "on_date": "2016-08-19",
         "note": None, "source_row": 4},
        {"import_id": 3, "problem_id": "1-2", "status": "verified", "on_date": "2016-08-26",
         "note": None, "source_row": 4},
        {"import_id": 2, "problem_id": "1-3", "status": "rectified", "on_date": "2016-08-22",
         "note": None, "source_row": 5}])
    status = problem_status(problems, events, as_of=dt.date(2016, 8, 27))
    ledger = rectification_ledger(status, units).set_index("code")
    assert ledger.loc["C1"].to_dict() == {"name": "甲县", "problems": 2, "open": 1,
                                          "overdue": 1, "rectified": 0, "verified": 1,
                                          "rate": 50.0}
    assert ledger.loc["C2", "rate"] == 50.0 and ledger.loc["C2", "overdue"] == 0
    assert ledger.index.tolist() == ["C1", "C2"]                    # most overdue first


def statuses(*rows) -> pd.DataFrame:
    """Problem rows as problem_status gives them, reduced to what the tiles read:
    ``(id, status, days overdue or None)``."""
    return pd.DataFrame({"problem_id": [r[0] for r in rows], "status": [r[1] for r in rows],
                         "overdue": [r[2] is not None for r in rows],
                         "days_overdue": pd.array([r[2] for r in rows], dtype="Int64")})


def test_the_problem_tiles():
    # Five problems: open and in progress are late (3 and 1 days), reopened is not; one
    # rectified, one verified: 3 open, 2 overdue, 2 of 5 settled is 40 %.
    rows = statuses(("1-1", "open", 3), ("1-2", "in_progress", 1), ("1-3", "reopened", None),
                    ("1-4", "rectified", None), ("1-5", "verified", None))
    assert problem_figures(rows) == ProblemFigures(problems=5, open=3, overdue=2, rate=40.0)
    # One in three settled: the share unrounded (the page rounds it to 33.3 %).
    thirds = problem_figures(rows.iloc[[0, 2, 3]])
    assert (thirds.open, thirds.overdue) == (2, 1) and thirds.rate == pytest.approx(100 / 3)
    assert problem_figures(rows.iloc[[]]) == ProblemFigures(problems=0, open=0, overdue=0,
                                                            rate=None)


def test_the_overdue_list_is_most_days_late_first_ties_as_given():
    rows = statuses(("1-1", "open", 2), ("1-2", "open", 7), ("1-3", "rectified", None),
                    ("1-4", "reopened", 7))
    assert overdue_problems(rows)["problem_id"].tolist() == ["1-2", "1-4", "1-1"]
    assert overdue_problems(rows.iloc[[2]]).empty


def test_the_problems_a_status_change_is_offered_for_are_those_not_verified():
    rows = statuses(("1-1", "open", None), ("1-2", "verified", None),
                    ("1-3", "rectified", None), ("1-4", "reopened", None))
    assert unverified(rows)["problem_id"].tolist() == ["1-1", "1-3", "1-4"]


def test_category_and_status_words():
    assert (category_word("funds", "zh"), category_word("funds", "en")) == ("资金", "funds")
    # A category the vocabulary does not know (read from an older sheet) shows as written.
    assert category_word("环境", "zh") == category_word("环境", "en") == "环境"
    assert (status_word("rectified", "zh"), status_word("reopened", "en")) == (
        "已整改", "reopened")
    # A history row that is a visit has no status: blank, whether missing or blanked.
    assert status_word(None, "zh") == status_word("", "en") == status_word(np.nan, "zh") == ""


def test_a_village_history_in_order_visits_problems_and_changes():
    from geo.supervision.rounds import village_history

    visits = pd.DataFrame({"import_id": [1, 2], "round": [1, 1], "unit_code": ["v1", "v1"],
                           "team": ["第1组", "第1组"], "seq": [3, None],
                           "reason": ["never_visited", "visit"],
                           "visited_on": [None, "2016-08-10"]})
    problems = pd.DataFrame([problem("2-1", "v1", "2016-08-10", "2016-08-20")])
    events = pd.DataFrame([{"import_id": 3, "problem_id": "2-1", "status": "rectified",
                            "on_date": "2016-08-18", "note": "已修复", "source_row": 4}])
    status = problem_status(problems, events, as_of=dt.date(2016, 8, 27))
    history = village_history("v1", visits, status, events)
    assert history["what"].tolist() == ["planned", "visit", "problem", "change"]
    assert history.loc[3, "detail"] == "2-1 已修复" and history.loc[3, "date"] == "2016-08-18"


def test_over_rounds_every_township_comes_up_not_the_first_by_name():
    # 20 townships of 5 villages, 10 a round: half a place each, so the places go by
    # the villages never visited, then by lot; ten rounds visit all hundred.
    pool = villages({"A": {f"t{k:02d}": 5 for k in range(20)}})
    seen: dict[str, int] = {}
    for seed in range(10):
        drawn = plan_round(pool, counties({"A": 50}), per_county=10, visited=seen, seed=seed)
        for code in drawn.villages["code"]:
            seen[code] = seen.get(code, 0) + 1
    assert set(seen) == set(pool["code"]) and set(seen.values()) == {1}


def test_the_same_seed_whatever_order_the_villages_come_in():
    pool = villages({"A": {"t1": 15, "t2": 15}})
    forward = plan_round(pool, counties({"A": 50}), per_county=6, seed=3).villages
    backward = plan_round(pool.iloc[::-1], counties({"A": 50}), per_county=6, seed=3).villages
    assert forward["code"].tolist() == backward["code"].tolist()


def test_a_verification_whose_rectification_was_undone_no_longer_counts():
    problems = pd.DataFrame([problem("1-1", "v1", "2016-08-10", "2016-08-20")])
    change = {"problem_id": "1-1", "source_row": 4}
    events = pd.DataFrame([
        {**change, "import_id": 2, "status": "rectified", "on_date": "2016-08-15",
         "note": "已修补"},
        {**change, "import_id": 3, "status": "reopened", "on_date": "2016-08-22", "note": None},
        {**change, "import_id": 4, "status": "verified", "on_date": "2016-08-25", "note": None}])
    status = problem_status(problems, events, as_of=dt.date(2016, 8, 27)).set_index("problem_id")
    # Reopened on 8-22, and no new rectification: the verification of 8-25 cannot count,
    # and the note is the reopening's (none), not the rectification's.
    assert status.loc["1-1", "status"] == "reopened" and pd.isna(status.loc["1-1", "note"])
    assert status.loc["1-1", "overdue"]
