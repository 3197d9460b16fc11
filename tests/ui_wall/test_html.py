"""The wall's HTML: every value read from a file is escaped, markup built by the
wall is kept."""

import dataclasses

import pytest

from geo.demo import demo_store
from geo.map_view import MapSource
from geo.store import Store
from geo.wall import wall_board
from ui.wall.header import header
from ui.wall.html import Html, fill
from ui.wall.layer import Shown
from ui.wall.ranking import ranking_board

HOSTILE = '<img src=x onerror="alert(1)">'


def test_fill_escapes_values_and_keeps_markup():
    assert fill("<td>{name}</td>{arrow}", name=HOSTILE,
                arrow=Html('<span class="up">▲1</span>')) == (
        "<td>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</td>"
        '<span class="up">▲1</span>')
    assert fill("<td>{pct}</td>", pct=None) == "<td></td>"


@pytest.fixture(scope="module")
def hostile_board():
    store = Store(demo_store(progress=False).path)
    board = wall_board(MapSource.from_store(store), level="county", region="150200")
    ranking = board.ranking.assign(name=board.ranking["name"].where(
        board.ranking["code"] != "150222", HOSTILE))
    region = board.region.copy()
    region["name"] = HOSTILE
    return store.programme, dataclasses.replace(board, ranking=ranking, region=region)


def test_a_unit_named_with_markup_is_text_on_the_board(hostile_board):
    programme, board = hostile_board
    shown = Shown(board.region, "county", None)
    text = ranking_board(board, "overall", shown, programme=programme, lang="zh")
    assert HOSTILE not in text
    # 固阳县, last and late, keeps its row's markup around the escaped name.
    assert ('<tr class="wall-last status-will_miss"><td>9</td><td class="name">'
            "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</td>") in text


def test_a_region_named_with_markup_is_text_in_the_title(hostile_board):
    programme, board = hostile_board
    text = header(board, programme=programme, region=board.region, words="综合完成率",
                  lang="zh", lost=False)
    assert HOSTILE not in text and "&lt;img src=x" in text
    assert '<span class="wall-countdown-days">29</span>' in text
