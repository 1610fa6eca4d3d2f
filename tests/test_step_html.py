"""The step page's indicators built in Python (assessments/step_html.py) against the reference
template assessments/public/includes/indicator.html, for indicators in every state."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.html import parse_html
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page

from assessments import selectors
from assessments.services.criteria import criteria_set_load
from assessments.services.evidence import evidence_add_course, evidence_add_file, evidence_add_url
from assessments.services.self_assessment import assessment_save_answers, assessment_start
from assessments.step_html import indicator_section, step_nav
from assessments.views.public import Step
from tests.factories import (
    CentralAreaFactory,
    CitizenFactory,
    CommuneFactory,
    ProvinceFactory,
    ResidentialAreaFactory,
    UserFactory,
)
from tests.test_self_assessment import (
    CourseCompletionFactory,
    citizen_raw,
    open_campaign,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


def sections(step, form, request):
    """(Python, template) HTML of every row of the step, parsed for comparison, with the
    indicator's title as a heading of level 2 and 3."""
    for row in step.context(request, form)["rows"]:
        for level in (2, 3):
            built = indicator_section(row, request=request, level=level)
            reference = render_to_string(
                "assessments/public/includes/indicator.html",
                {"row": row, "request": request, "level": level},
            )
            yield row, parse_html(built), parse_html(reference)


@pytest.fixture
def citizen():
    commune = CommuneFactory(parent=ProvinceFactory(parent=CentralAreaFactory()))
    open_campaign(criteria_set_load(raw=citizen_raw()).criteria_set)
    return CitizenFactory(user=UserFactory(), area=ResidentialAreaFactory(parent=commune))


@pytest.fixture
def request_for(citizen):
    request = RequestFactory().get("/")
    request.user = citizen.user
    return request


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_state_of_an_indicator_matches_the_reference_template(citizen, request_for, language):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    course = CourseCompletionFactory(citizen=citizen, course_title="Tin học <cơ bản> & “số”")
    answers = {a.indicator.code: a for a in selectors.answers_with_evidence(assessment)}
    evidence_add_url(answer=answers["1.1"], actor=citizen.user, url="https://example.com/a?b=1&c")
    evidence_add_file(answer=answers["1.1"], actor=citizen.user, uploaded_file=pdf_upload())
    evidence_add_course(answer=answers["1.2"], actor=citizen.user, course_completion=course)
    page = Page.objects.filter(depth=2).first()
    with translation.override(language):
        step = Step(selectors.assessment_for_user(citizen.user, assessment.pk), 1)
        # With errors on every kind of field, as after a refused save.
        form = step.form({"revision": "0"}, {})
        form.is_valid()
        indicators = step.indicators
        form.add_error(f"points_{indicators[0].pk}", "Điểm <sai>")
        form.add_error(f"url_{indicators[1].pk}", "Liên kết sai")
        form.add_error(f"file_{indicators[2].pk}", "Tệp sai")
        step.suggestions = {indicators[2].pk: [course]}
        for unbound in (False, True):
            current = step.form() if unbound else form
            rows = list(sections(step, current, request_for))
            assert len(rows) == 6
            for _row, built, reference in rows:
                assert built == reference
        # Guidance pages and an indicator worked out from members' results.
        original = Step.context

        def with_pages_and_computed(self, request, form):
            context = original(self, request, form)
            context["rows"][0]["pages"] = [page, page]
            context["rows"][1]["computed"] = True
            context["rows"][1]["answer"].self_points = 7
            context["rows"][1]["answer"].note = "Từ kết quả <thành viên>"
            return context

        step.context = with_pages_and_computed.__get__(step)
        for _row, built, reference in sections(step, step.form(), request_for):
            assert built == reference


def test_the_step_page_shows_each_indicator_once(client, citizen):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    client.force_login(citizen.user)
    html = client.get(reverse("assessments:step", args=[assessment.pk, 1])).content.decode()
    for indicator in Step(assessment, 1).indicators:
        assert html.count(f'id="indicator-{indicator.pk}"') == 1


@pytest.mark.parametrize("current", [1, 3, "submit"])
def test_the_parts_navigation_matches_the_reference_template(citizen, current):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    first = Step(assessment, 1).indicators[0]
    assessment_save_answers(
        assessment=assessment, actor=citizen.user, answers={first.pk: ("7,5", "")}
    )
    totals = Step(assessment, 1).totals()
    assert totals[0][1] == Decimal("7.5")
    for language in ("vi", "en"):
        with translation.override(language):
            reference = render_to_string(
                "assessments/public/includes/step_nav.html",
                {"assessment": assessment, "totals": totals, "current": current},
            )
            assert parse_html(step_nav(assessment, totals, current)) == parse_html(reference)
