"""The registry of layer specs, checked in one pass when first loaded."""

from __future__ import annotations

import re
from functools import cache
from importlib import import_module

from layers.errors import LayerSpecError
from layers.spec import DTYPES, GEOMETRY_TYPES, SENSITIVITIES, LayerSpec

#: The layers of PRODUCT.md and the five more the program names, in display order.
LAYER_MODULES: tuple[str, ...] = (
    "areas",
    "incidents",
    "lighting",
    "cameras",
    "graffiti",
    "flood_risk",
    "unsafe_places",
    "facilities",
    "safety_offices",
    "guard_areas",
    "neighbourhood_watch",
    "vehicle_barriers",
    "unauthorised_settlements",
)

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def spec_problems(spec: LayerSpec) -> list[str]:
    """List every problem of one spec (empty when it is sound).

    Parameters
    ----------
    spec : LayerSpec
        The spec to check.

    Returns
    -------
    list of str
        One message per problem, each naming the layer and the field.
    """
    where = f"layer {spec.name!r}"
    problems: list[str] = []
    if not _NAME.match(spec.name):
        problems.append(f"{where}: name must be snake_case")
    if not spec.columns or spec.columns[0].name != "id" or not spec.columns[0].unique:
        problems.append(f"{where}: the first column must be the unique 'id'")
    names = [c.name for c in spec.columns]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"{where}: column {dup!r} is declared twice")
    for col in spec.columns:
        if not _NAME.match(col.name):
            problems.append(f"{where}: column {col.name!r} must be snake_case")
        if col.dtype not in DTYPES:
            problems.append(
                f"{where}: column {col.name!r} has dtype {col.dtype!r}; allowed: {', '.join(DTYPES)}"
            )
        if col.choices and col.dtype != "string":
            problems.append(f"{where}: column {col.name!r} has choices but is not a string")
        if (col.minimum is not None or col.maximum is not None) and col.dtype not in ("int", "float"):
            problems.append(f"{where}: column {col.name!r} has a range but is not numeric")
        codes = [c.code for c in col.choices]
        if len(set(codes)) != len(codes):
            problems.append(f"{where}: column {col.name!r} repeats a choice")
    unknown_geoms = set(spec.geometry_types) - set(GEOMETRY_TYPES)
    if not spec.geometry_types or unknown_geoms:
        problems.append(f"{where}: geometry types {sorted(unknown_geoms)} not in {GEOMETRY_TYPES}")
    if spec.sensitivity not in SENSITIVITIES:
        problems.append(
            f"{where}: sensitivity {spec.sensitivity!r}; allowed: {', '.join(SENSITIVITIES)}"
        )
    if any(not 1 <= a <= 77 for a in spec.actions):
        problems.append(f"{where}: actions must be numbers from 1 to 77")
    for attr in ("time_column", "category_column"):
        value = getattr(spec, attr)
        if value is not None and value not in names:
            problems.append(f"{where}: {attr}={value!r} is not a column")
    if spec.time_column and spec.column(spec.time_column).dtype != "datetime":
        problems.append(f"{where}: time_column {spec.time_column!r} is not a datetime")
    style = spec.style
    for colour in (style.color, style.fill_color, *(c for _, c in style.palette)):
        if colour is not None and not _HEX.match(colour):
            problems.append(f"{where}: style colour {colour!r} is not #rrggbb")
    if style.color_by is not None and style.color_by not in names:
        problems.append(f"{where}: style color_by={style.color_by!r} is not a column")
    if not 0 <= style.fill_opacity <= 1:
        problems.append(f"{where}: style fill_opacity must be between 0 and 1")
    return problems


def check_specs(specs: dict[str, LayerSpec]) -> None:
    """Check every spec and raise once with every problem found.

    Parameters
    ----------
    specs : dict of str to LayerSpec
        Specs by the name they are registered under.

    Raises
    ------
    LayerSpecError
        Listing every problem of every spec.
    """
    problems: list[str] = []
    for key, spec in specs.items():
        if key != spec.name:
            problems.append(f"layer registered as {key!r} is named {spec.name!r}")
        problems.extend(spec_problems(spec))
    if problems:
        raise LayerSpecError("invalid layer specs:\n  " + "\n  ".join(problems))


@cache
def all_specs() -> dict[str, LayerSpec]:
    """Return every layer spec by name, checked once.

    Returns
    -------
    dict of str to LayerSpec
        In display order.

    Raises
    ------
    LayerSpecError
        If any spec is malformed (every problem is listed).
    """
    specs = {name: import_module(f"layers.{name}").SPEC for name in LAYER_MODULES}
    check_specs(specs)
    return specs


def get_spec(name: str) -> LayerSpec:
    """Return the spec of layer ``name``.

    Parameters
    ----------
    name : str
        A layer name, e.g. ``"incidents"``.

    Returns
    -------
    LayerSpec
        The layer's spec.

    Raises
    ------
    LayerSpecError
        If there is no such layer; the message lists the valid names.

    Examples
    --------
    >>> get_spec("graffiti").actions
    (7,)
    """
    specs = all_specs()
    if name not in specs:
        msg = f"unknown layer {name!r}; valid layers: {', '.join(specs)}"
        raise LayerSpecError(msg)
    return specs[name]
