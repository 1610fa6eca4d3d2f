import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("learning_units", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="AreaPopulation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                ("adults", models.PositiveIntegerField(verbose_name="adults")),
                (
                    "area",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="populations",
                        to="learning_units.area",
                        verbose_name="area",
                    ),
                ),
            ],
            options={
                "verbose_name": "area population",
                "verbose_name_plural": "area populations",
                "constraints": [
                    models.UniqueConstraint(fields=("area", "year"), name="area_population_per_year")
                ],
            },
        ),
        migrations.CreateModel(
            name="Target",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "indicator",
                    models.CharField(
                        choices=[
                            ("adults_in_collectives", "Adults in learning families / clans / communities"),
                            ("cadres_in_units", "Cadres and civil servants in learning units"),
                            ("digital_basic", "Basic digital skills"),
                            ("digital_proficient", "Proficient digital skills"),
                            ("recognition_rate", "Recognition rate"),
                        ],
                        max_length=40,
                        verbose_name="indicator",
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(help_text="e.g. 2025 or 2030", verbose_name="year")),
                (
                    "value",
                    models.DecimalField(
                        decimal_places=1,
                        max_digits=5,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="target (%)",
                    ),
                ),
                (
                    "area",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty: the national target. A province may set its own, often higher.",
                        limit_choices_to={"level": 1},
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="report_targets",
                        to="learning_units.area",
                        verbose_name="province",
                    ),
                ),
            ],
            options={
                "verbose_name": "target",
                "verbose_name_plural": "targets",
                "ordering": ["indicator", "year"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("area__isnull", True)),
                        fields=("indicator", "year"),
                        name="report_target_one_national",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("area__isnull", False)),
                        fields=("indicator", "year", "area"),
                        name="report_target_one_per_province",
                    ),
                ],
            },
        ),
    ]
