"""The walk protocol PDF: it opens, names every finding, marks overdue ones, is reproducible."""

from __future__ import annotations

import re

import geopandas as gpd
import pytest
from shapely import LineString, Point, box

from geo.participation.protocol import protocol_pdf, render_protocol, route_map_figure
from geo.participation.walk_decisions import findings_table, record_decision
from geo.participation.walk_store import get_walk, save_walk
from geo.participation.walks import Finding
from geo.store import GeoPackageStore

FINDINGS = [
    Finding("lighting", 3, Point(660100, 6591100), "Trasig lampa vid gangbron", "IMG_0412.jpg"),
    Finding("vegetation", 2, Point(660200, 6591000), "Buskage skymmer sikten"),
    Finding("graffiti", 1, Point(661100, 6590100), "<script>x</script> pa tunneln"),
]


@pytest.fixture
def store(tmp_path) -> GeoPackageStore:
    s = GeoPackageStore(tmp_path / "tiny.gpkg")
    areas = gpd.GeoDataFrame(
        {"id": ["k"], "code": ["0123"], "name": ["Järfälla"], "kind": ["kommun"], "population": [80000]},
        geometry=[box(655000, 6585000, 665000, 6600000)], crs="EPSG:3006")
    s.write("areas", areas)
    save_walk(s, walk_id="w1", walk_date="2026-03-01", area="Jakobsberg norra",
              route=LineString([(660100, 6591100), (661100, 6590100)]),
              participants={"residents": 12, "police": 2, "municipality": 3}, findings=FINDINGS, user="anna")
    record_decision(s, "walk-w1-1", responsible="TEN", decision="Armaturen byts", decided_on="2026-04-20")
    return s


def pdf_text(pdf: bytes) -> list[str]:
    """The lines of text in an uncompressed PDF: the Tj strings of a line joined, unescaped."""
    string = re.compile(rb"\(((?:[^()\\]|\\.)*)\) Tj")
    unescape = re.compile(rb"\\([0-7]{1,3}|.)")

    def char(match: re.Match) -> bytes:
        code = match.group(1)
        return bytes([int(code, 8)]) if code.isdigit() else code

    lines = []
    for block in re.findall(rb"BT (.*?) ET", pdf, flags=re.DOTALL):
        for line in block.split(b"T*"):
            parts = [unescape.sub(char, s) for s in string.findall(line)]
            if parts:
                lines.append(b"".join(parts).decode("cp1252"))
    return lines


def test_the_pdf_opens_and_names_every_finding(store):
    pdf = protocol_pdf(store, "w1", reference="2026-09-02")
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    text = pdf_text(pdf)
    for finding in FINDINGS:
        assert finding.description in text  # the <script> text is printed as text
    for label in ("Belysning", "Vegetation", "Klotter", "IMG_0412.jpg", "TEN", "Armaturen byts",
                  "2026-04-20", "Jakobsberg norra", "2026-03-01"):
        assert label in text
    assert "Boende 12, Polis 2, Kommun 3 (totalt 17)" in text
    assert [s for s in text if s.endswith(" *")] == ["2 *", "3 *"]  # no decision after six months


def test_nothing_is_flagged_within_six_months(store):
    text = pdf_text(protocol_pdf(store, "w1", reference="2026-08-31"))
    assert not [s for s in text if s.endswith(" *")]


def test_english_and_reproducible(store):
    first = protocol_pdf(store, "w1", lang="en", reference="2026-09-02")
    assert first == protocol_pdf(store, "w1", lang="en", reference="2026-09-02")
    text = pdf_text(first)
    assert "Safety walk protocol" in text
    assert "Lighting" in text
    assert "Residents 12, Police 2, Municipality 3 (17 in total)" in text


def test_the_map_numbers_the_findings_and_has_a_scale_bar(store):
    walk = get_walk(store, "w1")
    fig = route_map_figure(walk, findings_table(store, walk_id="w1"), lang="sv")
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert {"1", "2", "3", "N", "0", "500 m"} <= set(texts)
    assert any("EPSG:3006" in t for t in texts)


def test_a_walk_without_findings(tmp_path):
    s = GeoPackageStore(tmp_path / "empty.gpkg")
    save_walk(s, walk_id="w2", walk_date="2026-05-05", area="Kallhäll",
              route=LineString([(659000, 6593700), (659300, 6593900)]), participants={"residents": 4})
    text = pdf_text(protocol_pdf(s, "w2", reference="2026-06-01"))
    assert "Vandringen registrerade inga fynd." in text


def test_missing_columns_and_bad_language(store):
    walk = get_walk(store, "w1")
    table = findings_table(store, walk_id="w1")
    with pytest.raises(ValueError, match=r"findings lack columns \['overdue'\]"):
        render_protocol(walk, table.drop(columns="overdue"))
    with pytest.raises(ValueError, match="language 'de' is not supported"):
        render_protocol(walk, table, lang="de")
