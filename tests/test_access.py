"""Access that holds: every page as every role through app.py and its login form, writes only
for logged-in staff, the lock-out, the audit log, snapshots that carry their audience."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo import settings
from geo.actions.figures import live_figures
from geo.analysis.params import LagesbildParams
from geo.analysis.snapshots import compare_snapshots, list_snapshots, read_snapshot, save_lagesbild
from geo.app import guard
from geo.app.auth import add_user, authenticate, check_password, hash_password
from geo.app.guard import LoginGuard
from geo.audiences import PERMISSIONS, may, require
from geo.audit import read_events
from geo.cli import main
from geo.errors import AccessError, AuthError, DataStoreError
from geo.privacy import build_lagesbild
from geo.store import GeoPackageStore

TIMEOUT = 180
APP = str(settings.PROJECT_ROOT / "app.py")
PASSWORD = "rätt-lösenord-12"
USERS = {"public": None, "staff": "anna", "protected": "petra"}
#: Every page each role is offered, by its navigation title (Swedish).
PUBLIC_PAGES = ["Karta", "Lägesbild", "Export", "Åtgärdsregister", "Tipsa om en otrygg plats"]
STAFF_PAGES = [*PUBLIC_PAGES, "Importera data", "Arbetslistor", "Trygghetsvandringar", "Granska rapporter"]
PAGE_FILES = {
    "Karta": "map.py", "Lägesbild": "lagesbild.py", "Export": "export.py", "Åtgärdsregister": "actions.py",
    "Tipsa om en otrygg plats": "report_place.py", "Importera data": "import_data.py",
    "Arbetslistor": "worklists.py", "Trygghetsvandringar": "walks.py", "Granska rapporter": "moderation.py",
}


@pytest.fixture
def accounts(tmp_path, monkeypatch):
    users = tmp_path / "users.toml"
    add_user("anna", PASSWORD, audience="staff", name="Anna Andersson", path=users)
    add_user("petra", PASSWORD, audience="protected", name="Petra Persson", path=users)
    monkeypatch.setattr(settings, "users_path", users)
    monkeypatch.setattr(settings, "audit_log_path", tmp_path / "audit.jsonl")
    monkeypatch.setattr(guard, "GUARD", LoginGuard())
    return users


@pytest.fixture
def copy_of_demo(demo_path, tmp_path, monkeypatch):
    path = tmp_path / "demo.gpkg"
    path.write_bytes(demo_path.read_bytes())
    monkeypatch.setenv("TRYGGHETSKARTAN_STORE", str(path))
    return path


def log_in(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    """Log in through the sidebar form of app.py, as a person would."""
    at.sidebar.text_input(key="login_user").input(username)
    at.sidebar.text_input(key="login_password").input(password)
    next(b for b in at.sidebar.button if b.label == "Logga in (personal)").click()
    return at.run()


class TestPermissions:
    def test_every_write_needs_staff(self):
        writes = ["set_action_status", "save_snapshot", "import", "walks", "moderate"]
        assert all(not may("public", w) and may("staff", w) and may("protected", w) for w in writes)
        assert may("public", "report_place")
        assert PERMISSIONS["see_protected"] == "protected"
        with pytest.raises(AccessError, match="needs a logged-in user of audience staff"):
            require("public", "import")

    def test_defaults_leak_nothing(self, demo_path):
        params = LagesbildParams.from_text(date_from="2026-01-01", date_to="2026-03-31")
        assert params.audience == "public"
        frame = build_lagesbild(GeoPackageStore(demo_path), params)
        counts = frame["incidents"].dropna()
        assert not ((counts >= 1) & (counts < settings.min_count)).any()
        assert frame["gi_z"].isna().all()
        figures = live_figures(GeoPackageStore(demo_path))
        assert "fac-001" not in " ".join(figures.values())


class TestPasswordsAndLockOut:
    def test_a_password_of_any_length(self, tmp_path):
        long = "å" * 40  # 80 bytes: more than bcrypt reads
        secret = hash_password(long)
        assert secret.startswith("sha256$$2b$")
        assert check_password(long, secret)
        assert not check_password("å" * 39 + "a", secret)
        users = tmp_path / "u.toml"
        add_user("lang", long, audience="staff", path=users)
        assert authenticate("lang", long, path=users).audience == "staff"
        with pytest.raises(AuthError, match="wrong user name or password"):
            authenticate("lang", "x" * 5000, path=users)

    def test_the_cli_takes_a_long_password(self, tmp_path, monkeypatch, capsys):
        monkeypatch.setattr("sys.stdin", __import__("io").StringIO("å" * 40 + "\n"))
        users = tmp_path / "u.toml"
        assert main(["users", "add", "bo", "--audience", "staff", "--users-file", str(users)]) == 0
        assert authenticate("bo", "å" * 40, path=users).username == "bo"

    def test_lock_out_per_name_and_per_address(self):
        now = [0.0]
        guard_ = LoginGuard(max_user_failures=5, max_address_failures=20, window_s=900, clock=lambda: now[0])
        for _ in range(4):
            guard_.failed("anna", "192.0.2.1")
        assert guard_.locked_for("anna", "192.0.2.9") == 0
        guard_.failed("ANNA ", "192.0.2.1")  # the same name, as typed differently
        assert guard_.locked_for("anna", "192.0.2.9") == pytest.approx(900)
        assert guard_.locked_for("bertil", "192.0.2.9") == 0
        for i in range(20):
            guard_.failed(f"user{i}", "198.51.100.7")
        assert guard_.locked_for("someone-new", "198.51.100.7") > 0
        now[0] = 901.0
        assert guard_.locked_for("anna", "192.0.2.9") == 0


class TestLoginThroughTheApp:
    def test_staff_logs_in_sees_every_page_and_logs_out(self, accounts, copy_of_demo):
        at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
        assert not at.exception
        log_in(at, "anna")
        assert not at.exception, [e.value for e in at.exception]
        assert "Inloggad: Anna Andersson (personal)" in [c.value for c in at.sidebar.caption]
        assert any(b.key == "logout" for b in at.sidebar.button)
        at.sidebar.button(key="logout").click().run()
        assert not at.exception
        assert not any(b.key == "logout" for b in at.sidebar.button)
        actions = [e["action"] for e in read_events()]
        assert actions == ["login", "logout"]

    def test_fifty_wrong_passwords_lock_the_name_and_are_logged(self, accounts, copy_of_demo):
        at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
        for _ in range(5):
            log_in(at, "anna", "fel-lösenord")
            assert [e.value for e in at.sidebar.error] == ["Fel användarnamn eller lösenord."]
        log_in(at, "anna")  # the right password, but the name is locked now
        assert at.sidebar.error[0].value.startswith("För många misslyckade inloggningar")
        assert not any(b.key == "logout" for b in at.sidebar.button)
        events = read_events()
        assert [e["action"] for e in events] == ["login_failed"] * 5 + ["login_locked"]
        assert {e["who"] for e in events} == {"anna"}

    def test_a_password_over_72_bytes_is_no_traceback(self, accounts, copy_of_demo):
        at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
        log_in(at, "anna", "å" * 40)
        assert not at.exception
        assert [e.value for e in at.sidebar.error] == ["Fel användarnamn eller lösenord."]

    def test_idle_session_is_logged_out(self, accounts, copy_of_demo, monkeypatch):
        at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
        log_in(at, "anna")
        at.session_state["last_seen"] = at.session_state["last_seen"] - 31 * 60
        at.run()
        assert not any(b.key == "logout" for b in at.sidebar.button)
        assert [i.value for i in at.sidebar.info] == ["Du loggades ut efter 30 minuter utan aktivitet."]
        assert [e["action"] for e in read_events()] == ["login", "logout_idle"]


@pytest.mark.parametrize("role", ["public", "staff", "protected"])
def test_every_page_opens_for_every_role(role, accounts, copy_of_demo):
    """Through app.py and its login form: every page of the role opens without an exception."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    if USERS[role]:
        log_in(at, USERS[role])
    assert not at.exception, [e.value for e in at.exception]
    pages = STAFF_PAGES if role != "public" else PUBLIC_PAGES
    for title in pages:
        at.switch_page(f"app_pages/{PAGE_FILES[title]}").run()
        assert not at.exception, (title, [e.value for e in at.exception])
        assert at.title, title
        shown = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
        assert "fac-001" not in shown or role != "public", title
    if role == "public":
        for title in set(STAFF_PAGES) - set(PUBLIC_PAGES):
            with pytest.raises(Exception, match=r"(?i)page"):
                at.switch_page(f"app_pages/{PAGE_FILES[title]}").run()


class TestSnapshotsCarryTheirAudience:
    @pytest.fixture
    def store(self, demo_path, tmp_path):
        path = tmp_path / "s.gpkg"
        path.write_bytes(demo_path.read_bytes())
        store = GeoPackageStore(path)
        for audience in ("public", "protected"):
            protected = "vald_i_nara_relation,hedersrelaterat_vald" if audience == "protected" else None
            params = LagesbildParams.from_text(date_from="2026-01-01", date_to="2026-03-31",
                                               audience=audience, categories=protected)
            save_lagesbild(store, f"q1-{audience}", build_lagesbild(store, params))
        return store

    def test_listed_and_read_only_for_its_audience_or_higher(self, store):
        assert list(list_snapshots(store)["name"]) == ["q1-public"]
        assert list(list_snapshots(store, audience="staff")["name"]) == ["q1-public"]
        assert list(list_snapshots(store, audience="protected")["name"]) == ["q1-public", "q1-protected"]
        for audience in ("public", "staff"):
            with pytest.raises(DataStoreError, match="no snapshot named 'q1-protected'"):
                read_snapshot(store, "q1-protected", audience=audience)
            with pytest.raises(DataStoreError, match="q1-protected"):
                compare_snapshots(store, "q1-public", "q1-protected", audience=audience)
        frame, _ = read_snapshot(store, "q1-protected", audience="protected")
        assert len(frame)

    def test_cli_outputs_take_audience_and_log_protected_use(self, store, tmp_path, monkeypatch, capsys):
        log = tmp_path / "audit.jsonl"
        monkeypatch.setattr(settings, "audit_log_path", log)
        assert main(["snapshots", "list", "--store", str(store.path)]) == 0
        assert "q1-protected" not in capsys.readouterr().out
        out = tmp_path / "c.csv"
        args = ["snapshots", "compare", "q1-public", "q1-protected", "--store", str(store.path),
                "--out", str(out)]
        assert main(args) == 1
        assert "q1-protected" in capsys.readouterr().err
        assert not out.exists()
        assert main([*args, "--audience", "staff"]) == 1
        assert not log.exists()
        assert main([*args, "--audience", "protected"]) == 0
        report = tmp_path / "r.html"
        base = ["actions", "report", "--store", str(store.path), "--snapshot", "q1-protected",
                "--out", str(report)]
        assert main(base) == 1
        assert not report.exists()
        assert main([*base, "--audience", "protected"]) == 0
        assert report.exists()
        logged = [json.loads(line)["what"] for line in log.read_text(encoding="utf-8").splitlines()]
        assert any(w.startswith("snapshots compare q1-public q1-protected") for w in logged)
        assert any(w.startswith("actions report q1-protected") for w in logged)

    def test_the_public_lagesbild_page_does_not_show_it(self, store, monkeypatch):
        monkeypatch.setenv("TRYGGHETSKARTAN_STORE", str(store.path))
        at = AppTest.from_file(str(settings.PROJECT_ROOT / "app_pages" / "lagesbild.py"),
                               default_timeout=TIMEOUT).run()
        assert not at.exception
        options = [o for s in at.selectbox if s.key in ("snap_a", "snap_b") for o in s.options]
        assert "q1-protected" not in options
        assert not [f for f in at.get("form") if getattr(f, "form_id", "") == "save_snapshot"]
        assert not [t for t in at.text_input if t.key == "snap_name"]
        assert pd.Series(options).empty or set(options) == {"q1-public"}


@pytest.mark.parametrize("title", STAFF_PAGES)
def test_staff_logs_in_and_out_on_every_page(title, accounts, copy_of_demo):
    """Log in through app.py, open the page, log out there: back to the public view, no exception."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    log_in(at, "anna")
    at.switch_page(f"app_pages/{PAGE_FILES[title]}").run()
    assert not at.exception, [e.value for e in at.exception]
    at.sidebar.button(key="logout").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not any(b.key == "logout" for b in at.sidebar.button)
    assert [e["action"] for e in read_events()] == ["login", "logout"]
