"""The /supervision page's sections in-process (AppTest) on the demo with round 1 and
its findings (tests/supervision.py)."""

import pytest

from tests.conftest import run_page, widget


@pytest.mark.parametrize("lang, label, words", [
    ("zh", "选择嘎查村", [["", "1", "计划督导", "第8组", "", ""],
                         ["2016-09-01", "1", "督导", "第8组", "", ""],
                         ["2016-09-01", "1", "发现问题", "第8组", "卫生室墙体开裂", "未整改"]]),
    ("en", "Pick a village", [["", "1", "planned", "第8组", "", ""],
                              ["2016-09-01", "1", "visit", "第8组", "", ""],
                              ["2016-09-01", "1", "problem", "第8组", "卫生室墙体开裂", "open"]])])
def test_a_village_history_lists_the_plan_the_visit_and_the_problem(supervised, lang,
                                                                    label, words):
    # A visit has no status: its row is blank there (the page once failed on it).
    app = run_page("supervision", region="150222", section="history", as_of="2016-09-12",
                   lang=lang)
    widget(app.selectbox, label).set_value(supervised["clinic"]["村代码"]).run()
    assert not app.exception, [e.value for e in app.exception]
    history = app.dataframe[0].value.astype(str)
    assert history.values.tolist() == words


def test_a_status_change_is_offered_for_the_problems_not_yet_verified(supervised):
    app = run_page("supervision", region="150200", section="enter", as_of="2016-09-12")
    offered = widget(app.selectbox, "问题编号").options
    assert len(offered) == 3 and all(" · " in o for o in offered)
    clinic = supervised["clinic"]["嘎查村"]
    assert sum(o.endswith(f" · {clinic}") for o in offered) == 1
