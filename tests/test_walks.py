"""Trygghetsvandringar: walks, findings on the route, decisions, the six-month flag, and the
known answer of a walk's findings in the lägesbild."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import geopandas as gpd
import pandas as pd
import pytest
from shapely import LineString, Point, box

from geo.analysis.params import LagesbildParams
from geo.errors import WalkError
from geo.participation.walk_decisions import findings_table, overdue_findings, record_decision
from geo.participation.walk_input import findings_from_table, parse_route
from geo.participation.walk_store import get_walk, list_walks, publish_walk, save_walk, walk_findings
from geo.participation.walks import FINDINGS_TABLE, WALKS_TABLE, Finding, finding_id, is_overdue
from geo.privacy import build_lagesbild
from geo.store import GeoPackageStore, open_store

ROUTE = LineString([(660100, 6591100), (661100, 6590100)])
PARTICIPANTS = {"residents": 9, "police": 1, "municipality": 3}
# two findings in the 250 m cell 660000/6591000 and one in 661000/6590000 (known answer below)
FINDINGS = [
    Finding("lighting", 3, Point(660100, 6591100), "Lampor släckta", "IMG_0412.jpg"),
    Finding("vegetation", 2, Point(660200, 6591000), "Buskage skymmer sikten"),
    Finding("graffiti", 1, Point(661100, 6590100), "Klotter på tunneln"),
]
CELL_TWO, CELL_ONE = "6600006591000", "6610006590000"


@pytest.fixture
def store(tmp_path) -> GeoPackageStore:
    """A tiny store holding only a kommun polygon."""
    s = GeoPackageStore(tmp_path / "tiny.gpkg")
    areas = gpd.GeoDataFrame(
        {"id": ["k"], "code": ["0123"], "name": ["Järfälla"], "kind": ["kommun"], "population": [80000]},
        geometry=[box(655000, 6585000, 665000, 6600000)], crs="EPSG:3006")
    s.write("areas", areas)
    return s


def save(store, **changes):
    args = {"walk_id": "viksjo-1", "walk_date": "2026-03-01", "area": "Viksjö centrum", "route": ROUTE,
            "participants": PARTICIPANTS, "findings": FINDINGS, "user": "anna"}
    return save_walk(store, **{**args, **changes})


class TestSave:
    def test_round_trip_keeps_walk_findings_and_wkt(self, store):
        walk = save(store, note="Kvällsvandring")
        assert walk.walk_id == "viksjo-1"
        again = get_walk(store, "viksjo-1")
        assert again.walk_date == dt.date(2026, 3, 1)
        assert again.participants == {"residents": 9, "police": 1, "municipality": 3}
        assert again.route.equals(ROUTE)
        assert not again.published
        assert [f.reason for f in walk_findings(store, "viksjo-1")] == ["lighting", "vegetation", "graffiti"]
        walks_rows = store.read_records(WALKS_TABLE)
        assert walks_rows["route_wkt"].iloc[0].startswith("LINESTRING")
        assert json.loads(walks_rows["participants"].iloc[0])["police"] == 1
        rows = store.read_records(FINDINGS_TABLE)
        assert list(rows["finding_id"]) == [finding_id("viksjo-1", n) for n in (1, 2, 3)]
        assert rows["point_wkt"].iloc[0] == "POINT (660100 6591100)"
        listed = list_walks(store)
        assert listed[["walk_id", "findings", "published"]].to_dict("records") == [
            {"walk_id": "viksjo-1", "findings": 3, "published": False}]

    def test_new_walk_gets_a_dated_id(self, store):
        walk = save(store, walk_id=None)
        assert walk.walk_id.startswith("20260301-")

    def test_saving_again_replaces_findings_and_keeps_history(self, store):
        save(store)
        save(store, findings=FINDINGS[:2])
        assert len(walk_findings(store, "viksjo-1")) == 2
        assert len(findings_table(store)) == 2
        assert len(store.read_records(FINDINGS_TABLE)) == 6  # 3 + 2 new versions + 1 removal

    def test_every_problem_is_listed_and_nothing_written(self, store):
        bad = [
            Finding("noise", 5, Point(660100, 6591100), photo="C:\\bilder\\a.jpg"),
            Finding("lighting", 2, Point(660900, 6590900)),  # inside the kommun, 424 m from the route
            Finding("lighting", 2, Point(670000, 6591000)),  # outside the kommun
            Finding("lighting", 2, None),
        ]
        with pytest.raises(WalkError, match=r"finding 1, reason: 'noise' is not allowed") as info:
            save(store, area=" ", participants={"residents": 0}, findings=bad)
        codes = [(p.row, p.code) for p in info.value.problems]
        assert codes == [(None, "area"), (None, "participants"), (1, "reason"), (1, "severity"), (1, "photo"),
                         (2, "far_from_route"), (3, "outside_kommun"), (4, "position")]
        assert info.value.problems[5].text("sv") == "Fynd 2: Fyndet ligger 424 m från rutten (högst 250 m)."
        assert store.read_records(WALKS_TABLE).empty
        assert store.read_records(FINDINGS_TABLE).empty

    def test_unknown_role_and_bad_walk_id_are_refused(self, store):
        with pytest.raises(WalkError, match=r"participants: priests=2"):
            save(store, participants={"priests": 2})
        with pytest.raises(WalkError, match=r"walk_id: 'Viksjö 1' is not allowed"):
            save(store, walk_id="Viksjö 1")


class TestRoute:
    def test_wkt_is_sweref(self):
        assert parse_route("LINESTRING (660100 6591100, 661100 6590100)").equals(ROUTE)

    def test_geojson_is_wgs84(self):
        line = {"type": "LineString", "coordinates": [[17.8223, 59.4279], [17.8392, 59.4186]]}
        feature = {"type": "Feature", "properties": {}, "geometry": line}
        route = parse_route(json.dumps({"type": "FeatureCollection", "features": [feature]}))
        assert route.geom_type == "LineString"
        assert route.coords[0] == pytest.approx((660100, 6591100), abs=5)

    @pytest.mark.parametrize(("text", "match"), [
        ("LINESTRING (17.82 59.42, 17.84 59.41)", "outside Sweden"),
        ("POINT (660100 6591100)", "received a Point"),
        ("", "empty"),
        ("not a route", "not WKT or GeoJSON"),
    ])
    def test_bad_routes_are_refused(self, text, match):
        with pytest.raises(WalkError, match=match):
            parse_route(text)


def test_findings_from_table_skips_blank_rows_and_converts_positions():
    table = pd.DataFrame({
        "reason": ["lighting", None, "other"], "severity": [3.0, None, 1.0],
        "description": ["Mörkt", None, ""], "photo": [None, None, "a.jpg"],
        "lat": [59.4279309, None, None], "lon": [17.8223014, None, None],
    })
    findings = findings_from_table(table)
    assert len(findings) == 2
    assert findings[0].severity == 3
    assert findings[0].point.distance(Point(660100, 6591100)) < 0.5
    assert findings[1].point is None


class TestOverdue:
    @pytest.mark.parametrize(("reference", "flagged"), [
        ("2026-09-02", True),
        ("2026-09-01", False),  # exactly six months: not more than six
        ("2026-08-31", False),
    ])
    def test_six_calendar_months_after_the_walk(self, store, reference, flagged):
        save(store)
        table = findings_table(store, reference=reference)
        assert table["overdue"].tolist() == [flagged] * 3
        assert len(overdue_findings(store, reference=reference)) == (3 if flagged else 0)

    def test_a_decision_clears_the_flag_but_a_responsible_body_alone_does_not(self, store):
        save(store)
        record_decision(store, finding_id("viksjo-1", 1), responsible="TEN", decision="Byt armaturer",
                        decided_on="2026-04-15", user="anna")
        record_decision(store, finding_id("viksjo-1", 2), responsible="KS", user="anna")
        table = findings_table(store, reference="2026-12-01").set_index("n")
        assert table.loc[1, ["responsible", "decision", "decided_on", "overdue"]].tolist() == [
            "TEN", "Byt armaturer", dt.date(2026, 4, 15), False]
        assert table.loc[2, "responsible"] == "KS"
        assert table["overdue"].tolist() == [False, True, True]

    @pytest.mark.parametrize(("walk", "reference", "flagged"), [
        ("2026-08-31", "2027-02-28", False),  # month end: the deadline is 28 February
        ("2026-08-31", "2027-03-01", True),
    ])
    def test_month_ends(self, walk, reference, flagged):
        day = dt.date.fromisoformat(walk)
        assert is_overdue(day, decided=False, reference=reference) is flagged


class TestDecisions:
    def test_refusals_name_the_value(self, store):
        save(store)
        fid = finding_id("viksjo-1", 1)
        with pytest.raises(WalkError, match=r"responsible: 'Polisen' is not allowed; allowed: KS, KDN"):
            record_decision(store, fid, responsible="Polisen", decision="x")
        with pytest.raises(WalkError, match=r"must not be before the walk \(2026-03-01\)"):
            record_decision(store, fid, responsible="TEN", decision="x", decided_on="2026-02-01")
        with pytest.raises(WalkError, match=r"needs a decision"):
            record_decision(store, fid, responsible="TEN", decided_on="2026-04-01")
        with pytest.raises(WalkError, match=r"'walk-nope-1' does not exist"):
            record_decision(store, "walk-nope-1", responsible="TEN")


class TestPublish:
    def test_findings_become_approved_unsafe_places_and_are_locked(self, store):
        save(store)
        assert publish_walk(store, "viksjo-1", user="anna") == 3
        places = store.read("unsafe_places").set_index("id")
        assert list(places.index) == [finding_id("viksjo-1", n) for n in (1, 2, 3)]
        assert set(places["source"]) == {"walk"}
        assert set(places["status"]) == {"approved"}
        assert places["reported_at"].iloc[0] == pd.Timestamp("2026-03-01", tz="Europe/Stockholm")
        assert places.loc[finding_id("viksjo-1", 1), "description"] == "Lampor släckta"
        assert get_walk(store, "viksjo-1").published
        with pytest.raises(WalkError, match="is published"):
            save(store)
        with pytest.raises(WalkError, match="is published already"):
            publish_walk(store, "viksjo-1")
        # decisions are still recorded after publication
        record_decision(store, finding_id("viksjo-1", 3), responsible="TEN", decision="Sanerat",
                        decided_on="2026-03-03")
        assert findings_table(store, reference="2026-12-01")["overdue"].tolist() == [True, True, False]

    def test_unknown_walk(self, store):
        with pytest.raises(WalkError, match=r"'nope' does not exist; walks: none yet"):
            publish_walk(store, "nope")


def test_published_findings_count_in_the_right_lagesbild_cells(demo_path, tmp_path):
    """Known answer: two findings in one 250 m cell and one in another add exactly 2 and 1."""
    path = tmp_path / "s.gpkg"
    shutil.copy(demo_path, path)
    store = open_store(path)
    params = LagesbildParams.from_text(date_from="2026-01-01", date_to="2026-09-30", audience="staff")
    before = build_lagesbild(store, params).set_index("unit_id")["unsafe_places"]
    save(store, walk_id="known-answer")
    saved = build_lagesbild(store, params).set_index("unit_id")["unsafe_places"]
    pd.testing.assert_series_equal(saved, before)  # not counted before approval
    publish_walk(store, "known-answer", user="anna")
    after = build_lagesbild(store, params).set_index("unit_id")["unsafe_places"]
    change = (after - before)[lambda s: s != 0]
    assert change.to_dict() == {CELL_TWO: 2, CELL_ONE: 1}
