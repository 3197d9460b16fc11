"""Sign-in and roles in the app (AppTest, in-process): the local accounts path.

Streamlit's OIDC login needs an identity provider, which cannot run here;
the local accounts file is what these tests cover.
"""

import pytest

from geo.accounts import Account, AccountsFile
from geo.store import Store
from tests.conftest import DATA, run_page, widget


@pytest.fixture
def signed_store(tmp_path, baotou_store, monkeypatch, run):
    """Baotou with the 08-10 ledger imported by ``admin``; accounts configured."""
    accounts = AccountsFile(tmp_path / "accounts.json")
    accounts.add("admin", "pass-admin-2016", role="admin")
    accounts.add("guyang", "pass-guyang-2016", role="editor", region="150222")
    accounts.add("screen", "pass-screen-2016", role="viewer")
    monkeypatch.setenv("COVERMAP_ACCOUNTS", str(accounts.path))
    monkeypatch.setenv("COVERMAP_STORE", str(baotou_store))
    assert run("import", DATA / "baotou_county_ledger.xlsx", "--store", baotou_store,
               "--user", "admin")[0] == 0
    return baotou_store


def page_as(page, account=None, **params):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    app = AppTest.from_file(str(ROOT / "views" / f"{page}.py"), default_timeout=180)
    for key, value in params.items():
        app.query_params[key] = value
    if account is not None:
        app.session_state["account"] = account
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_with_accounts_a_page_asks_for_a_sign_in_first(signed_store):
    app = page_as("overview")
    assert [w.label for w in app.text_input] == ["账户", "密码"]
    assert not app.dataframe                       # nothing of the store shown yet
    widget(app.text_input, "账户").set_value("screen")
    widget(app.text_input, "密码").set_value("wrong-password")
    widget(app.button, "登录").click().run()
    assert [e.value for e in app.error] == ["账户或密码不正确"]     # in the page's language
    widget(app.text_input, "密码").set_value("pass-screen-2016")
    widget(app.button, "登录").click().run()
    assert not app.exception and not app.error
    assert "screen（查看）" in [c.value for c in app.caption]      # who is signed in
    assert app.dataframe                           # the ranking


def test_a_viewer_may_not_open_the_data_page(signed_store):
    app = page_as("data", Account("screen", "viewer"))
    assert [e.value for e in app.error] == ["此页需要填报权限，当前账户为查看。"]
    assert not app.tabs


def test_an_editor_uploads_ledgers_only_and_cannot_undo_the_admins_import(signed_store):
    app = page_as("data", Account("guyang", "editor", "150222"))
    kinds = [r.options for r in app.radio if "进度台账" in r.options]
    # Ledgers, boundaries and supervision findings of their own region; no sites.
    assert kinds == [["进度台账", "行政区划（名录或边界）", "督查发现问题"]]
    assert not [b for b in app.button if b.label == "撤销此次导入"]


def test_an_admin_undoes_an_import_with_a_button(signed_store):
    app = page_as("data", Account("admin", "admin"))
    undo = [b for b in app.button if b.label == "撤销此次导入"]
    assert len(undo) == 1
    undo[0].click().run()
    assert not app.exception
    store = Store(signed_store)
    assert store.imports()["kind"].tolist() == ["progress", "undo"]
    assert store.imports()["who"].tolist() == ["admin", "admin"]
    assert store.progress().empty


def test_without_accounts_the_app_runs_open_and_says_so(baotou_store, monkeypatch):
    monkeypatch.delenv("COVERMAP_ACCOUNTS", raising=False)
    monkeypatch.setenv("COVERMAP_STORE", str(baotou_store))
    app = run_page("data")
    assert "未配置账户：任何能访问本服务器的人都可查看和导入（设置 COVERMAP_ACCOUNTS 启用登录）" in [
        c.value for c in app.caption]
    assert "账户" not in [w.label for w in app.text_input]           # no sign-in form
