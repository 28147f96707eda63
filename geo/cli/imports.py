"""The ``trygghetskartan import`` subcommand: bring a file into a layer.

::

    trygghetskartan import --store S LAYER FILE [--format auto|open311|polisen]
                           [--crs EPSG:NNNN] [--mode append|replace] [--make-valid]
                           [--allow-outside] [--layer NAME] [--dry-run]
                           [--map SRC=DEST ...] [--service-code CODE=layer ...]
                           [--set COLUMN=VALUE ...]

It prints what was imported and every note, in Swedish unless ``--lang en``.
When the file has problems, every one is printed on stderr as
``FILE:ROW:FIELD: message`` (rows as the user sees them in the file: for
CSV the line number with the header as row 1) and the command fails with
one summary line; nothing is written. A file larger than
:data:`PROGRESS_BYTES` shows a progress bar on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from geo.errors import ImportRefusedError, ValidationError
from geo.i18n import format_number, t

#: Formats the command line offers; everything else is detected (``auto``).
CLI_FORMATS: tuple[str, ...] = ("auto", "open311", "polisen")
#: Write modes (:data:`geo.io.layer_store.WRITE_MODES`, kept here so ``--help`` stays light).
CLI_MODES: tuple[str, ...] = ("append", "replace")
#: Files at least this large get a progress bar on stderr.
PROGRESS_BYTES: int = 5 * 1024 * 1024
BAR_WIDTH: int = 30

def add_import_parser(
    subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> argparse.ArgumentParser:
    """Add the ``import`` subcommand.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The subcommands of the main parser (from ``add_subparsers``).
    common : argparse.ArgumentParser
        Parent parser with the options every subcommand shares (``--lang``).

    Returns
    -------
    argparse.ArgumentParser
        The ``import`` parser; it sets ``func`` to a function taking the
        parsed :class:`argparse.Namespace`.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> common = argparse.ArgumentParser(add_help=False)
    >>> _ = common.add_argument("--lang", default="sv")
    >>> _ = add_import_parser(parser.add_subparsers(dest="command"), common)
    >>> args = parser.parse_args(["import", "--store", "s.gpkg", "incidents", "h.csv",
    ...                           "--crs", "EPSG:3006", "--map", "Kategori=category"])
    >>> args.layer, args.crs, args.mapping, args.func.__name__
    ('incidents', 'EPSG:3006', [('Kategori', 'category')], '_cmd_import')
    """
    parser = subparsers.add_parser(
        "import", parents=[common],
        help="import a file into a layer (GeoPackage, GeoJSON, Shapefile, zip, CSV, Open311, Polisen)",
        description="Import a file into a layer, all or nothing: every problem is listed with its "
                    "row and field, and nothing is written unless the whole file is accepted. "
                    "Rows are numbered as in the file (CSV: the header is row 1).",
    )
    parser.add_argument("layer", metavar="LAYER", help="target layer, e.g. incidents")
    parser.add_argument("file", metavar="FILE", type=Path, help="the file to import")
    parser.add_argument("--store", required=True, help=".gpkg path or postgresql:// URL")
    parser.add_argument("--format", choices=CLI_FORMATS, default="auto",
                        help="file format (default: %(default)s, detected from name and content)")
    parser.add_argument("--crs", default=None, metavar="EPSG:NNNN",
                        help="CRS of a file that declares none (CSV with x/y or E/N, .shp without .prj)")
    parser.add_argument("--mode", choices=CLI_MODES, default="append",
                        help="append to the layer or replace its content (default: %(default)s)")
    parser.add_argument("--make-valid", action="store_true",
                        help="repair invalid geometries with make_valid instead of refusing them")
    parser.add_argument("--allow-outside", action="store_true",
                        help="import rows that lie outside the kommun or Sweden")
    parser.add_argument("--layer", dest="layer_name", default=None, metavar="NAME",
                        help="the layer inside a GeoPackage or zip that holds several")
    parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
    parser.add_argument("--map", dest="mapping", action="append", default=[], metavar="SRC=DEST",
                        type=_pair("--map", "SRC=DEST"),
                        help="read file column SRC as layer column DEST (or as a coordinate: lat, lon, "
                             "e, n, x, y, wkt); repeatable")
    parser.add_argument("--service-code", dest="service_codes", action="append", default=[],
                        metavar="CODE=layer", type=_pair("--service-code", "CODE=layer"),
                        help="send Open311 requests of service CODE (or name) to graffiti, lighting or "
                             "skip; repeatable")
    parser.add_argument("--set", dest="fill", action="append", default=[], metavar="COLUMN=VALUE",
                        type=_pair("--set", "COLUMN=VALUE"),
                        help="value of COLUMN where the file leaves it empty; repeatable")
    parser.set_defaults(func=_cmd_import)
    return parser


def _pair(option: str, shape: str) -> Callable[[str], tuple[str, str]]:
    def parse(text: str) -> tuple[str, str]:
        key, sep, value = text.partition("=")
        if not sep or not key.strip() or not value.strip():
            msg = f"{option} expects {shape}, got {text!r}"
            raise argparse.ArgumentTypeError(msg)
        return key.strip(), value.strip()

    parse.__name__ = f"{option.strip('-').replace('-', '_')}_pair"
    return parse


def _cmd_import(args: argparse.Namespace) -> None:
    from geo.errors import ImportValidationError
    from geo.io.importer import import_file
    from geo.store import open_store

    lang = getattr(args, "lang", "sv")
    store = open_store(args.store)
    bar = ProgressBar(sys.stderr) if _big(args.file) else None
    try:
        report = import_file(
            store, args.layer, args.file, format=args.format, crs=args.crs, mode=args.mode,
            make_valid=args.make_valid, allow_outside=args.allow_outside, mapping=dict(args.mapping),
            service_codes=dict(args.service_codes), layer_name=args.layer_name, dry_run=args.dry_run,
            progress=bar, fill=dict(args.fill),
        )
    except ValidationError as exc:
        if bar is not None:
            bar.close()
        print_problems(exc, lang=lang, out=sys.stderr)
        raise ImportRefusedError(exc, lang) from exc
    if bar is not None:
        bar.close()
    for line in report.summary(lang):
        print(line)
    if report.problems:
        error = ImportValidationError(report.problems, source=report.source,
                                      row_convention=report.row_convention)
        print_problems(error, lang=lang, out=sys.stderr)
        raise ImportRefusedError(error, lang)


def _big(path: Path) -> bool:
    try:
        return path.stat().st_size >= PROGRESS_BYTES
    except OSError:
        return False


def print_problems(error: ValidationError, *, lang: str = "sv", out: TextIO | None = None) -> None:
    """Print every problem as ``FILE:ROW:FIELD: message``, under a heading.

    Parameters
    ----------
    error : geo.errors.ValidationError
        The refusal, with its problems.
    lang : str, default "sv"
        Language of the heading.
    out : file, optional
        Where to print; stderr by default.
    """
    out = out or sys.stderr
    source = error.source or "-"
    convention = t(f"import_rows.{getattr(error, 'row_convention', 'vector')}", lang)
    heading = t("import_cli.problems", lang, n=format_number(len(error.problems), lang), file=source,
                convention=convention)
    print(heading, file=out)
    for problem in error.problems:
        row = "-" if problem.row is None else problem.row
        print(f"{source}:{row}:{problem.field}: {problem.message}", file=out)


class ProgressBar:
    """A progress bar on a text stream, redrawn in place on a terminal.

    Parameters
    ----------
    out : file
        The stream (stderr). On a terminal the bar is redrawn in place;
        otherwise a line is printed every 10 %.
    """

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.tty = bool(getattr(out, "isatty", lambda: False)())
        self.shown = -1

    def __call__(self, fraction: float, text: str) -> None:
        """Show ``fraction`` (0-1) done, with a short text."""
        percent = round(100 * min(max(fraction, 0.0), 1.0))
        step = percent if self.tty else percent // 10 * 10
        if step == self.shown:
            return
        self.shown = step
        filled = BAR_WIDTH * percent // 100
        line = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {percent:3d}% {text}"
        if self.tty:
            print(f"\r{line[:100]:<100}", end="", file=self.out, flush=True)
        else:
            print(line, file=self.out, flush=True)

    def close(self) -> None:
        """End the bar's line."""
        if self.tty and self.shown >= 0:
            print(file=self.out, flush=True)
