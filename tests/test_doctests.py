"""The docstring examples run with the tests: ``python -m pytest`` collects them from geo/ and layers/."""

from __future__ import annotations

import doctest
import importlib
import tomllib

import pytest

from geo import settings

#: Modules whose examples document their use; each must keep at least one.
WITH_EXAMPLES = [
    "geo.worklists",
    "geo.worklists.sun",
    "geo.worklists.texts",
    "geo.worklists.lighting",
    "geo.worklists.graffiti",
    "geo.worklists.cameras",
    "geo.worklists.flood",
    "geo.worklists.export",
    "geo.cli.worklists",
    "geo.i18n",
]


def test_pytest_collects_the_examples():
    config = tomllib.loads((settings.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    options = config["tool"]["pytest"]["ini_options"]
    assert options["testpaths"] == ["tests", "geo", "layers"]
    assert "--doctest-modules" in options["addopts"].split()


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_module_has_examples(name):
    tests = doctest.DocTestFinder().find(importlib.import_module(name))
    assert sum(len(test.examples) for test in tests) > 0
