"""Residents' reports: validation, personal data, rate limit, kommun check, and moderation."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely import box

from geo.errors import ReportError, ValidationError
from geo.outputs.maps.base import web_frame
from geo.participation.reports import (
    MAX_TEXT_LENGTH,
    MODERATION_TABLE,
    RATE_LIMIT,
    REPORTS_TABLE,
    approve_report,
    check_rate_limit,
    check_text,
    reject_report,
    report_queue,
    reports_table,
    submit_report,
    to_unsafe_places,
)
from geo.store import GeoPackageStore
from layers import get_spec

# inside the tiny kommun (about E 660 570, N 6 590 240) and outside it (central Stockholm)
INSIDE = {"lat": 59.42, "lon": 17.83}
OUTSIDE = {"lat": 59.33, "lon": 18.07}
SCRIPT = "<script>alert('x')</script> Mörk tunnel & trasig lampa"
T0 = pd.Timestamp("2026-05-01 20:00", tz="Europe/Stockholm")


@pytest.fixture
def store(tmp_path) -> GeoPackageStore:
    s = GeoPackageStore(tmp_path / "tiny.gpkg")
    areas = gpd.GeoDataFrame(
        {"id": ["k"], "code": ["0123"], "name": ["Järfälla"], "kind": ["kommun"], "population": [80000]},
        geometry=[box(655000, 6585000, 665000, 6600000)], crs="EPSG:3006")
    s.write("areas", areas)
    return s


def unsafe_ids(store) -> set[str]:
    return set(store.read("unsafe_places")["id"])


class TestSubmit:
    def test_a_report_waits_in_the_queue_and_is_not_an_unsafe_place(self, store):
        rid = submit_report(store, **INSIDE, reason="lighting", text=SCRIPT, now=T0)
        assert rid.startswith("rep-")
        queue = report_queue(store)
        assert queue["report_id"].tolist() == [rid]
        assert queue["status"].tolist() == ["new"]
        assert queue.geometry.iloc[0].x == pytest.approx(660574, abs=2)
        assert queue["submitted_at"].iloc[0] == T0
        assert "unsafe_places" not in store.list_layers()

    def test_text_is_stored_verbatim_and_only_that(self, store):
        submit_report(store, **INSIDE, reason="other", text=f"  {SCRIPT}\n", now=T0)
        rows = store.read_records(REPORTS_TABLE)
        assert rows["description"].tolist() == [SCRIPT]
        assert sorted(rows.columns) == ["description", "point_wkt", "reason", "report_id", "submitted_at"]

    def test_outside_the_kommun_is_refused(self, store):
        with pytest.raises(ReportError, match="lies outside the kommun") as info:
            submit_report(store, **OUTSIDE, reason="lighting", text="Mörkt")
        assert info.value.code == "outside_kommun"
        assert store.read_records(REPORTS_TABLE).empty

    def test_a_store_without_kommun_refuses(self, tmp_path):
        with pytest.raises(ReportError, match="has no areas polygon of kind 'kommun'"):
            submit_report(GeoPackageStore(tmp_path / "empty.gpkg"), **INSIDE, reason="lighting", text="x")

    @pytest.mark.parametrize(("lat", "lon"), [(95.0, 17.8), (float("nan"), 17.8), (None, 17.8)])
    def test_bad_positions(self, store, lat, lon):
        with pytest.raises(ReportError, match="is not a position") as info:
            submit_report(store, lat=lat, lon=lon, reason="lighting", text="x")
        assert info.value.code == "position"

    def test_unknown_reason(self, store):
        with pytest.raises(ReportError, match=r"reason='noise' is not allowed; allowed: lighting, veg"):
            submit_report(store, **INSIDE, reason="noise", text="x")


class TestText:
    @pytest.mark.parametrize(("text", "kind"), [
        ("Jag heter Kim, 850412-1234, ring", "personnummer"),
        ("pnr 198504121234", "personnummer"),
        ("samordningsnr 850472-1234", "personnummer"),
        ("ring 070-123 45 67", "phone"),
        ("ring +46 70 123 45 67", "phone"),
        ("mejla kim.k@example.se", "email"),
    ])
    def test_personal_data_is_refused_without_echoing_it(self, text, kind):
        with pytest.raises(ReportError, match=rf"personal data \({kind}\)") as info:
            check_text(text)
        assert info.value.values == {"kind": kind}
        assert text not in str(info.value)

    @pytest.mark.parametrize("text", [
        "Mörk gångtunnel vid Kvarnvägen 12",
        "Otryggt kl 22-05 varje helg sedan 2026-03-01",
        "Bussen 541 går sällan, 150 meter att gå i mörker",
    ])
    def test_ordinary_text_passes(self, text):
        assert check_text(text) == text

    def test_length_limit(self):
        assert check_text("x" * MAX_TEXT_LENGTH) == "x" * MAX_TEXT_LENGTH
        with pytest.raises(ReportError, match=r"text has 501 characters; allowed: at most 500"):
            check_text("x" * (MAX_TEXT_LENGTH + 1))
        with pytest.raises(ReportError, match="text is empty"):
            check_text("   ")


class TestRateLimit:
    def test_three_in_ten_minutes_then_wait(self):
        times = [T0, T0 + pd.Timedelta(minutes=2), T0 + pd.Timedelta(minutes=4)]
        check_rate_limit(times[:2], now=T0 + pd.Timedelta(minutes=5))
        with pytest.raises(ReportError, match=r"3 reports within 10 minutes; allowed: 3, next in 5 minutes"):
            check_rate_limit(times, now=T0 + pd.Timedelta(minutes=5))
        check_rate_limit(times, now=T0 + pd.Timedelta(minutes=10, seconds=1))

    def test_submit_refuses_and_stores_nothing(self, store):
        previous = [T0] * RATE_LIMIT
        with pytest.raises(ReportError, match="next in 9 minutes") as info:
            submit_report(store, **INSIDE, reason="lighting", text="Mörkt", previous=previous,
                          now=T0 + pd.Timedelta(minutes=1))
        assert info.value.code == "rate_limited"
        assert store.read_records(REPORTS_TABLE).empty


class TestModeration:
    def test_approval_writes_an_approved_report_place_shown_escaped(self, store):
        rid = submit_report(store, **INSIDE, reason="lighting", text=SCRIPT, now=T0)
        approve_report(store, rid, user="anna", at=T0 + pd.Timedelta(days=1))
        places = store.read("unsafe_places")
        assert places[["id", "status", "source", "reason", "description"]].to_dict("records") == [
            {"id": rid, "status": "approved", "source": "report", "reason": "lighting",
             "description": SCRIPT}]
        assert places["reported_at"].iloc[0] == T0
        web = web_frame(places, get_spec("unsafe_places"), "sv")
        assert web["description"].iloc[0].startswith("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;")
        assert "<script>" not in web.to_json()
        table = reports_table(store)
        assert table[["status", "moderated_by"]].to_dict("records") == [
            {"status": "approved", "moderated_by": "anna"}]
        assert report_queue(store).empty

    def test_rejected_reports_are_never_written_and_stay_rejected(self, store):
        rid = submit_report(store, **INSIDE, reason="people", text="Gäng", now=T0)
        reject_report(store, rid, user="anna", note="inte en plats")
        assert report_queue(store).empty
        assert "unsafe_places" not in store.list_layers()
        with pytest.raises(ReportError, match=r"is rejected; allowed: a waiting \(new\) report"):
            approve_report(store, rid, user="anna")
        assert "unsafe_places" not in store.list_layers()
        assert store.read_records(MODERATION_TABLE)["status"].tolist() == ["rejected"]

    def test_unknown_report_and_empty_user(self, store):
        with pytest.raises(ReportError, match=r"report_id='rep-nope' does not exist"):
            reject_report(store, "rep-nope", user="anna")
        rid = submit_report(store, **INSIDE, reason="people", text="x", now=T0)
        with pytest.raises(ValueError, match="user='' is empty"):
            approve_report(store, rid, user="")
        assert report_queue(store)["report_id"].tolist() == [rid]

    def test_an_interrupted_approval_can_be_completed(self, store):
        rid = submit_report(store, **INSIDE, reason="lighting", text="Mörkt", now=T0)
        # the layer write succeeded but the moderation record was lost
        store.write("unsafe_places", to_unsafe_places(report_queue(store)))
        approve_report(store, rid, user="anna")
        assert unsafe_ids(store) == {rid}
        assert reports_table(store)["status"].tolist() == ["approved"]

    def test_the_layer_refuses_a_duplicate_write(self, store):
        rid = submit_report(store, **INSIDE, reason="lighting", text="Mörkt", now=T0)
        approve_report(store, rid, user="anna")
        with pytest.raises(ValidationError, match="already"):
            store.write("unsafe_places", to_unsafe_places(reports_table(store)))
