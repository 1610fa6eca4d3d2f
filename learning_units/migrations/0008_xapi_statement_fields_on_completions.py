"""Columns for a completion's xAPI statement on the completions' own rows (issue #20): its
ID, the digest of its content and its JSON. 0009 fills them, 0010 drops the statement table;
three migrations, three transactions: PostgreSQL alters no table in the transaction that
changed its rows (deferred constraint checks still pending), either way.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("learning_units", "0007_xapi_statements"),
    ]

    operations = [
        migrations.AddField(
            model_name="coursecompletion",
            name="xapi_id",
            field=models.UUIDField(
                blank=True, editable=False, null=True, verbose_name="statement ID"
            ),
        ),
        migrations.AddField(
            model_name="coursecompletion",
            name="xapi_digest",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="coursecompletion",
            name="xapi_json",
            field=models.JSONField(
                blank=True, editable=False, null=True, verbose_name="xAPI statement"
            ),
        ),
        migrations.AddField(
            model_name="pendingcompletion",
            name="xapi_id",
            field=models.UUIDField(
                blank=True, editable=False, null=True, verbose_name="statement ID"
            ),
        ),
        migrations.AddField(
            model_name="pendingcompletion",
            name="xapi_digest",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="pendingcompletion",
            name="xapi_json",
            field=models.JSONField(
                blank=True, editable=False, null=True, verbose_name="xAPI statement"
            ),
        ),
    ]
