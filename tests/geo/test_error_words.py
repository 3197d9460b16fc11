"""The errors' words (data/words/errors.toml) and the import report's (reports.toml):
every reason the code raises is written in Chinese and English with the same fields,
every sentence renders, and real errors read word for word as a person sees them."""

import datetime as dt
import re
import string
import tomllib
from pathlib import Path

import pytest
from openpyxl import Workbook

from geo.crs import detect_crs
from geo.errors import CovermapError, InputError
from geo.i18n.errors import (
    ERROR_WORDS, REPORT_WORDS, Phrase, cli_flag, detail_lines, error_text, row_list,
)
from geo.imports.report import ImportReport
from geo.imports.uploads import check_upload
from geo.io import _ZIP_SHAPEFILES
from geo.ledger import read_ledger
from geo.programme import load_programme
from geo.sites import read_sites

REPO = Path(__file__).resolve().parents[2]
with open(ERROR_WORDS, "rb") as f:
    WORDS = tomllib.load(f)
with open(REPORT_WORDS, "rb") as f:
    REPORT = tomllib.load(f)
# Sentences that name a command on purpose: the fix is a command to run.
NAMES_A_COMMAND = {"exit_no_households", "needs_libreoffice", "needs_poverty_store",
                   "no_store"}


def _fields(text: str) -> set[str]:
    """The fields a sentence names; ``x_zh`` (a word's Chinese) counts as ``x``, and
    ``label`` not at all (a Chinese sentence may leave the input unnamed)."""
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
    return {n.removesuffix("_zh") for n in names} - {"label"}


def _keys_in_code() -> tuple[set[str], set[str]]:
    """The reasons and phrases the code names as literals."""
    reasons, phrases = set(), set()
    for path in [*REPO.glob("geo/**/*.py"), *REPO.glob("commands/*.py"), REPO / "cli.py",
                 *REPO.glob("ui/**/*.py"), *REPO.glob("views/*.py")]:
        text = path.read_text(encoding="utf-8")
        for given in re.findall(r"\b(?:reason|missing)=([^,)]+)", text):
            if "[" not in given:                   # not reason=row["reason"]
                reasons.update(re.findall(r'"(\w+)"', given))
        phrases.update(re.findall(r'\b(?:Phrase|BadCell|Sentence)\("(\w+)"', text))
    return reasons, phrases


def test_every_reason_the_code_raises_has_its_words():
    reasons, phrases = _keys_in_code()
    assert len(reasons) > 100 and len(phrases) > 10      # the scan found them
    reasons |= set(_ZIP_SHAPEFILES.values())
    # Keys put together in the code: each of their family is written.
    phrases |= {f"field_{f}" for f in ("target", "started", "completed", "status")}
    phrases |= {f"joins_{w}" for w in ("village", "unit_item", "parent")}
    phrases |= {"frame_units", "frame_villages", "frame_sites", "records_households",
                "records_samples"}
    phrases |= {"join_code_outside", "join_code_other_level", "join_parent_unknown",
                "join_parent_several", "warn_cpg_wrong", "warn_ldid_wrong",
                "warn_start_date_not_date", "warn_end_date_not_date"}
    assert reasons - set(WORDS["reasons"]) == set()
    assert phrases - set(WORDS["phrases"]) == set()


@pytest.mark.parametrize("table", ["reasons", "phrases"])
def test_both_languages_name_the_same_fields(table):
    for key, entry in WORDS[table].items():
        assert set(entry) == {"zh", "en"}, key
        assert _fields(entry["zh"]) == _fields(entry["en"]), key


def test_the_report_words_are_in_both_languages_with_the_same_fields():
    for key, entry in REPORT.items():
        assert set(entry) == {"zh", "en"}, key
        assert _fields(entry["zh"]) == _fields(entry["en"]), key


def test_no_sentence_names_a_flag_and_chinese_is_chinese():
    for table in ("reasons", "phrases"):
        for key, entry in WORDS[table].items():
            if key not in NAMES_A_COMMAND:
                assert not re.search(r"--[a-z]", entry["en"] + entry["zh"]), key
            if re.sub(r"\{[^}]*\}", "", entry["en"]).strip(" :—"):
                assert re.search(r"[\u4e00-\u9fff]", entry["zh"]), key


def _sample(name: str):
    """A value any sentence can format, whatever its field's spec (!r, :g, :.6f)."""
    return {"rows": [3, 5], "kind": "households", "role": "editor", "needed": "admin",
            "action": "import_ledger"}.get(name, 1.5)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_sentence_renders_with_its_fields(lang):
    for key, entry in WORDS["reasons"].items():
        names = _fields(entry["en"]) | _fields(entry["zh"])
        error = CovermapError(reason=key, param="crs",
                              **{n: _sample(n) for n in names})
        text = error_text(error, lang, label="LABEL")
        assert text and "{" not in text, key
    for key, entry in WORDS["phrases"].items():
        names = _fields(entry["en"]) | _fields(entry["zh"])
        assert "{" not in Phrase(key, **{n: _sample(n) for n in names}).text(lang), key


def test_row_lists_in_either_language():
    assert row_list(range(1, 24)) == ", ".join(map(str, range(1, 21))) + " and 3 more"
    assert row_list(range(1, 24), "zh") == "、".join(map(str, range(1, 21))) + " 等 23 行"


# -- Real errors, word for word ----------------------------------------------

def test_bad_coordinates_in_chinese_and_english(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("名称,经度,纬度\n甲,110.07,41.0x\n乙,,41.06\n丙,41.2,110.3\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_sites(path)
    error = caught.value
    assert (error.reason, error.param, error.row, error.column) == (
        "bad_coordinate", "crs", 2, "纬度")
    assert error_text(error, "zh") == "文件 sites.csv，第 2 行，“纬度”列：坐标有误：“41.0x”不是坐标"
    assert detail_lines(error, "zh") == [
        "第 3 行，“经度”列：为空",
        "第 4 行，“经度”列：经度 41.2、纬度 110.3 在中国范围之外——经纬度似乎写反了"]
    assert str(error) == "sites.csv, row 2, column '纬度': bad coordinate: '41.0x' is not a coordinate"
    assert detail_lines(error) == [
        "row 3, column '经度': is empty",
        "row 4, column '经度': lon 41.2, lat 110.3 is outside China"
        " — latitude and longitude look swapped"]


def test_a_crs_to_give_named_by_each_edge():
    with pytest.raises(InputError) as caught:
        detect_crs((37_420_000, 4.54e6, 37_460_000, 4.58e6), declared="EPSG:4326")
    error = caught.value
    bounds = "x 37420000.00–37460000.00, y 4540000.00–4580000.00"
    assert error_text(error, "zh", label="坐标系") == (
        f"文件声明为 EPSG:4326（经纬度），但其坐标 {bounds} 是米；它们符合 EPSG:4525："
        "请将坐标系设为 EPSG:4525")
    assert error_text(error, "en", label=cli_flag(error.param)) == (
        f"the file says EPSG:4326 (degrees) but its coordinates {bounds} are metres; "
        "they fit EPSG:4525: give --crs EPSG:4525")


def test_metres_read_as_degrees_name_the_flag_in_every_detail_line():
    import geopandas as gpd
    import shapely

    from geo.crs import check_in_china

    far = gpd.GeoDataFrame(geometry=[shapely.Point(500, 4000), shapely.Point(600, 4100)],
                           crs="EPSG:4490")
    with pytest.raises(InputError) as caught:
        check_in_china(far, file="v.shp")
    hint = " — these look like projected metres read as degrees: give --crs EPSG:N"
    assert detail_lines(caught.value, "en", label="--crs") == [
        f"row 2: lon 600.000000, lat 4100.000000{hint}"]
    assert detail_lines(caught.value, "zh", label="坐标系") == [
        "第 2 行：经度 600.000000、纬度 4100.000000——这些似乎是被当作经纬度读取的投影坐标（米）："
        "请用坐标系给出坐标系（EPSG:N）"]


def test_unreadable_ledger_cells_in_chinese(tmp_path):
    book = Workbook()
    for row in [["旗县区", "危房改造任务", "危房改造完工", "卫生室"],
                ["达茂旗", "约100", 80, "已完成"],
                ["土右旗", 90, "八十", "差不多"]]:
        book.active.append(row)
    book.save(tmp_path / "bad.xlsx")
    with pytest.raises(InputError) as caught:
        read_ledger(tmp_path / "bad.xlsx", load_programme("ten_full_coverage"))
    error = caught.value
    where = f"文件 {tmp_path / 'bad.xlsx'}，第 2 行，“危房改造任务”列"
    assert error_text(error, "zh") == (
        f"{where}：“约100”不是数字（如 1,193 或 12.5，不适用写 —）；另有 2 个单元格无法读取")
    assert detail_lines(error, "zh") == [
        "第 3 行，“危房改造完工”列：“八十”不是数字（如 1,193 或 12.5，不适用写 —）",
        "第 3 行，“卫生室”列：“差不多”不是状态词（已完成/在建/未开工/不适用）"]


def test_a_refused_zip_in_chinese(tmp_path):
    import zipfile

    path = tmp_path / "up.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../a.shp", b"x")
        archive.writestr("run.exe", b"MZ")
    with pytest.raises(InputError) as caught:
        check_upload(path)
    assert error_text(caught.value, "zh") == "文件 up.zip：压缩包被拒绝：../a.shp：路径在压缩包之外"
    assert detail_lines(caught.value, "zh") == ["run.exe：不是 shapefile 的组成文件"]
    assert detail_lines(caught.value) == ["run.exe: not a part of a shapefile"]


def _report(**kwargs) -> ImportReport:
    return ImportReport(
        file="台账.xlsx", kind="progress", as_of=dt.date(2016, 8, 10), level="county",
        region="150200 包头市", rows_read=3, matched=2, values_stored=20, import_id=7,
        unmatched=[{"source_row": 5, "name": "不存在旗", "code": None,
                    "reason": "no unit of that name", "candidates": "150221 土默特右旗"}],
        total_checks=[{"row": 6, "label": "合计", "ok": True},
                      {"row": 7, "label": "小计", "ok": False}],
        warnings=["row 4: 卫生室 has 3 done but no target"],
        dropped_columns=["联系电话"], ignored_columns=["序号", "备注"], **kwargs)


def test_the_import_report_in_english_as_before():
    assert _report().lines() == [
        "台账.xlsx: import 7 — 3 rows read, 2 matched, 1 unmatched, 20 figures as of "
        "2016-08-10 (county level in 150200 包头市)",
        "  unmatched row 5: 不存在旗 — no unit of that name; candidates: 150221 土默特右旗",
        "  total row 6 (合计): checked, adds up",
        "  total row 7 (小计): does NOT add up",
        "  warning: row 4: 卫生室 has 3 done but no target",
        "  personal data dropped as read: 联系电话",
        "  columns not used: 序号, 备注"]


def test_the_import_report_in_chinese():
    # The join's reason and the reader's warning are shown as the import recorded them.
    assert _report(dry_run=True).lines("zh") == [
        "台账.xlsx：试导入（未写入）——读取 3 行，匹配 2 行，未匹配 1 行，截至 2016-08-10 的数字 20 个"
        "（150200 包头市内的旗县区级）",
        "  未匹配 第 5 行：不存在旗——no unit of that name；候选：150221 土默特右旗",
        "  合计行 第 6 行（合计）：已核对，相符",
        "  合计行 第 7 行（小计）：不相符",
        "  提示：row 4: 卫生室 has 3 done but no target",
        "  读取时即删除的个人信息列：联系电话",
        "  未使用的列：序号、备注"]


def test_what_a_findings_sheet_brought_in_either_language():
    report = ImportReport(file="督查.xlsx", kind="findings", rows_read=4, matched=4,
                          found="round 2: 3 village visits, 2 problems found, 1 status changes",
                          found_counts={"round": "2", "visits": 3, "problems": 2, "events": 1})
    assert report.lines()[1] == report.found.join(["  ", ""])
    assert report.lines("zh")[1] == "  第 2 轮：3 次村访、发现 2 个问题、1 次状态变更"


def test_the_cli_names_its_flag(baotou_store, run, tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("名称,X,Y\n卫生室,421067.740,4546050.920\n", encoding="utf-8")
    code, _, err = run("import", path, "--store", baotou_store, "--kind", "sites")
    assert code == 1
    assert err.splitlines()[0] == (
        "error: sites.csv: the coordinates x 421067.74–421067.74, y 4546050.92–4546050.92 "
        "are Gauss-Krüger metres without the zone in the easting, and the file has no .prj "
        "to say which central meridian they use: give it with --crs EPSG:N (CGCS2000 "
        "3-degree: EPSG:4534 for 75°E … EPSG:4546 for 111°E … EPSG:4554 for 135°E, i.e. "
        "4534 + (meridian − 75) / 3)")


def test_every_error_a_person_can_meet_is_raised_with_a_reason():
    # An error raised with a sentence (CovermapError(f"...")) is English on every page.
    # Left as sentences on purpose: a broken programme file (for whoever writes it) and
    # a wrong ``lang`` (a caller's bug).
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "geo"
    allowed = {("programme.py", "ProgrammeError"), ("__init__.py", "UsageError"),
               ("names.py", "UsageError")}
    errors = {"CovermapError", "InputError", "UsageError", "StoreError", "AccessError",
              "ProgrammeError"}
    sentences = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in errors and node.args
                    and (path.name, node.func.id) not in allowed):
                sentences.append(f"{path.relative_to(root)}:{node.lineno} {node.func.id}")
    assert sentences == []
