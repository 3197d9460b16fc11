"""What the command line's modules share: the store a command opens, the account
it acts as, and how a table is written out."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from geo.errors import UsageError
from geo.settings import Settings

FORMATS = ("table", "csv", "json")


def iso_date(text: str) -> dt.date:
    """A ``--as-of``-style argument: YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def open_store(args, *, writing: bool = False):
    """``--store``, else ``$COVERMAP_STORE``, else the programme's demo (built on first
    use); a write never goes into a demo."""
    from geo.actions import check_writable
    from geo.demo import demo_store
    from geo.store import Store

    path = getattr(args, "store", None) or Settings.from_env().store
    if writing:
        check_writable(path)
    if path:
        return Store(path)

    return demo_store(getattr(args, "programme", None) or "ten_full_coverage")


def acting_account(args):
    """The account a write runs as: None without accounts (the machine's user is
    recorded), else ``--user`` or ``$COVERMAP_USER``, which must exist."""
    from geo.accounts import AccountsFile

    settings = Settings.from_env()
    if not settings.accounts:
        return None
    name = getattr(args, "user", None) or settings.user
    if not name:
        raise UsageError("there are accounts (COVERMAP_ACCOUNTS): say who this is with "
                         "--user NAME or COVERMAP_USER")
    return AccountsFile(settings.accounts).get(name)


def emit(frame, args) -> None:
    """``frame`` as ``--format`` asks, to ``--out`` or standard output."""
    from geo.output import to_csv, to_json, to_table

    render = {"table": to_table, "csv": to_csv, "json": to_json}[args.format]
    text = render(frame)
    if getattr(args, "out", None):
        Path(args.out).write_text(text, encoding="utf-8-sig" if args.format == "csv" else "utf-8")
        print(f"{args.out}: {len(frame)} rows")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
