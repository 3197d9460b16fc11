"""Unit names as offices write them, and the short forms people say.

A register names a village committee 怀朔新村村委会, 柴磴嘎查村 or 一分场（村委会）,
a township 展旦召苏木乡 or 工业街道办事处; an office writes 怀朔新村, 柴磴嘎查,
一分场, 展旦召苏木, 工业街道.  Every unit is found by the forms its name takes
once the register's committee and government words and double endings go
(:func:`written_forms`), and by their stems.  A name that more than one unit
can be written as finds them all, never one of them: a guess that lands one
village's figures on its neighbour is worse than an unmatched row.
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

# Words a register adds after a unit's own name (the committee, the office, the
# government) and the plain ending they stand for: 下湿壕村委会 = 下湿壕村,
# 工业街道办事处 = 工业街道, 金山镇人民政府 = 金山镇.  Longest first.
_OFFICE_WORDS = (
    ("嘎查村民委员会", "嘎查"), ("嘎查村委员会", "嘎查"), ("嘎查村委会", "嘎查"),
    ("嘎查牧委会", "嘎查"), ("嘎查委员会", "嘎查"), ("嘎查委会", "嘎查"),
    ("社区居民委员会", "社区"), ("社区居委会", "社区"), ("居民委员会", "社区"),
    ("居委会", "社区"),
    ("行政村民委员会", "村"), ("行政村委员会", "村"), ("行政村委会", "村"), ("行政村", "村"),
    ("村民委员会", "村"), ("村委员会", "村"), ("村委会", "村"), ("村委", "村"),
    ("街道办事处", "街道"), ("办事处", "街道"), ("人民政府", ""),
)
# A committee written in brackets after the name: 一分场（村委会） (NFKC: half-width).
_BRACKETED_OFFICE = re.compile(r"\((?:村|嘎查|社区)?(?:民|牧|居)?(?:委员会|委会|委)\)$")
# Endings a committee word may follow without adding its own: 怀朔新村 + 村委会 is
# 怀朔新村, 脑敏塔拉嘎查村 + 居委会 is 脑敏塔拉嘎查村, 一分场 + 村委会 is 一分场.
_PLAIN_ENDINGS = ("村", "嘎查", "社区", "分场", "街道", "镇", "乡", "苏木")
# Double endings of the register that offices write once: 柴磴嘎查村 = 柴磴嘎查,
# 展旦召苏木乡 = 展旦召苏木, 怀朔新村村 = 怀朔新村.
_DOUBLE_ENDINGS = (("嘎查村", "嘎查"), ("嘎查社区", "嘎查"), ("苏木乡", "苏木"), ("村村", "村"))
# Suffixes a short form drops: 固阳县 is written 固阳, 乌兰忽洞村 乌兰忽洞.
_GENERIC_SUFFIXES = ("嘎查", "村", "社区", "街道", "县", "旗", "苏木", "镇", "乡", "盟", "市")
# The kind of unit a suffix says.  A stem found under a suffix of another kind is no
# match: 锁南社区 (an urban 居委会) is not 锁南村, though both are written 锁南.
_SUFFIX_KIND = {"嘎查": "rural", "村": "rural", "社区": "urban", "街道": "township",
                "苏木": "township", "镇": "township", "乡": "township",
                "县": "county", "旗": "county", "市": "county", "盟": "league"}
_SPACE = re.compile(r"\s+")


def as_written(name) -> str:
    """The name with full-width characters half-width (NFKC), no white space and no
    empty brackets: what two spellings of one name are compared in.

    >>> as_written(" 昆都仑区（ ） ")
    '昆都仑区'
    """
    if name is None or (isinstance(name, float) and pd.isna(name)):
        return ""
    text = unicodedata.normalize("NFKC", str(name))
    return _SPACE.sub("", text).replace("()", "")


def normalise(name) -> str:
    """A name in the form names are compared in: :func:`as_written`, and the
    committee or government words as the plain ending they stand for.

    >>> normalise(" 下湿壕村民委员会 "), normalise("工业街道办事处"), normalise("金山镇人民政府")
    ('下湿壕村', '工业街道', '金山镇')
    >>> normalise("怀朔新村村委会")
    '怀朔新村村'
    """
    text = as_written(name)
    cut = _office_word(text)
    return text if cut is None else cut[0] + cut[1]


def written_forms(name) -> tuple[str, ...]:
    """Every form an office writes a name in, the register's first.

    The committee or government word as its plain ending, or left out where
    the name already ends in one (怀朔新村 + 村委会); then the register's double
    endings written once (嘎查村 → 嘎查, 苏木乡 → 苏木, 村村 → 村).

    >>> written_forms("怀朔新村村委会")
    ('怀朔新村村委会', '怀朔新村村', '怀朔新村')
    >>> written_forms("柴磴嘎查村"), written_forms("展旦召苏木乡")
    (('柴磴嘎查村', '柴磴嘎查'), ('展旦召苏木乡', '展旦召苏木'))
    """
    text = as_written(name)
    forms = [text] if text else []
    # Every office word the name ends in, longest first: 生盖营行政村委会 is written
    # 生盖营村 and 生盖营行政村.
    for n, (before, ending) in enumerate(_office_words(text)):
        # A shorter office word inside a longer one adds no ending twice: 工业街道 +
        # 办事处 is 工业街道 (the longest word, 街道办事处, said so), never 工业街道街道.
        doubled = n > 0 and ending and before.endswith(ending)
        forms.append(before if doubled else before + ending)
        if before.endswith(_PLAIN_ENDINGS) and len(before) >= 2:
            forms.append(before)
    for form in list(forms):
        while (single := _single_ending(form)) is not None:
            forms.append(single)
            form = single
    return tuple(dict.fromkeys(f for f in forms if f))


def stem(name: str) -> str:
    """The normalised name without one generic suffix, if two characters remain.

    >>> stem("固阳县"), stem("乌兰忽洞嘎查"), stem("东河区")
    ('固阳', '乌兰忽洞', '东河区')
    """
    return _strip_generic(normalise(name))


def spoken_name(name) -> str:
    """The name people say and map labels show: no committee or government words,
    the register's double endings once, and a 苏木 township by its own name.

    A generic ending stays where the name without it would be one character
    (乌苏木 stays), so a label never reads as a bare syllable.

    >>> spoken_name("小三分子村委会"), spoken_name("怀朔新村村委会"), spoken_name("柴磴嘎查村")
    ('小三分子村', '怀朔新村', '柴磴嘎查')
    >>> spoken_name("展旦召苏木乡"), spoken_name("工业街道办事处"), spoken_name("东河区")
    ('展旦召', '工业街道', '东河区')
    """
    text = as_written(name)
    cut = _office_word(text)
    if cut is not None:
        before, ending = cut
        text = before if before.endswith(_PLAIN_ENDINGS) and len(before) >= 2 \
            else before + ending
    while (single := _single_ending(text)) is not None:
        text = single
    if text.endswith("苏木") and len(text) - 2 >= 2:
        text = text[:-2]
    return text


def _office_word(text: str) -> tuple[str, str] | None:
    """(the name before the committee or government word, the plain ending it
    stands for), or None when the name ends in none."""
    bracketed = _BRACKETED_OFFICE.search(text)
    if bracketed and bracketed.start() >= 2:
        return text[:bracketed.start()], ""
    for word, ending in _OFFICE_WORDS:
        if text.endswith(word) and len(text) > len(word):
            return text[: -len(word)], ending
    return None


def _office_words(text: str) -> list[tuple[str, str]]:
    """Like :func:`_office_word`, each office word the name ends in (longest first)."""
    first = _office_word(text)
    if first is None:
        return []
    cuts = [first]
    for word, ending in _OFFICE_WORDS:
        if text.endswith(word) and len(text) > len(word) \
                and (text[: -len(word)], ending) not in cuts:
            cuts.append((text[: -len(word)], ending))
    return cuts


def _single_ending(text: str) -> str | None:
    for double, single in _DOUBLE_ENDINGS:
        if text.endswith(double) and len(text) - len(double) >= 2:
            return text[: -len(double)] + single
    return None


def _stem_and_kind(text: str) -> tuple[str, str | None]:
    """The text without one generic suffix (if two characters remain) and the kind of
    unit that suffix says; the text itself and None when it has none."""
    for suffix in _GENERIC_SUFFIXES:
        if text.endswith(suffix) and len(text) - len(suffix) >= 2:
            return text[: -len(suffix)], _SUFFIX_KIND[suffix]
    return text, None


def _strip_generic(text: str) -> str:
    for suffix in _GENERIC_SUFFIXES:
        if text.endswith(suffix) and len(text) - len(suffix) >= 2:
            return text[: -len(suffix)]
    return text


def name_keys(name: str, aliases=()) -> set[str]:
    """Every key a unit can be found by: the written forms of its name and aliases,
    and their stems."""
    keys = set()
    for text in (name, *aliases):
        if text:
            forms = written_forms(text)
            keys.update(forms)
            keys.update(_strip_generic(f) for f in forms)
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
    """The short form for a map label: the one offices write (达茂旗), else the name
    people say (:func:`spoken_name`: 小三分子村委会 → 小三分子村).

    Only short forms, never former names (哲盟 is not how 通辽市 is written today).
    Tooltips, lists and exports keep the full name.

    >>> short_form("150223", "达尔罕茂明安联合旗"), short_form("150202", "东河区")
    ('达茂旗', '东河区')
    >>> short_form("150222100207", "小三分子村委会"), short_form("150929200", "四子王旗红格尔苏木")
    ('小三分子村', '红格尔')
    """
    return _short_forms().get(code) or spoken_name(_without_county(code, name)) or name


# A township the register names with its county in front: 四子王旗红格尔苏木 is said
# 红格尔 (the county is two or more characters ending in 县/旗/市/区, the rest a
# township's name); 旗下营镇 and 新市镇 are names of their own.
_COUNTY_IN_FRONT = re.compile(r"^.{2,}?[县旗市区](?P<rest>.{2,}(?:苏木|镇|乡|街道))$")


def _without_county(code, name: str) -> str:
    """A township's name without its county in front, for a label."""
    if not (isinstance(code, str) and len(code) == 9 and isinstance(name, str)):
        return name
    match = _COUNTY_IN_FRONT.match(normalise(name))
    return match.group("rest") if match else name


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
    """Units found by name, most exact first.

    A name is looked up as written among every form a unit is written in
    (:func:`written_forms`: its name, 怀朔新村村, 怀朔新村 for 怀朔新村村委会); else
    with its committee words as their plain ending (下湿壕村民委员会 = 下湿壕村);
    else by any of its own forms; else by stems (固阳 = 固阳县).  The first of these
    that finds units gives them all: several are ambiguous.  So a unit's exact
    name never wins over another unit that an office writes the same way
    (那仁宝力格嘎查 is one village's name and another's 那仁宝力格嘎查村 written short).

    Parameters
    ----------
    units
        ``code, name, aliases`` of the units that are candidates.
    """

    def __init__(self, units: pd.DataFrame):
        self.names = dict(zip(units["code"], units["name"]))
        self._forms: dict[str, set[str]] = {}
        self._stems: dict[str, set[tuple[str, str | None]]] = {}
        for code, name, aliases in zip(units["code"], units["name"], units["aliases"]):
            for text in (name, *split_aliases(aliases)):
                forms = written_forms(text)
                for form in forms:
                    self._forms.setdefault(form, set()).add(code)
                for key, kind in {_stem_and_kind(f) for f in forms}:
                    self._stems.setdefault(key, set()).add((code, kind))

    def lookup(self, name) -> list[str]:
        """The codes a name can mean: one is a match, several are ambiguous."""
        forms = written_forms(name)
        if not forms:
            return []
        found = (self._forms.get(forms[0])
                 or self._forms.get(normalise(name))
                 or _union(self._forms, forms)
                 or self._by_stem(forms))
        return sorted(found)

    def _by_stem(self, forms) -> set[str]:
        """Units whose stem is one of ``forms``' stems, of the kind its suffix says."""
        found = set()
        for form in forms:
            # As written it may be a unit's stem (固阳 of 固阳县, 小崞县 of 小崞县村) …
            found |= {code for code, _ in self._stems.get(form, ())}
            # … and without its own suffix, a stem of a unit of the same kind.
            key, kind = _stem_and_kind(form)
            found |= {code for code, unit_kind in self._stems.get(key, ())
                      if kind is None or unit_kind is None or kind == unit_kind}
        return found

    def closest(self, name, n: int = 3) -> list[str]:
        """``code name`` of the units whose names look most like ``name``."""
        by_name = {normalise(v): (c, v) for c, v in self.names.items()}
        near = difflib.get_close_matches(normalise(name), list(by_name), n=n, cutoff=0.4)
        return [f"{by_name[m][0]} {by_name[m][1]}" for m in near]


def _union(index: dict[str, set[str]], keys) -> set[str]:
    found: set[str] = set()
    for key in keys:
        found |= index.get(key, set())
    return found
