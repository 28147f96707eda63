"""Residents' reports of unsafe places: submit, review, then approve or reject (actions 2, 3, 9).

A resident pins a place, chooses a reason and writes a short text; no name,
email or phone number is asked for, and a text that holds a personnummer,
an email address or a mobile number is refused. A report waits in the
moderation queue (status ``new``) and is never shown until staff approve
it; only then is it written to the ``unsafe_places`` layer (id
``rep-<uuid>``, ``source="report"``, ``status="approved"``), where the public
map, the lägesbild and the lighting work list see it. A rejected report is
never written there. Moderation is final: only a waiting report can be
approved or rejected.

The text is stored exactly as written (``<script>`` stays ``<script>``) and
must be shown escaped: :func:`escape_text` for HTML, ``st.text`` or
``st.dataframe`` in Streamlit, never markdown.

Storage: append-only product tables, geometry as WKT in EPSG:3006.

- :data:`REPORTS_TABLE` (``tk_reports``): one row per report.
- :data:`MODERATION_TABLE` (``tk_report_moderation``): one row per decision.

Per session at most :data:`RATE_LIMIT` reports in :data:`RATE_WINDOW`
(:func:`check_rate_limit`; the page keeps the session's submission times).

Examples
--------
>>> find_personal_data("Ring mig på 070-123 45 67")
'phone'
>>> find_personal_data("Mörk gångtunnel vid Kvarnvägen 12") is None
True
>>> escape_text("<script>alert(1)</script>")
'&lt;script&gt;alert(1)&lt;/script&gt;'
"""

from __future__ import annotations

import html
import math
import re
import uuid
from collections.abc import Sequence

import geopandas as gpd
import pandas as pd
import shapely

from geo import settings
from geo.errors import ReportError
from geo.participation.places import REASONS, kommun_outline, point_from_latlon, unsafe_place_features
from geo.participation.records import TIME_DTYPE, local_time, read_table

#: Store tables (append-only).
REPORTS_TABLE: str = "tk_reports"
MODERATION_TABLE: str = "tk_report_moderation"
REPORT_COLUMNS: tuple[str, ...] = ("report_id", "reason", "description", "point_wkt", "submitted_at")
MODERATION_COLUMNS: tuple[str, ...] = ("report_id", "status", "moderated_by", "moderated_at", "note")
#: A report's status: waiting, or the (final) moderation decision.
REPORT_STATUSES: tuple[str, ...] = ("new", "approved", "rejected")
#: Longest text a resident may write, in characters.
MAX_TEXT_LENGTH: int = 500
#: At most this many reports per session within :data:`RATE_WINDOW`.
RATE_LIMIT: int = 3
RATE_WINDOW: pd.Timedelta = pd.Timedelta(minutes=10)

#: Personal data refused in the free text: kind → pattern.
PERSONAL_DATA_PATTERNS: dict[str, re.Pattern[str]] = {
    # ÅÅMMDD-NNNN or ÅÅÅÅMMDDNNNN; day 61-91 for samordningsnummer
    "personnummer": re.compile(
        r"(?<!\d)(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])"
        r"[-+ ]?\d{4}(?!\d)"
    ),
    "phone": re.compile(r"(?<!\d)(?:\+46|0046|0)[ -]?7[02369](?:[ -]?\d){7}(?!\d)"
                        r"|(?<!\d)08[ -]?\d{2,3}[ -]?\d{2}[ -]?\d{2}(?!\d)"),
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
}


def escape_text(text: str) -> str:
    """Return a resident's text escaped for HTML (popups, tooltips, exports).

    Parameters
    ----------
    text : str
        The stored text.

    Returns
    -------
    str
        ``&``, ``<``, ``>`` and quotes escaped.
    """
    return html.escape(str(text), quote=True)


def find_personal_data(text: str) -> str | None:
    """Return the kind of personal data a text seems to hold, or None.

    Parameters
    ----------
    text : str
        Free text.

    Returns
    -------
    str or None
        ``"personnummer"``, ``"phone"`` or ``"email"`` (the first found), else None.

    Examples
    --------
    >>> find_personal_data("Jag heter Kim, 19850412-1234")
    'personnummer'
    >>> find_personal_data("skriv till kim@example.se")
    'email'
    """
    for kind, pattern in PERSONAL_DATA_PATTERNS.items():
        if pattern.search(text):
            return kind
    return None


def check_text(text: str) -> str:
    """Check a resident's free text and return it stripped of surrounding space.

    Parameters
    ----------
    text : str
        What the resident wrote.

    Returns
    -------
    str
        The text, otherwise unchanged (HTML is kept as text).

    Raises
    ------
    ReportError
        ``text_empty``, ``text_too_long`` (over :data:`MAX_TEXT_LENGTH`) or
        ``personal_data`` (a personnummer, phone number or email address; the
        message names the kind, never the data).
    """
    value = str(text or "").strip()
    if not value:
        raise ReportError("text_empty", "text is empty; allowed: 1 to "
                          f"{MAX_TEXT_LENGTH} characters")
    if len(value) > MAX_TEXT_LENGTH:
        raise ReportError("text_too_long", f"text has {len(value)} characters; allowed: at most "
                          f"{MAX_TEXT_LENGTH}", n=len(value), limit=MAX_TEXT_LENGTH)
    kind = find_personal_data(value)
    if kind is not None:
        raise ReportError("personal_data", f"text seems to hold personal data ({kind}); allowed: "
                          "no personnummer, phone number or email address", kind=kind)
    return value


def check_rate_limit(
    previous: Sequence[pd.Timestamp],
    *,
    now: pd.Timestamp | None = None,
    limit: int = RATE_LIMIT,
    window: pd.Timedelta = RATE_WINDOW,
) -> None:
    """Refuse a new report when the session sent ``limit`` reports within ``window``.

    Parameters
    ----------
    previous : sequence of pandas.Timestamp
        The session's earlier submission times (tz-aware).
    now : pandas.Timestamp, optional
        The time of the new report; default now.
    limit : int, default RATE_LIMIT
        Reports allowed within the window.
    window : pandas.Timedelta, default RATE_WINDOW
        The sliding window.

    Raises
    ------
    ReportError
        ``rate_limited``, with ``minutes`` until the next report is allowed.

    Examples
    --------
    >>> t0 = pd.Timestamp("2026-05-01 12:00", tz="Europe/Stockholm")
    >>> check_rate_limit([t0, t0], now=t0 + pd.Timedelta(minutes=1))
    >>> check_rate_limit([t0] * 3, now=t0 + pd.Timedelta(minutes=1))
    Traceback (most recent call last):
    ...
    geo.errors.ReportError: 3 reports within 10 minutes; allowed: 3, next in 9 minutes
    """
    moment = local_time(now)
    recent = sorted(pd.Timestamp(p) for p in previous if moment - window < pd.Timestamp(p) <= moment)
    if len(recent) < limit:
        return
    wait = recent[len(recent) - limit] + window - moment
    minutes = max(1, math.ceil(wait / pd.Timedelta(minutes=1)))
    span = f"{window / pd.Timedelta(minutes=1):g} minutes"
    raise ReportError("rate_limited", f"{len(recent)} reports within {span}; allowed: {limit}, "
                      f"next in {minutes} minutes", limit=limit, minutes=minutes)


def check_position(store, lat: float, lon: float) -> shapely.Point:
    """Return the EPSG:3006 point of a WGS 84 position inside the kommun.

    Parameters
    ----------
    store : Store
        The store, whose ``areas`` layer holds the kommun polygon.
    lat, lon : float
        Degrees (WGS 84).

    Returns
    -------
    shapely.Point
        The point in EPSG:3006.

    Raises
    ------
    ReportError
        ``position`` (not a valid position), ``no_kommun`` (the store has no
        kommun polygon) or ``outside_kommun``.
    """
    point = point_from_latlon(lat, lon)
    if point is None:
        raise ReportError("position", f"lat={lat!r}, lon={lon!r} is not a position; allowed: latitude "
                          "-90 to 90 and longitude -180 to 180 (WGS 84)")
    kommun = kommun_outline(store)
    if kommun is None:
        raise ReportError("no_kommun", f"{store.location} has no areas polygon of kind 'kommun'; "
                          "a report's position cannot be checked")
    if not kommun.covers(point):
        raise ReportError("outside_kommun", f"lat={float(lat):.5f}, lon={float(lon):.5f} lies outside the "
                          "kommun; allowed: a place inside the kommun polygon of the areas layer")
    return point


def submit_report(
    store,
    *,
    lat: float,
    lon: float,
    reason: str,
    text: str,
    previous: Sequence[pd.Timestamp] = (),
    now: pd.Timestamp | None = None,
) -> str:
    """Check a resident's report and put it in the moderation queue.

    Nothing about the resident is stored: the row holds the report id, the
    reason, the text, the point and the time.

    Parameters
    ----------
    store : Store
        The store.
    lat, lon : float
        The place, WGS 84 degrees; inside the kommun.
    reason : str
        One of the reasons of the ``unsafe_places`` layer.
    text : str
        A short description (see :func:`check_text`).
    previous : sequence of pandas.Timestamp, default ()
        The session's earlier submission times, for :func:`check_rate_limit`.
    now : pandas.Timestamp, optional
        The submission time; default now.

    Returns
    -------
    str
        The report id, ``rep-<uuid>``.

    Raises
    ------
    ReportError
        If the rate limit is reached, or the reason, text or position is
        refused; ``code`` tells which. Nothing is stored.
    DataStoreError
        If the store cannot be written.
    """
    moment = local_time(now)
    check_rate_limit(previous, now=moment)
    if reason not in REASONS:
        raise ReportError("reason", f"reason={reason!r} is not allowed; allowed: {', '.join(REASONS)}")
    value = check_text(text)
    point = check_position(store, lat, lon)
    report_id = f"rep-{uuid.uuid4()}"
    row = {
        "report_id": report_id,
        "reason": reason,
        "description": value,
        "point_wkt": shapely.to_wkt(point, rounding_precision=1, trim=True),
        "submitted_at": moment,
    }
    store.append_records(REPORTS_TABLE, pd.DataFrame([row], columns=list(REPORT_COLUMNS)))
    return report_id


def reports_table(store) -> gpd.GeoDataFrame:
    """Return every report with its status, oldest first.

    Parameters
    ----------
    store : Store
        The store.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:3006: ``report_id``, ``reason``, ``description`` (as written),
        ``submitted_at``, ``status`` (``new``, ``approved``, ``rejected``),
        ``moderated_by``, ``moderated_at`` (NaT while waiting), ``note``.
    """
    reports = read_table(store, REPORTS_TABLE, REPORT_COLUMNS, times=("submitted_at",))
    reports = reports.drop_duplicates("report_id", keep="first")
    moderation = read_table(store, MODERATION_TABLE, MODERATION_COLUMNS, times=("moderated_at",))
    moderation = moderation.drop_duplicates("report_id", keep="first")
    merged = reports.merge(moderation, on="report_id", how="left")
    merged["status"] = merged["status"].where(merged["status"].notna() & (merged["status"] != ""), "new")
    for column in ("moderated_by", "note"):
        merged[column] = merged[column].fillna("").astype(object)
    merged["moderated_at"] = pd.to_datetime(merged["moderated_at"]).astype(TIME_DTYPE)
    geometry = shapely.from_wkt(merged.pop("point_wkt").to_numpy(dtype=object))
    merged = merged.sort_values("submitted_at", kind="stable").reset_index(drop=True)
    return gpd.GeoDataFrame(merged, geometry=geometry, crs=settings.analysis_crs)


def report_queue(store) -> gpd.GeoDataFrame:
    """Return the reports waiting for moderation, oldest first.

    Parameters
    ----------
    store : Store
        The store.

    Returns
    -------
    geopandas.GeoDataFrame
        The rows of :func:`reports_table` with status ``new``.
    """
    table = reports_table(store)
    return table[(table["status"] == "new").to_numpy(dtype=bool)].reset_index(drop=True)


def to_unsafe_places(reports: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return reports as features of the ``unsafe_places`` layer, approved, source ``report``.

    Parameters
    ----------
    reports : geopandas.GeoDataFrame
        Rows of :func:`reports_table`.

    Returns
    -------
    geopandas.GeoDataFrame
        ``id`` (the report id), ``reason``, ``reported_at`` (the submission
        time), ``status`` ``approved``, ``source`` ``report``, ``description``.
    """
    return unsafe_place_features(
        reports["report_id"].to_numpy(dtype=object),
        reports["reason"].to_numpy(dtype=object),
        reports["submitted_at"].to_numpy(),
        reports["description"].to_numpy(dtype=object),
        reports.geometry.to_numpy(),
        source="report",
        crs=reports.crs,
    )


def approve_report(
    store, report_id: str, *, user: str, note: str = "", at: pd.Timestamp | None = None
) -> None:
    """Approve a waiting report: write it to ``unsafe_places``, then record the decision.

    Parameters
    ----------
    store : Store
        The store.
    report_id : str
        A waiting report.
    user : str
        Who approves (a staff login name).
    note : str, default ""
        Internal comment.
    at : pandas.Timestamp, optional
        When; default now.

    Raises
    ------
    ReportError
        ``unknown_report`` or ``not_pending``.
    ValidationError
        If the layer refuses the feature; nothing is written.
    """
    who = _check_user(user)
    report = _pending(store, report_id)
    frame = to_unsafe_places(report)
    stored = store.read("unsafe_places")["id"] if "unsafe_places" in store.list_layers() else ()
    if report_id not in set(stored):  # else an earlier approval was interrupted before its record
        store.write("unsafe_places", frame, mode="append", source="invånarrapport", note=report_id)
    _moderate(store, report_id, "approved", user=who, note=note, at=at)


def reject_report(
    store, report_id: str, *, user: str, note: str = "", at: pd.Timestamp | None = None
) -> None:
    """Reject a waiting report; it is never written to ``unsafe_places``.

    Parameters
    ----------
    store : Store
        The store.
    report_id : str
        A waiting report.
    user : str
        Who rejects (a staff login name).
    note : str, default ""
        Internal comment (why).
    at : pandas.Timestamp, optional
        When; default now.

    Raises
    ------
    ReportError
        ``unknown_report`` or ``not_pending``.
    """
    who = _check_user(user)
    _pending(store, report_id)
    _moderate(store, report_id, "rejected", user=who, note=note, at=at)


# --- private helpers ------------------------------------------------------------------------


def _pending(store, report_id: str) -> gpd.GeoDataFrame:
    table = reports_table(store)
    match = table[(table["report_id"] == report_id).to_numpy(dtype=bool)]
    if match.empty:
        raise ReportError("unknown_report", f"report_id={report_id!r} does not exist", report_id=report_id)
    status = str(match["status"].iloc[0])
    if status != "new":
        raise ReportError("not_pending", f"report_id={report_id!r} is {status}; allowed: a waiting (new) "
                          "report", report_id=report_id, status=status)
    return match


def _check_user(user: str) -> str:
    who = str(user or "").strip()
    if not who:
        msg = f"user={user!r} is empty; allowed: the login name of the staff member who moderates"
        raise ValueError(msg)
    return who


def _moderate(store, report_id: str, status: str, *, user: str, note: str, at: pd.Timestamp | None) -> None:
    row = {"report_id": report_id, "status": status, "moderated_by": user, "moderated_at": local_time(at),
           "note": str(note or "")}
    store.append_records(MODERATION_TABLE, pd.DataFrame([row], columns=list(MODERATION_COLUMNS)))

