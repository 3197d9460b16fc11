"""National administrative codes (统计用区划代码): their levels and ancestors.

12 digits = province 2 + prefecture 2 + county 2 + township 3 + village 3;
provinces, prefectures and counties are written with 6 (150000, 150200,
150222), townships with 9.  三调 坐落单位代码 (ZLDWDM) add 7 digits to a
village's 12.
"""

from __future__ import annotations


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
