"""Layer specs: the registry, spec checks, and validation with known answers."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import pandas as pd
import pytest
from shapely import LineString, Point, Polygon

from geo.errors import LayerSpecError
from layers import all_specs, get_spec, layer_names, validate_frame
from layers.dtypes import conform_dtypes
from layers.registry import check_specs, spec_problems
from layers.spec import Column

PRODUCT_LAYERS = ("areas", "incidents", "lighting", "cameras", "graffiti", "flood_risk",
                  "unsafe_places", "facilities")
PROGRAM_LAYERS = ("safety_offices", "guard_areas", "neighbourhood_watch", "vehicle_barriers",
                  "unauthorised_settlements")


def lamps(**columns) -> gpd.GeoDataFrame:
    base = {"id": ["l1", "l2", "l3"], "status": ["working", "broken", "planned"]}
    base.update(columns)
    return gpd.GeoDataFrame(
        base, geometry=[Point(660000, 6590000), Point(660010, 6590000), Point(660020, 6590000)],
        crs="EPSG:3006",
    )


class TestRegistry:
    def test_all_thirteen_layers(self):
        assert set(layer_names()) == set(PRODUCT_LAYERS) | set(PROGRAM_LAYERS)
        assert len(layer_names()) == 13

    @pytest.mark.parametrize("name", PRODUCT_LAYERS + PROGRAM_LAYERS)
    def test_every_spec_is_sound_and_starts_with_id(self, name):
        spec = get_spec(name)
        assert spec_problems(spec) == []
        assert spec.columns[0].name == "id"
        assert spec.sv
        assert spec.en
        assert spec.actions

    def test_two_protected_incident_categories(self):
        protected = get_spec("incidents").column("category").protected_values
        assert set(protected) == {"vald_i_nara_relation", "hedersrelaterat_vald"}

    def test_linked_actions_follow_product(self):
        assert get_spec("graffiti").actions == (7,)
        assert get_spec("lighting").actions == (9,)
        assert get_spec("flood_risk").actions == (26, 37)
        assert get_spec("cameras").actions == (6,)

    def test_unknown_layer_lists_valid_names(self):
        with pytest.raises(LayerSpecError, match=r"unknown layer 'lamps'; valid layers: areas, incidents"):
            get_spec("lamps")

    def test_check_specs_collects_every_problem(self):
        good = get_spec("lighting")
        bad = dataclasses.replace(
            good,
            name="Bad Name",
            sensitivity="secret",
            columns=(Column("x", "text", "x", "x"), *good.columns[1:]),
        )
        with pytest.raises(LayerSpecError) as info:
            check_specs({"bad": bad})
        text = str(info.value)
        for part in ("registered as 'bad'", "snake_case", "first column must be the unique 'id'",
                     "dtype 'text'", "sensitivity 'secret'"):
            assert part in text

    def test_specs_are_cached_objects(self):
        assert all_specs() is all_specs()


class TestValidateKnownAnswers:
    def test_clean_frame_has_no_problems(self):
        assert validate_frame(lamps(), get_spec("lighting")) == []

    def test_category_not_allowed(self):
        problems = validate_frame(lamps(status=["working", "shining", "broken"]), get_spec("lighting"))
        assert [(p.row, p.field) for p in problems] == [(2, "status")]
        assert "'shining' is not allowed; allowed: working, broken, planned" in problems[0].message

    def test_missing_required_field(self):
        frame = lamps().drop(columns="status")
        problems = validate_frame(frame, get_spec("lighting"))
        assert [(p.row, p.field, p.message) for p in problems] == [
            (None, "status", "required column is missing")]

    def test_empty_required_value(self):
        problems = validate_frame(lamps(status=["working", None, ""]), get_spec("lighting"))
        assert [(p.row, p.field) for p in problems] == [(2, "status"), (3, "status")]
        assert all(p.message == "required value is empty" for p in problems)

    def test_wrong_dtype_number(self):
        frame = gpd.GeoDataFrame(
            {"id": ["c1", "c2"], "status": ["active", "active"], "direction_deg": [90, "north"],
             "angle_deg": [90.5, 60], "range_m": [50, 900]},
            geometry=[Point(660000, 6590000)] * 2, crs="EPSG:3006")
        problems = validate_frame(frame, get_spec("cameras"))
        found = {(p.row, p.field): p.message for p in problems}
        assert found == {
            (2, "direction_deg"): "'north' is not a number",
            (2, "range_m"): "900 is out of range; allowed: 1 to 500 m",
        }

    def test_wrong_dtype_datetime_naive_and_text(self):
        naive = lamps(fault_reported_at=pd.to_datetime(["2026-01-01", None, None]))
        problems = validate_frame(naive, get_spec("lighting"))
        assert [(p.row, p.field) for p in problems] == [(None, "fault_reported_at")]
        assert "naive" in problems[0].message
        text = lamps(fault_reported_at=["igår", None, None])
        problems = validate_frame(text, get_spec("lighting"))
        assert "expected tz-aware timestamps" in problems[0].message

    def test_int_column_rejects_fraction(self):
        frame = gpd.GeoDataFrame(
            {"id": ["a"], "code": ["X"], "name": ["A"], "kind": ["deso"], "population": [10.5]},
            geometry=[Polygon([(0, 0), (1, 0), (1, 1)])], crs="EPSG:3006")
        problems = validate_frame(frame, get_spec("areas"))
        assert [str(p) for p in problems] == ["row 1, population: 10.5 is not a whole number"]

    def test_wrong_geometry_type(self):
        frame = lamps()
        frame.loc[1, "geometry"] = LineString([(0, 0), (1, 1)])
        problems = validate_frame(frame, get_spec("lighting"))
        assert [str(p) for p in problems] == [
            "row 2, geometry: geometry type LineString is not allowed; allowed: Point"]

    def test_crs_missing(self):
        frame = lamps().set_crs(None, allow_override=True)
        problems = validate_frame(frame, get_spec("lighting"))
        assert [(p.row, p.field) for p in problems] == [(None, "geometry")]
        assert problems[0].message.startswith("no CRS")

    def test_broken_and_empty_geometry(self):
        bowtie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
        frame = gpd.GeoDataFrame(
            {"id": ["z1", "z2"], "scenario": ["skyfall_100", "flode_200"]},
            geometry=[bowtie, Polygon()], crs="EPSG:3006")
        problems = validate_frame(frame, get_spec("flood_risk"))
        assert [(p.row, p.field) for p in problems] == [(1, "geometry"), (2, "geometry")]
        assert "Self-intersection" in problems[0].message
        assert problems[1].message == "geometry is empty"

    def test_duplicate_ids_within_frame_and_against_store(self):
        frame = lamps(id=["a", "b", "a"])
        problems = validate_frame(frame, get_spec("lighting"), existing_ids={"b"})
        assert sorted(str(p) for p in problems) == [
            "row 2, id: id 'b' already exists in the store",
            "row 3, id: duplicate id 'a' (first at row 1)",
        ]

    def test_row_numbers_as_in_the_file(self):
        problems = validate_frame(lamps(status=["x", "working", "working"]), get_spec("lighting"),
                                  row_numbers=[7, 8, 9])
        assert [p.row for p in problems] == [7]

    def test_every_problem_is_reported_at_once(self):
        frame = lamps(status=["x", "y", "z"]).set_crs(None, allow_override=True)
        assert len(validate_frame(frame, get_spec("lighting"))) == 4

    def test_extra_columns_are_ignored(self):
        assert validate_frame(lamps(note=["a", "b", "c"]), get_spec("lighting")) == []

    def test_text_and_booleans_in_object_columns_checked_value_by_value(self):
        """Object columns of only text (or only booleans) pass at once; one odd value is still found."""
        frame = lamps(lamp_id=pd.Series(["s1", None, "s3"], dtype=object))
        assert validate_frame(frame, get_spec("lighting")) == []
        frame = lamps(lamp_id=pd.Series(["s1", 7, "s3"], dtype=object))
        problems = validate_frame(frame, get_spec("lighting"))
        assert [str(p) for p in problems] == ["row 2, lamp_id: 7 is not text"]

    def test_white_space_only_text_is_empty_in_every_text_dtype(self):
        values = ["working", "\u00a0", " \t\u3000"]
        for dtype in ("str", "string", object):
            problems = validate_frame(lamps(status=pd.Series(values, dtype=dtype)), get_spec("lighting"))
            assert [(p.row, p.message) for p in problems] == [(r, "required value is empty") for r in (2, 3)]


class TestConformDtypes:
    def test_input_is_left_as_it_was(self):
        frame = lamps(status=pd.Series(["working", None, "broken"], dtype="str"))
        before = frame.copy()
        out = conform_dtypes(frame, get_spec("lighting"))
        out.loc[0, "status"] = "planned"
        pd.testing.assert_frame_equal(frame, before)
        assert out["status"].dtype == object
        assert out["status"].tolist() == ["planned", None, "broken"]

    def test_text_without_empty_values_is_plain_objects(self):
        out = conform_dtypes(lamps(), get_spec("lighting"))
        assert out["id"].dtype == object
        assert out["id"].tolist() == ["l1", "l2", "l3"]
        assert [type(v) for v in out["id"]] == [str, str, str]
