"""Load criteria sets from JSON or xlsx files (idempotent). `--national` loads the published
national sets shipped inside the package (assessments/criteria_sets); `--demo` loads them too and
opens a demo campaign for this year."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.conf import setting
from assessments.criteria_files import NATIONAL_SETS_DIR, read_criteria_file
from assessments.demo import campaign_ensure_demo
from assessments.interchange import InterchangeError
from assessments.services.criteria import CriteriaSetFrozen, criteria_set_load


def sample_dir():
    """CDHT_SAMPLE_CRITERIA_DIR when set (a Django setting), else the sets shipped with the
    package."""
    configured = setting("SAMPLE_CRITERIA_DIR")
    folder = Path(configured) if configured else NATIONAL_SETS_DIR
    if not folder.is_dir() or not any(folder.glob("*.json")):
        raise CommandError(
            f"No criteria set files (*.json) in {folder}: CDHT_SAMPLE_CRITERIA_DIR (a Django "
            "setting) must name a folder of criteria set files, or be left unset to use the "
            "national sets installed with the package."
        )
    return folder


class Command(BaseCommand):
    help = (
        "Create or update criteria sets from JSON or xlsx files. The same code and version "
        "updates a set unless assessments already use it (then the command refuses)."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help="JSON or xlsx files")
        parser.add_argument(
            "--national",
            action="store_true",
            help="Also load the national criteria sets installed with the package (or those "
            "in CDHT_SAMPLE_CRITERIA_DIR when that setting is set).",
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="As --national, and open a demo campaign for this year.",
        )

    def handle(self, *args, files, national, demo, **options):
        if national or demo:
            files = [*files, *sorted(sample_dir().glob("*.json"))]
        if not files:
            raise CommandError("Name at least one file, or pass --national (or --demo).")
        with transaction.atomic():  # all files or none
            for path in files:
                self.load(path)
            if demo:
                try:
                    campaign = campaign_ensure_demo()
                except ValueError as error:
                    raise CommandError(str(error)) from error
                self.stdout.write(f"Demo campaign: {campaign} (#{campaign.pk})")

    def load(self, path):
        try:
            with path.open("rb") as file:
                raws = read_criteria_file(file, path.name)
            for raw in raws:
                result = criteria_set_load(raw=raw)
                self.stdout.write(f"{path.name}: {result.criteria_set} {result.outcome}")
                for warning in result.warnings:
                    self.stderr.write(f"{path.name}: {warning}")
        except OSError as error:
            raise CommandError(f"{path}: {error}") from error
        except InterchangeError as error:
            messages = "\n".join(f"{path.name}: {message}" for message in error.errors)
            raise CommandError(messages) from error
        except CriteriaSetFrozen as error:
            raise CommandError(f"{path.name}: {error}") from error
