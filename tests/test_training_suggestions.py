"""Completed courses suggested as evidence for an indicator, and their one-click attach button."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Evidence
from assessments.services.criteria import criteria_set_load
from assessments.services.evidence import evidence_add_course
from assessments.services.self_assessment import assessment_start
from assessments.suggestions import suggested_completions, tag_key
from home.models import TrainingIndexPage, TrainingMaterialPage
from learning_units.models import CourseCompletion
from tests.factories import CitizenFactory, UserFactory
from tests.test_self_assessment import citizen_raw, open_campaign

pytestmark = pytest.mark.django_db


def completion(citizen, title, *, tags="", provider=CourseCompletion.Provider.MOODLE, course_id=""):
    return CourseCompletion.objects.create(
        citizen=citizen,
        course_title=title,
        provider=provider,
        course_id=course_id,
        completed_on=timezone.localdate() - datetime.timedelta(days=30),
        competency_tags=tags,
        source=CourseCompletion.Source.IMPORT,
    )


@pytest.fixture
def indicators():
    criteria_set = criteria_set_load(raw=citizen_raw()).criteria_set
    found = {}
    for criterion in criteria_set.criteria.all():
        for indicator in criterion.indicators.all():
            found[indicator.code] = indicator
    found["2.1"].competency_tags.add("kỹ năng số", "digital skills")
    found["2.1"].save()
    found["1.2"].competency_tags.add("kế hoạch học tập")
    found["1.2"].save()
    return criteria_set, found


@pytest.fixture
def material_page(db):
    from wagtail.models import Page

    index = TrainingIndexPage(title="Tài liệu", slug="tai-lieu")
    Page.get_first_root_node().get_children().first().add_child(instance=index)
    page = TrainingMaterialPage(
        title="Sinh hoạt câu lạc bộ", summary="S", estimated_hours=1, body=[]
    )
    index.add_child(instance=page)
    return page


def test_completions_match_by_tag_and_by_material_in_a_few_queries(indicators, material_page):
    _set, found = indicators
    material_page.indicators.set([found["1.3"]])  # an indicator with no competency tag
    material_page.save()
    citizen = CitizenFactory()
    lms = completion(citizen, "Tin học văn phòng", tags="Tin học, Kỹ năng số")
    slug_style = completion(citizen, "Digital basics", tags="digital-skills")
    site = completion(
        citizen,
        "Câu lạc bộ",
        provider=CourseCompletion.Provider.SITE,
        course_id=str(material_page.pk),
    )
    completion(citizen, "Ngoại ngữ", tags="ngoại ngữ")  # fits none
    # The same course id from an LMS is not this site's material.
    completion(
        citizen, "Khác", provider=CourseCompletion.Provider.MOODLE, course_id=str(material_page.pk)
    )
    completion(CitizenFactory(), "Người khác", tags="kỹ năng số")  # someone else's
    ids = [indicator.pk for indicator in found.values()]
    with CaptureQueriesContext(connection) as queries:
        suggestions = suggested_completions(citizen=citizen, indicator_ids=ids)
    assert len(queries) == 3  # completions, tags, material links: whatever the numbers
    assert {pk: {c.pk for c in items} for pk, items in suggestions.items()} == {
        found["2.1"].pk: {lms.pk, slug_style.pk},
        found["1.3"].pk: {site.pk},
    }


def test_a_tag_must_match_whole_not_as_part_of_another(indicators):
    _set, found = indicators
    citizen = CitizenFactory()
    completion(citizen, "Kế hoạch", tags="kế hoạch học tập nâng cao, tự học")
    assert suggested_completions(citizen=citizen, indicator_ids=[found["1.2"].pk]) == {}
    fits = completion(citizen, "Kế hoạch 2", tags="tự học,kế hoạch học tập")
    result = suggested_completions(citizen=citizen, indicator_ids=[found["1.2"].pk])
    assert result == {found["1.2"].pk: [fits]}


def test_tags_match_without_accents_case_or_separators(indicators):
    _set, found = indicators
    found["1.2"].competency_tags.add("Đọc sách")
    found["1.2"].save()
    citizen = CitizenFactory()
    slug = completion(citizen, "Số 1", tags="ky-nang-so")
    spaced = completion(citizen, "Số 2", tags="Ky_nang  SO")
    reading = completion(citizen, "Đọc", tags="doc sach")
    completion(citizen, "Khác", tags="ky-nang-song, doc-bao, so")  # unrelated tags
    ids = [found["2.1"].pk, found["1.2"].pk]
    result = suggested_completions(citizen=citizen, indicator_ids=ids)
    assert {pk: {c.pk for c in items} for pk, items in result.items()} == {
        found["2.1"].pk: {slug.pk, spaced.pk},
        found["1.2"].pk: {reading.pk},
    }


@pytest.mark.parametrize(
    "name, written",
    [("Kỹ năng số", "ky-nang-so"), ("Đọc sách", "doc sach"), ("Tự học", " TU_HOC ")],
)
def test_tag_key_ignores_accents_d_case_and_separators(name, written):
    assert tag_key(name) == tag_key(written)
    assert tag_key(name) != tag_key(written + "x")


def test_no_citizen_or_no_indicator_costs_no_query(indicators):
    with CaptureQueriesContext(connection) as queries:
        assert suggested_completions(citizen=None, indicator_ids=[1]) == {}
        assert suggested_completions(citizen=CitizenFactory.build(), indicator_ids=[]) == {}
    assert len(queries) == 0


@pytest.fixture
def assessment(indicators):
    criteria_set, _found = indicators
    open_campaign(criteria_set)
    citizen = CitizenFactory(user=UserFactory())
    return assessment_start(citizen=citizen, actor=citizen.user)


def test_courses_already_attached_to_the_indicator_are_not_suggested(assessment, indicators):
    _set, found = indicators
    citizen = assessment.citizen
    course = completion(citizen, "Tin học", tags="kỹ năng số")
    answer = assessment.answers.get(indicator=found["2.1"])
    answer.assessment = assessment
    ids = [found["2.1"].pk]
    assert suggested_completions(citizen=citizen, indicator_ids=ids, assessment=assessment)
    evidence_add_course(answer=answer, actor=citizen.user, course_completion=course)
    with CaptureQueriesContext(connection) as queries:
        assert (
            suggested_completions(citizen=citizen, indicator_ids=ids, assessment=assessment) == {}
        )
    assert len(queries) == 4  # completions, tags, material links, attached


def test_attach_button_posts_the_course_through_the_step_form(assessment, indicators, client):
    """The include's button, submitted with the step form, attaches the course and keeps points.

    The browser sends the "Add proof" list's empty value first and the button's value last
    (tree order); the step view reads the last one.
    """
    _set, found = indicators
    indicator = found["2.1"]
    citizen = assessment.citizen
    course = completion(citizen, "Tin học", tags="kỹ năng số")
    html = render_to_string(
        "assessments/public/includes/_course_suggestions.html",
        {"indicator": indicator, "suggestions": [course]},
    )
    assert f'form="step-form" name="course_{indicator.pk}" value="{course.pk}"' in html
    criterion_indicators = list(indicator.criterion.indicators.all())
    data = {f"points_{i.pk}": "5" for i in criterion_indicators}
    data[f"course_{indicator.pk}"] = ["", str(course.pk)]
    data["revision"] = str(assessment.revision)
    client.force_login(citizen.user)
    orders = sorted(c.sort_order or 0 for c in assessment.criteria_set.criteria.all())
    number = orders.index(indicator.criterion.sort_order or 0) + 1
    response = client.post(reverse("assessments:step", args=[assessment.pk, number]), data)
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.course_completion == course
    assert evidence.answer.indicator == indicator
    assert evidence.answer.self_points == 5


def test_include_renders_nothing_without_suggestions(indicators):
    _set, found = indicators
    html = render_to_string(
        "assessments/public/includes/_course_suggestions.html",
        {"indicator": found["1.1"], "suggestions": []},
    )
    assert html.strip() == ""


def test_the_step_page_offers_the_fitting_course_on_its_indicator(assessment, indicators, client):
    _set, found = indicators
    indicator = found["2.1"]
    course = completion(assessment.citizen, "Tin học cho nông dân", tags="Kỹ năng số")
    orders = sorted(c.sort_order or 0 for c in assessment.criteria_set.criteria.all())
    number = orders.index(indicator.criterion.sort_order or 0) + 1
    client.force_login(assessment.citizen.user)

    html = client.get(reverse("assessments:step", args=[assessment.pk, number])).content.decode()

    button = f'form="step-form" name="course_{indicator.pk}" value="{course.pk}"'
    assert button in html
    section = html[html.index(f'id="indicator-{indicator.pk}"') :]
    assert section.index(button) < section.index("</section>")
