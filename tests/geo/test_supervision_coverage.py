"""The coverage figures of the supervision page, on a county of five villages worked
by hand."""

import pandas as pd

from geo.supervision.coverage import (
    CoverageFigures,
    coverage_figures,
    last_round_counts,
    recent_rounds,
    region_codes,
    rounds_held,
    villages_touched,
)
from geo.supervision.rounds import round_coverage

# A county C with one township T of five villages, and another county D with one.
UNITS = pd.DataFrame({
    "code": ["C", "T", "v1", "v2", "v3", "v4", "v5", "D", "w1"],
    "name": ["甲县", "乙镇", "一村", "二村", "三村", "四村", "五村", "丙县", "六村"],
    "level": ["county", "township", *["village"] * 5, "county", "village"],
    "parent_code": [None, "C", "T", "T", "T", "T", "T", None, "D"]})


def visits(*rows) -> pd.DataFrame:
    """``(round, village, visited on or None when only planned)`` each."""
    return pd.DataFrame({"round": [r[0] for r in rows], "unit_code": [r[1] for r in rows],
                         "visited_on": [r[2] for r in rows]})


# Round 1 visited v1 and v2; round 2 v2 and v3; round 3 is planned (v4), not yet made.
THREE_ROUNDS = visits((1, "v1", "2016-08-01"), (1, "v2", "2016-08-01"),
                      (2, "v2", "2016-09-01"), (2, "v3", "2016-09-02"), (3, "v4", None))


def test_the_tiles_count_villages_visited_at_least_once_and_in_each_round():
    coverage = round_coverage(UNITS, THREE_ROUNDS, region="C")
    rounds = rounds_held(THREE_ROUNDS)
    assert rounds == 3                                         # a planned round counts
    figures = coverage_figures(coverage, rounds=rounds)
    # v1, v2, v3 of five visited (60 %), v4 and v5 never; v1 and v2 in round 1, v2 and
    # v3 in round 2, none yet in round 3.
    assert figures == CoverageFigures(villages=5, visited=3, share=60.0,
                                      by_round={1: 2, 2: 2, 3: 0})
    assert figures.never == 2


def test_the_legend_counts_each_village_once_under_its_last_round():
    coverage = round_coverage(UNITS, THREE_ROUNDS, region="C")
    # v1 last visited in round 1; v2 (rounds 1 and 2) and v3 in round 2; v4, v5 never.
    assert last_round_counts(coverage["last_round"], 3) == {1: 1, 2: 2, 3: 0}


def test_only_the_four_latest_rounds_have_a_tile():
    assert recent_rounds(6) == [3, 4, 5, 6]
    assert recent_rounds(4) == [1, 2, 3, 4]
    assert recent_rounds(1) == [1] and recent_rounds(0) == []
    six = visits(*[(n, "v1", f"2016-0{n}-01") for n in range(1, 7)])
    figures = coverage_figures(round_coverage(UNITS, six, region="C"), rounds=6)
    assert figures.by_round == {3: 1, 4: 1, 5: 1, 6: 1}
    assert (figures.visited, figures.never, figures.share) == (1, 4, 20.0)


def test_no_round_yet():
    none = visits()
    assert rounds_held(none) == 0
    figures = coverage_figures(round_coverage(UNITS, none, region="C"), rounds=0)
    assert figures == CoverageFigures(villages=5, visited=0, share=0.0, by_round={})
    assert last_round_counts(pd.Series([pd.NA] * 5, dtype="Int64"), 0) == {}


def test_a_region_without_villages_has_no_share():
    figures = coverage_figures(round_coverage(UNITS, THREE_ROUNDS, region="v1"), rounds=3)
    assert figures.villages == 0 and figures.share is None


def test_the_region_is_itself_and_everything_below_it():
    assert region_codes(UNITS, "C") == {"C", "T", "v1", "v2", "v3", "v4", "v5"}
    assert region_codes(UNITS, "D") == {"D", "w1"}
    assert region_codes(UNITS, "v1") == {"v1"}


def test_a_village_has_a_history_once_visited_planned_or_with_a_problem():
    problems = pd.DataFrame({"unit_code": ["v5", "v1"]})
    assert villages_touched(THREE_ROUNDS, problems) == ["v1", "v2", "v3", "v4", "v5"]
    assert villages_touched(visits(), problems.iloc[[]]) == []
