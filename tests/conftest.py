"""Shared fixtures: the seeded demo store, and the shared real data beside the repo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _pytest.doctest import DoctestModule

from geo import demo, settings

SHARED = settings.PROJECT_ROOT.parent / "shared"


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    """Collect no doctests from ``tests/`` (``--doctest-modules`` is for ``geo/`` and ``layers/``).

    Importing the helper modules here for their doctests would import them before
    pytest registers them as plugins (``pytest_plugins = ["postgis_server"]``), too
    late to rewrite their asserts.
    """
    collected = yield
    return [item for item in collected if not isinstance(item, DoctestModule)]
DEMO_INCIDENTS = 3000


def require_file(path: Path, what: str) -> Path:
    """Return ``path``; if it is missing, fail in CI and skip elsewhere."""
    if path.exists():
        return path
    message = f"{what} is missing at {path}"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI must have ../shared beside the checkout")
    pytest.skip(message)
    return path  # unreachable


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return require_file(SHARED, "the shared folder (real data, program text)")


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo store with 3,000 incidents, built once per test session."""
    path = tmp_path_factory.mktemp("demo") / "demo.gpkg"
    demo.build_demo(path, incidents=DEMO_INCIDENTS)
    return path


@pytest.fixture(autouse=True)
def _fresh_server_limits(monkeypatch):
    """Each test starts with the login lock-out and the Tipsa counts of a new server process."""
    from geo.app import guard

    monkeypatch.setattr(guard, "GUARD", guard.LoginGuard())
    monkeypatch.setattr(guard, "REPORTS", guard.EventLog())
