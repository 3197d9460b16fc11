"""Accounts and roles: who may read, who may import what, who may undo.

Three roles, each including the one before:

- ``viewer``: the overview, the wall, the gaps and the exports;
- ``editor``: imports ledgers, and boundaries for the units under their region,
  but only for the units under the region they are assigned to — a 固阳县
  editor cannot change 达茂旗's figures or villages;
- ``admin``: everything, sites, registers and replacing boundaries (``--replace``)
  included, accounts, and undoing anyone's import.

The local accounts file (``COVERMAP_ACCOUNTS``) is JSON, one entry per
account, with an Argon2id hash of the password (salted, slow on purpose).
It lives outside the store: copying a store never copies who may sign in.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from geo.errors import AccessError, UsageError
from geo.units import descendants

ROLES = ("viewer", "editor", "admin")
# A browser stays signed in this long: a wall screen signs in once a week, not
# at each of its 6-hourly reloads.
SESSION_DAYS = 7
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

    def require(self, role: str, action: str) -> None:
        """Refuse ``action`` (a key of the error words' actions: ``import_ledger``,
        ``replace_units``...) unless this account has at least ``role``."""
        if not self.can(role):
            raise AccessError(reason="role_needed", param="user", value=self.name,
                              role=self.role, needed=role, action=action)

    def may_undo(self, who: str) -> bool:
        """Whether this account may undo an import made by ``who``: an admin
        anyone's, an editor their own."""
        return self.can("admin") or (self.can("editor") and who == self.name)

    def check_undo(self, import_id: int, who: str) -> None:
        if not self.may_undo(who):
            raise AccessError(reason="undo_not_yours", param="import_id", value=import_id,
                              who=who, name=self.name, role=self.role)

    def check_rows(self, units: pd.DataFrame, matched: pd.DataFrame, *, file: str) -> None:
        """Refuse a ledger with any row outside this editor's region.

        ``matched`` has ``source_row`` and ``unit_code`` of each joined row.  An
        admin's scope is everything; a viewer may import nothing.
        """
        self.require("editor", "import_ledger")
        self._check_inside(units, matched, file=file, own=True)

    def check_units(self, units: pd.DataFrame, touched: pd.DataFrame, *, file: str) -> None:
        """Refuse a boundary file with any row whose unit (given a boundary, or added)
        is not under this editor's region — the region's own boundary included.

        ``units`` is the layer as the import would leave it (an added unit is under
        the region when its parent is); ``touched`` has ``source_row`` and
        ``unit_code`` of each row that gave a unit its boundary or added one.
        """
        self.require("editor", "import_units")
        self._check_inside(units, touched, file=file, own=False)

    def _check_inside(self, units: pd.DataFrame, matched: pd.DataFrame, *, file: str,
                      own: bool) -> None:
        if self.role == "admin" or not len(matched):
            return
        below = set(descendants(units, self.region)["code"]) if self.region else set()
        inside = below | ({self.region} if own and self.region else set())
        outside = matched[~matched["unit_code"].isin(inside)]
        if not len(outside):
            return
        names = units.set_index("code")["name"]
        region = names.get(self.region, self.region)
        lines = [f"row {r.source_row}: {names.get(r.unit_code, r.unit_code)} ({r.unit_code})"
                 for r in outside.itertuples()]
        raise AccessError(reason="rows_outside_region", file=file,
                          row=int(outside["source_row"].iloc[0]), details=lines,
                          count=len(outside), region=region, code=self.region, name=self.name)


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
        return self._read()["accounts"]

    def _read(self) -> dict:
        if not self.path.exists():
            return {"accounts": {}}
        try:
            content = json.loads(self.path.read_text(encoding="utf-8"))
            content["accounts"]
        except (ValueError, KeyError) as exc:
            raise UsageError(reason="not_an_accounts_file", param="file", value=str(self.path),
                             error=str(exc)) from None
        return content

    def get(self, name: str) -> Account:
        entry = self.accounts().get(name)
        if entry is None:
            raise AccessError(reason="no_account", param="user", value=name, path=str(self.path))
        return Account(name, entry["role"], entry.get("region"))

    def sign_in(self, name: str, password: str) -> Account:
        """The account, when ``password`` is its password; else AccessError."""
        entry = self.accounts().get(name)
        try:
            if entry is None:
                raise VerificationError
            _HASHER.verify(entry["password"], password)
        except (VerificationError, InvalidHashError):
            raise AccessError(reason="wrong_password", param="user") from None
        return Account(name, entry["role"], entry.get("region"))

    def session_token(self, account: Account, *, now: dt.datetime) -> str:
        """A token a browser keeps (a cookie) to stay signed in for :data:`SESSION_DAYS`.

        Signed with the file's own key (HMAC-SHA256) over the account's name,
        role, region and password hash: a new password, a new role or a removed
        account ends every session it had.
        """
        expires = int((now + dt.timedelta(days=SESSION_DAYS)).timestamp())
        name = base64.urlsafe_b64encode(account.name.encode()).decode().rstrip("=")
        return f"{name}.{expires}.{self._mac(self._keyed(), account.name, expires)}"

    def from_session(self, token: str, *, now: dt.datetime) -> Account | None:
        """The account a :meth:`session_token` stands for; None if forged, expired or
        no longer valid."""
        try:
            encoded, expires, mac = token.split(".")
            name = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
            expires = int(expires)
        except (ValueError, UnicodeDecodeError):
            return None
        content = self._read()
        entry = content["accounts"].get(name)
        if expires < now.timestamp() or entry is None or "session_key" not in content:
            return None
        if not hmac.compare_digest(mac, self._mac(content, name, expires)):
            return None
        return Account(name, entry["role"], entry.get("region"))

    def _keyed(self) -> dict:
        """The file's content, given a session key first if it has none."""
        content = self._read()
        if "session_key" not in content:
            self._write(content["accounts"])
            content = self._read()
        return content

    @staticmethod
    def _mac(content: dict, name: str, expires: int) -> str:
        entry = content["accounts"].get(name, {})
        message = "|".join([name, str(expires), entry.get("role", ""),
                            entry.get("region") or "", entry.get("password", "")])
        return hmac.new(bytes.fromhex(content["session_key"]), message.encode(),
                        hashlib.sha256).hexdigest()

    def add(self, name: str, password: str, *, role: str, region: str | None = None) -> Account:
        accounts = self.accounts()
        if name in accounts:
            raise UsageError(reason="account_exists", param="user", value=name)
        if len(password) < 8:
            raise UsageError(reason="password_too_short", param="password", least=8)
        account = _checked(name, role, region)
        accounts[name] = {"role": role, "region": region, "password": _HASHER.hash(password)}
        self._write(accounts)
        return account

    def set_role(self, name: str, *, role: str, region: str | None = None) -> Account:
        accounts = self.accounts()
        if name not in accounts:
            raise UsageError(reason="no_account", param="user", value=name, path=str(self.path))
        account = _checked(name, role, region)
        accounts[name] |= {"role": role, "region": region}
        self._write(accounts)
        return account

    def remove(self, name: str) -> None:
        accounts = self.accounts()
        if accounts.pop(name, None) is None:
            raise UsageError(reason="no_account", param="user", value=name, path=str(self.path))
        self._write(accounts)

    def _write(self, accounts: dict) -> None:
        # Written beside and moved into place: a crash never leaves half a file.
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        key = self._read().get("session_key") or secrets.token_hex(32)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"session_key": key, "accounts": accounts}, out, ensure_ascii=False,
                      indent=1)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)


def _checked(name: str, role: str, region: str | None) -> Account:
    if role not in ROLES:
        raise UsageError(reason="unknown_role", param="role", value=role, roles=list(ROLES))
    if role == "editor" and not region:
        raise UsageError(reason="editor_needs_region", param="region", name=name)
    return Account(name, role, region if role == "editor" else None)
