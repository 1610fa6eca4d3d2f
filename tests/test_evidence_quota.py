"""Evidence per assessment is held to a number of files and links and a total size."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from assessments.models import AssessmentStatus, Evidence
from assessments.services.evidence import evidence_add_file, evidence_add_url, evidence_remove
from tests.factories import CitizenFactory, UserFactory
from tests.factories.review import make_assessment, review_world


def pdf(size):
    return SimpleUploadedFile("giay-khen.pdf", b"%PDF-1.4\n" + b"0" * size + b"\n%%EOF\n")


@pytest.fixture
def draft(db):
    world = review_world()
    assessment = make_assessment(world, status=AssessmentStatus.DRAFT)
    return world, assessment


def test_files_and_links_stop_at_the_count(draft, settings):
    settings.CDHT_EVIDENCE_MAX_ITEMS_PER_ASSESSMENT = 3
    world, assessment = draft
    actor = world.officers["branch"]
    answers = list(assessment.answers.all())
    for answer in answers:  # one object, as the step view does: each edit bumps its revision
        answer.assessment = assessment
    evidence_add_file(answer=answers[0], actor=actor, uploaded_file=pdf(10))
    evidence_add_url(answer=answers[-1], actor=actor, url="https://example.vn/a")
    last = evidence_add_file(answer=answers[-1], actor=actor, uploaded_file=pdf(10))
    with pytest.raises(ValidationError) as caught:
        evidence_add_url(answer=answers[0], actor=actor, url="https://example.vn/b")
    assert caught.value.code == "evidence_quota"
    with pytest.raises(ValidationError):
        evidence_add_file(answer=answers[0], actor=actor, uploaded_file=pdf(10))
    assert Evidence.objects.filter(answer__assessment=assessment).count() == 3
    last.answer.assessment = assessment
    evidence_remove(evidence=last, actor=actor)  # room again
    evidence_add_url(answer=answers[0], actor=actor, url="https://example.vn/b")


def test_files_stop_at_the_total_size(draft, settings):
    settings.CDHT_EVIDENCE_MAX_TOTAL_BYTES_PER_ASSESSMENT = 2500
    world, assessment = draft
    actor = world.officers["branch"]
    answer = assessment.answers.first()
    evidence_add_file(answer=answer, actor=actor, uploaded_file=pdf(1000))
    evidence_add_file(answer=answer, actor=actor, uploaded_file=pdf(1000))
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        evidence_add_file(answer=answer, actor=actor, uploaded_file=pdf(1000))
    assert caught.value.code == "evidence_quota"
    assert "dung lượng" in caught.value.messages[0]
    assert Evidence.objects.filter(answer__assessment=assessment).count() == 2


def test_another_assessment_has_its_own_quota(draft, settings):
    settings.CDHT_EVIDENCE_MAX_ITEMS_PER_ASSESSMENT = 1
    world, assessment = draft
    actor = world.officers["branch"]
    evidence_add_url(answer=assessment.answers.first(), actor=actor, url="https://example.vn/a")
    other = make_assessment(world, status=AssessmentStatus.DRAFT)
    evidence_add_url(answer=other.answers.first(), actor=actor, url="https://example.vn/a")


def test_the_step_page_shows_the_quota_on_the_field_and_keeps_the_rest(client, db, settings):
    settings.CDHT_EVIDENCE_MAX_ITEMS_PER_ASSESSMENT = 1
    world = review_world()
    citizen = CitizenFactory(area=world.branch_area, user=UserFactory())
    assessment = make_assessment(world, status=AssessmentStatus.DRAFT, citizen=citizen)
    first, second = (indicator.pk for indicator in world.indicators[:2])  # both in part 1
    client.force_login(citizen.user)
    url = reverse("assessments:step", args=[assessment.pk, 1])
    data = {"revision": 0, f"url_{first}": "https://example.vn/a", "action": "save"}
    assert client.post(url, data).status_code in (200, 302)
    assessment.refresh_from_db()
    response = client.post(
        url,
        {
            "revision": assessment.revision,
            f"url_{second}": "https://example.vn/b",
            "action": "save",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "mức tối đa cho phép" in page  # the quota message, in Vietnamese, on the page
    assert Evidence.objects.filter(answer__assessment=assessment).count() == 1
