"""The audit log: who opened or took away personal data, filed under the record's area and read
by province officers of that subtree (and superusers) only; state changes come from
ReviewEvent; old events are purged after the retention period."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentStatus, ReviewEvent
from audit.models import AuditAction, AuditEvent
from audit.services import audit_purge, audit_record
from learning_units.models import OfficerRole
from tests.factories import CitizenFactory, CommuneFactory, ResidentialAreaFactory, UserFactory
from tests.factories.review import make_assessment, review_world
from tests.refusals import assert_sent_to_admin_login
from tests.test_learning_units_admin import make_officer

LOG = reverse("audit:log")


@pytest.fixture
def areas(db):
    commune = CommuneFactory()
    hamlet = ResidentialAreaFactory(parent=commune)
    other_commune = CommuneFactory()  # another province
    return {
        "commune": commune,
        "hamlet": hamlet,
        "province": commune.parent,
        "other_hamlet": ResidentialAreaFactory(parent=other_commune),
        "other_province": other_commune.parent,
    }


def test_inspecting_and_editing_a_citizen_is_recorded_under_its_area(client, areas):
    citizen = CitizenFactory(area=areas["hamlet"])
    officer = make_officer(areas["commune"])
    client.force_login(officer)
    assert (
        client.get(reverse("learning_units_citizens:inspect", args=[citizen.pk])).status_code == 200
    )
    assert client.get(reverse("learning_units_citizens:edit", args=[citizen.pk])).status_code == 200
    events = list(AuditEvent.objects.order_by("pk"))
    assert [event.action for event in events] == [AuditAction.VIEW, AuditAction.VIEW]
    event = events[0]
    assert event.actor == officer
    assert event.object_type == "learning_units.Citizen"
    assert event.object_id == str(citizen.pk)
    assert event.area_path == areas["hamlet"].path
    assert citizen.full_name not in event.object_label and citizen.citizen_id not in str(
        event.detail
    )


def test_an_export_of_citizens_is_recorded(client, areas):
    CitizenFactory(area=areas["hamlet"])
    client.force_login(make_officer(areas["commune"]))
    response = client.get(reverse("learning_units_citizens:index"), {"export": "csv"})
    assert response.status_code == 200
    event = AuditEvent.objects.get()
    assert event.action == AuditAction.EXPORT
    assert event.area_path == areas["commune"].path
    assert event.detail["format"] == "csv"


def test_an_evidence_download_and_an_on_behalf_visit_are_recorded(client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments.services.evidence import evidence_add_file

    world = review_world()
    assessment = make_assessment(world, status=AssessmentStatus.DRAFT)
    branch = world.officers["branch"]
    evidence = evidence_add_file(
        answer=assessment.answers.first(),
        actor=branch,
        uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    client.force_login(branch)
    assert client.get(reverse("assessments:evidence", args=[evidence.pk])).status_code == 200
    citizen_page = reverse("assessments:on_behalf_citizen", args=[assessment.citizen_id])
    assert client.get(citizen_page).status_code == 200
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "area_path"))
    assert actions == [
        (AuditAction.DOWNLOAD, world.branch_area.path),
        (AuditAction.VIEW, world.branch_area.path),
    ]


def record_in(area, **values):
    return audit_record(
        actor=UserFactory(), action=AuditAction.VIEW, object_type="x", area_path=area.path, **values
    )


def test_a_province_officer_reads_the_events_of_their_province_only(client, areas):
    mine = record_in(areas["hamlet"])
    record_in(areas["other_hamlet"])
    client.force_login(make_officer(areas["province"], OfficerRole.Role.PROVINCE))
    response = client.get(LOG)
    assert response.status_code == 200
    assert [event.pk for event in response.context["page"]] == [mine.pk]


@pytest.mark.parametrize("role", [OfficerRole.Role.COMMUNE, OfficerRole.Role.BRANCH])
def test_officers_below_the_province_cannot_read_the_log(client, areas, role):
    record_in(areas["hamlet"])
    client.force_login(make_officer(areas["commune"], role))
    assert client.get(LOG).status_code == 404


def test_citizens_and_anonymous_visitors_cannot_read_the_log(client, areas):
    assert client.get(LOG).status_code == 302  # to the admin log-in
    client.force_login(UserFactory(is_staff=False))
    assert_sent_to_admin_login(client.get(LOG))


def test_a_superuser_reads_every_event(client, areas):
    record_in(areas["hamlet"])
    record_in(areas["other_hamlet"])
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert len(client.get(LOG).context["page"]) == 2


def test_state_changes_come_from_review_events_of_the_jurisdiction(client, db):
    world = review_world()
    mine = make_assessment(world)
    elsewhere = make_assessment(world, area=ResidentialAreaFactory())  # another province
    for assessment in (mine, elsewhere):
        ReviewEvent.objects.create(
            assessment=assessment,
            actor=world.officers["branch"],
            action="verify",
            from_status=AssessmentStatus.SUBMITTED,
            to_status=AssessmentStatus.VERIFIED,
        )
    province = world.commune.parent
    client.force_login(make_officer(province, OfficerRole.Role.PROVINCE))
    response = client.get(LOG, {"show": "changes"})
    assert [event.assessment_id for event in response.context["page"]] == [mine.pk]


def test_the_log_page_costs_the_same_queries_for_5_or_40_events(client, areas):
    client.force_login(make_officer(areas["province"], OfficerRole.Role.PROVINCE))
    for _n in range(5):
        record_in(areas["hamlet"])
    with CaptureQueriesContext(connection) as few:
        client.get(LOG)
    for _n in range(35):
        record_in(areas["hamlet"])
    with CaptureQueriesContext(connection) as many:
        client.get(LOG)
    assert len(many) == len(few)


def test_purge_deletes_events_older_than_the_retention(areas, settings):
    settings.CDHT_AUDIT_RETENTION_DAYS = 30
    old, recent = record_in(areas["hamlet"]), record_in(areas["hamlet"])
    AuditEvent.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert audit_purge() == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [recent.pk]


def test_purge_command_reports_what_it_deleted(areas, capsys):
    event = record_in(areas["hamlet"])
    AuditEvent.objects.filter(pk=event.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=5000)
    )
    call_command("purge_audit")
    assert "Deleted 1" in capsys.readouterr().out
    assert not AuditEvent.objects.exists()


def test_the_retention_default_is_the_documented_one():
    from audit.services import retention_days
    from learning_units.conf import DEFAULTS

    assert retention_days() == DEFAULTS["AUDIT_RETENTION_DAYS"] == 2 * 365
