"""What the import pipeline needs from a store: the write modes and the :class:`LayerStore` protocol.

:mod:`geo.io` sits below :mod:`geo.store` and imports nothing from it. The
importer (:func:`geo.io.importer.import_file`) and the kommun check of
:mod:`geo.io.placing` are typed against :class:`LayerStore`, which every
:class:`geo.store.base.Store` satisfies; the store takes :data:`WRITE_MODES`
from here.

Attributes
----------
WriteMode : typing.Literal
    ``"append"`` or ``"replace"``.
WRITE_MODES : tuple of str
    The allowed write modes, ``("append", "replace")``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:
    import geopandas as gpd
    import numpy as np

WriteMode = Literal["append", "replace"]
WRITE_MODES: tuple[str, ...] = ("append", "replace")

__all__ = ["WRITE_MODES", "LayerStore", "WriteMode"]


@runtime_checkable
class LayerStore(Protocol):
    """The store as the importer uses it: list and read layers, look up ids, write checked rows.

    :class:`geo.store.base.Store` (GeoPackage and PostGIS) implements it;
    the protocol is runtime-checkable, so ``isinstance(store, LayerStore)``
    tells whether an object has these methods.
    """

    def list_layers(self) -> list[str]:
        """Return the names of the layers stored, in spec order."""
        ...

    def read(self, layer: str, *, categories: Iterable[str] | None = None) -> gpd.GeoDataFrame:
        """Read a layer in EPSG:3006, only the rows of the given categories if any."""
        ...

    def existing_ids(self, layer: str) -> set[str]:
        """Return the ids stored in a layer (empty when it is not stored yet)."""
        ...

    def write_validated(
        self,
        layer: str,
        frame: gpd.GeoDataFrame,
        *,
        mode: WriteMode = "append",
        source: str = "",
        note: str = "",
        points: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> int:
        """Write rows already validated against the layer's spec and the ids stored; return their count."""
        ...
