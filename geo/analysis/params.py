"""The parameters of a lägesbild, parsed and checked in one place."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from geo.analysis.composite import DEFAULT_WEIGHTS, check_weights
from geo.analysis.filters import parse_date, parse_hours, parse_weekdays
from geo.analysis.units import check_unit_kind
from geo.audiences import DEFAULT_AUDIENCE, check_audience
from layers import get_spec


@dataclass(frozen=True)
class LagesbildParams:
    """What a lägesbild is computed for.

    Attributes
    ----------
    unit : {"grid250", "grid1000", "areas"}
        The geography.
    start, end : pandas.Timestamp
        The period ``[start, end)`` in Europe/Stockholm.
    hours : tuple of int or None
        Time-of-day window ``(start_hour, end_hour)``, may cross midnight.
    weekdays : tuple of int or None
        Local weekdays, 0 = Monday.
    categories : tuple of str or None
        Incident categories (all non-protected when None).
    area_kind : str
        Area kind for ``unit="areas"``.
    weights : tuple of (str, float)
        Composite index weights (a tuple, so the parameters can be hashed).
    audience : {"public", "staff", "protected"}
        Who the result is for.
    fdr : bool
        Apply the false discovery rate correction to hot spots.
    """

    unit: str
    start: pd.Timestamp
    end: pd.Timestamp
    hours: tuple[int, int] | None = None
    weekdays: tuple[int, ...] | None = None
    categories: tuple[str, ...] | None = None
    area_kind: str = "kommundel"
    weights: tuple[tuple[str, float], ...] = tuple(DEFAULT_WEIGHTS.items())
    audience: str = DEFAULT_AUDIENCE
    fdr: bool = False

    def __post_init__(self) -> None:
        check_unit_kind(self.unit)
        check_audience(self.audience)
        check_weights(dict(self.weights))
        if not self.start < self.end:
            msg = f"the period must start before it ends (from {self.start} to {self.end})"
            raise ValueError(msg)
        if self.categories is not None:
            allowed = get_spec("incidents").column("category").allowed
            unknown = [c for c in self.categories if c not in allowed]
            if unknown:
                msg = f"unknown categories {unknown}; allowed: {', '.join(allowed)}"
                raise ValueError(msg)

    @classmethod
    def from_text(
        cls,
        *,
        unit: str = "grid250",
        date_from: str | pd.Timestamp,
        date_to: str | pd.Timestamp,
        hours: str | None = None,
        weekdays: str | None = None,
        categories: str | list[str] | None = None,
        area_kind: str = "kommundel",
        weights: dict[str, float] | None = None,
        audience: str = DEFAULT_AUDIENCE,
        fdr: bool = False,
    ) -> LagesbildParams:
        """Build parameters from user text, as the command line and the app give it.

        ``date_to`` is inclusive when it is a date without a time: the period
        ends at the following midnight.

        Parameters
        ----------
        unit : str, default "grid250"
            The geography.
        date_from, date_to : str or pandas.Timestamp
            The period, e.g. ``"2026-01-01"`` and ``"2026-03-31"``.
        hours : str, optional
            ``"22-05"``.
        weekdays : str, optional
            ``"fri,sat"``.
        categories : str or list of str, optional
            Comma-separated text or a list.
        area_kind : str, default "kommundel"
            Area kind for ``unit="areas"``.
        weights : dict of str to float, optional
            Composite weights; defaults to :data:`geo.analysis.composite.DEFAULT_WEIGHTS`.
        audience : str, default "public"
            Who the result is for.
        fdr : bool, default False
            False discovery rate correction of hot spots.

        Returns
        -------
        LagesbildParams
            Checked parameters.

        Raises
        ------
        ValueError
            On any value that cannot be used, naming it.

        Examples
        --------
        >>> p = LagesbildParams.from_text(date_from="2026-01-01", date_to="2026-03-31", hours="22-05")
        >>> p.end.isoformat(), p.hours
        ('2026-04-01T00:00:00+02:00', (22, 5))
        """
        start = parse_date(date_from, argument="from")
        end = parse_date(date_to, argument="to")
        if isinstance(date_to, str) and len(date_to.strip()) == 10:
            end = parse_date(pd.Timestamp(date_to) + pd.Timedelta(days=1), argument="to")
        if isinstance(categories, str):
            categories = [c.strip() for c in categories.split(",") if c.strip()]
        return cls(
            unit=unit,
            start=start,
            end=end,
            hours=parse_hours(hours),
            weekdays=parse_weekdays(weekdays),
            categories=tuple(categories) if categories else None,
            area_kind=area_kind,
            weights=tuple(check_weights(weights if weights is not None else DEFAULT_WEIGHTS).items()),
            audience=audience,
            fdr=fdr,
        )

    @property
    def previous(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The previous period of equal length, ending where this one starts."""
        return self.start - (self.end - self.start), self.start

    def as_dict(self) -> dict:
        """Return the parameters as JSON-friendly values (for snapshots)."""
        data = asdict(self)
        data["start"] = self.start.isoformat()
        data["end"] = self.end.isoformat()
        data["weights"] = dict(self.weights)
        return data
