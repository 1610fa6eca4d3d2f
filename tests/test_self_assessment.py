"""Self-assessment: services (start, answers, evidence, submit) and the public views."""

import datetime
import zoneinfo
from decimal import Decimal

import factory
import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import conf as assessments_conf
from assessments.models import Assessment, AssessmentStatus, Evidence, ReviewEvent
from assessments.services.criteria import criteria_set_load
from assessments.services.evidence import (
    evidence_add_course,
    evidence_add_file,
    evidence_add_url,
    evidence_max_bytes,
)
from assessments.services.self_assessment import (
    assessment_save_answers,
    assessment_start,
    assessment_submit,
)
from learning_units.models import CourseCompletion
from tests.factories import (
    CentralAreaFactory,
    CitizenFactory,
    CommuneFactory,
    LearningUnitFactory,
    OfficerRoleFactory,
    ProvinceFactory,
    ResidentialAreaFactory,
    UserFactory,
)
from tests.factories.assessments import (
    CampaignCriteriaSetFactory,
    CampaignFactory,
    ProvinceDeadlineFactory,
    unit_raw,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


class CourseCompletionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseCompletion

    citizen = factory.SubFactory(CitizenFactory)
    course_title = "Kỹ năng số cơ bản"
    provider = CourseCompletion.Provider.SITE
    completed_on = TODAY - datetime.timedelta(days=30)
    source = CourseCompletion.Source.SITE


def citizen_raw(per_criterion=3, code="CD-THU"):
    """A citizens' set of three criteria with `per_criterion` 10-point indicators each."""
    criteria = [
        {
            "code": str(c),
            "title": f"Năng lực {c}",
            "max_points": 10 * per_criterion,
            "indicators": [
                {
                    "code": f"{c}.{n}",
                    "title": f"Chỉ báo {c}.{n}",
                    "guidance": f"Giải thích {c}.{n}.",
                    "max_points": 10,
                    "evidence_required": n == 1,
                }
                for n in range(1, per_criterion + 1)
            ],
        }
        for c in range(1, 4)
    ]
    total = 30 * per_criterion
    return unit_raw(
        code=code,
        subject_kind="citizen",
        target_group=1,
        total_points=total,
        pass_mark=total // 2,
        rating_bands=[{"label": "Đạt", "min_points": total // 2}],
        criteria=criteria,
    )


@pytest.fixture
def place():
    central = CentralAreaFactory()
    province = ProvinceFactory(parent=central)
    commune = CommuneFactory(parent=province)
    return ResidentialAreaFactory(parent=commune)


def open_campaign(criteria_set, **kwargs):
    campaign = CampaignFactory(
        year=TODAY.year,
        opens_on=datetime.date(TODAY.year, 1, 1),
        closes_on=datetime.date(TODAY.year, 12, 31),
        subject_kind=criteria_set.subject_kind,
        **kwargs,
    )
    CampaignCriteriaSetFactory(
        campaign=campaign, criteria_set=criteria_set, target_group=criteria_set.target_group
    )
    return campaign


@pytest.fixture
def citizen_set():
    return criteria_set_load(raw=citizen_raw()).criteria_set


@pytest.fixture
def campaign(citizen_set):
    return open_campaign(citizen_set)


@pytest.fixture
def citizen(place, campaign):
    return CitizenFactory(user=UserFactory(), area=place)


def fill_all(assessment, points=8):
    answers = {a.indicator_id: (points, "") for a in assessment.answers.all()}
    assessment_save_answers(assessment=assessment, actor=assessment.citizen.user, answers=answers)


def attach_required(assessment):
    for answer in assessment.answers.filter(indicator__evidence_required=True):
        evidence_add_url(answer=answer, actor=assessment.citizen.user, url="https://example.com/a")


def pdf_upload(name="chung-nhan.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- Start ---


def test_start_freezes_the_set_creates_empty_answers_and_a_start_event(citizen, citizen_set):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    citizen_set.refresh_from_db()
    assert citizen_set.is_frozen
    assert assessment.status == AssessmentStatus.DRAFT
    assert (assessment.area, assessment.year, assessment.target_group) == (
        citizen.area,
        TODAY.year,
        1,
    )
    assert assessment.answers.count() == 9
    assert not assessment.answers.filter(self_points__isnull=False).exists()
    event = assessment.events.get()
    assert (event.action, event.to_status, event.on_behalf) == ("start", "draft", False)
    assert assessment.entered_by is None


def test_a_second_start_in_the_same_year_is_refused_and_points_to_the_first(citizen):
    first = assessment_start(citizen=citizen, actor=citizen.user)
    with pytest.raises(ValidationError) as caught:
        assessment_start(citizen=citizen, actor=citizen.user)
    assert caught.value.code == "already_started"
    assert caught.value.assessment == first
    assert Assessment.objects.count() == 1


def test_start_without_an_open_campaign_says_so(place, citizen_set):
    citizen = CitizenFactory(user=UserFactory(), area=place)
    with pytest.raises(ValidationError, match="chưa có đợt đánh giá"):
        assessment_start(citizen=citizen, actor=citizen.user)


# --- Answers ---


@pytest.mark.parametrize("points", ["-1", "10.5", "abc", "7.555"])
def test_points_out_of_bounds_or_not_numbers_are_refused_naming_the_indicator(citizen, points):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    answer = assessment.answers.select_related("indicator").first()
    with pytest.raises(ValidationError) as caught:
        assessment_save_answers(
            assessment=assessment, actor=citizen.user, answers={answer.indicator_id: (points, "")}
        )
    message = caught.value.message_dict[str(answer.indicator_id)][0]
    assert answer.indicator.code in message
    answer.refresh_from_db()
    assert answer.self_points is None
    assessment.refresh_from_db()
    assert assessment.revision == 0


def test_saving_answers_scores_on_the_server_and_bumps_the_revision(citizen):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    fill_all(assessment, points="7,5")  # a Vietnamese decimal comma
    assessment.refresh_from_db()
    assert assessment.self_total == Decimal("67.5")
    assert assessment.band == "Đạt"
    assert assessment.passed is True
    assert assessment.revision == 1


def test_a_stale_autosave_is_refused_instead_of_overwriting(citizen):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    indicator_id = assessment.answers.first().indicator_id
    assessment_save_answers(
        assessment=assessment,
        actor=citizen.user,
        answers={indicator_id: ("9", "newer")},
        expected_revision=0,
    )
    with pytest.raises(ValidationError) as caught:
        assessment_save_answers(
            assessment=Assessment.objects.get(pk=assessment.pk),
            actor=citizen.user,
            answers={indicator_id: ("1", "older")},
            expected_revision=0,
        )
    assert caught.value.code == "stale"
    assert assessment.answers.get(indicator_id=indicator_id).note == "newer"


def test_editing_a_returned_assessment_brings_it_back_to_draft_with_an_event(citizen):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    Assessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.RETURNED)
    assessment.refresh_from_db()
    indicator_id = assessment.answers.first().indicator_id
    assessment_save_answers(
        assessment=assessment, actor=citizen.user, answers={indicator_id: ("5", "")}
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    event = assessment.events.last()
    assert (event.from_status, event.to_status) == ("returned", "draft")


def test_answers_cannot_change_after_submit(citizen):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    fill_all(assessment)
    attach_required(assessment)
    assessment_submit(assessment=assessment, actor=citizen.user)
    with pytest.raises(ValidationError) as caught:
        fill_all(assessment, points=1)
    assert caught.value.code == "locked"
    assert assessment.answers.filter(self_points=1).count() == 0


# --- Evidence ---


def test_a_real_pdf_is_stored_privately_and_marks_the_assessment(citizen):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    answer = assessment.answers.first()
    evidence = evidence_add_file(answer=answer, actor=citizen.user, uploaded_file=pdf_upload())
    assert evidence.content_type == "application/pdf"
    assert evidence.file.name.startswith(f"evidence/{TODAY.year}/")
    assert "/private" in evidence.file.path
    assessment.refresh_from_db()
    assert assessment.has_evidence


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("virus.exe", PDF, "file_type"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf at all", "file_content"),
        ("photo.jpg", PNG, "file_content"),  # a PNG named .jpg: content decides
    ],
)
def test_evidence_files_are_checked_by_their_content(citizen, name, content, code):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    with pytest.raises(ValidationError) as caught:
        evidence_add_file(
            answer=assessment.answers.first(),
            actor=citizen.user,
            uploaded_file=pdf_upload(name, content),
        )
    assert caught.value.code == code
    assert not Evidence.objects.exists()


def test_a_too_large_file_is_refused_with_the_limit(citizen, settings):
    settings.CDHT_EVIDENCE_MAX_BYTES = 1000
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    with pytest.raises(ValidationError, match="tối đa") as caught:
        evidence_add_file(
            answer=assessment.answers.first(),
            actor=citizen.user,
            uploaded_file=pdf_upload(content=PDF + b"0" * 2000),
        )
    assert caught.value.code == "file_size"


@pytest.mark.parametrize("url", ["ftp://example.com/a", "javascript:alert(1)", "example"])
def test_a_link_must_be_http_or_https(citizen, url):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    with pytest.raises(ValidationError, match="https://"):
        evidence_add_url(answer=assessment.answers.first(), actor=citizen.user, url=url)


def test_somebody_elses_course_cannot_be_attached(citizen):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    other_course = CourseCompletionFactory(citizen=CitizenFactory(area=citizen.area))
    with pytest.raises(ValidationError) as caught:
        evidence_add_course(
            answer=assessment.answers.first(), actor=citizen.user, course_completion=other_course
        )
    assert caught.value.code == "course_owner"
    own = CourseCompletionFactory(citizen=citizen)
    evidence_add_course(
        answer=assessment.answers.first(), actor=citizen.user, course_completion=own
    )
    assert Evidence.objects.get().course_completion == own


# --- Submit ---


def test_submit_lists_missing_answers_and_missing_required_evidence(citizen):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    first = assessment.answers.select_related("indicator").order_by("indicator__code").first()
    assessment_save_answers(
        assessment=assessment, actor=citizen.user, answers={first.indicator_id: ("5", "")}
    )
    with pytest.raises(ValidationError) as caught:
        assessment_submit(assessment=assessment, actor=citizen.user)
    messages = caught.value.messages
    assert "Chỉ báo 1.1: hãy đính kèm ít nhất một minh chứng." in messages
    assert "Chỉ báo 1.2: hãy tự chấm điểm." in messages
    assert len(messages) == 9  # 8 without points, 1.1 without its evidence
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_submit_outside_the_campaign_dates_is_refused(citizen):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    fill_all(assessment)
    attach_required(assessment)
    with pytest.raises(ValidationError) as caught:
        assessment_submit(
            assessment=assessment, actor=citizen.user, today=datetime.date(TODAY.year + 1, 1, 2)
        )
    assert caught.value.code == "closed"
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def last_years_round_closing_on_15_january(criteria_set):
    """Last year's round, still open until 15 January (units' dossiers are due then)."""
    last_year = TODAY.year - 1
    campaign = CampaignFactory(
        year=last_year,
        opens_on=datetime.date(last_year, 1, 1),
        closes_on=datetime.date(TODAY.year, 1, 15),
        subject_kind=criteria_set.subject_kind,
    )
    CampaignCriteriaSetFactory(
        campaign=campaign, criteria_set=criteria_set, target_group=criteria_set.target_group
    )
    return campaign


def on(day):
    """Time frozen at 09:00 of `day` in the site's time zone."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9), zone), tick=False)


def test_in_january_last_years_round_is_offered_and_started_until_it_closes(
    client, place, citizen_set
):
    campaign = last_years_round_closing_on_15_january(citizen_set)
    citizen = CitizenFactory(user=UserFactory(), area=place)
    client.force_login(citizen.user)
    with on(datetime.date(TODAY.year, 1, 10)):
        rounds = client.get(reverse("assessments:mine")).context["own"]
        assessment = assessment_start(citizen=citizen, actor=citizen.user)
    assert (rounds["campaign"], rounds["accepting"]) == (campaign, True)
    assert (assessment.campaign, assessment.year) == (campaign, TODAY.year - 1)


def test_after_last_years_round_closes_in_january_nothing_is_started(place, citizen_set):
    last_years_round_closing_on_15_january(citizen_set)
    citizen = CitizenFactory(user=UserFactory(), area=place)
    with on(datetime.date(TODAY.year, 1, 16)), pytest.raises(ValidationError) as caught:
        assessment_start(citizen=citizen, actor=citizen.user)
    assert caught.value.code == "no_campaign"


def test_a_province_deadline_closes_earlier_for_that_province(citizen, campaign):
    province = citizen.area.parent.parent
    ProvinceDeadlineFactory(
        campaign=campaign, province=province, closes_on=datetime.date(TODAY.year, 6, 30)
    )
    assessment = assessment_start(
        citizen=citizen, actor=citizen.user, today=datetime.date(TODAY.year, 6, 1)
    )
    fill_all(assessment)
    attach_required(assessment)
    with pytest.raises(ValidationError, match="đã đóng ngày"):
        assessment_submit(
            assessment=assessment, actor=citizen.user, today=datetime.date(TODAY.year, 7, 1)
        )
    assessment_submit(
        assessment=assessment, actor=citizen.user, today=datetime.date(TODAY.year, 6, 30)
    )
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_a_double_submit_submits_once(citizen):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    fill_all(assessment)
    attach_required(assessment)
    stale_copy = Assessment.objects.get(pk=assessment.pk)
    assessment_submit(assessment=assessment, actor=citizen.user)
    with pytest.raises(ValidationError) as caught:
        assessment_submit(assessment=stale_copy, actor=citizen.user)
    assert caught.value.code == "already_submitted"
    assert assessment.events.filter(action="submit").count() == 1
    assert assessment.submitted_at is not None


# --- Officers on a citizen's behalf ---


def officer_over(area):
    return OfficerRoleFactory(area=area).user


def test_an_officer_acting_on_behalf_is_recorded(citizen):
    officer = officer_over(citizen.area)
    assessment = assessment_start(citizen=citizen, actor=officer)
    fill_all(assessment)  # the citizen's own edits do not erase who helped
    attach_required(assessment)
    assessment_submit(assessment=assessment, actor=officer)
    assessment.refresh_from_db()
    assert assessment.entered_by == officer
    assert list(assessment.events.filter(on_behalf=True).values_list("action", flat=True)) == [
        "start",
        "submit",
    ]


# --- Learning units: members' results ---


def test_a_units_members_results_come_from_members_recognised_that_year(place):
    raw = unit_raw(subject_kind="family", code="GD-THU")
    raw["criteria"][2]["indicators"][0]["is_members_result"] = True
    unit_set = criteria_set_load(raw=raw).criteria_set
    open_campaign(unit_set)
    head = CitizenFactory(user=UserFactory(), area=place)
    members = [CitizenFactory(area=place) for _ in range(4)]
    unit = LearningUnitFactory(area=place, head=head)
    unit.members.set(members)
    citizen_set = criteria_set_load(raw=citizen_raw(code="CD-KHAC")).criteria_set
    citizen_campaign = open_campaign(citizen_set)
    for member, status in zip(members, ["recognised", "submitted", "recognised"], strict=False):
        Assessment.objects.create(
            campaign=citizen_campaign,
            criteria_set=citizen_set,
            citizen=member,
            area=place,
            year=TODAY.year,
            status=status,
        )
    assessment = assessment_start(learning_unit=unit, actor=head.user)
    computed = assessment.answers.get(indicator__code="3.1")
    assert computed.self_points == Decimal("5.00")  # 2 of 4 members × 10 points
    assert "2 trên 4" in computed.note
    # What a client sends for a computed indicator is ignored.
    assessment_save_answers(
        assessment=assessment, actor=head.user, answers={computed.indicator_id: ("10", "")}
    )
    computed.refresh_from_db()
    assert computed.self_points == Decimal("5.00")
    assessment.refresh_from_db()
    assert assessment.self_total == Decimal("5.00")


# --- Views: permissions ---


def test_the_head_self_assesses_the_unit_and_a_member_cannot(client, place):
    unit_set = criteria_set_load(raw=unit_raw(subject_kind="family", code="GD-XEM")).criteria_set
    open_campaign(unit_set)
    head = CitizenFactory(user=UserFactory(), area=place)
    member = CitizenFactory(user=UserFactory(), area=place)
    unit = LearningUnitFactory(area=place, head=head, name="Gia đình bà Thu")
    unit.members.set([head, member])

    client.force_login(head.user)
    assert "Gia đình bà Thu" in client.get(reverse("assessments:mine")).content.decode()
    response = client.post(reverse("assessments:start"), {"unit": unit.pk})
    assessment = Assessment.objects.get(learning_unit=unit)
    assert response.url == reverse("assessments:step", args=[assessment.pk, 1])
    assert client.get(response.url).status_code == 200

    client.force_login(member.user)
    assert "Gia đình bà Thu" not in client.get(reverse("assessments:mine")).content.decode()
    assert client.get(reverse("assessments:step", args=[assessment.pk, 1])).status_code == 404
    assert client.post(reverse("assessments:start"), {"unit": unit.pk}).status_code == 404
    assert Assessment.objects.filter(learning_unit=unit).count() == 1


@pytest.fixture
def two_citizens(citizen, place):
    other = CitizenFactory(user=UserFactory(), area=place)
    theirs = assessment_start(citizen=other, actor=other.user)
    evidence = evidence_add_file(
        answer=theirs.answers.first(), actor=other.user, uploaded_file=pdf_upload()
    )
    return citizen, theirs, evidence


def test_a_citizen_cannot_read_or_post_to_someone_elses_assessment(client, two_citizens):
    citizen, theirs, evidence = two_citizens
    client.force_login(citizen.user)
    indicator_id = theirs.answers.first().indicator_id
    for name, args in [
        ("assessments:overview", [theirs.pk]),
        ("assessments:step", [theirs.pk, 1]),
        ("assessments:submit", [theirs.pk]),
        ("assessments:evidence", [evidence.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    for name in ("assessments:step", "assessments:autosave"):
        response = client.post(
            reverse(name, args=[theirs.pk, 1]), {f"points_{indicator_id}": "10", "revision": 0}
        )
        assert response.status_code == 404
    assert client.post(reverse("assessments:submit", args=[theirs.pk])).status_code == 404
    assert not theirs.answers.filter(self_points__isnull=False).exists()


def test_evidence_downloads_only_for_its_owner_as_an_attachment(client, two_citizens):
    _citizen, theirs, evidence = two_citizens
    client.force_login(theirs.citizen.user)
    response = client.get(reverse("assessments:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    client.logout()
    response = client.get(reverse("assessments:evidence", args=[evidence.pk]))
    assert response.status_code == 302  # to the log-in page


def test_an_officer_outside_the_jurisdiction_gets_404(client, two_citizens):
    _citizen, theirs, evidence = two_citizens
    elsewhere = officer_over(ResidentialAreaFactory())
    client.force_login(elsewhere)
    assert client.get(reverse("assessments:overview", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("assessments:evidence", args=[evidence.pk])).status_code == 404
    inside = officer_over(theirs.area.parent)  # the commune above the village
    client.force_login(inside)
    assert client.get(reverse("assessments:overview", args=[theirs.pk])).status_code == 200


def test_officer_starts_on_behalf_through_the_public_route(client, citizen):
    officer = officer_over(citizen.area)
    client.force_login(officer)
    page = client.get(reverse("assessments:on_behalf_citizen", args=[citizen.pk]))
    assert page.status_code == 200
    response = client.post(reverse("assessments:start"), {"citizen": citizen.pk})
    assessment = Assessment.objects.get(citizen=citizen)
    assert response.url == reverse("assessments:step", args=[assessment.pk, 1])
    assert assessment.entered_by == officer
    outsider = CitizenFactory(area=ResidentialAreaFactory())
    assert client.post(reverse("assessments:start"), {"citizen": outsider.pk}).status_code == 404


# --- Views: the flow ---


def test_my_assessments_offers_to_start_and_a_double_click_lands_on_the_same_one(client, citizen):
    client.force_login(citizen.user)
    page = client.get(reverse("assessments:mine"))
    assert b'action="/assessments/start/"' in page.content
    first = client.post(reverse("assessments:start"))
    second = client.post(reverse("assessments:start"))
    assert first.url == second.url
    assert Assessment.objects.count() == 1


def test_a_step_post_saves_attaches_and_keeps_what_was_typed_on_errors(client, citizen):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    client.force_login(citizen.user)
    ids = [
        i.pk for i in assessment.criteria_set.criteria.order_by("sort_order")[0].indicators.all()
    ]
    url = reverse("assessments:step", args=[assessment.pk, 1])
    response = client.post(
        url,
        {
            "revision": 0,
            f"points_{ids[0]}": "8",
            f"note_{ids[0]}": "Tôi đọc báo mỗi ngày",
            f"points_{ids[1]}": "12",
            "action": "next",
        },
    )
    assert response.status_code == 200
    assert "điểm phải từ 0 đến 10" in response.content.decode()
    assert "Tôi đọc báo mỗi ngày" in response.content.decode()  # nothing typed is lost
    assert not assessment.answers.filter(self_points__isnull=False).exists()

    response = client.post(
        url,
        {
            "revision": 0,
            f"points_{ids[0]}": "8",
            f"file_{ids[0]}": pdf_upload(),
            f"url_{ids[1]}": "https://example.com/so-tay",
            "action": "next",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("assessments:step", args=[assessment.pk, 2])
    assert Evidence.objects.filter(answer__assessment=assessment).count() == 2


def test_a_stale_step_post_keeps_the_values_and_offers_the_new_revision(client, citizen):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    fill_all(assessment)  # revision 1 elsewhere
    client.force_login(citizen.user)
    indicator_id = assessment.answers.first().indicator_id
    response = client.post(
        reverse("assessments:step", args=[assessment.pk, 1]),
        {"revision": 0, f"points_{indicator_id}": "3", f"note_{indicator_id}": "của tôi"},
    )
    content = response.content.decode()
    assert "đã được sửa ở nơi khác" in content
    assert "của tôi" in content
    assert 'name="revision" value="1"' in content


def test_autosave_returns_totals_and_refuses_a_stale_revision(client, citizen):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    client.force_login(citizen.user)
    indicator_id = assessment.answers.first().indicator_id
    url = reverse("assessments:autosave", args=[assessment.pk, 1])
    response = client.post(url, {"revision": 0, f"points_{indicator_id}": "6.5"})
    assert response.status_code == 200
    assert response.json()["total"] == "6.5"
    assert response.json()["revision"] == 1
    stale = client.post(url, {"revision": 0, f"points_{indicator_id}": "1"})
    assert stale.status_code == 409
    assert client.post(url, {"revision": 1, f"points_{indicator_id}": "-2"}).status_code == 400
    client.logout()
    expired = client.post(url, {"revision": 1, f"points_{indicator_id}": "1"})
    assert expired.status_code == 401
    assert "next=" in expired.json()["login"]


def test_a_step_of_a_submitted_assessment_cannot_be_posted(client, citizen):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    fill_all(assessment)
    attach_required(assessment)
    assessment_submit(assessment=assessment, actor=citizen.user)
    client.force_login(citizen.user)
    indicator_id = assessment.answers.first().indicator_id
    response = client.post(
        reverse("assessments:step", args=[assessment.pk, 1]),
        {"revision": 2, f"points_{indicator_id}": "1"},
    )
    assert response.url == reverse("assessments:overview", args=[assessment.pk])
    assert not assessment.answers.filter(self_points=1).exists()


def test_the_status_page_shows_officer_comments(client, citizen):
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    ReviewEvent.objects.create(
        assessment=assessment,
        action="return",
        from_status="submitted",
        to_status="returned",
        comment="Thiếu ảnh chụp giấy chứng nhận.",
    )
    client.force_login(citizen.user)
    response = client.get(reverse("assessments:overview", args=[assessment.pk]))
    assert "Thiếu ảnh chụp giấy chứng nhận." in response.content.decode()


def test_the_step_page_query_count_does_not_grow_with_the_indicators(client, place):
    counts = []
    for per_criterion in (3, 10):
        criteria_set = criteria_set_load(
            raw=citizen_raw(per_criterion, code=f"CD-{per_criterion}")
        ).criteria_set
        citizen = CitizenFactory(user=UserFactory(), area=place)
        campaign = open_campaign(criteria_set, scope=CentralAreaFactory())
        assessment = assessment_start(citizen=citizen, actor=citizen.user, campaign=campaign)
        for answer in assessment.answers.all()[:3]:
            evidence_add_url(answer=answer, actor=citizen.user, url="https://example.com/")
        CourseCompletionFactory(citizen=citizen)
        client.force_login(citizen.user)
        client.get(reverse("assessments:step", args=[assessment.pk, 1]))  # warm caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("assessments:step", args=[assessment.pk, 1]))
        assert response.status_code == 200
        counts.append(len(queries))
        campaign.status = "closed"
        campaign.save()
    assert counts[0] == counts[1]


def test_services_module_exposes_the_size_limit_setting_default():
    assert evidence_max_bytes() == 5 * 1024 * 1024


@override_settings(CDHT_EVIDENCE_MAX_BYTES=1234)
def test_the_size_limit_setting_is_honoured():
    assert evidence_max_bytes() == 1234


def test_the_size_limit_default_is_the_documented_one_of_assessments_conf(monkeypatch):
    monkeypatch.setitem(assessments_conf.DEFAULTS, "EVIDENCE_MAX_BYTES", 4321)
    assert evidence_max_bytes() == 4321


def test_a_step_sent_after_the_session_expired_comes_back_after_log_in(client, citizen):
    """Without JavaScript: the typed values wait in the session, nothing is saved meanwhile."""
    assessment = assessment_start(citizen=citizen, actor=citizen.user)
    first = assessment.criteria_set.criteria.order_by("sort_order")[0].indicators.first()
    url = reverse("assessments:step", args=[assessment.pk, 1])

    response = client.post(
        url, {f"points_{first.pk}": "7", f"note_{first.pk}": "Đọc sách mỗi tối", "revision": "0"}
    )
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not assessment.answers.filter(self_points__isnull=False).exists()

    logged_in = client.post(
        response.url,
        {"username": citizen.citizen_id, "password": "correct-horse-battery"},
    )
    assert logged_in.status_code == 302 and logged_in.url == url
    html = client.get(url).content.decode()
    assert "Đọc sách mỗi tối" in html and f'name="points_{first.pk}" value="7"' in html
    assert not assessment.answers.filter(self_points__isnull=False).exists()
    assert "Đọc sách mỗi tối" not in client.get(url).content.decode()  # shown once


def test_an_id_no_database_can_hold_is_a_404_not_a_500(client, citizen):
    client.force_login(citizen.user)
    url = reverse("assessments:step", args=[1, 1]).replace("/1/", "/99999999999999999999/", 1)
    assert client.get(url).status_code == 404
