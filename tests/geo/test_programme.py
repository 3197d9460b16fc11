"""Programme files load, say what DESIGN.md says, and refuse to load when broken."""

import datetime as dt

import pytest

from geo.errors import ProgrammeError
from geo.programme import PROGRAMME_DIR, available_programmes, load_programme


def test_both_programmes_ship():
    assert available_programmes() == ["poverty_exit", "ten_full_coverage"]


def test_ten_full_coverage_has_the_official_items():
    programme = load_programme("ten_full_coverage")
    assert len(programme.items) == 10
    assert programme.item("housing").zh == "农村牧区危房改造"
    assert programme.item("housing").measure == "count" and programme.item("housing").unit_zh == "户"
    assert programme.item("clinics").measure == "binary"
    assert programme.item("social_security").measure == "share"
    assert programme.level_word("county") == "旗县区" and programme.level_word("village") == "嘎查村"
    assert programme.next_milestone(dt.date(2016, 9, 1)).zh == "全面验收"
    assert programme.next_milestone(dt.date(2016, 9, 1)).date == dt.date(2016, 9, 30)
    assert programme.status_of("已完成") == "done" and programme.status_of("在建") == "in_progress"
    assert programme.status_of("×") == "not_started" and programme.status_of("—") == "na"


def test_legend_classes_are_half_open():
    programme = load_programme("ten_full_coverage")
    assert programme.legend_class(59.999).max == 60
    assert programme.legend_class(60).min == 60
    assert programme.legend_class(100).min == 100 and programme.legend_class(250).min == 100
    assert programme.legend_class(None) is None


def test_exit_rules_take_a_regions_own_lines():
    programme = load_programme("poverty_exit")
    east = programme.rules_for("320000")
    assert east["village"]["incidence_max_pct"] == 2.0
    assert east["county"]["approval_min_pct"] == 90.0
    west = programme.rules_for("513300")                 # 甘孜州, Sichuan: the west
    assert west["village"]["incidence_max_pct"] == 3.0
    xunyang = programme.rules_for("610928")              # 旬阳: west, and its own 80 % line
    assert xunyang["county"]["incidence_max_pct"] == 3.0
    assert xunyang["county"]["approval_min_pct"] == 80.0
    assert xunyang["county"]["approval_excellent_pct"] == 90.0
    assert programme.rules["household"]["income_line_yuan"]["2016"] == 2952


def test_a_broken_programme_names_every_problem(tmp_path):
    text = (PROGRAMME_DIR / "ten_full_coverage.toml").read_text(encoding="utf-8")
    broken = text.replace('measure = "binary"', 'measure = "yes/no"', 1)
    broken = broken.replace("max = 80\n", "max = 75\n", 1)
    broken = broken.replace("lagging_below = 80", "lagging_below = 180", 1)
    path = tmp_path / "broken.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ProgrammeError) as error:
        load_programme(path)
    message = str(error.value)
    assert "broken.toml: 3 problem(s)" in message
    assert "'power': measure 'yes/no'" in message and "ends at 75" in message
    assert "lagging_below must be a per cent in (0, 100], not 180" in message


def test_an_unknown_programme_lists_the_known_ones():
    with pytest.raises(ProgrammeError, match="ten_full_coverage"):
        load_programme("eleven_full_coverage")
