"""The fast paths of import and validation give exactly what the plain paths gave.

* :func:`layers.validate_frame` against :func:`reference_validate`, the
  validator as it was before its fast paths (kept here verbatim as the
  oracle), on frames with many bad rows, in every text dtype, and on every
  frame the bad-input corpus makes the importer validate;
* the Arrow cast of ISO times against ``strptime``;
* the buffer scans of :mod:`layers.arrow_text` against Python;
* the importer's write of an already validated frame against
  :meth:`geo.store.Store.write`.
"""

from __future__ import annotations

import itertools
import re
import shutil

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import shapely
from bad_inputs.make_corpus import CASES, Case, make_store
from shapely import LineString, MultiPoint, Point, Polygon

from geo.errors import CRSError, SourceError, ValidationError
from geo.io import import_values, importer, times
from geo.io.csv import points as csv_points
from geo.io.import_source import Source
from geo.io.importer import import_file
from geo.store import GeoPackageStore
from layers import arrow_text, get_spec, validate_frame
from layers.spec import Column
from layers.validate import Problem, _range_problems, _show, _upper

# -- the oracle: validate_frame before its fast paths ---------------------------------------------


def reference_validate(frame, spec, *, row_numbers=None, existing_ids=None) -> list[Problem]:
    """The validator as it was before the fast paths (every column checked the plain way)."""
    rows = np.arange(1, len(frame) + 1) if row_numbers is None else np.asarray(row_numbers, dtype=int)
    problems: list[Problem] = []
    problems.extend(_reference_geometry(frame, spec, rows))
    for column in spec.columns:
        problems.extend(_reference_column(frame, column, rows))
    if existing_ids is not None and "id" in frame.columns:
        clash = frame["id"].astype(str).isin(set(map(str, existing_ids))).to_numpy()
        problems.extend(Problem(int(r), "id", f"id {_show(v)} already exists in the store")
                        for r, v in zip(rows[clash], frame["id"].to_numpy()[clash], strict=True))
    return sorted(problems, key=lambda p: (p.row is not None, p.row or 0))


def _reference_geometry(frame, spec, rows) -> list[Problem]:
    if not isinstance(frame, gpd.GeoDataFrame) or frame._geometry_column_name not in frame:
        return [Problem(None, "geometry", "the data has no geometry column")]
    problems = []
    if frame.crs is None:
        problems.append(Problem(None, "geometry", "no CRS; give the CRS of the coordinates (e.g. EPSG:3006)"))
    geoms = frame.geometry.to_numpy()
    missing = shapely.is_missing(geoms)
    empty = ~missing & shapely.is_empty(geoms)
    problems.extend(Problem(int(r), "geometry", "geometry is missing") for r in rows[missing])
    problems.extend(Problem(int(r), "geometry", "geometry is empty") for r in rows[empty])
    present = ~missing & ~empty
    types = np.asarray(shapely.get_type_id(geoms))
    allowed_ids = [shapely.GeometryType[_upper(t)].value for t in spec.geometry_types]
    wrong_type = present & ~np.isin(types, allowed_ids)
    allowed = ", ".join(spec.geometry_types)
    problems.extend(Problem(int(r), "geometry", f"geometry type {g.geom_type} is not allowed; "
                                                f"allowed: {allowed}")
                    for r, g in zip(rows[wrong_type], geoms[wrong_type], strict=True))
    check = present & ~wrong_type
    invalid = check.copy()
    invalid[check] = ~shapely.is_valid(geoms[check])
    problems.extend(Problem(int(r), "geometry", f"invalid geometry ({reason}); repair with make_valid")
                    for r, reason in zip(rows[invalid], shapely.is_valid_reason(geoms[invalid]), strict=True))
    return problems


def _reference_column(frame, column: Column, rows) -> list[Problem]:
    name = column.name
    if name not in frame.columns:
        return [Problem(None, name, "required column is missing")] if column.required else []
    values = frame[name]
    problems = []
    null = values.isna().to_numpy().copy()
    if column.dtype == "string":
        null |= (values.astype("string").str.strip() == "").fillna(False).to_numpy(dtype=bool)
    if column.required:
        problems.extend(Problem(int(r), name, "required value is empty") for r in rows[null])
    if null.all():
        return problems
    type_problems, numbers = _reference_dtype(values, column, rows, null)
    problems.extend(type_problems)
    if type_problems and type_problems[0].row is None:
        return problems
    if column.choices:
        bad = ~null & ~values.isin(column.allowed).to_numpy()
        allowed = ", ".join(column.allowed)
        problems.extend(Problem(int(r), name, f"{_show(v)} is not allowed; allowed: {allowed}")
                        for r, v in zip(rows[bad], values.to_numpy()[bad], strict=True))
    if numbers is not None:
        problems.extend(_range_problems(numbers, column, rows))
    if column.unique:
        dup = ~null & values.duplicated(keep=False).to_numpy()
        first_row = pd.Series(rows[dup]).groupby(values.to_numpy()[dup]).transform("min").to_numpy()
        problems.extend(Problem(int(r), name, f"duplicate {name} {_show(v)} (first at row {f})")
                        for r, v, f in zip(rows[dup], values.to_numpy()[dup], first_row, strict=True)
                        if r != f)
    return problems


def _reference_dtype(values, column: Column, rows, null):
    name, dtype = column.name, column.dtype
    if dtype == "datetime":
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            return [], None
        if pd.api.types.is_datetime64_dtype(values.dtype):
            return [Problem(None, name, "timestamps are naive; they must carry a time zone "
                                        "(naive local times are read as Europe/Stockholm on import)")], None
        return [Problem(None, name, f"expected tz-aware timestamps, got dtype {values.dtype}")], None
    if dtype in ("bool", "string"):
        if (pd.api.types.is_bool_dtype(values.dtype) if dtype == "bool"
                else pd.api.types.is_string_dtype(values.dtype) and values.dtype != object):
            return [], None
        kind, text = (bool | np.bool_, "is not true/false") if dtype == "bool" else (str, "is not text")
        bad = ~null & ~values.map(lambda v: isinstance(v, kind)).to_numpy(dtype=bool)
        return [Problem(int(r), name, f"{_show(v)} {text}")
                for r, v in zip(rows[bad], values.to_numpy()[bad], strict=True)], None
    if pd.api.types.is_bool_dtype(values.dtype):
        return [Problem(None, name, f"expected {dtype} numbers, got true/false values")], None
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    bad = ~null & np.isnan(numbers)
    problems = [Problem(int(r), name, f"{_show(v)} is not a number")
                for r, v in zip(rows[bad], values.to_numpy()[bad], strict=True)]
    if dtype == "int":
        frac = ~null & ~bad & (np.mod(numbers, 1) != 0)
        problems.extend(Problem(int(r), name, f"{_show(v)} is not a whole number")
                        for r, v in zip(rows[frac], numbers[frac], strict=True))
    return problems, np.where(null | bad, np.nan, numbers)


# -- frames with many bad rows -------------------------------------------------------------------

BLANKS = ["", " ", "\t", "\u00a0", "\u3000", " \n ", "\x1c", "\u2003\u2003", None]
GEOMETRIES = [Point(660_000, 6_590_000), None, Point(), LineString([(0, 0), (1, 1)]),
              MultiPoint([(1, 1), (2, 2)]), Point(np.nan, 6_590_000),
              Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])]


def _text(rng: np.random.Generator, n: int, pool: list) -> list:
    """Values from a pool, with blanks and white-space-padded values mixed in."""
    out = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.08:
            out.append(BLANKS[i % len(BLANKS)])
        elif roll < 0.12:
            out.append(f" {pool[i % len(pool)]}\u00a0")
        else:
            out.append(pool[int(rng.integers(len(pool)))])
    return out


def bad_incidents(n: int = 3000, seed: int = 7) -> gpd.GeoDataFrame:
    """Incidents where about a third of the rows break some rule."""
    rng = np.random.default_rng(seed)
    ids = [f"i-{int(k)}" for k in rng.integers(0, n * 2, n)]  # many repeats
    categories = ["stold", "inbrott", "Stöld", "okänd", "STOLD", "ran", "brand"]
    geoms = [GEOMETRIES[0] if rng.random() < 0.7 else GEOMETRIES[int(rng.integers(len(GEOMETRIES)))]
             for _ in range(n)]
    times = pd.Series(pd.date_range("2024-01-01", periods=n, freq="37min", tz="Europe/Stockholm"))
    return gpd.GeoDataFrame({
        "id": _text(rng, n, ids),
        "occurred_at": times.where(rng.random(n) > 0.05),
        "category": _text(rng, n, categories),
        "source": _text(rng, n, ["polisen", "114 14", "tips"]),
        "location_precision": _text(rng, n, ["exact", "street", "gata", "county"]),
        "description": _text(rng, n, ["<b>x</b>", "Anmälan", "kl. 14:30", "ö"]),
    }, geometry=geoms, crs="EPSG:3006")


def objects(layer: str, n: int = 2000, seed: int = 3, *, mixed: bool = True) -> gpd.GeoDataFrame:
    """Rows of a layer whose columns are of dtype object: values of every kind mixed, or of the right kind."""
    rng = np.random.default_rng(seed)
    if mixed:
        pools = {"string": ["a", 5, 2.5, True, None, np.nan, "b", "  "],
                 "int": [1, -5, 1e9, 2.5, "x", None, "7"],
                 "bool": [True, False, np.bool_(True), "ja", 1, None]}
    else:
        pools = {"string": ["a", None, "b", " ", "\u00a0"], "int": [1, -5, None, 7],
                 "bool": [True, False, np.bool_(False), None]}
    pools["float"] = pools["int"]
    spec = get_spec(layer)
    data = {"id": pd.Series([f"L{int(k)}" for k in rng.integers(0, n, n)], dtype=object)}
    for column in spec.columns[1:]:
        if column.choices:
            choices = [*column.allowed[:3], "lyser", 3] if mixed else list(column.allowed[:3])
            data[column.name] = pd.Series(_text(rng, n, choices), dtype=object)
        elif column.dtype in pools:
            pool = np.array(pools[column.dtype], dtype=object)
            data[column.name] = pd.Series(pool[rng.integers(len(pool), size=n)], dtype=object)
    geoms = [GEOMETRIES[int(rng.integers(len(GEOMETRIES)))] for _ in range(n)]
    return gpd.GeoDataFrame(data, geometry=geoms, crs="EPSG:3006")


def _as_dtype(frame: gpd.GeoDataFrame, dtype) -> gpd.GeoDataFrame:
    """The same frame with its object and text columns as ``dtype`` (values that fit stay)."""
    out = frame.copy()
    for name in out.columns.drop(out.geometry.name):
        values = out[name]
        text = values.dtype == object or pd.api.types.is_string_dtype(values.dtype)
        if text and all(isinstance(v, str) or pd.isna(v) for v in values):
            out[name] = values.astype(dtype)
    return out


def _chunked(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The same frame concatenated from three pieces (Arrow text in several chunks, as CSV gives)."""
    cut = [0, len(frame) // 3, 2 * len(frame) // 3, len(frame)]
    parts = [frame.iloc[a:b] for a, b in itertools.pairwise(cut)]
    return gpd.GeoDataFrame(pd.concat(parts), crs=frame.crs)


FRAMES = {
    "incidents str": lambda: _as_dtype(bad_incidents(), "str"),
    "incidents object": lambda: _as_dtype(bad_incidents(), object),
    "incidents string": lambda: _as_dtype(bad_incidents(), "string"),
    "incidents chunked": lambda: _chunked(_as_dtype(bad_incidents(), "str")),
    "incidents sliced": lambda: _as_dtype(bad_incidents(), "str").iloc[17:],
    "lighting mixed objects": lambda: objects("lighting"),
    "facilities mixed objects": lambda: objects("facilities"),
    "facilities objects of the right kinds": lambda: objects("facilities", mixed=False),
    "graffiti mixed objects": lambda: objects("graffiti", seed=11),
}


class TestValidateMatchesReference:
    @pytest.mark.parametrize("name", FRAMES)
    def test_many_bad_rows(self, name):
        frame = FRAMES[name]()
        layer = name.split()[0]
        rows = np.arange(2, 2 + len(frame)) * 3
        existing = {"i-5", "i-77", "L3", "L11"}
        got = validate_frame(frame, get_spec(layer), row_numbers=rows, existing_ids=existing)
        want = reference_validate(frame, get_spec(layer), row_numbers=rows, existing_ids=existing)
        assert len(want) > len(frame) // 4  # really many bad rows
        assert got == want

    @pytest.mark.parametrize("dtype", ["str", object, "string"])
    def test_clean_frame(self, dtype):
        spec = get_spec("incidents")
        frame = _as_dtype(bad_incidents(), dtype)
        assert validate_frame(frame.iloc[:0], spec) == reference_validate(frame.iloc[:0], spec) == []
        unique = frame.assign(id=[f"u{i}" for i in range(len(frame))], category="stold", source="s",
                              location_precision="exact", geometry=GEOMETRIES[0],
                              occurred_at=frame["occurred_at"].ffill().bfill())
        unique = _as_dtype(unique, dtype)
        assert validate_frame(unique, get_spec("incidents")) == []
        assert reference_validate(unique, get_spec("incidents")) == []

    @pytest.mark.parametrize("values", [
        ["a", "b", "a"], ["a", " ", " "], ["", "", "x"], [None, None, "x"], ["x"], ["å", "å "],
        ["b", "a", "b"],
    ])
    def test_repeats_and_blanks(self, values):
        frame = gpd.GeoDataFrame({"id": pd.Series(values, dtype="str"), "status": "working"},
                                 geometry=[GEOMETRIES[0]] * len(values), crs="EPSG:3006")
        assert validate_frame(frame, get_spec("lighting")) == reference_validate(frame, get_spec("lighting"))


def test_every_corpus_validation_matches_the_reference(tmp_path, monkeypatch):
    """Run the whole bad-input corpus with the importer's validation checked against the oracle."""
    calls, mismatches = [], []

    def checked(frame, spec, *, points=None, **kwargs):
        got = validate_frame(frame, spec, points=points, **kwargs)
        # points not made yet are valid points: the reference sees any valid point in their rows
        shown = frame if points is None else _with_points_made(frame, points)
        want = reference_validate(shown, spec, **kwargs)
        if got != want:  # recorded, so no handling of the importer's can hide it
            mismatches.append((spec.name, got, want))
        calls.append(len(got))
        return got

    monkeypatch.setattr(importer, "validate_frame", checked)
    monkeypatch.setattr(csv_points, "CSV_CHUNK_ROWS", 5_000)
    template = tmp_path / "template.gpkg"
    make_store(template)
    for case in CASES:
        store_path = tmp_path / f"{case.name}.gpkg"
        shutil.copy2(template, store_path)
        _run_case(case, GeoPackageStore(store_path), tmp_path / case.name)
    assert mismatches == []
    assert len(calls) > len(CASES) // 2
    assert sum(calls) > 0


#: The corpus's refusals that a dry run raises too (its validation problems come in the report).
REFUSED_IN_A_DRY_RUN = {"source": SourceError, "crs": CRSError}


def _with_points_made(frame: gpd.GeoDataFrame, points: np.ndarray) -> gpd.GeoDataFrame:
    geoms = frame.geometry.to_numpy().copy()
    geoms[points] = shapely.Point(660000, 6590000)
    return frame.set_geometry(gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs))


def _run_case(case: Case, store: GeoPackageStore, folder) -> None:
    """Import ``case`` as a dry run: a refusal the corpus expects is caught, nothing else.

    Refusals of the file itself (source, CRS) are raised even in a dry run and are
    test_import_corpus's business; validation problems come back in the report.
    """
    folder.mkdir()
    path = case.write(folder)
    if case.error in REFUSED_IN_A_DRY_RUN:
        with pytest.raises(REFUSED_IN_A_DRY_RUN[case.error]):
            import_file(store, case.layer, path, dry_run=True, **case.options)
    else:
        import_file(store, case.layer, path, dry_run=True, **case.options)


# -- times: the Arrow cast against strptime --------------------------------------------------------

TIME_VALUES = [
    "2024-05-01T14:30:00+02:00", "2024-05-01T14:30:00Z", "2024-05-01T14:30:00+0200",
    "2024-05-01T14:30:00-05:30", "2024-02-30T10:00:00+01:00", "2024-05-01T23:59:60+02:00",
    "2024-05-01T10:00:00+24:00", "2024-05-01T10:00:00+99:00", "2024-05-01T24:00:00+02:00",
    "2300-05-01T10:00:00+02:00", "2024-05-01 14:30:00+02:00", "2024-05-01T14:30+02:00",
    "2024-05-01T14:30:00.5+02:00", "2024-05-01T14:30:00", "2026-03-29 02:30", "2026-10-25 02:30",
    "2024-05-01", "31/02", " 2024-05-01T14:30:00+02:00", "", "  ", None, "2024-05-01T14:30:00,02:00",
    "2024-05-01t14:30:00+02:00", "2023-03-24 7:55:04 +01:00",
]


@pytest.mark.parametrize("seed", range(12))
def test_parse_times_same_with_and_without_the_cast(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    common = [f"2025-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}+0{1 + (m > 3 and m < 11)}:00"
              for m, d, h, mi, s in rng.integers([1, 1, 0, 0, 0], [13, 29, 24, 60, 60], size=(200, 5))]
    odd = list(rng.choice(np.array(TIME_VALUES, dtype=object), int(rng.integers(0, 4))))
    values = pd.Series(common + odd, dtype=str if seed % 2 else object).sample(frac=1, random_state=seed)
    _same_both_ways(values, np.arange(2, 2 + len(values)), monkeypatch)


@pytest.mark.parametrize("value", TIME_VALUES)
def test_each_odd_time_the_same_both_ways(value, monkeypatch):
    values = pd.Series(["2024-05-01T14:30:00+02:00", value, "2024-12-01T08:00:00+01:00"], dtype=object)
    _same_both_ways(values, np.array([2, 3, 4]), monkeypatch)


def _same_both_ways(values: pd.Series, rows: np.ndarray, monkeypatch) -> None:
    """parse_times gives the same times and problems (or raises the same error) with and without the cast."""
    fast = _outcome(values, rows)
    with monkeypatch.context() as patch:
        patch.setattr(times, "_cast_iso_offset", lambda array: None)
        slow = _outcome(values, rows)
    pd.testing.assert_series_equal(fast[0], slow[0])
    assert fast[1] == slow[1]


def _outcome(values: pd.Series, rows: np.ndarray):
    return times.parse_times(values, rows=rows, column="occurred_at")


class TestIsoOffsetForm:
    def test_shapes(self):
        ok = ["2024-05-01T14:30:00+02:00", "2024-05-01T14:30:00Z", "2024-05-01T14:30:00-0200"]
        for value in ok:
            assert times.has_iso_offset_form(pa.array([value, None, value]))
        for value in ["2024-05-01 14:30:00+02:00", "2024-05-01T14:30:00.1Z", "2024-05-01T14:30:00+02",
                      "2024-05-01T14:30:00,02:00", "x024-05-01T14:30:00+02:00", "2024-05-01T14:30:00z", ""]:
            assert not times.has_iso_offset_form(pa.array([ok[0], value])), value
        assert not times.has_iso_offset_form(pa.array(ok[:2]))  # two lengths: strptime reads them
        assert not times.has_iso_offset_form(pa.array([1, 2]))

    def test_slices_chunks_and_large_strings(self):
        value = "2024-05-01T14:30:00+02:00"
        assert times.has_iso_offset_form(pa.array(["no", value, value]).slice(1))
        assert not times.has_iso_offset_form(pa.array(["no", value, value]).slice(0, 2))
        assert times.has_iso_offset_form(pa.chunked_array([[value], [None, value]], type=pa.large_string()))
        assert not times.has_iso_offset_form(pa.chunked_array([[value], ["no"]]))

    def test_null_holding_bytes_is_not_read_as_the_form(self):
        """A null slot may hold bytes between values; such text goes the strptime way."""
        value = b"2024-05-01T14:30:00+02:00"
        data = pa.py_buffer(value + b"junk" + value)
        offsets = pa.py_buffer(np.array([0, 25, 29, 54], dtype=np.int32).tobytes())
        validity = pa.py_buffer(np.packbits([1, 0, 1], bitorder="little").tobytes())
        array = pa.Array.from_buffers(pa.string(), 3, [validity, offsets, data], null_count=1)
        assert array.to_pylist() == [value.decode(), None, value.decode()]
        assert not times.has_iso_offset_form(array)


# -- buffer scans -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_positions_holding_matches_python(seed):
    rng = np.random.default_rng(seed)
    alphabet = np.array([*"ab<:åö€ \u00a0", "javascript:", "<i>"], dtype=object)
    values = ["".join(rng.choice(alphabet, int(rng.integers(0, 5)))) if rng.random() > 0.1 else None
              for _ in range(500)]
    chunked = pa.chunked_array([values[:123], values[123:124], values[124:]])
    for array in (pa.array(values), pa.array(values, pa.large_string()), chunked, pa.array(values).slice(33)):
        python = [i for i, v in enumerate(array.to_pylist()) if v is not None and ("<" in v or ":" in v)]
        assert arrow_text.positions_holding(array, b"<:").tolist() == python


def test_positions_holding_refuses_non_ascii_and_non_text():
    assert arrow_text.positions_holding(pa.array([1, 2]), b"<") is None
    with pytest.raises(ValueError, match="ASCII"):
        arrow_text.positions_holding(pa.array(["å"]), "å".encode())


@pytest.mark.parametrize("text", [["<b>hej</b>", "ok", "javascript:alert(1)", "kl. 14:30", None],
                                  ["inget", "här"], []])
def test_markup_count_matches_the_full_regex(text):
    source = Source(gpd.GeoDataFrame(geometry=[]), np.array([]), "vector")
    import_values._count_markup(pd.Series(text, dtype="str"), source)
    counted = next((n.params["n"] for n in source.notes if n.code == "markup"), 0)
    assert counted == sum(bool(re.search(import_values._MARKUP, t)) for t in text if t is not None)


# -- the write of an already validated frame ---------------------------------------------------------


@pytest.fixture
def kommun_store(tmp_path) -> GeoPackageStore:
    path = tmp_path / "store.gpkg"
    make_store(path)
    return GeoPackageStore(path)


def _incident_csv(path, ids) -> None:
    lines = ["id;lat;lon;occurred_at;category;source;location_precision"]
    lines += [f"{i};59,431;17,834;2024-05-01T14:30:00+02:00;stold;test;exact" for i in ids]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


class TestWriteOfValidatedFrame:
    def test_import_validates_once_and_stores_what_write_stores(self, kommun_store, tmp_path, monkeypatch):
        path = tmp_path / "h.csv"
        _incident_csv(path, [f"n{i}" for i in range(50)])
        counted = []
        real = importer.validate_frame
        monkeypatch.setattr(importer, "validate_frame", lambda *a, **k: counted.append(1) or real(*a, **k))
        monkeypatch.setattr("geo.store.base.validate_frame",
                            lambda *a, **k: pytest.fail("validated a second time"))
        twin = GeoPackageStore(tmp_path / "twin.gpkg")
        shutil.copy2(kommun_store.path, twin.path)
        preview = import_file(kommun_store, "incidents", path, dry_run=True).preview
        report = import_file(kommun_store, "incidents", path)
        assert report.written == 50
        assert counted == [1, 1]
        monkeypatch.undo()
        assert twin.write("incidents", preview, source="h.csv") == 50
        pd.testing.assert_frame_equal(kommun_store.read("incidents"), twin.read("incidents"))

    def test_public_write_still_validates(self, kommun_store):
        frame = gpd.GeoDataFrame({"id": ["a", "a"], "status": ["working", "lyser"]},
                                 geometry=[Point(660_000, 6_590_000)] * 2, crs="EPSG:3006")
        before = kommun_store.path.read_bytes()
        with pytest.raises(ValidationError) as info:
            kommun_store.write("lighting", frame)
        assert {(p.row, p.field) for p in info.value.problems} == {(2, "id"), (2, "status")}
        assert kommun_store.path.read_bytes() == before

    def test_ids_stored_after_the_validation_are_still_refused(self, kommun_store, tmp_path):
        path = tmp_path / "h.csv"
        _incident_csv(path, ["x1", "x2"])
        frame = import_file(kommun_store, "incidents", path, dry_run=True).preview
        kommun_store.write("incidents", frame.iloc[[1]], source="someone else")
        before = kommun_store.path.read_bytes()
        with pytest.raises(ValidationError, match="already exists"):
            kommun_store.write_validated("incidents", frame, source="h.csv")
        assert kommun_store.path.read_bytes() == before
