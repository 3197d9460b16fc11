"""The /supervision page in-process (AppTest) on the demo with round 1 and its findings
(tests/supervision.py): the problems a week on, the ledger, coverage and the plan."""


from tests.conftest import run_page


def test_a_week_on_the_overdue_problems_and_the_ledger(supervised):
    app = run_page("supervision", region="150200", as_of="2016-09-12")
    tiles = {m.label: m.value for m in app.metric}
    # Three problems, none settled; the clinic (due 9-05) and the funds (9-10) late.
    assert tiles["问题"] == "3" and tiles["未整改"] == "3" and tiles["逾期"] == "2"
    ledger = app.dataframe[0].value.set_index("旗县区")
    assert ledger.loc["固阳县", "逾期"] == 1 and ledger.loc["固阳县", "问题数"] == 2
    every, late = app.dataframe[1].value, app.dataframe[2].value
    assert len(every) == 3 and set(every["整改状态"]) == {"未整改"}
    assert late["嘎查村"].tolist() == [supervised["clinic"]["嘎查村"],
                                       supervised["funds"]["嘎查村"]]
    assert late["逾期天数"].tolist() == [7, 2]


def test_on_the_day_of_the_visit_nothing_is_overdue(supervised):
    app = run_page("supervision", region="150200", as_of="2016-09-01")
    assert {m.label: m.value for m in app.metric}["逾期"] == "0"


def test_coverage_counts_the_villages_visited(supervised):
    app = run_page("supervision", region="150222", section="coverage")    # 固阳县
    tiles = {m.label: m.value for m in app.metric}
    # Round 1's findings visited three of 固阳县's villages.
    assert tiles["第1轮督导的村"] == "3"


def test_the_page_in_english(supervised):
    app = run_page("supervision", region="150200", as_of="2016-09-12", lang="en")
    assert {m.label: m.value for m in app.metric}["Overdue"] == "2"
