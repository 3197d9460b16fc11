"""The overview's exit check on the poverty demo (甘孜州, 2016), in-process (AppTest):
which counties pass, which criterion holds back each that does not."""

import pytest

from geo.demo import demo_store
from tests.conftest import run_page


@pytest.fixture(scope="module")
def ganzi(tmp_path_factory):
    store = demo_store("poverty_exit", progress=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COVERMAP_STORE", str(store.path))
        patch.delenv("COVERMAP_ACCOUNTS", raising=False)
        yield store


@pytest.fixture(scope="module")
def approval(ganzi):
    """The overview's map of one criterion, the villages' approval: read by two tests."""
    return run_page("overview", item="exit:approval")


def test_the_exit_check_names_each_failing_county_and_its_criterion(ganzi):
    app = run_page("overview", item="exit")
    counts = {m.label: m.value for m in app.metric}
    assert counts == {"达标": "15", "接近": "0", "差距大": "3", "无法判断": "0"}
    failing = app.dataframe[0].value
    assert dict(zip(failing["单位"], failing["未达标指标"])) == {
        "色达县": "贫困发生率", "石渠县": "错退率", "理塘县": "群众认可度"}
    assert app.get("download_button")


def test_a_map_per_criterion_and_the_due_villages(ganzi, approval):
    assert {m.label: m.value for m in approval.metric}["差距大"] == "1"     # 理塘县 alone
    villages = run_page("overview", item="exit", level="village")
    counts = {m.label: m.value.replace(",", "") for m in villages.metric}
    # The 281 villages due in 2016 are tested; the other 2,398 are not due.
    assert sum(int(counts[k]) for k in ("达标", "接近", "差距大", "无法判断")) == 281
    assert counts["本年不退出"] == "2398"


def test_the_exit_check_in_english(ganzi):
    app = run_page("overview", item="exit", lang="en")
    failing = app.dataframe[0].value
    assert set(failing["Failing criteria"]) == {"poverty incidence", "wrongly exited",
                                                "approval"}


def test_a_map_of_one_criterion_lists_only_those_failing_it(approval):
    failing = approval.dataframe[0].value
    assert failing["单位"].tolist() == ["理塘县"]


def test_the_failing_villages_name_the_items_they_lack(ganzi):
    app = run_page("overview", item="exit", level="village", region="513334")
    failing = app.dataframe[0].value.set_index("单位")
    # 泽通尼村 lacks its collective economy and road; 甲学村 its clinic (the demo's ledger).
    assert failing.loc["泽通尼村", "缺少的出列指标"] == "集体经济、硬化路"
    assert failing.loc["甲学村", "缺少的出列指标"] == "卫生室"


def test_the_export_page_says_the_exit_check_is_by_county_or_village(ganzi):
    app = run_page("export", item="exit", level="township")
    assert [i.value for i in app.info] == ["退出检查按县或按村查看，请选择层级。"]
    assert not app.error
