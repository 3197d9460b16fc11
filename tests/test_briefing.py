"""The briefing: its figures checked by hand, the deck it makes, and its PDF.

Two rounds of Baotou's county ledger: the fixture of 2016-08-10, then a
ledger of 2016-08-25 in which only 固阳县 reports again (with a typo'd
石拐区 row and a 合计 whose 开工 does not add up), as offices send them.
"""

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from geo.briefing import build_briefing
from geo.map_view import MapSource
from layers.deck.briefing import write_deck
from layers.deck.parts import FONT

DATA = Path(__file__).resolve().parent / "data"
AUG_10, AUG_25 = dt.date(2016, 8, 10), dt.date(2016, 8, 25)
BAOTOU = ["东河区", "昆都仑区", "青山区", "石拐区", "白云鄂博矿区", "九原区", "土默特右旗",
          "固阳县", "达尔罕茂明安联合旗"]


@pytest.fixture(scope="module")
def briefing(two_rounds):
    return build_briefing(MapSource.from_store(two_rounds), region="150200", as_of=AUG_25,
                          imports=two_rounds.imports(), unmatched=two_rounds.unmatched())


def test_pace_and_needed_pace_by_hand(briefing):
    guyang = briefing.pace.set_index("name").loc["固阳县"]
    # Overall = the mean of the four items reported (equal weights):
    # 08-10: (1890/3120 + 7100/12800 + 95/180 + 52/88) / 4 = 56.98 %
    # 08-25: (2028/3120 + 7680/12800 + 99/180 + 55/88) / 4 = (65 + 60 + 55 + 62.5) / 4
    #        = 60.625, shown (and ranked) as 60.62 %
    assert guyang["pct_before"] == pytest.approx(56.98)
    assert guyang["pct"] == pytest.approx(60.62)
    # 3.64 points in 15 days → 1.70 a week; 39.38 left in the 36 days to 09-30 → 7.66 a week.
    assert guyang["pace_per_week"] == pytest.approx(3.64 / 15 * 7)
    assert guyang["needed_per_week"] == pytest.approx(39.38 / 36 * 7)
    assert guyang["forecast_pct"] == pytest.approx(60.62 + 3.64 / 15 * 36)
    assert guyang["lagging"]
    assert briefing.days_left == 36 and briefing.milestone.date == dt.date(2016, 9, 30)
    # 东河区 did not report again: no pace, and at no pace it misses the milestone.
    donghe = briefing.pace.set_index("name").loc["东河区"]
    assert donghe["pace_per_week"] == 0 and donghe["lagging"]


def test_ranking_marks_the_new_last_place_and_movement(briefing):
    ranking = briefing.ranking.set_index("name")
    assert sorted(ranking.index) == sorted(BAOTOU)
    # 达茂旗 (1170/1950, 3900/6400, 51/95, 35/64 → 57.33 %) did not report again:
    # 固阳县 passed it, so 达茂旗 is last (9th, down one) and 固阳县 8th (up one).
    assert ranking.loc["达尔罕茂明安联合旗", "pct"] == pytest.approx(57.33)
    assert ranking.loc["达尔罕茂明安联合旗", ["rank", "movement", "last"]].tolist() == [9, -1, True]
    assert ranking.loc["固阳县", ["rank", "movement", "last"]].tolist() == [8, 1, False]
    assert ranking["last"].sum() == 1
    assert ranking.loc["固阳县", "housing"] == pytest.approx(65.0)


def test_best_and_worst_three_of_an_item(briefing):
    housing = next(page for page in briefing.items if page.key == "housing")
    # 昆区 85/85 and 白云矿区 30/30 are 100 %, then 东河区 118/120 = 98.33 %.
    assert housing.best["name"].tolist() == ["昆都仑区", "白云鄂博矿区", "东河区"]
    # Worst first: 达茂旗 1170/1950 = 60 %, 固阳县 65 %, 青山区 51/60 = 85 %.
    assert housing.worst["name"].tolist() == ["达尔罕茂明安联合旗", "固阳县", "青山区"]
    assert housing.worst["pct"].tolist() == pytest.approx([60.0, 65.0, 85.0])


def test_data_quality_names_the_typo_and_the_total_that_does_not_add_up(briefing):
    quality = briefing.quality
    assert quality.unmatched.to_dict("records") == [{"file": "包头-0825.xlsx", "rows": 1}]
    bad = quality.bad_totals.to_dict("records")
    assert len(bad) == 1
    assert bad[0]["file"] == "包头-0825.xlsx" and "开工" in bad[0]["column"]
    assert (bad[0]["stated"], bad[0]["summed"]) == (2900, 2800)
    assert quality.stale.empty     # 08-10 is exactly one interval before 08-25


def test_units_gone_quiet_are_stale_a_week_later(two_rounds):
    later = build_briefing(MapSource.from_store(two_rounds), region="150200",
                           as_of=dt.date(2016, 9, 1))
    # Only 固阳县 reported after 08-17.
    assert sorted(later.quality.stale["name"]) == sorted(set(BAOTOU) - {"固阳县"})


def test_deck_has_every_slide_a_real_ranking_table_and_pictures(briefing, tmp_path):
    out = tmp_path / "bt.pptx"
    kinds = write_deck(briefing, out)
    assert kinds == {"cover": 1, "map": 1, "ranking": 1, "item": 10, "lagging": 1,
                     "uncovered": 1, "quality": 1}
    deck = Presentation(out)
    slides = list(deck.slides)
    assert len(slides) == 16
    tables = [s.table for s in slides[2].shapes if s.has_table]
    assert len(tables) == 1
    rows = [[cell.text for cell in row.cells] for row in tables[0].rows]
    assert rows[0][:4] == ["排名", "名称", "综合", "变化"]
    assert [r[1] for r in rows[1:]][-1] == "达尔罕茂明安联合旗"
    assert sorted(r[1] for r in rows[1:]) == sorted(BAOTOU)
    assert rows[-1][3] == "↓1"
    pictures = [s for slide in slides for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 11      # the overview and one map per item
    # Text is text in the East Asian face PowerPoint and WPS have.
    title = slides[0].shapes[0].text_frame.paragraphs[0].runs[0]
    assert title.text == "十个全覆盖 工作简报"
    assert title._r.rPr.find(qn("a:ea")).get("typeface") == FONT


def test_briefing_pdf_through_libreoffice(two_rounds, tmp_path, run):
    out = tmp_path / "包头 简报.pdf"
    code, stdout, err = run("briefing", "--store", two_rounds.path, "--region", "150200",
                            "--out", out)
    assert code == 0, err
    assert "16 slides" in stdout
    info = subprocess.run(["pdfinfo", out], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+16$", info, re.MULTILINE), info
    fonts = subprocess.run(["pdffonts", out], capture_output=True, text=True,
                           check=True).stdout
    assert "CJK" in fonts     # Chinese set in a CJK face, embedded, not boxes
    # And a second reader (MuPDF) draws it too.
    drawn = subprocess.run(["mutool", "draw", "-r", "20", "-o", tmp_path / "p%d.png", out],
                           capture_output=True, text=True, check=True)
    assert "cannot render glyph" not in drawn.stderr
    assert len(list(tmp_path.glob("p*.png"))) == 16


def test_briefing_refuses_other_formats_and_missing_folders(run, tmp_path, two_rounds):
    code, _, err = run("briefing", "--store", two_rounds.path, "--out", tmp_path / "b.docx")
    assert code == 2 and "--out" in err
    code, _, err = run("briefing", "--store", two_rounds.path,
                       "--out", tmp_path / "nowhere" / "b.pptx")
    assert code == 1 and "does not exist" in err and "Traceback" not in err


def test_a_failed_pdf_leaves_the_old_file(run, tmp_path, two_rounds, monkeypatch):
    out = tmp_path / "b.pdf"
    out.write_bytes(b"yesterday")
    # LibreOffice not on the PATH: one clear message, yesterday's deck intact.
    monkeypatch.setenv("PATH", str(tmp_path))
    code, _, err = run("briefing", "--store", two_rounds.path, "--out", out)
    assert code == 1 and "libreoffice-impress" in err
    assert out.read_bytes() == b"yesterday"
    assert shutil.which("soffice") is None


def test_an_upper_case_suffix_is_a_pptx_all_the_same(run, tmp_path, two_rounds):
    code, _, err = run("briefing", "--store", two_rounds.path, "--out", tmp_path / "BT.PPTX")
    assert code == 0, err
    assert len(Presentation(tmp_path / "BT.PPTX").slides) == 16


def test_on_the_first_snapshot_nobody_is_called_on_time(two_rounds, tmp_path):
    # On 08-10 there is no earlier figure: the pace is unknown, never "all on time".
    first = build_briefing(MapSource.from_store(two_rounds), region="150200", as_of=AUG_10)
    unfinished = first.pace[first.pace["pct"] < 100]
    assert len(unfinished) == 8                                     # 白云矿区 is done
    assert not unfinished["pace_known"].any() and unfinished["lagging"].all()
    write_deck(first, tmp_path / "first.pptx")
    lagging = Presentation(tmp_path / "first.pptx").slides[13]
    table = next(s.table for s in lagging.shapes if s.has_table)
    assert {row.cells[5].text for row in list(table.rows)[1:]} == {"进度未知"}


def test_a_finished_unit_is_never_among_the_worst():
    from geo.demo import demo_store

    demo = build_briefing(MapSource.from_store(demo_store(progress=False)), region="150200")
    for page in demo.items:
        assert (page.worst["pct"] < 100).all(), page.key
        assert page.finished == int((demo.ranking[page.key] >= 100).sum())


def test_a_poverty_exit_deck_has_the_exit_check_failing_counties_first(tmp_path):
    from geo.demo import demo_store

    ganzi = demo_store("poverty_exit", progress=False)
    briefing = build_briefing(MapSource.from_store(ganzi))
    assert briefing.exit_year == 2016 and len(briefing.exit) == 18
    # The map: the three failing counties red, the other fifteen blue.
    assert briefing.exit_map.readiness.value_counts().to_dict() == {"passes": 15, "far": 3}
    path = tmp_path / "ganzi.pptx"
    kinds = write_deck(briefing, path)
    assert kinds["exit"] == 2 and kinds["exit_map"] == 1        # 18 counties: 9 + 9
    slides = list(Presentation(path).slides)
    exit_slide = next(s for s in slides if any(
        sh.has_text_frame and "2016年贫困退出检查" in sh.text_frame.text for sh in s.shapes))
    table = next(sh.table for sh in exit_slide.shapes if sh.has_table)
    rows = [[table.cell(r, c).text for c in range(3)] for r in range(1, 4)]
    assert rows == [["石渠县", "差距大", "错退率"], ["色达县", "差距大", "贫困发生率"],
                    ["理塘县", "差距大", "群众认可度"]]
    shiqu = briefing.exit.set_index("name").loc["石渠县"]
    assert table.cell(1, 4).text == f"{shiqu['wrongly_exited']:.1f}% / 2%"   # against its line
    assert shiqu["wrongly_exited"] >= 2
