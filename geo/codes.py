"""National administrative codes (统计用区划代码): their forms, levels and ancestors.

12 digits = province 2 + prefecture 2 + county 2 + township 3 + village 3;
the store writes provinces, prefectures and counties with 6 (150000, 150200,
150222) and townships with 9.  Offices send them every way: 12 digits for any
level (150621200000 is the township 150621200), 三调 坐落单位代码 (ZLDWDM, 19
digits: a village's 12 and 7 more), with spaces, a leading apostrophe (Excel's
mark for text), full-width digits — or as a number Excel has rounded
(1.50222E+11), whose lost digits nobody can tell.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

# Excel keeps 15 significant digits: a longer code stored as a number has lost some.
EXCEL_DIGITS = 15
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+")
_SPACES = re.compile(r"\s+")
_QUOTES = "'‘’`"


def code_as_written(value) -> str | None:
    """A code cell as text: half-width, without spaces, Excel's leading apostrophe
    or its ``.0``; a float beyond Excel's 15 digits in scientific notation, the way
    Excel shows what it kept.  None for a blank.

    >>> code_as_written("'１５０２２２ １００２０１"), code_as_written(150222.0)
    ('150222100201', '150222')
    >>> code_as_written(1502221002010000001.0)
    '1.50222100201e+18'
    """
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:
            return None
        if value.is_integer() and abs(value) < 10 ** EXCEL_DIGITS:
            return str(int(value))
        return f"{value:.{EXCEL_DIGITS}g}"
    text = _SPACES.sub("", unicodedata.normalize("NFKC", str(value))).lstrip(_QUOTES)
    text = re.sub(r"^(\d+)\.0+$", r"\1", text)
    return text or None


def lost_digits(text) -> bool:
    """Whether a code was stored as a number and rounded: 1.50222E+11.

    >>> lost_digits("1.50222E+11"), lost_digits("150222100201")
    (True, False)
    """
    return isinstance(text, str) and _SCIENTIFIC.fullmatch(text) is not None


def could_be(text: str, code: str) -> bool:
    """Whether a rounded code (1.50222E+11) could have been ``code`` before Excel
    rounded it: ``code`` as 12 digits lies within half its last kept digit.

    >>> could_be("1.50222E+11", "150222100201"), could_be("1.50222E+11", "150221100201")
    (True, False)
    """
    try:
        number = Decimal(text)
    except InvalidOperation:
        return False
    full = Decimal(national_code_12(code))
    half = Decimal(1).scaleb(number.as_tuple().exponent) / 2
    return abs(full - number) <= half


def national_code(code: str) -> str:
    """The store's form of a national code: a 坐落单位代码 cut to its village, 12 or
    9 digits whose lower parts are zero cut to the township's 9 or the county's 6.

    >>> national_code("150621200000"), national_code("150222000000"), national_code("150200000000")
    ('150621200', '150222', '150200')
    >>> national_code("1502221002010000001"), national_code("150222100201")
    ('150222100201', '150222100201')
    """
    if not isinstance(code, str) or not code.isdigit():
        return code
    code = village_code_of_zldwdm(code)
    if len(code) == 12 and code.endswith("000"):
        code = code[:9]
    if len(code) == 9 and code.endswith("000"):
        code = code[:6]
    return code


def national_code_12(code: str) -> str:
    """A store code written with 12 digits, as the bureau prints it."""
    return code.ljust(12, "0") if code.isdigit() and len(code) in (6, 9) else code


def village_code_of_zldwdm(code: str) -> str:
    """The village code inside a 19-digit 三调 坐落单位代码; other codes as they are."""
    return code[:12] if len(code) == 19 and code.isdigit() else code


def level_of_code(code) -> str | None:
    """The level a national code names, by its length; None otherwise.

    >>> level_of_code("150222100201"), level_of_code("150200"), level_of_code("150000")
    ('village', 'league', 'province')
    """
    if not isinstance(code, str) or not code.isdigit():
        return None
    if len(code) == 6:
        if code.endswith("0000"):
            return "province"
        return "league" if code.endswith("00") else "county"
    return {9: "township", 12: "village"}.get(len(code))


def code_ancestors(code) -> list[str]:
    """The national codes above ``code``, nearest first.

    >>> code_ancestors("150222100201")
    ['150222100', '150222', '150200', '150000']
    """
    level = level_of_code(code)
    if level is None:
        return []
    chain = [code[:9], code[:6], code[:4] + "00", code[:2] + "0000"]
    start = {"village": 0, "township": 1, "county": 2, "league": 3, "province": 4}[level]
    return [c for c in dict.fromkeys(chain[start:]) if c != code]
