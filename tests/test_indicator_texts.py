"""The fixed text of a frozen set's indicators is rendered once per language and kept
(assessments/indicator_texts.py); a set that is not frozen is never kept."""

import pytest
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import timezone

from assessments.indicator_texts import TEMPLATE, indicator_texts
from assessments.models import Indicator
from assessments.selectors import frozen_tree
from assessments.services.criteria import criteria_set_load
from assessments.services.self_assessment import assessment_start
from assessments.views.step_page import Step
from learning_units.models import CourseCompletion
from tests.factories import (
    CentralAreaFactory,
    CitizenFactory,
    CommuneFactory,
    ProvinceFactory,
    ResidentialAreaFactory,
    UserFactory,
)
from tests.test_self_assessment import citizen_raw, open_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    commune = CommuneFactory(parent=ProvinceFactory(parent=CentralAreaFactory()))
    open_campaign(criteria_set_load(raw=citizen_raw()).criteria_set)
    return CitizenFactory(user=UserFactory(), area=ResidentialAreaFactory(parent=commune))


@pytest.fixture
def texts_rendered():
    """How many times the indicators' text template is rendered."""
    rendered = []

    def count(sender, template, **kwargs):
        if template.name == TEMPLATE:
            rendered.append(template.name)

    template_rendered.connect(count)
    yield rendered
    template_rendered.disconnect(count)


def test_the_step_page_shows_each_indicator_once(client, citizen):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    client.force_login(citizen.user)
    html = client.get(reverse("assessments:step", args=[assessment.pk, 1])).content.decode()
    for indicator in Step(assessment, 1).indicators:
        assert html.count(f'id="indicator-{indicator.pk}"') == 1


def test_a_frozen_sets_text_is_rendered_once_per_language(client, citizen, texts_rendered):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    assert assessment.criteria_set.is_frozen
    client.force_login(citizen.user)
    step = reverse("assessments:step", args=[assessment.pk, 1])
    vietnamese = client.get(step).content.decode()
    first = len(texts_rendered)
    assert first == 9  # every indicator of the set, once
    assert "Chỉ báo 1.1</h2>" in client.get(step).content.decode()
    assert client.get(reverse("assessments:step", args=[assessment.pk, 2])).status_code == 200
    assert len(texts_rendered) == first  # kept: the other part too
    english = client.get("/en" + step).content.decode()
    assert len(texts_rendered) == 2 * first
    assert "Up to 10 points" in english and "Up to 10 points" not in vietnamese


def test_text_is_escaped_once(client, citizen):
    Indicator.objects.filter(code="1.1").update(title="Đọc & viết <b>")
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    client.force_login(citizen.user)
    for _ in range(2):  # rendered, then kept
        html = client.get(reverse("assessments:step", args=[assessment.pk, 1])).content.decode()
        assert "Đọc &amp; viết &lt;b&gt;</h2>" in html


def test_a_set_not_frozen_is_never_kept():
    criteria_set = criteria_set_load(raw=citizen_raw()).criteria_set
    assert not criteria_set.is_frozen
    texts = indicator_texts(criteria_set=frozen_tree(criteria_set), level=2, for_unit=False)
    indicator = Indicator.objects.get(criterion__criteria_set=criteria_set, code="1.1")
    assert "Chỉ báo 1.1" in texts[indicator.pk]
    Indicator.objects.filter(pk=indicator.pk).update(title="Chỉ báo đã sửa")
    texts = indicator_texts(criteria_set=frozen_tree(criteria_set), level=2, for_unit=False)
    assert "Chỉ báo đã sửa" in texts[indicator.pk]


def test_the_kept_proof_fields_follow_the_citizens_courses(client, citizen):
    """The unbound proof fields are kept per indicator, courses and language: a course completed
    after the first visit is offered on the next one."""
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    client.force_login(citizen.user)
    step = reverse("assessments:step", args=[assessment.pk, 1])
    assert "Kỹ năng số cơ bản" not in client.get(step).content.decode()
    CourseCompletion.objects.create(
        citizen=citizen,
        course_title="Kỹ năng số cơ bản",
        provider=CourseCompletion.Provider.OTHER,
        completed_on=timezone.localdate(),
        source=CourseCompletion.Source.MANUAL,
    )
    html = client.get(step).content.decode()
    assert html.count("Kỹ năng số cơ bản") >= len(Step(assessment, 1).indicators)
