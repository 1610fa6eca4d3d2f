"""Criteria sets in English on English pages (issue #19): the English twins of the text fields,
the Vietnamese shown and marked where a twin is empty, Vietnamese pages as they were; a frozen
set still takes its English text and nothing else; no query per criterion."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from assessments.band_labels import band_plain
from assessments.criteria_files import NATIONAL_SETS_DIR
from assessments.models import CriteriaSet, Criterion, Indicator
from assessments.services.criteria import (
    CriteriaSetFrozen,
    criteria_set_freeze,
    criteria_set_load,
    criteria_set_translate,
)
from learning_units import page_cache
from reports.models import Indicator as TargetIndicator
from reports.models import Target
from reports.templatetags.reports_tags import public_stats
from tests.factories import (
    CentralAreaFactory,
    CommuneFactory,
    ProvinceFactory,
    ResidentialAreaFactory,
    UserFactory,
)
from tests.test_all_parts import started
from tests.test_self_assessment import citizen_raw

pytestmark = pytest.mark.django_db

NOTE_EN = "(in Vietnamese)"


@pytest.fixture
def place():
    commune = CommuneFactory(parent=ProvinceFactory(parent=CentralAreaFactory()))
    return ResidentialAreaFactory(parent=commune)


def url_in(language, name, *args):
    with translation.override(language):
        return reverse(name, args=args)


def step_html(client, assessment, language="vi", number=1):
    response = client.get(url_in(language, "assessments:step", assessment.pk, number))
    assert response.status_code == 200
    return response.content.decode()


def translate_first_criterion(criteria_set):
    criterion = criteria_set.criteria.get(code="1")
    indicator = criterion.indicators.get(code="1.1")
    criteria_set_translate(
        criteria_set=criteria_set,
        texts={
            criterion: {"title_en": "Self-learning"},
            indicator: {"title_en": "Keeps up with the news", "guidance_en": "Reads the news."},
        },
    )


# The national sets ------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(NATIONAL_SETS_DIR.glob("*.json")), ids=lambda p: p.stem)
def test_every_text_of_the_national_sets_has_english(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["title_en"] and data["description_en"]
    assert all(band["label_en"] for band in data["rating_bands"])
    for criterion in data["criteria"]:
        assert criterion["title_en"] and criterion["description_en"]
        for indicator in criterion["indicators"]:
            assert indicator["title_en"] and indicator["guidance_en"], indicator["code"]


def test_load_criteria_national_stores_the_english_text():
    call_command("load_criteria", "--national", stdout=io.StringIO())
    assert not Indicator.objects.filter(title_en="").exists()
    assert not Criterion.objects.filter(title_en="").exists()
    criterion = Criterion.objects.get(criteria_set__code="CONG-DAN-N1", code="1")
    assert criterion.title_en == "Self-learning and lifelong learning"
    with translation.override("en"):
        assert band_plain("Khá") == "Fair"
    with translation.override("vi"):
        assert band_plain("Khá") == "Khá"


def test_the_demo_loads_the_english_text(demo_site):
    assert Indicator.objects.exists()
    assert not Indicator.objects.filter(title_en="").exists()


# Pages --------------------------------------------------------------------------------------


def test_public_pages_show_related_indicators_in_the_readers_language():
    criteria_set = criteria_set_load(raw=citizen_raw(code="CD-TRANG")).criteria_set
    translate_first_criterion(criteria_set)
    indicators = list(Indicator.objects.filter(code__in=("1.1", "1.2")).order_by("code"))
    context = {"value": {"heading": "", "indicators": indicators}}
    with translation.override("en"):
        english = render_to_string("blocks/related_indicators_block.html", context)
    with translation.override("vi"):
        vietnamese = render_to_string("blocks/related_indicators_block.html", context)
    assert "Keeps up with the news</h3>" in english and "<p>Reads the news.</p>" in english
    assert '<span lang="vi">Chỉ báo 1.2</span>' in english and NOTE_EN in english
    assert "Chỉ báo 1.1</h3>" in vietnamese and 'lang="vi"' not in vietnamese


def test_an_english_page_shows_the_english_text(client, place):
    citizen, assessment, _campaign = started(place)
    translate_first_criterion(assessment.criteria_set)
    client.force_login(citizen.user)
    html = step_html(client, assessment, "en")
    assert "Self-learning</h1>" in html
    assert "Keeps up with the news</h2>" in html
    assert "<p>Reads the news.</p>" in html
    assert "Chỉ báo 1.1" not in html


def test_a_missing_translation_shows_the_vietnamese_marked(client, place):
    citizen, assessment, _campaign = started(place)
    translate_first_criterion(assessment.criteria_set)
    client.force_login(citizen.user)
    html = step_html(client, assessment, "en")
    assert (
        '<span lang="vi">Chỉ báo 1.2</span> <small class="untranslated-note">(in Vietnamese)'
        in html
    )
    assert '<div lang="vi"><p>Giải thích 1.2.</p></div>' in html
    overview = client.get(url_in("en", "assessments:overview", assessment.pk))
    assert '<span lang="vi">Năng lực 2</span>' in overview.content.decode()


def test_vietnamese_pages_are_unchanged(client, place):
    citizen, assessment, _campaign = started(place)
    translate_first_criterion(assessment.criteria_set)
    client.force_login(citizen.user)
    html = step_html(client, assessment, "vi")
    assert "Năng lực 1</h1>" in html and "Chỉ báo 1.1</h2>" in html
    assert "Self-learning" not in html
    assert 'lang="vi">' not in html.split("<body", 1)[1] and NOTE_EN not in html


def test_a_translation_of_a_frozen_set_shows_at_once(client, place):
    citizen, assessment, _campaign = started(place)
    client.force_login(citizen.user)
    assert '<span lang="vi">Năng lực 1</span>' in step_html(client, assessment, "en")  # kept
    translate_first_criterion(assessment.criteria_set)
    assert "Self-learning</h1>" in step_html(client, assessment, "en")


def test_the_review_screen_follows_the_officers_language(client, place):
    _citizen, assessment, _campaign = started(place)
    translate_first_criterion(assessment.criteria_set)
    officer = UserFactory(is_superuser=True, is_staff=True)
    profile = UserProfile.get_for_user(officer)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(officer)
    response = client.get(reverse("assessment_review:review", args=[assessment.pk]))
    html = response.content.decode()
    assert "Keeps up with the news" in html
    assert '<span lang="vi">Chỉ báo 1.2</span>' in html


def test_the_public_targets_are_named_in_the_readers_language():
    area = CentralAreaFactory()
    Target.objects.update_or_create(
        indicator=TargetIndicator.RECOGNITION_RATE, year=2030, area=None, defaults={"value": 80}
    )

    def label():
        targets = public_stats(area, 2026)["figures"]["targets"]
        rate = next(t for t in targets if t["indicator"] == TargetIndicator.RECOGNITION_RATE)
        return str(rate["label"])

    with translation.override("vi"):
        vietnamese = label()
    with translation.override("en"):  # the same cached figures
        assert label() == "Recognition rate" != vietnamese


# The freeze rule ----------------------------------------------------------------------------


def english_raw(**kwargs):
    raw = citizen_raw(code="CD-DICH", **kwargs)
    raw["criteria"][0]["title_en"] = "Self-learning"
    raw["criteria"][0]["indicators"][0]["guidance_en"] = "Reads the news."
    raw["rating_bands"][0]["label_en"] = "Passed"
    return raw


def test_a_frozen_set_takes_english_text_from_a_file():
    criteria_set = criteria_set_load(raw=citizen_raw(code="CD-DICH")).criteria_set
    criteria_set_freeze(criteria_set=criteria_set)
    frozen_at = CriteriaSet.objects.get().frozen_at

    result = criteria_set_load(raw=english_raw())

    assert result.outcome == "translated"
    stored = CriteriaSet.objects.get()
    assert stored.frozen_at == frozen_at and stored.translated_at is not None
    assert stored.criteria.get(code="1").title_en == "Self-learning"
    assert stored.rating_bands.get().label_en == "Passed"
    assert Indicator.objects.get(code="1.1").guidance_en == "Reads the news."
    assert criteria_set_load(raw=english_raw()).outcome == "unchanged"


def test_a_translation_purges_the_cached_public_pages(
    rf, settings, django_capture_on_commit_callbacks
):
    settings.CDHT_PAGE_CACHE = True
    criteria_set = criteria_set_load(raw=citizen_raw(code="CD-DICH")).criteria_set
    criteria_set_freeze(criteria_set=criteria_set)
    request = rf.get("/")
    setattr(request, page_cache.STATE, "eligible")  # an anonymous GET, as the middleware marks
    page_cache.declare(request, [page_cache.page_tag(1)])  # any page kept for anonymous visitors
    tags, tokens = getattr(request, page_cache.STATE)
    assert page_cache.CRITERIA_TEXT_TAG in tags

    with django_capture_on_commit_callbacks(execute=True):
        criteria_set_load(raw=english_raw())

    assert page_cache._tokens_now(tags) != tokens  # the stored page is stale now


def test_a_frozen_set_still_refuses_scoring_changes_with_english_text():
    criteria_set = criteria_set_load(raw=citizen_raw(code="CD-DICH")).criteria_set
    criteria_set_freeze(criteria_set=criteria_set)
    raw = english_raw()
    raw["criteria"][0]["indicators"][0]["max_points"] = 5
    raw["criteria"][0]["indicators"][1]["max_points"] = 15
    with pytest.raises(CriteriaSetFrozen):
        criteria_set_load(raw=raw)
    with pytest.raises(CriteriaSetFrozen):
        criteria_set_load(raw=english_raw(per_criterion=3) | {"pass_mark": 50})
    assert Criterion.objects.get(code="1").title_en == ""


def test_the_translation_service_refuses_any_other_field():
    criteria_set = criteria_set_load(raw=citizen_raw(code="CD-DICH")).criteria_set
    criteria_set_freeze(criteria_set=criteria_set)
    indicator = Indicator.objects.get(code="1.1")
    with pytest.raises(ValueError, match="Only the English text"):
        criteria_set_translate(criteria_set=criteria_set, texts={indicator: {"max_points": 1}})
    other = criteria_set_load(raw=citizen_raw(code="CD-KHAC")).criteria_set
    foreign = Indicator.objects.get(criterion__criteria_set=other, code="1.1")
    with pytest.raises(ValueError, match="not part of"):
        criteria_set_translate(criteria_set=criteria_set, texts={foreign: {"title_en": "x"}})


def test_editors_translate_a_frozen_set_in_the_admin_but_cannot_edit_it(client):
    criteria_set = criteria_set_load(raw=citizen_raw(code="CD-DICH")).criteria_set
    criteria_set_freeze(criteria_set=criteria_set)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = f"/admin/criteria_sets/translate/{criteria_set.pk}/"
    inspect = f"/admin/criteria_sets/inspect/{criteria_set.pk}/"
    assert url in client.get(inspect).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and 'lang="vi">Chỉ báo 1.1' in page.content.decode()
    indicator = Indicator.objects.get(code="1.1")
    data = {key: "" for key in page.context["form"].fields}
    data[f"indicator-{indicator.pk}-title_en"] = "Keeps up with the news"
    data[f"indicator-{indicator.pk}-max_points"] = "1"  # not a field of the form: ignored

    response = client.post(url, data)

    assert response.status_code == 302 and response["Location"] == inspect
    indicator.refresh_from_db()
    assert (indicator.title_en, indicator.max_points) == ("Keeps up with the news", 10)
    edit = client.get(f"/admin/criteria_sets/edit/{criteria_set.pk}/")
    assert edit["Location"] == inspect  # the scoring content stays frozen


def test_editors_without_change_permission_cannot_translate(client):
    criteria_set = criteria_set_load(raw=citizen_raw(code="CD-DICH")).criteria_set
    client.force_login(UserFactory())
    response = client.get(f"/admin/criteria_sets/translate/{criteria_set.pk}/")
    assert response.status_code in (302, 403)


# Queries ------------------------------------------------------------------------------------


def queries_of(client, url):
    client.get(url)  # warm the frozen set's caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_english_pages_cost_no_query_per_criterion(client, place):
    counts = []
    for per_criterion in (3, 10):
        citizen, assessment, campaign = started(place, per_criterion, code=f"CD-Q{per_criterion}")
        client.force_login(citizen.user)
        names = ("assessments:all_parts", "assessments:overview")
        vietnamese = [queries_of(client, url_in("vi", name, assessment.pk)) for name in names]
        english = [queries_of(client, url_in("en", name, assessment.pk)) for name in names]
        counts.append(english)
        assert english == vietnamese
        campaign.status = "closed"
        campaign.save()
    assert counts[0] == counts[1]
