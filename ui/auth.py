"""Who is signed in, and what their role lets a page do.

Three ways, from the most configured down:

- Streamlit's OIDC login, when ``[auth]`` is in ``.streamlit/secrets.toml``
  (an identity provider of the network): the signed-in e-mail address is the
  name of an account in the accounts file, which gives its role;
- the local accounts file (``COVERMAP_ACCOUNTS``): a name and password form,
  after which a signed cookie keeps the browser signed in for a week — a wall
  screen must survive its own 6-hourly reloads;
- neither: the app runs open, as on the demo, and says so.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from geo.accounts import SESSION_DAYS, Account, AccountsFile
from geo.errors import AccessError
from ui.errors import error_message
from geo.i18n import t
from geo.settings import Settings


COOKIE = "covermap_session"


def page_account(role: str, lang: str, *, chrome: bool = True) -> Account | None:
    """The account this browser session holds, stopping the page with a sign-in
    form (or a refusal) unless it holds ``role``; None when the app runs open.
    With ``chrome`` a line says who is signed in, with a sign-out button."""
    accounts = Settings.from_env().accounts
    if not accounts:
        return None
    accounts = AccountsFile(accounts)
    account = _signed_in(accounts)
    if account is None:
        _sign_in_form(accounts, lang)
        st.stop()
    if not account.can(role):
        st.error(t("needs_role", lang, role=t(f"role_{role}", lang),
                   have=t(f"role_{account.role}", lang)))
        st.stop()
    if "session_cookie" in st.session_state:
        _set_cookie(st.session_state.pop("session_cookie"), days=SESSION_DAYS)
    if chrome:
        _signed_in_line(account, lang)
    return account


def open_mode_notice(lang: str) -> None:
    if not Settings.from_env().accounts:
        st.caption(t("open_mode", lang))


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:      # no secrets.toml at all
        return False


def _signed_in(accounts: AccountsFile) -> Account | None:
    if _oidc_configured() and st.user.is_logged_in:
        try:
            return accounts.get(str(st.user.get("email", "")))
        except AccessError:
            return Account(str(st.user.get("email", "")), "viewer")
    account = st.session_state.get("account")
    token = st.context.cookies.get(COOKIE)
    if account is None and token and not st.session_state.get("signed_out"):
        account = accounts.from_session(token, now=dt.datetime.now())
        st.session_state["account"] = account
    return account


def _sign_in_form(accounts: AccountsFile, lang: str) -> None:
    if st.session_state.get("signed_out"):
        _set_cookie("", days=0)
    _, middle, _ = st.columns([1, 2, 1])
    middle.subheader(t("sign_in_title", lang))
    if _oidc_configured():
        middle.button(t("sign_in_sso", lang), on_click=st.login, type="primary")
    with middle.form("sign-in"):
        name = st.text_input(t("account_name", lang))
        password = st.text_input(t("password", lang), type="password")
        if st.form_submit_button(t("sign_in", lang), type="primary"):
            try:
                account = accounts.sign_in(name, password)
            except AccessError as exc:
                st.error(error_message(exc, lang))
            else:
                st.session_state.update(account=account, signed_out=False, session_cookie=(
                    accounts.session_token(account, now=dt.datetime.now())))
                st.rerun()


def _set_cookie(token: str, *, days: int) -> None:
    # Streamlit cannot set a cookie itself: the page's own script does (a token is
    # letters, digits, '-', '_' and '.', safe inside the quotes).
    st.iframe(f"<script>window.parent.document.cookie = '{COOKIE}={token}; path=/; "
              f"max-age={days * 86400}; SameSite=Strict';</script>", height=1)


def _signed_in_line(account: Account, lang: str) -> None:
    left, right = st.columns([6, 1])
    region = f" · {account.region}" if account.region else ""
    left.caption(t("signed_in_as", lang, name=account.name, role=t(f"role_{account.role}", lang),
                   region=region))
    if right.button(t("sign_out", lang), type="tertiary", key="sign-out"):
        # The sign-in form the rerun shows clears the cookie; until then this
        # session ignores it.
        st.session_state.update(account=None, signed_out=True)
        if _oidc_configured() and st.user.is_logged_in:
            st.logout()
        st.rerun()
