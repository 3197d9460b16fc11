"""Names and codes as offices write them, and the names people say on map labels.

Every name and code here is the National Bureau of Statistics' 2016 统计用区划代码
(``data/register/nbs-2016.csv.gz``, the shipped copy of ../shared/data/nbs-2016, CC BY 4.0, © Vonng, data 国家统计局):
the register says 怀朔新村村委会, 柴磴嘎查村, 展旦召苏木乡, 工业街道办事处; offices
write 怀朔新村, 柴磴嘎查, 展旦召苏木, 工业街道 and print a township's code with 12
digits.  The counts were found by running the lookups once and checked by hand
against the collisions they name.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geo.codes import code_as_written, could_be, lost_digits, national_code
from geo.i18n.errors import said, stored_reason
from geo.io_fields import code_text
from geo.join import join_ledger
from geo.names import NameIndex, normalise, short_form, spoken_name, written_forms

CODES = Path(__file__).resolve().parents[2] / "data" / "register" / "nbs-2016.csv.gz"


@pytest.fixture(scope="module")
def inner_mongolia() -> pd.DataFrame:
    """Every unit of Inner Mongolia (codes 15…) in the list, 12-digit codes as text."""
    codes = pd.read_csv(CODES, dtype=str, usecols=["code", "parent_code", "name", "rank"])
    return codes[codes["code"].str.startswith("15")].reset_index(drop=True)


def _store_units(register: pd.DataFrame, county: str) -> pd.DataFrame:
    """One county as a store holds it: the county, its townships, its village
    committees (code part 200–399), in the store's codes (6, 9, 12 digits)."""
    rows = register[register["code"].str.startswith(county)]
    rank = rows["rank"].astype(int)
    part = rows["code"].str[9:].astype(int)
    keep = rows[(rank.between(3, 4)) | ((rank == 5) & part.between(200, 399))]
    return pd.DataFrame({
        "code": keep["code"].map(national_code),
        "name": keep["name"],
        "level": keep["rank"].map({"3": "county", "4": "township", "5": "village"}),
        "parent_code": keep["parent_code"].map(national_code).where(
            keep["rank"] != "3", None),
        "aliases": None,
    }).reset_index(drop=True)


def _without_committee(name: str) -> str:
    """The name with the committee word left out entirely, as some offices write it
    (红泥井村委会 → 红泥井, 克珠日嘎查村民委员会 → 克珠日), keeping the spoken form
    where one character would be left (一村委会 is written 一村) or where there is no
    committee word (柴磴嘎查村 → 柴磴嘎查)."""
    for word in ("嘎查村民委员会", "嘎查村委员会", "嘎查村委会", "嘎查牧委会", "嘎查委员会",
                 "嘎查委会", "村民委员会", "村委员会", "村委会", "村委"):
        if name.endswith(word) and len(name) - len(word) >= 2:
            return name[: -len(word)]
    return spoken_name(name)


def test_every_inner_mongolian_village_committee_written_short_finds_itself(inner_mongolia):
    villages = inner_mongolia[(inner_mongolia["rank"] == "5")
                              & inner_mongolia["code"].str[9:].astype(int).between(200, 399)]
    assert len(villages) == 11072
    outcome = {"spoken": {}, "without committee": {}, "official": {}}
    several = set()
    for _, town in villages.groupby("parent_code"):
        index = NameIndex(town.assign(aliases=None))
        for code, name in zip(town["code"], town["name"]):
            for way, written in (("spoken", spoken_name(name)),
                                 ("without committee", _without_committee(name)),
                                 ("official", name)):
                found = index.lookup(written)
                kind = ("self" if found == [code] else "several" if code in found
                        else "wrong")
                outcome[way][kind] = outcome[way].get(kind, 0) + 1
                if kind == "several":
                    several.add((written, tuple(index.names[c] for c in found)))
    # Written the way people say it (怀朔新村, 柴磴嘎查, 小三分子村), every one of the
    # 11,072 finds itself and no other village of its township.
    assert outcome["spoken"] == {"self": 11072}
    assert outcome["official"] == {"self": 11072}
    # Without the committee word at all, three collide in their township, and are
    # reported as several, never given to one: 哈沙图 (土默特左旗 察素齐镇) and 克珠日
    # (鄂托克前旗) name two villages each.
    assert outcome["without committee"] == {"self": 11069, "several": 3}
    assert several == {
        ("哈沙图", ("哈沙图村委会", "哈沙图嘎查")),
        ("克珠日", ("克珠日嘎查村民委员会", "克珠日村民委员会")),
    }


def test_without_their_township_short_names_find_themselves_or_several(inner_mongolia):
    """A ledger with no township column joins villages within the county: a short
    name two villages share there is several, never one (no village finds another)."""
    villages = inner_mongolia[(inner_mongolia["rank"] == "5")
                              & inner_mongolia["code"].str[9:].astype(int).between(200, 399)]
    outcome = {}
    for _, county in villages.groupby(villages["code"].str[:6]):
        index = NameIndex(county.assign(aliases=None))
        for code, name in zip(county["code"], county["name"]):
            found = index.lookup(spoken_name(name))
            kind = "self" if found == [code] else "several" if code in found else "wrong"
            outcome[kind] = outcome.get(kind, 0) + 1
    assert outcome == {"self": 10548, "several": 524}


def test_an_exact_name_does_not_win_over_another_village_written_the_same_way(
        inner_mongolia):
    # 达茂旗: 那仁宝力格嘎查 (查干哈达苏木) is also 那仁宝力格嘎查村 (明安镇) written short.
    units = _store_units(inner_mongolia, "150223")
    index = NameIndex(units[units["level"] == "village"])
    assert index.lookup("那仁宝力格嘎查") == ["150223107201", "150223214201"]
    assert index.lookup("那仁宝力格嘎查村") == ["150223107201"]


def test_register_names_and_the_forms_offices_write():
    assert written_forms("怀朔新村村委会") == ("怀朔新村村委会", "怀朔新村村", "怀朔新村")
    assert written_forms("柴磴嘎查村") == ("柴磴嘎查村", "柴磴嘎查")
    assert written_forms("展旦召苏木乡") == ("展旦召苏木乡", "展旦召苏木")
    assert written_forms("工业街道办事处") == ("工业街道办事处", "工业街道")
    assert written_forms("树林召镇人民政府") == ("树林召镇人民政府", "树林召镇")
    assert written_forms("一分场（村委会）") == ("一分场(村委会)", "一分场")
    assert written_forms("麻斯塔拉嘎查村委员会") == ("麻斯塔拉嘎查村委员会", "麻斯塔拉嘎查",
                                                 "麻斯塔拉嘎查村")
    assert written_forms("哈沙图嘎查牧委会") == ("哈沙图嘎查牧委会", "哈沙图嘎查")
    assert written_forms("公主府社区居委会") == ("公主府社区居委会", "公主府社区")
    # The register's name with its committee word as the plain ending, as before.
    assert normalise("下湿壕村民委员会") == "下湿壕村"
    assert normalise("忽鸡沟村委") == "忽鸡沟村"


def test_townships_of_dalad_banner_as_offices_write_them(inner_mongolia):
    units = _store_units(inner_mongolia, "150621")
    index = NameIndex(units[units["level"] == "township"])
    assert index.lookup("展旦召苏木") == ["150621200"]
    assert index.lookup("展旦召") == ["150621200"]
    assert index.lookup("展旦召苏木乡") == ["150621200"]
    assert index.lookup("工业街道") == ["150621001"]
    assert index.lookup("工业") == ["150621001"]
    assert index.lookup("树林召镇人民政府") == ["150621100"]
    assert index.lookup("树林召") == ["150621100"]
    # 昭君 is both 昭君街道办事处 and 昭君镇: never one of them.
    assert index.lookup("昭君") == ["150621002", "150621104"]
    assert index.lookup("昭君街道") == ["150621002"]
    assert index.lookup("昭君镇") == ["150621104"]


def _rows(records) -> pd.DataFrame:
    return pd.DataFrame(records, columns=["source_row", "code", "name", "parent_name"],
                        dtype=object).assign(level_hint=None)


def test_a_township_ledger_with_the_bureaus_12_digit_codes(inner_mongolia):
    units = _store_units(inner_mongolia, "150621")
    joined = join_ledger(_rows([
        (3, "150621200000", "展旦召苏木", None),
        (4, "'150621001000", "工业街道", None),
        (5, "１５０６２１１００", "树林召镇", None),
        (6, None, "白泥井镇人民政府", None),
        (7, None, "昭君", None),
    ]), units, region_code="150621")
    assert joined.level == "township"
    assert joined.matched.values.tolist() == [
        [3, "150621200"], [4, "150621001"], [5, "150621100"], [6, "150621102"]]
    (row,) = joined.unmatched.to_dict("records")
    assert (row["source_row"], row["reason"], row["candidates"]) == (
        7, "'昭君' names several units", "150621002 昭君街道办事处; 150621104 昭君镇")


def test_a_county_as_the_bureau_prints_it(inner_mongolia):
    league = pd.DataFrame([("150200", "包头市", "league", None, None)],
                          columns=["code", "name", "level", "parent_code", "aliases"])
    units = pd.concat([league, _store_units(inner_mongolia, "150222")], ignore_index=True)
    units.loc[units["level"] == "county", "parent_code"] = "150200"
    joined = join_ledger(_rows([(3, "150222000000", "固阳县", None)]), units,
                         region_code="150200")
    assert (joined.level, joined.matched.values.tolist()) == ("county", [[3, "150222"]])


def test_a_village_ledger_of_guyang_in_the_forms_offices_send(inner_mongolia):
    units = _store_units(inner_mongolia, "150222")
    rows = _rows([
        (3, None, "怀朔新村", "怀朔镇"),
        (4, None, "小三分子村", "金山"),
        (5, "150222 102 213", "昔连脑包", None),
        (6, "1502221022260000001", None, None),              # 三调 坐落单位代码
        (7, 150222102227.0, None, None),                      # Excel's number, exact
        (8, "1.50222E+11", "下十二分子村", "金山镇"),          # rounded, but its name decides
        (9, "1.50222E+11", None, None),                       # rounded, nothing else
        (10, "1.50621E+11", "四分子村", "金山镇"),             # rounded, and not 四分子村's
        (11, 1.5022210223100001e18, None, None),              # a ZLDWDM Excel rounded
        (12, "150222102299", "无此村", "无此镇"),
        (13, "150222102000", None, None),                     # the township, printed 12 digits
    ])
    joined = join_ledger(rows, units, region_code="150222", level="village")
    assert joined.matched.values.tolist() == [
        [3, "150222106200"], [4, "150222102212"], [5, "150222102213"], [6, "150222102226"],
        [7, "150222102227"], [8, "150222102228"]]
    unmatched = joined.unmatched.to_dict("records")
    assert [(u["source_row"], u["reason"]) for u in unmatched] == [
        (9, "code 1.50222E+11 lost its last digits when Excel stored it as a number "
            "(format the column as text and write the code in full)"),
        (10, "code 1.50621E+11 lost its last digits when Excel stored it as a number, and "
             "cannot be 150222102229 四分子村委会, the unit of that name"),
        (11, "code 1.50222102231e+18 lost its last digits when Excel stored it as a number "
             "(format the column as text and write the code in full)"),
        (12, "code 150222102299 is not in the store; parent '无此镇' is not in the region"),
        (13, "code 150222102 is at another level"),
    ]
    assert [said(stored_reason(u), "zh") for u in unmatched][2:4] == [
        "代码 1.50222102231e+18 被 Excel 存成了数字，后几位已丢失（请把该列设为文本，填写完整代码）",
        "数据库中没有代码 150222102299；上级“无此镇”不在本区域内",
    ]


def test_codes_in_every_form_offices_send():
    assert code_text("'150222102212") == "150222102212"
    assert code_text(" １５０２２２ １０２２１２ ") == "150222102212"
    assert code_text("150621200000") == "150621200"
    assert code_text("150222000000") == "150222"
    assert code_text(150222102212.0) == "150222102212"
    assert code_text(np.int64(150222)) == "150222"
    assert code_text("1502221022260000001") == "150222102226"
    assert code_text("1502221022260000001", "ZLDWDM") == "150222102226"
    assert code_text(float("nan")) is None and code_text("  ") is None
    assert code_as_written(1.5022210223100001e18) == "1.50222102231e+18"
    assert lost_digits(code_text("1.50222E+11")) and not lost_digits("150222")
    assert could_be("1.50222E+11", "150222102212")
    assert could_be("1.50222E+11", "150222")
    assert not could_be("1.50222E+11", "150223100201")


def test_labels_say_the_names_people_say():
    cases = {
        ("150222102212", "小三分子村委会"): "小三分子村",
        ("150222106200", "怀朔新村村委会"): "怀朔新村",
        ("150222102251", "忽鸡沟村委"): "忽鸡沟村",
        ("150621104209", "柴磴嘎查村"): "柴磴嘎查",
        ("150623102221", "克珠日嘎查村民委员会"): "克珠日嘎查",
        ("150929203202", "哈沙图嘎查牧委会"): "哈沙图嘎查",
        ("150102001001", "公主府社区居委会"): "公主府社区",
        ("150621200", "展旦召苏木乡"): "展旦召",
        ("150621001", "工业街道办事处"): "工业街道",
        ("150621100", "树林召镇"): "树林召镇",
        ("150222", "固阳县"): "固阳县",
        ("150223", "达尔罕茂明安联合旗"): "达茂旗",                 # aliases.csv first
        ("150621401", "鄂尔多斯市生态示范区管理委员会"): "鄂尔多斯市生态示范区管理委员会",
    }
    assert {key: short_form(*key) for key in cases} == cases
    assert spoken_name("一分场（村委会）") == "一分场"
    # A generic ending stays where one character would be left.
    assert spoken_name("乌苏木") == "乌苏木"
