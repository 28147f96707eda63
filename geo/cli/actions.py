"""The ``trygghetskartan actions`` subcommand: list, set and export the action register.

::

    trygghetskartan actions list   --store S [--year Y] [--section 5.1] [--body TEN]
                                   [--status ongoing] [--json]
    trygghetskartan actions set    --store S NR --status STATUS [--year Y] [--comment TEXT]
                                   [--evidence TEXT] [--user NAME]
    trygghetskartan actions export --store S --out FILE [--year Y]
    trygghetskartan actions report --store S --snapshot NAME --out FILE [--year Y]

The year defaults to the current year in Europe/Stockholm. Errors are
raised as the package's error types; :func:`geo.cli.main` prints them as
one line.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from geo.actions.figures import live_figures
from geo.actions.register import (
    BODY_SEPARATOR,
    STATUSES,
    current_year,
    layer_counts_figures,
    register_table,
    set_status,
    status_counts,
    status_label,
)
from geo.actions.reports import export_register
from geo.audiences import AUDIENCES, DEFAULT_AUDIENCE
from geo.audit import log_access
from geo.i18n import format_date, format_number, t

if TYPE_CHECKING:
    from geo.store import Store

#: Width of the action text in ``actions list`` (the rest is cut with "…").
LIST_TEXT_WIDTH: int = 70


def add_actions_parser(
    subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> argparse.ArgumentParser:
    """Add the ``actions`` subcommand and its ``list``, ``set`` and ``export`` commands.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The subcommands of the main parser (from ``add_subparsers``).
    common : argparse.ArgumentParser
        Parent parser with the options every subcommand shares (``--lang``).

    Returns
    -------
    argparse.ArgumentParser
        The ``actions`` parser. Each of its commands sets ``func`` to a
        function taking the parsed :class:`argparse.Namespace`.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> common = argparse.ArgumentParser(add_help=False)
    >>> _ = common.add_argument("--lang", default="sv")
    >>> _ = add_actions_parser(parser.add_subparsers(dest="command"), common)
    >>> args = parser.parse_args(["actions", "set", "--store", "s.gpkg", "7", "--status", "done"])
    >>> args.nr, args.status, args.func.__name__
    (7, 'done', '_cmd_set')
    """
    actions = subparsers.add_parser(
        "actions", parents=[common], help="the action register: follow-up of the 77 actions"
    )
    commands = actions.add_subparsers(dest="actions_command", required=True, metavar="ACTION_COMMAND")
    year_help = "follow-up year (default: the current year)"

    listing = commands.add_parser("list", parents=[common], help="show the register for a year")
    listing.add_argument("--store", required=True, help=".gpkg path or postgresql:// URL")
    listing.add_argument("--year", type=int, default=None, help=year_help)
    listing.add_argument("--section", default=None, help="only this section, e.g. 5.1")
    listing.add_argument("--body", default=None, help="only actions this body is responsible for, e.g. TEN")
    listing.add_argument("--status", default=None, help=f"only this status: {', '.join(STATUSES)}")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=_cmd_list)

    setting = commands.add_parser("set", parents=[common], help="record the status of an action")
    setting.add_argument("--store", required=True, help=".gpkg path or postgresql:// URL")
    setting.add_argument("nr", type=int, help="action number, 1-77")
    setting.add_argument("--status", required=True, help=", ".join(STATUSES))
    setting.add_argument("--year", type=int, default=None, help=year_help)
    setting.add_argument("--comment", default="", help="what was done, or why the status changed")
    setting.add_argument("--evidence", default="",
                         help="what shows it: a lägesbild snapshot, a work list, an export, a document")
    setting.add_argument("--user", default=None, help="who made the change (default: the current user)")
    setting.set_defaults(func=_cmd_set)

    export = commands.add_parser("export", parents=[common],
                                 help="export the register to CSV, XLSX, HTML or PDF")
    export.add_argument("--store", required=True, help=".gpkg path or postgresql:// URL")
    export.add_argument("--out", required=True, type=Path, help="output file; format from extension")
    export.add_argument("--year", type=int, default=None, help=year_help)
    export.set_defaults(func=_cmd_export)

    report = commands.add_parser(
        "report", parents=[common],
        help="lägesbild and åtgärdsplan under the law (2023:196), from a saved snapshot: HTML or PDF")
    report.add_argument("--store", required=True, help=".gpkg path or postgresql:// URL")
    report.add_argument("--snapshot", required=True, help="name of a saved lägesbild snapshot")
    report.add_argument("--out", required=True, type=Path, help="output file: .html or .pdf")
    report.add_argument("--year", type=int, default=None, help=year_help)
    for command in (listing, export, report):
        command.add_argument("--audience", choices=AUDIENCES, default=DEFAULT_AUDIENCE,
                             help="who the output is for (default: %(default)s): the live figures and the "
                                  "snapshot are those of this audience; protected use is logged")
    report.set_defaults(func=_cmd_report)
    return actions


def _year(args: argparse.Namespace) -> int:
    return current_year() if args.year is None else args.year


def _open(location: str) -> Store:
    from geo.store import open_store

    return open_store(location, must_exist=True)


def _cmd_list(args: argparse.Namespace) -> None:
    lang, year = args.lang, _year(args)
    store = _open(args.store)
    table = register_table(
        store, year, figures=_figures(store, lang, args.audience),
        section=args.section, body=args.body, status=args.status,
    )
    if args.json:
        print(json.dumps(_as_json(table, year, lang), ensure_ascii=False, indent=2))
        return
    print(t("actions.register_title", lang, year=year))
    for _, row in table.iterrows():
        text = row["text"]
        if len(text) > LIST_TEXT_WIDTH:
            text = text[: LIST_TEXT_WIDTH - 1] + "…"
        changed = format_date(row["changed_at"], lang) if pd.notna(row["changed_at"]) else ""
        print(f"{row['nr']:>3}  {row['section']:<5} {status_label(row['status'], lang):<12} "
              f"{row['responsible']:<24} {text}  {changed}".rstrip())
        if row["figure"]:
            print(f"{'':<11}{t('actions.col_figure', lang)}: {row['figure']}")
    counts = status_counts(table)
    line = ", ".join(
        f"{status_label(code, lang)} {format_number(int(counts[code]), lang)}" for code in STATUSES
    )
    print(t("actions.status_line", lang, counts=line, total=format_number(len(table), lang)))


def _as_json(table: pd.DataFrame, year: int, lang: str) -> dict:
    records = []
    for _, row in table.iterrows():
        records.append(
            {
                "nr": int(row["nr"]),
                "section": row["section"],
                "section_title": row["section_title"],
                "text": row["text"],
                "responsible": row["responsible"].split(BODY_SEPARATOR),
                "status": row["status"],
                "status_label": status_label(row["status"], lang),
                "comment": row["comment"],
                "evidence": row["evidence"],
                "changed_by": row["changed_by"],
                "changed_at": row["changed_at"].isoformat() if pd.notna(row["changed_at"]) else None,
                "figure": row["figure"],
            }
        )
    counts = {code: int(n) for code, n in status_counts(table).items()}
    return {"year": year, "count": len(records), "status_counts": counts, "actions": records}


def _cmd_set(args: argparse.Namespace) -> None:
    lang, year = args.lang, _year(args)
    store = _open(args.store)
    row = set_status(store, args.nr, year, args.status, comment=args.comment, evidence=args.evidence,
                     user=args.user)
    print(t("actions.status_saved", lang, nr=row["nr"], year=row["year"],
            status=status_label(row["status"], lang)))


def _cmd_export(args: argparse.Namespace) -> None:
    lang, year = args.lang, _year(args)
    store = _open(args.store)
    table = register_table(store, year, figures=_figures(store, lang, args.audience))
    path = export_register(table, args.out, year=year, lang=lang)
    print(t("actions.register_written", lang, year=year, n=format_number(len(table), lang), path=path))


def _figures(store: Store, lang: str, audience: str) -> dict[int, str]:
    """Return the live figures; the layer counts when the store has no areas to compute them on."""
    log_access("view", who=None, audience=audience, what=f"actions figures {store.location}")
    if "areas" in store.list_layers():
        return live_figures(store, lang=lang, audience=audience)
    return layer_counts_figures(store, lang=lang)


def _cmd_report(args: argparse.Namespace) -> None:
    from geo.actions.law_report import build_law_report
    from geo.actions.law_report_files import EXTENSIONS, export_law_report
    from geo.errors import LawReportError

    lang, year = args.lang, _year(args)
    if Path(args.out).suffix.lower() not in EXTENSIONS:
        msg = f"--out={str(args.out)!r} is not allowed; allowed: a file ending in {', '.join(EXTENSIONS)}"
        raise LawReportError(msg)
    store = _open(args.store)
    report = build_law_report(store, snapshot=args.snapshot, year=year, lang=lang, audience=args.audience)
    path = export_law_report(report, args.out)
    log_access("export", who=None, audience=args.audience, what=f"actions report {args.snapshot} -> {path}")
    print(t("law_report.report_written", lang, path=path))
