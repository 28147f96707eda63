"""The ``lagesbild`` and ``snapshots`` subcommands of the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo import settings
from geo.analysis.units import UNIT_KINDS
from geo.audiences import AUDIENCES, DEFAULT_AUDIENCE
from geo.i18n import format_number, t


def add_lagesbild_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add ``lagesbild`` and ``snapshots`` to the command line.

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The subcommand collection of the main parser.
    common : argparse.ArgumentParser
        Parent parser with the shared options (``--lang``).
    """
    p = sub.add_parser("lagesbild", parents=[common],
                       help="indicators per 250 m / 1 km cell or per area (action 3)")
    p.add_argument("--store", required=True, help=".gpkg path or postgresql:// URL")
    p.add_argument("--unit", choices=UNIT_KINDS, default="grid250", help="geography (default: %(default)s)")
    p.add_argument("--area-kind", default="kommundel",
                   help="area kind for --unit areas (default: %(default)s)")
    p.add_argument("--from", dest="date_from", required=True, help="first day, e.g. 2026-01-01")
    p.add_argument("--to", dest="date_to", required=True, help="last day (inclusive), e.g. 2026-03-31")
    p.add_argument("--hours", help="time of day, may cross midnight, e.g. 22-05")
    p.add_argument("--weekdays", help="e.g. fri,sat (or fre,lör)")
    p.add_argument("--categories", help="comma-separated incident categories (default: all)")
    p.add_argument("--weights", type=Path, help="composite index weights, JSON or TOML")
    p.add_argument("--snapshot", help="also save the result as a named snapshot in the store")
    p.add_argument("--audience", choices=AUDIENCES, default=DEFAULT_AUDIENCE,
                   help="who the file is for (default: %(default)s)")
    p.add_argument("--fdr", action="store_true", help="false discovery rate correction of hot spots")
    p.add_argument("--emerging", action="store_true", help="add emerging hot spot classes per quarter")
    p.add_argument("--crs", choices=settings.export_crs_choices, default=settings.analysis_crs,
                   help="output CRS (default: %(default)s)")
    p.add_argument("--out", required=True, type=Path, help="output: .gpkg, .geojson, .csv or .xlsx")
    p.set_defaults(func=_cmd_lagesbild)

    snaps = sub.add_parser("snapshots", parents=[common], help="list or compare saved lägesbilder")
    actions = snaps.add_subparsers(dest="snapshot_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", parents=[common], help="list saved snapshots")
    listing.add_argument("--store", required=True)
    _add_audience(listing, "the snapshots listed are those made for this audience or a less trusted one")
    listing.set_defaults(func=_cmd_snapshots_list)
    compare = actions.add_parser("compare", parents=[common], help="compare two snapshots")
    compare.add_argument("before", help="the earlier snapshot")
    compare.add_argument("after", help="the later snapshot")
    compare.add_argument("--store", required=True)
    compare.add_argument("--out", required=True, type=Path)
    compare.add_argument("--crs", choices=settings.export_crs_choices, default=settings.analysis_crs)
    _add_audience(compare, "both snapshots must have been made for this audience or a less trusted one")
    compare.set_defaults(func=_cmd_snapshots_compare)


def _add_audience(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--audience", choices=AUDIENCES, default=DEFAULT_AUDIENCE,
                        help=f"who the output is for (default: %(default)s); {what}; protected use is logged")


def _cmd_lagesbild(args: argparse.Namespace) -> None:
    from geo.analysis.composite import load_weights
    from geo.analysis.lagesbild import emerging_hotspot_classes
    from geo.analysis.params import LagesbildParams
    from geo.analysis.prepared import prepare
    from geo.analysis.snapshots import save_lagesbild
    from geo.audit import log_access
    from geo.outputs.formats import export_format
    from geo.outputs.lagesbild_files import write_lagesbild
    from geo.privacy import compute_lagesbild
    from geo.store import open_store

    export_format(args.out)
    params = LagesbildParams.from_text(
        unit=args.unit, date_from=args.date_from, date_to=args.date_to, hours=args.hours,
        weekdays=args.weekdays, categories=args.categories, area_kind=args.area_kind,
        weights=load_weights(args.weights) if args.weights else None, audience=args.audience,
        fdr=args.fdr,
    )
    store = open_store(args.store, must_exist=True)
    print(t("reading_store", args.lang, path=store.location), file=sys.stderr, flush=True)
    prep = prepare(store)
    frame = compute_lagesbild(prep, params, lang=args.lang)
    if args.emerging:
        classes = emerging_hotspot_classes(prep, params)
        frame["emerging_class"] = classes.reindex(frame["unit_id"]).to_numpy()
    path = write_lagesbild(frame, args.out, crs=args.crs, lang=args.lang)
    log_access("export", who=None, audience=params.audience, what=f"lägesbild {params.as_dict()} -> {path}")
    print(t("lagesbild_done", args.lang, n=format_number(len(frame), args.lang), path=path))
    if frame.attrs.get("suppressed"):
        print(t("lagesbild_suppressed", args.lang, n=frame.attrs["suppressed"], k=settings.min_count))
    if frame.attrs.get("kommun_level_incidents"):
        print(t("kommun_level_note", args.lang, n=format_number(frame.attrs["kommun_level_incidents"],
                                                                 args.lang)))
    if args.snapshot:
        save_lagesbild(store, args.snapshot, frame)
        print(t("snapshot_saved", args.lang, name=args.snapshot))


def _cmd_snapshots_list(args: argparse.Namespace) -> None:
    from geo.analysis.snapshots import list_snapshots
    from geo.audit import log_access
    from geo.store import open_store

    snaps = list_snapshots(open_store(args.store, must_exist=True), audience=args.audience)
    log_access("view", who=None, audience=args.audience, what=f"snapshots list {args.store}")
    if snaps.empty:
        print(t("no_snapshots", args.lang))
        return
    for row in snaps.itertuples():
        created = row.created_at.tz_convert(settings.timezone)
        print(f"{row.name:<30} {created:%Y-%m-%d %H:%M}  {row.rows:>6}")


def _cmd_snapshots_compare(args: argparse.Namespace) -> None:
    from geo.analysis.snapshots import compare_snapshots
    from geo.audit import log_access
    from geo.outputs.export import write_frame
    from geo.store import open_store

    store = open_store(args.store, must_exist=True)
    result = compare_snapshots(store, args.before, args.after, audience=args.audience)
    log_access("export", who=None, audience=args.audience,
               what=f"snapshots compare {args.before} {args.after} -> {args.out}")
    path = write_frame(result, args.out, crs=args.crs, layer="jamforelse")
    print(t("compare_done", args.lang, before=args.before, after=args.after, path=path))
