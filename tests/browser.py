"""Helpers for the browser tests and the map benchmark: a Streamlit server, headless Chromium.

Used by ``tests/test_browser.py`` and ``benchmarks/bench_map.py``. Nothing here
touches the network: the server listens on 127.0.0.1, and every request the
page makes to another host is answered from Debian's copies of the map
libraries (or a stub), or aborted.

Why the libraries matter: ``st_folium`` loads Leaflet, d3 and the rest from
public CDNs (the ``js_links`` it passes to its component) and draws nothing if
one of them fails to load. Offline, :func:`serve_map_libraries` fulfils those
requests from ``/usr/share/javascript`` (Debian's ``libjs-leaflet`` and
``libjs-d3`` are required; ``libjs-jquery`` and ``libjs-bootstrap5`` are used
when present) and answers any other script or stylesheet with an empty body.
Basemap tiles are aborted, so a test looks at the map's own layers only.

Requirements: ``playwright`` (PyPI; its driver is in the wheel, no browser
download) and Debian's ``chromium``. When one is missing, the caller fails
under ``CI`` and skips elsewhere, with the reason.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

#: Flags every Chromium launch gets (a fresh ``--user-data-dir`` is added per session).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
)
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
#: The iframe Streamlit renders the ``st_folium`` component in.
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
#: Streamlit's app root; its ``data-test-script-state`` is ``running``, ``notRunning``, ...
APP_ROOT = '[data-testid="stApp"]'
#: Seconds to wait for the server's health check, and for the map to draw.
SERVER_TIMEOUT = 60
MAP_TIMEOUT = 90
VIEWPORT = {"width": 1400, "height": 1800}

_JS = "/usr/share/javascript"
#: CDN URL pattern -> (local candidates, required). First existing candidate wins.
MAP_LIBRARIES: tuple[tuple[re.Pattern[str], tuple[str, ...], bool], ...] = (
    (re.compile(r"/leaflet@[^/]+/dist/leaflet\.js$"), (f"{_JS}/leaflet/leaflet.js",), True),
    (re.compile(r"/leaflet@[^/]+/dist/leaflet\.css$"), (f"{_JS}/leaflet/leaflet.css",), True),
    # branca's colour scale uses the d3 v3 API (d3.scale.linear): Debian ships 3.5.17.
    (re.compile(r"/d3/3\.[^/]+/d3(\.min)?\.js$"), (f"{_JS}/d3/d3.min.js", f"{_JS}/d3/d3.js"), True),
    (re.compile(r"/jquery-3[^/]*\.js$"), (f"{_JS}/jquery/jquery.min.js",), False),
    (re.compile(r"/bootstrap@5[^/]*/dist/js/bootstrap\.bundle(\.min)?\.js$"),
     (f"{_JS}/bootstrap5/js/bootstrap.bundle.min.js",), False),
    (re.compile(r"/bootstrap@5[^/]*/dist/css/bootstrap(\.min)?\.css$"),
     (f"{_JS}/bootstrap5/css/bootstrap.min.css",), False),
)
_LEAFLET_IMAGES = re.compile(r"/leaflet@[^/]+/dist/images/([\w.-]+\.png)$")
_CONTENT_TYPES = {".js": "application/javascript", ".css": "text/css", ".png": "image/png"}
_LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def unavailable(reason: str) -> None:
    """Fail under ``CI`` (the environment variable is set), skip elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must provide it)", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str:
    """Return the system Chromium (Debian's ``/usr/bin/chromium``), or fail/skip."""
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    unavailable("Chromium is not installed: apt-get install chromium")
    return ""  # unreachable


def require_playwright():
    """Return ``playwright.sync_api.sync_playwright``, or fail/skip if Playwright is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed: pip install playwright")
    return sync_playwright


def require_map_libraries() -> None:
    """Fail/skip unless the libraries the map cannot draw without are on disk."""
    missing = [paths[0] for _, paths, required in MAP_LIBRARIES
               if required and not any(Path(p).exists() for p in paths)]
    if missing:
        unavailable(f"map libraries missing ({', '.join(missing)}): apt-get install libjs-leaflet libjs-d3")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen) -> None:
    """Terminate the server's whole process group, then kill it if it lingers."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    # Children left in the group (none expected) go too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def streamlit_server(
    app_path: str | Path,
    store_path: str | Path,
    *,
    port: int | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = SERVER_TIMEOUT,
) -> Iterator[str]:
    """Run ``streamlit run APP`` on 127.0.0.1 against a store; yield its base URL.

    Parameters
    ----------
    app_path : str or pathlib.Path
        The entry point (``app.py``); the server runs in its folder.
    store_path : str or pathlib.Path
        Passed as ``TRYGGHETSKARTAN_STORE``.
    port : int, optional
        Defaults to :func:`free_port`.
    env : mapping, optional
        Extra environment variables for the server.
    timeout : float, default 60
        Seconds to wait for ``/_stcore/health`` to answer ``ok``.

    Yields
    ------
    str
        ``http://127.0.0.1:PORT``.

    Raises
    ------
    RuntimeError
        If the server exits or is not healthy in time; the message ends with
        the server's log.
    """
    app_path = Path(app_path).resolve()
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    server_env = {**os.environ, **(env or {}), "TRYGGHETSKARTAN_STORE": str(store_path)}
    command = [
        sys.executable, "-m", "streamlit", "run", str(app_path),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",  # no reloads while others edit the tree
    ]
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as log:
        process = subprocess.Popen(
            command, cwd=app_path.parent, env=server_env, stdin=subprocess.DEVNULL,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        try:
            deadline = time.monotonic() + timeout
            while not _healthy(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    state = (f"exited with {process.returncode}" if process.poll() is not None
                             else f"not healthy after {timeout:.0f} s")
                    log.seek(0)
                    raise RuntimeError(f"streamlit {state} on {url}; its log:\n{log.read()[-4000:]}")
                time.sleep(0.2)
            yield url
        finally:
            _stop(process)


def serve_map_libraries(route) -> None:
    """Playwright route handler for every non-local request (see the module docstring)."""
    url = route.request.url.split("?", 1)[0]
    for pattern, paths, _ in MAP_LIBRARIES:
        if pattern.search(url):
            path = next((Path(p) for p in paths if Path(p).exists()), None)
            if path is not None:
                route.fulfill(status=200, path=str(path),
                              content_type=_CONTENT_TYPES.get(path.suffix, "application/octet-stream"))
                return
    images = _LEAFLET_IMAGES.search(url)
    if images and Path(_JS, "leaflet", "images", images.group(1)).exists():
        route.fulfill(status=200, path=str(Path(_JS, "leaflet", "images", images.group(1))),
                      content_type="image/png")
        return
    suffix = Path(url).suffix
    if suffix in (".js", ".css"):
        route.fulfill(status=200, body=f"/* offline stub for {url} */", content_type=_CONTENT_TYPES[suffix])
        return
    route.abort("internetdisconnected")


def _is_remote(url: str) -> bool:
    host = re.sub(r"^[a-z]+://", "", url).split("/", 1)[0].rsplit(":", 1)[0]
    return url.startswith(("http://", "https://")) and host not in _LOCAL_HOSTS


@contextlib.contextmanager
def chromium_context(playwright, *, user_data_dir: str | Path | None = None, viewport=None):
    """Launch headless Chromium with :data:`CHROMIUM_FLAGS` and a fresh profile; yield the context.

    Every non-local request goes through :func:`serve_map_libraries`.
    """
    with contextlib.ExitStack() as stack:
        if user_data_dir is None:
            user_data_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="tk-chromium-"))
        context = playwright.chromium.launch_persistent_context(
            str(user_data_dir),
            executable_path=chromium_path(),
            headless=True,
            args=list(CHROMIUM_FLAGS),
            viewport=viewport or VIEWPORT,
            locale="sv-SE",
            timezone_id="Europe/Stockholm",
            service_workers="block",
        )
        try:
            context.route(_is_remote, serve_map_libraries)
            yield context
        finally:
            context.close()


def map_frame(page, *, timeout: float = MAP_TIMEOUT):
    """Wait until the folium map has drawn a ``.tk-layer`` in its iframe; return that Frame."""
    frame_locator = page.frame_locator(MAP_IFRAME).first
    frame_locator.locator(".tk-layer").first.wait_for(state="visible", timeout=timeout * 1000)
    handle = page.locator(MAP_IFRAME).first.element_handle()
    frame = handle.content_frame()
    if frame is None:
        raise RuntimeError("the map iframe has no frame")
    return frame


#: JavaScript: how many elements carry each ``tk-layer-*`` class in a document.
COUNT_LAYER_CLASSES = """() => {
  const counts = {};
  for (const el of document.querySelectorAll('.tk-layer')) {
    for (const cls of el.classList) {
      if (cls.startsWith('tk-layer-')) counts[cls] = (counts[cls] || 0) + 1;
    }
  }
  return counts;
}"""


def layer_class_counts(frame) -> dict[str, int]:
    """Return ``{class: count}`` of every ``tk-layer-*`` class in the map's DOM."""
    return frame.evaluate(COUNT_LAYER_CLASSES)


_NOT_RUNNING = f"() => document.querySelector('{APP_ROOT}')?.dataset.testScriptState === 'notRunning'"


def wait_until_idle(page, *, timeout: float = MAP_TIMEOUT) -> None:
    """Wait until Streamlit has no script run going (the map may draw before the run ends)."""
    page.wait_for_function(_NOT_RUNNING, timeout=timeout * 1000)


def rerun_and_wait(page, action, *, timeout: float = MAP_TIMEOUT) -> None:
    """Do ``action()`` (e.g. click a widget) and wait for the script run it starts to finish."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    wait_until_idle(page, timeout=timeout)
    action()
    with contextlib.suppress(PlaywrightTimeoutError):  # a quick run may end before we look
        page.wait_for_function(
            f"() => document.querySelector('{APP_ROOT}')?.dataset.testScriptState !== 'notRunning'",
            timeout=10_000,
        )
    wait_until_idle(page, timeout=timeout)


#: True once the map's iframe shows a layer drawn after :data:`MARK_STALE` ran: in a new document
#: (the base map changed, so ``st_folium`` loaded a fresh iframe) or in the same one (only the
#: lägesbild's groups changed, and ``st_folium`` swapped them into the drawn map).
MAP_REDRAWN = f"""() => {{
  const frame = document.querySelector('{MAP_IFRAME}');
  const doc = frame && frame.contentDocument;
  return !!(doc && doc.body && doc.querySelector('.tk-layer:not([data-tk-stale])'));
}}"""
#: JavaScript, in the map's iframe: mark every drawn layer element as stale.
MARK_STALE = "() => { document.querySelectorAll('.tk-layer').forEach(el => { el.dataset.tkStale = '1'; }); }"


def redraw_after(page, action, *, timeout: float = MAP_TIMEOUT) -> float:
    """Wait for the script run to end, mark the drawn layers stale, do ``action()``, wait for new ones.

    A new iframe document has no stale marks; in the same document, the
    lägesbild groups that ``st_folium`` swapped in are new elements.

    Returns
    -------
    float
        Seconds from ``action()`` to the new layers in the page.
    """
    wait_until_idle(page, timeout=timeout)
    map_frame(page, timeout=timeout).evaluate(MARK_STALE)
    start = time.perf_counter()
    action()
    page.wait_for_function(MAP_REDRAWN, timeout=timeout * 1000, polling="raf")
    return time.perf_counter() - start


#: JavaScript: the column headers of every ``st.dataframe`` (from the grid's accessible table).
TABLE_HEADERS = """() => Array.from(
  document.querySelectorAll('[data-testid="stDataFrame"] th[role="columnheader"]')
).map(th => th.textContent.trim())"""


def table_headers(page) -> list[str]:
    """Return the column headers of the page's tables (drawn on a canvas; read from its a11y table)."""
    return page.evaluate(TABLE_HEADERS)


def wait_for_table_header(page, header: str, *, timeout: float = MAP_TIMEOUT) -> None:
    """Wait until some table on the page has a column headed ``header``."""
    page.wait_for_function(f"(h) => ({TABLE_HEADERS})().includes(h)", arg=header, timeout=timeout * 1000)
