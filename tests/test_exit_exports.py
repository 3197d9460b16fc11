"""The exit check on a static map (export-map --item exit) on the poverty demo
(甘孜州, 2016: 色达县 fails on incidence, 石渠县 on 错退率, 理塘县 on approval)."""

import pytest

from geo.demo import demo_store
from geo.map_view import MapSource, map_view
from layers.static.map import build_map_figure


@pytest.fixture(scope="module")
def ganzi():
    return MapSource.from_store(demo_store("poverty_exit", progress=False))


def label_texts(fig) -> set[str]:
    return {label.get_text() for label in fig.covermap["labels"]}


def test_the_counties_coloured_by_the_exit_check_the_failing_ones_named(ganzi):
    fig = build_map_figure(map_view(ganzi, level="county", item="exit"))
    assert fig.covermap["counts"] == {"passes": 15, "close": 0, "far": 3, "unknown": 0}
    labels = label_texts(fig)
    assert {"色达县\n贫困发生率", "石渠县\n错退率", "理塘县\n群众认可度"} <= labels
    assert "康定市" in labels                                  # a passing county: its name
    texts = [t.get_text() for t in fig.texts]
    assert any("2016年退出检查" in t for t in texts)


def test_one_criterion_labels_its_value(ganzi):
    view = map_view(ganzi, level="county", item="exit:approval")
    fig = build_map_figure(view)
    litang = view.table.set_index("name").loc["理塘县", "approval"]
    assert f"理塘县\n{litang:.1f}%" in label_texts(fig)
    assert fig.covermap["counts"]["far"] == 1


def test_villages_only_those_due_are_tested_only_the_failing_labelled(ganzi):
    view = map_view(ganzi, level="village", region="513334", item="exit")
    fig = build_map_figure(view)
    counts = fig.covermap["counts"]
    # The household counts say which of 理塘县's villages have households due in 2016.
    records = ganzi.households
    due = records[(records["year"] == 2016) & (records["due_households"] > 0)
                  & records["unit_code"].str.startswith("513334")]
    assert counts["not_due"] == len(view.table) - len(due)
    assert counts["passes"] + counts["close"] + counts["far"] == len(due)
    failing = counts["far"] + counts["close"]
    assert len(fig.covermap["labels"]) == failing


@pytest.mark.parametrize("args, words", [
    (["--level", "township", "--item", "exit"], "by village or county"),
    (["--level", "county", "--item", "exit:nonsense"], "not tested for a county"),
])
def test_an_exit_map_that_cannot_be_drawn_says_why(run, tmp_path, args, words):
    store = demo_store("poverty_exit", progress=False).path
    code, _, err = run("export-map", "--store", store, *args, "--out", tmp_path / "m.png")
    assert code == 2 and words in err
    assert not (tmp_path / "m.png").exists()


def test_a_coverage_store_has_no_exit_check(run, tmp_path):
    code, _, err = run("export-map", "--level", "league", "--item", "exit",
                       "--out", tmp_path / "m.png")
    assert code == 2 and "poverty-exit store" in err
