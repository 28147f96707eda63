"""The examples in the work-list modules' docstrings run and give what they say."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "geo.worklists",
    "geo.worklists.sun",
    "geo.worklists.texts",
    "geo.worklists.lighting",
    "geo.worklists.lighting_faults",
    "geo.worklists.graffiti",
    "geo.worklists.graffiti_compliance",
    "geo.worklists.cameras",
    "geo.worklists.flood",
    "geo.worklists.export",
    "geo.cli.worklists",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests_pass(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
