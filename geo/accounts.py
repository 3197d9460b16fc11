"""Accounts and roles: who may read, who may import what, who may undo.

Three roles, each including the one before:

- ``viewer``: the overview, the wall, the gaps and the exports;
- ``editor``: imports ledgers, but only for the units under the region they
  are assigned to — a 固阳县 editor cannot change 达茂旗's figures;
- ``admin``: everything, boundaries and sites included, accounts, and undoing
  anyone's import.

The local accounts file (``COVERMAP_ACCOUNTS``) is JSON, one entry per
account, with an Argon2id hash of the password (salted, slow on purpose).
It lives outside the store: copying a store never copies who may sign in.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from geo.errors import AccessError, UsageError
from geo.units import descendants

ROLES = ("viewer", "editor", "admin")
_HASHER = PasswordHasher()


@dataclass(frozen=True)
class Account:
    """One person's name, role and — for an editor — the region they edit."""

    name: str
    role: str
    region: str | None = None

    def can(self, role: str) -> bool:
        """Whether this account holds ``role`` or one above it."""
        return ROLES.index(self.role) >= ROLES.index(role)

    def require(self, role: str, doing: str) -> None:
        if not self.can(role):
            raise AccessError(f"{self.name} is a {self.role}: {doing} needs the {role} role")

    def may_undo(self, who: str) -> bool:
        """Whether this account may undo an import made by ``who``: an admin
        anyone's, an editor their own."""
        return self.can("admin") or (self.can("editor") and who == self.name)

    def check_undo(self, import_id: int, who: str) -> None:
        if not self.may_undo(who):
            raise AccessError(f"import {import_id} is {who}'s; an editor undoes their own "
                              f"imports, an admin anyone's ({self.name} is a {self.role})")

    def check_rows(self, units: pd.DataFrame, matched: pd.DataFrame, *, file: str) -> None:
        """Refuse a ledger with any row outside this editor's region.

        ``matched`` has ``source_row`` and ``unit_code`` of each joined row.  An
        admin's scope is everything; a viewer may import nothing.
        """
        self.require("editor", "importing a ledger")
        if self.role == "admin" or not len(matched):
            return
        inside = {self.region, *descendants(units, self.region)["code"]} if self.region \
            else set()
        outside = matched[~matched["unit_code"].isin(inside)]
        if not len(outside):
            return
        names = units.set_index("code")["name"]
        region = names.get(self.region, self.region)
        lines = [f"row {r.source_row}: {names.get(r.unit_code, r.unit_code)} ({r.unit_code})"
                 for r in outside.itertuples()]
        raise AccessError(
            f"{len(outside)} row(s) lie outside {region} ({self.region}), the region "
            f"{self.name} edits; nothing was imported", file=file,
            row=int(outside["source_row"].iloc[0]), details=lines)


class AccountsFile:
    """The local accounts file: read, changed and written back whole.

    Parameters
    ----------
    path
        The JSON file; it need not exist until the first account is added.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def accounts(self) -> dict[str, dict]:
        if not self.path.exists():
            return {}
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))["accounts"]
        except (ValueError, KeyError) as exc:
            raise UsageError(f"{self.path} is not a covermap accounts file ({exc})") from None

    def get(self, name: str) -> Account:
        entry = self.accounts().get(name)
        if entry is None:
            raise AccessError(f"there is no account {name!r} in {self.path}")
        return Account(name, entry["role"], entry.get("region"))

    def sign_in(self, name: str, password: str) -> Account:
        """The account, when ``password`` is its password; else AccessError."""
        entry = self.accounts().get(name)
        try:
            if entry is None:
                raise VerificationError
            _HASHER.verify(entry["password"], password)
        except (VerificationError, InvalidHashError):
            raise AccessError("wrong account name or password") from None
        return Account(name, entry["role"], entry.get("region"))

    def add(self, name: str, password: str, *, role: str, region: str | None = None) -> Account:
        accounts = self.accounts()
        if name in accounts:
            raise UsageError(f"{name!r} has an account already; use `user set-role`")
        if len(password) < 8:
            raise UsageError("a password needs at least 8 characters")
        account = _checked(name, role, region)
        accounts[name] = {"role": role, "region": region, "password": _HASHER.hash(password)}
        self._write(accounts)
        return account

    def set_role(self, name: str, *, role: str, region: str | None = None) -> Account:
        accounts = self.accounts()
        if name not in accounts:
            raise UsageError(f"there is no account {name!r} in {self.path}")
        account = _checked(name, role, region)
        accounts[name] |= {"role": role, "region": region}
        self._write(accounts)
        return account

    def remove(self, name: str) -> None:
        accounts = self.accounts()
        if accounts.pop(name, None) is None:
            raise UsageError(f"there is no account {name!r} in {self.path}")
        self._write(accounts)

    def _write(self, accounts: dict) -> None:
        # Written beside and moved into place: a crash never leaves half a file.
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"accounts": accounts}, out, ensure_ascii=False, indent=1)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)


def _checked(name: str, role: str, region: str | None) -> Account:
    if role not in ROLES:
        raise UsageError(f"role {role!r} is none of {', '.join(ROLES)}")
    if role == "editor" and not region:
        raise UsageError(f"an editor edits one region: give --region for {name}")
    return Account(name, role, region if role == "editor" else None)
