"""The words a ledger's columns answer to, read from data/words/headers.toml.

Ledgers are written as offices write them, with real units of two Ordos banners
(杭锦旗 150625, 乌审旗 150626) taken from the 2016 统计用区划代码
(data/register/nbs-2016.csv.gz, the shipped 2016 list, CC BY 4.0); each is read with
:func:`geo.ledger.read_ledger` and joined to those units with
:func:`geo.join.join_ledger`.  Ordos has 苏木 and 镇 but no 乡, and an office
heads its township column 苏木镇: before these words were data that column was
"not used", the level taken from the 12-digit codes, and 0 of 8 rows joined.
"""

from __future__ import annotations

import shutil
import tomllib
from functools import cache
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from geo.join import join_ledger
from geo.ledger import read_ledger
from geo.ledger import values as ledger_values
from geo.ledger.values import HEADERS_FILE, LEVEL_RANK, header_key, header_level, name_level
from geo.programme import load_programme

CODES = Path(__file__).resolve().parents[2] / "data" / "register" / "nbs-2016.csv.gz"
# 杭锦旗's eight townships as the 2016 list names them (two are industrial parks).
HANGJIN_TOWNSHIPS = [
    ("150625100", "锡尼镇"), ("150625101", "巴拉贡镇"), ("150625102", "吉日嘎朗图镇"),
    ("150625103", "独贵特拉镇"), ("150625104", "呼和木独镇"), ("150625200", "伊和乌素苏木乡"),
    ("150625400", "杭锦旗独贵塔拉工业园区管理委员会"), ("150625401", "鄂尔多斯新能源产业示范区"),
]
# Village committees of 乌审旗's 嘎鲁图镇 and 乌审召镇, as the list names them.
UXIN_VILLAGES = [
    ("嘎鲁图镇", "150626100203", "巴音柴达木村民委员会"),
    ("嘎鲁图镇", "150626100207", "布寨嘎查村委员会"),
    ("嘎鲁图镇", "150626100211", "后寨子村民委员会"),
    ("乌审召镇", "150626101200", "乌审召嘎查村委员会"),
    ("乌审召镇", "150626101205", "中乃村民委员会"),
]
TITLE = "{}十个全覆盖工程进度台账"
REPORTER = "填报单位：{}十个全覆盖办公室"


@pytest.fixture(scope="module")
def programme():
    return load_programme("ten_full_coverage")


@cache
def _list() -> pd.DataFrame:
    return pd.read_csv(CODES, dtype=str, usecols=["code", "parent_code", "name", "rank"])


def _store_code(code: str, rank: int) -> str:
    """A 12-digit list code in the store's form: 15, 150600, 150625, 150625100, 12 digits."""
    return code[:{1: 2, 2: 4, 3: 6, 4: 9}.get(rank, 12)].ljust(6, "0")


def _units(county: str) -> pd.DataFrame:
    """The units of a county from the 2016 list, with its league and province, as a
    store holds them."""
    listed = _list()
    rows = listed[listed["code"].str.startswith(county)
                  | listed["code"].isin([county[:4] + "0" * 8, county[:2] + "0" * 10])]
    levels = {1: "province", 2: "league", 3: "county", 4: "township", 5: "village"}
    rank = rows["rank"].astype(int)
    parent_rank = rank - 1
    return pd.DataFrame({
        "code": [_store_code(c, r) for c, r in zip(rows["code"], rank)],
        "name": rows["name"].tolist(),
        "level": rank.map(levels).tolist(),
        "parent_code": [_store_code(c, r) if r >= 1 else None
                        for c, r in zip(rows["parent_code"], parent_rank)],
        "aliases": None,
    })


def _xlsx(path: Path, rows: list[list], merges=()) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    for cells in merges:
        book.active.merge_cells(cells)
    book.save(path)
    return path


def _hangjin_ledger(path: Path) -> Path:
    """杭锦旗's township ledger: 苏木镇 over the names, the codes as the bureau prints
    them (12 digits), 安全饮水 and 卫生室 merged over 任务/完工."""
    rows = [[TITLE.format("杭锦旗")],
            [REPORTER.format("杭锦旗"), None, None, None, "截至2016年8月10日"],
            ["序号", "苏木镇", "统计用区划代码", "安全饮水（人）", None, "卫生室（个）", None],
            [None, None, None, "任务", "完工", "任务", "完工"]]
    for n, (code, name) in enumerate(HANGJIN_TOWNSHIPS, start=1):
        rows.append([n, name, code + "000", 1000 * n, 900 * n, n, n - 1])
    rows.append(["合计", None, None, 36000, 32400, 36, 28])
    return _xlsx(path, rows)


def test_the_eight_townships_are_the_lists_own():
    listed = _list()
    under = listed[listed["parent_code"] == "150625000000"]
    assert list(zip(under["code"].str[:9], under["name"])) == HANGJIN_TOWNSHIPS


def test_a_township_ledger_headed_sumu_town_reads_its_names(tmp_path, programme):
    ledger = read_ledger(_hangjin_ledger(tmp_path / "杭锦旗.xlsx"), programme)
    rows = ledger.rows
    assert rows["name"].tolist() == [name for _, name in HANGJIN_TOWNSHIPS]
    assert rows["code"].tolist() == [code + "000" for code, _ in HANGJIN_TOWNSHIPS]
    assert rows["level_hint"].tolist() == ["township"] * 8
    assert rows["source_row"].tolist() == list(range(5, 13))
    assert ledger.ignored_columns == ["序号"]
    assert ledger.columns == {
        "安全饮水（人）/任务": ("water", "target"), "安全饮水（人）/完工": ("water", "completed"),
        "卫生室（个）/任务": ("clinics", "target"), "卫生室（个）/完工": ("clinics", "completed")}
    assert ledger.warnings == []
    (check,) = ledger.total_checks
    assert check["ok"] and check["rows"] == 8


def test_a_township_ledger_headed_sumu_town_joins_all_eight(tmp_path, programme):
    ledger = read_ledger(_hangjin_ledger(tmp_path / "杭锦旗.xlsx"), programme)
    joined = join_ledger(ledger.rows, _units("150625"), region_code="150625")
    assert joined.level == "township"
    assert joined.unmatched.empty
    assert joined.matched.values.tolist() == [
        [row, code] for row, (code, _) in enumerate(HANGJIN_TOWNSHIPS, start=5)]
    water = ledger.values[ledger.values["item"] == "water"].set_index("source_row")
    by_unit = dict(zip(joined.matched["unit_code"], joined.matched["source_row"]))
    # 伊和乌素苏木乡 is row 10, the sixth: 6,000 to supply, 5,400 supplied.
    assert water.loc[by_unit["150625200"], ["target", "completed"]].tolist() == [6000, 5400]


def _uxin_village_ledger(path: Path, township_word: str, village_word: str) -> Path:
    """乌审旗's village ledger, the township merged down over its villages."""
    rows = [[TITLE.format("乌审旗")], [REPORTER.format("乌审旗")],
            ["序号", township_word, village_word, "标准化卫生室", "便民连锁超市"]]
    township = None
    for n, (town, _, name) in enumerate(UXIN_VILLAGES, start=1):
        rows.append([n, town if town != township else None, name, "已完成", "在建"])
        township = town
    return _xlsx(path, rows, merges=["B4:B6", "B7:B8"])


@pytest.mark.parametrize("township_word, village_word", [
    ("乡镇（苏木）", "嘎查村（社区）"),
    ("苏木（镇）", "村（嘎查）"),
    ("苏木乡镇", "行政村"),
    ("乡镇（街道）", "嘎查村"),
    ("苏木镇", "村组"),
    ("苏木 / 乡镇", "嘎查村名称"),          # two words of one level; a name ending
    ("所属苏木镇", "嘎查村【社区】"),        # a parent's prefix; other brackets
    ("乡镇(苏木)", "村(嘎查)名称"),          # half-width brackets
])
def test_village_ledger_headers_are_read_at_their_level(tmp_path, programme,
                                                      township_word, village_word):
    path = _uxin_village_ledger(tmp_path / "乌审旗.xlsx", township_word, village_word)
    ledger = read_ledger(path, programme)
    assert ledger.rows["name"].tolist() == [name for _, _, name in UXIN_VILLAGES]
    assert ledger.rows["parent_name"].tolist() == ["嘎鲁图镇"] * 3 + ["乌审召镇"] * 2
    assert ledger.rows["level_hint"].tolist() == ["village"] * 5
    assert ledger.ignored_columns == ["序号"]
    joined = join_ledger(ledger.rows, _units("150626"), region_code="150626")
    assert joined.unmatched.empty
    assert joined.matched["unit_code"].tolist() == [code for _, code, _ in UXIN_VILLAGES]


@pytest.mark.parametrize("word, level", [
    ("单位名称", None), ("单位", None), ("名称", None), ("地区", None),
    ("单位名称（嘎查村）", "village"),      # the bracket says the level the name does not
    ("单位（万元）", None),
])
def test_a_unit_column_says_its_level_or_leaves_it_to_the_codes(tmp_path, programme, word,
                                                                level):
    rows = [[TITLE.format("乌审旗")], ["序号", word, "代码", "标准化卫生室"]]
    rows += [[n, name, code, "已完成"] for n, (_, code, name) in enumerate(UXIN_VILLAGES, 1)]
    ledger = read_ledger(_xlsx(tmp_path / "units.xlsx", rows), programme)
    assert ledger.rows["level_hint"].tolist() == [level] * 5
    assert ledger.rows["parent_name"].tolist() == [None] * 5
    joined = join_ledger(ledger.rows, _units("150626"), region_code="150626")
    assert joined.level == "village" and len(joined.matched) == 5


def test_a_county_ledger_under_its_league(tmp_path, programme):
    rows = [["鄂尔多斯市十个全覆盖工程进度台账"], ["盟市", "旗县（市、区）", "卫生室", None],
            [None, None, "任务", "完工"],
            ["鄂尔多斯市", "杭锦旗", 92, 80], [None, "乌审旗", 60, 60]]
    ledger = read_ledger(_xlsx(tmp_path / "ordos.xlsx", rows, merges=["A4:A5"]), programme)
    assert ledger.rows["name"].tolist() == ["杭锦旗", "乌审旗"]
    assert ledger.rows["parent_name"].tolist() == ["鄂尔多斯市"] * 2
    assert ledger.rows["level_hint"].tolist() == ["county"] * 2


@pytest.mark.parametrize("key, level", [
    ("苏木镇", "township"), ("苏木乡镇", "township"), ("行政村", "village"),
    ("嘎查村", "village"), ("旗县区", "county"), ("盟市", "league"), ("单位名称", None),
    ("乡镇名", "township"), ("苏木、乡镇", "township"), ("所在嘎查村", "village")])
def test_name_level_of_a_key(programme, key, level):
    assert name_level(key, programme) == (True, level)


@pytest.mark.parametrize("key", [
    "排名", "户名", "苏木/嘎查村",          # two levels in one header: not guessed
    "所属单位",                             # a parent's prefix before no level
    "杭锦旗", "锡尼镇"])
def test_what_is_not_a_name_column(programme, key):
    assert name_level(key, programme) == (False, None)


def test_the_word_file_lists_each_word_once_and_bare():
    """Brackets, width and spaces are header_key's: a word written with them
    would never be met, and one word names one level."""
    with HEADERS_FILE.open("rb") as f:
        raw = tomllib.load(f)
    assert set(raw) == {"unit", *LEVEL_RANK, "name", "parent", "code", "population",
                        "households", "status", "ignored", "personal"}
    seen = {}
    for role, table in raw.items():
        for kind, words in table.items():
            assert words and all(isinstance(w, str) and w for w in words), (role, kind)
            assert [header_key(w) for w in words] == words, (role, kind)
            assert len(set(words)) == len(words), (role, kind)
            if kind == "words" and role in ("unit", *LEVEL_RANK):
                for word in words:
                    assert seen.setdefault(word, role) == role, word


def test_no_real_unit_is_taken_for_a_header_printed_again(programme):
    """A row whose name reads as a header word is passed over, so no unit in the
    2016 list of China may: only the three words listed before this file are
    (县 is 重庆市's 县 placeholder, 嘎查村 a village of 西藏 and 社区 two of 新疆)."""
    names = _list()["name"].unique()
    taken = {n for n in names if name_level(header_key(n), programme)[0]}
    assert taken == {"县", "嘎查村", "社区"}


@pytest.fixture
def words_file(tmp_path, monkeypatch):
    """A copy of the word file the test may add a line to; the cached words are
    forgotten before and after."""
    path = tmp_path / "headers.toml"
    shutil.copyfile(HEADERS_FILE, path)
    monkeypatch.setattr(ledger_values, "HEADERS_FILE", path)
    ledger_values.header_words.cache_clear()
    ledger_values._level_of_word.cache_clear()
    yield path
    ledger_values.header_words.cache_clear()
    ledger_values._level_of_word.cache_clear()


def test_a_new_offices_word_is_a_line_of_data(words_file, tmp_path, programme):
    path = _uxin_village_ledger(tmp_path / "乌审旗.xlsx", "苏木乡镇", "浩特")
    assert header_level("浩特", programme) == (False, None)
    text = words_file.read_text(encoding="utf-8")
    words_file.write_text(text.replace('[village]\nwords = ["嘎查村",',
                                       '[village]\nwords = ["浩特", "嘎查村",'),
                          encoding="utf-8")
    ledger_values.header_words.cache_clear()
    ledger_values._level_of_word.cache_clear()
    assert header_level("浩特", programme) == (True, "village")
    ledger = read_ledger(path, programme)
    assert ledger.rows["level_hint"].tolist() == ["village"] * 5
    assert ledger.rows["parent_name"].tolist() == ["嘎鲁图镇"] * 3 + ["乌审召镇"] * 2
