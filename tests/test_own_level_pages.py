"""A county office's pages at its own level (issue 14, item 7): the overview, the wall,
/export and `export-map` show the county itself with `level=county`, as
`summary --level county --region 150222` lists it; a level above is still refused.

The store is 固阳县 as a new office starts it: `init --region 150222` (the 2016
register's 6 townships and 72 village committees, no village boundary) and a
ledger of 西斗铺镇's six village committees, two of them without a clinic
(三分子村, 大二份子村): 4 of 6 clinics, 66.7 %.
"""

import pytest
from openpyxl import Workbook

import cli
from geo.i18n import t
from geo.map_view import MapSource, map_view
from geo.store import Store
from tests.conftest import run_page, widget

# 西斗铺镇's village committees in the 2016 统计用区划代码, as an office writes them.
XIDOUPU = [("150222103218", "忽鸡兔村", "有"), ("150222103220", "三分子村", "无"),
           ("150222103222", "张发地村", "有"), ("150222103223", "刘伟壕村", "有"),
           ("150222103224", "大二份子村", "无"), ("150222103225", "红泥井村", "有")]
CLINICS_PCT = round(100 * 4 / 6, 2)


def write_ledger(path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["固阳县十个全覆盖工程进度台账（卫生室）"])
    sheet.append(["填报单位：固阳县十个全覆盖办公室", None, None, "截至2016年6月30日"])
    sheet.append(["代码", "苏木乡镇", "嘎查村", "标准化卫生室"])
    for code, name, clinic in XIDOUPU:
        sheet.append([code, "西斗铺镇", name, clinic])
    book.save(path)


@pytest.fixture(scope="module")
def guyang(tmp_path_factory):
    """固阳县 from the shipped register with the 西斗铺镇 ledger; COVERMAP_STORE on it."""
    folder = tmp_path_factory.mktemp("guyang")
    store, ledger = folder / "gy.gpkg", folder / "ledger.xlsx"
    assert cli.main(["init", "--store", str(store), "--region", "150222"]) == 0
    write_ledger(ledger)
    assert cli.main(["import", str(ledger), "--store", str(store)]) == 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COVERMAP_STORE", str(store))
        patch.delenv("COVERMAP_ACCOUNTS", raising=False)
        yield store


def test_the_overview_lists_the_county_itself(guyang):
    app = run_page("overview", level="county", item="clinics")
    assert not app.error
    level = widget(app.selectbox, "层级")
    assert level.value == "county"
    # Its own level first, then the levels below it.
    assert level.options == ["旗县区", "苏木乡镇", "嘎查村"]
    ranking = app.dataframe[-1].value
    # One unit alone is ranked first and nobody's last.
    assert list(ranking["name"]) == ["固阳县"]
    assert ranking["pct"].iloc[0] == CLINICS_PCT and ranking["rank"].iloc[0] == 1


def test_the_overview_still_opens_on_the_townships(guyang):
    app = run_page("overview", item="clinics")
    assert widget(app.selectbox, "层级").value == "township"
    ranking = app.dataframe[-1].value.set_index("name")
    assert len(ranking) == 6 and ranking.loc["西斗铺镇", "pct"] == CLINICS_PCT
    # The only township with a figure is ranked, and is not marked last.
    assert ranking["rank"].dropna().to_dict() == {"西斗铺镇": 1}


def test_the_wall_shows_the_county_alone(guyang):
    app = run_page("wall", level="county", item="clinics", lang="en")
    assert not app.error
    text = "".join(m.value for m in app.markdown)
    assert '<td class="name">Guyang County</td><td>66.7%</td>' in text
    assert 'class="wall-last' not in text


def test_export_previews_the_county_itself(guyang):
    app = run_page("export", level="county")
    assert not app.error
    assert widget(app.selectbox, "层级").value == "county"
    assert len(app.get("image")) == 1                        # the preview
    assert app.download_button[0].label == "下载 PNG"


@pytest.mark.parametrize("page", ["overview", "export", "wall"])
def test_a_level_above_the_county_is_still_refused(guyang, page):
    app = run_page(page, level="league")
    assert [e.value for e in app.error] == [
        "层级：盟市在固阳县（旗县区）之上，请选择 旗县区、苏木乡镇、嘎查村"]


def test_the_map_view_of_a_county_at_its_level_is_the_county(guyang):
    view = map_view(MapSource.from_store(Store(guyang)), level="county", region="150222",
                    item="clinics")
    assert list(view.units["code"]) == ["150222"]
    assert not view.units["approximate"].any()        # the county has its polygon
    assert view.table["pct"].tolist() == [CLINICS_PCT]


def test_export_map_level_county_region_150222(guyang, run, tmp_path):
    out = tmp_path / "gy.png"
    code, said, err = run("export-map", "--store", guyang, "--level", "county",
                          "--region", "150222", "--item", "clinics", "--out", out)
    assert code == 0, err
    assert "county map of 固阳县, 1 units" in said
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # A league is above the county: a usage error that names the flag.
    code, _, err = run("export-map", "--store", guyang, "--level", "league",
                       "--region", "150222", "--out", tmp_path / "no.png")
    assert code == 2 and "--level league is above 固阳县 (county)" in err
    assert not (tmp_path / "no.png").exists()


def test_the_wall_says_where_its_dots_are_approximate(guyang):
    # 固阳县's six townships have no boundary: six dots, said under the legend.
    text = "".join(m.value for m in run_page("wall").markdown)
    assert t("approximate_location", "zh", n=6) in text
    english = "".join(m.value for m in run_page("wall", level="village", lang="en").markdown)
    assert t("approximate_location", "en", n=72) in english
    # The county has its polygon: no dot, no note.
    own = "".join(m.value for m in run_page("wall", level="county").markdown)
    assert 'class="wall-legend wall-note"' not in own


def test_gaps_draws_villages_without_a_boundary_as_rings_and_says_so(guyang):
    """/gaps on the register store: the two villages without a clinic, drawn where
    geo.placement puts them, and the caption that their places are approximate."""
    app = run_page("gaps", item="clinics")
    captions = [c.value for c in app.caption]
    assert t("approximate_location", "zh", n=2) in captions
    table = app.dataframe[0].value
    assert sorted(table["code"]) == ["150222103220", "150222103224"]
