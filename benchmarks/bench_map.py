"""Benchmark the map page: server start to drawn map, redraw, map size; and the map in Python.

Run from the repository root (needs what ``tests/test_browser.py`` needs:
``playwright`` from PyPI and Debian's ``chromium``, ``libjs-leaflet``, ``libjs-d3``)::

    .venv/bin/python benchmarks/bench_map.py                      # 6000 incidents, 3 repeats
    .venv/bin/python benchmarks/bench_map.py --incidents 20000 --repeat 5
    .venv/bin/python benchmarks/bench_map.py --no-browser         # the Python part only

It builds a demo store with ``--incidents`` incidents in a temporary folder,
then measures, ``--repeat`` times each:

(a) ``start -> drawn``: from launching ``streamlit run app.py`` (the browser
    is already up) to the first ``.tk-layer`` visible in the map's iframe;
    also ``start -> healthy`` (``/_stcore/health`` answers), ``page -> title``
    (from healthy, i.e. opening the page, to the page's ``h1``) and
    ``page -> drawn`` (from healthy to the map drawn);
(b) ``redraw``: from a click in the sidebar to a new map with a ``.tk-layer``
    drawn (checked at every animation frame); ``from request``: the same from
    the moment the browser sends its rerun request (Playwright's click first
    checks that the element is visible and stable, which takes 0.1-0.3 s).
    ``filter change``: ticking "Begränsa tid på dygnet" (22-05): a new
    lägesbild from the prepared store, swapped into the drawn map as
    ``st_folium``'s dynamic groups; ``filter back``: unticking it (the
    lägesbild from Streamlit's cache); ``basemap toggle``: the
    "Bakgrundskarta" switch, off then on (a new base map, so ``st_folium``
    loads a fresh iframe; the lägesbild cached).
(c) the map's size in the browser: the inline scripts of the map's iframe
    (the folium map script with all GeoJSON, as ``st_folium`` injects it;
    there is no ``srcdoc``), the iframe's whole DOM after drawing (SVG paths
    included), and the WebSocket bytes the page received while loading;
(d) the same in Python, without a browser: ``collect_map_data(store,
    "public")``, ``build_map(data)``, ``fmap.get_root().render()`` and its
    length; and the map as the page draws it (the lägesbild choropleth with
    hot spots, default filters): lägesbild + ``build_map``, ``render``, and
    ``st_folium`` itself in bare mode (its Python side: render, script, hash).

Times are printed as median (min-max) in seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the browser helpers

BASEMAP_TOGGLE = '[data-testid="stSidebar"] [data-testid="stCheckbox"]'
BASEMAP_LABELS = ("Bakgrundskarta", "Basemap")
HOURS_LABEL = "Begränsa tid på dygnet"
#: JavaScript, in the map's iframe: UTF-8 bytes of its inline scripts (the folium map
#: script with all GeoJSON, as st_folium injects it) and of its whole DOM after drawing.
MAP_SIZES = """() => {
  const bytes = (text) => new Blob([text]).size;
  const inline = Array.from(document.querySelectorAll('script:not([src])'));
  return {script: inline.reduce((n, s) => n + bytes(s.textContent), 0),
          dom: bytes(document.documentElement.outerHTML)};
}"""


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def _summary(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{statistics.median(values):8.2f} ({min(values):.2f}-{max(values):.2f})"


def _size(n: float) -> str:
    return f"{n / 1e6:8.2f} MB ({int(n):,} B)"


def python_part(store_path: Path, repeat: int) -> dict[str, list[float]]:
    """(d): the map built and rendered in Python, bare and as the page draws it."""
    from geo.outputs.maps.base import build_map, collect_map_data
    from geo.store import open_store

    store = open_store(store_path)
    out: dict[str, list[float]] = {}
    for _ in range(repeat):
        data, t_collect = _timed(lambda: collect_map_data(store, "public"))
        fmap, t_build = _timed(lambda data=data: build_map(data))
        html, t_render = _timed(lambda fmap=fmap: fmap.get_root().render())
        for key, value in (("collect_map_data", t_collect), ("build_map", t_build),
                           ("render", t_render), ("html bytes", len(html.encode()))):
            out.setdefault(key, []).append(value)
        page_map, t_page = _timed(lambda data=data: _page_map(store, data))
        page_html, t_page_render = _timed(lambda page_map=page_map: page_map.get_root().render())
        out.setdefault("page map: lagesbild+build_map", []).append(t_page)
        out.setdefault("page map: render", []).append(t_page_render)
        out.setdefault("page map html bytes", []).append(len(page_html.encode()))
        fresh = _page_map(store, data, cached=True)
        _, t_st_folium = _timed(lambda fresh=fresh: _st_folium_bare(fresh))
        out.setdefault("page map: st_folium (bare mode)", []).append(t_st_folium)
    return out


def _quiet_streamlit() -> None:
    """Silence Streamlit's loggers: outside ``streamlit run`` they warn on every cached call."""
    import streamlit.config
    import streamlit.logger

    streamlit.config.get_option("logger.level")  # parse the config first: it sets the level too
    streamlit.logger.set_log_level("ERROR")


def _st_folium_bare(fmap) -> None:
    """``st_folium`` outside a Streamlit run: its Python side only (render, script, hash)."""
    import contextlib
    import io

    from streamlit_folium import st_folium

    _quiet_streamlit()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        st_folium(fmap, key="karta", returned_objects=[], height=620, use_container_width=True)


_LAGESBILD: dict[int, object] = {}


def _page_map(store, data, *, cached: bool = False):
    """The map as app_pages/map.py draws it by default: lägesbild of the last year, public."""
    import datetime as dt

    from geo.analysis.composite import DEFAULT_WEIGHTS
    from geo.analysis.params import LagesbildParams
    from geo.analysis.prepared import prepare
    from geo.app.ui import data_period
    from geo.outputs.maps.base import build_map
    from geo.privacy import compute_lagesbild

    _quiet_streamlit()

    if not (cached and id(store) in _LAGESBILD):
        prep = prepare(store)
        first, last = data_period(prep)
        params = LagesbildParams.from_text(
            unit="grid250", date_from=str(max(first, last - dt.timedelta(days=364))), date_to=str(last),
            weights=dict(DEFAULT_WEIGHTS), audience="public",
        )
        _LAGESBILD[id(store)] = compute_lagesbild(prep, params, lang="sv")
    shown = [n for n in data.layers if n != "unsafe_places"]
    return build_map(data, lagesbild=_LAGESBILD[id(store)], indicator="incidents", show_layers=shown)


def browser_part(store_path: Path, repeat: int, screenshot: Path | None) -> dict[str, list[float]]:
    """(a), (b), (c): one fresh server per repeat, one browser for all."""
    from browser import chromium_context, map_frame, redraw_after, streamlit_server, wait_until_idle
    from playwright.sync_api import sync_playwright

    out: dict[str, list[float]] = {}
    with sync_playwright() as playwright, chromium_context(playwright) as context:
        warm = context.new_page()  # start the browser's renderer before timing
        warm.goto("about:blank")
        for run in range(repeat):
            page = context.new_page()
            received: list[int] = []

            sent: list[float] = []

            def on_websocket(ws, received=received, sent=sent):
                ws.on("framereceived", lambda payload: received.append(len(payload)))
                ws.on("framesent", lambda _payload: sent.append(time.perf_counter()))

            page.on("websocket", on_websocket)
            start = time.perf_counter()
            with streamlit_server(ROOT / "app.py", store_path) as url:
                healthy = time.perf_counter()
                page.goto(url)
                page.locator("h1").first.wait_for()
                titled = time.perf_counter()
                frame = map_frame(page)
                drawn = time.perf_counter()
                sizes = frame.evaluate(MAP_SIZES)
                out.setdefault("start -> healthy", []).append(healthy - start)
                out.setdefault("page -> title", []).append(titled - healthy)
                out.setdefault("page -> drawn", []).append(drawn - healthy)
                out.setdefault("start -> drawn", []).append(drawn - start)
                out.setdefault("map script bytes", []).append(sizes["script"])
                out.setdefault("iframe DOM bytes (drawn)", []).append(sizes["dom"])
                out.setdefault("websocket bytes received", []).append(sum(received))
                out.setdefault("largest websocket message", []).append(max(received, default=0))
                toggle = page.locator(BASEMAP_TOGGLE).filter(has_text=BASEMAP_LABELS[0])
                if not toggle.count():
                    toggle = page.locator(BASEMAP_TOGGLE).filter(has_text=BASEMAP_LABELS[1])
                hours = page.locator(BASEMAP_TOGGLE).filter(has_text=HOURS_LABEL)
                clicks = [("basemap toggle", toggle), ("basemap toggle", toggle),  # off, then on again
                          ("filter change", hours), ("filter back", hours)]
                for name, widget in clicks:
                    wait_until_idle(page)
                    before = len(sent)
                    out.setdefault(f"redraw ({name})", []).append(redraw_after(page, widget.click))
                    drawn = time.perf_counter()
                    # from the browser's rerun request: without Playwright's own checks before a click
                    out.setdefault(f"  from request ({name})", []).append(drawn - sent[before])
                if screenshot is not None and run == 0:
                    page.screenshot(path=str(screenshot), full_page=True)
            page.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=6000, help="incidents in the demo store")
    parser.add_argument("--repeat", type=int, default=3, help="repeats of each measurement")
    parser.add_argument("--no-browser", action="store_true", help="only the Python part (d)")
    parser.add_argument("--screenshot", type=Path, help="save a full-page screenshot of the first run")
    args = parser.parse_args(argv)

    _quiet_streamlit()
    from geo.demo import build_demo

    with tempfile.TemporaryDirectory(prefix="bench-map-") as tmp:
        store_path = Path(tmp) / "demo.gpkg"
        _, t_demo = _timed(lambda: build_demo(store_path, incidents=args.incidents))
        print(f"demo store: {args.incidents:,} incidents, built in {t_demo:.1f} s; repeat={args.repeat}")
        results: dict[str, list[float]] = {}
        if not args.no_browser:
            results.update(browser_part(store_path, args.repeat, args.screenshot))
        python = python_part(store_path, args.repeat)

    print()
    print(f"{'measure':<42} {'median (min-max)':>26}")
    print("-" * 70)
    print("browser (headless Chromium, no network)")
    for key in ("start -> healthy", "page -> title", "page -> drawn", "start -> drawn",
                "redraw (filter change)", "  from request (filter change)", "redraw (filter back)",
                "  from request (filter back)", "redraw (basemap toggle)", "  from request (basemap toggle)"):
        if key in results:
            print(f"  (a/b) {key:<34} {_summary(results[key])} s")
    for key in ("map script bytes", "iframe DOM bytes (drawn)", "websocket bytes received",
                "largest websocket message"):
        if key in results:
            print(f"  (c)   {key:<34} {_size(statistics.median(results[key]))}")
    print("python (no browser)")
    for key in ("collect_map_data", "build_map", "render", "page map: lagesbild+build_map",
                "page map: render", "page map: st_folium (bare mode)"):
        print(f"  (d)   {key:<34} {_summary(python[key])} s")
    for key in ("html bytes", "page map html bytes"):
        print(f"  (d)   {key:<34} {_size(statistics.median(python[key]))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
