"""The action register of the 77-punktsprogram and the actions followed up on the map.

- :mod:`geo.actions.program`: the actions and the bodies, read from
  ``data/actions.json``.
- :mod:`geo.actions.program_text`: parse the program text and build that file.
- :mod:`geo.actions.spatial`: which actions have map indicators, and from
  which layers.

Examples
--------
>>> from geo.actions import SPATIAL_ACTIONS, load_actions
>>> actions = load_actions()
>>> actions[6].section_title, SPATIAL_ACTIONS[7].layers
('Trygghet', ('graffiti',))
"""

from geo.actions.program import (
    ACTION_COUNT,
    BODIES,
    BODY_NAME_FALLBACKS,
    Action,
    actions_path,
    load_actions,
    load_body_names,
    seed_path,
)
from geo.actions.program_text import build_actions_file, parse_body_names, parse_program
from geo.actions.spatial import SPATIAL_ACTIONS, SpatialAction
from geo.errors import ProgramParseError

__all__ = [
    "ACTION_COUNT",
    "BODIES",
    "BODY_NAME_FALLBACKS",
    "SPATIAL_ACTIONS",
    "Action",
    "ProgramParseError",
    "SpatialAction",
    "actions_path",
    "build_actions_file",
    "load_actions",
    "load_body_names",
    "parse_body_names",
    "parse_program",
    "seed_path",
]
