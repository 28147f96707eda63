"""Shared fixtures: the seeded demo store, and the shared real data beside the repo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from geo import demo, settings

SHARED = settings.PROJECT_ROOT.parent / "shared"
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
