"""The export page in a real browser: Debian's Chromium driven by Playwright, offline."""

import io

import pytest
from PIL import Image

from tests.test_browser import HANG, Visit


def test_export_previews_baotou_and_downloads_the_pdf_offline(browser, demo_server, tmp_path):
    visit = Visit(browser, demo_server)
    visit.page.goto(demo_server + "/export?region=150200&level=county")
    preview = visit.page.locator("[data-testid=stImage] img")
    preview.wait_for(timeout=HANG)
    visit.page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                                 arg=preview.element_handle(), timeout=HANG)
    # Streamlit scales the preview down to its widest column; the shape stays.
    width, height = preview.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert width / height == pytest.approx(1920 / 1080, rel=0.01)
    shot = visit.shot("export")
    assert Image.open(shot).size == (1600, 1300)

    # The PDF is written only when asked for, on the server's own thread.
    with visit.page.expect_download(timeout=HANG) as asked:
        visit.page.get_by_role("button", name="下载 PDF").click()
    pdf = asked.value
    assert pdf.suggested_filename == "150200_包头市_county_overall.pdf"
    saved = tmp_path / pdf.suggested_filename
    pdf.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    with visit.page.expect_download(timeout=HANG) as asked:
        visit.page.get_by_role("button", name="下载 PNG").click()
    png = asked.value
    png.save_as(tmp_path / "map.png")
    assert Image.open(io.BytesIO((tmp_path / "map.png").read_bytes())).size == (1920, 1080)
    visit.close()
