"""Errors in the user's language: a :class:`geo.errors.CovermapError` as a sentence.

The words live in ``data/words/errors.toml``: per reason a Chinese and an
English sentence whose ``{label}`` names the input that was wrong the way the
edge calls it — ``--region`` on the command line, 区域 / Region on a page —
``{value}`` the value given, and the error's other fields by name.  A field may
be a :class:`Phrase` (a part of a sentence that has its own words, under
``[phrases.KEY]``: what a cell was expected to hold, a hint); ``rows`` is a list
of row numbers, shown as :func:`row_list` shows them.

What an import reports is said the same way: why a row joined no unit (a
:class:`Phrase`, stored in the ``unmatched`` table as its English sentence, its key
and its fields: :func:`reason_columns`, :func:`stored_reason`) and the readers'
warnings (a :class:`Sentence`, the English sentence that knows its words).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ERROR_WORDS = Path(__file__).resolve().parents[2] / "data" / "words" / "errors.toml"
REPORT_WORDS = ERROR_WORDS.with_name("reports.toml")


@cache
def error_words() -> dict:
    """``{"reasons": {reason: {"zh", "en"}}, "params": {param: {"zh", "en"}}, ...}``."""
    with open(ERROR_WORDS, "rb") as f:
        return tomllib.load(f)


@dataclass(init=False)
class Phrase:
    """A part of an error's sentence with words of its own (``[phrases.KEY]`` of the
    error words), and its own fields: ``Phrase("a_status_word", words="已完成/未完成")``."""

    key: str
    fields: dict

    def __init__(self, key: str, **fields):
        self.key, self.fields = key, fields

    def text(self, lang: str, label: str = "") -> str:
        """The phrase in ``lang``, its fields filled in (``label`` as its sentence's)."""
        sentence = error_words()["phrases"][self.key][lang]
        return sentence.format_map(_Fields(label=label, **_rendered(self.fields, lang, label)))

    def fields_json(self) -> str:
        """The fields as JSON text (a phrase inside as ``{"phrase", "fields"}``), as the
        store keeps them beside the key."""
        return json.dumps(self.fields, ensure_ascii=False, default=_jsonable)

    @classmethod
    def from_json(cls, key: str, fields: str | None) -> "Phrase":
        """The phrase ``key`` with its fields as :meth:`fields_json` wrote them."""
        return cls(key, **json.loads(fields or "{}", object_hook=_phrase_hook))


class Sentence(str):
    """An English sentence that can be said in Chinese too: a warning of an import.

    The string is the sentence in English, as reports stored it and scripts read
    it; ``phrase`` holds its words' key and fields, and :meth:`text` says it in
    either language: ``Sentence("warn_geometry_repaired", rows=[1])``.
    """

    phrase: Phrase

    def __new__(cls, key: str, **fields):
        phrase = Phrase(key, **{name: _plain(value) for name, value in fields.items()})
        sentence = super().__new__(cls, phrase.text("en"))
        sentence.phrase = phrase
        return sentence

    def text(self, lang: str) -> str:
        """The sentence in ``lang``."""
        return self.phrase.text(lang)

    def as_dict(self) -> dict:
        """Its words as a stored report keeps them: ``{"key", "fields"}``."""
        return {"key": self.phrase.key,
                "fields": json.loads(self.phrase.fields_json())}

    def __reduce__(self):
        return _sentence, (self.phrase.key, self.phrase.fields)


def _sentence(key: str, fields: dict) -> Sentence:
    return Sentence(key, **fields)


def said(sentence, lang: str) -> str:
    """A warning or a reason in ``lang``: a :class:`Sentence` or :class:`Phrase` in its
    words, any other text (an old import's) as it was written."""
    if isinstance(sentence, (Sentence, Phrase)):
        return sentence.text(lang)
    return "" if sentence is None else str(sentence)


def stored_sentence(text: str, words: dict | None) -> str:
    """A warning as a stored report holds it (its English ``text`` and, since the
    warnings have words, ``{"key", "fields"}``): a :class:`Sentence` when it has words."""
    if not words:
        return text
    fields = json.loads(json.dumps(words.get("fields") or {}), object_hook=_phrase_hook)
    return Sentence(words["key"], **fields)


def reason_columns(reason: Phrase) -> dict:
    """Why a row joined no unit, as the ``unmatched`` table keeps it: ``reason`` (the
    English sentence, as before there were words), ``reason_key``, ``reason_fields``."""
    return {"reason": reason.text("en"), "reason_key": reason.key,
            "reason_fields": reason.fields_json()}


def stored_reason(row) -> Phrase | str:
    """The reason of an unmatched row (a dict, a Series or a named tuple): its
    words when it has a key, else the sentence an older import stored."""
    get = row.get if hasattr(row, "get") else lambda name: getattr(row, name, None)
    key = get("reason_key")
    if isinstance(key, str) and key:
        return Phrase.from_json(key, get("reason_fields"))
    reason = get("reason")
    return reason if isinstance(reason, str) else ""


def _plain(value):
    """numpy's scalars and arrays as Python's, so that a sentence reads (and stores)
    ``5``, not ``np.int64(5)``."""
    if hasattr(value, "tolist") and not isinstance(value, (str, Phrase)):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _jsonable(value):
    if isinstance(value, Phrase):
        return {"phrase": value.key, "fields": value.fields}
    if hasattr(value, "tolist"):
        return value.tolist()
    return str(value)


def _phrase_hook(given: dict):
    if set(given) == {"phrase", "fields"}:
        return Phrase(given["phrase"], **given["fields"])
    return given


def row_list(rows, lang: str = "en", limit: int = 20) -> str:
    """Row numbers for a message: ``3, 5, 9``, the first ``limit`` and how many more.

    >>> row_list([3, 5, 9]), row_list(range(1, 6), limit=2), row_list([3, 5, 9], "zh")
    ('3, 5, 9', '1, 2 and 3 more', '3、5、9')
    """
    rows = [int(r) for r in rows]
    more = len(rows) - limit
    if lang == "zh":
        return "、".join(map(str, rows[:limit])) + (f" 等 {len(rows)} 行" if more > 0 else "")
    return ", ".join(map(str, rows[:limit])) + (f" and {more} more" if more > 0 else "")


@cache
def _report_words() -> dict:
    with open(REPORT_WORDS, "rb") as f:
        return tomllib.load(f)


def report_word(key: str, lang: str) -> str:
    """A line of an import report (``data/words/reports.toml``) in ``lang``, its
    ``{fields}`` still to fill."""
    return _report_words()[key][lang]


def level_word(level: str, lang: str) -> str:
    """A level as a report or error names it: 嘎查村 / village (unknown levels as given);
    several, as a units import names them (``"township, village"``), each so.

    >>> level_word("township, village", "zh")
    '苏木乡镇、嘎查村'
    """
    if ", " in level:
        return ("、" if lang == "zh" else ", ").join(level_word(one, lang)
                                                    for one in level.split(", "))
    words = error_words()["levels"].get(level)
    return words[lang] if words else level


def param_label(param: str, lang: str) -> str:
    """The input's plain name in ``lang``: 区域 / region."""
    words = error_words()["params"].get(param)
    return words[lang] if words else param


def cli_flag(param: str) -> str:
    """How the command line names an input: ``as_of`` → ``--as-of``."""
    return "--" + param.replace("_", "-")


def error_text(error, lang: str = "en", *, label: str | None = None) -> str:
    """``error`` as one sentence in ``lang``; ``label`` names its input (default its
    plain name), prefixed by where in a file it is, for an input error."""
    body = _body(error, lang, label)
    where = _where(error, lang)
    return f"{where}{_COLON[lang]}{body}" if where else body


def _body(error, lang: str, label: str | None) -> str:
    """The error's sentence without where in a file it is."""
    if error.reason is None:
        return error.message or ""
    sentence = error_words()["reasons"][error.reason][lang]
    named = label if label is not None else param_label(error.param or "", lang)
    return sentence.format_map(_Fields(label=named, **_fields(error, lang, named)))


def detail_lines(error, lang: str = "en", *, label: str | None = None) -> list[str]:
    """The further problems an error lists, one line each in ``lang``: a detail is a
    sentence already written, or an error of its own (a row and column of the same
    file, with its reason), or a report (an import refused by ``--strict`` lists its
    report: anything with ``detail_lines(lang)``).  ``label`` names the input of the
    details that share the error's ``param``, as :func:`error_text`'s does (the CLI's
    ``--crs``)."""
    lines = []
    for detail in error.details:
        if isinstance(detail, str):
            lines.append(detail)
        elif hasattr(detail, "detail_lines"):
            lines += detail.detail_lines(lang)
        else:
            same = detail.param == error.param
            lines.append(error_text(detail, lang, label=label if same else None))
    return lines


class _Fields(dict):
    """A sentence's fields; a ``{x_zh}`` with no Chinese word for ``x`` (a level not
    in the words) shows ``x`` as given."""

    def __missing__(self, key: str):
        if key.endswith("_zh") and key[:-3] in self:
            return self[key[:-3]]
        raise KeyError(key)


_COLON = {"zh": "：", "en": ": "}
# Fields that hold a problem's status (open, rectified ...): their Chinese word beside.
_PROBLEM_STATUS_FIELDS = ("status", "current", "wanted")
_JOIN = {"zh": "、", "en": ", "}


def _fields(error, lang: str, label: str = "") -> dict:
    """The error's value and fields as its sentence names them: lists joined, and
    beside each level or import kind its word in ``lang`` (``region_level_zh``)."""
    return _rendered({"value": error.value, **error.fields}, lang, label)


def _rendered(given: dict, lang: str, label: str = "") -> dict:
    words = error_words()
    levels = words["levels"]
    fields = {}
    for key, value in given.items():
        if isinstance(value, Phrase):
            fields[key] = value.text(lang, label)
            continue
        if isinstance(value, Exception):
            # An error inside another's sentence ("bad coordinate: {problem}"), without
            # its place, which the outer error gives.
            fields[key] = _body(value, lang, label)
            continue
        if key == "rows":
            fields[key] = row_list(value, lang)
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        if all(isinstance(v, str) and v in levels for v in values):
            fields[f"{key}_zh"] = _JOIN["zh"].join(levels[v]["zh"] for v in values)
        elif key in ("role", "needed"):
            from geo.i18n import t

            fields[f"{key}_zh"] = t(f"role_{value}", "zh")
        elif key == "kind":
            from geo.i18n import t

            fields["kind_zh"] = t(f"kind_{value}", "zh")
        elif key in _PROBLEM_STATUS_FIELDS and isinstance(value, str):
            from geo.i18n import WORDS, t

            word = f"problem_status_{value}"
            fields[f"{key}_zh"] = t(word, "zh") if word in WORDS else value
        if key == "action":
            value = words["actions"][value][lang]
        fields[key] = _JOIN[lang].join(map(str, value)) if isinstance(value, (list, tuple)) \
            else value
    return fields


def _where(error, lang: str) -> str:
    """文件 x.xlsx，第 5 行，“完工”列 / x.xlsx, row 5, column '完工'."""
    file, row, column = (getattr(error, name, None) for name in ("file", "row", "column"))
    if lang == "zh":
        parts = [f"文件 {file}" if file else "", f"第 {row} 行" if row is not None else "",
                 f"“{column}”列" if column is not None else ""]
        return "，".join(p for p in parts if p)
    parts = [f"{file}" if file else "", f"row {row}" if row is not None else "",
             f"column {column!r}" if column is not None else ""]
    return ", ".join(p for p in parts if p)
