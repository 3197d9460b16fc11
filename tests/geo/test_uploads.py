"""Uploads are checked before anything reads them."""

import zipfile

import pytest

from geo.errors import InputError
from geo.imports.uploads import check_upload


def make_zip(path, members):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_shapefile_zip_passes(tmp_path):
    check_upload(make_zip(tmp_path / "村界.zip", {"村界.shp": b"x" * 100, "村界.dbf": b"y",
                                                  "村界.shx": b"z", "村界.cpg": b"GBK"}))


@pytest.mark.parametrize("members, words", [
    ({"../../etc/passwd.shp": b"x"}, "outside the archive"),
    ({"/abs/a.shp": b"x"}, "outside the archive"),
    ({"a.shp": b"x", "run.exe": b"MZ"}, "not a part of a shapefile"),
    ({"a.dbf": b"x"}, "no .shp inside"),
    ({"a.shp": b"\0" * 5_000_000}, "expands"),
])
def test_unsafe_zips_are_refused(tmp_path, members, words):
    with pytest.raises(InputError, match=words):
        check_upload(make_zip(tmp_path / "up.zip", members))


def test_too_big_an_upload_is_refused(tmp_path):
    big = tmp_path / "big.csv"
    with big.open("wb") as f:
        f.truncate(51 * 2**20)
    with pytest.raises(InputError, match="51 MB"):
        check_upload(big)
