"""Login through an identity provider, end to end: a real OIDC provider, the app, headless Chromium.

The provider is the certified ``oidc-provider`` package (``tests/oidc/provider.mjs``,
installed by ``npm ci --prefix tests/oidc``) on a free port of localhost, with its
development login page. The app runs with ``streamlit run`` and a ``secrets.toml``
written for the test (``STREAMLIT_SECRETS_FILES``), so ``st.login`` goes to that
provider. Only localhost is reached.

Needs Node.js with ``tests/oidc/node_modules``, ``playwright`` and Debian's
``chromium``; without them these tests fail under ``CI`` and skip elsewhere.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import (
    _stop,
    chromium_context,
    chromium_path,
    free_port,
    require_playwright,
    streamlit_server,
    unavailable,
    wait_until_idle,
)

from geo import settings
from geo.audit import read_events

pytestmark = pytest.mark.browser

APP = settings.PROJECT_ROOT / "app.py"
OIDC_DIR = Path(__file__).parent / "oidc"
CLIENT_ID = "trygghetskartan"
CLIENT_SECRET = "test-client-secret-0123456789abcdef"
#: Seconds for each step in the browser (the first page run loads the store).
STEP_TIMEOUT = 120
ROLES = """\
[roles]
"tk-personal" = "staff"
"tk-skyddat" = "protected"
"""
SIDEBAR = '[data-testid="stSidebar"]'
NAV = '[data-testid="stSidebarNav"]'


def node_path() -> str:
    """Return ``node`` with the provider's packages installed, or fail/skip."""
    node = shutil.which("node")
    if node is None:
        unavailable("Node.js is not installed: apt-get install nodejs npm")
    if not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        unavailable("the test OIDC provider is not installed: npm ci --prefix tests/oidc")
    return node


def _discovery(issuer: str) -> dict | None:
    try:
        with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=2) as response:
            return json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError):
        return None


@contextlib.contextmanager
def oidc_provider(port: int, redirect_uri: str, *, timeout: float = 30) -> Iterator[str]:
    """Run ``node tests/oidc/provider.mjs`` on ``port``; yield its issuer once it answers discovery."""
    issuer = f"http://localhost:{port}"
    command = [node_path(), str(OIDC_DIR / "provider.mjs"), "--port", str(port),
               "--redirect-uri", redirect_uri, "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET]
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as log:
        process = subprocess.Popen(command, cwd=OIDC_DIR, stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + timeout
            while (_discovery(issuer) or {}).get("issuer") != issuer:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"the OIDC provider did not start on {issuer}; its log:\n{log.read()}")
                time.sleep(0.2)
            yield issuer
        finally:
            _stop(process)


@pytest.fixture(scope="module")
def sync_playwright():
    factory = require_playwright()
    chromium_path()
    node_path()
    return factory


@pytest.fixture(scope="module")
def app(sync_playwright, demo_path, tmp_path_factory):
    """The app on http://localhost:PORT, configured for the provider; yields (url, audit log path)."""
    folder = tmp_path_factory.mktemp("oidc-app")
    app_port, provider_port = free_port(), free_port()
    redirect_uri = f"http://localhost:{app_port}/oauth2callback"
    with oidc_provider(provider_port, redirect_uri) as issuer:
        secrets = folder / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "{redirect_uri}"\n'
            'cookie_secret = "a-test-cookie-secret-of-at-least-32-bytes"\n'
            f'client_id = "{CLIENT_ID}"\n'
            f'client_secret = "{CLIENT_SECRET}"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
            'client_kwargs = { prompt = "login" }\n',
            encoding="utf-8",
        )
        (folder / "oidc_roles.toml").write_text(ROLES, encoding="utf-8")
        audit_log = folder / "audit.jsonl"
        env = {
            "STREAMLIT_SECRETS_FILES": str(secrets),
            "TRYGGHETSKARTAN_OIDC_ROLES": str(folder / "oidc_roles.toml"),
            "TRYGGHETSKARTAN_AUDIT_LOG": str(audit_log),
            "TRYGGHETSKARTAN_USERS": str(folder / "no-users.toml"),  # no users file: only the OIDC login
        }
        with streamlit_server(APP, demo_path, port=app_port, env=env) as url:
            yield url.replace("127.0.0.1", "localhost"), audit_log


@pytest.fixture
def page(sync_playwright, app, tmp_path):
    with sync_playwright() as playwright, chromium_context(playwright, user_data_dir=tmp_path) as context:
        page = context.new_page()
        page.set_default_timeout(STEP_TIMEOUT * 1000)
        yield page


def log_in_at_provider(page, url: str, login: str) -> None:
    """From the app's start page, click the OIDC login and log in on the provider's own pages."""
    page.goto(url)
    wait_until_idle(page, timeout=STEP_TIMEOUT)
    sidebar = page.locator(SIDEBAR)
    assert sidebar.get_by_text("Användarnamn").count() == 0  # no users file: no password form
    sidebar.get_by_role("button", name="Logga in med kommunens konto").click()
    page.wait_for_url(lambda u: not u.startswith(url), timeout=STEP_TIMEOUT * 1000)
    page.locator('input[name="login"]').fill(login)
    page.locator('input[name="password"]').fill("vilket-som-helst")
    page.locator('button[type="submit"]').click()
    # The provider asks for consent the first time (its development consent page).
    while not page.url.startswith(url):
        page.locator('button[type="submit"]').first.click()
        page.wait_for_load_state()
    page.wait_for_url(lambda u: u.startswith(url) and "oauth2callback" not in u, timeout=STEP_TIMEOUT * 1000)
    wait_until_idle(page, timeout=STEP_TIMEOUT)


def log_out(page, url: str) -> None:
    """Click the sidebar's log-out and confirm on the provider's sign-out page; back in the app."""
    page.locator(SIDEBAR).get_by_role("button", name="Logga ut").click()
    page.wait_for_url(lambda u: not u.startswith(url), timeout=STEP_TIMEOUT * 1000)
    page.locator('button[autofocus], button[type="submit"]').first.click()  # "Yes, sign me out"
    page.wait_for_url(lambda u: u.startswith(url) and "oauth2callback" not in u, timeout=STEP_TIMEOUT * 1000)
    wait_until_idle(page, timeout=STEP_TIMEOUT)


def events(audit_log: Path, who: str) -> list[dict]:
    return [e for e in read_events(audit_log) if e["who"] == who]


def test_staff_group_logs_in_sees_staff_pages_and_logs_out(app, page):
    url, audit_log = app
    log_in_at_provider(page, url, "anna")
    sidebar = page.locator(SIDEBAR)
    sidebar.get_by_text("Inloggad: Anna Andersson (personal)").wait_for()
    nav = page.locator(NAV)
    nav.get_by_text("Arbetslistor").wait_for()
    assert nav.get_by_text("Granska rapporter").count() == 1

    log_out(page, url)
    sidebar.get_by_role("button", name="Logga in med kommunens konto").wait_for()
    assert sidebar.get_by_text("Inloggad").count() == 0
    assert nav.get_by_text("Arbetslistor").count() == 0
    logged = [(e["action"], e.get("audience"), json.loads(e["what"]).get("via"))
              for e in events(audit_log, "anna@jarfalla.example")]  # the user name is the e-mail claim
    assert logged == [("login", "staff", "oidc"), ("logout", "staff", "oidc")]


def test_protected_group_gets_the_highest_role(app, page):
    url, _ = app
    log_in_at_provider(page, url, "cecilia")
    page.locator(SIDEBAR).get_by_text(
        "Inloggad: Cecilia Carlsson (personal med behörighet till skyddade uppgifter)"
    ).wait_for()


def test_a_user_whose_groups_map_to_nothing_stays_public(app, page):
    url, audit_log = app
    log_in_at_provider(page, url, "bertil")
    sidebar = page.locator(SIDEBAR)
    sidebar.get_by_text("Inloggad: Bertil Berg (allmänheten)").wait_for()
    sidebar.get_by_text("Ditt konto har ingen roll i Trygghetskartan").wait_for()
    assert page.locator(NAV).get_by_text("Arbetslistor").count() == 0
    assert page.locator(NAV).get_by_text("Karta").count() == 1
    logged = [(e["action"], e.get("audience")) for e in events(audit_log, "bertil@jarfalla.example")]
    assert logged == [("login", "public")]
