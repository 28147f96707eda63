"""The ``trygghetskartan`` command line (also ``python -m geo``).

Subcommands: ``demo``, ``layers``, ``info``, ``export``. Errors print one
line on stderr and exit with status 1 (2 for wrong usage), never a
traceback. Texts are Swedish by default; ``--lang en`` or the environment
variable ``TRYGGHETSKARTAN_LANG=en`` switches to English.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pyogrio.errors import DataLayerError, DataSourceError

from geo import __version__, settings
from geo.audiences import AUDIENCES, DEFAULT_AUDIENCE
from geo.cli.actions import add_actions_parser
from geo.cli.imports import add_import_parser
from geo.cli.lagesbild import add_lagesbild_parser
from geo.cli.store import add_store_parser
from geo.cli.worklists import add_worklist_parser
from geo.errors import TrygghetskartanError
from geo.i18n import DEFAULT_LANGUAGE, LANGUAGES, format_date, format_number, t

EXIT_ERROR = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand.

    Returns
    -------
    argparse.ArgumentParser
        The parser; each subcommand sets ``func``.
    """
    parser = argparse.ArgumentParser(
        prog="trygghetskartan",
        description="Trygghetskartan: safety layers and lägesbilder for Järfälla kommun.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE,
                        help="language of the output (default: %(default)s)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                        help="language of the output")

    demo = sub.add_parser("demo", parents=[common], help="generate the seeded demo store")
    demo.add_argument("--store", required=True, help="GeoPackage to write (.gpkg)")
    demo.add_argument("--seed", type=int, default=None, help="random seed (default: the demo's own)")
    demo.add_argument("--incidents", type=_positive_int, default=None,
                      help="number of incidents (default: the demo's own)")
    demo.add_argument("--boundary", type=Path, default=None,
                      help="polygon file with the kommun boundary, any CRS")
    demo.set_defaults(func=_cmd_demo)

    layers = sub.add_parser("layers", parents=[common], help="show the layer specs")
    layers.add_argument("layer", nargs="?", help="one layer (default: all)")
    layers.add_argument("--json", action="store_true", help="print JSON")
    layers.set_defaults(func=_cmd_layers)

    info = sub.add_parser("info", parents=[common], help="summarise the layers of a store")
    info.add_argument("--store", required=True, help=".gpkg path or postgresql:// URL")
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(func=_cmd_info)

    export = sub.add_parser("export", parents=[common], help="export a layer to GPKG, GeoJSON, CSV or XLSX")
    export.add_argument("layer", help="layer name")
    export.add_argument("--store", required=True, help=".gpkg path or postgresql:// URL")
    export.add_argument("--out", required=True, type=Path, help="output file; format from extension")
    export.add_argument("--crs", default=settings.analysis_crs, choices=settings.export_crs_choices,
                        help="output CRS (default: %(default)s)")
    export.add_argument("--audience", default=DEFAULT_AUDIENCE, choices=AUDIENCES,
                        help="who the file is for (default: %(default)s)")
    export.set_defaults(func=_cmd_export)

    users = sub.add_parser("users", parents=[common], help="manage the app's staff logins")
    users_sub = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = users_sub.add_parser("add", parents=[common], help="add or replace a user (password from stdin)")
    add.add_argument("username")
    add.add_argument("--audience", required=True, choices=AUDIENCES[1:])
    add.add_argument("--name", help="display name")
    add.add_argument("--users-file", type=Path, default=None, help="default: settings.users_path")
    add.set_defaults(func=_cmd_users_add)

    add_import_parser(sub, common)
    add_lagesbild_parser(sub, common)
    add_worklist_parser(sub, common)
    add_store_parser(sub, common)
    add_actions_parser(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; defaults to ``sys.argv[1:]``.

    Returns
    -------
    int
        Exit status: 0 on success, 1 on an error, 2 on wrong usage.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        args.func(args)
    except BrokenPipeError:
        # the reader (e.g. `| head`) closed the pipe: not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except (TrygghetskartanError, OSError, ImportError, DataSourceError, DataLayerError) as exc:
        print(f"trygghetskartan: {t('error', args.lang)}: {_one_line(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    return 0


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    lines = text.splitlines()
    return lines[0] + (f" (+{len(lines) - 1} more lines)" if len(lines) > 1 else "")


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        msg = f"must be a positive whole number, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _cmd_demo(args: argparse.Namespace) -> None:
    from geo.demo import build_demo

    options: dict[str, object] = {"boundary": args.boundary, "progress": _stderr_progress}
    if args.seed is not None:
        options["seed"] = args.seed
    if args.incidents is not None:
        options["incidents"] = args.incidents
    build_demo(args.store, **options)
    print(t("demo_done", args.lang, path=args.store))


def _cmd_layers(args: argparse.Namespace) -> None:
    from layers import all_specs, get_spec

    specs = [get_spec(args.layer)] if args.layer else list(all_specs().values())
    if args.json:
        print(json.dumps([_spec_as_dict(s) for s in specs], ensure_ascii=False, indent=2))
        return
    lang = args.lang
    for spec in specs:
        actions = ", ".join(map(str, spec.actions))
        print(f"{spec.name} – {spec.label(lang)} [{t(spec.sensitivity, lang)}] "
              f"{'/'.join(spec.geometry_types)}; {t('actions', lang).lower()}: {actions}")
        if args.layer:
            for col in spec.columns:
                flags = f" ({t('required', lang)})" if col.required else ""
                allowed = f"; {t('allowed_values', lang)}: {', '.join(col.allowed)}" if col.allowed else ""
                print(f"  {col.name}: {col.dtype}{flags} – {col.label(lang)}{allowed}")


def _spec_as_dict(spec) -> dict:
    return {
        "name": spec.name,
        "sv": spec.sv,
        "en": spec.en,
        "geometry_types": list(spec.geometry_types),
        "sensitivity": spec.sensitivity,
        "actions": list(spec.actions),
        "time_column": spec.time_column,
        "category_column": spec.category_column,
        "columns": [
            {
                "name": c.name,
                "dtype": c.dtype,
                "required": c.required,
                "unique": c.unique,
                "sv": c.sv,
                "en": c.en,
                "allowed": [
                    {"code": ch.code, "sv": ch.sv, "en": ch.en, "protected": ch.protected}
                    for ch in c.choices
                ],
                "minimum": c.minimum,
                "maximum": c.maximum,
                "unit": c.unit,
            }
            for c in spec.columns
        ],
    }


def _cmd_info(args: argparse.Namespace) -> None:
    from geo.store import open_store
    from layers import get_spec

    store = open_store(args.store, must_exist=True)
    infos = store.info()
    if args.json:
        rows = [
            {
                "layer": i.name,
                "count": i.count,
                "crs": i.crs,
                "bounds": i.bounds,
                "time_span": [s.isoformat() for s in i.time_span] if i.time_span else None,
            }
            for i in infos
        ]
        print(json.dumps({"store": store.location, "layers": rows}, ensure_ascii=False, indent=2))
        return
    lang = args.lang
    print(f"{t('store', lang)}: {store.location}")
    if not infos:
        print(t("no_layers", lang))
        return
    print(f"{t('layer', lang):<26}{t('name', lang):<26}{t('count', lang):>10}  "
          f"{t('crs', lang):<17}{t('time_span', lang)}")
    for i in infos:
        span = f"{format_date(i.time_span[0], lang)} – {format_date(i.time_span[1], lang)}" \
            if i.time_span else ""
        print(f"{i.name:<26}{get_spec(i.name).label(lang):<26}"
              f"{format_number(i.count, lang):>10}  {i.crs:<17}{span}")


def _cmd_users_add(args: argparse.Namespace) -> None:
    import getpass

    from geo.app.auth import add_user

    if sys.stdin.isatty():
        password = getpass.getpass("Lösenord / Password: ")
        if getpass.getpass("Igen / Again: ") != password:
            msg = "the passwords differ"
            raise TrygghetskartanError(msg)
    else:
        password = sys.stdin.readline().rstrip("\n")
    path = add_user(args.username, password, audience=args.audience, name=args.name, path=args.users_file)
    print(t("user_saved", args.lang, user=args.username, path=path))


def _cmd_export(args: argparse.Namespace) -> None:
    from geo.audit import log_access
    from geo.outputs.export import export_layer
    from geo.store import open_store

    store = open_store(args.store, must_exist=True)
    path, written, withheld = export_layer(store, args.layer, args.out, crs=args.crs,
                                           audience=args.audience)
    log_access("export", who=None, audience=args.audience, what=f"{args.layer} -> {path}")
    print(t("export_done", args.lang, n=format_number(written, args.lang), path=path, crs=args.crs))
    if withheld:
        print(t("export_withheld", args.lang, n=format_number(withheld, args.lang)))

