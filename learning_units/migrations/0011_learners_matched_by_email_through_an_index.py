"""LMS learners are matched by e-mail address, case-insensitively, to a citizen's own address
or their user account's (`learning_units.lms.matching`): an index on lower(email) of each.

The user model belongs to another app (the site's `AUTH_USER_MODEL`), so its index is made
with the schema editor rather than declared in a model's Meta.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import Lower

USER_EMAIL_INDEX = models.Index(Lower("email"), name="cdht_user_email_lower")


def user_email_index_add(apps, schema_editor):
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    schema_editor.add_index(user_model, USER_EMAIL_INDEX)


def user_email_index_remove(apps, schema_editor):
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    schema_editor.remove_index(user_model, USER_EMAIL_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("learning_units", "0010_xapi_statement_table_dropped"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="citizen",
            index=models.Index(Lower("email"), name="citizen_email_lower"),
        ),
        migrations.RunPython(user_email_index_add, user_email_index_remove),
    ]
