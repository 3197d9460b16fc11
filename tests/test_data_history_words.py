"""/data's history tab says why rows did not join, and what the import warned
about, in the page's language (AppTest, in-process), on a store whose second
ledger has the typo 石拐去 and a 合计 that does not add up (tests/conftest.py)."""

import json
import re

import pytest

from tests.conftest import run_page, widget


@pytest.fixture
def store_of_two_rounds(two_rounds, monkeypatch):
    monkeypatch.setenv("COVERMAP_STORE", str(two_rounds.path))
    return two_rounds


def history(lang: str):
    """The page on 包头市 with the latest import (the second round) chosen."""
    app = run_page("data", region="150200", lang=lang)
    assert not app.error, [e.value for e in app.error]
    chosen = widget(app.selectbox, "导入编号" if lang == "zh" else "Import number")
    assert chosen.value == 2                       # the latest first
    report = json.loads(app.json[0].proto.body)
    (unmatched,) = [d.value for d in app.dataframe if "reason" in d.value.columns]
    return report, unmatched


def test_the_chinese_history_says_the_reasons_and_warnings_in_chinese(store_of_two_rounds):
    report, unmatched = history("zh")
    assert unmatched["reason"].tolist() == ["没有名为“石拐去”的单位"]
    assert {"reason_key", "reason_fields"} & set(unmatched.columns) == set()
    assert [u["reason"] for u in report["unmatched"]] == ["没有名为“石拐去”的单位"]
    assert report["warnings"] == [
        "包头-0825.xlsx：第 7 行（合计）“危房改造（户）/开工”列：填报 2,900，但各行之和为 2,800"]
    # No English sentence: the report's sentences hold no Latin word but the file's suffix.
    sentences = [u["reason"] for u in report["unmatched"]] + report["warnings"] \
        + unmatched["reason"].tolist()
    assert [w for s in sentences for w in re.findall(r"[A-Za-z]{2,}", s) if w != "xlsx"] == []


def test_the_english_history_says_them_as_the_store_keeps_them(store_of_two_rounds):
    report, unmatched = history("en")
    assert unmatched["reason"].tolist() == ["no unit named '石拐去'"]
    assert report["warnings"] == ["包头-0825.xlsx: row 7 (合计), column '危房改造（户）/开工': "
                                  "stated 2,900 but the rows sum to 2,800"]


@pytest.mark.parametrize("lang, kinds", [("zh", ["进度台账", "进度台账"]),
                                         ("en", ["Progress ledger", "Progress ledger"])])
def test_the_history_names_each_kind_of_import_in_the_page_language(store_of_two_rounds,
                                                                     lang, kinds):
    app = run_page("data", region="150200", lang=lang)
    (imports,) = [d.value for d in app.dataframe if "undone" in d.value.columns]
    assert imports["kind"].tolist() == kinds
    assert imports["import_id"].tolist() == [2, 1]
