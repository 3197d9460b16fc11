"""The words of the UI in Chinese (the default) and English.

Pages, maps, decks and exports take every word from :func:`t`, whose
vocabulary is read from ``data/words/`` (:mod:`geo.i18n.words`); item and
level words come from the programme (:func:`item_label`, :func:`level_label`);
unit names from :func:`unit_name`, which writes a name in English where one
is known and in pinyin otherwise.
"""

from __future__ import annotations

from geo.errors import UsageError
from geo.i18n.names import unit_name
from geo.i18n.words import LANGS, english_names, vocabulary
from geo.programme import Item, Programme

__all__ = ["LANGS", "WORDS", "ENGLISH_NAMES", "t", "pair", "item_label", "level_label",
           "unit_name", "synthetic_mark"]

# key → (Chinese, English), aliases included; entries with {fields} are format strings.
WORDS: dict[str, tuple[str, str]] = vocabulary()
# A unit's known English name by its Chinese one (达尔罕茂明安联合旗 → Darhan Muminggan
# United Banner).
ENGLISH_NAMES: dict[str, str] = english_names()


def t(key: str, lang: str = "zh", **fields) -> str:
    """A UI word in ``lang``; with ``fields``, the format string filled in.

    Parameters
    ----------
    key
        A key of the vocabulary (``"overview"``, ``"days_to"`` …).
    lang
        ``"zh"`` or ``"en"``.
    **fields
        Values for a format string: ``t("days_to", "en", n=12,
        milestone="final assessment")`` gives ``"12 days to final assessment"``.

    Raises
    ------
    UsageError
        ``lang`` is not one of :data:`LANGS`.
    KeyError
        ``key`` is not a UI word (a bug in the caller, not a user's error).
    """
    words = vocabulary()[key]
    text = words[_lang_index(lang)]
    return text.format(**fields) if fields else text


def pair(key: str) -> tuple[str, str]:
    """A word in both languages, ``(Chinese, English)``: for tables indexed by
    ``lang == "en"``, such as :data:`geo.supervision.problems.CATEGORIES`."""
    return vocabulary()[key]


def synthetic_mark() -> str:
    """The mark on anything drawn from synthetic data, in both languages at once
    whatever the page's: ``示例数据 / synthetic data``."""
    zh, en = pair("synthetic_data")
    return f"{zh} / {en}"


def item_label(item: Item, lang: str = "zh", *, full: bool = False) -> str:
    """An item's name: short (``危房改造``, ``Housing``) or the official one with ``full``."""
    if _lang_index(lang) == 0:
        return item.zh if full else item.short_zh
    return item.en if full else (item.short_en or item.en)


def level_label(programme: Programme, level: str, lang: str = "zh") -> str:
    """What the programme calls a level (``旗县区``, ``banner/county``)."""
    return programme.level_word(level, LANGS[_lang_index(lang)])


def _lang_index(lang: str) -> int:
    if lang not in LANGS:
        raise UsageError(f"lang {lang!r} is not one of {', '.join(LANGS)}")
    return LANGS.index(lang)
