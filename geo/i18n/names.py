"""Units' names in English: the known name, else pinyin with the ending translated."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin

from geo.errors import UsageError
from geo.i18n.words import LANGS, english_names, name_endings

# Readings that place names (mostly Mongolian ones written in Chinese) use,
# where pypinyin's everyday reading is another: 郭勒 guole, 呼都格 hudug.
_PLACE_READINGS = {"勒": "le", "都": "du", "什": "shi"}


def unit_name(name: str, lang: str = "zh", *, english: dict | None = None) -> str:
    """A unit's name in ``lang``.

    Parameters
    ----------
    name
        The Chinese name as stored (``固阳县``).
    lang
        ``"zh"`` returns ``name`` as it is.
    english
        Names a user knows in English, which win over ``data/words/unit_names.toml``.

    Returns
    -------
    str
        In English: the known name, else pinyin written as one word with
        the generic ending translated: ``固阳县`` → ``Guyang County``,
        ``新村`` → ``Xin Village``, ``巴彦镇`` → ``Bayan Town``.  Every banner,
        county and league of Inner Mongolia is known: ``乌拉特中旗`` →
        ``Urad Middle Banner``.
    """
    if lang not in LANGS:
        raise UsageError(f"lang {lang!r} is not one of {', '.join(LANGS)}")
    if lang == "zh":
        return name
    name = name.strip()
    for table in (english or {}, english_names()):
        if name in table:
            return table[name]
    for suffix, word in name_endings():
        if name.endswith(suffix) and len(name) > len(suffix):
            return f"{_pinyin_word(name[:-len(suffix)])} {word}"
    return _pinyin_word(name)


def _pinyin_word(text: str) -> str:
    """Chinese written as one pinyin word: ``达尔罕`` → ``Da'erhan``."""
    syllables = lazy_pinyin(text, style=Style.NORMAL)
    if len(syllables) == len(text):  # one syllable a character: no Latin runs
        syllables = [_PLACE_READINGS.get(c, s) for c, s in zip(text, syllables)]
    word = ""
    for syllable in syllables:
        # Pinyin's apostrophe: a syllable starting with a, o or e after
        # another would otherwise run into it (Xi'an, not Xian).
        if word and syllable[:1] in ("a", "o", "e") and word[-1:].isalpha():
            word += "'"
        word += syllable
    return word[:1].upper() + word[1:]
