"""Write one criteria set to an xlsx workbook that `load_criteria` reads back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.criteria_files import write_xlsx
from assessments.interchange import criteria_set_to_data
from assessments.models import CriteriaSet


class Command(BaseCommand):
    help = "Export criteria set CODE VERSION to an xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("version", type=int)
        parser.add_argument("output", type=Path)

    def handle(self, *args, code, version, output, **options):
        criteria_set = CriteriaSet.objects.filter(code=code, version=version).first()
        if criteria_set is None:
            raise CommandError(f"No criteria set {code} version {version}.")
        output.write_bytes(write_xlsx(criteria_set_to_data(criteria_set)))
        self.stdout.write(f"{criteria_set} → {output}")
