"""The demo store: real counties, synthetic villages, believable progress.

The store is built once for the module (about 15 s on two cores).
"""

from __future__ import annotations


import pandas as pd
import pytest
import shapely

from geo.demo import ALBERS, VILLAGES, build_demo, demo_path, demo_units, units_digest
from geo.errors import StoreError
from geo.demo.progress import SNAPSHOT_DATES

BINARY = ["power", "telecom", "clinics", "culture", "shops"]
COUNT = ["housing", "water", "roads", "schools"]
LAST = "2016-09-01"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    # Its build time is the benchmark's business (bench/benchmark.py), not a test's.
    return build_demo(tmp_path_factory.mktemp("demo") / "demo.gpkg", progress=False)


@pytest.fixture(scope="module")
def units(store):
    return store.units(geometry=True)


@pytest.fixture(scope="module")
def progress(store):
    return store.progress()


@pytest.fixture(scope="module")
def projected(units):
    return units.to_crs(ALBERS)


def test_levels_have_the_counts_of_inner_mongolia(units):
    counts = units["level"].value_counts()
    assert counts["province"] == 1
    assert counts["league"] == 12
    assert counts["county"] == 103
    assert counts["village"] == VILLAGES == 11_224
    assert 950 <= counts["township"] <= 1_100
    assert (units["kind"] == "admin").all()


def test_villages_spread_by_kind_of_county(units):
    villages = units[units["level"] == "village"]
    per_county = villages["code"].str[:6].value_counts()
    names = units.set_index("code")["name"]
    kinds = names.loc[per_county.index].str[-1]
    assert per_county[kinds == "区"].between(3, 25).all()
    assert per_county[kinds == "县"].between(80, 250).all()
    assert per_county[kinds == "旗"].between(40, 150).all()
    towns = units[units["level"] == "township"]
    assert set(towns["parent_code"]) == set(units.loc[units["level"] == "county", "code"])


def test_codes_follow_the_national_scheme(units):
    villages = units[units["level"] == "village"]
    towns = units[units["level"] == "township"]
    assert villages["code"].str.fullmatch(r"\d{12}").all()
    assert (villages["code"].str[:9] == villages["parent_code"]).all()
    assert villages["parent_code"].isin(towns["code"]).all()
    assert villages["code"].str[9:].astype(int).between(200, 399).all()
    assert towns["code"].str.fullmatch(r"\d{9}").all()
    assert (towns["code"].str[:6] == towns["parent_code"]).all()
    assert towns["code"].str[6:].astype(int).between(100, 399).all()
    # 镇 are numbered 100–199, 乡 and 苏木 200–399.
    part = towns["code"].str[6:].astype(int)
    assert (towns["name"].str.endswith("镇") == (part < 200)).all()
    assert units["code"].is_unique


def test_names_are_unique_within_a_township_but_repeat_across(units):
    villages = units[units["level"] == "village"]
    assert not villages.duplicated(["parent_code", "name"]).any()
    assert villages["name"].duplicated().any()
    assert (villages["name"] == "新村").sum() > 1
    assert villages["name"].str.endswith(("村", "嘎查")).all()
    towns = units[units["level"] == "township"]
    assert towns["name"].str.endswith(("镇", "乡", "苏木")).all()
    # 嘎查 mostly in the banners.
    in_banner = villages["code"].str[:6].map(units.set_index("code")["name"]).str.endswith("旗")
    gacha = villages["name"].str.endswith("嘎查")
    assert gacha[in_banner].mean() > 0.5 > gacha[~in_banner].mean()


def test_population_adds_up(units):
    villages = units[units["level"] == "village"]
    assert villages["population"].between(200, 3_000).all()
    ratio = villages["population"] / villages["households"]
    assert ratio.between(2.3, 2.9).all()
    by_code = units.set_index("code")
    for level in ("township", "county", "league"):
        sums = units[units["level"] == level].groupby("parent_code")["population"].sum()
        assert (by_code.loc[sums.index, "population"] == sums).all(), level
    assert by_code.loc["150000", "population"] == villages["population"].sum()
    assert by_code.loc["150000", "households"] == villages["households"].sum()


def test_villages_are_valid_and_inside_their_county(projected):
    villages = projected[projected["level"] == "village"]
    counties = projected[projected["level"] == "county"].set_index("code")
    assert shapely.is_valid(villages.geometry.to_numpy()).all()
    assert villages.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    home = counties.geometry.loc[villages["code"].str[:6]].to_numpy()
    assert shapely.within(villages.centroid.to_numpy(), home).all()


def test_cells_tile_each_county_without_overlap(projected):
    villages = projected[projected["level"] == "village"]
    counties = projected[projected["level"] == "county"].set_index("code")
    for code, cells in villages.groupby(villages["code"].str[:6]):
        area = cells.area.sum()
        assert area == pytest.approx(counties.geometry[code].area, rel=0.01), code
        union = shapely.union_all(cells.geometry.to_numpy()).area
        assert union == pytest.approx(area, rel=1e-6), code


def test_same_seed_gives_the_same_units(units):
    again = demo_units(seed=2016)
    assert units_digest(units) == units_digest(again)


def test_snapshot_dates_and_imports(store):
    assert store.snapshot_dates() == list(SNAPSHOT_DATES)
    assert [d.isoformat() for d in SNAPSHOT_DATES] == [
        "2016-05-15", "2016-06-01", "2016-06-15", "2016-07-01",
        "2016-07-15", "2016-08-01", "2016-08-15", "2016-09-01"]
    imports = store.imports()
    progress = imports[imports["kind"] == "progress"]
    assert list(progress["file"]) == [f"demo:{d.isoformat()}" for d in SNAPSHOT_DATES]
    assert (progress["level"] == "village").all()
    assert (imports["kind"] == "sites").sum() == 1


def test_an_existing_store_is_kept_unless_overwrite(store):
    before = store.version
    with pytest.raises(StoreError, match="exists already"):
        build_demo(store.path, progress=False)
    assert store.version == before


def test_demo_paths_are_the_designs():
    assert demo_path().name == "demo.gpkg"
    assert demo_path("poverty_exit").name == "demo-poverty_exit.gpkg"
    assert demo_path().parent.name == "data"


def test_metadata_says_synthetic(store):
    assert store.meta["synthetic"] == "1"
    assert store.synthetic
    assert store.meta["programme"] == "ten_full_coverage"
    assert store.meta["region"] == "150000"
    assert store.meta["boundary_source"].endswith("with synthetic townships and villages")


def test_rows_follow_the_measure_semantics(progress):
    na = progress["status"] == "na"
    assert progress.loc[na, ["target", "started", "completed"]].isna().all().all()
    count = progress[progress["item"].isin(COUNT) & ~na]
    assert count["status"].isna().all()
    assert (count["started"] >= count["completed"]).all()
    ordered = count.sort_values(["unit_code", "item", "as_of"])
    steps = ordered.groupby(["unit_code", "item"])[["started", "completed"]].diff()
    assert (steps.fillna(0) >= 0).all().all()
    binary = progress[progress["item"].isin(BINARY) & ~na]
    assert set(binary["status"]) == {"done", "in_progress", "not_started"}
    assert (binary["target"] == 1).all()
    assert (binary["started"] == (binary["status"] != "not_started")).all()
    assert (binary["completed"] == (binary["status"] == "done")).all()
    share = progress[progress["item"] == "social_security"]
    assert (share["target"] == 100).all() and share["status"].isna().all()
    assert share["completed"].between(60, 100).all()
    assert (progress["as_of"] == progress["as_of"].str.slice(0, 10)).all()


def test_region_totals_are_believable(progress):
    last = progress[progress["as_of"] == LAST]
    totals = last.groupby("item")[["target", "completed"]].sum()
    assert 480_000 < totals.loc["housing", "target"] < 540_000
    assert 0.92 < totals.loc["housing", "completed"] / totals.loc["housing", "target"] < 0.98
    assert 1_800_000 < totals.loc["water", "target"] < 2_500_000
    assert 36_000 < totals.loc["roads", "target"] < 38_000
    assert 950 < totals.loc["schools", "target"] < 1_100
    for item, figure in (("clinics", 5_952), ("culture", 9_251), ("shops", 5_612)):
        assert totals.loc[item, "target"] == pytest.approx(figure, rel=0.02)


def _done_share(rows: pd.DataFrame) -> float:
    binary = rows[rows["item"].isin(BINARY) & (rows["status"] != "na")]
    return (binary["status"] == "done").mean()


def test_guyang_lags_the_province(progress):
    last = progress[progress["as_of"] == LAST]
    guyang = last[last["unit_code"].str.startswith("150222")]
    assert _done_share(guyang) < 0.75 < 0.85 < _done_share(last)


def test_dalad_over_completes_housing(progress):
    last = progress[(progress["as_of"] == LAST) & (progress["item"] == "housing")]
    dalad = last[last["unit_code"].str.startswith("150621")]
    assert 1.05 <= dalad["completed"].sum() / dalad["target"].sum() <= 1.12
    assert (dalad["target"].sum(), dalad["completed"].sum()) == (8_000, 8_656)


def test_some_villages_go_stale_and_some_items_never_report(progress):
    reporting = progress.groupby("as_of")["unit_code"].nunique()
    assert (reporting.loc[:"2016-08-01"] == VILLAGES).all()
    stale = VILLAGES - reporting.loc[LAST]
    assert 5 <= stale <= 100
    first = progress[progress["as_of"] == "2016-05-15"]
    assert len(first) == VILLAGES * 10 - 20


def test_sites_sit_in_their_village_in_step_with_progress(store, units, progress):
    sites = store.sites()
    assert 14_000 <= len(sites) <= 16_000
    assert sites["site_id"].is_unique and sites["site_id"].str.fullmatch(r"S\d{6}").all()
    assert sites["item"].nunique() == 10
    villages = units[units["level"] == "village"].set_index("code")
    home = villages.geometry.loc[sites["unit_code"]].to_numpy()
    assert shapely.within(sites.geometry.to_numpy(), home).all()
    done = sites["status"] == "done"
    assert sites.loc[done, "end_date"].notna().all()
    assert sites.loc[~done, "end_date"].isna().all()
    assert (sites.loc[done, "end_date"] >= sites.loc[done, "start_date"]).all()
    latest = (progress.sort_values("as_of").groupby(["unit_code", "item"]).last()
              .reset_index())
    binary = sites[sites["item"].isin(BINARY)].merge(
        latest, on=["unit_code", "item"], suffixes=("", "_reported"))
    assert len(binary) == sites["item"].isin(BINARY).sum()
    assert (binary["status"] == binary["status_reported"]).all()
    assert sites["name"].str.endswith(("危房改造点", "标准化卫生室", "文化活动室")).any()
    assert (sites["investment"] > 0).all()


def test_the_poverty_demo_is_ganzi_in_its_exit_year(tmp_path, run):
    import json

    ganzi = build_demo(tmp_path / "ganzi.gpkg", programme="poverty_exit", progress=False)
    assert ganzi.meta["programme"] == "poverty_exit" and ganzi.synthetic
    units = ganzi.units()
    counties = units[units["level"] == "county"]
    assert len(counties) == 18 and counties["parent_code"].eq("513300").all()
    assert (units["level"] == "village").sum() == 2_679
    households = ganzi.village_figures("households")
    due = households[households["due_households"] > 0]
    assert len(due) == 281 and due["due_households"].sum() == 8_000
    assert 30_000 < due["due_people"].sum() < 34_000
    # Three counties fail one criterion each; the other fifteen pass.
    code, out, err = run("exit-check", "--store", ganzi.path, "--level", "county",
                         "--format", "json")
    assert code == 0, err
    failing = {r["name"]: r["failing"] for r in json.loads(out) if r["readiness"] != "passes"}
    assert failing == {"色达县": "incidence", "石渠县": "wrongly_exited", "理塘县": "approval"}


def test_the_command_line_on_the_demo(store, capsys):
    import json

    import cli

    def run(*args):
        assert cli.main([*args, "--store", str(store.path), "--format", "json"]) == 0
        return json.loads(capsys.readouterr().out)

    assert len(run("units", "--level", "village")) == 11_224
    leagues = run("summary", "--level", "league", "--item", "overall")
    assert len(leagues) == 12 and sorted(r["rank"] for r in leagues)[0] == 1
    banners = run("summary", "--level", "county", "--region", "包头市", "--item", "overall")
    worst = max(banners, key=lambda r: r["rank"])
    assert worst["name"] == "固阳县"           # the lagging banner comes last
