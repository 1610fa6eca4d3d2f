"""The kept report summaries equal a live recount after every transition, and the province and
country reports read from them equal the live aggregation."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment, AssessmentStatus, Recognition
from assessments.services.editing import assessment_begin_edit
from assessments.services.recognition import recognition_issue, recognition_revoke
from assessments.services.review import (
    assessment_reject,
    assessment_return,
    assessment_verify,
    assessment_verify_many,
)
from assessments.services.self_assessment import (
    assessment_save_answers,
    assessment_start,
    assessment_submit,
)
from learning_units.jurisdiction import under
from learning_units.models import Area, AreaLevel, Citizen
from reports.models import AssessmentSummary
from reports.selectors import area_report
from reports.services import summaries_rebuild, summaries_refresh
from reports.summaries import kept_counts, live_counts, summary_differences
from reports.table import cells
from tests.factories import (
    CentralAreaFactory,
    CitizenFactory,
    CommuneFactory,
    ResidentialAreaFactory,
    UserFactory,
)
from tests.factories.review import YEAR, make_assessment, review_world

pytestmark = pytest.mark.django_db

S = AssessmentStatus


@pytest.fixture
def world():
    """Assessments in every status over two communes of a province (and one in another
    province), this year and last, a digital-skills indicator; summaries built."""
    world = review_world()
    province = world.commune.parent
    world.indicators[0].is_digital_skill = True
    world.indicators[0].save()
    world.other_commune = CommuneFactory(parent=province)
    world.other_hamlet = ResidentialAreaFactory(parent=world.other_commune)
    far = ResidentialAreaFactory(parent=CommuneFactory(parent__parent=CentralAreaFactory()))
    places = [world.branch_area, world.other_branch_area, world.other_hamlet, world.commune, far]
    statuses = [S.DRAFT, S.RETURNED, S.SUBMITTED, S.VERIFIED, S.RECOGNISED, S.REJECTED]
    for n in range(18):
        citizen = CitizenFactory(area=places[n % len(places)], target_group=1 + n % 3)
        assessment = make_assessment(
            world,
            status=statuses[n % len(statuses)],
            citizen=citizen,
            points=[(n * 7 + i * 5) % 21 for i in range(5)],
        )
        Assessment.objects.filter(pk=assessment.pk).update(
            target_group=citizen.target_group, year=YEAR if n % 4 else YEAR - 1
        )
    Recognition.objects.filter(pk=Recognition.objects.order_by("pk").first().pk).update(
        revoked=True
    )
    world.subjects = {
        status: make_assessment(world, status=status, citizen=own_citizen(world))
        for status in (S.RETURNED, S.SUBMITTED, S.VERIFIED, S.RECOGNISED)
    }
    world.batch = [make_assessment(world, status=S.SUBMITTED) for _ in range(3)]
    summaries_rebuild()
    return world


def own_citizen(world, area=None):
    return CitizenFactory(user=UserFactory(), area=area or world.branch_area)


def fill(assessment, points=12):
    answers = {a.indicator_id: (points, "") for a in assessment.answers.all()}
    assessment_save_answers(assessment=assessment, actor=assessment.citizen.user, answers=answers)


def start(world):
    citizen = own_citizen(world, world.other_hamlet)
    assessment_start(citizen=citizen, actor=citizen.user, campaign=world.campaign)


def submit(world):
    citizen = own_citizen(world)
    assessment = assessment_start(citizen=citizen, actor=citizen.user, campaign=world.campaign)
    fill(assessment)
    assessment.refresh_from_db()
    assessment_submit(assessment=assessment, actor=citizen.user)


def edit_returned(world):
    assessment = world.subjects[S.RETURNED]
    assessment_begin_edit(assessment=assessment, actor=assessment.citizen.user)


def verify_with_changed_points(world):
    assessment = world.subjects[S.SUBMITTED]
    digital = world.indicators[0]
    assessment_verify(
        assessment=assessment,
        officer=world.officers["branch"],
        points={digital.pk: "20"},
        comments={digital.pk: "Có chứng chỉ."},
    )


def verify_many(world):
    assessment_verify_many(assessments=world.batch, officer=world.officers["branch"])


def return_some(world):
    assessment_return(assessments=world.batch[:2], officer=world.officers["branch"], comment="x")


def reject(world):
    assessment_reject(assessments=world.batch[2:], officer=world.officers["branch"], reason="x")


def recognise(world):
    recognition_issue(
        assessments=[world.subjects[S.VERIFIED]],
        officer=world.officers["commune"],
        number="77/QĐ-KH",
        decided_on=world.campaign.closes_on,
        signer="Chủ tịch",
        issuing_area=world.commune,
    )


def revoke(world):
    recognition = Recognition.objects.get(assessment=world.subjects[S.RECOGNISED])
    recognition_revoke(recognition=recognition, officer=world.officers["commune"], reason="x")


def opt_out(world):
    """Not a transition, but what the public listings' totals read from the summaries follows."""
    citizen = Citizen.objects.get(pk=world.subjects[S.RECOGNISED].citizen_id)
    citizen.listing_opt_out = True
    citizen.save()


TRANSITIONS = [
    start,
    submit,
    edit_returned,
    verify_with_changed_points,
    verify_many,
    return_some,
    reject,
    recognise,
    revoke,
    opt_out,
]


def assert_summaries_equal_a_live_recount():
    kept = kept_counts(AssessmentSummary.objects.all())
    assert kept  # something is kept: the comparison below is not of two empty sets
    assert summary_differences(kept, live_counts(Assessment.objects.all())) == []


def assert_reports_equal_live(area, **filters):
    kept = area_report(area, year=YEAR, **filters)
    live = area_report(area, year=YEAR, live=True, **filters)
    assert [(row.path, cells(kept, row)) for row in kept.rows] == [
        (row.path, cells(live, row)) for row in live.rows
    ]
    assert cells(kept, kept.total) == cells(live, live.total)
    assert kept.band_labels == live.band_labels
    assert kept.total.digital_answers == live.total.digital_answers


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.__name__)
def test_summaries_equal_a_live_recount_after_every_transition(world, transition):
    before = kept_counts(AssessmentSummary.objects.all())

    transition(world)

    assert kept_counts(AssessmentSummary.objects.all()) != before  # the transition counted
    assert_summaries_equal_a_live_recount()
    country = Area.objects.get(level=AreaLevel.CENTRAL)
    for area in (world.commune.parent, country):
        assert_reports_equal_live(area)
        assert_reports_equal_live(area, target_group=2)


def test_unit_reports_read_from_the_summaries_too(world):
    from tests.factories.review import make_unit_assessment

    make_unit_assessment(world, status=S.SUBMITTED, kind="family")
    summaries_rebuild()
    report = area_report(world.commune.parent, year=YEAR, subject_kind="family")
    assert report.total.current.counts["submitted"] == 1
    assert_reports_equal_live(world.commune.parent, subject_kind="family")


def test_a_refused_transition_leaves_the_summaries_as_they_were(world):
    before = kept_counts(AssessmentSummary.objects.all())
    with pytest.raises(Exception):  # noqa: B017 (any refusal: the point is the rollback)
        recognition_issue(
            assessments=[world.subjects[S.SUBMITTED]],
            officer=world.officers["commune"],
            number="78/QĐ-KH",
            decided_on=world.campaign.closes_on,
            signer="Chủ tịch",
            issuing_area=world.commune,
        )
    assert kept_counts(AssessmentSummary.objects.all()) == before


def test_refresh_costs_the_same_queries_for_one_or_many_assessments(world):
    one = [world.batch[0]]
    many = [*world.batch, *world.subjects.values(), *Assessment.objects.filter(area=world.commune)]
    with CaptureQueriesContext(connection) as few:
        summaries_refresh(assessments=one)
    with CaptureQueriesContext(connection) as lots:
        summaries_refresh(assessments=many)
    assert len(few) == len(lots) <= 7  # six, and the advisory lock on PostgreSQL
    assert_summaries_equal_a_live_recount()


def test_province_report_queries_do_not_grow_with_the_data(world):
    province = world.commune.parent
    with CaptureQueriesContext(connection) as small:
        area_report(province, year=YEAR)
    for _ in range(5):
        make_assessment(world, status=S.VERIFIED, area=world.other_hamlet)
    summaries_rebuild()
    with CaptureQueriesContext(connection) as large:
        area_report(province, year=YEAR)
    assert len(small) == len(large) <= 6
    read = " ".join(query["sql"] for query in large.captured_queries)
    # The summary rows are read once: figures and bands in one query (at 5M assessments a
    # second read of the country's summary rows cost a third of its report, issue #22).
    assert sum("reports_assessmentsummary" in q["sql"] for q in large.captured_queries) == 1
    assert "assessments_indicatoranswer" not in read  # the summaries hold the digital answers


def test_check_command_lists_differences_and_exits_non_zero(world, capsys):
    call_command("check_report_summaries")
    assert "equal a live recount" in capsys.readouterr().out

    # A write past the services (raw update of a status) is what the check finds.
    moved = world.batch[0]
    Assessment.objects.filter(pk=moved.pk).update(status=S.REJECTED)
    with pytest.raises(CommandError, match="2 summary rows differ"):
        call_command("check_report_summaries")
    listing = capsys.readouterr().out
    assert f"{world.commune.path} year={YEAR}" in listing
    assert "status='rejected'" in listing and "kept none" in listing

    call_command("check_report_summaries", "--rebuild")
    assert "Rebuilt:" in capsys.readouterr().out
    call_command("check_report_summaries")
    assert_summaries_equal_a_live_recount()


def test_opting_back_in_is_counted_again_and_other_saves_count_nothing(world):
    citizen = Citizen.objects.get(pk=world.subjects[S.RECOGNISED].citizen_id)
    citizen.listing_opt_out = True
    citizen.save()
    opted_out = kept_counts(AssessmentSummary.objects.all())

    citizen.listing_opt_out = False
    citizen.save()
    assert_summaries_equal_a_live_recount()
    assert kept_counts(AssessmentSummary.objects.all()) != opted_out

    citizen.phone = "0912345678"
    with CaptureQueriesContext(connection) as queries:
        citizen.save()
    assert "reports_assessmentsummary" not in " ".join(q["sql"] for q in queries.captured_queries)


def test_listing_years_read_from_the_summaries_equal_the_live_ones(world):
    from assessments import selectors

    # The set-up moved assessments to last year past the services: their titles follow.
    for recognition in Recognition.objects.select_related("assessment"):
        recognition.year = recognition.assessment.year
        recognition.save()
    country = Area.objects.get(level=AreaLevel.CENTRAL)
    for area in (world.commune, world.commune.parent, country, world.branch_area):
        live = list(
            Recognition.objects.filter(under("assessment__area__path", area.path), revoked=False)
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
        assert live  # the world holds standing titles everywhere it is asked
        with CaptureQueriesContext(connection) as queries:
            assert selectors.recognition_years(area=area) == live
        if area.level <= AreaLevel.COMMUNE:
            assert "reports_assessmentsummary" in queries.captured_queries[0]["sql"]
