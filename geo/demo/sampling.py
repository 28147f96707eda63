"""Drawing points and times for the demo layers.

Points: a drawer is a function of ``k`` that returns ``k`` candidate points;
:func:`fill` keeps drawing until enough lie inside the outline. Times:
:func:`local_times` draws wall-clock times in the demo period with hour,
weekday and season patterns (the ``HOURS_*`` and ``DAYS_*`` profiles).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.demo.geography import CLUSTERS, Context
from geo.demo.planted import DEMO_CRS, DEMO_END, DEMO_START, DEMO_TZ


def fill(
    ctx: Context,
    n: int,
    draw: Callable[[int], np.ndarray],
    *,
    keep: Callable[[np.ndarray], np.ndarray] | None = None,
) -> np.ndarray:
    """Draw points in batches until ``n`` lie inside the outline (and pass ``keep``)."""
    out = np.empty((0, 2))
    for _ in range(200):
        if len(out) >= n:
            return out[:n]
        batch = draw(max(2 * (n - len(out)), 16))
        ok = ctx.inside(batch)
        if keep is not None:
            ok &= keep(batch)
        out = np.vstack([out, batch[ok]])
    msg = f"could not place {n} points inside the outline; is the boundary too small?"
    raise ValueError(msg)


def gaussian(rng: np.random.Generator, x: float, y: float, sd: float) -> Callable:
    """Return a drawer of ``k`` points spread normally around (x, y) with ``sd`` metres."""
    return lambda k: np.column_stack([rng.normal(x, sd, k), rng.normal(y, sd, k)])


def urban(rng: np.random.Generator, ctx: Context, spread: float = 0.55) -> Callable:
    """Draw around the clusters, weighted by population."""
    centres = np.array([(c.x, c.y) for c in CLUSTERS])
    sds = np.array([c.radius_m for c in CLUSTERS]) * spread

    def draw(k: int) -> np.ndarray:
        which = rng.choice(len(CLUSTERS), size=k, p=ctx.cluster_p)
        return centres[which] + rng.normal(0.0, 1.0, (k, 2)) * sds[which, None]

    return draw


def uniform(rng: np.random.Generator, ctx: Context) -> Callable:
    """Return a drawer of ``k`` points spread evenly over the outline's bounding box."""
    minx, miny, maxx, maxy = ctx.outline.bounds
    return lambda k: np.column_stack([rng.uniform(minx, maxx, k), rng.uniform(miny, maxy, k)])


def near(xy: np.ndarray, x: float, y: float, radius: float) -> np.ndarray:
    """Return whether each point lies closer than ``radius`` metres to (x, y)."""
    return np.hypot(xy[:, 0] - x, xy[:, 1] - y) < radius


def to_points(xy: np.ndarray) -> np.ndarray:
    """Return shapely points of an (n, 2) array of coordinates."""
    return shapely.points(xy[:, 0], xy[:, 1])


def make_ids(prefix: str, n: int, width: int) -> list[str]:
    """Return the ids ``<prefix>-0001`` ... numbered from 1, ``width`` digits."""
    return [f"{prefix}-{i:0{width}d}" for i in range(1, n + 1)]


def weighted_choice(rng: np.random.Generator, weights: Mapping[str, float], n: int) -> np.ndarray:
    """Draw ``n`` codes, each with the relative weight the mapping gives it."""
    codes = np.array(list(weights))
    p = np.array(list(weights.values()), dtype=float)
    return codes[rng.choice(len(codes), size=n, p=p / p.sum())]


def pick_text(rng: np.random.Generator, keys: np.ndarray, texts: Mapping[str, tuple]) -> np.ndarray:
    """For each key pick one of its texts, vectorised."""
    out = np.empty(len(keys), dtype=object)
    for key, options in texts.items():
        mask = keys == key
        out[mask] = np.array(options, dtype=object)[rng.integers(0, len(options), mask.sum())]
    return out


def layer_frame(data: Mapping[str, object], geometry: np.ndarray) -> gpd.GeoDataFrame:
    """Return the columns and geometries as a GeoDataFrame in :data:`~geo.demo.planted.DEMO_CRS`."""
    return gpd.GeoDataFrame(dict(data), geometry=list(geometry), crs=DEMO_CRS)


#: Relative frequency per hour of day (index 0 = 00:00-00:59).
HOURS_GENERAL = np.array([3.0, 2.5, 2.0, 1.5, 1.0, 0.8, 1.0, 1.5, 2.0, 2.5, 3.0, 3.3,
                           3.5, 3.5, 3.8, 4.2, 4.8, 5.2, 5.5, 5.8, 5.8, 5.5, 5.0, 4.0])
HOURS_CENTRE = np.array([1.0, 0.8, 0.6, 0.4, 0.3, 0.3, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0,
                          6.0, 6.0, 6.5, 7.0, 7.5, 7.5, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0])
#: 85 % of the weight between 22:00 and 05:00.
HOURS_NIGHT = np.array([85 / 7] * 5 + [15 / 17] * 17 + [85 / 7] * 2)
HOURS_OFFICE = np.array([0.2] * 7 + [3, 5, 5, 5, 4, 4, 4, 3, 2]
                         + [1.5, 1.0, 0.6, 0.5, 0.4, 0.3, 0.2, 0.2])
#: Relative frequency per weekday (index 0 = Monday).
DAYS_GENERAL = np.array([0.85, 0.85, 0.9, 0.95, 1.25, 1.35, 1.0])
DAYS_WEEKEND_NIGHTS = np.array([0.5, 0.5, 0.6, 0.8, 2.0, 2.4, 1.0])
DAYS_OFFICE = np.array([1.2, 1.2, 1.2, 1.2, 1.1, 0.4, 0.3])


def local_times(
    rng: np.random.Generator,
    n: int,
    *,
    hours: np.ndarray,
    weekdays: np.ndarray,
    start: pd.Timestamp = DEMO_START,
    end: pd.Timestamp = DEMO_END,
    summer: float = 0.15,
) -> pd.DatetimeIndex:
    """Draw wall-clock times in [start, end) with hour, weekday and season patterns."""
    days = pd.date_range(start.tz_localize(None).normalize(), end.tz_localize(None).normalize(),
                         freq="D", inclusive="left")
    season = 1.0 + summer * np.cos(2 * np.pi * (days.day_of_year.to_numpy() - 196) / 365.25)
    p_day = weekdays[days.day_of_week.to_numpy()] * season
    day = rng.choice(len(days), size=n, p=p_day / p_day.sum())
    hour = rng.choice(24, size=n, p=hours / hours.sum())
    second = rng.integers(0, 3600, size=n)
    naive = days.to_numpy()[day] + (hour * 3600 + second).astype("timedelta64[s]")
    local = pd.DatetimeIndex(naive).tz_localize(
        DEMO_TZ, ambiguous=rng.random(n) < 0.5, nonexistent="shift_forward"
    )
    return local.as_unit("ns")


def local_dates(values: list[str | None]) -> pd.Series:
    """Dates as local midnight; ``None`` becomes NaT."""
    return pd.Series(pd.to_datetime(values)).dt.tz_localize(DEMO_TZ).dt.as_unit("ns")


def utc_seconds(seconds: np.ndarray) -> pd.Series:
    """Seconds since the epoch (NaN for none) as local timestamps."""
    return pd.Series(pd.to_datetime(seconds, unit="s", utc=True)).dt.tz_convert(DEMO_TZ)


def to_ns(times: pd.DatetimeIndex) -> np.ndarray:
    """Nanoseconds since the epoch, whatever the index's unit."""
    return times.as_unit("ns").asi8


def from_ns(values: np.ndarray) -> pd.DatetimeIndex:
    """Return nanoseconds since the epoch as local (Europe/Stockholm) times."""
    return pd.DatetimeIndex(pd.to_datetime(values, unit="ns", utc=True)).tz_convert(DEMO_TZ)

