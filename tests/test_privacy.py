"""No personal detail leaves covermap: a register full of made-up names, ID numbers,
phones and addresses goes in through the real import path; then the store file,
every page, every command's output, the export map, the deck and the Excel lists
are searched for those exact values, and the outputs for anything shaped like an
ID number or a mobile number that is not part of a longer number (village codes
have 12 digits and do not trip it)."""

import re
import zipfile

import pytest

from tests.conftest import run_page
from tests.poverty import PERSONAL, register, sample_sheet, village_items

ID_SHAPED = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")
PHONE_SHAPED = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
PAGES = [("overview", {}), ("overview", {"item": "exit", "level": "village"}),
         ("overview", {"item": "exit:approval"}), ("gaps", {}), ("data", {}),
         ("export", {}), ("wall", {})]


@pytest.fixture(scope="module")
def filled(xunyang_template, tmp_path_factory):
    """The 旬阳 store with the register (IDs HMAC'ed), the 五有 ledger and samples."""
    import shutil

    import cli

    folder = tmp_path_factory.mktemp("privacy")
    store = folder / "xy.gpkg"
    shutil.copyfile(xunyang_template, store)
    register(folder / "建档立卡.xlsx")
    village_items(folder / "五有.xlsx")
    sample_sheet(folder / "抽样.xlsx")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COVERMAP_ID_KEY", "kept-outside-the-store")
        for args in ([folder / "建档立卡.xlsx", "--kind", "households", "--as-of", "2016-10-31"],
                     [folder / "五有.xlsx"],
                     [folder / "抽样.xlsx", "--kind", "samples", "--as-of", "2016-11-20"]):
            assert cli.main(["import", *map(str, args), "--store", str(store)]) == 0
    return store


def leaks(text: str, *, shapes: bool = True) -> list[str]:
    found = [value for value in PERSONAL if value in text]
    if shapes:
        found += ID_SHAPED.findall(text) + PHONE_SHAPED.findall(text)
    return found


def test_the_store_file_holds_no_personal_detail(filled):
    stored = filled.read_bytes().decode("utf-8", errors="ignore")
    assert "东门村" in stored and leaks(stored, shapes=False) == []


def test_no_command_output_holds_a_personal_detail(filled, run, tmp_path):
    outputs = []
    for args in (["units", "--format", "json"], ["summary", "--level", "village",
                                                   "--format", "json"],
                 ["gaps", "--format", "csv"], ["exit-check", "--level", "village",
                                               "--format", "json"],
                 ["exit-check", "--level", "county", "--format", "csv"]):
        code, out, err = run(*args, "--store", filled)
        assert code == 0, err
        outputs.append(out + err)
    files = {"map.svg": ["export-map", "--level", "village"], "deck.pptx": ["briefing"],
             "gaps.xlsx": ["gaps", "--format", "xlsx"],
             "exit.xlsx": ["exit-check", "--level", "village", "--format", "xlsx"],
             "template.xlsx": ["template", "--region", "610928", "--level", "village"]}
    for name, args in files.items():
        code, _, err = run(*args, "--store", filled, "--out", tmp_path / name)
        assert code == 0, (name, err)
        path = tmp_path / name
        if path.suffix in (".pptx", ".xlsx"):
            with zipfile.ZipFile(path) as parts:
                outputs += [parts.read(n).decode("utf-8", errors="ignore")
                            for n in parts.namelist() if n.endswith(".xml")]
        else:
            outputs.append(path.read_text(encoding="utf-8"))
    assert "东门村" in "".join(outputs)                   # the scan reads real outputs
    assert [leak for text in outputs for leak in leaks(text)] == []


@pytest.mark.parametrize("page, params", PAGES)
def test_no_page_shows_a_personal_detail(filled, monkeypatch, page, params):
    monkeypatch.setenv("COVERMAP_STORE", str(filled))
    monkeypatch.delenv("COVERMAP_ACCOUNTS", raising=False)
    app = run_page(page, **params)
    shown = []
    for kind in ("markdown", "caption", "code", "json", "metric", "subheader", "title",
                 "success", "info", "warning", "error", "selectbox", "text"):
        shown += [str(getattr(element, "value", "")) for element in getattr(app, kind)]
    shown += [frame.value.to_csv() for frame in app.dataframe]
    text = "\n".join(shown)
    assert "旬阳" in text                                  # the page drew the store
    assert leaks(text) == []


def test_the_scan_knows_an_id_and_a_phone_from_a_village_code():
    assert leaks("村代码 610928100201，2016年") == []
    assert leaks("身份证 61242919990101123x 手机 13998765432") == [
        "61242919990101123x", "13998765432"]
    assert leaks("编号 1613998765432") == []               # part of a longer number
