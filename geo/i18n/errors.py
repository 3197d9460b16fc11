"""Errors in the user's language: a :class:`geo.errors.CovermapError` as a sentence.

The words live in ``data/words/errors.toml``: per reason a Chinese and an
English sentence whose ``{label}`` names the input that was wrong the way the
edge calls it — ``--region`` on the command line, 区域 / Region on a page —
``{value}`` the value given, and the error's other fields by name.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

ERROR_WORDS = Path(__file__).resolve().parents[2] / "data" / "words" / "errors.toml"


@cache
def error_words() -> dict:
    """``{"reasons": {reason: {"zh", "en"}}, "params": {param: {"zh", "en"}}, ...}``."""
    with open(ERROR_WORDS, "rb") as f:
        return tomllib.load(f)


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
    if error.reason is None:
        body = error.message or ""
    else:
        sentence = error_words()["reasons"][error.reason][lang]
        named = label if label is not None else param_label(error.param or "", lang)
        body = sentence.format(label=named, **_fields(error, lang))
    where = _where(error, lang)
    return f"{where}{_COLON[lang]}{body}" if where else body


def detail_lines(error, lang: str = "en") -> list[str]:
    """The further problems an error lists, one line each in ``lang``: a detail is a
    sentence already written, or an error of its own (a row and column of the same
    file, with its reason)."""
    return [d if isinstance(d, str) else error_text(d, lang) for d in error.details]


_COLON = {"zh": "：", "en": ": "}
_JOIN = {"zh": "、", "en": ", "}


def _fields(error, lang: str) -> dict:
    """The error's value and fields as its sentence names them: lists joined, and
    beside each level or import kind its word in ``lang`` (``region_level_zh``)."""
    words = error_words()
    levels = words["levels"]
    fields = {}
    for key, value in {"value": error.value, **error.fields}.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        if all(isinstance(v, str) and v in levels for v in values):
            fields[f"{key}_zh"] = _JOIN["zh"].join(levels[v]["zh"] for v in values)
        elif key in ("role", "needed"):
            fields[f"{key}_zh"] = words["roles"][value]["zh"]
        elif key == "kind":
            from geo.i18n import t

            fields["kind_zh"] = t(f"kind_{value}", "zh")
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
