"""The xAPI statements now kept on the completions' rows (0009): the statement table and the
links to it go. A migration of its own (see 0008)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("learning_units", "0009_xapi_statement_onto_completions"),
    ]

    operations = [
        migrations.RemoveField(model_name="coursecompletion", name="xapi_statement"),
        migrations.RemoveField(model_name="pendingcompletion", name="xapi_statement"),
        migrations.RenameField(
            model_name="coursecompletion", old_name="xapi_json", new_name="xapi_statement"
        ),
        migrations.RenameField(
            model_name="pendingcompletion", old_name="xapi_json", new_name="xapi_statement"
        ),
        migrations.AddConstraint(
            model_name="coursecompletion",
            constraint=models.UniqueConstraint(
                fields=("xapi_id",), name="course_completion_xapi_id"
            ),
        ),
        migrations.AddConstraint(
            model_name="pendingcompletion",
            constraint=models.UniqueConstraint(
                fields=("xapi_id",), name="pending_completion_xapi_id"
            ),
        ),
        migrations.DeleteModel(name="XapiStatement"),
    ]
