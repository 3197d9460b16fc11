"""Why a row joined no unit, and what an import warns about, in Chinese and English.

Each join reason is met on a real join (units and rows written here by hand) and
read word for word in both languages; the English is the sentence the unmatched
table held before reasons had words, so it stays what offices' scripts read.  A
few warnings likewise, and a Chinese report of an import with unmatched rows
and a warning holds no English sentence.
"""

import json
import pickle
import re

import pandas as pd

from geo.i18n.errors import Phrase, Sentence, said, stored_reason, stored_sentence
from geo.imports.progress import import_ledger
from geo.imports.report import report_in, unmatched_in
from geo.join import join_ledger
from geo.ledger import read_ledger
from geo.programme import load_programme
from geo.store import Store
from geo.supervision.problems import transition_problem
from tests.conftest import second_round

UNITS = pd.DataFrame([
    ("150000", "内蒙古自治区", "province", None),
    ("150100", "呼和浩特市", "league", "150000"),
    ("150102", "新城区", "county", "150100"),
    ("150102001", "保合少镇", "township", "150102"),
    ("150102001201", "讨思浩村", "village", "150102001"),
    ("150200", "包头市", "league", "150000"),
    ("150222", "固阳县", "county", "150200"),
    ("150205", "石拐区", "county", "150200"),
    ("150222100", "金山镇", "township", "150222"),
    ("150222101", "新建镇", "township", "150222"),
    ("150205101", "新建镇", "township", "150205"),
    ("150222100201", "红泥井村", "village", "150222100"),
    ("150222101201", "银号村", "village", "150222101"),
    ("150205101201", "银号村", "village", "150205101"),
], columns=["code", "name", "level", "parent_code"]).assign(aliases=None)

# source_row, code, name, parent_name → why it joins no village of 包头市, in both languages.
ROWS = [
    (3, "150102001201", "讨思浩村", None, "code 150102001201 is outside the region",
     "代码 150102001201 不在本区域内"),
    (4, "150222", None, None, "code 150222 is at another level", "代码 150222 属于另一层级"),
    (5, "150222100299", None, None, "code 150222100299 is not in the store",
     "数据库中没有代码 150222100299"),
    (6, None, None, None, "no name and no code", "既无名称也无代码"),
    (7, None, "红泥井村", "不存在镇", "parent '不存在镇' is not in the region",
     "上级“不存在镇”不在本区域内"),
    (8, None, "银号村", "新建镇", "parent '新建镇' names several units",
     "上级“新建镇”对应多个单位"),
    (9, None, "银号村", None, "'银号村' names several units", "“银号村”对应多个单位"),
    (10, None, "石拐去村", None, "no unit named '石拐去村'", "没有名为“石拐去村”的单位"),
    (11, "150222100298", "无此村", None,
     "code 150222100298 is not in the store and no unit named '无此村'",
     "数据库中没有代码 150222100298，也没有名为“无此村”的单位"),
    (12, None, "红泥井村", None, None, None),                        # joins
    (13, "150222100201", "红泥井村", None, "duplicate of row 12", "与第 12 行重复"),
]


def _joined():
    rows = pd.DataFrame([r[:4] for r in ROWS], dtype=object,
                        columns=["source_row", "code", "name", "parent_name"])
    return join_ledger(rows.assign(level_hint=None), UNITS, region_code="150200",
                       level="village")


def test_every_join_reason_in_english_as_before_and_in_chinese():
    joined = _joined()
    assert joined.matched.values.tolist() == [[12, "150222100201"]]
    expected = [(r[0], r[4], r[5]) for r in ROWS if r[4]]
    unmatched = joined.unmatched.to_dict("records")
    assert [(u["source_row"], u["reason"], said(stored_reason(u), "zh")) for u in unmatched] \
        == expected
    assert [said(stored_reason(u), "en") for u in unmatched] == [e[1] for e in expected]
    assert [u["reason_key"] for u in unmatched] == [
        "join_code_outside", "join_code_other_level", "join_code_unknown",
        "join_no_name_no_code", "join_parent_unknown", "join_parent_several",
        "join_name_several", "join_no_unit_named", "join_code_unknown_no_unit_named",
        "join_duplicate"]
    assert json.loads(unmatched[-1]["reason_fields"]) == {"row": 12}
    assert unmatched[5]["candidates"] == "150205101 新建镇; 150222101 新建镇"


def test_a_row_of_an_old_import_shows_its_stored_sentence():
    old = {"source_row": 6, "reason": "no unit named '石拐去'", "reason_key": None,
           "reason_fields": None}
    assert said(stored_reason(old), "zh") == "no unit named '石拐去'"
    shown = unmatched_in(pd.DataFrame([old, {
        "source_row": 7, "reason": "no name and no code", "reason_key": "join_no_name_no_code",
        "reason_fields": "{}"}]), "zh")
    assert list(shown.columns) == ["source_row", "reason"]
    assert shown["reason"].tolist() == ["no unit named '石拐去'", "既无名称也无代码"]


def test_a_few_warnings_word_for_word():
    cases = [
        (Sentence("warn_geometry_repaired", rows=[1, 4]),
         "invalid geometry repaired (make_valid) in rows 1, 4",
         "第 1、4 行的几何图形无效，已修复（make_valid）"),
        (Sentence("warn_no_code_column"), "no code column: units will be matched by name and "
         "place", "没有代码列：将按名称和位置匹配单位"),
        (Sentence("warn_site_status_unknown", row=7, word="搞定了"),
         "row 7: status '搞定了' is not a known status word; left empty",
         "第 7 行：状态“搞定了”不是已知的状态词，已留空"),
        (Sentence("warn_no_target", row=5, item="housing", item_zh="危房改造", done=12.0),
         "row 5: housing has 12 done but no target; it counts for nothing until a target is "
         "given", "第 5 行：危房改造已完成 12，但没有任务数；给出任务数之前不计入完成情况"),
    ]
    for sentence, en, zh in cases:
        assert (sentence, said(sentence, "en"), said(sentence, "zh")) == (en, en, zh)
        # As a stored report keeps it, and back: the same words.
        again = stored_sentence(str(sentence), json.loads(json.dumps(sentence.as_dict())))
        assert (again, again.text("zh")) == (en, zh)
        assert pickle.loads(pickle.dumps(sentence)).text("zh") == zh


def test_a_ledger_total_that_disagrees_warns_in_either_language(tmp_path):
    path = tmp_path / "包头-0825.xlsx"
    second_round(path)
    (warning,) = read_ledger(path, load_programme("ten_full_coverage")).warnings
    assert warning == ("包头-0825.xlsx: row 7 (合计), column '危房改造（户）/开工': "
                       "stated 2,900 but the rows sum to 2,800")
    assert warning.text("zh") == ("包头-0825.xlsx：第 7 行（合计）“危房改造（户）/开工”列："
                                  "填报 2,900，但各行之和为 2,800")


def test_two_reasons_for_one_site_in_chinese():
    both = Phrase("two_reasons", first=Phrase("site_outside_units"),
                  second=Phrase("site_unknown_item", item="路灯", programme="十个全覆盖"))
    assert both.text("en") == "lies outside every unit of the store; item '路灯' is not one " \
                              "of 十个全覆盖's"
    assert both.text("zh") == "不在数据库的任何单位内；此外项目类别“路灯”不属于十个全覆盖"
    again = Phrase.from_json("two_reasons", both.fields_json())
    assert again.text("zh") == both.text("zh")


def test_a_refused_status_change_is_a_key_with_fields():
    why = transition_problem("open", "verified")
    assert why == "a problem cannot be verified before it is rectified (it is open)"
    assert (why.phrase.key, why.phrase.fields) == ("verified_before_rectified",
                                                    {"current": "open"})
    assert why.text("zh") == "问题整改完成前不能核验（目前为未整改）"
    assert transition_problem("verified", "open").text("zh") == "已销号的问题不能改为未整改"
    assert transition_problem("open", "rectified") is None


def _english_words(line: str) -> list[str]:
    """Latin words of a line but the file's suffix: what an English sentence leaves."""
    return [w for w in re.findall(r"[A-Za-z]{2,}", line) if w != "xlsx"]


def test_a_chinese_report_with_unmatched_rows_and_a_warning_has_no_english(two_rounds,
                                                                           tmp_path):
    path = tmp_path / "包头-0825.xlsx"
    second_round(path)
    store = Store(two_rounds.path, read_only=True)
    report = import_ledger(store, path, dry_run=True)
    lines = report.lines("zh")
    assert "  未匹配 第 6 行：石拐去——没有名为“石拐去”的单位；候选：150205 石拐区" in lines
    assert "  提示：包头-0825.xlsx：第 7 行（合计）“危房改造（户）/开工”列：填报 2,900，" \
           "但各行之和为 2,800" in lines
    assert [w for line in lines for w in _english_words(line.replace(str(path), ""))] == []
    # The report as the store keeps it: English as before, the words beside.
    stored = json.loads(json.dumps(report.as_dict(), default=str))
    assert stored["unmatched"][0]["reason"] == "no unit named '石拐去'"
    assert stored["warnings"] == [str(report.warnings[0])]
    assert stored["warning_words"][0]["key"] == "warn_total_differs"
    shown = report_in(stored, "zh")
    assert shown["unmatched"][0]["reason"] == "没有名为“石拐去”的单位"
    assert shown["warnings"] == [report.warnings[0].text("zh")]
    assert "warning_words" not in shown and "reason_key" not in shown["unmatched"][0]
    # An older report (no words) still reads, as it stored its sentences.
    old = {k: v for k, v in stored.items() if k != "warning_words"}
    old["unmatched"] = [{k: v for k, v in u.items() if not k.startswith("reason_")}
                        for u in stored["unmatched"]]
    assert report_in(old, "zh")["warnings"] == stored["warnings"]
    assert report_in(old, "zh")["unmatched"][0]["reason"] == "no unit named '石拐去'"


def test_what_a_findings_sheet_brought_is_said_in_the_page_language():
    stored = {"found": "round 2: 3 village visits, 2 problems found, 1 status changes",
              "found_counts": {"round": 2, "visits": 3, "problems": 2, "events": 1}}
    assert report_in(stored, "zh")["found"] == "第 2 轮：3 次村访、发现 2 个问题、1 次状态变更"
    assert report_in(stored, "en")["found"] == stored["found"]
    assert report_in({"undoes": 3}, "zh") == {"undoes": 3}          # an undo's report
