from django.db import migrations, models

# Before this field, an indicator was recognised as the members' results by this competency tag.
MEMBERS_RESULT_TAG = "công dân học tập"


def mark_members_results(apps, schema_editor):
    """Set the flag where the tag's name matched, compared as the old code did (in Python:
    SQLite's LOWER() leaves Vietnamese letters as they are)."""
    CompetencyTag = apps.get_model("assessments", "CompetencyTag")
    IndicatorCompetency = apps.get_model("assessments", "IndicatorCompetency")
    Indicator = apps.get_model("assessments", "Indicator")
    tag_ids = [
        pk
        for pk, name in CompetencyTag.objects.values_list("pk", "name")
        if name.lower() == MEMBERS_RESULT_TAG
    ]
    indicator_ids = IndicatorCompetency.objects.filter(tag_id__in=tag_ids).values_list(
        "content_object_id", flat=True
    )
    Indicator.objects.filter(pk__in=list(indicator_ids)).update(is_members_result=True)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_certificate_batch"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="is_members_result",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "In a learning unit's assessment, the points are computed from the share of "
                    "its members recognised as learning citizens that year, not entered."
                ),
                verbose_name="members' results",
            ),
        ),
        migrations.RunPython(mark_members_results, migrations.RunPython.noop),
    ]
