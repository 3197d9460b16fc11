"""The supervision maps' HTML: a name read from a file is text, never markup."""

from ui.supervision.html import coverage_tip, swatch

HOSTILE = '<img src=x onerror="alert(1)">'


def test_a_village_named_with_markup_is_text_in_its_tooltip():
    assert coverage_tip(HOSTILE, [1, 2], "zh") == (
        "<b>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</b><br>第1轮、第2轮")


def test_a_tooltip_names_the_village_in_the_page_language_or_says_never():
    assert coverage_tip("固阳县", [], "en") == "<b>Guyang County</b><br>Never visited"
    assert coverage_tip("固阳县", [3], "zh") == "<b>固阳县</b><br>第3轮"


def test_a_swatch_is_a_round_dot_of_its_colour():
    css = swatch("#e6550d")
    assert css.startswith("display:inline-block;") and "border-radius:7px;" in css
    assert css.endswith("background:#e6550d;")
    assert swatch('red;"><script>').endswith("background:red;&quot;&gt;&lt;script&gt;;")
