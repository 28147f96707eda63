"""The vocabulary of layer specs: columns, allowed values, styles, sensitivity.

A layer spec is data. Each module in :mod:`layers` declares one
:class:`LayerSpec` named ``SPEC``; :mod:`layers.registry` collects them and
checks every spec in one pass at import time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Sensitivity = Literal["open", "internal", "protected"]
DType = Literal["string", "int", "float", "bool", "datetime"]

#: CRS of analysis and storage, SWEREF 99 TM: every layer is kept in it.
STORAGE_CRS: str = "EPSG:3006"
#: Time zone every stored timestamp is read back in.
TIMEZONE: str = "Europe/Stockholm"

SENSITIVITIES: tuple[str, ...] = ("open", "internal", "protected")
DTYPES: tuple[str, ...] = ("string", "int", "float", "bool", "datetime")
GEOMETRY_TYPES: tuple[str, ...] = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
)


@dataclass(frozen=True)
class Choice:
    """One allowed value of a categorical column.

    Parameters
    ----------
    code : str
        The stored value (snake_case, stable; scripts rely on it).
    sv, en : str
        Labels in Swedish and English.
    protected : bool, default False
        Rows with this value are protected data: never drawn or exported
        as points, only as aggregates with small counts suppressed.
    """

    code: str
    sv: str
    en: str
    protected: bool = False

    def label(self, lang: str = "sv") -> str:
        """Return the label in ``lang`` ("sv" or "en")."""
        return self.en if lang == "en" else self.sv


@dataclass(frozen=True)
class Column:
    """One attribute column of a layer.

    Parameters
    ----------
    name : str
        Column name (snake_case).
    dtype : {"string", "int", "float", "bool", "datetime"}
        Logical type; ``datetime`` is always tz-aware (Europe/Stockholm).
    sv, en : str
        Headings in Swedish and English.
    required : bool, default False
        The column must exist and have no empty values.
    choices : tuple of Choice, default ()
        Allowed values; empty means any value.
    minimum, maximum : float, optional
        Inclusive range for numbers.
    unique : bool, default False
        Values must be unique within the layer.
    unit : str, default ""
        Unit of measure shown with the heading (``"m"``, ``"grader"``).
    """

    name: str
    dtype: DType
    sv: str
    en: str
    required: bool = False
    choices: tuple[Choice, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    unique: bool = False
    unit: str = ""

    @property
    def allowed(self) -> tuple[str, ...]:
        """The allowed codes, empty when any value is allowed."""
        return tuple(c.code for c in self.choices)

    @property
    def protected_values(self) -> tuple[str, ...]:
        """The codes whose rows are protected."""
        return tuple(c.code for c in self.choices if c.protected)

    def label(self, lang: str = "sv") -> str:
        """Return the heading in ``lang`` ("sv" or "en")."""
        return self.en if lang == "en" else self.sv


@dataclass(frozen=True)
class Style:
    """Default map style of a layer (folium/Leaflet vocabulary).

    Parameters
    ----------
    color : str
        Stroke colour (hex).
    fill_color : str, optional
        Fill colour; defaults to ``color``.
    fill_opacity : float, default 0.35
        Fill opacity from 0 to 1.
    weight : float, default 2
        Stroke width in pixels.
    radius : float, default 4
        Radius of point markers in pixels.
    color_by : str, optional
        A column whose values choose colours from ``palette``.
    palette : tuple of (str, str), default ()
        Pairs of (value, colour) for ``color_by``.
    """

    color: str
    fill_color: str | None = None
    fill_opacity: float = 0.35
    weight: float = 2
    radius: float = 4
    color_by: str | None = None
    palette: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class LayerSpec:
    """The declarative spec of one layer.

    Parameters
    ----------
    name : str
        Layer (table) name, snake_case.
    sv, en : str
        Display names in Swedish and English.
    geometry_types : tuple of str
        Allowed geometry types (``"Polygon"`` and ``"MultiPolygon"`` listed
        separately).
    columns : tuple of Column
        Attribute columns; the first is always the stable ``id``.
    sensitivity : {"open", "internal", "protected"}
        Who may see the layer: open (publishable), internal (staff),
        protected (aggregates only).
    actions : tuple of int
        Numbers of the 77-punktsprogram actions the layer follows up.
    style : Style
        Default map style.
    time_column : str, optional
        The column that time filters apply to.
    category_column : str, optional
        The column that category filters apply to.
    description_sv, description_en : str
        One sentence on what the layer holds.
    """

    name: str
    sv: str
    en: str
    geometry_types: tuple[str, ...]
    columns: tuple[Column, ...]
    sensitivity: Sensitivity
    actions: tuple[int, ...]
    style: Style
    time_column: str | None = None
    category_column: str | None = None
    description_sv: str = ""
    description_en: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def column_names(self) -> tuple[str, ...]:
        """Names of the spec's columns, in order."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        """Return the column called ``name``.

        Parameters
        ----------
        name : str
            A column of this layer.

        Returns
        -------
        Column
            The column spec.

        Raises
        ------
        KeyError
            If the layer has no such column; the message lists the columns.
        """
        for col in self.columns:
            if col.name == name:
                return col
        msg = f"layer {self.name!r} has no column {name!r}; columns: {', '.join(self.column_names)}"
        raise KeyError(msg)

    @property
    def protected_values(self) -> dict[str, tuple[str, ...]]:
        """Per column, the values whose rows are protected."""
        return {c.name: c.protected_values for c in self.columns if c.protected_values}

    @property
    def is_point_layer(self) -> bool:
        """Whether the layer holds points only."""
        return set(self.geometry_types) <= {"Point", "MultiPoint"}

    def label(self, lang: str = "sv") -> str:
        """Return the display name in ``lang`` ("sv" or "en")."""
        return self.en if lang == "en" else self.sv


ID = Column("id", "string", "Id", "Id", required=True, unique=True)
"""The stable identifier every layer starts with."""

POLYGONS: tuple[str, ...] = ("Polygon", "MultiPolygon")
POINTS: tuple[str, ...] = ("Point",)
