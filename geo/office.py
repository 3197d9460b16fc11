"""PPTX to PDF through LibreOffice, run headless.

LibreOffice (Debian ``libreoffice-impress``) is the one converter that
lays out a deck as PowerPoint would without a desktop.  Each conversion
gets its own user profile: two conversions at once would otherwise fight
over the default one and the second would silently do nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from geo.errors import CovermapError

CONVERT_TIMEOUT_S = 180


def soffice() -> str | None:
    """The LibreOffice command, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def pptx_to_pdf(pptx: str | Path, pdf: str | Path) -> Path:
    """Convert ``pptx`` to ``pdf``; the PDF is only written when the conversion succeeds.

    Raises
    ------
    CovermapError
        LibreOffice is missing, fails or runs past :data:`CONVERT_TIMEOUT_S`.
    """
    command = soffice()
    if command is None:
        raise CovermapError(reason="needs_libreoffice")
    pptx, pdf = Path(pptx), Path(pdf)
    with tempfile.TemporaryDirectory(prefix="covermap-office-") as work:
        profile = Path(work, "profile").as_uri()
        try:
            done = subprocess.run(
                [command, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                 "--convert-to", "pdf", "--outdir", work, str(pptx)],
                capture_output=True, text=True, timeout=CONVERT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise CovermapError(reason="libreoffice_timeout", seconds=CONVERT_TIMEOUT_S,
                                deck=pptx.name) from None
        made = Path(work, pptx.stem + ".pdf")
        if done.returncode != 0 or not made.exists():
            detail = (done.stderr or done.stdout).strip().splitlines()
            # LibreOffice's own last lines, as it wrote them.
            raise CovermapError(reason="libreoffice_failed", deck=pptx.name,
                                details=detail[-3:])
        shutil.move(made, pdf)
    return pdf


def pdf_of_deck(deck: bytes, name: str = "briefing") -> bytes:
    """:func:`pptx_to_pdf` for a deck held in memory (a download in the app)."""
    with tempfile.TemporaryDirectory(prefix="covermap-deck-") as work:
        pptx = Path(work, f"{name}.pptx")
        pptx.write_bytes(deck)
        return pptx_to_pdf(pptx, Path(work, f"{name}.pdf")).read_bytes()
