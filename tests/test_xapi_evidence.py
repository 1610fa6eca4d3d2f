"""End to end (issue #20): a course completion an LMS posts as an xAPI statement is a course
the citizen can attach as proof on their self-assessment's step page."""

import json

import pytest
from django.urls import reverse

from assessments.models import Evidence
from learning_units.lms.services import lms_source_create
from learning_units.models import CourseCompletion
from tests.test_training_suggestions import assessment, indicators  # noqa: F401 (fixtures)
from tests.test_xapi import credentials, statement

pytestmark = pytest.mark.django_db


def step_number(indicator):
    orders = sorted(c.sort_order or 0 for c in indicator.criterion.criteria_set.criteria.all())
    return orders.index(indicator.criterion.sort_order or 0) + 1


def test_a_posted_completion_is_offered_and_attached_on_the_step_page(
    assessment,  # noqa: F811
    indicators,  # noqa: F811
    client,
):
    citizen = assessment.citizen
    citizen.email = "an.nguyen@example.vn"
    citizen.save()
    province = citizen.area
    while province.parent_id:
        province = province.parent
    _source, token = lms_source_create(
        user=None, name="Moodle tỉnh", provider="moodle", area=province, matching="email"
    )
    response = client.post(
        "/xapi/statements",
        json.dumps([statement(result={"duration": "PT6H"})]),
        content_type="application/json",
        HTTP_AUTHORIZATION=credentials(token),
        HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
    )
    assert response.status_code == 200, response.content
    course = CourseCompletion.objects.get(citizen=citizen)

    _set, found = indicators
    indicator = found["2.1"]
    url = reverse("assessments:step", args=[assessment.pk, step_number(indicator)])
    client.force_login(citizen.user)
    html = client.get(url).content.decode()
    assert f'name="course_{indicator.pk}"' in html
    assert f'<option value="{course.pk}">' in html and "Kỹ năng số cơ bản" in html

    data = {f"points_{i.pk}": "5" for i in indicator.criterion.indicators.all()}
    data[f"course_{indicator.pk}"] = str(course.pk)
    data["revision"] = str(assessment.revision)
    response = client.post(url, data)
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.course_completion == course and evidence.answer.indicator == indicator
