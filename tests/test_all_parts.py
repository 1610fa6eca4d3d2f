"""All parts of a self-assessment on one page (offered on wide screens), with anchors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import IndicatorAnswer
from assessments.services.criteria import criteria_set_load
from assessments.services.self_assessment import assessment_start
from tests.factories import (
    CentralAreaFactory,
    CitizenFactory,
    CommuneFactory,
    ProvinceFactory,
    ResidentialAreaFactory,
    UserFactory,
)
from tests.test_self_assessment import CourseCompletionFactory, citizen_raw, open_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    commune = CommuneFactory(parent=ProvinceFactory(parent=CentralAreaFactory()))
    return ResidentialAreaFactory(parent=commune)


def started(place, per_criterion=3, code="CD-ALL"):
    criteria_set = criteria_set_load(raw=citizen_raw(per_criterion, code=code)).criteria_set
    campaign = open_campaign(criteria_set, scope=CentralAreaFactory())
    citizen = CitizenFactory(user=UserFactory(), area=place)
    assessment = assessment_start(citizen=citizen, actor=citizen.user, campaign=campaign)
    return citizen, assessment, campaign


def test_every_part_and_indicator_is_on_the_page_with_anchors(client, place):
    citizen, assessment, _campaign = started(place)
    client.force_login(citizen.user)
    html = client.get(reverse("assessments:all_parts", args=[assessment.pk])).content.decode()
    for number in (1, 2, 3):
        assert f'id="part-{number}"' in html and f'href="#part-{number}"' in html
    for answer in assessment.answers.all():
        assert html.count(f'id="indicator-{answer.indicator_id}"') == 1
        assert f'name="points_{answer.indicator_id}"' in html
    assert reverse("assessments:autosave_all", args=[assessment.pk]) in html
    assert "<h3>" not in html.split('id="part-1"')[0]  # the parts are h2, indicators h3
    # and a part's own page links here, for wide screens
    step = client.get(reverse("assessments:step", args=[assessment.pk, 1])).content.decode()
    assert reverse("assessments:all_parts", args=[assessment.pk]) in step


def test_saving_all_parts_at_once_keeps_every_value_and_returns_to_the_page(client, place):
    citizen, assessment, _campaign = started(place)
    answers = list(assessment.answers.order_by("indicator__criterion__sort_order", "pk"))
    data = {"revision": assessment.revision, "action": "save"}
    data.update({f"points_{a.indicator_id}": str(n % 10) for n, a in enumerate(answers)})
    data.update({f"note_{a.indicator_id}": f"ghi chú {n}" for n, a in enumerate(answers)})
    client.force_login(citizen.user)
    url = reverse("assessments:all_parts", args=[assessment.pk])
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    saved = {a.indicator_id: (a.self_points, a.note) for a in IndicatorAnswer.objects.all()}
    for n, answer in enumerate(answers):
        assert saved[answer.indicator_id] == (n % 10, f"ghi chú {n}")
    # "Save and review" goes to the summary before sending
    data.update(revision=assessment.revision + 1, action="next")
    response = client.post(url, data)
    assert response["Location"] == reverse("assessments:submit", args=[assessment.pk])


def test_a_wrong_value_on_the_page_keeps_everything_typed(client, place):
    citizen, assessment, _campaign = started(place)
    answers = list(assessment.answers.order_by("pk"))
    data = {"revision": assessment.revision, "action": "save"}
    data.update({f"points_{a.indicator_id}": "5" for a in answers})
    data[f"points_{answers[-1].indicator_id}"] = "99"
    data[f"note_{answers[0].indicator_id}"] = "điều tôi đã làm"
    client.force_login(citizen.user)
    response = client.post(reverse("assessments:all_parts", args=[assessment.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="99"' in html and "điều tôi đã làm" in html
    assert not IndicatorAnswer.objects.filter(self_points__isnull=False).exists()


def test_autosave_of_all_parts_saves_indicators_of_every_part(client, place):
    citizen, assessment, _campaign = started(place)
    answers = list(assessment.answers.order_by("pk"))
    data = {"revision": assessment.revision}
    data.update({f"points_{a.indicator_id}": "4" for a in answers})
    client.force_login(citizen.user)
    response = client.post(reverse("assessments:autosave_all", args=[assessment.pk]), data)
    assert response.status_code == 200, response.content
    assert response.json()["total"] == str(4 * len(answers))
    assert IndicatorAnswer.objects.filter(self_points=4).count() == len(answers)


def test_another_citizen_gets_404_and_part_zero_has_no_address(client, place):
    citizen, assessment, _campaign = started(place)
    other = CitizenFactory(user=UserFactory(), area=place)
    client.force_login(other.user)
    for name in ("assessments:all_parts", "assessments:autosave_all"):
        url = reverse(name, args=[assessment.pk])
        assert client.post(url, {"revision": 0, "points_1": "5"}).status_code == 404
    assert client.get(reverse("assessments:all_parts", args=[assessment.pk])).status_code == 404
    client.force_login(citizen.user)
    assert client.get(reverse("assessments:step", args=[assessment.pk, 0])).status_code == 404
    url = reverse("assessments:autosave", args=[assessment.pk, 0])
    assert client.post(url, {"revision": 0}).status_code == 404
    assert not IndicatorAnswer.objects.filter(self_points__isnull=False).exists()


def test_the_query_count_does_not_grow_with_the_indicators(client, place):
    counts = []
    for per_criterion in (3, 10):
        citizen, assessment, campaign = started(place, per_criterion, code=f"CD-{per_criterion}")
        CourseCompletionFactory(citizen=citizen)
        client.force_login(citizen.user)
        url = reverse("assessments:all_parts", args=[assessment.pk])
        client.get(url)  # warm the frozen set's cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
        campaign.status = "closed"
        campaign.save()
    assert counts[0] == counts[1]
