"""The command line as a user runs it, on real boundaries and an office ledger."""

import json

import pytest

from tests.conftest import DATA

LEDGER = DATA / "baotou_county_ledger.xlsx"


@pytest.fixture
def bad(tmp_path):
    """The Baotou ledger with a typo the join must not guess: 白云区矿 for 白云矿区."""
    from openpyxl import load_workbook

    book = load_workbook(LEDGER)
    book.active["B9"] = "白云区矿"
    path = tmp_path / "typo.xlsx"
    book.save(path)
    return path


def summary_json(run, store, *args):
    code, out, err = run("summary", "--store", store, "--format", "json", *args)
    assert code == 0, err
    return {(r["code"], r["item"]): r for r in json.loads(out)}


def test_init_baotou_gives_its_nine_units(run, baotou_store):
    code, out, _ = run("units", "--store", baotou_store, "--level", "county", "--format", "json")
    assert code == 0
    units = json.loads(out)
    assert len(units) == 9
    assert {u["name"] for u in units} >= {"达尔罕茂明安联合旗", "土默特右旗", "昆都仑区", "白云鄂博矿区"}
    assert all(u["parent_code"] == "150200" for u in units)
    from geo.store import Store

    aliases = Store(baotou_store).units().set_index("code")["aliases"]
    assert aliases["150223"] == "达茂旗|达茂" and aliases["150221"].startswith("土右旗")
    assert aliases["150203"] == "昆区" and "白云矿区" in aliases["150206"]
    assert aliases["150222"] == "固阳"          # "X县" written as "X"


@pytest.mark.parametrize("ledger", [LEDGER, LEDGER.with_suffix(".xls")], ids=["xlsx", "xls"])
def test_office_ledger_imports_and_summarises_exactly(run, baotou_store, ledger):
    code, out, err = run("import", ledger, "--store", baotou_store)
    assert code == 0, err
    assert "9 rows read, 9 matched, 0 unmatched" in out
    assert "adds up" in out                      # the 合计 row was checked …
    records = summary_json(run, baotou_store, "--level", "county")
    assert {c for c, _ in records} == {"150202", "150203", "150204", "150205", "150206",
                                        "150207", "150221", "150222", "150223"}  # … not imported
    expected = {
        ("150222", "housing"): 1890 / 3120, ("150222", "water"): 7100 / 12800,
        ("150222", "roads"): 95 / 180, ("150222", "clinics"): 52 / 88,
        ("150223", "housing"): 1170 / 1950, ("150223", "roads"): 51 / 95,
        ("150202", "water"): 1150 / 1193, ("150202", "roads"): 12.5 / 12.5,
        ("150203", "roads"): 7.2 / 8, ("150206", "clinics"): 1 / 1,
    }
    for key, fraction in expected.items():
        assert records[key]["pct"] == pytest.approx(fraction * 100, abs=0.05), key
    # "—" means not applicable: no value, never 0 %
    assert records[("150202", "clinics")]["pct"] is None
    assert records[("150203", "water")]["pct"] is None
    assert records[("150222", "housing")]["target"] == 3120
    assert records[("150222", "housing")]["as_of"] == "2016-08-10"
    gy = records[("150222", "overall")]
    assert gy["pct"] == pytest.approx(
        (1890 / 3120 + 7100 / 12800 + 95 / 180 + 52 / 88) / 4 * 100, abs=0.05)
    assert gy["rank"] == 9 and gy["source"] == "reported" and gy["stale"] is False


def test_strict_refuses_a_file_with_an_unknown_unit(run, baotou_store, bad):
    code, _, err = run("import", bad, "--store", baotou_store, "--strict")
    assert code == 1
    assert "row 9" in err and "Traceback" not in err
    code, out, _ = run("summary", "--store", baotou_store, "--level", "county", "--format", "json")
    records = json.loads(out)
    assert len(records) == 9 * 11                           # 9 counties, 10 items and overall
    assert all(r["pct"] is None for r in records)           # nothing landed
    from geo.store import Store

    assert Store(baotou_store).imports().empty and Store(baotou_store).unmatched().empty

    code, out, _ = run("import", bad, "--store", baotou_store)   # not strict: the rest lands
    assert code == 0
    assert "8 matched, 1 unmatched" in out and "unmatched row 9: 白云区矿" in out


def test_unmatched_rows_are_kept_in_the_store(run, baotou_store, bad):
    from geo.store import Store

    run("import", bad, "--store", baotou_store)
    kept = Store(baotou_store).unmatched()
    assert list(kept["source_row"]) == [9]
    assert kept.loc[0, "name"] == "白云区矿"
    assert "150206" in kept.loc[0, "candidates"]
    assert json.loads(kept.loc[0, "raw"])["housing"]["target"] == 30


def test_dry_run_changes_nothing(run, baotou_store):
    before = baotou_store.read_bytes()
    code, out, _ = run("import", LEDGER, "--store", baotou_store, "--dry-run")
    assert code == 0 and "would import" in out
    assert baotou_store.read_bytes() == before


def test_usage_errors_exit_2(run, baotou_store):
    code, _, err = run("summary", "--store", baotou_store, "--level", "province")
    assert code == 2 and "is above" in err
    code, _, err = run("summary", "--store", baotou_store, "--level", "county", "--item", "wifi")
    assert code == 2 and "housing" in err


def test_bad_file_exits_1_with_one_clear_line(run, baotou_store, tmp_path):
    not_a_ledger = tmp_path / "notes.csv"
    not_a_ledger.write_text("会议纪要\n今天天气很好\n", encoding="utf-8")
    code, _, err = run("import", not_a_ledger, "--store", baotou_store)
    assert code == 1
    assert err.startswith("error: ") and "notes.csv" in err and "Traceback" not in err


def test_template_imports_back_with_no_unmatched_row(run, baotou_store, tmp_path):
    out_file = tmp_path / "tpl.xlsx"
    code, _, err = run("template", "--store", baotou_store, "--region", "150200",
                       "--level", "county", "--out", out_file)
    assert code == 0, err
    code, out, err = run("import", out_file, "--store", baotou_store, "--as-of", "2016-08-15",
                         "--dry-run")
    assert code == 0, err
    assert "9 rows read, 9 matched, 0 unmatched" in out


def test_gaps_xlsx_neutralises_formula_like_names(run, baotou_store, tmp_path):
    from openpyxl import load_workbook

    from geo.gaps_xlsx import write_gaps_xlsx
    from geo.programme import load_programme
    import datetime as dt
    import pandas as pd

    gaps = pd.DataFrame([{"code": "150222100201", "name": "=HYPERLINK(\"x\")",
                          "parent_code": "150222100", "missing": ["housing"], "unreported": [],
                          "township": "+西斗铺镇", "county": "固阳县", "population": 300,
                          "as_of": "2016-09-01"}])
    path = tmp_path / "gaps.xlsx"
    write_gaps_xlsx(gaps, load_programme("ten_full_coverage"), path, as_of=dt.date(2016, 9, 1))
    sheet = load_workbook(path).active
    # typed as text: shown as written, never run as a formula
    assert sheet["D4"].value == "=HYPERLINK(\"x\")" and sheet["D4"].data_type == "s"
    assert sheet["C4"].value == "+西斗铺镇" and sheet["C4"].data_type == "s"
    assert sheet["F4"].value == "危房改造"


def test_imports_never_write_into_the_demo(run):
    from geo.demo import demo_path

    code, _, err = run("import", LEDGER, "--store", demo_path())
    assert code == 2 and "never write into the demo" in err
    code, _, err = run("import", LEDGER)
    assert code == 2


def test_gaps_on_a_store_without_villages_and_a_bad_item(run, baotou_store):
    code, out, err = run("gaps", "--store", baotou_store)
    assert code == 0 and out.strip() == "(none)"
    code, _, err = run("gaps", "--store", baotou_store, "--item", "nonsense")
    assert code == 2 and "clinics" in err


def test_demo_never_replaces_a_real_store(run, baotou_store):
    before = baotou_store.read_bytes()
    code, _, err = run("demo", "--store", baotou_store)
    assert code == 2 and "real figures" in err
    assert baotou_store.read_bytes() == before


def test_init_needs_a_region(run, tmp_path):
    code, _, err = run("init", "--store", tmp_path / "x.gpkg", "--region", " , ")
    assert code == 2 and not (tmp_path / "x.gpkg").exists()


def test_an_empty_template_is_not_an_import(run, baotou_store, tmp_path):
    template = tmp_path / "tpl.xlsx"
    run("template", "--store", baotou_store, "--region", "150200", "--level", "county",
        "--out", template)
    code, _, err = run("import", template, "--store", baotou_store, "--as-of", "2016-08-15")
    assert code == 1 and "no figures" in err
    assert run("summary", "--store", baotou_store, "--level", "county")[0] == 0


def test_csv_cells_that_look_like_formulas_are_neutralised():
    import pandas as pd

    from geo.output import to_csv

    frame = pd.DataFrame({"name": ["=1+1", "+86", "-2", "@SUM(A1)", "村"], "n": [1, 2, 3, 4, 5]})
    lines = to_csv(frame).splitlines()
    assert lines[1:] == ["'=1+1,1", "'+86,2", "'-2,3", "'@SUM(A1),4", "村,5"]


def test_geo_loads_no_ui_library():
    import subprocess
    import sys

    from tests.conftest import DATA

    root = DATA.parent.parent

    def loaded_by(package: str) -> str:
        """The UI libraries loaded by importing every module of ``package``."""
        modules = sorted(".".join(p.relative_to(root).with_suffix("").parts)
                         for p in (root / package).rglob("*.py"))
        code = ("import sys\n"
                + "".join(f"import {m.removesuffix('.__init__')}\n" for m in modules)
                + "print(sorted({'matplotlib', 'folium', 'streamlit'} & set(sys.modules)))")
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              cwd=root, check=True).stdout.strip()

    # geo/ and every package in it: the domain, no UI; layers/ draws but never runs a page.
    assert loaded_by("geo") == "[]"
    assert loaded_by("layers") == "['folium', 'matplotlib']"


def test_every_setting_is_documented_in_the_readme():
    from geo.settings import Settings, documented_names

    readme = (DATA.parent.parent / "README.md").read_text(encoding="utf-8")
    assert [name for name in documented_names() if name not in readme] == []
    settings = Settings.from_env({"COVERMAP_TILES": "http://tiles.internal/{z}/{x}/{y}.png"})
    assert settings.tiles.endswith("{y}.png") and settings.store == ""


def test_an_import_reports_its_stages(baotou_store):
    from geo.imports.progress import import_ledger
    from geo.store import Store

    stages = []
    import_ledger(Store(baotou_store), LEDGER, progress=lambda f, s: stages.append((f, s)))
    assert stages == [(0.0, "read"), (0.6, "join"), (0.8, "store"), (1.0, "done")]


def test_unmatched_rows_go_back_as_a_ledger_to_correct(run, baotou_store, bad, tmp_path):
    from openpyxl import load_workbook

    from geo.ledger.template import write_unmatched_ledger
    from geo.store import Store

    run("import", bad, "--store", baotou_store)
    store = Store(baotou_store)
    returned = tmp_path / "改正.xlsx"
    write_unmatched_ledger(store.unmatched(), store.programme, returned, level="county",
                           region_name="包头市")
    sheet = load_workbook(returned).active
    assert sheet["C5"].value == "白云区矿" and sheet.max_row == 5      # the one row, as sent
    sheet["C5"] = "白云矿区"                                           # the office corrects it
    sheet.parent.save(returned)
    code, out, err = run("import", returned, "--store", baotou_store, "--as-of", "2016-08-10")
    assert code == 0 and "1 matched, 0 unmatched" in out, err
    records = summary_json(run, baotou_store, "--level", "county")
    assert records[("150206", "housing")]["target"] == 30               # its figures came along
    assert records[("150206", "clinics")]["pct"] == 100


def test_a_table_rounds_a_share_half_up_from_what_it_shows():
    """6 of 13 villages is 46.153… %, kept to two places as 46.15: the table says 46.2,
    not the float's 46.1 (27 of 41, 65.85, is 65.9)."""
    import pandas as pd

    from geo.output import to_table

    table = pd.DataFrame({"name": ["军川农场", "东乡县"], "pct": [round(600 / 13, 2),
                                                                round(2700 / 41, 2)]})
    shown = to_table(table)
    assert "46.2" in shown and "65.9" in shown and "46.1" not in shown
