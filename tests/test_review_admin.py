"""The officers' review admin: queues, filters, counts, the review screen and bulk actions."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from assessments.models import Assessment, AssessmentStatus, Recognition
from tests.factories.review import (
    YEAR,
    bulk_assessments,
    make_assessment,
    make_unit_assessment,
    review_world_in_admin,
)
from tests.refusals import assert_refused_to_admin_home

pytestmark = pytest.mark.django_db

S = AssessmentStatus
QUEUE = "assessment_review:index"
QUEUE_RESULTS = "assessment_review:index_results"


@pytest.fixture
def world(db):
    return review_world_in_admin()


def login(client, world, role):
    client.force_login(world.officers[role])
    return client


def bulk_url(action, *assessments, **params):
    query = "&".join(f"id={a.pk}" for a in assessments)
    extra = "".join(f"&{key}={value}" for key, value in params.items())
    return reverse("wagtail_bulk_action", args=["assessments", "assessment", action]) + (
        f"?{query}{extra}"
    )


def test_the_queue_lists_only_the_officers_subtree(client, world):
    mine = make_assessment(world, full_name="Nguyễn Thị Hoa")
    make_assessment(world, area=world.other_branch_area, full_name="Lê Văn Xa")

    response = login(client, world, "branch").get(reverse(QUEUE))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nguyễn Thị Hoa" in html and "Lê Văn Xa" not in html
    assert reverse("assessment_review:review", args=[mine.pk]) in html


def test_the_menu_shows_queues_per_status(client, world):
    response = login(client, world, "commune").get(reverse("wagtailadmin_home"))

    assert f"{reverse(QUEUE)}?status=submitted" in response.content.decode()


def test_a_citizen_has_no_queue(client, world):
    response = login(client, world, "citizen").get(reverse(QUEUE))

    assert_refused_to_admin_home(response)


def test_counts_per_status_follow_the_other_filters(client, world):
    make_assessment(world)
    make_assessment(world)
    make_assessment(world, status=S.VERIFIED)
    make_assessment(world, area=world.other_branch_area)

    response = login(client, world, "commune").get(
        reverse(QUEUE_RESULTS), {"area": world.branch_area.pk, "status": "submitted"}
    )

    tabs = {tab["status"]: tab["count"] for tab in response.context["status_tabs"]}
    assert tabs[S.SUBMITTED] == 2
    assert tabs[S.VERIFIED] == 1
    assert tabs[""] == 3
    assert len(response.context["object_list"]) == 2


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "verified"}, {"Verified One"}),
        ({"has_evidence": "true"}, {"With Evidence"}),
        ({"score_min": "85"}, {"High Score"}),
        ({"q": "nguyen thi hoa"}, {"Nguyễn Thị Hoa"}),
        ({"q": "nguyen thi hoa", "status": "verified"}, set()),
        (
            {"status": "not-a-status"},
            {"Nguyễn Thị Hoa", "Verified One", "With Evidence", "High Score"},
        ),
        (
            {"year": str(YEAR), "target_group": "1", "status": "submitted"},
            {"Nguyễn Thị Hoa", "With Evidence", "High Score"},
        ),
    ],
)
def test_queue_filters_and_accent_insensitive_search(client, world, params, expected):
    make_assessment(world, full_name="Nguyễn Thị Hoa")
    make_assessment(world, full_name="Verified One", status=S.VERIFIED)
    make_assessment(world, full_name="With Evidence", evidence=True)
    make_assessment(world, full_name="High Score", points=(18, 18, 18, 18, 18))

    response = login(client, world, "commune").get(reverse(QUEUE_RESULTS), params)

    assert {str(a.subject) for a in response.context["object_list"]} == expected
    # The count the pager shows is taken from the counts per status: it must match the rows.
    assert response.context["paginator"].count == len(expected)


def queue_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_queue_query_count_does_not_grow_with_rows(client, world):
    login(client, world, "commune")
    bulk_assessments(world, 10)
    make_assessment(world, status=S.RECOGNISED)
    url = reverse(QUEUE)
    search = url + "?status=submitted&q=nguyen"
    few, few_searched = queue_queries(client, url), queue_queries(client, search)

    bulk_assessments(world, 190, area=world.other_branch_area)

    assert queue_queries(client, url) == few
    assert queue_queries(client, search) == few_searched


def test_review_screen_shows_answers_evidence_and_history(client, world):
    assessment = make_assessment(world, full_name="Nguyễn Thị Hoa")

    response = login(client, world, "branch").get(
        reverse("assessment_review:review", args=[assessment.pk])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert world.indicators[0].title in html
    assert f'name="points-{world.indicators[0].pk}"' in html
    assert 'value="verify"' in html and 'value="recognise"' not in html


def test_a_changed_score_needs_a_comment_and_nothing_typed_is_lost(client, world):
    assessment = make_assessment(world)
    first = world.indicators[0]
    url = reverse("assessment_review:review", args=[assessment.pk])

    response = login(client, world, "branch").post(
        url, {"action": "verify", f"points-{first.pk}": "9", "comment": "Đã xem"}
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert first.code in html and 'value="9"' in html and "Đã xem" in html
    assert Assessment.objects.get(pk=assessment.pk).status == S.SUBMITTED

    response = client.post(
        url,
        {"action": "verify", f"points-{first.pk}": "9", f"comment-{first.pk}": "Thiếu kế hoạch"},
    )

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == S.VERIFIED and assessment.verified_total == 73


def test_after_verifying_the_next_assessment_of_the_queue_opens(client, world):
    first, second = make_assessment(world), make_assessment(world)

    response = login(client, world, "branch").post(
        reverse("assessment_review:review", args=[first.pk]), {"action": "verify"}
    )

    assert response["Location"] == reverse("assessment_review:review", args=[second.pk])


def test_review_outside_the_jurisdiction_is_a_404(client, world):
    far = make_assessment(world, area=world.other_branch_area)
    url = reverse("assessment_review:review", args=[far.pk])

    login(client, world, "branch")
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "verify"}).status_code == 404
    assert Assessment.objects.get(pk=far.pk).status == S.SUBMITTED


def test_crafted_bulk_post_outside_the_jurisdiction_changes_nothing(client, world):
    mine = make_assessment(world, status=S.VERIFIED)
    far = make_assessment(world, status=S.VERIFIED)
    far.area = world.commune.parent  # outside the commune: a province-level row
    far.save()

    response = login(client, world, "commune").post(
        bulk_url("recognise", mine, far),
        {
            "number": "1/QĐ",
            "decided_on": timezone.localdate().isoformat(),
            "signer": "Chủ tịch",
            "issuing_area": world.commune.pk,
        },
    )

    assert response.status_code == 404
    assert not Recognition.objects.exists()


def test_bulk_recognise_under_one_decision(client, world):
    batch = [make_assessment(world, status=S.VERIFIED) for _ in range(3)]
    login(client, world, "commune")

    confirm = client.get(bulk_url("recognise", *batch, next=reverse(QUEUE)))
    assert confirm.status_code == 200
    assert 'name="number"' in confirm.content.decode()

    response = client.post(
        bulk_url("recognise", *batch, next=reverse(QUEUE)),
        {
            "number": "12/QĐ-KH",
            "decided_on": timezone.localdate().isoformat(),
            "signer": "Chủ tịch",
            "issuing_area": world.commune.pk,
        },
    )

    assert response.status_code == 302
    assert Recognition.objects.filter(decision__number="12/QĐ-KH").count() == 3


def test_bulk_recognise_without_a_decision_number_shows_the_form_again(client, world):
    batch = [make_assessment(world, status=S.VERIFIED) for _ in range(2)]

    response = login(client, world, "commune").post(
        bulk_url("recognise", *batch),
        {
            "number": "",
            "decided_on": timezone.localdate().isoformat(),
            "signer": "Chủ tịch",
            "issuing_area": world.commune.pk,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["number"]
    assert not Recognition.objects.exists()


def test_bulk_with_one_unsuitable_row_does_nothing(client, world):
    verified = make_assessment(world, status=S.VERIFIED)
    submitted = make_assessment(world, full_name="Chưa Xác Minh")
    login(client, world, "commune")

    confirm = client.get(bulk_url("recognise", verified, submitted))
    assert "Chưa Xác Minh" in confirm.content.decode()
    assert 'name="number"' not in confirm.content.decode()

    response = client.post(
        bulk_url("recognise", verified, submitted),
        {
            "number": "3/QĐ",
            "decided_on": timezone.localdate().isoformat(),
            "signer": "Chủ tịch",
            "issuing_area": world.commune.pk,
        },
    )
    assert response.status_code == 200
    assert not Recognition.objects.exists()


def test_double_submit_of_a_bulk_recognition_is_refused_clearly(client, world):
    batch = [make_assessment(world, status=S.VERIFIED) for _ in range(2)]
    data = {
        "number": "4/QĐ",
        "decided_on": timezone.localdate().isoformat(),
        "signer": "Chủ tịch",
        "issuing_area": world.commune.pk,
    }
    login(client, world, "commune")
    client.post(bulk_url("recognise", *batch), data)

    response = client.post(bulk_url("recognise", *batch), data)

    assert response.status_code == 200
    assert "recognised" in response.content.decode()
    assert Recognition.objects.count() == 2


def test_bulk_verify_and_return(client, world):
    batch = [make_assessment(world) for _ in range(2)]
    login(client, world, "branch")

    client.post(bulk_url("verify", *batch))
    assert set(Assessment.objects.values_list("status", flat=True)) == {S.VERIFIED}

    other = [make_assessment(world) for _ in range(2)]
    response = client.post(bulk_url("return", *other), {"comment": ""})
    assert response.status_code == 200
    client.post(bulk_url("return", *other), {"comment": "Bổ sung minh chứng"})
    assert {a.status for a in Assessment.objects.filter(pk__in=[a.pk for a in other])} == {
        S.RETURNED
    }


def test_revoking_from_the_review_screen(client, world):
    assessment = make_assessment(world, status=S.RECOGNISED)

    response = login(client, world, "commune").post(
        reverse("assessment_review:review", args=[assessment.pk]),
        {"action": "revoke", "comment": "Khai man"},
    )

    assert response.status_code == 302
    assert Recognition.objects.get(assessment=assessment).revoked


def test_search_finds_units_and_citizens_by_name(client, world):
    make_assessment(world, full_name="Nguyễn Thị Hoa")
    make_unit_assessment(world, name="Gia đình ông Nguyễn Văn An")
    make_unit_assessment(world, name="Dòng họ Trần")
    client = login(client, world, "commune")

    def found(query):
        response = client.get(reverse(QUEUE_RESULTS), {"q": query})
        return {str(a.subject) for a in response.context["object_list"]}

    assert found("nguyen") == {"Nguyễn Thị Hoa", "Gia đình ông Nguyễn Văn An"}
    assert found("dong ho tran") == {"Dòng họ Trần"}
    assert found("hoa") == {"Nguyễn Thị Hoa"}


def test_queue_rows_are_the_markup_wagtails_table_template_renders(client, world, monkeypatch):
    import re

    from wagtail.admin.ui.tables import Table

    from assessments.views.queue import AssessmentQueueView

    make_assessment(world, full_name="Nguyễn <Thị> Hoa", evidence=True)
    make_assessment(world, full_name="Trần Văn Bình", status=S.VERIFIED)
    login(client, world, "commune")

    def tbody():
        html = client.get(reverse(QUEUE_RESULTS)).content.decode()
        body = html[html.index("<tbody>") : html.index("</tbody>")]
        return re.sub(r">\s+<", "><", body).strip()

    ours = tbody()
    monkeypatch.setattr(AssessmentQueueView, "table_class", Table)
    assert ours == tbody()
    assert "Nguyễn &lt;Thị&gt; Hoa" in ours


def test_the_queue_names_the_target_group(client, world):
    make_assessment(world)
    html = login(client, world, "commune").get(reverse(QUEUE)).content.decode()
    assert Assessment.objects.get().get_target_group_display() in html


def test_a_search_counts_each_status_up_to_a_cap_and_says_so(client, world, monkeypatch):
    monkeypatch.setattr("assessments.views.queue.SEARCH_COUNT_CAP", 3)
    login(client, world, "commune")
    for n in range(5):
        make_assessment(world, full_name=f"Nguyễn Văn Số {n}")
    make_assessment(world, status=S.VERIFIED, full_name="Nguyễn Thị Một")

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(QUEUE), {"q": "nguyen"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'w-status--label">3+</span>' in html  # five submitted: more than the cap of 3
    assert 'w-status--label">1</span>' in html  # one verified: exact under the cap
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 4" in sql for sql in counts)
    # Without a search, the counts stay exact (and kept, issue #16).
    html = client.get(reverse(QUEUE)).content.decode()
    assert 'w-status--label">5</span>' in html


def test_each_menu_queue_is_named_as_the_tab_it_opens(client, world):
    """One vocabulary (docs/glossary.md): “Chờ thẩm định” in the menu and on the tab alike."""
    login(client, world, "commune")
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    # The sidebar's items are JSON in a script element, non-ASCII letters escaped.
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', home, re.S).group(1)
    menu = json.dumps(json.loads(props), ensure_ascii=False)
    tabs = client.get(reverse(QUEUE_RESULTS), {"status": "submitted"}).context["status_tabs"]

    for tab in tabs:
        if tab["status"] in (S.SUBMITTED, S.VERIFIED, S.RETURNED, S.RECOGNISED, S.REJECTED):
            assert str(tab["label"]) in menu
    labels = {tab["status"]: str(tab["label"]) for tab in tabs}
    assert labels[S.SUBMITTED] == "Chờ thẩm định"
    assert labels[S.RETURNED] == "Trả lại để bổ sung"


def test_the_review_screen_labels_the_pass_mark_as_the_mark_to_reach(client, world):
    assessment = make_assessment(world)

    html = (
        login(client, world, "branch")
        .get(reverse("assessment_review:review", args=[assessment.pk]))
        .content.decode()
    )

    assert "<dt>Điểm tối thiểu để đạt</dt><dd>50</dd>" in html
    assert "Điểm đạt" not in html


def test_the_review_screen_leads_back_to_the_queue_with_its_filters(client, world):
    hoa = make_assessment(world, full_name="Nguyễn Thị Hoa")
    login(client, world, "branch")
    queue = client.get(reverse(QUEUE), {"status": "submitted", "q": "nguyen thi"}).content.decode()
    back = "back=status%3Dsubmitted%26q%3Dnguyen%2Bthi"
    review_url = reverse("assessment_review:review", args=[hoa.pk]) + "?" + back
    assert review_url.replace("&", "&amp;") in queue or review_url in queue

    html = client.get(review_url).content.decode()

    assert f"{reverse(QUEUE)}?status=submitted&amp;q=nguyen+thi" in html


def test_after_verifying_the_next_assessment_is_taken_from_the_filtered_queue(client, world):
    first = make_assessment(world, full_name="Nguyễn Thị Hoa")
    make_assessment(world, full_name="Trần Văn Khác")  # next by id, but not searched for
    third = make_assessment(world, full_name="Nguyễn Thị Lan")
    login(client, world, "branch")
    back = "?back=status%3Dsubmitted%26q%3Dnguyen%2Bthi"

    response = client.post(
        reverse("assessment_review:review", args=[first.pk]) + back, {"action": "verify"}
    )
    assert response["Location"] == reverse("assessment_review:review", args=[third.pk]) + back

    last = client.post(response["Location"], {"action": "verify"})
    assert last["Location"] == reverse(QUEUE) + "?status=submitted&q=nguyen+thi"


@pytest.mark.parametrize(
    "back", ["%ZZ%", "https://example.com/", "status=" + "x" * 5000, "q=%00&area=-1&year=abc"]
)
def test_a_hostile_back_parameter_only_ever_leads_to_the_queue(client, world, back):
    assessment = make_assessment(world)
    login(client, world, "branch")
    url = reverse("assessment_review:review", args=[assessment.pk])

    page = client.get(url, {"back": back})
    response = client.post(url + "?" + urlencode({"back": back}), {"action": "verify"})

    assert page.status_code == 200
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(QUEUE) + "?")


def home_panels(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response


def test_the_admin_home_shows_first_what_waits_in_the_officers_area(client, world):
    make_assessment(world)
    make_assessment(world)
    make_assessment(world, status=S.VERIFIED)
    make_assessment(world, area=world.commune.parent)  # outside the commune officer's area
    login(client, world, "commune")

    response = home_panels(client)

    panels = response.context["panels"]
    assert panels[0].name == "cdht_waiting"
    counts = {queue["status"]: queue["count"] for queue in panels[0].queues}
    assert counts == {S.SUBMITTED: 2, S.VERIFIED: 1}
    html = response.content.decode()
    assert f'href="{reverse(QUEUE)}?status=submitted"' in html
    assert "Đang chờ bạn" in html


def test_the_waiting_panel_is_counted_in_a_fixed_number_of_queries(client, world):
    from django.core.cache import cache

    login(client, world, "commune")
    bulk_assessments(world, 3)
    queue_queries(client, reverse("wagtailadmin_home"))  # the session's first-visit writes
    cache.clear()  # counted, not read from the counts kept a minute
    few = queue_queries(client, reverse("wagtailadmin_home"))

    bulk_assessments(world, 40, status=S.VERIFIED)
    cache.clear()

    assert queue_queries(client, reverse("wagtailadmin_home")) == few


def test_an_editor_without_a_role_gets_no_waiting_panel(client, world):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    names = [panel.name for panel in home_panels(client).context["panels"]]

    assert "cdht_waiting" not in names


def sidebar_items(client):
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', home, re.S).group(1)
    return json.dumps(json.loads(props), ensure_ascii=False)


def test_officers_without_page_permissions_get_no_editor_guide(client, world):
    login(client, world, "commune")

    sidebar = sidebar_items(client)

    assert "editor-guide" not in sidebar and "whats-new-in-wagtail" not in sidebar
    assert "keyboard-shortcuts-trigger" in sidebar  # the rest of the help menu stays
    assert "wagtail.sidebar.SearchModule" not in sidebar  # no page search either
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Tìm trong tất cả các trang" not in home  # the home's page search
    assert "Hướng dẫn biên tập Wagtail" not in home


def test_a_page_editor_keeps_the_editor_guide(client, world, django_user_model):
    admin = django_user_model.objects.create_superuser("bien-tap", "bt@example.vn", "x" * 12)
    client.force_login(admin)

    assert "editor-guide" in sidebar_items(client)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'role="search"' in home and "Hướng dẫn biên tập Wagtail" in home
