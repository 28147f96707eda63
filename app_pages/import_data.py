"""Importera data: upload a file, see what would be imported and every problem, then confirm.

The page only reads widgets, calls :func:`geo.io.importer.import_file` and
renders. The check is a dry run, kept in ``session_state`` for the file,
options and store state, so reruns do not read the file again; only the
confirm button writes, and a refused import leaves the store as it was.
Everything taken from the file (names, values, messages) is shown in
tables or as code, never as Markdown, so HTML in a file stays text.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import shapely
import streamlit as st

from geo import settings
from geo.app.ui import current_audience, current_language, store_location
from geo.errors import SourceError, TrygghetskartanError
from geo.i18n import t
from geo.io.importer import ImportReport, import_file
from geo.io.readers import detect_format, list_source_layers
from geo.store import Store, open_store
from layers import all_specs, get_spec

MAX_UPLOAD_MB: int = settings.max_upload_mb
UPLOAD_TYPES: tuple[str, ...] = ("gpkg", "geojson", "json", "zip", "csv", "tsv", "txt")
PAGE_FORMATS: tuple[str, ...] = ("auto", "open311", "polisen")
MODES: tuple[str, ...] = ("append", "replace")
STAGE_KEY = "import_staged"
GENERATION_KEY = "import_generation"  # bumped after an import, so the uploader starts empty
CHECK_KEY = "import_check"
FLASH_KEY = "import_flash"
PREVIEW_SHOWN = 50

def _stage(uploaded) -> Path:
    """Keep one copy of the upload on disk per file (not per rerun); drop the previous one."""
    staged = st.session_state.get(STAGE_KEY)
    if staged is not None and staged["file_id"] == uploaded.file_id and Path(staged["path"]).exists():
        return Path(staged["path"])
    if staged is not None:
        shutil.rmtree(staged["dir"], ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix="tk-import-"))
    path = folder / _safe_name(uploaded.name)
    path.write_bytes(uploaded.getvalue())
    st.session_state[STAGE_KEY] = {"file_id": uploaded.file_id, "dir": str(folder), "path": str(path)}
    st.session_state.pop(CHECK_KEY, None)
    return path


def _safe_name(name: str) -> str:
    base = Path(str(name).replace("\\", "/")).name
    return re.sub(r"[^\w.\-åäöÅÄÖ ]+", "_", base).strip(" .") or "upload"


def _pairs(text: str, lang: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise ValueError(t("import_page.bad_line", lang, line=line))
        pairs[key.strip()] = value.strip()
    return pairs


def _options(path: Path, lang: str) -> dict:
    specs = all_specs()
    left, right = st.columns(2)
    layer = left.selectbox(t("import_page.layer", lang), list(specs), key="import_layer",
                           format_func=lambda name: f"{specs[name].label(lang)} ({name})")
    fmt = right.selectbox(t("import_page.format", lang), PAGE_FORMATS, key="import_format")
    layer_name = None
    try:
        layers = list_source_layers(path, detect_format(path))
    except SourceError:
        layers = []
    if len(layers) > 1:
        layer_name = st.selectbox(t("import_page.source_layer", lang), layers, key="import_source_layer")
    crs = left.text_input(t("import_page.crs", lang), key="import_crs").strip() or None
    mode = right.radio(t("import_page.mode", lang), MODES, key="import_mode", horizontal=True,
                       format_func=lambda m: t(f"import_page.{m}", lang))
    make_valid = left.checkbox(t("import_page.make_valid", lang), key="import_make_valid")
    allow_outside = right.checkbox(t("import_page.allow_outside", lang), key="import_allow_outside")
    with st.expander(t("import_page.options", lang)):
        mapping = st.text_area(t("import_page.mapping", lang), key="import_mapping")
        fill = st.text_area(t("import_page.fill", lang), key="import_fill")
        services = st.text_area(t("import_page.service_codes", lang), key="import_service_codes")
    return {
        "layer": layer, "format": fmt, "layer_name": layer_name, "crs": crs, "mode": mode,
        "make_valid": make_valid, "allow_outside": allow_outside,
        "mapping": _pairs(mapping, lang), "fill": _pairs(fill, lang), "service_codes": _pairs(services, lang),
    }


def _run(store: Store, path: Path, options: dict, *, dry_run: bool, progress=None) -> ImportReport:
    return import_file(
        store, options["layer"], path, format=options["format"], crs=options["crs"], mode=options["mode"],
        make_valid=options["make_valid"], allow_outside=options["allow_outside"],
        mapping=options["mapping"], service_codes=options["service_codes"],
        layer_name=options["layer_name"], dry_run=dry_run, progress=progress, fill=options["fill"],
    )


def _check(store: Store, path: Path, options: dict, lang: str) -> ImportReport | TrygghetskartanError:
    """The dry run, once per file, options and store state."""
    key = (str(path), repr(sorted(options.items())), store.state_token())
    cached = st.session_state.get(CHECK_KEY)
    if cached is not None and cached[0] == key:
        return cached[1]
    bar = st.progress(0.0, text=t("import_page.checking", lang))
    try:
        result: ImportReport | TrygghetskartanError = _run(
            store, path, options, dry_run=True, progress=lambda f, text: bar.progress(f, text=text)
        )
    except TrygghetskartanError as exc:
        result = exc
    bar.empty()
    st.session_state[CHECK_KEY] = (key, result)
    return result


def _show_problems(problems: list, lang: str) -> None:
    table = pd.DataFrame(
        {
            t("import_page.col_row", lang): pd.array([p.row for p in problems], dtype="Int64"),
            t("import_page.col_field", lang): [p.field for p in problems],
            t("import_page.col_message", lang): [p.message for p in problems],
        }
    )
    st.subheader(f"{t('import_page.problems', lang)} ({len(problems)})")
    st.dataframe(table, hide_index=True, width="stretch", key="import_problems")


def _show_notes(notes: list, lang: str) -> None:
    if notes:
        st.subheader(t("import_page.notes", lang))
        st.dataframe(pd.DataFrame({t("import_page.col_note", lang): [n.text(lang) for n in notes]}),
                     hide_index=True, width="stretch", key="import_notes")


def _preview_table(report: ImportReport) -> pd.DataFrame:
    frame = report.preview.head(PREVIEW_SHOWN)
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    geoms = frame.geometry.to_numpy()
    points = shapely.get_type_id(geoms) == shapely.GeometryType.POINT.value
    if len(geoms) and points.all():
        table["x"] = shapely.get_x(geoms).round(1)
        table["y"] = shapely.get_y(geoms).round(1)
    else:
        table["geometry"] = [g.geom_type if g is not None else "" for g in geoms]
    for name, dtype in table.dtypes.items():
        if isinstance(dtype, pd.DatetimeTZDtype):
            table[name] = table[name].dt.strftime("%Y-%m-%d %H:%M")
    return table


def _show_report(store: Store, path: Path, options: dict, report: ImportReport, lang: str) -> None:
    spec = get_spec(report.layer)
    first, second, third = st.columns(3)
    first.metric(t("import_page.rows_read", lang), report.rows_read)
    second.metric(t("import_page.rows_ok", lang), report.rows_ok)
    third.metric(t("import_page.problems", lang), len(report.problems))
    if report.problems:
        st.error(t("import_page.refused", lang, n=len(report.problems)))
        _show_problems(report.problems, lang)
    else:
        st.success(t("import_page.ready", lang, n=report.rows_read))
    _show_notes(report.notes, lang)
    st.subheader(t("import_page.preview", lang, n=min(PREVIEW_SHOWN, len(report.preview))))
    st.dataframe(_preview_table(report), hide_index=True, width="stretch", key="import_preview")
    label = t("import_page.confirm", lang, n=report.rows_read, layer=spec.label(lang))
    if st.button(label, key="import_confirm", type="primary", disabled=bool(report.problems)):
        try:
            written = _run(store, path, options, dry_run=False)
        except TrygghetskartanError as exc:
            st.error(t("import_page.cannot_read", lang))
            st.code(str(exc), language=None)
            if getattr(exc, "problems", None):
                _show_problems(exc.problems, lang)
            return
        st.session_state[FLASH_KEY] = t("import_page.done", lang, n=written.written, layer=spec.label(lang),
                                        source=written.source)
        _forget_upload()
        st.rerun()


def _forget_upload() -> None:
    """Drop the staged copy and the check, and give the uploader a new key so it starts empty."""
    staged = st.session_state.pop(STAGE_KEY, None)
    if staged is not None:
        shutil.rmtree(staged["dir"], ignore_errors=True)
    st.session_state.pop(CHECK_KEY, None)
    st.session_state[GENERATION_KEY] = st.session_state.get(GENERATION_KEY, 0) + 1


def main() -> None:
    lang = current_language()
    st.title(t("import_page.title", lang))
    st.caption(t("import_page.subtitle", lang))
    if current_audience() == "public":
        st.info(t("login_required", lang))
        return
    if FLASH_KEY in st.session_state:
        st.success(st.session_state.pop(FLASH_KEY))
    try:
        store = open_store(store_location())
    except TrygghetskartanError as exc:
        st.error(t("import_page.store_unavailable", lang, error=exc))
        return
    generation = st.session_state.get(GENERATION_KEY, 0)
    uploaded = st.file_uploader(
        t("import_page.upload", lang), type=list(UPLOAD_TYPES), key=f"import_upload_{generation}",
        max_upload_size=MAX_UPLOAD_MB, help=t("import_page.upload_help", lang, mb=MAX_UPLOAD_MB),
    )
    if uploaded is None:
        st.info(t("import_page.no_file", lang))
        return
    path = _stage(uploaded)
    try:
        options = _options(path, lang)
    except ValueError as exc:
        st.error(str(exc))
        return
    result = _check(store, path, options, lang)
    if isinstance(result, TrygghetskartanError):
        st.error(t("import_page.cannot_read", lang))
        st.code(str(result), language=None)
        if getattr(result, "problems", None):
            _show_problems(result.problems, lang)
        return
    _show_report(store, path, options, result, lang)


main()
