"""The static export map: projection, legend counts, labels, synthetic mark."""

import io
import os
from pathlib import Path

import numpy as np
import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from PIL import Image

import cli
from geo.demo import demo_store
from geo.map_view import MapSource, map_view
from geo.store import Store
from layers.static.furniture import projected_crs, round_length
from layers.static.fonts import cjk_family
from layers.static.map import (
    SYNTHETIC_MARK,
    build_map_figure,
    legend_counts,
    map_bytes,
)

LEDGER = Path(__file__).resolve().parents[1] / "data" / "baotou_county_ledger.xlsx"
# Baotou's ledger map, slide size, scaled to a quarter: made with
# COVERMAP_UPDATE_REFERENCE=1 and looked at before it was committed.
REFERENCE = LEDGER.parent / "reference_baotou_county.png"


def store_map_figure(store, *, size="slide", lang="zh", **view):
    """The export map of ``store`` as `export-map` draws it."""
    shown = map_view(MapSource.from_store(store), **view)
    fig = build_map_figure(shown, size=size, lang=lang)
    fig.covermap["table"] = shown.table
    return fig


@pytest.fixture(scope="module")
def baotou_with_values(tmp_path_factory):
    """Baotou's 9 real counties with the county ledger imported."""
    path = tmp_path_factory.mktemp("static") / "baotou.gpkg"
    assert cli.main(["init", "--store", str(path), "--region", "150200", "--no-register"]) == 0
    assert cli.main(["import", str(LEDGER), "--store", str(path)]) == 0
    return Store(path)


def test_baotou_is_drawn_in_its_gauss_kruger_zone():
    # Baotou's centre is ~110.3° E: the nearest 3-degree meridian is 111° E,
    # EPSG:4534 + (111 − 75) / 3 = 4546 (CGCS2000 / 3-degree GK CM 111E).
    crs = projected_crs((109.2, 40.2, 111.4, 42.7), "league")
    assert crs.to_epsg() == 4546
    assert crs.is_projected


def test_inner_mongolia_is_drawn_in_albers_with_sixth_parallels():
    crs = projected_crs((97.0, 37.0, 127.0, 53.0), "province")
    operation = crs.coordinate_operation
    assert operation.method_name == "Albers Equal Area"
    params = {p.name: p.value for p in operation.params}
    assert params["Latitude of 1st standard parallel"] == pytest.approx(37 + 16 / 6, abs=1e-3)
    assert params["Latitude of 2nd standard parallel"] == pytest.approx(37 + 5 * 16 / 6,
                                                                        abs=1e-3)
    assert params["Longitude of false origin"] == pytest.approx(112.0)


def test_figures_use_the_crs_for_their_region(baotou_with_values):
    fig = store_map_figure(baotou_with_values, level="county", region="150200")
    assert fig.covermap["crs"].to_epsg() == 4546
    fig = store_map_figure(demo_store(), level="league", region="150000")
    assert fig.covermap["crs"].coordinate_operation.method_name == "Albers Equal Area"
    # The province's inset is China: its land, the maritime line (南海诸岛) and the region.
    inset = fig.axes[1]
    assert len(inset.collections) == 3


@pytest.mark.parametrize("metres, expected", [(48_000, 20_000), (51_000, 50_000),
                                              (150_000, 100_000), (999, 500)])
def test_scale_bar_lengths_are_round(metres, expected):
    assert round_length(metres) == expected


def test_legend_counts_match_the_summary(baotou_with_values):
    fig = store_map_figure(baotou_with_values, level="county", region="150200")
    table = fig.covermap["table"]
    programme = baotou_with_values.programme
    # Counted by hand from the rows: each unit falls in exactly one class.
    expected = {c.label(): 0 for c in programme.legend} | {"no_data": 0, "not_applicable": 0}
    for _, row in table.iterrows():
        if row["not_applicable"]:
            expected["not_applicable"] += 1
        elif row["pct"] != row["pct"]:
            expected["no_data"] += 1
        else:
            cls = next(c for c in programme.legend if c.min <= row["pct"] < c.max)
            expected[cls.label()] += 1
    assert fig.covermap["counts"] == expected == legend_counts(table, programme)
    assert sum(expected.values()) == 9
    legend_texts = [t.get_text() for t in fig.legends[0].get_texts()]
    for cls in programme.legend:
        assert f"{cls.label()}  ({expected[cls.label()]}个)" in legend_texts


@pytest.mark.parametrize("size, lang", [("slide", "zh"), ("a4", "zh"), ("wall", "zh"),
                                        ("slide", "en")])
def test_no_two_baotou_labels_overlap(baotou_with_values, size, lang):
    fig = store_map_figure(baotou_with_values, level="county", region="150200", size=size,
                           lang=lang)
    renderer = fig.canvas.get_renderer()
    labels = fig.covermap["labels"]
    assert len(labels) == 9
    boxes = [t.get_window_extent(renderer) for t in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), (size, a, b)
    texts = " ".join(t.get_text() for t in labels)
    shorts = (("达茂旗", "昆区", "白云矿区", "东河区", "土右旗") if lang == "zh"
              else ("Darhan Muminggan United Banner", "Kundulun District", "Bayan Obo Mining District"))
    for short in shorts:
        assert short in texts


def test_demo_map_says_it_is_synthetic():
    fig = store_map_figure(demo_store(), level="county", region="150200")
    assert SYNTHETIC_MARK in [t.get_text() for t in fig.texts]


def test_real_store_map_has_no_synthetic_mark(baotou_with_values):
    fig = store_map_figure(baotou_with_values, level="county", region="150200")
    assert SYNTHETIC_MARK not in [t.get_text() for t in fig.texts]


def test_the_font_drawn_has_every_character_on_the_map(baotou_with_values):
    # Tofu is a character the chosen face lacks: read the face's own character map.
    fig = store_map_figure(baotou_with_values, level="county", region="150200")
    texts = [t.get_text() for t in fig.texts] + [t.get_text() for t in fig.covermap["labels"]]
    texts += [t.get_text() for t in fig.legends[0].get_texts()]
    assert any("包头市" in text for text in texts)
    face = font_manager.findfont(font_manager.FontProperties(family=cjk_family()))
    entry = next(f for f in font_manager.fontManager.ttflist if f.fname == face)
    characters = TTFont(face, fontNumber=getattr(entry, "index", 0)).getBestCmap()
    missing = {c for text in texts for c in text if not c.isspace() and ord(c) not in characters}
    assert not missing


def test_baotou_map_looks_as_the_reference(baotou_with_values):
    """A quarter-size rendering compared with one made once and looked at (committed)."""
    fig = store_map_figure(baotou_with_values, level="county", region="150200")
    image = Image.open(io.BytesIO(map_bytes(fig, "png"))).convert("RGB")
    small = image.resize((480, 270), Image.Resampling.LANCZOS)
    if os.environ.get("COVERMAP_UPDATE_REFERENCE"):
        small.save(REFERENCE)
    reference = np.asarray(Image.open(REFERENCE).convert("RGB"), dtype=float)
    difference = np.abs(np.asarray(small, dtype=float) - reference)
    # Out of 255 per channel: a font or anti-aliasing change stays well under 2,
    # a lost label or a shifted class colour does not.
    assert difference.mean() < 2.0
    assert (difference.max(axis=2) > 64).mean() < 0.01
