"""Campaigns: one open per scope, kind and year; which campaign and set apply to an area."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from assessments.models import Campaign, SubjectKind
from assessments.rules import campaign_problems
from assessments.selectors import campaign_for, criteria_set_for
from learning_units.models import AreaLevel
from tests.factories import (
    CentralAreaFactory,
    CommuneFactory,
    ProvinceFactory,
    ResidentialAreaFactory,
    UserFactory,
)
from tests.factories.assessments import (
    CampaignCriteriaSetFactory,
    CampaignFactory,
    CriteriaSetFactory,
    ProvinceCampaignFactory,
    ProvinceDeadlineFactory,
    this_year,
)

YEAR = this_year()


@pytest.fixture
def village(db):
    """A residential area in a commune of a province."""
    return ResidentialAreaFactory()


def province_of(area):
    return area.parent.parent


# One open campaign per scope, kind and year


def test_the_database_allows_only_one_open_campaign_per_scope_kind_and_year(db):
    CampaignFactory()
    with pytest.raises(IntegrityError):
        CampaignFactory()


def test_a_second_open_campaign_is_refused_with_a_message(db):
    first = CampaignFactory()
    second = CampaignFactory.build(scope=first.scope)
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert str(first) in error.value.message_dict["status"][0]


def test_open_campaigns_may_coexist_for_other_scopes_kinds_years_or_when_closed(db):
    national = CampaignFactory()
    CampaignFactory(scope=national.scope, subject_kind=SubjectKind.FAMILY)
    CampaignFactory(scope=national.scope, year=YEAR + 1)
    CampaignFactory(scope=national.scope, status=Campaign.Status.CLOSED)
    CampaignFactory(scope=ProvinceFactory(parent=national.scope))
    assert Campaign.objects.filter(status="open").count() == 4


def test_a_campaign_cannot_close_before_it_opens(db):
    campaign = CampaignFactory.build(
        scope=CentralAreaFactory(), closes_on=datetime.date(YEAR - 1, 12, 31)
    )
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "closes_on" in error.value.message_dict


def test_a_campaign_covers_the_country_or_a_province_only(village):
    with pytest.raises(ValidationError) as error:
        CampaignFactory.build(scope=village.parent).full_clean()
    assert "scope" in error.value.message_dict


# Which campaign applies


def test_campaign_for_prefers_the_provinces_own_campaign(village):
    national = CampaignFactory(scope=province_of(village).parent)
    own = ProvinceCampaignFactory(scope=province_of(village))
    assert campaign_for(area=village, subject_kind="citizen", year=YEAR) == own
    elsewhere = CommuneFactory(parent=ProvinceFactory(parent=national.scope))
    assert campaign_for(area=elsewhere, subject_kind="citizen", year=YEAR) == national


def test_campaign_for_falls_back_to_the_national_campaign(village):
    national = CampaignFactory(scope=province_of(village).parent)
    assert campaign_for(area=village, subject_kind="citizen", year=YEAR) == national


def test_campaign_for_ignores_drafts_other_kinds_and_years(village):
    central = province_of(village).parent
    CampaignFactory(scope=central, status=Campaign.Status.DRAFT)
    CampaignFactory(scope=central, subject_kind=SubjectKind.FAMILY)
    CampaignFactory(scope=central, year=YEAR - 1)
    assert campaign_for(area=village, subject_kind="citizen", year=YEAR) is None


def test_campaign_for_prefers_the_open_campaign_of_a_scope(village):
    province = province_of(village)
    ProvinceCampaignFactory(scope=province, status=Campaign.Status.CLOSED)
    open_campaign = ProvinceCampaignFactory(scope=province)
    assert campaign_for(area=village, subject_kind="citizen", year=YEAR) == open_campaign


def test_campaign_for_gives_the_set_of_each_target_group_in_two_queries(village):
    campaign = CampaignFactory(scope=province_of(village).parent)
    sets = {
        group: CampaignCriteriaSetFactory(
            campaign=campaign, target_group=group, criteria_set__target_group=group
        ).criteria_set
        for group in (1, 2, 3)
    }
    with CaptureQueriesContext(connection) as queries:
        found = campaign_for(area=village, subject_kind="citizen", year=YEAR)
        chosen = {group: criteria_set_for(campaign=found, target_group=group) for group in sets}
    assert chosen == sets
    assert len(queries) <= 4  # campaign, its sets, their criteria sets, deadlines


def test_a_collective_campaign_has_one_set_for_everyone(village):
    campaign = CampaignFactory(scope=province_of(village).parent, subject_kind="family")
    assignment = CampaignCriteriaSetFactory(
        campaign=campaign,
        target_group=None,
        criteria_set__subject_kind="family",
        criteria_set__target_group=None,
    )
    found = campaign_for(area=village, subject_kind="family", year=YEAR)
    assert criteria_set_for(campaign=found) == assignment.criteria_set


def test_a_province_deadline_replaces_the_closing_date_in_that_province(village):
    campaign = CampaignFactory(scope=province_of(village).parent)
    ProvinceDeadlineFactory(
        campaign=campaign, province=province_of(village), closes_on=datetime.date(YEAR, 11, 30)
    )
    other = CommuneFactory(parent=ProvinceFactory(parent=campaign.scope))
    assert campaign.closes_on_for(village) == datetime.date(YEAR, 11, 30)
    assert campaign.closes_on_for(other) == datetime.date(YEAR, 12, 31)
    assert campaign.is_accepting(other, today=datetime.date(YEAR, 12, 15))
    assert not campaign.is_accepting(village, today=datetime.date(YEAR, 12, 15))


# Rules for the sets and deadlines of a campaign


def codes(campaign, assignments=(), deadlines=()):
    problems = campaign_problems(campaign=campaign, assignments=assignments, deadlines=deadlines)
    return sorted(problem.code for problem in problems)


def test_opening_a_citizens_campaign_needs_a_set_for_every_target_group(db):
    campaign = CampaignFactory.build(scope=CentralAreaFactory())
    one = CriteriaSetFactory(target_group=1)
    assert codes(campaign, [(1, one)]) == ["missing_assignment", "missing_assignment"]
    campaign.status = Campaign.Status.DRAFT
    assert codes(campaign, [(1, one)]) == []


def test_a_campaigns_sets_must_match_its_kind_group_year_and_be_published(db):
    campaign = CampaignFactory.build(scope=CentralAreaFactory(), status=Campaign.Status.DRAFT)
    family = CriteriaSetFactory(subject_kind="family", target_group=None)
    group_2 = CriteriaSetFactory(target_group=2)
    draft = CriteriaSetFactory(target_group=3, status="draft")
    expired = CriteriaSetFactory(target_group=1, valid_from_year=2015, valid_to_year=2020)
    assert codes(campaign, [(1, family)]) == ["set_kind"]
    assert codes(campaign, [(1, group_2)]) == ["set_target_group"]
    assert codes(campaign, [(3, draft)]) == ["set_draft"]
    assert codes(campaign, [(1, expired)]) == ["set_not_in_force"]
    assert codes(campaign, [(2, group_2), (2, group_2)]) == ["duplicate_assignment"]


def test_province_deadlines_must_be_inside_the_scope_once_and_after_opening(db):
    scope = ProvinceFactory()
    campaign = CampaignFactory.build(scope=scope, status=Campaign.Status.DRAFT)
    other = ProvinceFactory()
    early = datetime.date(YEAR - 1, 12, 1)
    assert codes(campaign, deadlines=[(other, datetime.date(YEAR, 6, 1))]) == [
        "deadline_outside_scope"
    ]
    assert codes(campaign, deadlines=[(scope, early)]) == ["deadline_before_opening"]
    later = datetime.date(YEAR, 6, 1)
    assert codes(campaign, deadlines=[(scope, later), (scope, later)]) == ["duplicate_deadline"]


# Demo data and admin


def test_the_demo_campaign_is_open_this_year_with_the_three_citizen_sets(db):
    CentralAreaFactory()
    for _ in range(2):
        call_command("load_criteria", "--demo", stdout=io.StringIO())
    campaign = Campaign.objects.get()
    today = timezone.localdate()
    assert (campaign.year, campaign.status, campaign.scope.level) == (
        today.year,
        "open",
        AreaLevel.CENTRAL,
    )
    assert campaign.opens_on <= today <= campaign.closes_on == datetime.date(today.year, 12, 31)
    assert [(a.target_group, a.criteria_set.code) for a in campaign.assigned_sets.all()] == [
        (1, "CONG-DAN-N1"),
        (2, "CONG-DAN-N2"),
        (3, "CONG-DAN-N3"),
    ]
    assert (
        campaign_problems(
            campaign=campaign,
            assignments=[(a.target_group, a.criteria_set) for a in campaign.assigned_sets.all()],
            deadlines=[],
        )
        == []
    )


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="superuser", is_superuser=True, is_staff=True))
    return client


def campaign_form(scope, status="open", assigned=()):
    return nested_form_data(
        {
            "year": YEAR,
            "title": "",
            "subject_kind": "citizen",
            "status": status,
            "scope": scope.pk,
            "opens_on": f"{YEAR}-01-01",
            "closes_on": f"{YEAR}-12-31",
            "assigned_sets": inline_formset(
                [{"target_group": group, "criteria_set": s.pk} for group, s in assigned]
            ),
            "province_deadlines": inline_formset([]),
        }
    )


def test_the_campaign_list_and_form_render_for_a_superuser(admin_client):
    campaign = CampaignFactory()
    for url in [
        "/admin/campaigns/",
        "/admin/campaigns/new/",
        f"/admin/campaigns/edit/{campaign.pk}/",
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_the_admin_creates_an_open_campaign_with_its_three_sets(admin_client):
    sets = [(group, CriteriaSetFactory(target_group=group)) for group in (1, 2, 3)]
    response = admin_client.post(
        "/admin/campaigns/new/", campaign_form(CentralAreaFactory(), assigned=sets)
    )
    assert response.status_code == 302
    assert Campaign.objects.get().assigned_sets.count() == 3


def test_the_admin_explains_why_a_campaign_cannot_open(admin_client):
    existing = CampaignFactory()
    response = admin_client.post(
        "/admin/campaigns/new/", campaign_form(existing.scope, assigned=[])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "đang mở cho cùng địa bàn" in html
    assert "trước khi mở đợt đánh giá" in html
    assert Campaign.objects.count() == 1


def test_the_campaign_admin_is_refused_to_a_user_without_admin_access(client, db):
    client.force_login(UserFactory())
    response = client.get("/admin/campaigns/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
