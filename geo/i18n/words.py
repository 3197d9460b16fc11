"""The vocabulary: every word a person reads, read once from ``data/words/``.

Each table there has one shape, ``key = { zh = "…", en = "…" }`` (TOML, UTF-8):
the words of the pages, maps, decks and office lists (:data:`VOCABULARY_FILES`,
one key space), units' English names keyed by code (``unit_names.toml``) and the
generic endings of names (``name_endings.toml``).  A word is written once; a key
that the pages put together (``wall_{class}``, ``import_{column}``) and that means
a word already written names it in :data:`ALIASES`.
"""

from __future__ import annotations

import string
import tomllib
from functools import cache
from pathlib import Path

WORDS_DIR = Path(__file__).resolve().parents[2] / "data" / "words"
# The tables :func:`vocabulary` reads, in this order; a key is in one of them only.
VOCABULARY_FILES = ("ui", "exit", "supervision", "maps", "deck", "sheets")
LANGS = ("zh", "en")

# Keys that say a word written under another key: the pages compose them
# (import_{column}, size_{size}, wall_mode_{mode}, wall_{class}, sup_{field}) or a
# second programme names the same item (safe_water, water).
ALIASES = {
    "import_as_of": "as_of", "import_file": "file", "import_level": "level",
    "import_matched": "matched", "import_rows_read": "rows_read",
    "import_unmatched": "unmatched", "kind_sites": "sites", "kind_undo": "undo",
    "km": "distance_km",
    "size_wall": "wall", "wall_mode_value": "completion", "wall_mode_exit": "exit_check_year",
    "wall_stalled": "stalled", "wall_pace_unknown": "pace_unknown",
    "sup_village": "village", "sup_col_village": "village", "sup_col_overdue": "sup_n_overdue",
    "glyph_safe_water": "glyph_water", "glyph_electricity": "glyph_power",
    "glyph_hardened_road": "glyph_roads", "glyph_culture_room": "glyph_culture",
    "glyph_clinic": "glyph_clinics",
}
# ... and those written in lower case, as the words around them are (the wall's classes).
LOWER_CASE_ALIASES = {"wall_no_data": "no_data"}


def read_table(path: Path) -> dict[str, tuple[str, str]]:
    """One word table: key → (Chinese, English).

    Raises
    ------
    ValueError
        An entry is not ``{ zh = "…", en = "…" }`` with both words written, or
        its two words take different ``{fields}``; names the file and the key.
    """
    with open(path, "rb") as f:
        raw = tomllib.load(f)
    table = {}
    for key, entry in raw.items():
        if not (isinstance(entry, dict) and set(entry) == set(LANGS)
                and all(isinstance(entry[lang], str) and entry[lang].strip()
                        for lang in LANGS)):
            raise ValueError(f"{path.name}: {key!r} is {entry!r}, expected "
                             '{ zh = "…", en = "…" } with both words written')
        if fields(entry["zh"]) != fields(entry["en"]):
            raise ValueError(f"{path.name}: {key!r} takes {sorted(fields(entry['zh']))} in "
                             f"Chinese but {sorted(fields(entry['en']))} in English")
        table[key] = (entry["zh"], entry["en"])
    return table


def fields(text: str) -> set[str]:
    """The ``{fields}`` a format string takes (``{{`` is a brace, not a field)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@cache
def vocabulary() -> dict[str, tuple[str, str]]:
    """Every key of :func:`geo.i18n.t`, aliases included: key → (Chinese, English).

    Raises
    ------
    ValueError
        A key is in two tables, or an alias names no word.
    """
    words: dict[str, tuple[str, str]] = {}
    for name in VOCABULARY_FILES:
        table = read_table(WORDS_DIR / f"{name}.toml")
        twice = sorted(set(table) & set(words))
        if twice:
            raise ValueError(f"{name}.toml: {', '.join(twice)} already in another table")
        words |= table
    both = sorted((set(ALIASES) | set(LOWER_CASE_ALIASES)) & set(words))
    if both:
        raise ValueError(f"{', '.join(both)}: written in a table and an alias too")
    for alias, key in ALIASES.items():
        words[alias] = words[key]
    for alias, key in LOWER_CASE_ALIASES.items():
        words[alias] = tuple(word.lower() for word in words[key])
    return words


@cache
def english_names() -> dict[str, str]:
    """Units' known English names by their Chinese name (``unit_names.toml``)."""
    return dict(read_table(WORDS_DIR / "unit_names.toml").values())


@cache
def name_endings() -> tuple[tuple[str, str], ...]:
    """Generic endings and their English, longest first: 右翼前旗 wins over 旗."""
    endings = read_table(WORDS_DIR / "name_endings.toml").values()
    return tuple(sorted(endings, key=lambda pair: -len(pair[0])))
