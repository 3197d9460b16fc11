"""The briefing's supervision slides on the demo with round 1's findings
(tests/supervision.py), a week after the visit: 2016-09-12."""

import datetime as dt

import pytest
from pptx import Presentation

from geo.briefing import build_briefing
from geo.map_view import MapSource
from geo.store import Store
from layers.deck.briefing import write_deck
from tests.supervision import supervised_demo


@pytest.fixture(scope="module")
def briefing(tmp_path_factory):
    store, villages = supervised_demo(tmp_path_factory.mktemp("briefed"))
    source = MapSource.from_store(Store(store))
    return build_briefing(source, region="150200", as_of=dt.date(2016, 9, 12)), villages


def test_the_page_counts_the_round_the_categories_and_the_overdue(briefing):
    briefing, villages = briefing
    page = briefing.supervision
    assert (page.round, page.visited_round, page.visited_ever) == (1, 4, 4)
    assert page.by_category.set_index("category")["all"].to_dict() == {
        "progress": 1, "quality": 1, "funds": 1, "complaints": 0}
    assert page.overdue["village"].tolist() == [villages["clinic"]["嘎查村"],
                                                villages["funds"]["嘎查村"]]
    assert page.overdue["days_overdue"].tolist() == [7, 2]
    # On the map: two villages red (overdue), one orange, the most urgent drawn last.
    assert page.points["worst"].tolist() == ["open", "overdue", "overdue"]


def test_the_deck_has_the_slides_with_the_overdue_in_red(briefing, tmp_path):
    briefing, villages = briefing
    path = tmp_path / "deck.pptx"
    kinds = write_deck(briefing, path)
    assert kinds["supervision"] == 3
    slides = list(Presentation(path).slides)
    late = next(s for s in slides if any(sh.has_text_frame and "逾期未整改问题" in
                                         sh.text_frame.text for sh in s.shapes))
    table = next(sh.table for sh in late.shapes if sh.has_table)
    assert [table.cell(r, 0).text for r in (1, 2)] == [villages["clinic"]["嘎查村"],
                                                      villages["funds"]["嘎查村"]]
    assert table.cell(1, 5).text == "7"
    assert str(table.cell(1, 5).text_frame.paragraphs[0].runs[0].font.color.rgb) == "C01C1C"


def test_no_round_no_supervision_slides():
    from geo.demo import demo_store

    plain = build_briefing(MapSource.from_store(demo_store(progress=False)), region="150200")
    assert plain.supervision is None
