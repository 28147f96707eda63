"""A throwaway PostgreSQL + PostGIS server for the tests and the benchmark.

:class:`ThrowawayServer` finds ``initdb``/``pg_ctl`` under
``/usr/lib/postgresql/*/bin`` (Debian packages ``postgresql`` and
``postgis``), creates a cluster in a temporary directory, starts it on a
free port of 127.0.0.1, creates a database with PostGIS, and removes it all
again. ``initdb`` refuses to run as root, so as root the cluster belongs to
the ``postgres`` system user and every server command runs through
``runuser -u postgres``.

The pytest fixtures share one server per test session, however many test
modules import them (``from postgis_server import postgis_url  # noqa: F401``).
When the server cannot start, the tests fail if the environment variable
``CI`` is set and are skipped otherwise, with the reason.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

#: Where Debian installs the server binaries, one folder per major version.
BIN_GLOB = "/usr/lib/postgresql/*/bin"
#: The non-root user the cluster belongs to when the tests run as root.
SERVER_USER = "postgres"
#: The database the tests use (PostGIS installed).
DATABASE = "trygghetskartan_test"
#: Superuser of the throwaway cluster.
SUPERUSER = "postgres"
STARTUP_TIMEOUT_S = 60.0


class ServerUnavailableError(RuntimeError):
    """The throwaway server cannot be created or started."""


def find_bin_dir() -> Path:
    """Return the newest ``/usr/lib/postgresql/<version>/bin`` holding initdb and pg_ctl.

    Returns
    -------
    pathlib.Path
        The folder.

    Raises
    ------
    ServerUnavailableError
        If no such folder exists (install ``postgresql`` and ``postgis``).
    """
    candidates = [p for p in Path("/").glob(BIN_GLOB.lstrip("/"))
                  if (p / "initdb").exists() and (p / "pg_ctl").exists()]
    if not candidates:
        msg = (f"no PostgreSQL server binaries under {BIN_GLOB}; "
               "install them with: apt-get install -y postgresql postgis")
        raise ServerUnavailableError(msg)
    return max(candidates, key=lambda p: _version_key(p.parent.name))


def _version_key(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdigit())


class ThrowawayServer:
    """A PostgreSQL cluster in a temporary directory, removed by :meth:`stop`.

    Parameters
    ----------
    database : str, default DATABASE
        Name of the database created with PostGIS.
    """

    def __init__(self, database: str = DATABASE) -> None:
        self.database = database
        self.bin_dir = find_bin_dir()
        self.port = self.free_port()
        self.as_root = os.geteuid() == 0
        self.root = Path(tempfile.mkdtemp(prefix="tk-postgis-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.started = False

    @staticmethod
    def free_port() -> int:
        """Return a TCP port on 127.0.0.1 that is free right now."""
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            return int(sock.getsockname()[1])

    @property
    def url(self) -> str:
        """URL of the PostGIS database."""
        return self.url_for(self.database)

    def url_for(self, database: str, *, user: str = SUPERUSER) -> str:
        """Return the URL of ``database`` on this server as ``user``."""
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def start(self) -> ThrowawayServer:
        """Create the cluster, start it and create the PostGIS database.

        Returns
        -------
        ThrowawayServer
            Itself, started.

        Raises
        ------
        ServerUnavailableError
            If any step fails; the message holds the tail of the server log.
        """
        if self.as_root:
            try:
                entry = pwd.getpwnam(SERVER_USER)
            except KeyError as exc:
                msg = f"running as root and there is no {SERVER_USER!r} user to own the cluster"
                raise ServerUnavailableError(msg) from exc
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                  "-E", "UTF8", "--locale=C")
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=50 -c TimeZone=UTC")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
                  "-w", "-t", str(int(STARTUP_TIMEOUT_S)), "start")
        self.started = True
        self.sql("postgres", f'CREATE DATABASE "{self.database}"')
        self.sql(self.database, "CREATE EXTENSION postgis")
        return self

    def sql(self, database: str, statement: str) -> None:
        """Run one SQL statement as the superuser (for setting up tests)."""
        import psycopg

        with psycopg.connect(self.url_for(database), autocommit=True, connect_timeout=10) as conn:
            conn.execute(statement)

    def new_schema_url(self) -> str:
        """Create an empty schema and return a URL whose search path starts with it.

        A fresh schema is a fresh store at the cost of one statement, so each
        test gets its own store in the one shared database.
        """
        schema = f"t_{uuid.uuid4().hex[:12]}"
        self.sql(self.database, f'CREATE SCHEMA "{schema}"')
        return f"{self.url}?options=-csearch_path%3D{schema},public"

    def stop(self) -> None:
        """Stop the server (if started) and remove its directory."""
        if self.started:
            with contextlib.suppress(ServerUnavailableError):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin_dir / program), *args]
        if self.as_root:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        try:
            done = subprocess.run(command, capture_output=True, text=True, env=env,
                                  timeout=STARTUP_TIMEOUT_S + 30, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            msg = f"{program} could not run: {exc}"
            raise ServerUnavailableError(msg) from exc
        if done.returncode != 0:
            tail = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            msg = (f"{program} failed with status {done.returncode}: "
                   f"{done.stderr.strip() or done.stdout.strip()}\n{tail}")
            raise ServerUnavailableError(msg)


@contextlib.contextmanager
def throwaway_server(database: str = DATABASE) -> Iterator[ThrowawayServer]:
    """Start a :class:`ThrowawayServer` and stop and remove it afterwards.

    Parameters
    ----------
    database : str, default DATABASE
        Name of the PostGIS database.

    Yields
    ------
    ThrowawayServer
        The running server.
    """
    server = ThrowawayServer(database)
    try:
        yield server.start()
    finally:
        server.stop()


_SERVER_KEY = pytest.StashKey[object]()


def _shared_server(config: pytest.Config) -> ThrowawayServer:
    """Return the session's one server, starting it on first use."""
    found = config.stash.get(_SERVER_KEY, None)
    if found is None:
        try:
            server = ThrowawayServer()
            config.add_cleanup(server.stop)
            found = server.start()
        except (ServerUnavailableError, OSError) as exc:
            found = f"cannot start a throwaway PostgreSQL + PostGIS server: {exc}"
        except Exception as exc:  # psycopg errors while creating the database
            found = f"cannot set up PostGIS in the throwaway server: {exc}"
        config.stash[_SERVER_KEY] = found
    if isinstance(found, str):
        if os.environ.get("CI"):
            pytest.fail(f"{found}\nCI installs the Debian packages postgresql and postgis")
        pytest.skip(found)
    return found  # type: ignore[return-value]


@pytest.fixture(scope="session")
def postgis_server(request: pytest.FixtureRequest) -> ThrowawayServer:
    """The session's throwaway PostGIS server (fails in CI, skips elsewhere if unavailable)."""
    return _shared_server(request.config)


@pytest.fixture(scope="session")
def postgis_url(postgis_server: ThrowawayServer) -> str:
    """URL of the session's PostGIS database."""
    return postgis_server.url


@pytest.fixture
def fresh_postgis_url(postgis_server: ThrowawayServer) -> str:
    """URL of an empty store: a new schema in the session's PostGIS database."""
    return postgis_server.new_schema_url()


@pytest.fixture(scope="session")
def postgis_demo_url(postgis_server: ThrowawayServer, demo_path: Path) -> str:
    """URL of a PostGIS store holding a copy of the session's demo GeoPackage (read only)."""
    from geo.store import GeoPackageStore
    from geo.store.copy import copy_store
    from geo.store.postgis import PostGISStore

    url = postgis_server.new_schema_url()
    copy_store(GeoPackageStore(demo_path), PostGISStore(url))
    return url
