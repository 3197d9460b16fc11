"""Checks on an uploaded file before anything reads it."""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

from geo.errors import InputError
from geo.i18n.errors import Phrase

MAX_UPLOAD_BYTES = 50 * 2**20
MAX_UNZIPPED_BYTES = 500 * 2**20
MAX_RATIO = 100          # a zip bomb expands thousands of times
SHAPEFILE_PARTS = {".shp", ".shx", ".dbf", ".prj", ".cpg", ".sbn", ".sbx", ".qix", ".qpj",
                   ".xml", ".fix"}


def check_upload(path: str | Path, *, name: str | None = None) -> None:
    """Refuse an upload that is too big, or a zip that is not just a shapefile.

    Raises
    ------
    InputError
        Naming the file and what is wrong with it.
    """
    path = Path(path)
    shown = name or path.name
    size = path.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        raise InputError(reason="upload_too_big", param="file", file=shown, mb=size / 2**20,
                         most=MAX_UPLOAD_BYTES // 2**20)
    if path.suffix.lower() == ".zip":
        _check_zip(path, shown)


def _check_zip(path: Path, shown: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
    except zipfile.BadZipFile:
        raise InputError(reason="not_a_zip", param="file", file=shown) from None
    problems = []
    for member in members:
        parts = PurePosixPath(member.filename.replace("\\", "/"))
        if parts.is_absolute() or ".." in parts.parts:
            problems.append(Phrase("zip_path_outside", member=member.filename))
        elif parts.suffix.lower() not in SHAPEFILE_PARTS:
            problems.append(Phrase("zip_not_shapefile_part", member=member.filename))
        elif member.compress_size and member.file_size / member.compress_size > MAX_RATIO:
            problems.append(Phrase("zip_expands", member=member.filename, most=MAX_RATIO,
                                   ratio=member.file_size // member.compress_size))
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED_BYTES:
        problems.append(Phrase("zip_too_big", mb=total / 2**20,
                               most=MAX_UNZIPPED_BYTES // 2**20))
    if not any(m.filename.lower().endswith(".shp") for m in members):
        problems.append(Phrase("zip_no_shp"))
    if problems:
        raise InputError(reason="refused_zip", param="file", file=shown, problem=problems[0],
                         details=[InputError(reason="zip_problem", param="file", problem=p)
                                  for p in problems[1:]])
