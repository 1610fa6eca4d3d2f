"""The self-assessment step page and its autosave vs. minimal views on hand-written SQL.

Both sides go through the test Client and the whole middleware stack (sessions, auth, CSRF,
locale); the baseline views skip the ORM, the services and the site templates. Target ≤2×.
"""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.template import Context, Template
from django.test import Client
from django.test.utils import override_settings
from django.urls import path, reverse

from bench.harness import compare
from bench.self_assessment_data import build
from cdht_wagtail import urls as project_urls

PLAIN = Template(
    "<html><body><h1>{{ assessment.1 }} {{ assessment.2 }}</h1>"
    "<ul>{% for total in totals %}<li>{{ total.0 }}: {{ total.1 }}</li>{% endfor %}</ul>"
    "<form method=post enctype=multipart/form-data>{% for row in rows %}"
    "<h2>{{ row.0 }} {{ row.1 }}</h2><p>{{ row.2|linebreaks }}</p>"
    "{% for page in row.6 %}<a href='{{ page.1 }}'>{{ page.0 }}</a>{% endfor %}"
    "<input name=points_{{ row.3 }} value='{{ row.4|default_if_none:'' }}'>"
    "<textarea name=note_{{ row.3 }}>{{ row.5 }}</textarea>"
    "<ul>{% for item in row.7 %}<li>{{ item.1 }} {{ item.2 }} {{ item.3 }}</li>{% endfor %}</ul>"
    "<input type=file name=file_{{ row.3 }}><input name=url_{{ row.3 }}>"
    "<select name=course_{{ row.3 }}>{% for course in courses %}"
    "<option value={{ course.0 }}>{{ course.1 }}</option>{% endfor %}</select>"
    "{% endfor %}</form></body></html>"
)
# The same rows the real step page reads per request: the assessment with its subject, every
# answer (for the per-part totals) with its evidence and course, the citizen's courses, the
# step's indicators, their guidance pages and the training materials naming them (for the
# course suggestions).
ASSESSMENT_SQL = """
SELECT s.id, c.full_name, s.year, s.revision, s.status, s.criteria_set_id
FROM assessments_assessment s
JOIN learning_units_citizen c ON c.id = s.citizen_id
JOIN assessments_campaign k ON k.id = s.campaign_id
JOIN assessments_criteriaset cs ON cs.id = s.criteria_set_id
JOIN learning_units_area ar ON ar.id = s.area_id
WHERE s.id = %s AND c.user_id = %s
"""
ANSWERS_SQL = """
SELECT a.indicator_id, a.self_points, a.note, e.id, e.kind, e.url, cc.course_title, i.criterion_id
FROM assessments_indicatoranswer a
JOIN assessments_indicator i ON i.id = a.indicator_id
LEFT JOIN assessments_evidence e ON e.answer_id = a.id
LEFT JOIN learning_units_coursecompletion cc ON cc.id = e.course_completion_id
WHERE a.assessment_id = %s ORDER BY a.id, e.id
"""
STEP_SQL = """
SELECT i.code, i.title, i.guidance, i.id, i.max_points
FROM assessments_indicator i
WHERE i.criterion_id = (
    SELECT c2.id FROM assessments_criterion c2 WHERE c2.criteria_set_id = %s
    ORDER BY c2.sort_order LIMIT 1
)
ORDER BY i.sort_order
"""
PAGES_SQL = """
SELECT g.indicator_id, p.title, p.url_path FROM assessments_indicator_guidance_pages g
JOIN wagtailcore_page p ON p.id = g.page_id WHERE p.live AND g.indicator_id IN (SELECT id
FROM assessments_indicator WHERE criterion_id = (SELECT c2.id FROM assessments_criterion c2
WHERE c2.criteria_set_id = %s ORDER BY c2.sort_order LIMIT 1))
"""

MATERIALS_SQL = """
SELECT m.indicator_id, m.trainingmaterialpage_id FROM home_trainingmaterialpage_indicators m
WHERE m.indicator_id IN (SELECT id FROM assessments_indicator WHERE criterion_id = (SELECT c2.id
FROM assessments_criterion c2 WHERE c2.criteria_set_id = %s ORDER BY c2.sort_order LIMIT 1))
"""


def plain_step(request, pk):
    with connection.cursor() as cursor:
        cursor.execute(ASSESSMENT_SQL, [pk, request.user.pk])
        assessment = cursor.fetchone()
        cursor.execute(ANSWERS_SQL, [pk])
        answers = cursor.fetchall()
        cursor.execute(
            "SELECT id, course_title, completed_on FROM learning_units_coursecompletion "
            "WHERE citizen_id = (SELECT citizen_id FROM assessments_assessment WHERE id = %s)",
            [pk],
        )
        courses = cursor.fetchall()
        cursor.execute(STEP_SQL, [assessment[5]])
        indicators = cursor.fetchall()
        cursor.execute(PAGES_SQL, [assessment[5]])
        pages = cursor.fetchall()
        cursor.execute(MATERIALS_SQL, [assessment[5]])  # for the course suggestions
        cursor.fetchall()
    by_indicator, totals = {}, {}
    for row in answers:
        by_indicator.setdefault(row[0], []).append(row)
        totals[row[7]] = totals.get(row[7], 0) + (row[1] or 0)
    rows = [
        (
            *indicator[:4],
            (by_indicator.get(indicator[3]) or [(None, None, "")])[0][1],
            (by_indicator.get(indicator[3]) or [(None, None, "")])[0][2],
            [(title, path) for pk, title, path in pages if pk == indicator[3]],
            [row[3:] for row in by_indicator.get(indicator[3], []) if row[3]],
        )
        for indicator in indicators
    ]
    context = {"assessment": assessment, "rows": rows, "courses": courses}
    context["totals"] = sorted(totals.items())
    return HttpResponse(PLAIN.render(Context(context)))


def plain_autosave(request, pk):
    with connection.cursor() as cursor:
        cursor.execute(ASSESSMENT_SQL, [pk, request.user.pk])
        cursor.fetchone()
        for key, value in request.POST.items():
            if key.startswith("points_"):
                cursor.execute(
                    "UPDATE assessments_indicatoranswer SET self_points = %s "
                    "WHERE assessment_id = %s AND indicator_id = %s",
                    [value or None, pk, int(key[7:])],
                )
        cursor.execute(
            "UPDATE assessments_assessment SET revision = revision + 1, self_total = "
            "(SELECT COALESCE(SUM(self_points), 0) FROM assessments_indicatoranswer "
            "WHERE assessment_id = %s) WHERE id = %s",
            [pk, pk],
        )
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/plain-step/<int:pk>/", plain_step),
    path("bench/plain-autosave/<int:pk>/", plain_autosave),
    *project_urls.urlpatterns,
]


def bench_self_assessment_step_and_autosave():
    from django.conf import settings

    user, assessment = build(settings.BASE_DIR)
    indicators = list(
        assessment.criteria_set.criteria.order_by("sort_order")[0]
        .indicators.order_by("sort_order")
        .values_list("pk", flat=True)
    )
    client = Client()
    client.force_login(user)
    results = []
    with override_settings(ROOT_URLCONF=__name__):
        step_url = reverse("assessments:step", args=[assessment.pk, 1])
        autosave_url = reverse("assessments:autosave", args=[assessment.pk, 1])

        def step_page():
            assert client.get(step_url).status_code == 200

        def plain_page():
            assert client.get(f"/bench/plain-step/{assessment.pk}/").status_code == 200

        results.append(
            compare(
                "self-assessment step page vs raw SQL + plain",
                step_page,
                plain_page,
                target_ratio=2,
                repeat=60,
                note="Step 1 of the sample set (4 indicators), with guidance, evidence, "
                "courses; the baseline reads the same rows in 6 hand-written queries.",
            )
        )
        state = {"revision": assessment.revision, "n": 0}

        def payload():
            state["n"] += 1
            data = {f"points_{pk}": str(state["n"] % 10) for pk in indicators}
            data.update({f"note_{pk}": "ghi chú" for pk in indicators})
            return data

        def autosave():
            response = client.post(autosave_url, {**payload(), "revision": state["revision"]})
            assert response.status_code == 200, response.content
            state["revision"] = response.json()["revision"]

        def plain_save():
            response = client.post(f"/bench/plain-autosave/{assessment.pk}/", payload())
            assert response.status_code == 200
            # keep the revision the real autosave expects
            state["revision"] += 1

        results.append(
            compare(
                "self-assessment autosave vs raw SQL update",
                autosave,
                plain_save,
                repeat=60,
                target_ratio=2,
                note="Checks, revision guard, server-side rescoring vs. an owner check and "
                "bare UPDATEs.",
            )
        )
    return results
