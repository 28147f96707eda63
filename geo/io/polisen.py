"""Police events (polisen.se) into the incidents layer.

Two shapes are read: the GeoJSON of ``shared/data/real/polisen_handelser``
(fields ``id``, ``datetime``, ``datetime_iso``, ``event_type``, ``name``,
``summary``, ``location_name``, ``api_location_level``, ``lat``, ``lon``),
and the polisen.se API's own JSON list (``id``, ``datetime``, ``name``,
``summary``, ``type``, ``location: {name, gps}``).

**Location precision.** The API places every event on the centroid of its
kommun, or of its county when it names only the county. Such a point is
not where anything happened: ``location_precision`` is set to ``kommun``
or ``county`` (from ``api_location_level``; in API JSON, a location name
ending in " län" is a county), and the lägesbild counts these events for
the kommun as a whole, never for a grid cell, and never draws them as a
place. The importer does not hold a county centroid (outside the kommun)
against an event, and does hold another kommun's centroid against it.

**Time.** ``occurred_at`` is the time in the event's title
("31 januari 00:15, Misshandel, Järfälla"), in the year of publication (the
year before when the title's date lies after the publication date), read
as Europe/Stockholm. When the title has no time, or it falls in a DST gap
or the repeated autumn hour, the publication time (``datetime_iso``, else
``datetime``, whose hours are not zero-padded) is used instead.

**Category.** :data:`EVENT_TYPE_CATEGORIES` maps the API's ``type`` to our
incident codes; a type not in the table is looked up by its part before the
first comma ("Rån, försök" → "Rån"), and else becomes ``ovrigt`` and is
reported. Police event types never name the protected categories
(violence in close relationships, honour-related violence), so no event is
given one.

Other fields: ``id`` is ``polisen-`` + the event id, ``source`` is
``polisen.se``, ``description`` is the summary (the title when there is
none), kept as plain text.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.errors import SourceError
from geo.io.readers import read_vector
from geo.timeutil import localize_naive
from layers.validate import Problem

POLISEN_CRS: str = "EPSG:4326"
POLISEN_SOURCE: str = "polisen.se"
ID_PREFIX: str = "polisen-"

#: Police event type (the API's ``type``) → incident category code.
EVENT_TYPE_CATEGORIES: dict[str, str] = {
    # theft and burglary
    **dict.fromkeys(("Stöld", "Stöld, försök", "Snatteri", "Häleri", "Rån övrigt, stöld",
                     "Stöld, ringa", "Cykelstöld"), "stold"),
    **dict.fromkeys(("Inbrott", "Inbrott, försök", "Stöld/inbrott", "Larm Inbrott"), "inbrott"),
    **dict.fromkeys(("Motorfordon, stöld", "Motorfordon, anträffat stulet", "Fordonsstöld",
                     "Stöld, motorfordon"), "fordonsbrott"),
    # damage and fire
    **dict.fromkeys(("Skadegörelse", "Sabotage mot blåljusverksamhet", "Klotter"), "skadegorelse"),
    **dict.fromkeys(("Brand", "Mordbrand", "Brand automatlarm"), "brand"),
    # violence and threats
    **dict.fromkeys(("Misshandel", "Misshandel, grov", "Misshandel, försök", "Mord/dråp",
                     "Mord/dråp, försök", "Vållande till kroppsskada", "Larm Överfall"), "misshandel"),
    **dict.fromkeys(("Rån", "Rån, försök", "Rån väpnat", "Rån övrigt", "Rån, väpnat"), "ran"),
    **dict.fromkeys(("Olaga hot", "Våld/hot mot tjänsteman", "Bombhot", "Hot"), "hot"),
    # drugs, disorder, traffic
    **dict.fromkeys(("Narkotikabrott",), "narkotika"),
    **dict.fromkeys(("Bråk", "Ordningslagen", "Fylleri/LOB", "Ofredande/förargelse",
                     "Olaga intrång", "Hemfridsbrott", "Alkohollagen", "Smällar"), "ordningsstorning"),
    **dict.fromkeys(("Trafikbrott", "Rattfylleri", "Olovlig körning", "Trafikolycka, smitning från",
                     "Trafikkontroll"), "trafik"),
    # known types without a category of their own
    **dict.fromkeys(("Övrigt", "Trafikolycka", "Trafikolycka, personskada", "Trafikolycka, singel",
                     "Trafikolycka, vilt", "Trafikhinder", "Kontroll person/fordon", "Kontroll",
                     "Bedrägeri", "Vapenlagen", "Knivlagen", "Skottlossning", "Skottlossning, misstänkt",
                     "Explosion", "Detonation", "Farligt föremål, misstänkt", "Våldtäkt",
                     "Våldtäkt, försök", "Sedlighetsbrott", "Sexualbrott", "Arbetsplatsolycka",
                     "Räddningsinsats", "Åldringsbrott", "Djur", "Anträffad död", "Polisinsats/kommendering",
                     "Sjukdom/olycksfall", "Efterlyst person", "Anträffat gods", "Skyddslagen",
                     "Försvunnen person", "Sjölagen", "Utlänningslagen", "Luftfartslagen",
                     "Olaga frihetsberövande/människorov", "Miljöbrott", "Ekobrott", "Missbruk av urkund",
                     "Information", "Sammanfattning natt", "Sammanfattning kväll och natt",
                     "Sammanfattning dag", "Sammanfattning vecka", "Spridning smittsamma kemikalier",
                     "Larm", "Fjällräddning", "Naturkatastrof", "Uppdatering"), "ovrigt"),
}
FALLBACK_CATEGORY: str = "ovrigt"

#: ``api_location_level`` → location_precision.
LOCATION_LEVELS: dict[str, str] = {"municipality": "kommun", "kommun": "kommun", "county": "county",
                                   "län": "county"}

_MONTHS: dict[str, int] = {
    name: i for i, name in enumerate(
        ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
         "oktober", "november", "december"), start=1)
}
_TITLE_TIME = re.compile(
    r"^\s*(?P<day>\d{1,2}) (?P<month>" + "|".join(_MONTHS) + r") (?P<hour>\d{1,2})[:.](?P<minute>\d{2})"
)
_RAW_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2}):(\d{2})\s*([+-]\d{2}:?\d{2}|Z)?$")


@dataclass
class PoliceEvents:
    """Police events read as incidents.

    Attributes
    ----------
    frame : geopandas.GeoDataFrame
        The incidents columns in WGS 84 (``occurred_at`` tz-aware).
    rows : numpy.ndarray
        Each event's number in the file (the first is 1).
    problems : list of Problem
        Unreadable events, by row and field.
    unknown_types : collections.Counter
        Event types not in :data:`EVENT_TYPE_CATEGORIES`, now ``ovrigt``.
    time_from_title : int
        Events whose time was taken from the title.
    title_time_dst : list of tuple of (int, str)
        Rows whose title time falls in a DST change, with ``"nonexistent"``
        (the spring gap) or ``"ambiguous"`` (the repeated autumn hour):
        their publication time is used instead, never a guess.
    warnings : list of str
        What GDAL warned about while reading.
    """

    frame: gpd.GeoDataFrame
    rows: np.ndarray
    problems: list[Problem]
    unknown_types: Counter = field(default_factory=Counter)
    time_from_title: int = 0
    title_time_dst: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def category_for(event_type: object) -> tuple[str, bool]:
    """Return the incident category of a police event type.

    Parameters
    ----------
    event_type : object
        The API's ``type``, e.g. ``"Misshandel, grov"``.

    Returns
    -------
    category : str
        A code of the incidents spec.
    known : bool
        False when the type is not in the table and fell back to ``ovrigt``.

    Examples
    --------
    >>> category_for("Rån, försök"), category_for("Okänd typ")
    (('ran', True), ('ovrigt', False))
    """
    text = str(event_type or "").strip()
    for key in (text, text.split(",")[0].strip()):
        if key in EVENT_TYPE_CATEGORIES:
            return EVENT_TYPE_CATEGORIES[key], True
    return FALLBACK_CATEGORY, False


def read_polisen(path: str | Path) -> PoliceEvents:
    """Read police events from the GeoJSON export or the API's JSON list.

    Parameters
    ----------
    path : str or pathlib.Path
        The file; its shape (GeoJSON or API list) is told from the content.

    Returns
    -------
    PoliceEvents
        The events as incidents, with problems and notes.

    Raises
    ------
    SourceError
        If the file is neither shape.
    """
    path = Path(path)
    raw, warnings = _load(path)
    n = len(raw)
    rows = np.arange(1, n + 1)
    problems: list[Problem] = []
    known = [category_for(t) for t in raw["event_type"]]
    unknown = Counter(str(t) for t, (_, ok) in zip(raw["event_type"], known, strict=True) if not ok)
    levels = raw["level"].fillna("").astype(str).str.strip().str.lower()
    precision = levels.map(LOCATION_LEVELS)
    bad_level = precision.isna().to_numpy()
    problems.extend(
        Problem(int(r), "api_location_level", f"{v!r} is not a known location level; allowed: "
                                              f"{', '.join(LOCATION_LEVELS)}")
        for r, v in zip(rows[bad_level], levels[bad_level], strict=True)
    )
    published, bad_time = _published(raw["published"])
    problems.extend(
        Problem(int(r), "datetime", f"{v!r} is not a date and time")
        for r, v in zip(rows[bad_time], raw["published"].to_numpy()[bad_time], strict=True)
    )
    occurred, from_title, dst = _title_times(raw["name"], published)
    summary = raw["summary"].where(raw["summary"].fillna("").astype(str).str.strip() != "", raw["name"])
    ids = raw["id"].map(lambda v: None if pd.isna(v) or str(v).strip() == "" else f"{ID_PREFIX}{_plain(v)}")
    frame = pd.DataFrame(
        {
            "id": ids.to_numpy(dtype=object),
            "occurred_at": occurred,
            "category": [c for c, _ in known],
            "source": POLISEN_SOURCE,
            "location_precision": precision.to_numpy(dtype=object),
            "description": summary.to_numpy(dtype=object),
            "event_type": raw["event_type"].to_numpy(dtype=object),
        }
    )
    result = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(raw["geometry"].to_numpy(), index=frame.index),
                              crs=POLISEN_CRS)
    dst_rows = [(int(r), str(kind)) for r, kind in zip(rows, dst, strict=True) if kind]
    return PoliceEvents(result, rows, problems, unknown, int(from_title.sum()), dst_rows, warnings)


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _load(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """Return the events as columns id, published, event_type, name, summary, level, geometry."""
    with path.open("rb") as fh:
        head = fh.read(4096).lstrip(b"\xef\xbb\xbf").lstrip()
    if head[:1] == b"[":
        return _load_api(path), []
    frame, warnings = read_vector(path, "geojson")
    missing = [c for c in ("id", "event_type", "name") if c not in frame.columns]
    if "datetime_iso" not in frame.columns and "datetime" not in frame.columns:
        missing.append("datetime")
    if missing:
        msg = f"{path.name} is not a Polisen events file: no {', '.join(missing)} field"
        raise SourceError(msg)
    published = frame["datetime_iso"] if "datetime_iso" in frame else frame.get("datetime")
    return pd.DataFrame(
        {
            "id": frame["id"],
            "published": published,
            "event_type": frame["event_type"],
            "name": frame["name"],
            "summary": frame.get("summary", pd.Series(None, index=frame.index, dtype=object)),
            "level": frame.get("api_location_level", pd.Series("municipality", index=frame.index)),
            "geometry": frame.geometry.to_numpy(),
        }
    ), warnings


def _load_api(path: Path) -> pd.DataFrame:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        msg = f"{path.name} is not valid JSON: {exc}"
        raise SourceError(msg) from exc
    records = []
    if not isinstance(data, list):
        msg = f"{path.name} is not a list of Polisen events; got {type(data).__name__}"
        raise SourceError(msg)
    for item in data:
        event = item if isinstance(item, dict) else {}
        location = event.get("location") if isinstance(event.get("location"), dict) else {}
        name = str(location.get("name") or "")
        records.append(
            {
                "id": event.get("id"),
                "published": event.get("datetime"),
                "event_type": event.get("type"),
                "name": event.get("name"),
                "summary": event.get("summary"),
                "level": "county" if name.lower().endswith(" län") else "municipality",
                "geometry": _gps_point(location.get("gps")),
            }
        )
    return pd.DataFrame.from_records(
        records, columns=["id", "published", "event_type", "name", "summary", "level", "geometry"]
    )


def _gps_point(gps: object) -> shapely.Point | None:
    """Return the API's ``"lat,lon"`` text as a point, None when unreadable."""
    try:
        lat, lon = (float(v) for v in str(gps).split(","))
    except ValueError:
        return None
    return shapely.Point(lon, lat)


def _published(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Publication times (tz-aware, local); unreadable → NaT and flagged."""
    text = values.astype("str").str.strip()
    padded = text.str.replace(_RAW_TIME, _pad, regex=True)
    times = pd.to_datetime(padded, format="ISO8601", utc=True, errors="coerce")
    bad = (times.isna() & values.notna()).to_numpy()
    return times.dt.tz_convert(settings.timezone), bad


def _pad(match: re.Match) -> str:
    date, hour, minute, second, offset = match.groups()
    return f"{date}T{int(hour):02d}:{minute}:{second}{offset or ''}"


def _title_times(names: pd.Series, published: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Return the title's local time in the publication year, else the publication time.

    Also which rows took the title's time, and per row ``"nonexistent"`` or
    ``"ambiguous"`` where the title's time falls in a DST change (else ``""``).
    """
    parts = names.fillna("").astype(str).str.extract(_TITLE_TIME)
    year = published.dt.year
    month = parts["month"].map(_MONTHS)
    later = (month > published.dt.month) | (
        (month == published.dt.month) & (pd.to_numeric(parts["day"]) > published.dt.day)
    )
    year = year - later.fillna(False).astype(int)
    text = (
        year.astype("Int64").astype(str) + "-" + month.astype("Int64").astype(str).str.zfill(2) + "-"
        + parts["day"].str.zfill(2) + " " + parts["hour"].str.zfill(2) + ":" + parts["minute"]
    )
    naive = pd.to_datetime(text.where(parts["day"].notna() & published.notna()), format="%Y-%m-%d %H:%M",
                           errors="coerce")
    local, dst = localize_naive(naive)
    usable = local.notna() & (local <= published + pd.Timedelta(hours=1))
    occurred = local.where(usable, published)
    return (occurred.astype(f"datetime64[ns, {settings.timezone}]"), usable.to_numpy(dtype=bool),
            dst.to_numpy(dtype=object))
