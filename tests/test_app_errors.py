"""Every error a page can show, in the page's language, naming its control — never
the command line's flag, never English on a Chinese page.  In-process (AppTest) on
the demo store; the unknown-region link once more in a real browser."""

import re

import pytest

from tests.conftest import run_page

PAGES = ("overview", "wall", "gaps", "export", "supervision", "data")
UNKNOWN = {
    "zh": "区域：没有名称或代码为“不存在旗”的单位",
    "en": "Region 'no-such-banner' is neither a code nor a name in this store",
}


@pytest.fixture(scope="module", autouse=True)
def demo(demo_env):
    return demo_env


def shown_errors(app) -> list[str]:
    return [e.value for e in app.error]


@pytest.mark.parametrize("page", PAGES)
def test_an_unknown_region_is_said_in_chinese_on_a_chinese_page(page):
    app = run_page(page, region="不存在旗")
    assert shown_errors(app) == [UNKNOWN["zh"]]


@pytest.mark.parametrize("page", ["overview", "gaps", "data"])
def test_an_unknown_region_is_said_in_english_on_an_english_page(page):
    app = run_page(page, region="no-such-banner", lang="en")
    assert shown_errors(app) == [UNKNOWN["en"]]


def test_a_chinese_region_name_is_quoted_as_given_on_an_english_page():
    app = run_page("overview", region="不存在旗", lang="en")
    assert shown_errors(app) == ["Region '不存在旗' is neither a code nor a name in this store"]


@pytest.mark.parametrize("lang, expected", [
    ("zh", "层级：省级在包头市（盟市）之上，请选择 盟市、旗县区、苏木乡镇、嘎查村"),
    ("en", "Level province is above 包头市 (league); choose one of league, county, township, "
           "village"),
])
@pytest.mark.parametrize("page", ["overview", "export", "wall"])
def test_a_level_above_the_region_names_the_level_control(page, lang, expected):
    # The region's own level (league here) lists the region itself; one above is refused.
    app = run_page(page, region="150200", level="province", lang=lang)
    assert shown_errors(app) == [expected]


@pytest.mark.parametrize("page", PAGES)
def test_no_page_error_names_a_command_line_flag(page):
    for lang in ("zh", "en"):
        for message in shown_errors(run_page(page, region="不存在旗", lang=lang)):
            assert not re.search(r"--[a-z]", message), message
            if lang == "zh":
                # Chinese words around the quoted name, no English sentence.
                assert not re.search(r"[A-Za-z]{3,}", message.replace("不存在旗", "")), message


def test_the_unknown_region_link_in_a_browser(browser, demo_server):
    for lang, query in (("zh", "region=不存在旗"), ("en", "region=no-such-banner&lang=en")):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{demo_server}/?{query}")
        alert = page.get_by_role("alert").first
        alert.wait_for(timeout=60_000)
        assert alert.inner_text().strip() == UNKNOWN[lang]
        context.close()


@pytest.mark.parametrize("lang, placeholder", [("zh", "请选择"), ("en", "Choose")])
def test_streamlit_placeholders_speak_the_page_language(lang, placeholder):
    # Streamlit's own "Choose options" would stand in English on a Chinese page.
    app = run_page("gaps", region="150222", lang=lang)
    assert [m.placeholder for m in app.multiselect] == [placeholder]


@pytest.mark.parametrize("page", PAGES)
def test_an_item_the_programme_does_not_have_falls_back_to_the_overall_index(page):
    # The wall stopped on a ProgrammeError box, in English, with a mistyped item.
    app = run_page(page, region="150222", item="nonsense")
    assert shown_errors(app) == []
