"""The notebooks' code runs as written (so the worked examples never rot)."""

from __future__ import annotations

import json

import pytest

from geo import settings

NOTEBOOKS = sorted((settings.PROJECT_ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_code_runs(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    namespace: dict = {}
    for cell in cells:
        if cell["cell_type"] == "code":
            exec(compile("".join(cell["source"]), f"{path.name}", "exec"), namespace)
    if path.name == "lagesbild_demo.ipynb":
        classes = namespace["classes"]
        spots = namespace["planted"].PLANTED_HOTSPOTS
        assert [classes[spot.unit_id] for spot in spots] == ["hot_99"] * 3
