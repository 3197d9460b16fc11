"""The wall's reading of a store that may be gone: the last figures kept, the reason
logged; any other error surfaces."""

import logging
import shutil

import pytest

from geo.demo import demo_store
from geo.errors import UsageError
from geo.store import store_version
from ui.wall.store import latest_board, read_version


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "wall.gpkg"
    shutil.copyfile(demo_store(progress=False).path, path)
    return str(path)


def test_a_store_gone_has_no_version_and_says_why_in_the_log(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="ui.wall.store"):
        assert read_version(str(tmp_path / "gone.gpkg")) is None
    assert "FileNotFoundError" in caplog.text and "gone.gpkg" in caplog.text


def test_a_store_lost_between_two_reads_keeps_the_last_board(store, tmp_path, caplog):
    good, lost = latest_board(store, store_version(store), level="county", region="150200",
                              as_of=None)
    assert (good.days_left, lost) == (29, False)
    # A store whose version was read goes away (a share unmounted) before its
    # figures are: the last good board stays up.
    replaced = tmp_path / "replaced.gpkg"
    shutil.copyfile(store, replaced)
    version = store_version(replaced)
    shutil.move(replaced, tmp_path / "away.gpkg")
    with caplog.at_level(logging.WARNING, logger="ui.wall.store"):
        kept, lost = latest_board(str(replaced), version, level="county", region="150200",
                                  as_of=None)
    assert kept is good and lost
    assert "StoreError" in caplog.text and "no store at" in caplog.text


def test_no_version_keeps_the_last_board(store):
    good, _ = latest_board(store, store_version(store), level="county", region="150200",
                           as_of=None)
    assert latest_board(store, None, level="county", region="150200", as_of=None) == (
        good, True)


def test_any_other_error_surfaces(store):
    # A region the store does not hold is a mistake, not a store gone.
    with pytest.raises(UsageError, match="999999"):
        latest_board(store, store_version(store), level="county", region="999999",
                     as_of=None)
