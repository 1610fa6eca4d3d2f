from django.db import migrations, models
from django.db.models import F


def copy_primary_keys(apps, schema_editor):
    """Existing recognitions take their primary key as their status list index."""
    apps.get_model("assessments", "Recognition").objects.filter(status_index__isnull=True).update(
        status_index=F("pk")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0008_criteria_english_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="recognition",
            name="status_index",
            field=models.PositiveBigIntegerField(editable=False, null=True, unique=True),
        ),
        migrations.RunPython(copy_primary_keys, migrations.RunPython.noop),
    ]
