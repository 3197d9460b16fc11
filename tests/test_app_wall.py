"""The wall page in-process (AppTest): what it says, in both languages, and its errors."""


import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import run_page


@pytest.fixture(scope="module", autouse=True)
def demo(demo_env):
    return demo_env


def open_wall(**params) -> AppTest:
    return run_page("wall", **params)


def html(app: AppTest) -> str:
    return "".join(m.value for m in app.markdown)


def test_baotou_on_the_wall():
    text = html(open_wall(region="150200"))
    assert "十个全覆盖 · 包头市 · 综合完成率" in text
    assert '<span class="wall-countdown-days">29</span>' in text
    # 固阳县 last, marked; 达茂旗 late by the forecast.
    assert '<tr class="wall-last status-will_miss"><td>9</td><td class="name">固阳县' in text
    assert "晚86天" in text


def test_english_wall():
    text = html(open_wall(region="150200", lang="en"))
    assert "Ten Full Coverage · Baotou · Overall" in text
    assert "to final assessment" in text and "d late" in text


def test_a_still_wall_shows_the_item_asked_for():
    assert "十个全覆盖 · 包头市 · 卫生室" in html(open_wall(region="150200", item="clinics"))


def test_a_level_above_the_region_is_an_error():
    app = open_wall(region="150200", level="province")
    # The page names its control (层级) and the levels in its own words.
    assert [e.value for e in app.error] == [
        "层级：省级在包头市（盟市）之上，请选择 盟市、旗县区、苏木乡镇、嘎查村"]
