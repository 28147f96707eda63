"""The ``trygghetskartan worklist`` subcommand: write a kind of work list to XLSX or CSV.

::

    trygghetskartan worklist lighting|graffiti|cameras|flood --store S --out FILE
        [--at TIME] [--from DATE] [--to DATE] [--audience staff] [--list KEY]
        lighting:  [--dark-hours 18-06 | --sun] [--dark-distance 50] [--radius 100]
        graffiti:  [--deadline-hours 72] [--offensive-hours 24] [--kind-hours school=24,...]
                   [--facility-distance 50]
        cameras:   [--months 6] [--unit grid250] [--confidence 90]
        flood:     [--scenario flode_200 ...] [--distance 50] [--area-kind kommundel]

``--at`` is the list's reference time (default now in Europe/Stockholm; a
time without a zone is local); ``--from``/``--to`` the period that counts
cover (default the 12 months before ``--at``). An option of another kind is
refused. Errors are raised as the package's error types, so
:func:`geo.cli.main` prints them as one line.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from geo.analysis.filters import parse_hours
from geo.analysis.units import UNIT_KINDS
from geo.audiences import AUDIENCES
from geo.errors import TrygghetskartanError, WorklistError
from geo.i18n import DEFAULT_LANGUAGE, format_date, format_number, t
from geo.worklists import DEFAULT_AUDIENCE, KINDS, build_worklists
from geo.worklists.cameras import CONFIDENCES, DEFAULT_MIN_CONFIDENCE, DEFAULT_PERMIT_MONTHS, DEFAULT_UNIT
from geo.worklists.export import WRITERS, write_worklists
from geo.worklists.flood import DEFAULT_AREA_KIND, DEFAULT_DISTANCE_M, SCENARIO_CODES
from geo.worklists.graffiti import DEFAULT_FACILITY_M, DEFAULT_OFFENSIVE_HOURS, OBJECT_KIND_CODES
from geo.worklists.lighting import DEFAULT_DARK_HOURS, DEFAULT_DARK_THRESHOLD_M, DEFAULT_RADIUS_M
from geo.worklists.texts import list_title

#: Option destination → (the kind it belongs to, its flag, its default).
KIND_OPTIONS: Mapping[str, tuple[str, str, object]] = MappingProxyType(
    {
        "dark_hours": ("lighting", "--dark-hours", "{:02d}-{:02d}".format(*DEFAULT_DARK_HOURS)),
        "sun": ("lighting", "--sun", False),
        "dark_distance": ("lighting", "--dark-distance", DEFAULT_DARK_THRESHOLD_M),
        "radius": ("lighting", "--radius", DEFAULT_RADIUS_M),
        "deadline_hours": ("graffiti", "--deadline-hours", None),
        "offensive_hours": ("graffiti", "--offensive-hours", DEFAULT_OFFENSIVE_HOURS),
        "kind_hours": ("graffiti", "--kind-hours", None),
        "facility_distance": ("graffiti", "--facility-distance", DEFAULT_FACILITY_M),
        "months": ("cameras", "--months", DEFAULT_PERMIT_MONTHS),
        "unit": ("cameras", "--unit", DEFAULT_UNIT),
        "confidence": ("cameras", "--confidence", DEFAULT_MIN_CONFIDENCE),
        "scenario": ("flood", "--scenario", None),
        "distance": ("flood", "--distance", DEFAULT_DISTANCE_M),
        "area_kind": ("flood", "--area-kind", DEFAULT_AREA_KIND),
    }
)

__all__ = ["KIND_OPTIONS", "add_worklist_parser", "parse_kind_hours"]


def add_worklist_parser(
    subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> argparse.ArgumentParser:
    """Add the ``worklist`` subcommand.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The subcommands of the main parser (from ``add_subparsers``).
    common : argparse.ArgumentParser
        Parent parser with the options every subcommand shares (``--lang``).

    Returns
    -------
    argparse.ArgumentParser
        The ``worklist`` parser; it sets ``func`` to a function taking the
        parsed :class:`argparse.Namespace`.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> common = argparse.ArgumentParser(add_help=False)
    >>> _ = common.add_argument("--lang", default="sv")
    >>> _ = add_worklist_parser(parser.add_subparsers(dest="command"), common)
    >>> args = parser.parse_args(["worklist", "graffiti", "--store", "s.gpkg", "--out", "k.xlsx"])
    >>> args.kind, args.audience, args.func.__name__
    ('graffiti', 'public', '_cmd_worklist')
    """
    parser = subparsers.add_parser(
        "worklist", parents=[common],
        help="ranked work lists: lighting (9), graffiti (7), cameras (6), flood (37, 38)",
        description="Write a kind of work list to XLSX (a sheet per list) or CSV (a file per list).",
    )
    parser.add_argument("kind", choices=KINDS, help="which lists")
    parser.add_argument("--store", required=True, help=".gpkg path or postgresql:// URL")
    parser.add_argument("--out", required=True, type=Path,
                        help=f"output file; format from the extension ({', '.join(WRITERS)})")
    parser.add_argument("--at", default=None,
                        help="reference time of the lists (default: now, Europe/Stockholm; naive = local)")
    parser.add_argument("--from", dest="date_from", default=None,
                        help="first day of the period (default: 12 months before --to)")
    parser.add_argument("--to", dest="date_to", default=None, help="last day of the period (default: --at)")
    parser.add_argument("--audience", default=DEFAULT_AUDIENCE, choices=AUDIENCES,
                        help="who the lists are for (default: %(default)s)")
    parser.add_argument("--list", dest="only", default=None, help="write only this list, e.g. queue")

    lighting = parser.add_argument_group("lighting")
    dark = lighting.add_mutually_exclusive_group()
    dark.add_argument("--dark-hours", default=None,
                      help="local hours counted as after dark (default: 18-06)")
    dark.add_argument("--sun", action="store_true", default=None,
                      help="count after dark from the real sunset to sunrise at Järfälla")
    lighting.add_argument("--dark-distance", type=float, default=None,
                          help=f"dark beyond this distance from a working lamp, m (default: "
                               f"{DEFAULT_DARK_THRESHOLD_M:g})")
    lighting.add_argument("--radius", type=float, default=None,
                          help=f"count incidents and reports within this radius, m (default: "
                               f"{DEFAULT_RADIUS_M:g})")

    graffiti = parser.add_argument_group("graffiti")
    graffiti.add_argument("--deadline-hours", type=float, default=None,
                          help="the removal deadline, hours (default: 72)")
    graffiti.add_argument("--offensive-hours", type=float, default=None,
                          help=f"deadline of offensive content, hours (default: {DEFAULT_OFFENSIVE_HOURS:g})")
    graffiti.add_argument("--kind-hours", default=None,
                          help=f"deadlines per object kind, e.g. school=24,preschool=24 "
                               f"(kinds: {', '.join(OBJECT_KIND_CODES)})")
    graffiti.add_argument("--facility-distance", type=float, default=None,
                          help=f"reports this close to a school or preschool go first, m (default: "
                               f"{DEFAULT_FACILITY_M:g})")

    cameras = parser.add_argument_group("cameras")
    cameras.add_argument("--months", type=int, default=None,
                         help=f"list permits running out within this many months (default: "
                              f"{DEFAULT_PERMIT_MONTHS})")
    cameras.add_argument("--unit", choices=UNIT_KINDS, default=None,
                         help=f"geography of the hot spots (default: {DEFAULT_UNIT})")
    cameras.add_argument("--confidence", type=int, choices=CONFIDENCES, default=None,
                         help=f"lowest hot spot confidence, percent (default: {DEFAULT_MIN_CONFIDENCE})")

    flood = parser.add_argument_group("flood")
    flood.add_argument("--scenario", action="append", choices=SCENARIO_CODES, default=None,
                       help="a flood scenario; repeat for several (default: every scenario with a zone)")
    flood.add_argument("--distance", type=float, default=None,
                       help=f"list facilities within this distance of a zone, m (default: "
                            f"{DEFAULT_DISTANCE_M:g})")
    flood.add_argument("--area-kind", default=None,
                       help=f"areas whose flooded share is listed (default: {DEFAULT_AREA_KIND}, "
                            "or the kommun when there are no kommundelar)")
    parser.set_defaults(func=_cmd_worklist)
    return parser


def parse_kind_hours(text: str | None) -> dict[str, float]:
    """Parse per-kind deadlines ``"school=24,preschool=48"``.

    Parameters
    ----------
    text : str or None
        Comma-separated ``kind=hours`` pairs.

    Returns
    -------
    dict of str to float
        Hours by object kind (empty for None or "").

    Raises
    ------
    WorklistError
        If a pair is malformed, a kind is unknown or the hours are not a
        positive number.

    Examples
    --------
    >>> parse_kind_hours("school=24, preschool=48")
    {'school': 24.0, 'preschool': 48.0}
    """
    out: dict[str, float] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        kind, sep, hours = part.partition("=")
        kind = kind.strip()
        try:
            value = float(hours) if sep else float("nan")
        except ValueError:
            value = float("nan")
        if kind not in OBJECT_KIND_CODES or not value > 0:
            msg = (f"--kind-hours: {part.strip()!r} is not allowed; expected kind=hours with a kind of "
                   f"{', '.join(OBJECT_KIND_CODES)} and hours > 0, e.g. school=24")
            raise WorklistError(msg)
        out[kind] = value
    return out


def _cmd_worklist(args: argparse.Namespace) -> None:
    lang = getattr(args, "lang", DEFAULT_LANGUAGE)
    options = _kind_options(args)
    from geo.store import open_store

    store = open_store(args.store, must_exist=True)
    try:
        lists = build_worklists(store, args.kind, at=args.at, date_from=args.date_from, date_to=args.date_to,
                                audience=args.audience, lang=lang, **options)
        paths = write_worklists(lists, args.out, lang=lang, only=args.only)
    except TrygghetskartanError:
        raise
    except ValueError as exc:
        raise WorklistError(str(exc)) from exc
    print(t("worklists.cli_written", lang, kind=t(f"worklists.kind_{args.kind}", lang),
            date=format_date(lists.at, lang), paths=", ".join(map(str, paths))))
    for key, table in lists.lists.items():
        if args.only is None or key == args.only:
            print(t("worklists.cli_list_line", lang, title=list_title(args.kind, key, lang),
                    n=format_number(len(table), lang)))


def _kind_options(args: argparse.Namespace) -> dict[str, object]:
    """Return the builder's keyword arguments; refuse an option of another kind."""
    given = {dest: getattr(args, dest) for dest in KIND_OPTIONS if getattr(args, dest, None) is not None}
    foreign = [KIND_OPTIONS[dest][1] for dest in given if KIND_OPTIONS[dest][0] != args.kind]
    if foreign:
        owners = sorted({KIND_OPTIONS[d][0] for d in given if KIND_OPTIONS[d][0] != args.kind})
        msg = (f"{', '.join(foreign)} is not an option of the {args.kind} lists "
               f"(it belongs to {', '.join(owners)})")
        raise WorklistError(msg)
    try:
        return _BUILD_OPTIONS[args.kind](given)
    except ValueError as exc:
        if isinstance(exc, TrygghetskartanError):
            raise
        raise WorklistError(str(exc)) from exc


def _lighting(given: dict[str, object]) -> dict[str, object]:
    options: dict[str, object] = {"sun": bool(given.get("sun", False))}
    if "dark_hours" in given:
        options["dark_hours"] = parse_hours(str(given["dark_hours"]))
    if "dark_distance" in given:
        options["dark_threshold_m"] = given["dark_distance"]
    if "radius" in given:
        options["radius_m"] = given["radius"]
    return options


def _graffiti(given: dict[str, object]) -> dict[str, object]:
    options: dict[str, object] = {}
    if "deadline_hours" in given:
        options["deadline_hours"] = given["deadline_hours"]
    if "offensive_hours" in given:
        options["offensive_hours"] = given["offensive_hours"]
    if "kind_hours" in given:
        options["per_kind"] = parse_kind_hours(str(given["kind_hours"]))
    if "facility_distance" in given:
        options["facility_m"] = given["facility_distance"]
    return options


def _cameras(given: dict[str, object]) -> dict[str, object]:
    names = {"months": "months", "unit": "unit", "confidence": "min_confidence"}
    return {names[k]: v for k, v in given.items()}


def _flood(given: dict[str, object]) -> dict[str, object]:
    names = {"scenario": "scenarios", "distance": "distance_m", "area_kind": "area_kind"}
    return {names[k]: v for k, v in given.items()}


_BUILD_OPTIONS = MappingProxyType({"lighting": _lighting, "graffiti": _graffiti, "cameras": _cameras,
                                   "flood": _flood})
