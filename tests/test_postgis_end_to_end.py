"""Every command and page on a PostGIS store, as on a GeoPackage: Baotou with two
ledger rounds (08-10, then 固阳县 again on 08-25), copied into a real database."""

import json

import pytest

from geo.store import Store, copy_store
from tests.conftest import run_page


@pytest.fixture(scope="module")
def two_rounds_db(two_rounds, postgres):
    url = postgres()
    copy_store(two_rounds.path, url)
    return url


def test_every_command_answers_on_postgis_as_on_the_geopackage(two_rounds, two_rounds_db,
                                                               tmp_path, run):
    for args in (["units", "--level", "county", "--format", "json"],
                 ["summary", "--level", "county", "--format", "json"],
                 ["gaps", "--format", "json"]):
        answers = [run(*args, "--store", where) for where in (two_rounds.path, two_rounds_db)]
        assert answers[0][0] == answers[1][0] == 0, answers[1][2]
        assert json.loads(answers[0][1]) == json.loads(answers[1][1])
    # 固阳县 housing on 08-25: 2,028 of 3,120 = 65 %.
    summary = json.loads(run("summary", "--level", "county", "--item", "housing", "--format",
                             "json", "--store", two_rounds_db)[1])
    assert {r["code"]: r["pct"] for r in summary}["150222"] == pytest.approx(65.0)
    outputs = {
        "template": ["template", "--region", "150200", "--level", "county",
                     "--out", tmp_path / "t.xlsx"],
        "gaps xlsx": ["gaps", "--format", "xlsx", "--out", tmp_path / "g.xlsx"],
        "export-map": ["export-map", "--region", "150200", "--level", "county",
                       "--out", tmp_path / "m.png"],
        "briefing": ["briefing", "--region", "150200", "--out", tmp_path / "b.pptx"],
    }
    for what, args in outputs.items():
        code, _, err = run(*args, "--store", two_rounds_db)
        assert code == 0, (what, err)
        assert args[-1].stat().st_size > 1000, what


@pytest.mark.parametrize("page, params", [("overview", {"region": "150200"}),
                                          ("gaps", {"region": "150222"}),
                                          ("export", {"region": "150200"}),
                                          ("data", {}),
                                          ("wall", {"region": "150200"})])
def test_every_page_opens_on_postgis(two_rounds_db, monkeypatch, page, params):
    monkeypatch.delenv("COVERMAP_ACCOUNTS", raising=False)
    monkeypatch.setenv("COVERMAP_STORE", two_rounds_db)
    app = run_page(page, **params)
    assert not app.error, [e.value for e in app.error]
    shown = " ".join(str(e.value) for e in [*app.subheader, *app.markdown, *app.dataframe])
    assert ("固阳" if page in ("gaps", "wall") else "包头市") in shown
    assert Store(two_rounds_db).imports()["kind"].tolist() == ["progress", "progress"]
