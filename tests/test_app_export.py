"""The export page (导出) in-process with AppTest, on the demo store.

A download button's bytes live in Streamlit's media file manager, which
AppTest makes afresh for every run and drops after it.  ``files`` keeps
the real manager (a subclass that only remembers its instances), so that a
test reads what the browser would get: the stored PNG, and the SVG and PDF
that a click would have the page write.
"""

import io
from pathlib import Path

import pytest
import streamlit.testing.v1.app_test as app_test_module
from PIL import Image
from pptx import Presentation
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from tests.conftest import run_page, widget

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module", autouse=True)
def demo(demo_env):
    return demo_env


@pytest.fixture
def files(monkeypatch):
    """The media file managers AppTest makes, newest last."""
    made = []

    class Kept(MediaFileManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Kept)
    return made


def open_export(**params) -> AppTest:
    return run_page("export", **params)


def download(app: AppTest, files, kind: str, *, deck: bool = False) -> tuple[str, bytes]:
    """What clicking the ``kind`` button (of the map, or the deck) downloads: name and bytes."""
    button = app.download_button(key=f"{'deck' if deck else 'download'}-{kind}")
    manager = files[-1]
    # PNG is the preview's bytes; SVG and PDF are written when clicked.
    url = button.proto.url or manager.execute_deferred(button.proto.deferred_file_id)
    stored = manager.read_file(Path(url).stem)
    return stored.filename, stored.content


def test_baotou_by_county_previews_and_offers_png_svg_pdf(files):
    app = open_export(region="150200", level="county")
    assert not app.error, [e.value for e in app.error]
    assert app.subheader[0].value == "导出 · 包头市"
    assert "示例数据" in app.caption[0].value
    assert len(app.get("image")) == 1                        # the preview
    assert [b.label for b in app.download_button] == ["下载 PNG", "下载 SVG", "下载 PDF",
                                                      "下载简报 PPTX", "下载简报 PDF"]

    name, png = download(app, files, "png")
    assert name == "150200_包头市_county_overall.png"
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert Image.open(io.BytesIO(png)).size == (1920, 1080)   # slide, the default

    name, svg = download(app, files, "svg")
    assert name == "150200_包头市_county_overall.svg"
    assert "十个全覆盖 · 包头市 · 综合" in svg.decode("utf-8")     # text kept as text

    name, pdf = download(app, files, "pdf")
    assert name == "150200_包头市_county_overall.pdf"
    assert pdf.startswith(b"%PDF")
    assert app.markdown[-1].value == "#### 简报"              # the deck's place


def test_size_theme_and_item_reach_the_files(files):
    app = open_export(region="150200", level="county", item="clinics")
    widget(app.radio, "尺寸").set_value("a4")
    widget(app.radio, "主题").set_value("dark").run()
    assert not app.exception and not app.error
    name, png = download(app, files, "png")
    assert name == "150200_包头市_county_clinics.png"
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (3508, 2480)
    assert image.getpixel((5, 5)) == (0x14, 0x17, 0x1c)      # the dark theme's background
    _, svg = download(app, files, "svg")
    assert "十个全覆盖 · 包头市 · 卫生室" in svg.decode("utf-8")


def test_english_labels_and_map(files):
    app = open_export(region="150200", level="county", lang="en")
    assert app.subheader[0].value == "Export · Baotou"
    assert [s.label for s in app.selectbox] == ["Region", "Level", "Item", "As of"]
    assert [b.label for b in app.download_button] == ["Download PNG", "Download SVG",
                                                      "Download PDF", "Download deck PPTX",
                                                      "Download deck PDF"]
    assert app.markdown[-1].value == "#### Briefing deck"
    _, svg = download(app, files, "svg")
    assert "Ten Full Coverage · Baotou · Overall" in svg.decode("utf-8")


def test_the_briefing_deck_downloads_with_every_slide(files):
    app = open_export(region="150200", level="county")
    name, pptx = download(app, files, "pptx", deck=True)
    assert name == "150200_包头市_简报_2016-09-01.pptx"
    deck = Presentation(io.BytesIO(pptx))
    assert len(deck.slides) == 16
    ranking = next(s.table for s in deck.slides[2].shapes if s.has_table)
    assert len(ranking.rows) == 1 + 9                       # Baotou's nine, one row each
    assert ranking.cell(9, 1).text == "固阳县"              # last on the demo


def test_picking_a_region_moves_the_view():
    app = open_export(region="150200", level="county")
    widget(app.selectbox, "区域").select("150222").run()
    assert app.query_params["region"] == "150222"
    assert "level" not in app.query_params                  # its own children next
    assert app.subheader[0].value == "导出 · 固阳县"


# The page names its control (层级) and the level in its own words.
@pytest.mark.parametrize("level, error", [
    ("province", "层级：省级在包头市（盟市）之上，请选择 盟市、旗县区、苏木乡镇、嘎查村"),
    ("hamlet", "层级：“hamlet”不是层级之一（province、league、county、township、village）")],
    ids=["province", "hamlet"])
def test_a_level_above_the_region_is_an_error_not_a_traceback(level, error):
    app = open_export(region="150200", level=level)
    assert [e.value for e in app.error] == [error]
    assert not app.download_button
