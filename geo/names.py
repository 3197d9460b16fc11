"""Unit names as offices write them, and the short forms they use.

Normalisation is deliberately narrow: width, spaces and the generic suffixes
of a village committee.  Anything looser would be a guess, and a guess that
lands one village's figures on its neighbour is worse than an unmatched row.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pandas as pd

ALIASES_FILE = Path(__file__).resolve().parent.parent / "data" / "aliases.csv"

# Committee words offices add to a village's name: 下湿壕村委会 = 下湿壕村.
_COMMITTEE_SUFFIXES = (
    ("村民委员会", "村"), ("村委会", "村"), ("村委", "村"),
    ("嘎查村民委员会", "嘎查"), ("嘎查委员会", "嘎查"), ("嘎查委会", "嘎查"),
    ("居民委员会", "社区"), ("社区居委会", "社区"), ("居委会", "社区"),
)
# Suffixes a short form drops: 固阳县 is written 固阳, 乌兰忽洞村 乌兰忽洞.
_GENERIC_SUFFIXES = ("嘎查", "村", "县", "旗", "苏木", "镇", "乡", "盟", "市")
_SPACE = re.compile(r"\s+")


def normalise(name) -> str:
    """A name in the form names are compared in.

    Full-width characters become half-width (NFKC), white space goes,
    committee words become the plain 村/嘎查/社区.

    >>> normalise(" 下湿壕村民委员会 ")
    '下湿壕村'
    >>> normalise("昆都仑区（ ）")
    '昆都仑区'
    """
    if name is None:
        return ""
    text = unicodedata.normalize("NFKC", str(name))
    text = _SPACE.sub("", text).replace("()", "")
    for long, short in _COMMITTEE_SUFFIXES:
        if text.endswith(long):
            text = text[: -len(long)] + short
            break
    return text


def stem(name: str) -> str:
    """The normalised name without one generic suffix, if two characters remain.

    >>> stem("固阳县"), stem("乌兰忽洞嘎查"), stem("东河区")
    ('固阳', '乌兰忽洞', '东河区')
    """
    text = normalise(name)
    for suffix in _GENERIC_SUFFIXES:
        if text.endswith(suffix) and len(text) - len(suffix) >= 2:
            return text[: -len(suffix)]
    return text


def name_keys(name: str, aliases=()) -> set[str]:
    """Every key a unit can be found by: its name, its aliases, their stems."""
    keys = set()
    for text in (name, *aliases):
        if text:
            keys.add(normalise(text))
            keys.add(stem(text))
    keys.discard("")
    return keys


@lru_cache(maxsize=1)
def known_aliases() -> dict[str, tuple[str, ...]]:
    """Short forms and former names by unit code, from ``data/aliases.csv``."""
    aliases: dict[str, list[str]] = {}
    with ALIASES_FILE.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            aliases.setdefault(row["code"], []).append(row["alias"])
    return {code: tuple(names) for code, names in aliases.items()}


def short_form(code: str, name: str) -> str:
    """The short form offices write for a unit (达茂旗), else its name: for map labels.

    Only short forms, never former names (哲盟 is not how 通辽市 is written today).

    >>> short_form("150223", "达尔罕茂明安联合旗"), short_form("150202", "东河区")
    ('达茂旗', '东河区')
    """
    return _short_forms().get(code, name)


@lru_cache(maxsize=1)
def _short_forms() -> dict[str, str]:
    forms: dict[str, str] = {}
    with ALIASES_FILE.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["note"] == "short form":
                forms.setdefault(row["code"], row["alias"])
    return forms


def split_aliases(text) -> list[str]:
    """Aliases are stored as one text, separated by ``|``."""
    if not text or not isinstance(text, str):
        return []
    return [a for a in text.split("|") if a]


def join_aliases(names) -> str:
    return "|".join(dict.fromkeys(n for n in names if n))


class NameIndex:
    """Units found by name: exact normalised names and aliases first, stems after.

    Parameters
    ----------
    units
        ``code, name, aliases`` of the units that are candidates.
    """

    def __init__(self, units: pd.DataFrame):
        self.names = dict(zip(units["code"], units["name"]))
        self._full: dict[str, set[str]] = {}
        self._stems: dict[str, set[str]] = {}
        for code, name, aliases in zip(units["code"], units["name"], units["aliases"]):
            others = split_aliases(aliases)
            for text in (name, *others):
                self._full.setdefault(normalise(text), set()).add(code)
            for key in name_keys(name, others):
                self._stems.setdefault(key, set()).add(code)

    def lookup(self, name) -> list[str]:
        """The codes a name can mean: one is a match, several are ambiguous."""
        found = self._full.get(normalise(name)) or self._stems.get(stem(name), set())
        return sorted(found)

    def closest(self, name, n: int = 3) -> list[str]:
        """``code name`` of the units whose names look most like ``name``."""
        by_name = {normalise(v): (c, v) for c, v in self.names.items()}
        near = difflib.get_close_matches(normalise(name), list(by_name), n=n, cutoff=0.4)
        return [f"{by_name[m][0]} {by_name[m][1]}" for m in near]
