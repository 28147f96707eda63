"""Camera work lists (action 6): uncovered hot spots, permits running out, coverage.

``candidates``
    The hot spots of the lägesbild (Getis-Ord Gi* class ``hot_90`` or
    better, see :mod:`geo.analysis.hotspots`) that no active camera covers, ranked as
    candidate sites: most incidents first, then the highest z-score. A unit
    is *covered* when the view sector of an active camera contains its
    centre (the centroid, or a point on its surface when the centroid falls
    outside). Units that are hot only through their neighbours (fewer than
    ``min_incidents`` incidents of their own) are left out.
``permits``
    Active cameras whose permit has run out or runs out within ``months``
    months after the reference time, and those with no permit recorded
    (first: a camera in use without a permit is the most urgent).
``coverage``
    Every active and planned camera as a view sector (position, direction,
    opening angle, range) with the sector's area and the hot spots it sees.
    The list is a GeoDataFrame whose geometry is the sector.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.analysis.hotspots import CONFIDENCE_LEVELS
from geo.analysis.indicators import cameras as camera_ind
from geo.analysis.nearest import nearest_distance
from geo.analysis.params import LagesbildParams
from geo.analysis.prepared import Prepared
from geo.audiences import DEFAULT_AUDIENCE
from geo.crs import check_same_crs, require_projected
from geo.i18n import format_date, format_number, t
from geo.privacy import check_audience, compute_lagesbild
from geo.worklists import Worklists, whole_metres, with_rank
from geo.worklists._common import check_at
from geo.worklists._common import place_xy as _xy
from geo.worklists._common import tz_aware as _tz
from geo.worklists.texts import value_label

CONFIDENCES: tuple[int, ...] = tuple(int(suffix) for _, suffix in CONFIDENCE_LEVELS)
"""Allowed ``min_confidence`` values, percent."""

DEFAULT_MIN_CONFIDENCE: int = 90
"""Hot spots at 90 % confidence or more are candidates."""

DEFAULT_MIN_INCIDENTS: int = 1
"""Fewest incidents of its own a hot unit needs to be a candidate site."""

DEFAULT_PERMIT_MONTHS: int = 6
"""Permits running out within this many months are listed."""

DEFAULT_UNIT: str = "grid250"
"""Geography of the hot spots."""

SHOWN_SHARE: float = 0.005
"""A unit's camera-covered share is mentioned in ``why`` from half a percent."""

CANDIDATE_COLUMNS: tuple[str, ...] = (
    "rank", "unit_id", "name", "gi_class", "gi_z", "incidents", "camera_share", "nearest_camera_m", "why",
    "x", "y",
)
"""Columns of the ``candidates`` list, in order."""

PERMIT_COLUMNS: tuple[str, ...] = ("rank", "id", "status", "permit_valid_until", "days_left", "why", "x", "y")
"""Columns of the ``permits`` list, in order."""

COVERAGE_COLUMNS: tuple[str, ...] = (
    "rank", "id", "status", "x", "y", "direction_deg", "angle_deg", "range_m", "sector_area_m2",
    "permit_valid_until", "hotspots_seen",
)
"""Columns of the ``coverage`` list, in order (plus the sector geometry)."""

__all__ = [
    "CANDIDATE_COLUMNS",
    "CONFIDENCES",
    "COVERAGE_COLUMNS",
    "DEFAULT_MIN_CONFIDENCE",
    "DEFAULT_MIN_INCIDENTS",
    "DEFAULT_PERMIT_MONTHS",
    "DEFAULT_UNIT",
    "PERMIT_COLUMNS",
    "camera_worklists",
    "coverage_list",
    "expiring_permits",
    "hot_classes",
    "uncovered_hotspots",
    "unit_centres",
]


def hot_classes(min_confidence: int = DEFAULT_MIN_CONFIDENCE) -> tuple[str, ...]:
    """Return the Gi* classes that count as hot at ``min_confidence`` or more.

    Parameters
    ----------
    min_confidence : {90, 95, 99}, default 90
        Lowest confidence, percent.

    Returns
    -------
    tuple of str
        E.g. ``("hot_99", "hot_95")`` for 95.

    Raises
    ------
    ValueError
        If ``min_confidence`` is not one of :data:`CONFIDENCES`.

    Examples
    --------
    >>> hot_classes(95)
    ('hot_99', 'hot_95')
    """
    if isinstance(min_confidence, bool) or min_confidence not in CONFIDENCES:
        msg = (f"min_confidence={min_confidence!r} is not allowed; allowed: "
               f"{', '.join(map(str, sorted(CONFIDENCES)))}")
        raise ValueError(msg)
    return tuple(f"hot_{c}" for c in sorted(CONFIDENCES, reverse=True) if c >= min_confidence)


def unit_centres(units: gpd.GeoDataFrame) -> np.ndarray:
    """Return the centre of each unit: its centroid, or a point on its surface if that lies outside.

    Parameters
    ----------
    units : geopandas.GeoDataFrame
        Unit polygons in a projected CRS.

    Returns
    -------
    numpy.ndarray of float64, shape (len(units), 2)
        ``x, y`` per unit; NaN for a missing or empty geometry.

    Raises
    ------
    CRSError
        If ``units`` has no CRS or a geographic one.

    Examples
    --------
    >>> from shapely import box
    >>> unit_centres(gpd.GeoDataFrame(geometry=[box(0, 0, 250, 250)], crs="EPSG:3006"))
    array([[125., 125.]])
    """
    require_projected(units, name="units")
    geoms = np.asarray(units.geometry.array, dtype=object)
    out = np.full((len(geoms), 2), np.nan)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not present.any():
        return out
    shown = geoms[present]
    centre = shapely.centroid(shown)
    outside = ~shapely.contains(shown, centre)
    centre[outside] = shapely.point_on_surface(shown[outside])
    out[present] = shapely.get_coordinates(centre)
    return out


def uncovered_hotspots(
    lagesbild: gpd.GeoDataFrame,
    cameras: gpd.GeoDataFrame,
    *,
    min_confidence: int = DEFAULT_MIN_CONFIDENCE,
    min_incidents: int = DEFAULT_MIN_INCIDENTS,
    lang: str = "sv",
) -> pd.DataFrame:
    """Rank the hot spots no active camera covers, as candidate camera sites.

    Parameters
    ----------
    lagesbild : geopandas.GeoDataFrame
        Units with ``unit_id``, ``gi_class``, ``gi_z``, ``incidents``
        (nullable when suppressed) and optionally ``name`` and
        ``camera_share``; polygons in a projected CRS (a
        :func:`geo.privacy.compute_lagesbild` result).
    cameras : geopandas.GeoDataFrame
        The cameras layer, same CRS. Only active cameras cover.
    min_confidence : {90, 95, 99}, default 90
        Lowest Gi* confidence of a hot spot.
    min_incidents : int, default 1
        Fewest incidents of its own a unit needs; a suppressed count (1 to
        k-1 for the public) counts as 1.
    lang : {"sv", "en"}, default "sv"
        Language of ``why``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CANDIDATE_COLUMNS`: ``x``/``y`` is the unit's
        centre, ``nearest_camera_m`` its distance to the nearest active
        camera (``inf`` without one). Ordered by incidents (most first),
        then ``gi_z`` (highest first), then ``unit_id``.

    Raises
    ------
    CRSError
        If a frame has no CRS or a geographic one, or the CRSs differ.
    ValueError
        If a column is missing or an option is not allowed.

    Examples
    --------
    >>> from shapely import Point, box
    >>> units = gpd.GeoDataFrame(
    ...     {"unit_id": ["A", "B"], "gi_class": ["hot_99", "hot_95"], "gi_z": [4.0, 2.5],
    ...      "incidents": [30, 12]},
    ...     geometry=[box(0, 0, 250, 250), box(250, 0, 500, 250)], crs="EPSG:3006")
    >>> cams = gpd.GeoDataFrame(
    ...     {"status": ["active"], "direction_deg": [0.0], "angle_deg": [90.0], "range_m": [70.0]},
    ...     geometry=[Point(125, 80)], crs="EPSG:3006")
    >>> uncovered_hotspots(units, cams)[["rank", "unit_id", "nearest_camera_m"]].values.tolist()
    [[1, 'B', 254.0]]
    """
    classes = hot_classes(min_confidence)
    if (isinstance(min_incidents, bool) or not isinstance(min_incidents, int | np.integer)
            or min_incidents < 0):
        msg = f"min_incidents={min_incidents!r} is not allowed; expected an integer >= 0"
        raise ValueError(msg)
    missing = [c for c in ("unit_id", "gi_class", "gi_z", "incidents") if c not in lagesbild.columns]
    if missing:
        msg = (f"lagesbild lacks column(s) {', '.join(missing)}; pass a result of "
               "geo.privacy.compute_lagesbild()")
        raise ValueError(msg)
    require_projected(lagesbild, name="lagesbild")
    require_projected(cameras, name="cameras")
    check_same_crs(lagesbild, cameras, left_name="lagesbild", right_name="cameras")
    centres = unit_centres(lagesbild)
    active = _active(cameras)
    covered = (camera_ind.points_in_sectors(centres, camera_ind.view_sectors(cameras)) if len(active)
               else np.zeros(len(centres), dtype=bool))
    camera_xy = _xy(active)
    nearest = nearest_distance(centres, camera_xy)
    incidents = pd.array(lagesbild["incidents"], dtype="Int64")
    own = incidents.fillna(1).to_numpy(dtype=np.int64)
    hot = lagesbild["gi_class"].isin(classes).to_numpy(dtype=bool)
    chosen = hot & ~covered & (own >= min_incidents)
    share = (pd.to_numeric(lagesbild["camera_share"], errors="coerce").to_numpy(dtype=float)
             if "camera_share" in lagesbild.columns else np.full(len(lagesbild), np.nan))
    table = pd.DataFrame({
        "unit_id": lagesbild["unit_id"].astype(str).to_numpy(),
        "name": _names(lagesbild),
        "gi_class": lagesbild["gi_class"].astype(object).to_numpy(),
        "gi_z": np.round(pd.to_numeric(lagesbild["gi_z"]).to_numpy(dtype=float), 2),
        "incidents": incidents,
        "camera_share": np.round(share, 4),
        "nearest_camera_m": np.round(nearest, 0),
        "x": whole_metres(centres[:, 0]),
        "y": whole_metres(centres[:, 1]),
    })[chosen]
    table = table.sort_values(["incidents", "gi_z", "unit_id"], ascending=[False, False, True],
                              na_position="last", kind="stable")
    table = with_rank(table)
    table["why"] = [_why_candidate(row, lang) for row in table.itertuples(index=False)]
    return table[list(CANDIDATE_COLUMNS)]


def expiring_permits(
    cameras: gpd.GeoDataFrame,
    *,
    at: pd.Timestamp,
    months: int = DEFAULT_PERMIT_MONTHS,
    lang: str = "sv",
) -> pd.DataFrame:
    """List the active cameras whose permit has run out or runs out within ``months``.

    Parameters
    ----------
    cameras : geopandas.GeoDataFrame
        The cameras layer with ``id``, ``status`` and tz-aware
        ``permit_valid_until`` (the last valid day).
    at : pandas.Timestamp
        Reference time, tz-aware.
    months : int, default 6
        Horizon in calendar months after ``at``, >= 0.
    lang : {"sv", "en"}, default "sv"
        Language of ``why``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PERMIT_COLUMNS`: cameras without a recorded permit
        first, then by ``days_left`` (whole local days from ``at``'s date to
        the last valid day; negative when it has run out), then ``id``.

    Raises
    ------
    ValueError
        If ``at`` is naive, ``months`` is negative, or a column is missing
        or naive.

    Examples
    --------
    >>> from shapely import Point
    >>> tz = "Europe/Stockholm"
    >>> cams = gpd.GeoDataFrame({
    ...     "id": ["c1", "c2", "c3"], "status": ["active"] * 3,
    ...     "permit_valid_until": pd.to_datetime(["2027-01-31", "2026-09-30", "2028-01-01"]).tz_localize(tz)},
    ...     geometry=[Point(0, 0)] * 3, crs="EPSG:3006")
    >>> expiring_permits(cams, at=pd.Timestamp("2026-10-01", tz=tz))[["rank", "id", "days_left"]]
       rank  id  days_left
    0     1  c2         -1
    1     2  c1        122
    """
    moment = check_at(at)
    if isinstance(months, bool) or not isinstance(months, int | np.integer) or months < 0:
        msg = f"months={months!r} is not allowed; expected a whole number of months >= 0"
        raise ValueError(msg)
    for column in ("id", "status", "permit_valid_until"):
        if column not in cameras.columns:
            msg = f"cameras lacks column {column!r}; needed for the permit list"
            raise ValueError(msg)
    active = _active(cameras)
    valid = _tz(active["permit_valid_until"], "permit_valid_until").dt.tz_convert(settings.timezone)
    today = moment.tz_convert(settings.timezone).normalize()
    horizon = today + pd.DateOffset(months=int(months))
    days = (valid.dt.normalize() - today).dt.days
    listed = valid.isna() | (valid.dt.normalize() <= horizon)
    chosen = active[listed.to_numpy(dtype=bool)]
    xy = _xy(chosen)
    table = pd.DataFrame({
        "id": chosen["id"].astype(str).to_numpy(),
        "status": chosen["status"].astype(str).to_numpy(),
        "permit_valid_until": valid[listed].to_numpy(),
        "days_left": pd.array(days[listed].to_numpy(dtype=float, na_value=np.nan), dtype="Float64").astype(
            "Int64"),
        "x": whole_metres(xy[:, 0]),
        "y": whole_metres(xy[:, 1]),
    })
    table["permit_valid_until"] = pd.Series(valid[listed].to_numpy(), dtype=valid.dtype)
    table["_missing"] = table["permit_valid_until"].isna()
    table = table.sort_values(["_missing", "days_left", "id"], ascending=[False, True, True],
                              kind="stable").drop(columns="_missing")
    table = with_rank(table)
    table["why"] = [_why_permit(row, lang) for row in table.itertuples(index=False)]
    return table[list(PERMIT_COLUMNS)]


def coverage_list(
    cameras: gpd.GeoDataFrame,
    *,
    hotspots: gpd.GeoDataFrame | None = None,
    min_confidence: int = DEFAULT_MIN_CONFIDENCE,
) -> gpd.GeoDataFrame:
    """Return every active and planned camera as its view sector.

    Parameters
    ----------
    cameras : geopandas.GeoDataFrame
        The cameras layer in a projected CRS.
    hotspots : geopandas.GeoDataFrame, optional
        A lägesbild (``gi_class`` and unit polygons, same CRS): each camera
        gets the number of hot units whose centre its sector contains.
    min_confidence : {90, 95, 99}, default 90
        Lowest Gi* confidence of a hot spot.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`COVERAGE_COLUMNS` and the sector as geometry; active
        cameras first, then planned, each by ``id``. ``hotspots_seen`` is
        ``<NA>`` without ``hotspots``.

    Raises
    ------
    CRSError
        If a frame has no CRS or a geographic one, or the CRSs differ.
    ValueError
        If a camera column is missing or out of range.

    Examples
    --------
    >>> from shapely import Point
    >>> cams = gpd.GeoDataFrame(
    ...     {"id": ["c1"], "status": ["active"], "direction_deg": [90.0], "angle_deg": [360.0],
    ...      "range_m": [10.0]}, geometry=[Point(0, 0)], crs="EPSG:3006")
    >>> int(coverage_list(cams)["sector_area_m2"].iloc[0])
    314
    """
    classes = hot_classes(min_confidence)
    sectors = camera_ind.view_sectors(cameras, include_planned=True)
    chosen = cameras.loc[sectors.index]
    xy = _xy(chosen)
    permit = (_tz(chosen["permit_valid_until"], "permit_valid_until").dt.tz_convert(settings.timezone)
              if "permit_valid_until" in chosen.columns
              else pd.Series(pd.NaT, index=chosen.index, dtype=f"datetime64[ns, {settings.timezone}]"))
    seen = pd.array([pd.NA] * len(chosen), dtype="Int64")
    if hotspots is not None:
        require_projected(hotspots, name="hotspots")
        check_same_crs(cameras, hotspots, left_name="cameras", right_name="hotspots")
        hot = hotspots[hotspots["gi_class"].isin(classes).to_numpy(dtype=bool)]
        centres = unit_centres(hot)
        ok = np.isfinite(centres).all(axis=1)
        counts = np.zeros(len(sectors), dtype=np.int64)
        if ok.any() and len(sectors):
            points = shapely.points(centres[ok])
            hit_sector, _ = shapely.STRtree(points).query(sectors.to_numpy(), predicate="intersects")
            counts = np.bincount(hit_sector, minlength=len(sectors))
        seen = pd.array(counts, dtype="Int64")
    out = gpd.GeoDataFrame({
        "id": chosen["id"].astype(str).to_numpy() if "id" in chosen.columns else chosen.index.astype(str),
        "status": chosen["status"].astype(str).to_numpy(),
        "x": whole_metres(xy[:, 0]),
        "y": whole_metres(xy[:, 1]),
        "direction_deg": chosen["direction_deg"].astype(float).to_numpy(),
        "angle_deg": chosen["angle_deg"].astype(float).to_numpy(),
        "range_m": chosen["range_m"].astype(float).to_numpy(),
        "sector_area_m2": np.round(shapely.area(sectors.to_numpy()), 0),
        "permit_valid_until": permit.to_numpy(),
        "hotspots_seen": seen,
    }, geometry=sectors.to_numpy(), crs=cameras.crs)
    out["permit_valid_until"] = pd.Series(permit.to_numpy(), dtype=permit.dtype)
    out["_order"] = (out["status"] != "active").astype(int)
    out = out.sort_values(["_order", "id"], kind="stable").drop(columns="_order")
    ranked = with_rank(out)
    return gpd.GeoDataFrame(ranked[[*COVERAGE_COLUMNS, "geometry"]], geometry="geometry", crs=cameras.crs)


def camera_worklists(
    prep: Prepared,
    *,
    at: pd.Timestamp,
    start: pd.Timestamp,
    end: pd.Timestamp,
    months: int = DEFAULT_PERMIT_MONTHS,
    unit: str = DEFAULT_UNIT,
    min_confidence: int = DEFAULT_MIN_CONFIDENCE,
    min_incidents: int = DEFAULT_MIN_INCIDENTS,
    audience: str = DEFAULT_AUDIENCE,
    lang: str = "sv",
) -> Worklists:
    """Build the camera lists: ``candidates``, ``permits`` and ``coverage``.

    Parameters
    ----------
    prep : Prepared
        The store's layers (:func:`geo.analysis.prepared.prepare`).
    at : pandas.Timestamp
        Reference time of the permit horizon.
    start, end : pandas.Timestamp
        Period of the lägesbild whose hot spots are candidates.
    months : int, default 6
        Permit horizon, months.
    unit : {"grid250", "grid1000", "areas"}, default "grid250"
        Geography of the hot spots.
    min_confidence : {90, 95, 99}, default 90
        Lowest Gi* confidence of a hot spot.
    min_incidents : int, default 1
        Fewest incidents of its own a candidate unit needs.
    audience : {"public", "staff", "protected"}, default "public"
        Protected categories count only for ``protected``; the public gets
        suppressed small counts (as in the lägesbild).
    lang : {"sv", "en"}, default "sv"
        Language of the ``why`` texts.

    Returns
    -------
    Worklists
        Kind ``cameras``.

    Raises
    ------
    ValueError
        If an argument cannot be used (the message names it).
    """
    check_audience(audience)
    hot_classes(min_confidence)
    params = LagesbildParams(unit=unit, start=start, end=end, audience=audience)
    picture = compute_lagesbild(prep, params, lang=lang)
    cameras = prep.frame("cameras")
    if cameras.crs is None:
        cameras = cameras.set_crs(picture.crs)
    return Worklists(
        kind="cameras", at=at, start=start, end=end, audience=audience,
        lists={
            "candidates": uncovered_hotspots(picture, cameras, min_confidence=min_confidence,
                                             min_incidents=min_incidents, lang=lang),
            "permits": expiring_permits(cameras, at=at, months=months, lang=lang),
            "coverage": coverage_list(cameras, hotspots=picture, min_confidence=min_confidence),
        },
        options={"unit": unit, "min_confidence": min_confidence, "months": months},
    )


# --------------------------------------------------------------------------- helpers


def _why_candidate(row: object, lang: str) -> str:
    parts = [t("worklists.why_hotspot", lang, cls=value_label("cameras", "gi_class", row.gi_class, lang),
               z=format_number(row.gi_z, lang, decimals=2))]
    if pd.isna(row.incidents):
        parts.append(t("worklists.why_incidents_few", lang, k=settings.min_count))
    else:
        parts.append(t("worklists.why_incidents", lang, n=format_number(row.incidents, lang)))
    if np.isinf(row.nearest_camera_m):
        parts.append(t("worklists.why_no_camera", lang))
    else:
        parts.append(t("worklists.why_nearest_camera", lang, m=format_number(row.nearest_camera_m, lang)))
    if pd.notna(row.camera_share) and row.camera_share >= SHOWN_SHARE:
        parts.append(t("worklists.why_camera_share", lang, pct=format_number(100 * row.camera_share, lang)))
    return "; ".join(parts)


def _names(lagesbild: pd.DataFrame) -> np.ndarray:
    """Area names; grid cells are named by their id, which is shown already."""
    if "name" not in lagesbild.columns:
        return np.full(len(lagesbild), "", dtype=object)
    names = lagesbild["name"].astype(object).fillna("")
    return names.where(names.astype(str) != lagesbild["unit_id"].astype(str), "").to_numpy()


def _why_permit(row: object, lang: str) -> str:
    if pd.isna(row.permit_valid_until):
        return t("worklists.why_permit_missing", lang)
    date = format_date(row.permit_valid_until, lang)
    if row.days_left < 0:
        return t("worklists.why_permit_expired", lang, date=date, days=format_number(-row.days_left, lang))
    return t("worklists.why_permit_expires", lang, date=date, days=format_number(row.days_left, lang))


def _active(cameras: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if "status" not in cameras.columns:
        msg = f"cameras lacks column 'status'; allowed statuses: {', '.join(camera_ind.CAMERA_STATUSES)}"
        raise ValueError(msg)
    return cameras[(cameras["status"] == "active").to_numpy(dtype=bool, na_value=False)]
