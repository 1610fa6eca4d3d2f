"""The supplementary Vietnamese catalogues for Wagtail's admin (cdht_wagtail/locale_wagtail).

Wagtail ships only a partial Vietnamese translation; the supplement (django and djangojs
domains) fills the gaps through LOCALE_PATHS. It must be compiled from its source, must never
replace a translation Wagtail already ships, and must not take precedence over the project's
own catalogue.
"""

import ast
import gettext
import json
import re
from datetime import timedelta
from pathlib import Path

import django
import pytest
import wagtail
from django.conf import settings
from django.utils import timezone, translation
from wagtail.admin.templatetags.wagtailadmin_tags import timesince_simple

SUPPLEMENT_DIR = Path(settings.PROJECT_DIR) / "locale_wagtail"
WAGTAIL_DIR = Path(wagtail.__file__).resolve().parent
DOMAINS = ["django", "djangojs"]
# Units of django.utils.timesince that Django's own vi catalogue lacks; the supplement carries
# them so that Wagtail's "x ago" and its "0 minutes" -> "just now" check work in Vietnamese.
TIMESINCE_UNITS = ("year", "month", "week", "day", "hour", "minute")
DJANGO_TIMESINCE = {f"%(num)d {unit}" for unit in TIMESINCE_UNITS}


def po_file(domain):
    return SUPPLEMENT_DIR / "vi" / "LC_MESSAGES" / f"{domain}.po"


FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$')


def po_entries(path):
    """Entries of a .po file as dicts of field name -> text (obsolete entries skipped)."""
    entries, entry, field = [], {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            if entry:
                entries.append(entry)
            entry, field = {}, None
        elif line.startswith("#,"):
            entry["flags"] = line
        elif line.startswith("#"):
            continue
        elif match := FIELD.match(line):
            field = match.group(1)
            entry[field] = ast.literal_eval(match.group(2))
        else:
            entry[field] += ast.literal_eval(line)
    return [e for e in entries if e.get("msgid")]


def catalogue_key(entry):
    key = (entry["msgid"], 0) if "msgid_plural" in entry else entry["msgid"]
    return f"{entry['msgctxt']}\x04{key}" if "msgctxt" in entry else key


def translation_of(entry):
    return entry["msgstr[0]"] if "msgid_plural" in entry else entry["msgstr"]


def shipped_msgids(mo_path):
    """msgids (with context) that a compiled catalogue translates."""
    with mo_path.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog
    return {key[0] if isinstance(key, tuple) else key for key, text in catalogue.items() if text}


def msgids(path):
    return {
        f"{e['msgctxt']}\x04{e['msgid']}" if "msgctxt" in e else e["msgid"]
        for e in po_entries(path)
    }


def test_supplement_is_loaded_after_the_project_catalogue():
    paths = [Path(path).resolve() for path in settings.LOCALE_PATHS]
    assert SUPPLEMENT_DIR.resolve() in paths
    project_catalogue = (Path(settings.BASE_DIR) / "learning_units" / "locale").resolve()
    assert paths.index(project_catalogue) < paths.index(SUPPLEMENT_DIR.resolve())


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_entry_is_translated_and_not_fuzzy(domain):
    entries = po_entries(po_file(domain))
    assert len(entries) > {"django": 1000, "djangojs": 50}[domain]
    assert [e["msgid"] for e in entries if not translation_of(e)] == []
    assert [e["msgid"] for e in entries if "fuzzy" in e.get("flags", "")] == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_compiled_catalogue_matches_its_source(domain):
    """The committed .mo must be msgfmt's output for the committed .po."""
    with po_file(domain).with_suffix(".mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    assert catalogue.info()["language"] == "vi"
    assert catalogue.info()["plural-forms"] == "nplurals=1; plural=0;"
    compiled = {key: text for key, text in catalogue._catalog.items() if key != ""}
    source = {catalogue_key(e): translation_of(e) for e in po_entries(po_file(domain))}
    assert compiled == source


@pytest.mark.parametrize("domain", DOMAINS)
def test_supplement_never_overrides_a_translation_wagtail_ships(domain):
    wagtail_vi = set()
    for mo_path in WAGTAIL_DIR.glob(f"**/locale/vi/LC_MESSAGES/{domain}.mo"):
        wagtail_vi |= shipped_msgids(mo_path)
    assert wagtail_vi, "Wagtail's Vietnamese catalogues were not found"
    assert sorted(msgids(po_file(domain)) & wagtail_vi) == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_supplement_only_holds_wagtail_msgids(domain):
    wagtail_en = set()
    for po_path in WAGTAIL_DIR.glob(f"**/locale/en/LC_MESSAGES/{domain}.po"):
        wagtail_en |= msgids(po_path)
    extra = msgids(po_file(domain)) - wagtail_en
    assert extra <= DJANGO_TIMESINCE

    # The Django strings only fill a gap in Django's own catalogue.
    django_mo = Path(django.__file__).parent / "conf/locale/vi/LC_MESSAGES/django.mo"
    assert not extra & shipped_msgids(django_mo)


def test_wagtail_relative_times_read_in_vietnamese():
    with translation.override("vi"):
        assert timesince_simple(timezone.now()) == "vừa xong"
        two_hours_ago = timezone.now() - timedelta(hours=2, minutes=5)
        assert timesince_simple(two_hours_ago) == "2\xa0giờ trước"


def menu_labels(node):
    """Every menu item label in Wagtail's sidebar props (a tree of {_type, _args})."""
    if isinstance(node, dict):
        if "label" in node:
            yield node["label"]
        for value in node.values():
            yield from menu_labels(value)
    elif isinstance(node, list):
        for value in node:
            yield from menu_labels(value)


def test_admin_javascript_catalogue_uses_the_supplement(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/jsi18n/")
    assert response.status_code == 200
    # JavaScriptCatalog writes the catalogue with json.dumps (non-ASCII escaped).
    assert json.dumps({"Collapse all": "Thu gọn tất cả"})[1:-1] in response.content.decode()


def test_admin_dashboard_is_in_vietnamese(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="vi"' in html

    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    assert props, "Wagtail's sidebar props are missing from the admin page"
    labels = set(menu_labels(json.loads(props.group(1))))
    assert {"Hình ảnh", "Tài liệu", "Báo cáo", "Trợ giúp"} <= labels
    assert not labels & {"Images", "Documents", "Reports", "Help", "Settings"}

    # Dashboard panels rendered server-side use the supplement too.
    assert "Tổng quan trang web" in html and "Site summary" not in html
    assert "Hình ảnh" in html
    assert "Tài liệu" in html
