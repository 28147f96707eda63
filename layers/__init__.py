"""Declarative layer specs: one module per layer, and the code that checks them.

Examples
--------
>>> from layers import get_spec, layer_names
>>> get_spec("incidents").sensitivity
'internal'
>>> len(layer_names())
13
"""

from layers.registry import all_specs, get_spec
from layers.spec import Choice, Column, LayerSpec, Style
from layers.validate import Problem, validate_frame


def layer_names() -> tuple[str, ...]:
    """Return the names of every layer, in display order."""
    return tuple(all_specs())


__all__ = [
    "Choice",
    "Column",
    "LayerSpec",
    "Problem",
    "Style",
    "all_specs",
    "get_spec",
    "layer_names",
    "validate_frame",
]
