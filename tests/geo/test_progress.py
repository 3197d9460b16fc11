"""Roll-up maths on a tree small enough to check by hand.

    包头市 150200 (league)
    ├── 固阳县 150222 (county) ── 西斗铺镇 150222100 ── 村一 (pop 100), 村二 (pop 300)
    └── 达茂旗 150223 (county) ── 村三 (pop 200; its township is not in the store)
"""

import datetime as dt

import pandas as pd
import pytest

from geo.errors import UsageError
from geo.programme import load_programme
from geo.progress import values_on
from geo.summary import summarise

D1, D2 = "2016-08-01", "2016-08-15"
V1, V2, V3 = "150222100201", "150222100202", "150223100201"


@pytest.fixture(scope="module")
def programme():
    return load_programme("ten_full_coverage")


@pytest.fixture(scope="module")
def units():
    return pd.DataFrame(
        [
            ("150200", "包头市", "league", None, 600),
            ("150222", "固阳县", "county", "150200", 400),
            ("150223", "达尔罕茂明安联合旗", "county", "150200", 200),
            ("150222100", "西斗铺镇", "township", "150222", 400),
            (V1, "村一", "village", "150222100", 100),
            (V2, "村二", "village", "150222100", 300),
            (V3, "村三", "village", "150223", 200),
        ],
        columns=["code", "name", "level", "parent_code", "population"],
    ).assign(aliases="", households=None)


@pytest.fixture(scope="module")
def progress():
    nan = float("nan")
    rows = [
        # as_of, unit, item, target, started, completed, status, import_id
        (D1, V1, "housing", 10, 8, 5, None, 1),
        (D1, V1, "clinics", 1, 1, 1, "done", 1),
        (D1, V1, "social_security", 100, nan, 90, None, 1),
        (D1, V2, "housing", 30, 30, 30, None, 1),
        (D1, V2, "clinics", nan, nan, nan, "na", 1),
        (D1, V2, "social_security", 100, nan, 80, None, 1),
        (D1, V3, "housing", 20, 10, 10, None, 1),
        (D1, V3, "clinics", 1, 1, 0, "in_progress", 1),
        (D1, V3, "social_security", 100, nan, 50, None, 1),
        (D2, V1, "housing", 10, 9, 8, None, 2),
        # a correction of the same date: the later import wins
        (D2, V1, "housing", 10, 10, 9, None, 3),
        # the county's own report, which does not add up (41 against 39)
        (D2, "150222", "housing", 40, 40, 41, None, 4),
    ]
    frame = pd.DataFrame(rows, columns=["as_of", "unit_code", "item", "target", "started",
                                        "completed", "status", "import_id"])
    return frame.assign(source_row=range(1, len(frame) + 1))


def record(table, code, item):
    found = table[(table["code"] == code) & (table["item"] == item)]
    assert len(found) == 1, (code, item)
    return found.iloc[0]


def test_township_rolls_up_villages(units, progress, programme):
    values = values_on(units, progress, programme, on=dt.date(2016, 8, 15))
    town = record(values, "150222100", "housing")
    assert (town.target, town.started, town.completed) == (40, 40, 39)
    assert town.pct == pytest.approx(97.5)
    assert town.source == "rolled_up" and town.children_reported == 2
    # 村二's clinic does not apply: the township's target is one clinic, done
    assert record(values, "150222100", "clinics").pct == pytest.approx(100)
    # share items weigh villages by population: (100×90 + 300×80) / 400 = 82.5 %
    # of residents, against the 95 % that counts as covered
    assert record(values, "150222100", "social_security").pct == pytest.approx(82.5 / 0.95)


def test_own_report_wins_on_the_same_date_and_disagreement_is_kept(units, progress, programme):
    values = values_on(units, progress, programme, on=dt.date(2016, 8, 15))
    county = record(values, "150222", "housing")
    assert (county.target, county.completed, county.source) == (40, 41, "reported")
    assert county.pct == pytest.approx(102.5)
    assert county.disagreement == pytest.approx(2)


def test_roll_up_skips_a_missing_level(units, progress, programme):
    values = values_on(units, progress, programme, on=dt.date(2016, 8, 15))
    league = record(values, "150200", "housing")
    assert (league.target, league.completed) == (60, 51)
    assert league.pct == pytest.approx(85)
    assert record(values, "150200", "clinics").pct == pytest.approx(50)
    assert record(values, "150200", "social_security").pct == pytest.approx(43000 / 600 / 0.95)


def test_carry_forward_before_the_correction(units, progress, programme):
    values = values_on(units, progress, programme, on=dt.date(2016, 8, 10))
    assert record(values, "150222", "housing").pct == pytest.approx(35 / 40 * 100)
    assert record(values, "150222", "housing").source == "rolled_up"


def test_summary_overall_rank_movement(units, progress, programme):
    table = summarise(units, progress, programme, level="county", region="150200")
    gy = record(table, "150222", "overall")
    dm = record(table, "150223", "overall")
    # housing 102.5 capped at 100, clinics 100, social security 82.5 of 95
    # summaries show two decimals, and rank what they show
    assert gy.pct == pytest.approx((100 + 100 + 82.5 / 0.95) / 3, abs=0.005)
    assert dm.pct == pytest.approx((50 + 0 + 50 / 0.95) / 3, abs=0.005)
    assert (gy["rank"], dm["rank"]) == (1, 2)
    assert (gy.movement, dm.movement) == (0, 0)   # same order on 08-01
    assert pd.isna(gy.target)
    # items nobody reports are listed, with no value
    assert pd.isna(record(table, "150222", "roads").pct)
    assert len(table) == 2 * 11


def test_staleness_is_relative_to_the_as_of_date(units, progress, programme):
    on_d2 = summarise(units, progress, programme, level="county", item="housing",
                      as_of=dt.date(2016, 8, 15))
    later = summarise(units, progress, programme, level="county", item="housing",
                      as_of=dt.date(2016, 8, 20))
    assert not record(on_d2, "150223", "housing").stale
    assert record(later, "150223", "housing").stale
    assert not record(later, "150222", "housing").stale


def test_level_must_be_the_region_s_or_below(units, progress, programme):
    with pytest.raises(UsageError, match="is above"):
        summarise(units, progress, programme, level="province", region="150200")
    itself = summarise(units, progress, programme, level="league", region="150200")
    assert set(itself["code"]) == {"150200"}
    found = summarise(units, progress, programme, level="county", region="包头市")
    assert set(found["code"]) == {"150222", "150223"}


def test_uncovered_villages_and_unreported_items(units, progress, programme):
    from geo.gaps import uncovered_villages

    gaps = uncovered_villages(units, progress, programme, as_of=dt.date(2016, 8, 15))
    by_code = gaps.set_index("code")
    # 村一: 9 of 10 houses, social security 90 %; its clinic is done
    assert by_code.loc[V1, "missing"] == ["housing", "social_security"]
    # 村二: housing done, clinic not applicable, social security 80 %
    assert by_code.loc[V2, "missing"] == ["social_security"]
    assert by_code.loc[V3, "missing"] == ["housing", "clinics", "social_security"]
    unreported = by_code.loc[V1, "unreported"]
    assert "water" in unreported and "housing" not in unreported
    assert by_code.loc[V1, "township"] == "西斗铺镇" and by_code.loc[V3, "county"] == "达尔罕茂明安联合旗"
    # 村一's housing has been short since 08-01; its social security since 08-01 too
    assert by_code.loc[V1, "since"] == D1
    clinics = uncovered_villages(units, progress, programme, item="clinics",
                                 as_of=dt.date(2016, 8, 15))
    assert list(clinics["code"]) == [V3]


def test_ties_share_a_rank_and_movement_compares_snapshots(units, programme):
    # 08-01: 固阳 10 of 10 houses, 达茂 5 of 10; 08-15: 达茂 catches up, both 100 %.
    rows = pd.DataFrame(
        [(D1, V1, "housing", 10, 10, 10, None, 1), (D1, V3, "housing", 10, 5, 5, None, 1),
         (D2, V3, "housing", 10, 10, 10, None, 2)],
        columns=["as_of", "unit_code", "item", "target", "started", "completed", "status",
                 "import_id"]).assign(source_row=1)
    on_d1 = summarise(units, rows, programme, level="county", item="housing",
                      as_of=dt.date(2016, 8, 1)).set_index("code")
    assert list(on_d1["rank"]) == [1, 2]
    later = summarise(units, rows, programme, level="county", item="housing",
                      as_of=dt.date(2016, 8, 20)).set_index("code")
    assert list(later["rank"]) == [1, 1]                 # tied: both first
    # between snapshots, movement is that of 08-15 against 08-01
    assert list(later["movement"]) == [0, 1]


def test_work_done_against_no_target_does_not_inflate_the_roll_up(units, progress, programme):
    extra = pd.DataFrame([(D2, V2, "housing", float("nan"), 50, 50, None, 5)],
                         columns=progress.columns[:-1]).assign(source_row=99)
    values = values_on(units, pd.concat([progress, extra]), programme, on=dt.date(2016, 8, 15))
    town = record(values, "150222100", "housing")
    # 村二 reports 50 done but no target: it counts for nothing; 村一's 9 of 10 stands
    assert (town.target, town.completed) == (10, 9)


def test_index_history_follows_the_snapshots(units, progress, programme):
    from geo.summary import index_history

    history = index_history(units, progress, programme, code="150222",
                            dates=[dt.date(2016, 8, 1), dt.date(2016, 8, 15)])
    # 08-01: housing 35/40, clinics 100, social security 82.5 of 95
    assert history["pct"].iloc[0] == pytest.approx((87.5 + 100 + 82.5 / 0.95) / 3)
    assert history["pct"].iloc[1] == pytest.approx((100 + 100 + 82.5 / 0.95) / 3)
