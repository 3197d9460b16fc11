"""Villages far from finished sites: a hand-built case and the demo's 固阳县."""

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Point, box

from geo.errors import UsageError
from geo.service_gaps import FAR_COLUMNS, measuring_crs, villages_far_from_sites

UTM49 = "EPSG:32649"  # metres; the hand-built frame lies near Baotou


@pytest.fixture
def villages():
    # Four 1 km squares; distances to the sites below worked out by hand.
    return gpd.GeoDataFrame({
        "code": ["A", "B", "C", "D"], "name": ["甲村", "乙村", "丙村", "丁村"],
        "parent_code": ["T", "T", "T", "T"], "population": [500, 600, 700, 800],
    }, geometry=[box(600_000, 4_500_000, 601_000, 4_501_000),
                 box(603_500, 4_500_000, 604_500, 4_501_000),
                 box(600_000, 4_508_000, 601_000, 4_509_000),
                 box(611_000, 4_508_000, 612_000, 4_509_000)], crs=UTM49)


@pytest.fixture
def sites():
    return gpd.GeoDataFrame({
        "site_id": ["S1", "S0", "S2", "S3", "S4"],
        "item": ["clinics", "clinics", "clinics", "clinics", "shops"],
        "status": ["done", "done", "done", "in_progress", "done"],
    }, geometry=[Point(600_500, 4_500_500),   # in A
                 Point(600_200, 4_500_200),   # in A too, a smaller id
                 Point(608_000, 4_504_000),
                 Point(600_500, 4_508_500),   # in C, not finished
                 Point(600_500, 4_508_500)],  # in C, another item
        crs=UTM49)


# A: 0 (contains S0 and S1); B: 3,000 m to S1 (edge x = 603,500);
# C: 7,500 m to S1 (edge y = 4,508,000); D: 5,000 m to S2 (corner
# 611,000/4,508,000: dx 3,000, dy 4,000).
def test_only_villages_beyond_the_distance(villages, sites):
    far = villages_far_from_sites(villages, sites, item="clinics", km=5)
    assert list(far.columns) == FAR_COLUMNS
    assert far["code"].tolist() == ["C"]  # D at exactly 5 km is not beyond it
    assert far["distance_km"].tolist() == [7.5]
    assert far["site_id"].tolist() == ["S1"]
    assert far.crs == UTM49
    assert far.geometry.iloc[0].equals(villages.geometry.iloc[2])


def test_farthest_first_and_ties_to_the_smallest_id(villages, sites):
    far = villages_far_from_sites(villages, sites, item="clinics", km=0)
    assert far["code"].tolist() == ["C", "D", "B"]
    assert far["distance_km"].tolist() == [7.5, 5.0, 3.0]
    assert far["site_id"].tolist() == ["S1", "S2", "S1"]
    everyone = villages_far_from_sites(villages, sites, item="clinics", km=4.9)
    assert everyone["code"].tolist() == ["C", "D"]


def test_lon_lat_input_is_measured_in_its_utm_zone(villages, sites):
    wgs = villages.to_crs("EPSG:4326")
    assert measuring_crs(wgs).to_epsg() == 32649
    far = villages_far_from_sites(wgs, sites.to_crs("EPSG:4326"), item="clinics", km=0)
    assert far["distance_km"].tolist() == [7.5, 5.0, 3.0]
    assert far.crs == "EPSG:4326"


def test_no_finished_site_leaves_every_village_unserved(villages, sites):
    unfinished = sites.assign(status="in_progress")
    far = villages_far_from_sites(villages, unfinished, item="clinics")
    assert sorted(far["code"]) == ["A", "B", "C", "D"]
    assert far["distance_km"].isna().all()
    assert far["site_id"].isna().all()
    assert len(villages_far_from_sites(villages, sites, item="water")) == 4


def test_bad_arguments(villages, sites):
    with pytest.raises(UsageError, match="km"):
        villages_far_from_sites(villages, sites, item="clinics", km=-1)
    with pytest.raises(UsageError, match="CRS"):
        villages_far_from_sites(villages.set_crs(None, allow_override=True), sites,
                                item="clinics")


@pytest.fixture(scope="module")
def demo():
    from geo.demo import demo_store
    store = demo_store(progress=False)
    return store.units(level="village", geometry=True), store.sites()


def test_demo_guyang_clinics(demo):
    villages, sites = demo
    guyang = villages[villages["code"].str.startswith("150222")]
    far = villages_far_from_sites(guyang, sites, item="clinics", km=5)
    assert 0 < len(far) < len(guyang)
    # Checked independently: shapely distances in the same UTM zone.
    clinics = sites[(sites["item"] == "clinics") & (sites["status"] == "done")]
    points = clinics.to_crs(UTM49).geometry.to_numpy()
    polygons = guyang.to_crs(UTM49).geometry.to_numpy()
    nearest = np.array([shapely.distance(p, points).min() for p in polygons])
    expected = set(guyang["code"][nearest > 5000])
    assert set(far["code"]) == expected
    by_code = dict(zip(guyang["code"], nearest))
    for code, km in zip(far["code"], far["distance_km"]):
        assert by_code[code] > 5000
        assert math.isclose(km, round(by_code[code] / 1000, 1))
    assert far["distance_km"].is_monotonic_decreasing


def test_province_wide_sets_are_measured_in_albers(demo):
    villages, _ = demo
    assert measuring_crs(villages).is_projected
    assert "Albers" in measuring_crs(villages).to_wkt()
    chifeng = villages[villages["code"].str.startswith("1504")]
    assert measuring_crs(chifeng).to_epsg() == 32650
