"""Graffiti work lists: real elapsed hours across DST, the queue order, the 72-hour follow-up."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from shapely import Point

from geo.worklists.graffiti import QUEUE_COLUMNS, late_removals, removal_queue, report_table
from geo.worklists.graffiti_compliance import compliance_table, key_figures

TZ = "Europe/Stockholm"
CRS = "EPSG:3006"


def t(text: str | None) -> pd.Timestamp:
    return pd.NaT if text is None else pd.Timestamp(text, tz=TZ)


def layer(rows: list[dict]) -> gpd.GeoDataFrame:
    """Graffiti reports from dicts with local times as text."""
    frame = pd.DataFrame(rows)
    for column in ("reported_at", "removed_at"):
        frame[column] = pd.to_datetime(frame[column]).dt.tz_localize(TZ)
    if "offensive" in frame:
        frame["offensive"] = frame["offensive"].astype("boolean")
    xy = [row.get("xy", (0.0, 0.0)) for row in rows]
    return gpd.GeoDataFrame(
        frame.drop(columns="xy", errors="ignore"), geometry=[Point(x, y) for x, y in xy], crs=CRS
    )


class TestRealElapsedHours:
    """2026: summer time starts 29 March 02:00 and ends 25 October 03:00."""

    @pytest.mark.parametrize(
        ("reported", "removed", "hours", "within"),
        [
            ("2026-03-28 20:00", "2026-03-31 20:30", 71.5, True),  # the example
            ("2026-03-28 20:00", "2026-03-31 20:00", 71.0, True),  # same wall clock, spring: 71 h
            ("2026-10-24 20:00", "2026-10-27 20:00", 73.0, False),  # same wall clock, autumn: 73 h
            ("2026-10-24 20:00", "2026-10-27 19:30", 72.5, False),  # 71.5 h by the clock, 72.5 real
            ("2026-06-01 08:00", "2026-06-04 08:00", 72.0, True),  # the deadline is inclusive
        ],
        ids=["spring-71.5", "spring-71", "autumn-73", "autumn-72.5", "exactly-72"],
    )
    def test_hours_and_within_72h(self, reported, removed, hours, within):
        reports = layer(
            [{"id": "g1", "object_kind": "other", "reported_at": reported, "removed_at": removed}]
        )
        row = report_table(reports, at=t("2026-12-01")).iloc[0]
        assert row["hours_to_removal"] == pytest.approx(hours)
        assert bool(row["within_72h"]) is within
        assert row["status"] == "removed"

    def test_open_report_has_empty_hours_and_na_within(self):
        reports = layer(
            [{"id": "g1", "object_kind": "other", "reported_at": "2026-03-28 20:00", "removed_at": None}]
        )
        row = report_table(reports, at=t("2026-03-31 20:00")).iloc[0]
        assert np.isnan(row["hours_to_removal"])
        assert row["within_72h"] is pd.NA
        assert row["hours_open"] == pytest.approx(71.0)
        assert row["hours_left"] == pytest.approx(1.0)
        assert np.isnan(row["hours_late"])

    def test_deadline_at_is_real_hours_later(self):
        reports = layer(
            [{"id": "g1", "object_kind": "other", "reported_at": "2026-10-24 20:00", "removed_at": None}]
        )
        row = report_table(reports, at=t("2026-10-25")).iloc[0]
        assert row["deadline_at"] == t("2026-10-27 19:00")  # 72 real hours: an hour earlier by the clock


@pytest.fixture
def queue_layer() -> gpd.GeoDataFrame:
    return layer(
        [
            {
                "id": "other-old",
                "object_kind": "other",
                "reported_at": "2026-06-05 08:00",
                "removed_at": None,
            },
            {"id": "school", "object_kind": "school", "reported_at": "2026-06-09 08:00", "removed_at": None},
            {"id": "pre", "object_kind": "preschool", "reported_at": "2026-06-08 12:00", "removed_at": None},
            {
                "id": "tunnel-off",
                "object_kind": "pedestrian_tunnel",
                "offensive": True,
                "reported_at": "2026-06-10 06:00",
                "removed_at": None,
            },
            {
                "id": "near",
                "object_kind": "other",
                "reported_at": "2026-06-09 20:00",
                "removed_at": None,
                "xy": (1024.0, 1032.0),
            },
            {
                "id": "other-off",
                "object_kind": "other",
                "offensive": True,
                "reported_at": "2026-06-10 10:00",
                "removed_at": None,
            },
            {
                "id": "removed",
                "object_kind": "school",
                "reported_at": "2026-06-09 09:00",
                "removed_at": "2026-06-09 15:00",
            },
            {"id": "future", "object_kind": "school", "reported_at": "2026-06-11 09:00", "removed_at": None},
            {
                "id": "removed-later",
                "object_kind": "school",
                "reported_at": "2026-06-09 10:00",
                "removed_at": "2026-06-10 18:00",
            },
        ]
    )


@pytest.fixture
def preschool() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["f1"], "name": ["Förskolan Ugglan"], "kind": ["preschool"], "critical": [False]},
        geometry=[Point(1000, 1000)],
        crs=CRS,
    )


AT = t("2026-06-10 12:00")


class TestQueue:
    def test_priority_order_built_by_hand(self, queue_layer, preschool):
        table = report_table(queue_layer, at=AT, facilities=preschool, facility_m=40)
        queue = removal_queue(table, lang="sv")
        # priority objects by deadline, then the rest by deadline
        assert queue["id"].tolist() == [
            "tunnel-off",  # tunnel, offensive: due 06-11 06:00
            "pre",  # preschool: due 06-11 12:00
            "school",  # school: due 06-12 08:00
            "removed-later",  # removed after the list's time: still open then; due 06-12 10:00
            "near",  # 40 m from a preschool: due 06-12 20:00
            "other-old",  # overdue since 06-08 08:00
            "other-off",  # offensive, due 06-11 10:00
        ]
        assert queue["rank"].tolist() == list(range(1, 8))
        assert list(queue.columns) == list(QUEUE_COLUMNS)

    def test_hours_left_and_late(self, queue_layer, preschool):
        queue = removal_queue(report_table(queue_layer, at=AT, facilities=preschool, facility_m=40))
        row = queue.set_index("id")
        assert row.loc["tunnel-off", "deadline_hours"] == 24.0
        assert row.loc["tunnel-off", "hours_left"] == pytest.approx(18.0)
        assert row.loc["other-old", "hours_late"] == pytest.approx(52.0)
        assert np.isnan(row.loc["other-old", "hours_left"])
        assert row["hours_to_removal"].isna().all()

    def test_why_in_both_languages(self, queue_layer, preschool):
        table = report_table(queue_layer, at=AT, facilities=preschool, facility_m=40)
        sv = removal_queue(table, lang="sv").set_index("id")["why"]
        en = removal_queue(table, lang="en").set_index("id")["why"]
        assert sv["near"] == "prioriterat: nära förskola (Förskolan Ugglan); 56,0 h kvar"
        assert (
            en["tunnel-off"] == "priority: pedestrian tunnel; offensive content, deadline 24 h; 18.0 h left"
        )
        assert sv["other-old"] == "52,0 h försenad"

    def test_facility_too_far_is_not_a_priority(self, queue_layer, preschool):
        table = report_table(queue_layer, at=AT, facilities=preschool, facility_m=39.9)
        assert not table.set_index("id").loc["near", "priority"]

    def test_without_facilities_only_object_kind_counts(self, queue_layer):
        queue = removal_queue(report_table(queue_layer, at=AT))
        assert queue["id"].tolist()[-3:] == ["other-old", "other-off", "near"]

    def test_per_kind_deadline(self, queue_layer):
        table = report_table(queue_layer, at=AT, per_kind={"school": 24.0})
        assert table.set_index("id").loc["school", "deadline_hours"] == 24.0
        assert table.set_index("id").loc["school", "hours_late"] == pytest.approx(4.0)


@pytest.fixture
def follow_up() -> pd.DataFrame:
    reports = layer(
        [
            {
                "id": "a",
                "object_kind": "other",
                "reported_at": "2026-03-28 20:00",
                "removed_at": "2026-03-31 20:30",
            },
            {
                "id": "b",
                "object_kind": "other",
                "reported_at": "2026-03-02 08:00",
                "removed_at": "2026-03-06 08:00",
            },
            {"id": "c", "object_kind": "school", "reported_at": "2026-03-20 08:00", "removed_at": None},
            {
                "id": "d",
                "object_kind": "school",
                "reported_at": "2026-04-08 08:00",
                "removed_at": "2026-04-11 08:00",
            },
            {
                "id": "e",
                "object_kind": "preschool",
                "reported_at": "2026-04-01 08:00",
                "removed_at": "2026-04-02 08:00",
            },
        ]
    )
    return report_table(reports, at=t("2026-04-10 12:00"))


class TestCompliance:
    def test_counts_per_month_quarter_and_kind(self, follow_up):
        table = compliance_table(follow_up, start=t("2026-03-01"), end=t("2026-04-10 12:00"))
        rows = table.set_index(["period", "object_kind"])
        march = rows.loc[("2026-03", "all")]
        assert (
            march["reports"],
            march["removed"],
            march["removed_within_72h"],
            march["removed_late"],
            march["open_overdue"],
            march["open_pending"],
        ) == (3, 2, 1, 1, 1, 0)
        assert march["share_within_72h"] == pytest.approx(1 / 3)
        assert rows.loc[("2026-03", "school"), "share_within_72h"] == 0.0
        april = rows.loc[("2026-04", "all")]
        assert (april["reports"], april["removed"], april["open_pending"]) == (2, 1, 1)
        assert april["share_within_72h"] == 1.0
        assert np.isnan(rows.loc[("2026-04", "other"), "share_within_72h"])
        assert rows.loc[("2026-Q1", "all"), "removed"] == 2
        assert rows.loc[("2026-Q2", "all"), "reports"] == 2

    def test_layout(self, follow_up):
        table = compliance_table(follow_up, start=t("2026-03-01"), end=t("2026-04-10 12:00"))
        assert table["period"].unique().tolist() == ["2026-03", "2026-04", "2026-Q1", "2026-Q2"]
        assert table["object_kind"].tolist()[:5] == [
            "all",
            "school",
            "preschool",
            "pedestrian_tunnel",
            "other",
        ]
        assert table["rank"].tolist() == list(range(1, 21))

    def test_own_deadline_share(self):
        reports = layer(
            [
                {
                    "id": "x",
                    "object_kind": "other",
                    "offensive": True,
                    "reported_at": "2026-05-04 08:00",
                    "removed_at": "2026-05-05 20:00",
                }
            ]
        )
        table = compliance_table(
            report_table(reports, at=t("2026-06-01")), start=t("2026-05-01"), end=t("2026-06-01")
        )
        row = table.set_index(["period", "object_kind"]).loc[("2026-05", "all")]
        assert row["share_within_72h"] == 1.0  # 36 h: within the program's 72 h
        assert row["share_within_deadline"] == 0.0  # but not within 24 h for offensive content

    def test_key_figures(self, follow_up):
        table = compliance_table(follow_up, start=t("2026-03-01"), end=t("2026-04-10 12:00"))
        figures = key_figures(table, at=t("2026-04-10 12:00"))
        assert figures["month"]["period"] == "2026-03"
        assert figures["month"]["share"] == pytest.approx(1 / 3)
        assert figures["month"]["decided"] == 3
        assert figures["quarter"]["period"] == "2026-Q1"
        assert np.isnan(key_figures(table, at=t("2027-01-15"))["month"]["share"])

    def test_late_removals(self, follow_up):
        late = late_removals(follow_up, start=t("2026-03-01"), end=t("2026-04-10 12:00"), lang="en")
        assert late["id"].tolist() == ["b"]
        assert late["hours_late"].tolist() == [24.0]
        assert late["why"].iloc[0] == "removed after 96.0 h, 24.0 h past the deadline (72 h)"

    def test_removed_after_the_list_time_is_open(self, follow_up):
        assert follow_up.set_index("id").loc["d", "status"] == "open"
        assert pd.isna(follow_up.set_index("id").loc["d", "removed_at"])


class TestErrors:
    def test_naive_times_refused(self):
        frame = gpd.GeoDataFrame(
            {
                "id": ["g"],
                "object_kind": ["other"],
                "reported_at": pd.to_datetime(["2026-06-01"]),
                "removed_at": pd.to_datetime([None]),
            },
            geometry=[Point(0, 0)],
            crs=CRS,
        )
        with pytest.raises(ValueError, match=r"reported_at has dtype datetime64.*expected tz-aware"):
            report_table(frame, at=AT)

    def test_missing_column(self):
        frame = gpd.GeoDataFrame({"id": ["g"]}, geometry=[Point(0, 0)], crs=CRS)
        with pytest.raises(ValueError, match="graffiti lacks column"):
            report_table(frame, at=AT)

    def test_naive_at(self, queue_layer):
        with pytest.raises(ValueError, match=r"at=Timestamp.* is not allowed; expected a tz-aware"):
            report_table(queue_layer, at=pd.Timestamp("2026-06-10"))

    def test_bad_deadline(self, queue_layer):
        with pytest.raises(
            ValueError, match="deadline_hours=-1 is not allowed; expected a positive number of hours"
        ):
            report_table(queue_layer, at=AT, deadline_hours=-1)

    def test_queue_needs_a_report_table(self):
        with pytest.raises(ValueError, match="reports lacks column"):
            removal_queue(pd.DataFrame({"id": ["g"]}))

    def test_removal_before_report(self):
        reports = layer(
            [{"id": "g", "object_kind": "other", "reported_at": "2026-06-02", "removed_at": "2026-06-01"}]
        )
        with pytest.raises(ValueError, match="removed_at is before reported_at"):
            report_table(reports, at=AT)


def test_hours_are_rounded_not_drifting(follow_up):
    assert_allclose(follow_up.set_index("id").loc[["a", "b", "e"], "hours_to_removal"], [71.5, 96.0, 24.0])
