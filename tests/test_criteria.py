"""Criteria sets: sample data, whole-tree rules, loading, xlsx, versions, comparison, admin."""

import importlib
import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from openpyxl import Workbook, load_workbook
from wagtail.models import Page
from wagtail.test.utils.form_data import querydict_from_html

from assessments.comparison import compare_sets
from assessments.criteria_files import read_xlsx, write_xlsx
from assessments.interchange import InterchangeError, criteria_set_to_data, parse_criteria_set
from assessments.models import Campaign, CriteriaSet, Indicator, SubjectKind
from assessments.rules import criteria_set_problems
from assessments.services.criteria import (
    CriteriaSetFrozen,
    criteria_set_freeze,
    criteria_set_load,
    criteria_set_new_version,
)
from learning_units.models import LearningUnit
from tests.factories import UserFactory
from tests.factories.assessments import (
    SAMPLE_DIR,
    CampaignCriteriaSetFactory,
    CriteriaSetFactory,
    sample_raw,
    unit_raw,
)
from tests.refusals import assert_refused_to_admin_home

SAMPLES = sorted(path.stem for path in SAMPLE_DIR.glob("*.json"))


def load(raw):
    return criteria_set_load(raw=raw).criteria_set


def problem_codes(raw):
    return [problem.code for problem in criteria_set_problems(parse_criteria_set(raw))]


def run_command(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


# Sample sets


def test_every_sample_set_is_valid():
    assert len(SAMPLES) == 7
    for name in SAMPLES:
        assert problem_codes(sample_raw(name)) == [], name


@pytest.mark.parametrize("group", [1, 2, 3])
def test_citizen_sample_sets_have_three_criteria_ten_indicators_and_100_points(group):
    data = parse_criteria_set(sample_raw(f"cong-dan-nhom-{group}"))
    assert (data["subject_kind"], data["target_group"]) == ("citizen", group)
    assert [len(criterion["indicators"]) for criterion in data["criteria"]] == [4, 4, 2]
    assert data["total_points"] == 100
    assert data["legal_basis_number"] == "324/QĐ-KHVN"
    assert "244" in data["description"] and "324" in data["description"]
    indicators = [i for criterion in data["criteria"] for i in criterion["indicators"]]
    assert [i["code"] for i in indicators if i["is_digital_skill"]] == ["2.1"]
    assert all(len(indicator["guidance"]) > 80 for indicator in indicators)


def test_citizen_sample_sets_word_each_target_group_differently():
    guidance = [
        parse_criteria_set(sample_raw(f"cong-dan-nhom-{group}"))["criteria"][1]["indicators"][0][
            "guidance"
        ]
        for group in (1, 2, 3)
    ]
    assert len(set(guidance)) == 3


def test_learning_unit_sample_set_follows_circular_22():
    data = parse_criteria_set(sample_raw("don-vi-hoc-tap"))
    assert [criterion["max_points"] for criterion in data["criteria"]] == [30, 30, 40]
    assert [(band["label"], band["min_points"]) for band in data["rating_bands"]] == [
        ("Tốt", 85),
        ("Khá", 70),
        ("Trung bình", 50),
    ]
    assert "24/2023/TT-BGDĐT" in data["legal_basis_number"]
    effect = data["criteria"][2]["indicators"]
    assert any("90%" in indicator["title"] for indicator in effect)


def test_learning_family_sample_set_has_four_criteria_the_first_worth_30():
    data = parse_criteria_set(sample_raw("gia-dinh-hoc-tap"))
    assert len(data["criteria"]) == 4
    assert data["criteria"][0]["max_points"] == 30
    assert data["legal_basis_number"] == "448/QĐ-KHVN"


def test_the_sample_unit_sets_mark_their_members_results_indicator():
    marked = {
        name: [
            indicator["code"]
            for criterion in sample_raw(name)["criteria"]
            for indicator in criterion["indicators"]
            if indicator.get("is_members_result")
        ]
        for name in SAMPLES
    }
    assert {name: codes for name, codes in marked.items() if codes} == {
        "don-vi-hoc-tap": ["3.1"],
        "dong-ho-hoc-tap": ["3.1"],
        "gia-dinh-hoc-tap": ["2.3"],
    }


def test_the_members_results_flag_travels_with_a_loaded_set(db):
    criteria_set = load(sample_raw("gia-dinh-hoc-tap"))
    flagged = Indicator.objects.filter(criterion__criteria_set=criteria_set, is_members_result=True)
    assert [indicator.code for indicator in flagged] == ["2.3"]
    data = criteria_set_to_data(criteria_set)
    assert [
        indicator["code"]
        for criterion in data["criteria"]
        for indicator in criterion["indicators"]
        if indicator["is_members_result"]
    ] == ["2.3"]


def test_the_migration_marks_indicators_by_the_tag_that_recognised_them_before(db):
    from django.apps import apps

    migration = importlib.import_module("assessments.migrations.0005_indicator_is_members_result")
    criteria_set = load(sample_raw("dong-ho-hoc-tap"))
    Indicator.objects.update(is_members_result=False)
    indicator = Indicator.objects.get(criterion__criteria_set=criteria_set, code="1.1")
    indicator.competency_tags.add("Công Dân Học Tập")  # the old comparison ignored case
    indicator.save()

    migration.mark_members_results(apps, None)

    flagged = Indicator.objects.filter(is_members_result=True).order_by("code")
    assert [indicator.code for indicator in flagged] == ["1.1", "3.1"]


def test_subject_kinds_match_the_kinds_of_learning_units():
    assert set(LearningUnit.Kind.values) | {"citizen"} == set(SubjectKind.values)


# Whole-tree rules


def test_a_valid_set_has_no_problems():
    assert problem_codes(unit_raw()) == []


def test_criteria_that_do_not_add_up_to_the_total_are_a_problem():
    problems = criteria_set_problems(parse_criteria_set(unit_raw(total_points=110)))
    assert [problem.code for problem in problems] == ["criteria_total"]
    assert "100" in problems[0].message and "110" in problems[0].message


def test_indicators_that_do_not_add_up_to_their_criterion_are_a_problem():
    raw = unit_raw()
    raw["criteria"][0]["indicators"][0]["max_points"] = "12.5"
    problems = criteria_set_problems(parse_criteria_set(raw))
    assert "criterion_total" in [problem.code for problem in problems]
    assert any("32,5" in p.message or "32.5" in p.message for p in problems)


def test_a_criterion_minimum_above_its_points_is_a_problem():
    raw = unit_raw()
    raw["criteria"][1]["min_points"] = 31
    assert problem_codes(raw) == ["criterion_minimum"]


def test_a_criterion_minimum_equal_to_its_points_is_allowed():
    raw = unit_raw()
    raw["criteria"][1]["min_points"] = 30
    assert problem_codes(raw) == []


@pytest.mark.parametrize("pass_mark", [-1, "100.01"])
def test_a_pass_mark_outside_the_total_is_a_problem(pass_mark):
    assert "pass_mark_range" in problem_codes(unit_raw(pass_mark=pass_mark))


def test_bands_must_lie_within_the_total_and_start_at_different_points():
    raw = unit_raw()
    raw["rating_bands"] = [
        {"label": "Xuất sắc", "min_points": 101},
        {"label": "Tốt", "min_points": 50},
        {"label": "Khá", "min_points": 50},
    ]
    assert sorted(problem_codes(raw)) == ["band_range", "duplicate_band_minimum"]


def test_a_lowest_band_above_the_pass_mark_is_a_problem():
    raw = unit_raw(pass_mark=40)
    assert problem_codes(raw) == ["band_above_pass_mark"]


def test_codes_must_be_unique_within_a_set():
    raw = unit_raw()
    raw["criteria"][1]["code"] = "1"
    raw["criteria"][2]["indicators"][0]["code"] = "1.1"
    assert sorted(problem_codes(raw)) == ["duplicate_criterion_code", "duplicate_indicator_code"]


def test_a_criterion_without_indicators_is_a_problem():
    raw = unit_raw()
    raw["criteria"][0]["indicators"] = []
    assert "no_indicators" in problem_codes(raw)


def test_a_citizens_set_needs_a_target_group(db):
    with pytest.raises(ValidationError) as error:
        CriteriaSetFactory.build(target_group=None).full_clean()
    assert "target_group" in error.value.message_dict


def test_a_collective_set_has_no_target_group():
    with pytest.raises(ValidationError) as error:
        CriteriaSetFactory.build(subject_kind=SubjectKind.FAMILY, target_group=1).clean()
    assert "target_group" in error.value.message_dict


def test_the_database_refuses_a_collective_set_with_a_target_group(db):
    with pytest.raises(IntegrityError):
        CriteriaSetFactory(subject_kind=SubjectKind.FAMILY, target_group=1)


def test_years_in_force_must_be_in_order():
    with pytest.raises(ValidationError) as error:
        CriteriaSetFactory.build(valid_from_year=2025, valid_to_year=2024).clean()
    assert "valid_to_year" in error.value.message_dict


# Loading, freezing, files


def test_load_criteria_is_idempotent(db):
    run_command("load_criteria", *[SAMPLE_DIR / f"{name}.json" for name in SAMPLES])
    ids = sorted(Indicator.objects.values_list("pk", flat=True))
    output = run_command("load_criteria", *[SAMPLE_DIR / f"{name}.json" for name in SAMPLES])
    assert output.count("unchanged") == 7
    assert CriteriaSet.objects.count() == 7
    assert sorted(Indicator.objects.values_list("pk", flat=True)) == ids


def test_loading_changed_contents_updates_a_set_that_is_not_frozen(db):
    load(unit_raw())
    raw = unit_raw(title="Bộ tiêu chí đã sửa")
    raw["criteria"][0]["indicators"][0]["guidance"] = "Giải thích mới."
    result = criteria_set_load(raw=raw)
    assert result.outcome == "updated"
    assert criteria_set_to_data(result.criteria_set) == parse_criteria_set(raw)
    assert CriteriaSet.objects.count() == 1


def test_load_criteria_refuses_to_change_a_frozen_set(db, tmp_path):
    criteria_set_freeze(criteria_set=load(unit_raw()))
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(unit_raw(title="Sửa sau khi đã dùng")), encoding="utf-8")
    with pytest.raises(CommandError, match="không thể sửa nữa"):
        run_command("load_criteria", path)
    assert CriteriaSet.objects.get().title == "Bộ tiêu chí thử nghiệm"


def test_loading_a_frozen_set_unchanged_is_not_an_error(db):
    criteria_set_freeze(criteria_set=load(unit_raw()))
    assert criteria_set_load(raw=unit_raw()).outcome == "unchanged"


def test_frozen_sets_refuse_changes_through_the_service(db):
    criteria_set_freeze(criteria_set=load(unit_raw()))
    with pytest.raises(CriteriaSetFrozen):
        criteria_set_load(raw=unit_raw(pass_mark=60))


def test_only_published_sets_can_be_frozen(db):
    draft = load(unit_raw(status="draft"))
    with pytest.raises(ValueError, match="draft"):
        criteria_set_freeze(criteria_set=draft)


def test_freezing_twice_keeps_the_first_time(db):
    criteria_set = load(unit_raw())
    criteria_set_freeze(criteria_set=criteria_set)
    first = criteria_set.frozen_at
    criteria_set_freeze(criteria_set=criteria_set)
    assert CriteriaSet.objects.get().frozen_at == first


def test_load_criteria_saves_nothing_when_one_file_is_wrong(db, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(unit_raw()), encoding="utf-8")
    bad_raw = unit_raw(code="HONG")
    bad_raw["criteria"][0]["indicators"][0]["max_points"] = "mười"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_raw), encoding="utf-8")
    with pytest.raises(CommandError, match="max_points"):
        run_command("load_criteria", good, bad)
    assert CriteriaSet.objects.count() == 0


def test_load_criteria_reports_totals_that_do_not_add_up(db, tmp_path):
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(unit_raw(total_points=90)), encoding="utf-8")
    with pytest.raises(CommandError, match="THU-NGHIEM v1"):
        run_command("load_criteria", path)


def test_load_criteria_checks_the_code_format(db):
    with pytest.raises(InterchangeError, match="chữ in hoa"):
        criteria_set_load(raw=unit_raw(code="thu nghiem"))


def test_xlsx_export_then_import_gives_back_the_same_set(db, tmp_path):
    page = Page.get_first_root_node().add_child(instance=Page(title="Hướng dẫn", slug="huong-dan"))
    raw = unit_raw(legal_basis_date="2020-08-06", description="Dòng 1\nDòng 2")
    raw["criteria"][0]["indicators"][0] |= {
        "max_points": "2.5",
        "competency_tags": ["kỹ năng số", "tự học"],
        "guidance_pages": [page.url_path],
    }
    raw["criteria"][0]["indicators"][1]["max_points"] = "17.5"
    raw["criteria"][0]["min_points"] = "12.5"
    original = load(raw)
    path = tmp_path / "set.xlsx"
    run_command("export_criteria", "THU-NGHIEM", "1", path)
    before = criteria_set_to_data(original)
    assert parse_criteria_set(read_xlsx(path)) == before

    CriteriaSet.objects.all().delete()
    run_command("load_criteria", path)
    assert criteria_set_to_data(CriteriaSet.objects.get()) == before


def test_an_xlsx_indicator_row_must_name_an_existing_criterion():
    workbook = load_workbook(io.BytesIO(write_xlsx(parse_criteria_set(unit_raw()))))
    workbook["indicators"]["A2"] = "7"
    changed = io.BytesIO()
    workbook.save(changed)
    changed.seek(0)
    with pytest.raises(InterchangeError, match="dòng 2"):
        read_xlsx(changed)


def test_a_workbook_without_the_expected_sheets_is_refused():
    output = io.BytesIO()
    Workbook().save(output)
    output.seek(0)
    with pytest.raises(InterchangeError) as error:
        read_xlsx(output)
    assert len(error.value.errors) == 4


def test_unknown_fields_and_wrong_types_are_reported_with_their_place():
    raw = unit_raw(pass_mark="năm mươi", colour="xanh")
    raw["criteria"][1]["indicators"][2]["evidence_required"] = "có lẽ"
    with pytest.raises(InterchangeError) as error:
        parse_criteria_set(raw)
    messages = "\n".join(error.value.errors)
    assert "colour" in messages
    assert "pass_mark" in messages
    assert "2.3" in messages and "evidence_required" in messages


# Versions and comparison


def test_new_version_copies_the_whole_tree_as_a_draft(db):
    page = Page.get_first_root_node().add_child(instance=Page(title="Tập huấn", slug="tap-huan"))
    raw = unit_raw()
    raw["criteria"][1]["indicators"][1]["guidance_pages"] = [page.url_path]
    original = load(raw)
    criteria_set_freeze(criteria_set=original)
    copy = criteria_set_new_version(criteria_set=original)
    assert (copy.version, copy.status, copy.is_frozen) == (2, "draft", False)
    assert criteria_set_to_data(copy) == {
        **criteria_set_to_data(original),
        "version": 2,
        "status": "draft",
    }
    assert Indicator.objects.filter(criterion__criteria_set=copy).count() == 10
    assert (
        set(Indicator.objects.filter(criterion__criteria_set=original).values_list("pk"))
        & set(Indicator.objects.filter(criterion__criteria_set=copy).values_list("pk"))
        == set()
    )


def test_new_version_of_an_old_version_takes_the_next_free_number(db):
    first = load(unit_raw())
    criteria_set_new_version(criteria_set=first)
    assert criteria_set_new_version(criteria_set=first).version == 3


def test_compare_lists_added_removed_and_changed_rows():
    old = parse_criteria_set(unit_raw())
    raw = unit_raw(pass_mark=55)
    third = raw["criteria"][2]
    third["indicators"][0] |= {"max_points": 15, "guidance": "Giải thích mới."}
    third["indicators"][1]["max_points"] = 5
    del third["indicators"][3]
    third["indicators"].append({**unit_raw()["criteria"][2]["indicators"][3], "code": "3.5"})
    raw["rating_bands"][0]["min_points"] = 90
    changes = compare_sets(old, parse_criteria_set(raw))
    summary = [(c.level, c.code, c.kind) for c in changes]
    assert summary == [
        ("set", "THU-NGHIEM", "changed"),
        ("band", "Tốt", "changed"),
        ("indicator", "3.1", "changed"),
        ("indicator", "3.2", "changed"),
        ("indicator", "3.5", "added"),
        ("indicator", "3.4", "removed"),
    ]
    changed_3_1 = changes[2]
    assert (changed_3_1.old_points, changed_3_1.new_points) == (10, 15)
    assert {str(field.label) for field in changed_3_1.fields} == {
        "điểm",
        "giải thích dễ hiểu",
    }
    assert [(f.old, f.new) for f in changes[0].fields] == [(Decimal(50), Decimal(55))]


def test_comparing_a_set_with_itself_finds_nothing():
    data = parse_criteria_set(sample_raw("cong-dan-nhom-1"))
    assert compare_sets(data, data) == []


# Admin


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="superuser", is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def criteria_set(db):
    return load(sample_raw("don-vi-hoc-tap"))


def admin_urls(criteria_set):
    pk = criteria_set.pk
    return {
        "list": "/admin/criteria_sets/",
        "inspect": f"/admin/criteria_sets/inspect/{pk}/",
        "edit": f"/admin/criteria_sets/edit/{pk}/",
        "new version": f"/admin/criteria_sets/new-version/{pk}/",
        "compare": "/admin/criteria_sets/compare/?code=DON-VI",
        "export": f"/admin/criteria_sets/export/{pk}/",
        "import": "/admin/criteria_sets/import/",
    }


def test_admin_views_render_for_a_superuser(admin_client, criteria_set):
    criteria_set_new_version(criteria_set=criteria_set)
    for name, url in admin_urls(criteria_set).items():
        response = admin_client.get(url)
        assert response.status_code == 200, name


def test_admin_views_are_refused_to_a_user_without_admin_access(client, criteria_set):
    client.force_login(UserFactory())
    for name, url in admin_urls(criteria_set).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith("/admin/login/"), name


def test_admin_views_are_refused_to_an_admin_user_without_criteria_permissions(
    client, criteria_set
):
    group = Group.objects.create(name="Chỉ vào trang quản trị")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = UserFactory()
    user.groups.add(group)
    client.force_login(user)
    for url in admin_urls(criteria_set).values():
        assert_refused_to_admin_home(client.get(url))
    assert_refused_to_admin_home(client.post(admin_urls(criteria_set)["new version"]))
    assert CriteriaSet.objects.count() == 1


def test_a_user_with_view_permission_may_inspect_but_not_edit(client, criteria_set):
    group = Group.objects.create(name="Xem bộ tiêu chí")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_criteriaset"),
    )
    user = UserFactory()
    user.groups.add(group)
    client.force_login(user)
    urls = admin_urls(criteria_set)
    assert client.get(urls["inspect"]).status_code == 200
    assert client.get(urls["compare"]).status_code == 200
    assert_refused_to_admin_home(client.get(urls["edit"]))
    assert_refused_to_admin_home(client.get(urls["new version"]))


def test_the_inspect_page_shows_the_whole_tree(admin_client, criteria_set):
    html = admin_client.get(admin_urls(criteria_set)["inspect"]).content.decode()
    data = criteria_set_to_data(criteria_set)
    for criterion in data["criteria"]:
        assert criterion["title"] in html
        for indicator in criterion["indicators"]:
            assert indicator["title"] in html
            assert indicator["guidance"].split(".")[0] in html
    assert "Trung bình" in html


def edit_form_data(client, url):
    data = querydict_from_html(client.get(url).content.decode(), form_id="w-editor-form")
    for key in [key for key in data if key.endswith("guidance_pages")]:
        del data[key]  # an empty multiple select, read by the helper as its first option
    return data


def test_editing_the_tree_in_the_admin_saves_it(admin_client, criteria_set):
    url = admin_urls(criteria_set)["edit"]
    data = edit_form_data(admin_client, url)
    data["criteria-0-indicators-0-guidance"] = "Giải thích mới, dễ hiểu hơn."
    data["criteria-0-indicators-0-max_points"] = "12"
    data["criteria-0-indicators-1-max_points"] = "8"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    indicators = criteria_set.criteria.first().indicators.all()
    assert [indicator.max_points for indicator in indicators] == [12, 8, 10]
    assert indicators[0].guidance == "Giải thích mới, dễ hiểu hơn."


def test_the_admin_refuses_a_tree_whose_totals_do_not_add_up(admin_client, criteria_set):
    url = admin_urls(criteria_set)["edit"]
    data = edit_form_data(admin_client, url)
    data["criteria-0-indicators-0-max_points"] = "12"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert b"32" in response.content
    assert criteria_set.criteria.first().indicators.first().max_points == 10


def test_a_frozen_set_cannot_be_edited_or_deleted_in_the_admin(admin_client, criteria_set):
    urls = admin_urls(criteria_set)
    data = edit_form_data(admin_client, urls["edit"])  # opened before the first assessment
    criteria_set_freeze(criteria_set=criteria_set)
    data["title"] = "Sửa bộ đã dùng"
    response = admin_client.post(urls["edit"], data)
    assert response.status_code == 302
    assert response["Location"] == urls["inspect"]
    assert CriteriaSet.objects.get().title != "Sửa bộ đã dùng"
    assert admin_client.get(urls["edit"])["Location"] == urls["inspect"]
    delete_url = f"/admin/criteria_sets/delete/{criteria_set.pk}/"
    assert admin_client.post(delete_url)["Location"] == urls["inspect"]
    assert CriteriaSet.objects.count() == 1


def test_a_frozen_set_offers_a_new_version_instead_of_editing(admin_client, criteria_set):
    criteria_set_freeze(criteria_set=criteria_set)
    html = admin_client.get(admin_urls(criteria_set)["inspect"]).content.decode()
    assert f'action="/admin/criteria_sets/new-version/{criteria_set.pk}/"' in html
    assert f"/admin/criteria_sets/edit/{criteria_set.pk}/" not in html


def test_new_version_in_the_admin_copies_the_set_and_opens_its_editor(admin_client, criteria_set):
    response = admin_client.post(admin_urls(criteria_set)["new version"])
    copy = CriteriaSet.objects.get(code="DON-VI", version=2)
    assert response["Location"] == f"/admin/criteria_sets/edit/{copy.pk}/"
    assert criteria_set_to_data(copy)["criteria"] == criteria_set_to_data(criteria_set)["criteria"]


def test_the_compare_page_shows_what_changed(admin_client, criteria_set):
    copy = criteria_set_new_version(criteria_set=criteria_set)
    indicator = Indicator.objects.get(criterion__criteria_set=copy, code="3.4")
    indicator.title = "Lan tỏa phong trào học tập rộng hơn"
    indicator.save()
    response = admin_client.get(
        f"/admin/criteria_sets/compare/?code=DON-VI&old={criteria_set.pk}&new={copy.pk}"
    )
    html = response.content.decode()
    assert "Lan tỏa phong trào học tập rộng hơn" in html
    assert "3.4" in html


def test_the_admin_export_is_a_workbook_of_the_set(admin_client, criteria_set):
    response = admin_client.get(admin_urls(criteria_set)["export"])
    assert response["Content-Disposition"] == 'attachment; filename="DON-VI-v1.xlsx"'
    workbook = read_xlsx(io.BytesIO(response.content))
    assert parse_criteria_set(workbook) == criteria_set_to_data(criteria_set)


def test_the_admin_import_previews_then_applies(admin_client, db):
    upload = io.BytesIO(json.dumps(unit_raw()).encode())
    upload.name = "bo-moi.json"
    response = admin_client.post("/admin/criteria_sets/import/", {"file": upload})
    assert response.status_code == 200
    assert CriteriaSet.objects.count() == 0  # a preview saves nothing
    payload = response.context["payload"]
    response = admin_client.post("/admin/criteria_sets/import/", {"payload": payload})
    assert response.status_code == 302
    assert criteria_set_to_data(CriteriaSet.objects.get()) == parse_criteria_set(unit_raw())


def test_the_admin_import_lists_problems_and_offers_no_import(admin_client, db):
    upload = io.BytesIO(json.dumps(unit_raw(total_points=90)).encode())
    upload.name = "bo-sai.json"
    response = admin_client.post("/admin/criteria_sets/import/", {"file": upload})
    assert response.context["can_apply"] is False
    assert 'name="payload"' not in response.content.decode()


def test_a_set_used_by_a_campaign_stays_published(admin_client, criteria_set):
    CampaignCriteriaSetFactory(
        campaign__subject_kind=SubjectKind.ORGANISATION,
        campaign__status=Campaign.Status.DRAFT,
        target_group=None,
        criteria_set=criteria_set,
    )
    url = admin_urls(criteria_set)["edit"]
    data = edit_form_data(admin_client, url)
    data["status"] = "draft"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert CriteriaSet.objects.get(pk=criteria_set.pk).status == "published"


def test_load_demo_loads_the_sample_sets_and_a_campaign(demo_site):
    assert CriteriaSet.objects.filter(status="published").count() == 7
    campaign = Campaign.objects.get(status="open")
    assert campaign.assigned_sets.count() == 3
