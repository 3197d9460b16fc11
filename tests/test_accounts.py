"""Accounts and roles: an editor imports only inside their region, on both backends.

Baotou's county ledger of 08-10 has a row for each of the 9 counties; the
second round (conftest) only 固阳县 (and the typo 石拐去, unmatched).
"""

import io
import json
import stat

import pytest

from geo.accounts import AccountsFile
from geo.errors import AccessError
from geo.store import Store
from tests.conftest import DATA, second_round


@pytest.fixture
def accounts(tmp_path, monkeypatch, run):
    """An admin, a 固阳县 editor, a 达茂旗 editor and a viewer; COVERMAP_ACCOUNTS set."""
    path = tmp_path / "accounts.json"
    for name, role, region in [("admin", "admin", None), ("guyang", "editor", "150222"),
                               ("damao", "editor", "150223"), ("screen", "viewer", None)]:
        monkeypatch.setattr("sys.stdin", io.StringIO(f"pass-{name}-2016\n"))
        args = ["user", "add", name, "--role", role, "--accounts", path, "--password-stdin"]
        code, out, err = run(*args, *(["--region", region] if region else []))
        assert code == 0, err
    monkeypatch.setenv("COVERMAP_ACCOUNTS", str(path))
    return path


def test_the_accounts_file_keeps_slow_salted_hashes_never_passwords(accounts, run):
    text = accounts.read_text(encoding="utf-8")
    entries = json.loads(text)["accounts"]
    assert "pass-guyang-2016" not in text
    assert all(e["password"].startswith("$argon2id$") for e in entries.values())
    assert len({e["password"] for e in entries.values()}) == 4          # each salted
    assert stat.S_IMODE(accounts.stat().st_mode) == 0o600
    assert AccountsFile(accounts).sign_in("guyang", "pass-guyang-2016").region == "150222"
    with pytest.raises(AccessError, match="wrong account name or password"):
        AccountsFile(accounts).sign_in("guyang", "pass-damao-2016")
    with pytest.raises(AccessError, match="wrong account name or password"):
        AccountsFile(accounts).sign_in("nobody", "pass-guyang-2016")
    code, out, _ = run("user", "list")
    assert code == 0 and out.splitlines() == ["admin\tadmin\t", "damao\teditor\t150223",
                                              "guyang\teditor\t150222", "screen\tviewer\t"]


def test_roles_change_and_accounts_go(accounts, run):
    assert run("user", "set-role", "screen", "--role", "editor", "--region", "150221")[0] == 0
    assert AccountsFile(accounts).get("screen").region == "150221"
    code, _, err = run("user", "set-role", "damao", "--role", "editor")
    assert code == 2 and "an editor edits one region" in err
    assert run("user", "remove", "damao")[0] == 0
    assert "damao" not in AccountsFile(accounts).accounts()
    code, _, err = run("user", "remove", "damao")
    assert code == 2 and "no account 'damao'" in err


def test_an_editor_cannot_import_another_banners_rows(accounts, store_at, run):
    code, _, err = run("import", DATA / "baotou_county_ledger.xlsx", "--store", store_at,
                       "--user", "guyang")
    assert code == 1 and "Traceback" not in err
    assert "8 row(s) lie outside 固阳县 (150222)" in err
    assert "达尔罕茂明安联合旗 (150223)" in err and "nothing was imported" in err
    store = Store(store_at)
    assert store.imports().empty and store.progress().empty


def test_an_editor_imports_their_own_region_and_is_recorded(accounts, store_at, tmp_path, run):
    second_round(tmp_path / "固阳-0825.xlsx")
    code, out, err = run("import", tmp_path / "固阳-0825.xlsx", "--store", store_at,
                         "--user", "guyang")
    assert code == 0, err
    store = Store(store_at)
    assert store.imports()["who"].tolist() == ["guyang"]
    assert set(store.progress()["unit_code"]) == {"150222"}


def test_a_viewer_imports_nothing_and_only_an_admin_replaces_layers(accounts, store_at, run):
    code, _, err = run("import", DATA / "baotou_county_ledger.xlsx", "--store", store_at,
                       "--user", "screen")
    assert code == 1 and "screen is a viewer: importing a ledger needs the editor role" in err
    code, _, err = run("import", DATA / "baotou_county_ledger.xlsx", "--store", store_at,
                       "--kind", "sites", "--user", "guyang")
    assert code == 1 and "replacing the sites needs the admin role" in err
    code, _, err = run("import", DATA / "baotou_county_ledger.xlsx", "--store", store_at)
    assert code == 2 and "--user NAME" in err
    assert Store(store_at).imports().empty


def test_an_editor_undoes_their_own_import_an_admin_anyones(accounts, store_at, tmp_path, run):
    assert run("import", DATA / "baotou_county_ledger.xlsx", "--store", store_at,
               "--user", "admin")[0] == 0
    second_round(tmp_path / "固阳-0825.xlsx")
    assert run("import", tmp_path / "固阳-0825.xlsx", "--store", store_at,
               "--user", "guyang")[0] == 0
    code, _, err = run("undo", "1", "--store", store_at, "--user", "guyang")
    assert code == 1 and "import 1 is admin's" in err
    assert run("undo", "2", "--store", store_at, "--user", "guyang")[0] == 0
    assert run("undo", "1", "--store", store_at, "--user", "admin")[0] == 0
    imports = Store(store_at).imports()
    assert imports["who"].tolist() == ["admin", "guyang", "guyang", "admin"]
    assert Store(store_at).progress().empty


def test_a_session_token_signs_in_until_it_expires_or_the_account_changes(accounts, run):
    import datetime as dt

    file = AccountsFile(accounts)
    now = dt.datetime(2016, 9, 1, 8, 0)
    token = file.session_token(file.get("screen"), now=now)
    assert "screen" not in token and "pass-" not in token
    assert file.from_session(token, now=now + dt.timedelta(days=6, hours=23)).name == "screen"
    assert file.from_session(token, now=now + dt.timedelta(days=7, minutes=1)) is None
    name, expires, mac = token.split(".")
    assert file.from_session(f"{name}.{int(expires) + 86400}.{mac}", now=now) is None   # longer
    guyang = file.session_token(file.get("guyang"), now=now)
    assert file.from_session(f"{name}.{expires}.{guyang.split('.')[2]}", now=now) is None
    assert file.from_session("garbage", now=now) is None
    # A new role, or the account removed, ends the sessions it had.
    assert run("user", "set-role", "screen", "--role", "editor", "--region", "150221")[0] == 0
    assert file.from_session(token, now=now) is None
    token = file.session_token(file.get("guyang"), now=now)
    assert run("user", "remove", "guyang")[0] == 0
    assert file.from_session(token, now=now) is None
