"""The interactive legend: the programme's classes, their counts, both special classes."""

import html as htmllib
import json
import re

import pandas as pd
import pytest

from geo.programme import load_programme
from layers.interactive.basemap import base_map
from layers.interactive.legend import add_legend, class_key, class_label, count_classes


@pytest.fixture(scope="module")
def programme():
    return load_programme("ten_full_coverage")


def legend_rows(html: str) -> list[str]:
    """The legend's lines as a reader sees them (its HTML is a JSON string)."""
    [markup] = re.findall(r"div\.innerHTML = (\".*\");", html)
    rows = re.findall(r'<div style="white-space:nowrap">(.*?)</div>', json.loads(markup))
    return [htmllib.unescape(" ".join(re.sub(r"<[^>]+>", " ", row).split())) for row in rows]


def test_legend_lists_each_class_with_the_count_passed(programme):
    fmap = base_map(bounds=(109, 40, 111, 42))
    counts = {"100+": 3, "90-100": 2, "80-90": 1, "60-80": 0, "0-60": 2,
              "no_data": 1, "not_applicable": 4}
    add_legend(fmap, programme, counts, title="综合完成率", note="示例数据 / synthetic data")
    html = fmap.get_root().render()
    assert legend_rows(html) == ["≥100% 3", "90–100% 2", "80–90% 1", "60–80% 0", "<60% 2",
                                 "无数据 1", "不适用 4"]
    assert "综合完成率" in json.loads(re.search(r"innerHTML = (\".*\");", html).group(1))
    assert "bottomright" in html


def test_no_data_and_not_applicable_look_different(programme):
    fmap = base_map(bounds=(109, 40, 111, 42))
    add_legend(fmap, programme, {}, title="t")
    markup = json.loads(re.search(r"innerHTML = (\".*\");", fmap.get_root().render()).group(1))
    swatches = re.findall(r'<span style="(display:inline-block;width:18px[^"]*)"', markup)
    no_data, not_applicable = swatches[-2], swatches[-1]
    assert "background:#bdbdbd" in no_data and "solid" in no_data
    assert "background:#ffffff" in not_applicable and "dashed" in not_applicable


def test_english_labels(programme):
    fmap = base_map(bounds=(109, 40, 111, 42))
    add_legend(fmap, programme, {"no_data": 2}, title="Overall", lang="en")
    rows = legend_rows(fmap.get_root().render())
    assert rows[-2:] == ["no data 2", "not applicable 0"]


def test_count_classes_uses_the_half_open_classes(programme):
    pct = pd.Series([0, 59.99, 60, 89.9, 90, 100, 108.2, None, None],
                    index=[f"u{i}" for i in range(9)])
    counts = count_classes(pct, programme, not_applicable=pd.Series({"u8": True}))
    assert counts == {"0-60": 2, "60-80": 1, "80-90": 1, "90-100": 1, "100+": 2,
                      "no_data": 1, "not_applicable": 1}
    assert [class_key(c) for c in programme.legend] == ["0-60", "60-80", "80-90", "90-100",
                                                        "100+"]
    assert [class_label(c) for c in programme.legend] == ["<60%", "60–80%", "80–90%",
                                                          "90–100%", "≥100%"]


def test_counts_keyed_by_the_programmes_own_labels_are_read_too(programme):
    fmap = base_map(bounds=(109, 40, 111, 42))
    add_legend(fmap, programme, {"0–60%": 5, "≥100%": 7}, title="t")
    rows = legend_rows(fmap.get_root().render())
    assert rows[0] == "≥100% 7" and rows[4] == "<60% 5"
