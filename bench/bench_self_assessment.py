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
    "<html><body><h1>{{ title }}</h1><form method=post>{% for row in rows %}"
    "<h2>{{ row.0 }} {{ row.1 }}</h2><p>{{ row.2 }}</p>"
    "<input name=points_{{ row.3 }} value='{{ row.4|default_if_none:'' }}'>"
    "<textarea name=note_{{ row.3 }}>{{ row.5 }}</textarea>{% endfor %}</form></body></html>"
)
STEP_SQL = """
SELECT i.code, i.title, i.guidance, i.id, a.self_points, a.note
FROM assessments_indicator i
JOIN assessments_criterion c ON c.id = i.criterion_id
LEFT JOIN assessments_indicatoranswer a ON a.indicator_id = i.id AND a.assessment_id = %s
WHERE c.id = (
    SELECT c2.id FROM assessments_criterion c2
    JOIN assessments_assessment s ON s.criteria_set_id = c2.criteria_set_id
    WHERE s.id = %s ORDER BY c2.sort_order LIMIT 1
)
ORDER BY i.sort_order
"""


def plain_step(request, pk):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.id FROM assessments_assessment s JOIN learning_units_citizen c "
            "ON c.id = s.citizen_id WHERE s.id = %s AND c.user_id = %s",
            [pk, request.user.pk],
        )
        cursor.fetchone()
        cursor.execute(STEP_SQL, [pk, pk])
        rows = cursor.fetchall()
    return HttpResponse(PLAIN.render(Context({"title": "Step 1", "rows": rows})))


def plain_autosave(request, pk):
    with connection.cursor() as cursor:
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
                note="Step 1 of the sample set (4 indicators), with guidance, evidence, courses.",
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
                target_ratio=2,
                note="Checks, revision guard, events, server-side rescoring vs. bare UPDATEs.",
            )
        )
    return results
