"""One signed decision covers everyone it names: "select all matching" across the queue's
pages, recipients added to an open decision (same number, date and signer), closing it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, AssessmentStatus, Recognition, RecognitionDecision
from assessments.services.recognition import recognition_decision_close, recognition_issue
from assessments.services.review import ReviewRefused
from tests.factories.review import bulk_assessments, make_assessment, review_world_in_admin

pytestmark = pytest.mark.django_db

S = AssessmentStatus
QUEUE = "assessment_review:index"


@pytest.fixture
def world(db):
    return review_world_in_admin()


def decision_data(**values):
    return {
        "number": "15/QĐ-KH",
        "decided_on": timezone.localdate().isoformat(),
        "signer": "Chủ tịch Hội",
        **values,
    }


def select_all_url(**filters):
    query = "&".join(f"{key}={value}" for key, value in {"id": "all", **filters}.items())
    return reverse("wagtail_bulk_action", args=["assessments", "assessment", "recognise"]) + (
        f"?{query}"
    )


def confirm_and_post(client, url, data):
    confirm = client.get(url)
    assert confirm.status_code == 200
    selection = confirm.context["form"].initial["selection"]
    return client.post(url, {**data, "selection": selection})


# --- Select all matching the filters, across pages ---


def test_the_queue_offers_to_select_all_matching_when_there_are_other_pages(client, world):
    bulk_assessments(world, 55, status=S.VERIFIED)
    client.force_login(world.officers["commune"])

    html = client.get(reverse(QUEUE), {"status": "verified"}).content.decode()

    assert "data-bulk-action-num-objects-in-listing" in html


def test_select_all_recognises_every_page_under_one_decision(client, world):
    mine = bulk_assessments(world, 120, status=S.VERIFIED)
    bulk_assessments(world, 3, status=S.VERIFIED, area=world.other_branch_area)
    bulk_assessments(world, 4)  # submitted: not in the filtered queue
    client.force_login(world.officers["commune"])
    url = select_all_url(status="verified", area=world.branch_area.pk)

    confirm = client.get(url)
    assert len(confirm.context["items"]) == 120
    assert confirm.context["more_items"] == 0
    response = confirm_and_post(
        client, url, decision_data(issuing_area=world.commune.pk, next=reverse(QUEUE))
    )

    assert response.status_code == 302
    decision = RecognitionDecision.objects.get()
    assert set(decision.recognitions.values_list("assessment_id", flat=True)) == {
        a.pk for a in mine
    }
    assert Assessment.objects.filter(status=S.VERIFIED).count() == 3


def test_select_all_follows_the_search_too(client, world):
    bulk_assessments(world, 6, status=S.VERIFIED, names=["Nguyễn Thị Hoa", "Lê Văn Tám"])
    client.force_login(world.officers["commune"])

    confirm = client.get(select_all_url(status="verified", q="nguyen thi hoa"))

    names = {row["item"].subject.full_name for row in confirm.context["items"]}
    assert len(names) == 3 and all(name.startswith("Nguyễn Thị Hoa") for name in names)


def test_select_all_never_leaves_the_officers_subtree(client, world):
    bulk_assessments(world, 2, status=S.VERIFIED, area=world.branch_area)
    bulk_assessments(world, 2, status=S.VERIFIED, area=world.other_branch_area)
    client.force_login(world.officers["branch"])

    confirm = client.get(select_all_url(status="verified"))

    # A branch officer does not recognise: the rows are listed as refused, still only theirs.
    rows = [row["item"] for row in confirm.context["items"]]
    rows += confirm.context["items_with_no_access"]
    assert len(rows) == 2
    assert {row.area_id for row in rows} == {world.branch_area.pk}


def test_select_all_for_a_citizen_is_refused(client, world):
    bulk_assessments(world, 2, status=S.VERIFIED)
    client.force_login(world.officers["citizen"])

    assert client.get(select_all_url(status="verified")).status_code == 404


def test_select_all_with_nothing_matching_is_a_404(client, world):
    client.force_login(world.officers["commune"])

    assert client.get(select_all_url(status="verified")).status_code == 404


@pytest.mark.parametrize(
    "filters",
    [
        {"status": "nope", "year": "abc"},
        {"score_min": "1e999", "score_max": "x"},
        {"area": "-1", "province": "%00"},
        {"q": "%" * 300},
        {"has_evidence": "maybe"},
    ],
)
def test_select_all_with_hostile_filters_answers_without_error(client, world, filters):
    bulk_assessments(world, 2, status=S.VERIFIED)
    client.force_login(world.officers["commune"])

    assert client.get(select_all_url(**filters)).status_code in (200, 404)


def test_select_all_refuses_when_the_matching_rows_changed_before_confirming(client, world):
    bulk_assessments(world, 3, status=S.VERIFIED)
    client.force_login(world.officers["commune"])
    url = select_all_url(status="verified")
    selection = client.get(url).context["form"].initial["selection"]
    newcomer = make_assessment(world, status=S.VERIFIED)  # verified by someone meanwhile

    data = decision_data(issuing_area=world.commune.pk)
    response = client.post(url, {**data, "selection": selection})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Recognition.objects.exists()
    assert newcomer.pk in {row["item"].pk for row in response.context["items"]}
    again = client.post(url, {**data, "selection": response.context["form"]["selection"].value()})
    assert again.status_code == 302
    assert Recognition.objects.count() == 4


def test_select_all_above_the_limit_asks_to_narrow_the_filters(client, world, settings):
    settings.CDHT_BULK_SELECT_ALL_MAX_ROWS = 3
    bulk_assessments(world, 4, status=S.VERIFIED)
    client.force_login(world.officers["commune"])

    response = client.get(select_all_url(status="verified") + "&next=" + reverse(QUEUE))

    assert response.status_code == 302
    assert response["Location"] == reverse(QUEUE)
    assert not Recognition.objects.exists()


def confirm_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_select_all_confirmation_queries_do_not_grow_with_rows(client, world):
    bulk_assessments(world, 5, status=S.VERIFIED)
    client.force_login(world.officers["commune"])
    url = select_all_url(status="verified")
    few = confirm_queries(client, url)

    bulk_assessments(world, 60, status=S.VERIFIED)

    assert confirm_queries(client, url) == few


# --- Recipients added to an open decision ---


def recognise(world, assessments, **values):
    return recognition_issue(
        assessments=assessments,
        officer=world.officers["commune"],
        number=values.pop("number", "15/QĐ-KH"),
        decided_on=values.pop("decided_on", timezone.localdate()),
        signer=values.pop("signer", "Chủ tịch Hội"),
        issuing_area=values.pop("issuing_area", world.commune),
    )


def test_recipients_are_added_to_an_open_decision_with_the_same_number_date_and_signer(world):
    first = recognise(world, [make_assessment(world, status=S.VERIFIED) for _ in range(2)])
    again = recognise(world, [make_assessment(world, status=S.VERIFIED)], signer="  chủ tịch  hội ")

    assert again.pk == first.pk
    sequences = sorted(first.recognitions.values_list("sequence", flat=True))
    assert sequences == [1, 2, 3]


def test_a_later_selection_with_another_date_is_refused_and_changes_nothing(world):
    recognise(world, [make_assessment(world, status=S.VERIFIED)])
    other = make_assessment(world, status=S.VERIFIED)

    with pytest.raises(ReviewRefused) as refused:
        recognise(world, [other], decided_on=timezone.localdate() - datetime.timedelta(days=1))

    assert refused.value.code == "decision_mismatch"
    assert Assessment.objects.get(pk=other.pk).status == S.VERIFIED
    assert Recognition.objects.count() == 1


def test_a_closed_decision_takes_no_one_more(world):
    decision = recognise(world, [make_assessment(world, status=S.VERIFIED)])
    recognition_decision_close(decision=decision, officer=world.officers["commune"])
    other = make_assessment(world, status=S.VERIFIED)

    with pytest.raises(ReviewRefused) as refused:
        recognise(world, [other])

    assert refused.value.code == "decision_closed"
    assert Assessment.objects.get(pk=other.pk).status == S.VERIFIED


def test_closing_twice_is_refused(world):
    decision = recognise(world, [make_assessment(world, status=S.VERIFIED)])
    recognition_decision_close(decision=decision, officer=world.officers["commune"])

    with pytest.raises(ReviewRefused) as refused:
        recognition_decision_close(decision=decision, officer=world.officers["commune"])

    assert refused.value.code == "stale"


def test_a_branch_officer_cannot_close_the_communes_decision(world):
    decision = recognise(world, [make_assessment(world, status=S.VERIFIED)])

    with pytest.raises(ReviewRefused) as refused:
        recognition_decision_close(decision=decision, officer=world.officers["branch"])

    assert refused.value.code == "out_of_jurisdiction"
    assert not RecognitionDecision.objects.get().is_closed


def test_the_decisions_page_closes_a_decision(client, world):
    decision = recognise(world, [make_assessment(world, status=S.VERIFIED)])
    client.force_login(world.officers["commune"])
    page = client.get(reverse("assessments_certificates:decisions")).content.decode()
    url = reverse("assessments_certificates:decision_close", args=[decision.pk])
    assert url in page

    response = client.post(url)

    assert response.status_code == 302
    assert RecognitionDecision.objects.get().is_closed


def test_closing_a_decision_outside_the_subtree_is_a_404(client, world):
    decision = recognise(world, [make_assessment(world, status=S.VERIFIED)])
    client.force_login(world.officers["other_branch"])
    url = reverse("assessments_certificates:decision_close", args=[decision.pk])

    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405
    assert not RecognitionDecision.objects.get().is_closed


def test_adding_through_the_queue_says_how_many_the_decision_now_names(client, world):
    recognise(world, [make_assessment(world, status=S.VERIFIED) for _ in range(2)])
    later = make_assessment(world, status=S.VERIFIED)
    client.force_login(world.officers["commune"])
    url = (
        reverse("wagtail_bulk_action", args=["assessments", "assessment", "recognise"])
        + f"?id={later.pk}"
    )

    response = client.post(url, decision_data(issuing_area=world.commune.pk), follow=True)

    assert RecognitionDecision.objects.get().recognitions.count() == 3
    assert "3" in str(list(response.context["messages"])[0])


# --- The decision date: day/month/year whatever the browser's language ---


def test_the_decision_date_is_shown_and_read_as_day_month_year(client, world):
    assessment = make_assessment(world, status=S.VERIFIED)
    client.force_login(world.officers["commune"])
    url = (
        reverse("wagtail_bulk_action", args=["assessments", "assessment", "recognise"])
        + f"?id={assessment.pk}"
    )
    today = timezone.localdate()

    html = client.get(url).content.decode()
    assert f'value="{today:%d/%m/%Y}"' in html
    assert 'type="date"' not in html  # a native picker would follow the browser's language
    assert "d/m/Y" in html  # Wagtail's picker, told the format

    response = client.post(
        url, decision_data(decided_on=f"{today:%d/%m/%Y}", issuing_area=world.commune.pk)
    )
    assert response.status_code == 302
    assert RecognitionDecision.objects.get().decided_on == today


@pytest.mark.parametrize("typed", ["31/02/2020", "2020-13-45", "hôm nay", "9" * 40, "01/01/99999"])
def test_a_malformed_decision_date_is_a_field_error(client, world, typed):
    assessment = make_assessment(world, status=S.VERIFIED)
    client.force_login(world.officers["commune"])
    url = (
        reverse("wagtail_bulk_action", args=["assessments", "assessment", "recognise"])
        + f"?id={assessment.pk}"
    )

    response = client.post(url, decision_data(decided_on=typed, issuing_area=world.commune.pk))

    assert response.status_code == 200
    assert response.context["form"].errors["decided_on"]
    assert not Recognition.objects.exists()
