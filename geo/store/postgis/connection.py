"""Connection settings of the PostGIS store, and the lazy import of psycopg 3.

Connection settings, first found wins:

1. the URL (``postgresql://user:password@host:port/dbname?options=...``);
   ``None`` reads the URL from the environment variable named by
   :data:`geo.settings.postgis_dsn_env` (``TRYGGHETSKARTAN_PG_DSN``), and a
   bare ``postgresql://`` leaves everything to the next two;
2. the ``PG*`` environment variables (``PGHOST``, ``PGPORT``,
   ``PGDATABASE``, ``PGUSER``, ``PGPASSWORD``, ``PGSERVICE``, ...), which
   libpq applies itself, and ``~/.pgpass``;
3. the ``[postgis]`` section (keys ``host``, ``port``, ``dbname``, ``user``,
   ``password``) of the INI file named by the environment variable
   :data:`CONFIG_ENV` (``TRYGGHETSKARTAN_PG_CONFIG``).

psycopg 3 is imported only when a PostGIS store is opened
(:func:`import_psycopg`): ``pip install "psycopg[binary]>=3.1"``. The URL is
never interpolated into SQL, and :func:`display_location` never shows the
password.
"""

from __future__ import annotations

import configparser
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from geo.errors import DataStoreError

if TYPE_CHECKING:
    import psycopg

#: Environment variable naming the INI file with a ``[postgis]`` section.
CONFIG_ENV = "TRYGGHETSKARTAN_PG_CONFIG"
#: Section of the INI file that holds the connection settings.
CONFIG_SECTION = "postgis"
#: Keys of the config file and the libpq environment variable that overrides each.
CONFIG_KEYS: dict[str, str] = {
    "host": "PGHOST", "port": "PGPORT", "dbname": "PGDATABASE", "user": "PGUSER",
    "password": "PGPASSWORD",
}
#: Seconds to wait for the server unless the URL or ``PGCONNECT_TIMEOUT`` says otherwise.
CONNECT_TIMEOUT_S = 10


def import_psycopg() -> Any:
    """Import psycopg 3, or say which feature needs it and how to install it.

    Returns
    -------
    module
        The ``psycopg`` package.

    Raises
    ------
    ImportError
        If psycopg 3 is not installed; the message gives the pip command.
    """
    try:
        import psycopg
    except ImportError as exc:
        msg = (
            "the PostGIS store (--store postgresql://...) needs the package psycopg 3; "
            f"install it with: pip install 'psycopg[binary]>=3.1' ({exc})"
        )
        raise ImportError(msg) from exc
    return psycopg


def psycopg_sql() -> Any:
    """Return :mod:`psycopg.sql`, which composes SQL with quoted names, importing psycopg lazily."""
    return import_psycopg().sql


def connection_params(text: str) -> dict[str, str]:
    """Return the libpq parameters: the URL's, then the config file's for what neither it nor PG* set.

    Parameters
    ----------
    text : str
        A ``postgresql://`` URL or a libpq ``key=value`` string.

    Returns
    -------
    dict of str to str
        Keyword arguments of ``psycopg.connect``, with
        :data:`CONNECT_TIMEOUT_S` unless a timeout is set already.

    Raises
    ------
    DataStoreError
        If ``text`` is not a valid URL (the message never repeats it, as it
        may hold a password) or the config file is unusable.
    """
    psycopg = import_psycopg()
    try:
        params = psycopg.conninfo.conninfo_to_dict(text)
    except psycopg.ProgrammingError:
        # the parser's message may quote the URL, password included: leave it out
        msg = "the store URL is not a valid postgresql:// URL or libpq connection string"
        raise DataStoreError(msg) from None
    params = {k: str(v) for k, v in params.items() if v is not None}
    for key, value in _config_file_params().items():
        if key not in params and not os.environ.get(CONFIG_KEYS[key]):
            params[key] = value
    if "connect_timeout" not in params and not os.environ.get("PGCONNECT_TIMEOUT"):
        params["connect_timeout"] = str(CONNECT_TIMEOUT_S)
    return params


def _config_file_params() -> dict[str, str]:
    """Return the non-empty keys of the ``[postgis]`` section of the file named by :data:`CONFIG_ENV`."""
    path = os.environ.get(CONFIG_ENV)
    if not path:
        return {}
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with Path(path).open(encoding="utf-8") as handle:
            parser.read_file(handle)
    except (OSError, configparser.Error) as exc:
        msg = f"{CONFIG_ENV}={path!r} cannot be read as an INI file: {exc}"
        raise DataStoreError(msg) from exc
    if not parser.has_section(CONFIG_SECTION):
        msg = f"{CONFIG_ENV}={path!r} has no [{CONFIG_SECTION}] section"
        raise DataStoreError(msg)
    values = dict(parser.items(CONFIG_SECTION))
    unknown = sorted(set(values) - set(CONFIG_KEYS))
    if unknown:
        msg = (f"{CONFIG_ENV}={path!r}: unknown keys {unknown} in [{CONFIG_SECTION}]; "
               f"allowed: {', '.join(CONFIG_KEYS)}")
        raise DataStoreError(msg)
    return {k: v for k, v in values.items() if v}


def display_location(params: dict[str, str]) -> str:
    """Return the store's address for messages, never with the password.

    Parameters
    ----------
    params : dict of str to str
        The libpq parameters from :func:`connection_params`; what they lack
        is taken from the ``PG*`` environment variables.

    Returns
    -------
    str
        A ``postgresql://user@host:port/dbname`` URL, a socket folder and
        ``options`` in its query.

    Examples
    --------
    >>> display_location({"host": "db", "user": "gis", "password": "secret", "dbname": "tk", "port": "5432"})
    'postgresql://gis@db:5432/tk'
    """
    def value(key: str, env: str) -> str:
        return params.get(key) or os.environ.get(env, "")

    user, host = quote(value("user", "PGUSER"), safe=""), value("host", "PGHOST")
    port, dbname = value("port", "PGPORT"), quote(value("dbname", "PGDATABASE"), safe="")
    if host.startswith("/"):  # a Unix socket folder goes in the query
        host, socket = "", f"host={quote(host, safe='/')}"
    else:
        socket = ""
    text = "postgresql://" + (f"{user}@" if user else "") + host + (f":{port}" if port else "")
    query = [socket] if socket else []
    if params.get("options"):
        query.append(f"options={quote(params['options'], safe=',-')}")
    return f"{text}/{dbname}" + (f"?{'&'.join(query)}" if query else "")


def error_reason(exc: BaseException) -> str:
    """Return an exception's message on one line (its lines joined by ``; ``), or its type's name."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return "; ".join(lines) or type(exc).__name__


def check_postgis(conn: psycopg.Connection, database: str) -> None:
    """Create the PostGIS extension in the database unless it is there.

    Parameters
    ----------
    conn : psycopg.Connection
        An autocommit connection to the database.
    database : str
        The database's name, for the message.

    Raises
    ------
    DataStoreError
        If PostGIS is missing and cannot be created (e.g. not a superuser).
    """
    psycopg = import_psycopg()
    if conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone():
        return
    try:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    except psycopg.Error as exc:
        msg = (f"PostGIS is not installed in database {database}: CREATE EXTENSION postgis "
               f"(as a superuser) and try again; creating it failed: {error_reason(exc)}")
        raise DataStoreError(msg) from exc
