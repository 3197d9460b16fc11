"""`cli.py export-map`: real files, their sizes, fonts and exit codes."""

import shutil
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


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
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


def test_level_at_the_region_is_a_usage_error(run, baotou_store, tmp_path):
    code, _, err = run("export-map", "--store", baotou_store, "--level", "league",
                       "--region", "150200", "--out", tmp_path / "x.png")
    assert code == 2
    assert "--level league" in err


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
