"""A CJK font for matplotlib, or Chinese turns into empty boxes."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import matplotlib
from matplotlib import font_manager

# Debian's fonts-noto-cjk (installed by `make test`) first; others as found.
_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


@lru_cache(maxsize=1)
def use_cjk_font() -> str | None:
    """Register a CJK font and make it matplotlib's first choice.

    Returns the family name, or None when no CJK font is installed.
    """
    for path in _CANDIDATES:
        if Path(path).exists():
            font_manager.fontManager.addfont(path)
            family = font_manager.FontProperties(fname=path).get_name()
            matplotlib.rcParams["font.family"] = [family, "DejaVu Sans"]
            matplotlib.rcParams["axes.unicode_minus"] = False
            return family
    return None


def cjk_family() -> str:
    """Simplified Chinese glyph shapes: Noto's SC face, not the JP face a .ttc opens with."""
    family = use_cjk_font() or "DejaVu Sans"
    names = {f.name for f in font_manager.fontManager.ttflist}
    return "Noto Sans CJK SC" if "Noto Sans CJK SC" in names else family
