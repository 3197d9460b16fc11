"""The wall page in-process (AppTest): a store lost keeps the figures with a notice,
and a mode whose check does not apply shows progress under its own legend."""

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from geo.demo import demo_store
from geo.i18n import t
from tests.conftest import ROOT, run_page


def html(app: AppTest) -> str:
    return "".join(m.value for m in app.markdown)


@pytest.fixture
def store_copy(tmp_path, monkeypatch):
    path = tmp_path / "wall.gpkg"
    shutil.copyfile(demo_store(progress=False).path, path)
    monkeypatch.setenv("COVERMAP_STORE", str(path))
    return path


def test_a_store_gone_keeps_the_last_figures_with_a_notice(store_copy, tmp_path):
    app = AppTest.from_file(str(ROOT / "views" / "wall.py"), default_timeout=180)
    app.query_params["region"] = "150200"
    app.run()
    assert 'class="wall-lost"' not in html(app)
    shutil.move(store_copy, tmp_path / "away.gpkg")
    app.run()
    assert not app.exception and not app.error
    text = html(app)
    assert f'<span class="wall-lost">{t("wall_lost", "zh")}</span>' in text
    assert '<span class="wall-countdown-days">29</span>' in text
    assert '<tr class="wall-last status-will_miss"><td>9</td><td class="name">固阳县' in text


@pytest.mark.parametrize("mode", ["problems", "exit"])
def test_a_mode_that_does_not_apply_shows_progress(demo_env, mode):
    # The demo has no supervision problems and no exit rules: its completion, under
    # the completion legend (the page once wrote "{d}" or "{year}" there).
    text = html(run_page("wall", region="150200", mode=mode))
    assert '<div class="wall-legend"><b>完成率</b>' in text
    assert "{" not in text.split("</style>")[1]
    assert "十个全覆盖 · 包头市 · 综合完成率" in text
