"""The exact requests the URL walk (tests/test_fuzz_urls.py) found answering with a server
error (issue 18), each now answered with a form error or a 4xx."""

import pytest
from django.urls import reverse

from tests.test_permission_matrix import build_world

HUGE = "9" * 40  # beyond SQLite's (and PostgreSQL's) 64-bit integers


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def superuser_client(client, world):
    client.force_login(world.users["superuser"])
    return client


@pytest.mark.parametrize(
    "listing",
    [
        "assessment_review:index",
        "learning_units_citizens:index",
        "learning_units_roles:index",
        "learning_units_units:index",
        "learning_units_areas:index",
        "learning_units_completions:index_results",
    ],
)
@pytest.mark.parametrize("value", [HUGE, "²", "abc", "-1", "1e308"])
def test_listing_filters_take_hostile_values_as_no_filter(superuser_client, listing, value):
    params = dict.fromkeys(["province", "area", "citizen__area", "year", "level"], value)
    params |= {"birth_year_min": value, "score_max": value}
    assert superuser_client.get(reverse(listing), params).status_code == 200


@pytest.mark.parametrize("year", ["-1", "10000", HUGE])
def test_course_completions_year_beyond_a_date_is_a_filter_error(superuser_client, year):
    response = superuser_client.get(
        reverse("learning_units_completions:index_results"), {"year": year}
    )
    assert response.status_code == 200
    assert "year" in response.context["filters"].form.errors


@pytest.mark.parametrize("value", ["abc", "1.5", "\x00", HUGE])
def test_learner_mapping_with_a_hostile_citizen_id_is_a_field_error(superuser_client, value):
    url = reverse("learning_units_learner_mappings:add")
    response = superuser_client.post(url, {"username": "hv", "citizen": value})
    assert response.status_code == 200
    assert "citizen" in response.context["form"].errors


@pytest.mark.parametrize("value", ["abc", "1.5", "\x00", HUGE])
def test_learning_unit_with_a_hostile_head_or_member_id_is_a_field_error(superuser_client, value):
    url = reverse("learning_units_units:add")
    response = superuser_client.post(url, {"name": "Tổ", "head": value, "members": value})
    assert response.status_code == 200
    assert {"head", "members"} <= set(response.context["form"].errors)


@pytest.mark.parametrize("value", ["", "abc", "-1", HUGE])
def test_area_with_a_hostile_level_or_parent_is_a_form_error(superuser_client, value):
    url = reverse("learning_units_areas:add")
    response = superuser_client.post(
        url, {"level": value, "parent": value, "code": "X", "name": "X"}
    )
    assert response.status_code == 200
    assert "level" in response.context["form"].errors


@pytest.mark.parametrize(
    ("url_name", "relation"),
    [("campaigns:add", "assigned_sets"), ("criteria_sets:add", "criteria")],
)
def test_formset_rows_posted_without_their_id_are_a_formset_error(
    superuser_client, url_name, relation
):
    response = superuser_client.post(
        reverse(url_name),
        {f"{relation}-TOTAL_FORMS": "1", f"{relation}-INITIAL_FORMS": "1"},
    )
    assert response.status_code == 200
    assert response.context["form"].formsets[relation].non_form_errors()
