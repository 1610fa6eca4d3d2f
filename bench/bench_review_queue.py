"""The officers' review queue with 100k assessments in the jurisdiction vs. a bare paginated
Django list of the same rows.

Subject: `GET /admin/assessments/review/?status=submitted` as a commune officer — Wagtail's admin
page with its menu, the filters, the counts per status, the bulk-action checkboxes and 50 rows.
Baseline: a plain view on the same URL stack (middleware, session, login) that filters the same
rows by jurisdiction and status, paginates 50 of them ordered the same way with Django's
Paginator and renders them in a bare table template (jurisdiction as the obvious join on the
area path). Target: at most 2× the baseline. The counts per status are summed from the kept
report summaries (assessments/queue_counts.py), rebuilt here after the bulk fill as a bulk
load must.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template import Context, Template
from django.test import Client, override_settings
from django.urls import path

from assessments.models import (
    Assessment,
    Campaign,
    CampaignCriteriaSet,
    CriteriaSet,
    Criterion,
    Indicator,
)
from bench.harness import compare
from learning_units import jurisdiction
from learning_units.models import Area, AreaLevel, Citizen, OfficerRole
from learning_units.text import search_key
from reports.services import summaries_rebuild

ROWS = 100_000
YEAR = 2026
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Đỗ Văn Đức"]

BASELINE_TEMPLATE = Template(
    "<table>{% for a in page %}<tr><td>{{ a.citizen.full_name }}</td><td>{{ a.area.name }}, "
    "{{ a.area.parent.name }}</td><td>{{ a.target_group }}</td><td>{{ a.year }}</td>"
    "<td>{{ a.get_status_display }}</td><td>{{ a.self_total }}</td><td>{{ a.band }}</td>"
    "<td>{{ a.has_evidence }}</td><td>{{ a.submitted_at }}</td></tr>{% endfor %}</table>"
    "<p>{{ page.number }} / {{ page.paginator.num_pages }}</p>"
)


def baseline_view(request):
    rows = (
        jurisdiction.scope(Assessment.objects.all(), request.user)
        .filter(status="submitted")
        .select_related("citizen", "area__parent")
        .order_by("submitted_at", "pk")
    )
    if request.GET.get("q"):
        rows = rows.filter(citizen__search_name__contains=search_key(request.GET["q"]))
    page = Paginator(rows, 50).get_page(request.GET.get("p"))
    return HttpResponse(BASELINE_TEMPLATE.render(Context({"page": page})))


def __getattr__(name):
    """The project's URLs plus the baseline (built lazily: the module is imported before
    Django is set up)."""
    if name == "urlpatterns":
        from cdht_wagtail.urls import urlpatterns

        return [path("bench-baseline/", baseline_view), *urlpatterns]
    raise AttributeError(name)


def make_commune(province, *, code, name, hamlet_code):
    """A commune of `province` and its 20 residential areas "Thôn 1"…"Thôn 20" (codes:
    `hamlet_code` formatted with the number); returns the residential areas."""
    commune = Area.objects.create(level=AreaLevel.COMMUNE, code=code, name=name, parent=province)
    return [
        Area.objects.create(
            level=AreaLevel.RESIDENTIAL,
            code=hamlet_code.format(n),
            name=f"Thôn {n}",
            parent=commune,
        )
        for n in range(1, 21)
    ]


def make_world():
    central, _ = Area.objects.get_or_create(
        level=AreaLevel.CENTRAL, code="VN", defaults={"name": "Việt Nam"}
    )
    province = Area.objects.create(
        level=AreaLevel.PROVINCE, code="B31", name="Hải Phòng", parent=central
    )
    hamlets = make_commune(province, code="B10999", name="Xã Gia Lộc", hamlet_code="B-T{:02d}")
    criteria_set = CriteriaSet.objects.create(
        code="BENCH",
        title="Bộ tiêu chí",
        legal_basis_number="324/QĐ-KHVN",
        subject_kind="citizen",
        target_group=1,
        valid_from_year=2023,
        pass_mark=50,
        status="published",
    )
    criterion = Criterion.objects.create(
        criteria_set=criteria_set, code="1", title="Tiêu chí", max_points=100
    )
    Indicator.objects.create(
        criterion=criterion, code="1.1", title="Chỉ báo", guidance="…", max_points=100
    )
    campaign = Campaign.objects.create(
        year=YEAR,
        scope=central,
        subject_kind="citizen",
        opens_on=datetime.date(YEAR, 1, 1),
        closes_on=datetime.date(YEAR, 12, 31),
        status="open",
    )
    CampaignCriteriaSet.objects.create(campaign=campaign, target_group=1, criteria_set=criteria_set)
    officer = get_user_model().objects.create_user("bench_commune", password="x")
    OfficerRole.objects.create(user=officer, area=hamlets[0].parent, role="commune")
    return hamlets, criteria_set, campaign, officer


def cycled_rows(hamlets):
    """Row n's name, residential area and status, cycled through short lists: the same data on
    every run, so the benchmark's timings compare."""
    statuses = ["submitted", "submitted", "verified", "recognised", "draft"]
    return lambda n: (
        f"{NAMES[n % len(NAMES)]} {n}",
        hamlets[n % len(hamlets)],
        statuses[n % len(statuses)],
    )


def fill(hamlets, criteria_set, campaign, *, rows=ROWS, row=None, chunk=20_000):
    """`rows` citizens with one assessment each; `row(n)` gives the n-th one's name, residential
    area and status (default `cycled_rows`). Built `chunk` rows at a time to bound memory
    (scripts/explain_hot_queries.py fills 300,000)."""
    row = row or cycled_rows(hamlets)
    start = datetime.datetime(YEAR, 3, 1, tzinfo=datetime.UTC)
    for offset in range(0, rows, chunk):
        numbers = range(offset, min(rows, offset + chunk))
        drawn = [row(n) for n in numbers]
        citizens = Citizen.objects.bulk_create(
            (
                Citizen(
                    citizen_id=f"0{n:011d}",
                    full_name=name,
                    search_name=search_key(name),
                    gender="female",
                    birth_year=1990,
                    area=hamlet,
                    target_group=1,
                )
                for n, (name, hamlet, _status) in zip(numbers, drawn, strict=True)
            ),
            batch_size=5000,
        )
        Assessment.objects.bulk_create(
            (
                Assessment(
                    campaign=campaign,
                    criteria_set=criteria_set,
                    citizen=citizen,
                    area=citizen.area,
                    year=YEAR,
                    target_group=1,
                    status=status,
                    self_total=60 + n % 40,
                    band="Khá",
                    passed=True,
                    has_evidence=n % 2 == 0,
                    submitted_at=start + datetime.timedelta(minutes=n),
                )
                for n, citizen, (_name, _hamlet, status) in zip(
                    numbers, citizens, drawn, strict=True
                )
            ),
            batch_size=5000,
        )


@override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["*"])
def bench_review_queue():
    hamlets, criteria_set, campaign, officer = make_world()
    fill(hamlets, criteria_set, campaign)
    summaries_rebuild()  # what the queue's counts read (the services keep them after this)
    officer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(officer)
    queue = "/admin/assessments/review/?status=submitted"
    baseline = "/bench-baseline/"
    for url in (queue, baseline):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    def page(url):
        return lambda: client.get(url)

    return [
        compare(
            "review queue, 100k in jurisdiction (page 1)",
            page(queue),
            page(baseline),
            repeat=15,
            target_ratio=2,
            note=f"{ROWS:,} assessments, 40% submitted; baseline: bare Paginator + table",
        ),
        compare(
            "review queue, 100k, page 100 + name search",
            page(queue + "&q=nguyen&p=100"),
            page(baseline + "?q=nguyen&p=100"),
            repeat=15,
            target_ratio=2,
            note="baseline: the same search and page with a plain filter",
        ),
    ]
