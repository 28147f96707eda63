"""Roles from the identity provider's claims (geo.app.oidc), and app.py's sidebar with an OIDC login.

The sidebar tests seed ``st.user`` and ``st.secrets`` through ``AppTest``; the real
provider, browser and ``st.login`` round trip are in ``tests/test_oidc_login.py``.
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from geo import settings
from geo.app import guard
from geo.app.auth import User, add_user
from geo.app.guard import LoginGuard
from geo.app.oidc import audience_from_claims, claim_values, load_role_map, user_from_claims
from geo.audit import read_events
from geo.errors import AuthError

TIMEOUT = 180
APP = str(settings.PROJECT_ROOT / "app.py")
ROLES = {"tk-personal": "staff", "tk-skyddat": "protected"}
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-of-at-least-32-bytes",
    "client_id": "trygghetskartan",
    "client_secret": "secret",
    "server_metadata_url": "http://localhost:9000/.well-known/openid-configuration",
}
ANNA = {"is_logged_in": True, "sub": "a1", "iat": 1700000000, "name": "Anna Andersson",
        "email": "anna@jarfalla.example", "groups": ["alla", "tk-personal"]}


class TestRoleMap:
    def test_missing_file_maps_nothing(self, tmp_path):
        assert load_role_map(tmp_path / "none.toml") == {}

    def test_reads_the_roles_table(self, tmp_path):
        path = tmp_path / "roles.toml"
        path.write_text('[roles]\n"tk-personal" = "staff"\n"b0c1-guid" = "protected"\n', encoding="utf-8")
        assert load_role_map(path) == {"tk-personal": "staff", "b0c1-guid": "protected"}

    @pytest.mark.parametrize("text", ['[roles]\n"x" = "public"\n', '[roles]\n"x" = "admin"\n',
                                      "roles = 3\n", "[roles\n"])
    def test_anything_else_is_refused(self, tmp_path, text):
        path = tmp_path / "roles.toml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(AuthError, match=r"roles\.toml"):
            load_role_map(path)

    def test_default_path_from_settings(self, tmp_path, monkeypatch):
        path = tmp_path / "roles.toml"
        path.write_text('[roles]\n"g" = "staff"\n', encoding="utf-8")
        monkeypatch.setattr(settings, "oidc_roles_path", path)
        assert audience_from_claims({"groups": ["g"]}) == "staff"


class TestClaims:
    @pytest.mark.parametrize(("claims", "values"), [
        ({"groups": ["a", "b"]}, ["a", "b"]),
        ({"groups": "a"}, ["a"]),
        ({"groups": [1, "b", None, {"x": 1}]}, ["1", "b"]),
        ({}, []),
        ({"groups": None}, []),
        ({"groups": {"a": 1}}, []),
    ])
    def test_values_of_the_claim(self, claims, values):
        assert claim_values(claims, "groups") == values

    def test_nested_claim(self):
        claims = {"realm_access": {"roles": ["tk-skyddat"]}, "groups": ["tk-personal"]}
        assert claim_values(claims, "realm_access.roles") == ["tk-skyddat"]
        assert claim_values(claims, "realm_access.missing.deeper") == []
        assert audience_from_claims(claims, ROLES, "realm_access.roles") == "protected"

    def test_claim_from_settings(self, monkeypatch):
        monkeypatch.setattr(settings, "oidc_role_claim", "roles")
        assert audience_from_claims({"roles": ["tk-personal"], "groups": ["tk-skyddat"]}, ROLES) == "staff"

    @pytest.mark.parametrize(("groups", "audience"), [
        (["tk-personal"], "staff"),
        (["tk-skyddat"], "protected"),
        (["tk-skyddat", "tk-personal", "alla"], "protected"),
        (["alla"], "public"),
        ([], "public"),
        (["TK-PERSONAL"], "public"),  # values match exactly
    ])
    def test_highest_mapped_audience(self, groups, audience):
        assert audience_from_claims({"groups": groups}, ROLES) == audience

    def test_user_name_and_display_name(self):
        assert user_from_claims({"sub": "s", "email": "e@x", "preferred_username": "anna", "name": "Anna"},
                                ROLES) == User("anna", "Anna", "public")
        assert user_from_claims({"sub": "s", "email": "e@x"}, ROLES) == User("e@x", "e@x", "public")
        assert user_from_claims({"sub": "s", "groups": ["tk-personal"]}, ROLES) == User("s", "s", "staff")


@pytest.fixture
def oidc_app(tmp_path, monkeypatch, demo_path):
    """app.py with ``[auth]`` in its secrets, the role map and an audit log in tmp_path."""
    store = tmp_path / "demo.gpkg"
    store.write_bytes(demo_path.read_bytes())
    monkeypatch.setenv("TRYGGHETSKARTAN_STORE", str(store))
    roles = tmp_path / "oidc_roles.toml"
    roles.write_text('[roles]\n"tk-personal" = "staff"\n"tk-skyddat" = "protected"\n', encoding="utf-8")
    monkeypatch.setattr(settings, "oidc_roles_path", roles)
    monkeypatch.setattr(settings, "users_path", tmp_path / "users.toml")
    monkeypatch.setattr(settings, "audit_log_path", tmp_path / "audit.jsonl")
    monkeypatch.setattr(settings, "password_login", None)
    monkeypatch.setattr(guard, "GUARD", LoginGuard())

    def make(user: dict | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.secrets["auth"] = dict(AUTH)
        at.user = dict(user) if user else {"is_logged_in": False}
        return at
    return make


def buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.sidebar.button]


class TestSidebar:
    def test_only_the_oidc_login_without_a_users_file(self, oidc_app):
        at = oidc_app().run()
        assert not at.exception, [e.value for e in at.exception]
        assert "Logga in med kommunens konto" in buttons(at)
        assert "Logga in (personal)" not in buttons(at)
        at.sidebar.radio(key="lang").set_value("en").run()
        assert "Log in with the municipality's account" in buttons(at)

    def test_both_logins_with_a_users_file_unless_the_setting_says_no(self, oidc_app, monkeypatch):
        add_user("anna", "rätt-lösenord-12", audience="staff", path=settings.users_path)
        at = oidc_app().run()
        assert {"Logga in med kommunens konto", "Logga in (personal)"} <= set(buttons(at))
        monkeypatch.setattr(settings, "password_login", False)
        assert "Logga in (personal)" not in buttons(oidc_app().run())

    def test_staff_login_is_logged_once_per_sign_in_then_idle_logs_out(self, oidc_app):
        at = oidc_app(ANNA).run()
        assert not at.exception, [e.value for e in at.exception]
        assert "Inloggad: Anna Andersson (personal)" in [c.value for c in at.sidebar.caption]
        assert "Logga ut" in buttons(at)
        assert not at.sidebar.info
        oidc_app(ANNA).run()  # the same sign-in in a new session (a reload): no second login
        events = read_events()
        assert [(e["action"], e["who"], e["audience"]) for e in events] == [
            ("login", "anna@jarfalla.example", "staff")]
        assert json.loads(events[0]["what"]) == {"via": "oidc", "sub": "a1"}

        idle = (settings.idle_timeout_minutes + 1) * 60
        at.session_state["last_seen"] = at.session_state["last_seen"] - idle
        at.run()
        assert "Logga ut" not in buttons(at)
        assert at.user == {"is_logged_in": False}  # st.logout ran
        last = read_events()[-1]
        assert (last["action"], json.loads(last["what"])) == ("logout_idle", {"via": "oidc"})

    def test_no_mapped_group_is_public_and_told_so(self, oidc_app):
        at = oidc_app({**ANNA, "sub": "b1", "name": "Bertil Berg", "groups": ["alla"]}).run()
        assert "Inloggad: Bertil Berg (allmänheten)" in [c.value for c in at.sidebar.caption]
        assert [i.value for i in at.sidebar.info] == [
            "Ditt konto har ingen roll i Trygghetskartan: du ser samma vy som allmänheten."]
        assert at.session_state["user"].audience == "public"

    def test_log_out_button_calls_st_logout(self, oidc_app):
        at = oidc_app({**ANNA, "sub": "c1"}).run()
        at.sidebar.button(key="logout").click().run()
        assert at.user == {"is_logged_in": False}
        at.run()  # the browser comes back from the provider's log-out
        assert "Logga in med kommunens konto" in buttons(at)
        assert [e["action"] for e in read_events()] == ["login", "logout"]
