"""Training materials: creation rules, inherited listings, filters, search, quiz, completion."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page, Site

from home.blocks import QuizQuestionBlock
from home.models import (
    CommunePage,
    GuidancePage,
    HomePage,
    NewsIndexPage,
    ProvincePage,
    TrainingIndexPage,
    TrainingLevel,
    TrainingMaterialPage,
)
from home.models.training import TrainingMaterialForm, join_target_groups, split_target_groups
from home.training import completion_for, quiz_check, training_material_complete
from learning_units.models import Citizen, CourseCompletion
from tests.factories import CitizenFactory, CommuneFactory, UserFactory
from tests.factories.assessments import IndicatorFactory

QUIZ = [
    {
        "question": "Kế hoạch học tập nên được xem lại bao lâu một lần?",
        "choices": ["Mỗi quý một lần", "Không bao giờ"],
        "correct_choice": 1,
        "explanation": "Đọc lại đoạn cuối.",
    },
    {
        "question": "Điều nào không thuộc kế hoạch?",
        "choices": ["Học gì", "Học phí", "Ai giúp"],
        "correct_choice": 2,
        "explanation": "",
    },
]


def add(parent, model, **values):
    page = model(**values)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return model.objects.get(pk=page.pk)


def material(index, title, *, quiz=(), groups=(), indicators=(), summary="Tóm tắt", hours="1.5"):
    page = TrainingMaterialPage(
        title=title,
        summary=summary,
        estimated_hours=Decimal(hours),
        target_groups=join_target_groups(groups),
        body=[{"type": "text", "value": f"<p>{title}</p>"}]
        + [{"type": "quiz", "value": question} for question in quiz],
    )
    index.add_child(instance=page)
    page.indicators.set(indicators)
    page.save_revision().publish()
    return TrainingMaterialPage.objects.get(pk=page.pk)


@pytest.fixture
def tree(db):
    """Home → two provinces → a commune each, each level with a training listing."""
    root = Page.get_first_root_node()
    home = add(root, HomePage, title="Trang chủ", slug="home-t", hero_title="H", hero_intro="I")
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )
    commune_area = CommuneFactory()
    other_commune_area = CommuneFactory()
    province = add(home, ProvincePage, title="Hải Phòng", area=commune_area.parent)
    other_province = add(home, ProvincePage, title="Hà Nội", area=other_commune_area.parent)
    commune = add(province, CommunePage, title="Gia Lộc", area=commune_area)
    other_commune = add(other_province, CommunePage, title="Ba Vì", area=other_commune_area)
    indexes = {
        name: add(parent, TrainingIndexPage, title=f"Tài liệu {name}", slug="tai-lieu")
        for name, parent in [
            ("national", home),
            ("province", province),
            ("other_province", other_province),
            ("commune", commune),
            ("other_commune", other_commune),
        ]
    }
    return {"home": home, "province_page": province, "commune_page": commune, **indexes}


def listed_titles(index, client=None, **params):
    response = (client or Client()).get(index.url, params)
    assert response.status_code == 200
    return [page.title for page in response.context["materials"]]


# Creation rules ---------------------------------------------------------------------------------


def test_listings_go_under_home_province_or_commune_only_once(tree):
    assert TrainingIndexPage.allowed_parent_page_models() == [HomePage, ProvincePage, CommunePage]
    for parent in (HomePage, ProvincePage, CommunePage):
        assert TrainingIndexPage in parent.allowed_subpage_models()
    assert not TrainingIndexPage.can_create_at(tree["commune_page"])  # already has one
    assert TrainingIndexPage not in GuidancePage.allowed_subpage_models()
    assert TrainingIndexPage not in NewsIndexPage.allowed_subpage_models()


def test_materials_go_only_under_a_training_listing(tree):
    assert TrainingMaterialPage.allowed_parent_page_models() == [TrainingIndexPage]
    assert TrainingIndexPage.allowed_subpage_models() == [TrainingMaterialPage]
    assert TrainingMaterialPage.allowed_subpage_models() == []
    assert not TrainingMaterialPage.can_create_at(tree["commune_page"])
    assert TrainingMaterialPage.can_create_at(tree["national"])


def test_level_follows_where_the_material_is_published(tree):
    assert material(tree["national"], "A").level == TrainingLevel.NATIONAL
    assert material(tree["province"], "B").level == TrainingLevel.PROVINCE
    assert material(tree["commune"], "C").level == TrainingLevel.COMMUNE


def test_quiz_block_rejects_a_right_answer_beyond_the_choices():
    block = QuizQuestionBlock()
    value = block.to_python({**QUIZ[0], "correct_choice": 3})
    with pytest.raises(ValidationError):
        block.clean(value)
    block.clean(block.to_python(QUIZ[0]))


def test_admin_form_stores_ticked_target_groups_as_one_string(tree):
    form_class = TrainingMaterialPage.get_edit_handler().get_form_class()
    assert issubclass(form_class, TrainingMaterialForm)
    page = material(tree["commune"], "Nhóm", groups=[3, 1])
    assert page.target_groups == ",1,3,"
    assert split_target_groups(page.target_groups) == [1, 3]
    form = form_class(
        instance=page, for_user=UserFactory(is_superuser=True), parent_page=tree["commune_page"]
    )
    assert form.initial["target_groups"] == [1, 3]
    assert form.fields["target_groups"].choices[0][0] == 1


# Inherited listings -------------------------------------------------------------------------------


def test_commune_listing_shows_own_province_and_national_materials_only(tree):
    material(tree["national"], "Quốc gia")
    material(tree["province"], "Tỉnh mình")
    material(tree["other_province"], "Tỉnh khác")
    material(tree["commune"], "Xã mình")
    material(tree["other_commune"], "Xã khác")
    assert listed_titles(tree["commune"]) == ["Xã mình", "Tỉnh mình", "Quốc gia"]
    assert listed_titles(tree["province"]) == ["Tỉnh mình", "Quốc gia"]
    assert listed_titles(tree["national"]) == ["Quốc gia"]


def test_drafts_are_not_listed(tree):
    draft = material(tree["commune"], "Bản nháp")
    draft.unpublish()
    assert listed_titles(tree["commune"]) == []


def test_listing_queries_stay_constant(tree, django_assert_max_num_queries):
    for n in range(3):
        material(tree["province"], f"Tỉnh {n}", indicators=[IndicatorFactory()])
    client = Client()
    client.get(tree["commune"].url)  # warm the site and locale caches
    with CaptureQueriesContext(connection) as few:
        client.get(tree["commune"].url)
    for n in range(12):
        material(tree["commune"], f"Xã {n}", indicators=[IndicatorFactory()], groups=[1])
    with CaptureQueriesContext(connection) as many:
        response = client.get(tree["commune"].url)
    assert len(response.context["materials"]) == 12  # one page of the listing
    assert len(many) == len(few)


def test_listing_is_paginated_and_keeps_the_filters(tree):
    for n in range(14):
        material(tree["commune"], f"Bài {n:02d}", groups=[2])
    response = Client().get(tree["commune"].url, {"group": 2, "page": 2})
    assert [page.title for page in response.context["materials"]] == ["Bài 12", "Bài 13"]
    assert 'href="?group=2&amp;page=1"' in response.content.decode()


# Filters and search -----------------------------------------------------------------------------


def test_filter_by_target_group_keeps_materials_for_everyone(tree):
    material(tree["commune"], "Nông dân", groups=[1])
    material(tree["commune"], "Cán bộ", groups=[3])
    material(tree["commune"], "Mọi người")
    assert listed_titles(tree["commune"], group=1) == ["Mọi người", "Nông dân"]
    assert listed_titles(tree["commune"], group="x") == ["Cán bộ", "Mọi người", "Nông dân"]


def test_filter_by_indicator_and_competency(tree):
    digital = IndicatorFactory()
    digital.competency_tags.add("kỹ năng số")
    digital.save()  # cluster tags are written on save
    plan = IndicatorFactory()
    material(tree["commune"], "Dịch vụ công", indicators=[digital])
    material(tree["province"], "Kế hoạch", indicators=[plan])
    response = Client().get(tree["commune"].url)
    assert {i.pk for i in response.context["indicator_options"]} == {digital.pk, plan.pk}
    assert [t.name for t in response.context["competency_options"]] == ["kỹ năng số"]
    assert listed_titles(tree["commune"], indicator=plan.pk) == ["Kế hoạch"]
    slug = digital.competency_tags.get().slug
    assert listed_titles(tree["commune"], competency=slug) == ["Dịch vụ công"]


@pytest.mark.parametrize("query", ["hoc tap", "HỌC TẬP", "học   tap", "ke hoach hoc"])
def test_search_ignores_accents_and_case(tree, query):
    material(tree["commune"], "Lập kế hoạch học tập của bản thân")
    material(tree["commune"], "Dùng dịch vụ công", summary="Nộp hồ sơ trực tuyến")
    assert listed_titles(tree["commune"], q=query) == ["Lập kế hoạch học tập của bản thân"]


def test_search_reads_summary_and_body_and_needs_every_word(tree):
    material(tree["commune"], "Dùng dịch vụ công", summary="Nộp hồ sơ trực tuyến")
    assert listed_titles(tree["commune"], q="ho so") == ["Dùng dịch vụ công"]
    assert listed_titles(tree["commune"], q="ho so vang") == []


def test_materials_are_found_by_the_site_search_too(tree):
    material(tree["commune"], "Lập kế hoạch học tập")
    response = Client().get("/search/", {"q": "ke hoach hoc tap"})
    assert "Lập kế hoạch học tập" in response.content.decode()


# Quiz scoring -----------------------------------------------------------------------------------


def answers_for(page, *choices):
    return {
        f"quiz-{block.id}": str(choice)
        for block, choice in zip(page.quiz_blocks(), choices, strict=False)
    }


def test_quiz_passes_only_with_every_answer_right(tree):
    page = material(tree["commune"], "Trắc nghiệm", quiz=QUIZ)
    assert quiz_check(page=page, answers=answers_for(page, 1, 2)).passed
    wrong = quiz_check(page=page, answers=answers_for(page, 1, 3))
    assert not wrong.passed and [q.number for q in wrong.wrong] == [2]
    unanswered = quiz_check(page=page, answers={})
    assert len(unanswered.wrong) == 2
    assert not quiz_check(page=page, answers=answers_for(page, "1x", 2)).passed


# Marking as studied ------------------------------------------------------------------------------


@pytest.fixture
def citizen_client(tree):
    user = UserFactory()
    citizen = CitizenFactory(user=user)
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    return citizen, client


def studied_url(page):
    return page.url + page.reverse_subpage("studied")


def test_right_answers_create_one_completion_for_this_site(tree, citizen_client):
    citizen, client = citizen_client
    indicator = IndicatorFactory()
    indicator.competency_tags.add("kế hoạch học tập")
    indicator.save()
    page = material(tree["commune"], "Trắc nghiệm", quiz=QUIZ, indicators=[indicator])
    response = client.post(studied_url(page), answers_for(page, 1, 2))
    assert response.status_code == 302
    assert response["Location"].endswith(page.url + "#studied")
    completion = CourseCompletion.objects.get(citizen=citizen)
    assert completion.provider == CourseCompletion.Provider.SITE
    assert completion.source == CourseCompletion.Source.SITE
    assert completion.course_id == str(page.pk)
    assert completion.course_url == "http://testserver" + page.url
    assert completion.hours == Decimal("1.5")
    assert completion.completed_on == datetime.date.today()
    assert completion.course_title == page.title
    assert completion.competency_tags == "kế hoạch học tập"


def test_wrong_answers_record_nothing_and_keep_what_was_ticked(tree, citizen_client):
    citizen, client = citizen_client
    page = material(tree["commune"], "Trắc nghiệm", quiz=QUIZ)
    response = client.post(studied_url(page), answers_for(page, 1, 3))
    assert response.status_code == 200
    assert not CourseCompletion.objects.exists()
    html = response.content.decode()
    first, second = page.quiz_blocks()
    assert f'name="quiz-{first.id}" value="1" form="studied-form" checked' in html
    assert f'name="quiz-{second.id}" value="3" form="studied-form" checked' in html
    questions = response.context["quiz"]
    assert [q.wrong for q in questions] == [False, True]
    assert "quiz--wrong" in html
    assert html.count("message--error") == 1  # "1 of 2 answers are not right yet…"


# Session, user, site, page, routing, messages…: 22 before the citizen and the completion were
# read once each (they were read three times); 2 more since the language switch links the page's
# translation, or the page itself when there is none (home/languages.py).
WRONG_ANSWER_QUERIES = 20


def test_a_wrong_answer_looks_the_citizen_and_the_progress_up_once(tree, citizen_client):
    citizen, client = citizen_client
    page = material(tree["commune"], "Trắc nghiệm", quiz=QUIZ)
    answers = answers_for(page, 1, 3)
    client.post(studied_url(page), answers)  # warm caches (site root, locale)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(studied_url(page), answers)
    assert response.status_code == 200
    tables = [Citizen._meta.db_table, CourseCompletion._meta.db_table]
    looked_up = [
        [query for query in queries if f'FROM "{table}"' in query["sql"]] for table in tables
    ]
    assert [len(found) for found in looked_up] == [1, 1]
    assert len(queries) <= WRONG_ANSWER_QUERIES


def test_visitors_see_the_quiz_without_a_citizen_lookup(tree, client):
    page = material(tree["commune"], "Trắc nghiệm", quiz=QUIZ)
    client.get(page.url)  # warm caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url)
    assert response.status_code == 200
    assert response.context["citizen"] is None and len(response.context["quiz"]) == 2
    assert not [query for query in queries if Citizen._meta.db_table in query["sql"]]


def test_marking_twice_is_idempotent(tree, citizen_client):
    citizen, client = citizen_client
    page = material(tree["commune"], "Không có câu hỏi")
    for _ in range(3):
        assert client.post(studied_url(page)).status_code == 302
    assert CourseCompletion.objects.filter(citizen=citizen).count() == 1
    # The service too: a second call finds the first completion, whatever the answers.
    completion, created = training_material_complete(page=page, citizen=citizen, answers={}, url="")
    assert not created and completion == completion_for(page=page, citizen=citizen)


def test_completions_are_unique_per_citizen_and_material(tree, citizen_client):
    citizen, _client = citizen_client
    page = material(tree["commune"], "Một lần")
    _first, created = training_material_complete(page=page, citizen=citizen, answers={}, url="")
    assert created
    _second, created = training_material_complete(
        page=page, citizen=CitizenFactory(), answers={}, url=""
    )
    assert created  # another citizen
    assert CourseCompletion.objects.count() == 2


def test_the_same_material_in_another_language_counts_once(tree, citizen_client):
    citizen, _client = citizen_client
    page = material(tree["commune"], "Một lần")
    english, _ = Locale.objects.get_or_create(language_code="en")
    translation = page.copy_for_translation(english, copy_parents=True).specific
    training_material_complete(page=page, citizen=citizen, answers={}, url="")
    _same, created = training_material_complete(
        page=translation, citizen=citizen, answers={}, url=""
    )
    assert not created and CourseCompletion.objects.count() == 1


def test_anonymous_visitor_is_sent_to_log_in(tree):
    page = material(tree["commune"], "Mở")
    response = Client().post(studied_url(page))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not CourseCompletion.objects.exists()
    assert 'href="/accounts/login/?next=' in Client().get(page.url).content.decode()


def test_get_on_the_action_is_not_allowed(tree, citizen_client):
    page = material(tree["commune"], "Mở")
    assert citizen_client[1].get(studied_url(page)).status_code == 405


def test_user_without_citizen_record_gets_a_clear_message(tree):
    page = material(tree["commune"], "Mở")
    client = Client()
    client.force_login(UserFactory())
    response = client.post(studied_url(page), follow=True)
    assert not CourseCompletion.objects.exists()
    html = response.content.decode()
    assert html.count("message--error") == 1
    assert 'id="studied-form"' not in html  # the page explains instead of offering the button


def test_action_requires_csrf_token(tree, citizen_client):
    citizen, _ = citizen_client
    page = material(tree["commune"], "Mở")
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen.user)
    assert client.post(studied_url(page)).status_code == 403
    response = client.get(page.url)
    token = response.cookies["csrftoken"].value
    assert client.post(studied_url(page), {"csrfmiddlewaretoken": token}).status_code == 302
    assert CourseCompletion.objects.count() == 1


def test_page_shows_studied_state_and_is_never_cached(tree, citizen_client):
    citizen, client = citizen_client
    page = material(tree["commune"], "Mở", quiz=QUIZ)
    response = client.get(page.url)
    assert 'id="studied-form"' in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    client.post(studied_url(page), answers_for(page, 1, 2))
    html = client.get(page.url).content.decode()
    assert 'id="studied-form"' not in html
    assert "/accounts/courses/" in html
    courses = client.get("/accounts/courses/").content.decode()
    assert "Mở" in courses


# Editors ------------------------------------------------------------------------------------------


def test_editor_creates_a_material_with_a_quiz_in_the_admin(tree):
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    indicator = IndicatorFactory()
    admin = UserFactory(is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    index = tree["commune"]
    add_url = f"/admin/pages/add/home/trainingmaterialpage/{index.pk}/"
    form_page = client.get(add_url)
    assert form_page.status_code == 200
    assert 'name="target_groups"' in form_page.content.decode()
    choices = {
        "count": 2,
        "0": {"value": "Đúng", "deleted": "", "order": "0"},
        "1": {"value": "Sai", "deleted": "", "order": "1"},
    }
    quiz = {"question": "Câu hỏi?", "choices": choices, "correct_choice": "1", "explanation": ""}
    data = nested_form_data(
        {
            "title": "Bài mới",
            "slug": "bai-moi",
            "summary": "Tóm tắt",
            "estimated_hours": "2",
            "indicators": indicator.pk,
            "body": streamfield([("text", rich_text("<p>Nội dung</p>")), ("quiz", quiz)]),
            "action-publish": "publish",
        }
    )
    data["target_groups"] = ["1", "3"]  # ticked boxes
    response = client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = TrainingMaterialPage.objects.get(slug="bai-moi")
    assert page.live and page.target_groups == ",1,3,"
    assert list(page.indicators.all()) == [indicator]
    assert page.level == TrainingLevel.COMMUNE
    assert [block.value["choices"][0] for block in page.quiz_blocks()] == ["Đúng"]
