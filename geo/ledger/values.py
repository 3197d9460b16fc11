"""The words and cells of a progress ledger (台账): what a header means, what
a cell holds.

Offices write the same thing many ways ("1,193", "１２３", "12.5公里",
"—"); everything here turns one header or one cell into plain values and
says, for a cell it cannot read, what it expected.  The words a header may
say, role by role, are data (``data/words/headers.toml``), read once; the
item and field words are the programme's.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path

from geo.i18n.errors import Phrase
from geo.programme import Item, Programme

# The words each column role answers to, by role: data, so that a new office's
# word is a line of data/words/headers.toml.
HEADERS_FILE = Path(__file__).resolve().parents[2] / "data" / "words" / "headers.toml"
LEVEL_RANK = {"league": 1, "county": 2, "township": 3, "village": 4}
TOTAL_WORDS = ("合计", "小计", "总计")
NA_MARKS = {"—", "——", "-", "--", "–", "/", "－", "／", "―", "不适用", "无需"}
_TRAILER = re.compile(
    r"^(注|说明|备注)\s*[:：0-9一二三、.]|"
    r"^(填报人|填表人|审核人|制表人|统计人|负责人|联系人|单位负责人|分管领导)"
)
_BRACKETS = re.compile(r"[(\[【〔][^)\]】〕]*[)\]】〕]")
_BRACKETED = re.compile(r"[(\[【〔]([^)\]】〕]*)[)\]】〕]")
# Two words of one level written as one header: 苏木/乡镇, 乡镇、苏木.
_WORD_SEPARATORS = re.compile(r"[/、|·,]")
_NUMBER = re.compile(r"[+]?(\d+(?:\.\d*)?|\.\d+)([%A-Za-z\u4e00-\u9fff]{0,4})")
_SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE][+]?\d+")
_AS_OF = re.compile(
    r"截[至止](?:日期|时间|到)?\s*:?\s*(\d{4})\s*(?:年|[-./])\s*(\d{1,2})"
    r"\s*(?:月|[-./])\s*(\d{1,2})"
)


class BadCell(ValueError):
    """A cell that does not hold what its column expects (internal): ``expected`` says
    what it should hold, in words of either language."""

    def __init__(self, expected: str, **fields):
        self.expected = Phrase(expected, **fields)
        super().__init__(expected)

    def __str__(self) -> str:
        return self.expected.text("en")


def text_of(value) -> str:
    """A cell as text a person would read: '' for blank, 150222 not 150222.0."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def fold(text: str) -> str:
    """Full-width to half-width (１２３ → 123, ， → ,), whitespace removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def header_key(value) -> str:
    """A header as compared with the programme's words: folded, units in
    brackets (（户） (公里)) and a trailing % or colon removed."""
    return _BRACKETS.sub("", fold(text_of(value))).rstrip("%:")


@lru_cache(maxsize=1)
def header_words() -> dict[str, dict[str, tuple[str, ...]]]:
    """The words of ``data/words/headers.toml``: role → kind → words, each word
    as :func:`header_key` makes it, so a word written in full width still matches.

    >>> "苏木镇" in header_words()["township"]["words"]
    True
    """
    with HEADERS_FILE.open("rb") as f:
        raw = tomllib.load(f)
    return {role: {kind: tuple(dict.fromkeys(header_key(w) for w in words))
                   for kind, words in table.items()}
            for role, table in raw.items()}


def is_personal(key: str) -> bool:
    return any(part in key for part in header_words()["personal"]["parts"])


def is_code_word(key: str) -> bool:
    code = header_words()["code"]
    return (key.upper() in (w.upper() for w in code["words"])
            or key.endswith(code["endings"]))


def name_level(key: str, programme: Programme):
    """(True, level or None) when ``key`` names a unit-name column.

    A level's word names it bare (苏木镇), before a name ending (嘎查村名称),
    after a parent's prefix (所属乡镇) or paired with another word of the same
    level (苏木/乡镇).
    """
    levels = _level_of_word(tuple(programme.levels["zh"].items()))
    is_name, level = _word_level(key, levels)
    if is_name:
        return True, level
    for prefix in header_words()["parent"]["prefixes"]:
        if key.startswith(prefix):
            is_name, level = _word_level(key[len(prefix):], levels)
            # 所属单位 says no level: no parent can be told from it.
            if is_name and level is not None:
                return True, level
    return False, None


def _word_level(key: str, levels: dict[str, str | None]) -> tuple[bool, str | None]:
    """A level word, bare, before a name ending or paired with one of its level."""
    endings = header_words()["name"]["endings"]
    for bare in (key, *(key[:-len(e)] for e in endings if key.endswith(e))):
        if bare in levels:
            return True, levels[bare]
        parts = _WORD_SEPARATORS.split(bare)
        if len(parts) > 1 and all(p in levels for p in parts):
            found = {levels[p] for p in parts}
            if len(found) == 1:
                return True, found.pop()
    return False, None


def header_level(value, programme: Programme):
    """(True, level or None) when a header cell names a unit-name column.

    As :func:`name_level` on its :func:`header_key`; a name that says no level
    takes the one its bracket says (单位名称（嘎查村）).
    """
    is_name, level = name_level(header_key(value), programme)
    if is_name and level is None:
        for inner in _BRACKETED.findall(fold(text_of(value))):
            inner_name, inner_level = name_level(inner, programme)
            if inner_name and inner_level is not None:
                return True, inner_level
    return is_name, level


@lru_cache(maxsize=8)
def _level_of_word(programme_levels: tuple[tuple[str, str], ...]) -> dict[str, str | None]:
    """Every unit-name word → its level (None: the unit word, level unsaid),
    the programme's own level words (its ``[levels.zh]``) included."""
    words = header_words()
    levels = dict.fromkeys(words["unit"]["words"])
    for level in LEVEL_RANK:
        levels.update(dict.fromkeys(words[level]["words"], level))
    levels.update({header_key(w): lvl for lvl, w in programme_levels if lvl in LEVEL_RANK})
    return levels


def is_ignored_word(key: str) -> bool:
    return key.startswith(header_words()["ignored"]["starts"])


def field_of(key: str, programme: Programme) -> str | None:
    """The field ('target', 'started', 'completed', 'status') a word names."""
    if not key:
        return None
    for candidate in (key, key.rstrip("数量")):
        for field, words in programme.fields.items():
            if candidate in words:
                return field
    if key in header_words()["status"]["words"]:
        return "status"
    return None


def match_item(key: str, programme: Programme) -> tuple[Item, str | None] | None:
    """The item a header names and the field it carries, if any.

    Header words are tried longest first, so 嘎查村标准化卫生室 is not read
    as 卫生室 plus something; a header may carry its field before or after
    the item word (危房改造任务, 完工危房改造).
    """
    if not key:
        return None
    words = sorted(
        ((word, item) for item in programme.items
         for word in {*item.headers, item.zh, item.short_zh}),
        key=lambda pair: -len(pair[0]),
    )
    for word, item in words:
        if key == word:
            return item, None
        for rest in ((key[len(word):] if key.startswith(word) else None),
                     (key[:-len(word)] if key.endswith(word) else None)):
            field = field_of(rest, programme) if rest else None
            if field:
                return item, field
    return None


def total_kind(value) -> str | None:
    """'小计' or '合计' for a total row's label cell (总计, 全市合计, 总 计)."""
    key = fold(text_of(value))
    if "小计" in key:
        return "小计"
    if "合计" in key or "总计" in key:
        return "合计"
    return None


def is_trailer(value) -> bool:
    """A note or signature line below the table (注：…, 填报人：…)."""
    return bool(_TRAILER.match(fold(text_of(value))))


def read_number(value) -> tuple[float, str]:
    """A figure from a cell: (value, 'num'), (nan, 'blank') or (nan, 'na').

    Raises
    ------
    BadCell
        When the cell holds words or a negative number.
    """
    if isinstance(value, bool):
        raise BadCell("a_number")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return math.nan, "blank"
        if value < 0:
            raise BadCell("a_number_not_negative")
        return float(value), "num"
    raw = text_of(value)
    if not raw:
        return math.nan, "blank"
    if raw in NA_MARKS or fold(raw) in NA_MARKS:
        return math.nan, "na"
    # Thousands separators (ASCII or full-width, folded) and inner spaces go.
    text = fold(raw).replace(",", "")
    match = _NUMBER.fullmatch(text)
    if not match:
        raise BadCell("a_figure")
    return float(match.group(1)), "num"


def read_status(value, programme: Programme) -> str | None:
    """A binary item's status word; None for a blank cell."""
    raw = text_of(value)
    if not raw:
        return None
    status = programme.status_of(raw) or programme.status_of(fold(raw))
    if status is None:
        words = "/".join(words[0] for words in programme.status_words.values())
        raise BadCell("a_status_word", words=words)
    return status


def read_code(value) -> str | None:
    """A unit code as digits in text; Excel's 150222000000.0 loses its '.0'."""
    if isinstance(value, float) and not math.isnan(value) and not value.is_integer():
        raise BadCell("a_code")
    text = fold(text_of(value)).lstrip("'")
    if not text or text in NA_MARKS:
        return None
    if text.isdigit():
        return text
    if _SCIENTIFIC.fullmatch(text):
        raise BadCell("a_code_not_scientific")
    raise BadCell("a_code")


def read_as_of(text: str) -> dt.date | None:
    """The date of a '截至2016年8月10日' / '截止日期：2016-08-10' line."""
    match = _AS_OF.search(unicodedata.normalize("NFKC", text))
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def fmt(x: float) -> str:
    """A figure as an office writes it: 8,656 or 12.5."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.4f}".rstrip("0").rstrip(".")
