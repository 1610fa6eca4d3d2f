"""Import a large file from the command line, with the same checks as the admin screens."""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from learning_units.imports import KIND_LABELS, import_run
from learning_units.models import LmsSource


class Progress:
    """Rows done / total and rows per second, redrawn on one line of stderr."""

    def __init__(self, stream):
        self.stream = stream  # a command's OutputWrapper
        self.started = time.perf_counter()
        self.last_drawn = 0.0
        self.interactive = stream.isatty()

    def __call__(self, stage, done, total):
        now = time.perf_counter()
        if done < total and now - self.last_drawn < 0.2:
            return
        self.last_drawn = now
        rate = done / max(now - self.started, 1e-6)
        label = {"check": "checking", "write": "writing"}.get(stage, stage)
        line = (
            f"{label}: {done:,}/{total:,} rows ({100 * done // max(total, 1)}%), {rate:,.0f} rows/s"
        )
        end = "\n" if done >= total or not self.interactive else ""
        self.stream.write(("\r" if self.interactive else "") + line.ljust(70), ending=end)
        self.stream.flush()
        if done >= total:
            self.started = time.perf_counter()


class Command(BaseCommand):
    help = (
        "Import citizens, residential areas, learning units or course completions from an "
        ".xlsx or .csv file. "
        "Every row is checked first; nothing is written unless all rows are valid."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KIND_LABELS))
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report only; write nothing."
        )
        parser.add_argument(
            "--officer",
            metavar="USERNAME",
            help="Act as this officer, within their jurisdiction (default: the whole country).",
        )
        parser.add_argument(
            "--source",
            metavar="NAME",
            help="completions: the LMS source the file comes from (default: our template).",
        )
        parser.add_argument("--course-title", default="", help="completions: the report's course.")
        parser.add_argument("--course-id", default="", help="completions: the report's course ID.")

    def handle(self, *args, kind, file, dry_run, officer=None, source=None, **options):
        user = None
        if officer:
            try:
                user = get_user_model().objects.get(username=officer)
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"No user named {officer!r}.") from error
        extra = {}
        if kind == "completions":
            extra = {"course_title": options["course_title"], "course_id": options["course_id"]}
            if source:
                found = LmsSource.objects.filter(name=source).first()
                if found is None:
                    raise CommandError(f"No LMS source named {source!r}.")
                extra["source"] = found
        self.stderr.write(f"Reading {file} …")
        report = import_run(
            kind=kind,
            file=file,
            officer=user,
            dry_run=dry_run,
            progress=Progress(self.stderr),
            options=extra,
        )
        if report.file_error:
            raise CommandError(report.file_error.message)
        for warning in report.warnings:
            self.stderr.write(warning)
        self.stdout.write(
            f"{report.file_name}: {report.total_rows:,} rows — {report.new:,} new, "
            f"{report.updated:,} updated, {report.unchanged:,} unchanged, "
            f"{report.invalid:,} invalid ({report.seconds:.1f} s, "
            f"{report.total_rows / max(report.seconds, 1e-6):,.0f} rows/s)."
        )
        if not report.ok:
            for error in report.errors:
                column = f" [{error.column}]" if error.column else ""
                self.stderr.write(f"row {error.row}{column}: {error.message}")
            if report.errors_omitted:
                self.stderr.write(f"… and {report.errors_omitted:,} more errors.")
            raise CommandError(
                f"{report.invalid:,} invalid rows: nothing was written. Correct the file and "
                "run the command again."
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS("Applied: all rows were written."))
