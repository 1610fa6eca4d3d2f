"""A course completion's xAPI statement (ID, digest, JSON) moves onto the completion's own row
(issue #20: one row written per statement, not a statement row and a completion row).

The statements that reported a completion, or a pending one, are copied onto it; the others —
statements that were no completion, kept by ID and digest only — are no longer kept
(`learning_units.lms.xapi.services` says why). 0010 drops the statement table; going back makes
a statement row again for every completion and pending completion that has one.
"""

import hashlib

from django.db import migrations
from django.db.models import OuterRef, Subquery


def statements_onto_completions(apps, schema_editor):
    XapiStatement = apps.get_model("learning_units", "XapiStatement")
    for name in ("CourseCompletion", "PendingCompletion"):
        model = apps.get_model("learning_units", name)
        statement = XapiStatement.objects.filter(pk=OuterRef("xapi_statement"))
        model.objects.filter(xapi_statement__isnull=False).update(
            xapi_id=Subquery(statement.values("statement_id")[:1]),
            xapi_digest=Subquery(statement.values("digest")[:1]),
            xapi_json=Subquery(statement.values("statement")[:1]),
        )


def report_external_id(source_pk, citizen_pk, course_id):
    """`learning_units.lms.ids.report_external_id` as it is when this migration is written."""
    text = "\x1f".join(str(part) for part in (f"source-{source_pk}", citizen_pk, course_id))
    return f"auto-{hashlib.sha256(text.encode()).hexdigest()[:40]}"


def statements_back(apps, schema_editor):
    """A statement row for each completion that keeps one; a completion's source is the LMS
    source whose report ID it carries (a completion keeps only its provider)."""
    XapiStatement = apps.get_model("learning_units", "XapiStatement")
    LmsSource = apps.get_model("learning_units", "LmsSource")
    sources = {}
    for source in LmsSource.objects.all():
        sources.setdefault(source.provider, []).append(source.pk)
    for name in ("CourseCompletion", "PendingCompletion"):
        model = apps.get_model("learning_units", name)
        for row in model.objects.filter(xapi_id__isnull=False).iterator():
            if name == "PendingCompletion":
                source_pk = row.source_id
            else:
                source_pk = next(
                    (
                        pk
                        for pk in sources.get(row.provider, [])
                        if report_external_id(pk, row.citizen_id, row.course_id) == row.external_id
                    ),
                    None,
                )
            if source_pk is None:
                continue
            verb = ((row.xapi_json or {}).get("verb") or {}).get("id", "")
            row.xapi_statement = XapiStatement.objects.create(
                source_id=source_pk,
                statement_id=row.xapi_id,
                digest=row.xapi_digest,
                verb=verb[:255],
                statement=row.xapi_json,
            )
            row.save(update_fields=["xapi_statement"])


class Migration(migrations.Migration):
    dependencies = [
        ("learning_units", "0008_xapi_statement_fields_on_completions"),
    ]

    operations = [
        migrations.RunPython(statements_onto_completions, statements_back),
    ]
