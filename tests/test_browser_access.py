"""Every page as every role in headless Chromium: log in through the sidebar form of app.py,
click through the navigation, no exception anywhere, staff pages only for staff, log out."""

from __future__ import annotations

import pytest
from browser import (
    MAP_TIMEOUT,
    chromium_context,
    require_map_libraries,
    require_playwright,
    rerun_and_wait,
    streamlit_server,
    wait_until_idle,
)

from geo import settings
from geo.app.auth import add_user

pytestmark = [pytest.mark.browser, pytest.mark.slow]

APP = settings.PROJECT_ROOT / "app.py"
PASSWORD = "rätt-lösenord-12"
PUBLIC_PAGES = ["Karta", "Lägesbild", "Export", "Åtgärdsregister", "Tipsa om en otrygg plats"]
STAFF_PAGES = ["Importera data", "Arbetslistor", "Trygghetsvandringar", "Granska rapporter"]
#: The title (h1) each page shows, by its navigation label (the map page shows the app's name).
TITLES = {label: label for label in [*PUBLIC_PAGES, *STAFF_PAGES]} | {"Karta": "Trygghetskartan"}
ROLES = {"public": None, "staff": ("anna", "Anna Andersson"), "protected": ("petra", "Petra Persson")}


@pytest.fixture(scope="module")
def server(demo_path, tmp_path_factory):
    require_map_libraries()
    folder = tmp_path_factory.mktemp("access")
    store = folder / "demo.gpkg"
    store.write_bytes(demo_path.read_bytes())
    users = folder / "users.toml"
    add_user("anna", PASSWORD, audience="staff", name="Anna Andersson", path=users)
    add_user("petra", PASSWORD, audience="protected", name="Petra Persson", path=users)
    env = {"TRYGGHETSKARTAN_USERS": str(users), "TRYGGHETSKARTAN_AUDIT_LOG": str(folder / "audit.jsonl")}
    with streamlit_server(APP, store, env=env) as url:
        yield url, folder / "audit.jsonl"


@pytest.fixture(scope="module")
def playwright():
    factory = require_playwright()
    with factory() as running:
        yield running


def nav_labels(page) -> list[str]:
    links = page.locator('[data-testid="stSidebarNav"] a')
    return [links.nth(i).inner_text().strip().splitlines()[-1].strip() for i in range(links.count())]


def open_page(page, label: str) -> None:
    link = page.locator('[data-testid="stSidebarNav"] a').filter(has_text=label).first
    rerun_and_wait(page, link.click)


def no_exception(page) -> list[str]:
    return page.locator('[data-testid="stException"]').all_inner_texts()


def log_in(page, username: str) -> None:
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Logga in (personal)").first.click()
    sidebar.get_by_label("Användarnamn").fill(username)
    sidebar.get_by_label("Lösenord").fill(PASSWORD)
    rerun_and_wait(page, sidebar.get_by_role("button", name="Logga in (personal)").click)


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_as_every_role(role, server, playwright):
    url, log = server
    with chromium_context(playwright) as context:
        page = context.new_page()
        page.set_default_timeout(MAP_TIMEOUT * 1000)
        page.goto(url)
        wait_until_idle(page)
        assert nav_labels(page) == PUBLIC_PAGES
        if ROLES[role]:
            username, name = ROLES[role]
            log_in(page, username)
            sidebar = page.locator('[data-testid="stSidebar"]')
            assert sidebar.get_by_text(f"Inloggad: {name}").count() == 1
        expected = PUBLIC_PAGES + (STAFF_PAGES if ROLES[role] else [])
        assert nav_labels(page) == expected
        for label in expected:
            open_page(page, label)
            assert no_exception(page) == [], (role, label)
            heading = page.locator("h1").first.inner_text().strip()
            assert heading.startswith(TITLES[label]), (role, label, heading)
            body = page.locator('[data-testid="stMain"]').inner_text()
            assert "Traceback" not in body
            if role == "public":
                assert "fac-001" not in body, label
        if ROLES[role]:
            rerun_and_wait(page, page.locator('[data-testid="stSidebar"]').get_by_role("button",
                                                                                     name="Logga ut").click)
            assert nav_labels(page) == PUBLIC_PAGES
            assert no_exception(page) == []
    if ROLES[role]:
        text = log.read_text(encoding="utf-8")
        assert f'"who": "{ROLES[role][0]}", "action": "login"' in text
        assert f'"who": "{ROLES[role][0]}", "action": "logout"' in text
