"""`cli.py export-map`: real files, their sizes, fonts and exit codes."""

import subprocess

import pytest
from PIL import Image

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.mark.parametrize("size, pixels", [("a4", (3508, 2480)), ("slide", (1920, 1080)),
                                          ("wall", (3840, 2160))])
def test_png_has_the_size_asked(run, baotou_store, tmp_path, size, pixels):
    out = tmp_path / f"baotou-{size}.png"
    code, _, err = run("export-map", "--store", baotou_store, "--level", "county",
                       "--region", "150200", "--size", size, "--out", out)
    assert code == 0, err
    with Image.open(out) as image:
        assert image.size == pixels


def test_dark_english_png_renders(run, tmp_path):
    out = tmp_path / "nmg.png"
    code, _, err = run("export-map", "--level", "league", "--theme", "dark", "--lang", "en",
                       "--out", out)
    assert code == 0, err
    with Image.open(out) as image:
        # The dark theme's background, top left.
        assert image.convert("RGB").getpixel((5, 5)) == (0x14, 0x17, 0x1c)


def test_svg_keeps_the_chinese_title_as_text(run, baotou_store, tmp_path):
    out = tmp_path / "baotou.svg"
    code, _, err = run("export-map", "--store", baotou_store, "--level", "county",
                       "--region", "150200", "--out", out)
    assert code == 0, err
    svg = out.read_text(encoding="utf-8")
    assert "十个全覆盖 · 包头市 · 综合" in svg
    assert "<text" in svg


def test_pdf_embeds_a_noto_cjk_font(run, baotou_store, tmp_path):
    out = tmp_path / "baotou.pdf"
    code, _, err = run("export-map", "--store", baotou_store, "--level", "county",
                       "--region", "150200", "--out", out)
    assert code == 0, err
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    cjk = [line for line in fonts if "NotoSansCJK" in line]
    assert cjk, fonts
    # The "emb" column of every CJK font says yes.
    assert all(" yes " in line for line in cjk), cjk


def test_pdf_draws_in_a_second_viewer(run, baotou_store, tmp_path):
    # poppler drew Noto CJK embedded as TrueType (Type 42); MuPDF could not
    # load a glyph of it and left every plain text out.
    out = tmp_path / "baotou.pdf"
    code, _, err = run("export-map", "--store", baotou_store, "--level", "county",
                       "--region", "150200", "--out", out)
    assert code == 0, err
    drawn = subprocess.run(["mutool", "draw", "-r", "50", "-o", tmp_path / "page.png", out],
                           capture_output=True, text=True, check=True)
    assert "cannot render glyph" not in drawn.stderr, drawn.stderr
    text = subprocess.run(["mutool", "draw", "-F", "txt", out], capture_output=True,
                          text=True, check=True).stdout
    assert "十个全覆盖 · 包头市 · 综合" in text


def test_level_above_the_region_is_a_usage_error(run, baotou_store, tmp_path):
    code, _, err = run("export-map", "--store", baotou_store, "--level", "province",
                       "--region", "150200", "--out", tmp_path / "x.png")
    assert code == 2
    assert "--level province is above 包头市 (league)" in err
    assert not (tmp_path / "x.png").exists()


def test_unwritable_out_is_one_clear_line(run, baotou_store, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, _, err = run("export-map", "--store", baotou_store, "--level", "county",
                       "--region", "150200", "--out", blocker / "x.png")
    assert code == 1
    assert err.strip().count("\n") == 0
    assert err.startswith("error: cannot write") and "Traceback" not in err


def test_out_must_be_png_svg_or_pdf(run, baotou_store, tmp_path):
    code, _, _ = run("export-map", "--store", baotou_store, "--level", "county",
                     "--out", tmp_path / "x.jpg")
    assert code == 2


def test_each_item_writes_a_map_per_item_named_by_key_and_label(run, baotou_store, tmp_path):
    maps = tmp_path / "maps"
    maps.mkdir()
    code, out, err = run("export-map", "--store", baotou_store, "--level", "county",
                         "--region", "150200", "--each", "item", "--format", "svg",
                         "--out", maps)
    assert code == 0, err
    names = sorted(p.name for p in maps.iterdir())
    assert len(names) == 11 and "overall_综合.svg" in names and "housing_危房改造.svg" in names
    # Each map is of its own item.
    assert "十个全覆盖 · 包头市 · 卫生室" in (maps / "clinics_卫生室.svg").read_text("utf-8")
    assert "11 county maps, one per item" in out


def test_each_county_maps_its_townships(run, tmp_path):
    code, _, err = run("export-map", "--region", "150200", "--level", "township",
                       "--each", "county", "--out", tmp_path)
    assert code == 0, err
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names[0] == "150202_东河区.png" and len(names) == 9
    assert "100%" in err       # the progress bar, on stderr


def test_each_needs_a_level_below_it(run, baotou_store, tmp_path):
    maps = tmp_path / "maps"
    maps.mkdir()
    code, _, err = run("export-map", "--store", baotou_store, "--level", "county",
                       "--each", "county", "--out", maps)
    assert code == 2 and "--level county" in err
    assert list(maps.iterdir()) == []


def test_format_goes_with_each(run, baotou_store, tmp_path):
    code, _, err = run("export-map", "--store", baotou_store, "--level", "county",
                       "--format", "svg", "--out", tmp_path / "x.png")
    assert code == 2 and "--format" in err


def test_credit_and_approval_number_come_from_the_settings(run, baotou_store, tmp_path,
                                                           monkeypatch):
    monkeypatch.setenv("COVERMAP_MAP_CREDIT", "底图：包头市自然资源局")
    monkeypatch.setenv("COVERMAP_MAP_APPROVAL", "蒙S(2016)001号")
    out = tmp_path / "baotou.svg"
    code, _, err = run("export-map", "--store", baotou_store, "--level", "county",
                       "--region", "150200", "--out", out)
    assert code == 0, err
    assert "底图：包头市自然资源局；审图号：蒙S(2016)001号" in out.read_text(encoding="utf-8")


def test_each_makes_its_folder_and_refuses_item_with_each_item(run, baotou_store, tmp_path):
    code, _, err = run("export-map", "--store", baotou_store, "--level", "county",
                       "--each", "item", "--item", "housing", "--out", tmp_path / "x")
    assert code == 2 and "leave out --item" in err
    code, _, err = run("export-map", "--store", baotou_store, "--level", "county",
                       "--each", "item", "--out", tmp_path / "new" / "maps")
    assert code == 0, err
    assert len(list((tmp_path / "new" / "maps").iterdir())) == 11


def test_each_names_its_own_flag(run, tmp_path):
    code, _, err = run("export-map", "--region", "150222", "--level", "township",
                       "--each", "county", "--out", tmp_path)
    assert code == 2 and "--each county is not below 固阳县" in err
