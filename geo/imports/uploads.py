"""Checks on an uploaded file before anything reads it."""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

from geo.errors import InputError

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
        raise InputError(f"{size / 2**20:.0f} MB is more than the "
                         f"{MAX_UPLOAD_BYTES // 2**20} MB an upload may be", file=shown)
    if path.suffix.lower() == ".zip":
        _check_zip(path, shown)


def _check_zip(path: Path, shown: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
    except zipfile.BadZipFile:
        raise InputError("not a zip file", file=shown) from None
    problems = []
    for member in members:
        parts = PurePosixPath(member.filename.replace("\\", "/"))
        if parts.is_absolute() or ".." in parts.parts:
            problems.append(f"{member.filename}: a path outside the archive")
        elif parts.suffix.lower() not in SHAPEFILE_PARTS:
            problems.append(f"{member.filename}: not a part of a shapefile")
        elif member.compress_size and member.file_size / member.compress_size > MAX_RATIO:
            problems.append(f"{member.filename}: expands {member.file_size // member.compress_size}"
                            f" times, more than {MAX_RATIO}")
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED_BYTES:
        problems.append(f"{total / 2**20:.0f} MB unzipped, more than "
                        f"{MAX_UNZIPPED_BYTES // 2**20} MB")
    if not any(m.filename.lower().endswith(".shp") for m in members):
        problems.append("no .shp inside")
    if problems:
        raise InputError(f"refused zip: {problems[0]}", file=shown, details=problems[1:])
