"""The bad-input corpus for imports: small files that must be refused or flagged clearly.

Nothing binary is committed: every file is written by a builder here, into
a temporary folder by the tests (``tests/test_import_corpus.py``), or into a
folder of your choice to look at them::

    python tests/bad_inputs/make_corpus.py OUTDIR

Each :class:`Case` names the layer it is imported into, the import options,
and what must come out: ``error`` is the kind of exception (``validation``
for :class:`geo.errors.ValidationError`, ``source`` for an unreadable or
unsafe file, ``crs`` for a CRS conflict) or ``None`` for a file that is
accepted with a note (checked as a dry run); ``expect`` is a regular
expression the message must match, and ``row``/``field`` where the problem
must be reported (rows as the user sees them: for CSV the header is row 1).

The store the cases run against (built by the test) holds the demo kommun
outline as an ``areas`` row of kind ``kommun`` and one incident with the id
:data:`STORE_INCIDENT_ID`.
"""

from __future__ import annotations

import atexit
import json
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

#: Jakobsberg, inside the kommun: (lon, lat) and SWEREF 99 TM (E, N).
INSIDE_WGS84 = (17.835503, 59.423422)
INSIDE_3006 = (660870.0, 6590630.0)
#: Helsinki: outside Sweden.
HELSINKI_WGS84 = (24.9525, 60.1675)
#: Stockholm city: in Sweden, outside the kommun.
STOCKHOLM_WGS84 = (18.0686, 59.3293)
#: Jakobsberg in ST74 (EPSG:3152): both orders of these two land in the kommun.
ST74_BOTH_INSIDE = (87559.0, 89206.0)
STORE_INCIDENT_ID = "inc-1"
LARGE_ROWS = 50_000

INCIDENT_HEADER = "id;lat;lon;occurred_at;category;source;location_precision;description"


@dataclass(frozen=True)
class Case:
    """One file of the corpus and what its import must say."""

    name: str
    filename: str
    build: Callable[[Path], None]
    expect: str
    layer: str = "incidents"
    error: str | None = "validation"
    row: int | None = None
    field: str | None = None
    options: dict = dataclass_field(default_factory=dict)

    def write(self, folder: Path) -> Path:
        """Write the file into ``folder`` and return its path."""
        path = Path(folder) / self.filename
        self.build(path)
        return path


def incident_line(
    ident: str,
    *,
    lat: float = INSIDE_WGS84[1],
    lon: float = INSIDE_WGS84[0],
    at: str = "2025-05-01 14:30",
    category: str = "stold",
    description: str = "",
) -> str:
    """A valid incident row of the CSV corpus (semicolon, decimal point)."""
    return f"{ident};{lat};{lon};{at};{category};test;exact;{description}"


def _csv(*lines: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    def build(path: Path) -> None:
        path.write_bytes("".join(line + "\n" for line in lines).encode(encoding))

    return build


def _frame_builder(geometries: list, *, crs: str | None = "EPSG:4326", driver: str = "GeoJSON",
                   layer: str = "incidents", attributes: dict | None = None) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        n = len(geometries)
        data = attributes or {
            "id": [f"g{i}" for i in range(n)],
            "occurred_at": ["2025-05-01T14:30:00+02:00"] * n,
            "category": ["stold"] * n,
            "source": ["test"] * n,
            "location_precision": ["exact"] * n,
        }
        frame = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geometries), crs=crs)
        pyogrio.write_dataframe(frame, path, layer=layer, driver=driver)

    return build


def _bowtie_areas(path: Path) -> None:
    x, y = INSIDE_WGS84
    d = 0.002
    bowtie = shapely.Polygon([(x, y), (x + d, y + d), (x + d, y), (x, y + d), (x, y)])
    square = shapely.box(x - 3 * d, y - 3 * d, x - 2 * d, y - 2 * d)
    frame = gpd.GeoDataFrame(
        {"id": ["a1", "a2"], "code": ["K1", "K2"], "name": ["Rosett", "Ruta"], "kind": ["kommundel"] * 2},
        geometry=[square, bowtie], crs="EPSG:4326",
    )
    pyogrio.write_dataframe(frame, path, driver="GeoJSON")


def _shapefile_without_prj(path: Path) -> None:
    # dBASE field names hold 10 characters: occurred_at and location_precision arrive cut short.
    attributes = {"id": ["g0"], "occurred_a": ["2025-05-01 14:30"], "category": ["stold"],
                  "source": ["test"], "location_p": ["exact"]}
    _frame_builder([shapely.Point(*INSIDE_3006)], crs="EPSG:3006", driver="ESRI Shapefile",
                   attributes=attributes)(path)
    path.with_suffix(".prj").unlink()


def _zip(members: dict[str, bytes]) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for name, data in members.items():
                archive.writestr(name, data)

    return build


def _zip_bomb(path: Path) -> None:
    # 24 MiB of zeros deflate to about 24 KiB: a ratio over 1 000 to 1.
    _zip({"lager.shp": b"\0" * (24 * 1024 * 1024), "lager.shx": b"", "lager.dbf": b""})(path)


def _utf16_without_bom(path: Path) -> None:
    text = INCIDENT_HEADER + "\n" + incident_line("u1") + "\n"
    path.write_bytes(text.encode("utf-16-le"))


def _large(path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write(INCIDENT_HEADER + "\n")
        for i in range(1, LARGE_ROWS):
            fh.write(incident_line(f"big-{i}", lat=59.40 + (i % 997) * 1e-5) + "\n")
        fh.write(incident_line(f"big-{LARGE_ROWS}", category="bilbrand") + "\n")


def _json_bytes(data: object) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        path.write_text(json.dumps(data), encoding="utf-8")

    return build


def _csv_x_y(*rows: tuple[float, float]) -> Callable[[Path], None]:
    lines = ["id;x;y;occurred_at;category;source;location_precision"]
    lines += [f"p{i};{x};{y};2025-05-01 14:30;stold;test;exact" for i, (x, y) in enumerate(rows, 1)]
    return _csv(*lines)


CASES: tuple[Case, ...] = (
    Case("self_intersecting", "omraden.geojson", _bowtie_areas,
         r"invalid geometry \(Self-intersection.*--make-valid", layer="areas", row=2, field="geometry"),
    Case("empty_geometry", "tom_geometri.gpkg", _frame_builder([shapely.Point(), shapely.Point(*INSIDE_3006)],
                                                              crs="EPSG:3006", driver="GPKG"),
         r"geometry is empty", row=1, field="geometry"),
    Case("wrong_geometry_type", "linje.geojson",
         _frame_builder([shapely.LineString([INSIDE_WGS84, (INSIDE_WGS84[0] + 0.01, INSIDE_WGS84[1])])]),
         r"geometry type LineString is not allowed; allowed: Point", row=1, field="geometry"),
    Case("missing_crs_shapefile", "utan_prj.shp", _shapefile_without_prj,
         r"has no CRS \(no \.prj file beside the \.shp\); give it with --crs", field="geometry"),
    Case("missing_crs_csv", "xy.csv", _csv_x_y(INSIDE_3006),
         r"has no CRS \(the columns x/y are metres .*\); give it with --crs", field="geometry"),
    Case("outside_sweden", "helsingfors.csv",
         _csv(INCIDENT_HEADER, incident_line("h1", lat=HELSINKI_WGS84[1], lon=HELSINKI_WGS84[0])),
         r"outside Sweden .*--allow-outside", row=2, field="geometry"),
    Case("outside_kommun", "stockholm.csv",
         _csv(INCIDENT_HEADER, incident_line("s1", lat=STOCKHOLM_WGS84[1], lon=STOCKHOLM_WGS84[0])),
         r"lies \d+\.\d km outside Järfälla .*--allow-outside", row=2, field="geometry"),
    Case("swapped_lat_lon_fixed", "omkastade.csv",
         _csv(INCIDENT_HEADER, incident_line("w1"),
              incident_line("w2", lat=INSIDE_WGS84[0], lon=INSIDE_WGS84[1]),
              incident_line("w3", lat=INSIDE_WGS84[0] + 0.01, lon=INSIDE_WGS84[1])),
         r"swapped lat/lon fixed in 2 rows", error=None),
    Case("swapped_undecidable", "st74.csv", _csv_x_y(ST74_BOTH_INSIDE),
         r"cannot tell whether x and y are swapped", row=2, field="geometry",
         options={"crs": "EPSG:3152"}),
    Case("missing_required_field", "utan_kategori.csv",
         _csv("id;lat;lon;occurred_at;source;location_precision",
              f"m1;{INSIDE_WGS84[1]};{INSIDE_WGS84[0]};2025-05-01 14:30;test;exact"),
         r"required column is missing", field="category"),
    Case("empty_required_value", "tomma_celler.csv",
         _csv(INCIDENT_HEADER, incident_line("v1"), incident_line("v2", category=""),
              incident_line("v3", at="")),
         r"^required value is empty$", row=3, field="category"),
    Case("unknown_category", "kategori.csv", _csv(INCIDENT_HEADER, incident_line("c1", category="bilbrand")),
         r"'bilbrand' is not allowed; allowed: stold", row=2, field="category"),
    Case("unparseable_date", "datum.csv", _csv(INCIDENT_HEADER, incident_line("d1", at="31/02/2024")),
         r"'31/02/2024' is not a date and time; use ISO 8601", row=2, field="occurred_at"),
    Case("dst_ambiguous", "hosttid.csv", _csv(INCIDENT_HEADER, incident_line("t1", at="2026-10-25 02:30")),
         r"happens twice in Europe/Stockholm.*\+02:00 for the first", row=2, field="occurred_at"),
    Case("dst_nonexistent", "vartid.csv", _csv(INCIDENT_HEADER, incident_line("t2", at="2026-03-29 02:30")),
         r"does not exist in Europe/Stockholm", row=2, field="occurred_at"),
    Case("duplicate_id_in_file", "dubbletter.csv",
         _csv(INCIDENT_HEADER, incident_line("a"), incident_line("b"), incident_line("a")),
         r"duplicate id 'a' \(first at row 2\)", row=4, field="id"),
    Case("duplicate_id_in_store", "finns.csv", _csv(INCIDENT_HEADER, incident_line(STORE_INCIDENT_ID)),
         rf"id '{STORE_INCIDENT_ID}' already exists in the store", row=2, field="id"),
    Case("empty_file", "tom.csv", _csv(), r"tom\.csv is empty \(0 bytes\)", error="source"),
    Case("blank_lines_only", "tomma_rader.csv", _csv("", "  ", ""), r"has no header line", error="source"),
    Case("zero_rows", "bara_rubrik.csv", _csv(INCIDENT_HEADER), r"a header but no data rows", field="rows"),
    Case("non_utf8_csv", "excel.csv",
         _csv(INCIDENT_HEADER, incident_line("e1", category="Skadegörelse på skolgård"), encoding="cp1252"),
         r"'Skadegörelse på skolgård' is not allowed", row=2, field="category"),
    Case("utf16_without_bom", "unicode.csv", _utf16_without_bom, r"holds NUL bytes", error="source"),
    Case("zip_without_shp", "utan_shp.zip", _zip({"readme.txt": b"no shapes here", "lager.dbf": b""}),
         r"holds no \.shp file \(found: readme\.txt, lager\.dbf\)", error="source"),
    Case("zip_path_traversal", "traversal.zip",
         _zip({"../../etc/lager.shp": b"x", "../../etc/lager.shx": b"", "../../etc/lager.dbf": b""}),
         r"path traversal", error="source"),
    Case("zip_bomb", "bomb.zip", _zip_bomb, r"compressed [\d,]+ to 1; allowed: at most 1,000 to 1",
         error="source"),
    Case("html_in_text", "html.csv",
         _csv(INCIDENT_HEADER, incident_line("x1", description="<script>alert('x')</script>"),
              incident_line("x2", description='<img src=x onerror="alert(1)">')),
         r"2 text values contain HTML or script; they are stored as plain text", error=None),
    Case("html_page_as_csv", "nedladdning.csv", _csv("<!DOCTYPE html>", "<html><body>Logga in</body></html>"),
         r"looks like an HTML page", error="source"),
    Case("csv_extra_fields", "falt.csv",
         _csv(INCIDENT_HEADER, incident_line("f1"), incident_line("f2") + ";extra;more"),
         r"10 fields, but the header has 8", row=3, field="row"),
    Case("crs_conflict", "wgs84.geojson", _frame_builder([shapely.Point(*INSIDE_WGS84)]),
         r"declares its CRS as EPSG:4326, but crs='EPSG:3006' was given", error="crs",
         options={"crs": "EPSG:3006"}),
    Case("broken_json", "trasig.json", _csv('[{"service_request_id": "1",'),
         r"not valid JSON", layer="graffiti", error="source"),
    Case("large_file", "stor.csv", _large, r"'bilbrand' is not allowed", row=LARGE_ROWS + 1,
         field="category"),
)


def make_store(path: Path):
    """The store the corpus runs against: the demo kommun outline and one incident.

    It is built once per process and copied to ``path``, which keeps the tests quick.
    """
    from geo.store import GeoPackageStore

    path = Path(path)
    if not _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="corpus-store-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _TEMPLATE.append(_build_store(folder / "template.gpkg"))
    shutil.copyfile(_TEMPLATE[0], path)
    return GeoPackageStore(path)


_TEMPLATE: list[Path] = []


def _build_store(path: Path) -> Path:
    import pandas as pd

    from geo.demo.planted import OUTLINE
    from geo.store import GeoPackageStore

    store = GeoPackageStore(path)
    store.write("areas", gpd.GeoDataFrame(
        {"id": ["area-0123"], "code": ["0123"], "name": ["Järfälla"], "kind": ["kommun"]},
        geometry=[shapely.Polygon(OUTLINE)], crs="EPSG:3006"), source="corpus")
    store.write("incidents", gpd.GeoDataFrame(
        {"id": [STORE_INCIDENT_ID], "occurred_at": [pd.Timestamp("2025-01-01 12:00", tz="Europe/Stockholm")],
         "category": ["stold"], "source": ["corpus"], "location_precision": ["exact"]},
        geometry=[shapely.Point(*INSIDE_3006)], crs="EPSG:3006"), source="corpus")
    return path


def write_all(folder: Path) -> list[Path]:
    """Write every case's file into ``folder``; return the paths."""
    folder = Path(folder)
    written = []
    for case in CASES:
        sub = folder / case.name
        sub.mkdir(parents=True, exist_ok=True)
        written.append(case.write(sub))
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stderr.write("usage: python tests/bad_inputs/make_corpus.py OUTDIR\n")
        sys.exit(2)
    for written_path in write_all(Path(sys.argv[1])):
        print(written_path)

