"""The errors of the layer specs, and the base class of every error of the package.

They live here, on the bottom floor, because :mod:`layers` imports nothing
from :mod:`geo`; :mod:`geo.errors` re-exports them beside the others, and
that is where callers import them from.
"""

from __future__ import annotations


class TrygghetskartanError(ValueError):
    """Base class of every error this package raises on purpose."""


class LayerSpecError(TrygghetskartanError):
    """A layer spec is malformed, or a layer name is unknown."""
