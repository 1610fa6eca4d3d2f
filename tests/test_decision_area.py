"""The issuing area of a recognition decision (bulk “Recognise”): only the areas the service
accepts for the selection are offered; a single one is shown as text with a hidden input;
a crafted area is refused with a clear message and nothing is recognised."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentStatus, Recognition
from tests.factories import CommuneFactory, OfficerRoleFactory, ResidentialAreaFactory
from tests.factories.review import make_assessment, review_world_in_admin

pytestmark = pytest.mark.django_db

S = AssessmentStatus


@pytest.fixture
def world(db):
    return review_world_in_admin()


def recognise_url(*assessments):
    return reverse("wagtail_bulk_action", args=["assessments", "assessment", "recognise"]) + (
        "?" + "&".join(f"id={assessment.pk}" for assessment in assessments)
    )


def decision(area):
    return {
        "number": "7/QĐ-KH",
        "decided_on": timezone.localdate().isoformat(),
        "signer": "Chủ tịch Hội",
        "issuing_area": area.pk,
    }


def test_a_commune_officer_sees_their_commune_as_text_with_a_hidden_input(client, world):
    batch = [make_assessment(world, status=S.VERIFIED) for _ in range(2)]
    client.force_login(world.officers["commune"])

    response = client.get(recognise_url(*batch))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<input type="hidden" name="issuing_area" value="{world.commune.pk}">' in html
    assert not re.search(r'<select[^>]*name="issuing_area"', html)
    # Labelled by the field's label, reachable from the keyboard, announced as read-only.
    output = re.search(r'<div class="w-field__textoutput" id="id_issuing_area"[^>]*>([^<]*)<', html)
    assert output and output.group(1).strip() == world.commune.name
    assert 'tabindex="0"' in output.group(0) and 'aria-readonly="true"' in output.group(0)
    assert 'for="id_issuing_area" id="id_issuing_area-label"' in html


def test_the_single_area_recognises_without_a_choice(client, world):
    batch = [make_assessment(world, status=S.VERIFIED) for _ in range(2)]
    client.force_login(world.officers["commune"])

    response = client.post(recognise_url(*batch), decision(world.commune))

    assert response.status_code == 302
    assert set(Recognition.objects.values_list("issuing_area", flat=True)) == {world.commune.pk}


@pytest.mark.parametrize("crafted", ["province", "branch_area", "other_commune"])
def test_a_crafted_area_is_refused_clearly_and_nothing_recognised(client, world, crafted):
    area = {
        "province": world.commune.parent,
        "branch_area": world.branch_area,
        "other_commune": CommuneFactory(),
    }[crafted]
    batch = [make_assessment(world, status=S.VERIFIED) for _ in range(2)]
    client.force_login(world.officers["commune"])

    response = client.post(recognise_url(*batch), decision(area))

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["issuing_area"]
    assert [error.code for error in errors] == ["invalid_choice"]
    assert not Recognition.objects.exists()
    # The form comes back with the officer's own area, ready to send.
    html = response.content.decode()
    assert f'name="issuing_area" value="{world.commune.pk}"' in html


def test_an_agency_board_issues_for_its_agency_branch(client, world):
    staff = make_assessment(world, status=S.VERIFIED, area=world.agency)
    client.force_login(world.officers["agency_board"])

    html = client.get(recognise_url(staff)).content.decode()

    assert f'name="issuing_area" value="{world.agency.pk}"' in html


def test_only_the_areas_holding_the_whole_selection_are_offered(client, world):
    """An officer of two communes recognising in one of them is offered that one only."""
    other_commune = CommuneFactory(parent=world.commune.parent)
    officer = world.officers["commune"]
    OfficerRoleFactory(user=officer, area=other_commune, role="commune")
    mine = make_assessment(world, status=S.VERIFIED)
    client.force_login(officer)

    response = client.post(recognise_url(mine), decision(other_commune))

    assert response.status_code == 200
    assert list(response.context["form"].fields["issuing_area"].queryset) == [world.commune]
    assert not Recognition.objects.exists()


def test_a_superuser_chooses_among_the_areas_holding_the_selection(admin_client, world):
    staff = make_assessment(world, status=S.VERIFIED, area=world.agency)

    response = admin_client.get(recognise_url(staff))

    html = response.content.decode()
    select = re.search(r'<select[^>]*name="issuing_area".*?</select>', html, re.S)
    assert select, "several areas: a select"
    offered = set(re.findall(r'<option value="(\d+)"', select.group(0)))
    assert offered == {str(world.commune.pk), str(world.agency.pk)}


def test_a_selection_spanning_two_communes_offers_no_area(client, world):
    officer = world.officers["commune"]
    other_commune = CommuneFactory(parent=world.commune.parent)
    OfficerRoleFactory(user=officer, area=other_commune, role="commune")
    here = make_assessment(world, status=S.VERIFIED)
    there = make_assessment(
        world, status=S.VERIFIED, area=ResidentialAreaFactory(parent=other_commune)
    )
    client.force_login(officer)

    response = client.post(recognise_url(here, there), decision(world.commune))

    assert response.status_code == 200
    assert not response.context["form"].fields["issuing_area"].queryset.exists()
    assert not Recognition.objects.exists()
