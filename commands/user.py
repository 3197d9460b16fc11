"""``cli.py user``: the local accounts file (``COVERMAP_ACCOUNTS``), from the shell.

    python cli.py user add NAME --role viewer|editor|admin [--region CODE] [--password-stdin]
    python cli.py user set-role NAME --role ROLE [--region CODE]
    python cli.py user remove NAME
    python cli.py user list
"""

from __future__ import annotations

import sys

from geo.accounts import ROLES, AccountsFile
from geo.errors import UsageError
from geo.settings import Settings


def add_user_command(command) -> None:
    """Add the ``user`` sub-command with ``command(name, run, help, store=…)``, cli.py's
    sub-command maker."""
    user = command("user", cmd_user, "accounts: add, remove, set-role, list", store=False)
    user.add_argument("action", choices=["add", "remove", "set-role", "list"])
    user.add_argument("name", nargs="?", default="")
    user.add_argument("--role", choices=ROLES)
    user.add_argument("--region", help="the unit code an editor edits (with its units below)")
    user.add_argument("--accounts", help="the accounts file (default $COVERMAP_ACCOUNTS)")
    user.add_argument("--password-stdin", action="store_true",
                      help="read the password from standard input (for scripts)")


def cmd_user(args) -> int:
    path = args.accounts or Settings.from_env().accounts
    if not path:
        raise UsageError("give --accounts FILE or set COVERMAP_ACCOUNTS")
    accounts = AccountsFile(path)
    if args.action != "list" and not args.name:
        raise UsageError(f"user {args.action} needs the account's NAME")
    if args.action == "list":
        for name, entry in sorted(accounts.accounts().items()):
            print(f"{name}\t{entry['role']}\t{entry.get('region') or ''}")
        return 0
    if args.action == "remove":
        accounts.remove(args.name)
        print(f"{path}: {args.name} removed")
        return 0
    if not args.role:
        raise UsageError(f"user {args.action} needs --role ({', '.join(ROLES)})")
    if args.action == "add":
        account = accounts.add(args.name, _new_password(args), role=args.role,
                               region=args.region)
    else:
        account = accounts.set_role(args.name, role=args.role, region=args.region)
    print(f"{path}: {account.name} is {account.role}"
          + (f" of {account.region}" if account.region else ""))
    return 0


def _new_password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    import getpass

    first = getpass.getpass(f"password for {args.name}: ")
    if getpass.getpass("again: ") != first:
        raise UsageError("the two passwords differ")
    return first
