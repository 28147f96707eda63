"""The ``trygghetskartan store`` subcommand: move a whole store between backends.

::

    trygghetskartan store copy --from data/demo.gpkg --to postgresql://gis@db/trygghet
    trygghetskartan store copy --from postgresql://gis@db/trygghet --to backup.gpkg

Either side is a ``.gpkg`` path or a ``postgresql://`` URL (see
:mod:`geo.store.postgis.connection` for connection settings). Progress goes to
stderr, the summary to stdout. Errors are raised as the package's error
types; :func:`geo.cli.main` prints them as one line.
"""

from __future__ import annotations

import argparse
import sys

from geo.i18n import TEXTS, format_number, t


def add_store_parser(
    subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> argparse.ArgumentParser:
    """Add the ``store`` subcommand and its ``copy`` command.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The subcommands of the main parser (from ``add_subparsers``).
    common : argparse.ArgumentParser
        Parent parser with the options every subcommand shares (``--lang``).

    Returns
    -------
    argparse.ArgumentParser
        The ``store`` parser. Its commands set ``func`` to a function taking
        the parsed :class:`argparse.Namespace`.

    Examples
    --------
    >>> parser = argparse.ArgumentParser()
    >>> common = argparse.ArgumentParser(add_help=False)
    >>> _ = common.add_argument("--lang", default="sv")
    >>> _ = add_store_parser(parser.add_subparsers(dest="command"), common)
    >>> args = parser.parse_args(["store", "copy", "--from", "a.gpkg", "--to", "postgresql://h/db"])
    >>> args.source, args.target, args.func.__name__
    ('a.gpkg', 'postgresql://h/db', '_cmd_copy')
    """
    store = subparsers.add_parser(
        "store", parents=[common], help="manage stores: copy between GeoPackage and PostGIS")
    commands = store.add_subparsers(dest="store_command", required=True, metavar="STORE_COMMAND")
    copy = commands.add_parser(
        "copy", parents=[common],
        help="copy every layer, the import log, snapshots and product tables to another store")
    copy.add_argument("--from", dest="source", required=True, metavar="STORE",
                      help="the store to read: .gpkg path or postgresql:// URL")
    copy.add_argument("--to", dest="target", required=True, metavar="STORE",
                      help="the store to write: .gpkg path or postgresql:// URL")
    copy.set_defaults(func=_cmd_copy)
    return store


def _cmd_copy(args: argparse.Namespace) -> None:
    from geo.store import open_store
    from geo.store.copy import copy_store

    lang = getattr(args, "lang", "sv")
    source = open_store(args.source, must_exist=True)
    target = open_store(args.target)
    copied = copy_store(source, target, progress=_stderr)
    print(t("store.done", lang).format(source=source.location, target=target.location))
    for name, count in copied.items():
        label = t(f"store.{name}", lang) if f"store.{name}" in TEXTS else name
        suffix = "" if name in ("import_log", "snapshots") else f" {t('store.rows', lang)}"
        print(f"  {label}: {format_number(count, lang)}{suffix}")


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
