"""Compare the kept report summaries with a live recount of every assessment and citizen.

    python manage.py check_report_summaries [--fix | --rebuild]

Exits non-zero and lists each summary row that differs (kept and live values) when they
disagree — a write that bypassed the services (a raw `queryset.update` of citizens' areas or
groups, a fixture loaded), or a bulk load. `--fix` counts again only the communes whose rows
differ, in one transaction, and checks again; `--rebuild` replaces every row by the live count
instead (the data migration does the same on existing data).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.models import Assessment
from learning_units.models import Area
from reports.citizen_summaries import (
    CITIZEN_KEY_FIELDS,
    citizen_differences,
    citizen_kept_counts,
    citizen_live_counts,
)
from reports.models import AssessmentSummary, CitizenSummary
from reports.services import citizen_summaries_refresh, summaries_rebuild, summaries_refresh
from reports.summaries import KEY_FIELDS, kept_counts, live_counts, summary_differences


class Command(BaseCommand):
    help = "Compare the report summaries with a live recount (non-zero exit on a difference)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix",
            action="store_true",
            help="Count again the communes whose rows differ (after listing the differences).",
        )
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Replace every summary row by the live count (after listing the differences).",
        )

    def handle(self, *args, fix=False, rebuild=False, **options):
        kept = kept_counts(AssessmentSummary.objects.all())
        differences = summary_differences(kept, live_counts(Assessment.objects.all()))
        citizens_kept = citizen_kept_counts(CitizenSummary.objects.all())
        citizen_rows = citizen_differences(citizens_kept, citizen_live_counts())
        if not differences and not citizen_rows:
            self.stdout.write(
                f"{len(kept):,} summary rows of assessments and {len(citizens_kept):,} of "
                "citizens equal a live recount."
            )
            return
        paths = dict(
            Area.objects.filter(
                pk__in={key[0] for key, _k, _l in [*differences, *citizen_rows]}
            ).values_list("pk", "path")
        )
        for fields, rows in ((KEY_FIELDS, differences), (CITIZEN_KEY_FIELDS, citizen_rows)):
            for (area_id, _province, *key), mine, theirs in rows:
                where = ", ".join(
                    f"{name}={value!r}" for name, value in zip(fields, key, strict=True)
                )
                self.stdout.write(
                    f"{paths.get(area_id, area_id)} {where}: kept {_values(mine)}, "
                    f"live {_values(theirs)}"
                )
        if fix:
            with transaction.atomic():
                summaries_refresh(area_ids={key[0] for key, _k, _l in differences})
                citizen_summaries_refresh(area_ids={key[0] for key, _k, _l in citizen_rows})
            self.stdout.write(
                f"Fixed: the communes of {len(differences) + len(citizen_rows):,} summary rows "
                "counted again."
            )
            return self.handle(fix=False, rebuild=rebuild)
        differences = [*differences, *citizen_rows]
        if rebuild:
            written = summaries_rebuild()
            self.stdout.write(f"Rebuilt: {written:,} summary rows from a live recount.")
            return
        raise CommandError(
            f"{len(differences):,} summary rows differ from a live recount "
            "(run with --fix to count their communes again, or --rebuild to replace them all)."
        )


def _values(values):
    if values is None:
        return "none"
    return " ".join(f"{name}={value}" for name, value in values.items())
