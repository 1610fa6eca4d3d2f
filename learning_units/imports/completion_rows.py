"""The rows of a course completions file, checked and written by django-import-export.

`CompletionImportResource` reads the three layouts (`completion_columns`) for
`completions.CompletionImport`, which holds the file's layout, course, learners and the
officer: see that module for the rules, and `flow` for what every import kind shares.
"""

import functools

from django.utils.translation import gettext as _

from ..lms import rows as lms_rows
from ..lms.matching import AMBIGUOUS, MatchError, learner_key
from ..lms.pending import pending_record
from ..models import CourseCompletion
from . import cells
from .base import chunked
from .completion_columns import (
    LEARNER_COLUMN,
    MOODLE_COLUMNS,
    OPEN_EDX_COLUMNS,
    CompletionResource,
    grade_percent,
    yes,
)
from .flow import WRITE_BATCH, RowResource, cell, cleaned, text

COMPARED = lms_rows.COMPARED
IMPORTED = CourseCompletion.Source.IMPORT
# Each column's default for the fields a row does not give (the xAPI statement's).
ATTNAMES = {field.attname: field.get_default() for field in CourseCompletion._meta.concrete_fields}


class CompletionImportResource(RowResource):
    """A completions file's rows (any of the three layouts), checked and written by
    import-export's `import_data`.

    `before_import` loads the learners the file names and their recorded completions (and those
    of the file's external IDs), a chunk per query; `before_import_row` cleans the cells with the
    fields' widgets; `get_or_init_instance` matches the learner and finds the recorded
    completion by (provider, external ID); `import_instance` refuses duplicates and IDs of
    another citizen and sets what changes. Rows of learners who have not completed are skipped;
    those of a report's learners who are no citizens (yet) are skipped too and their completions
    kept pending (`lms.pending`, written in `after_import`).
    """

    citizen_id = cell(cells.citizen_id)
    course_title = text(255, required=True)
    provider = cell(lms_rows.provider)
    course_id = text(120)
    course_url = cell(lms_rows.url)
    completed_on = cell(lms_rows.completion_date)
    hours = cell(lms_rows.hours)
    grade = text(40)
    certificate_url = cell(lms_rows.url)
    external_id = text(120)
    competency_tags = text(255)
    # An LMS report's learner (e-mail, username or ID number, and name), and Open edX's cells.
    learner_id = text(254, required=True)
    full_name = text(255)
    grade_fraction = cell(grade_percent)
    certificate_eligible = cell(yes)
    certificate_delivered = cell(yes)

    class Meta:
        model = CourseCompletion
        fields = (
            *CompletionResource.Meta.fields,  # the template's columns, then an LMS report's
            "learner_id",
            "full_name",
            "grade_fraction",
            "certificate_eligible",
            "certificate_delivered",
        )
        use_bulk = True
        batch_size = WRITE_BATCH
        skip_diff = True  # the preview shows its own samples; no per-row HTML diff
        report_skipped = False
        clean_model_instances = False  # the widgets and `import_instance` check everything

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.existing = {}  # (provider, external ID) → recorded completion
        self.completion = None  # the values the current row records
        # The learner column is cleaned for the preload and again per row: the same IDs repeat.
        cleaner = self.cleaners["learner_id" if self.spec.layout else "citizen_id"]
        self.learner_cleaner = functools.lru_cache(maxsize=65536, typed=True)(cleaner)

    def preload(self, dataset):
        """Load the file's learners and the completions they (or its external IDs) have."""
        spec = self.spec
        column = LEARNER_COLUMN[spec.matching]
        if column in dataset.headers:
            keys = cleaned(dataset[column], self.learner_cleaner)
            spec.learners.load(learner_key(spec.matching, key) for key in keys)
        learners = {
            learner.pk for learner in spec.learners.found.values() if learner is not AMBIGUOUS
        }
        completions = CourseCompletion.objects.all()
        if spec.source:
            completions = completions.filter(provider=spec.source.provider)
        for part in chunked(learners):
            for completion in completions.filter(citizen_id__in=part):
                self.existing[(completion.provider, completion.external_id)] = completion
        if "external_id" in dataset.headers:
            ids = cleaned(dataset["external_id"], cells.text, max_length=120) - {""}
            for part in chunked(ids):
                for completion in CourseCompletion.objects.filter(external_id__in=part):
                    self.existing[(completion.provider, completion.external_id)] = completion

    # --- cleaning, by layout -------------------------------------------------------------------

    def clean_row(self, row):
        layout = self.spec.layout
        if layout is MOODLE_COLUMNS:
            self.clean_moodle(row)
        elif layout is OPEN_EDX_COLUMNS:
            self.clean_open_edx(row)
        else:
            self.clean_template(row)
        if row.values.get("skip"):
            return
        column = LEARNER_COLUMN[self.spec.matching]
        key = row.clean(column, self.learner_cleaner)
        if key:
            row.values["learner_key"] = learner_key(self.spec.matching, key)

    def clean_template(self, row):
        clean, cleaners, values = row.clean, self.cleaners, row.values
        clean("course_title", cleaners["course_title"])
        if self.spec.source:
            values["provider"] = self.spec.source.provider
        else:
            clean("provider", cleaners["provider"])
        clean("completed_on", cleaners["completed_on"], today=self.spec.today)
        for name in (
            "course_id",
            "course_url",
            "hours",
            "grade",
            "certificate_url",
            "external_id",
            "competency_tags",
        ):
            clean(name, cleaners[name])

    def clean_moodle(self, row):
        if cells.text(row.cells.get("completed_on"), max_length=40) == "":
            row.values["skip"] = True  # not (yet) complete
            return
        row.clean("completed_on", self.cleaners["completed_on"], today=self.spec.today)
        if row.has("full_name"):
            row.clean("full_name", self.cleaners["full_name"])

    def clean_open_edx(self, row):
        eligible = row.clean("certificate_eligible", self.cleaners["certificate_eligible"])
        delivered = row.has("certificate_delivered") and row.clean(
            "certificate_delivered", self.cleaners["certificate_delivered"]
        )
        if not eligible and not delivered:
            row.values["skip"] = True
            return
        row.clean("grade", self.cleaners["grade_fraction"])
        spec = self.spec
        row.values["completed_on"] = min(spec.report_date or spec.today, spec.today)

    # --- matching and deciding ------------------------------------------------------------------

    def get_or_init_instance(self, instance_loader, row):
        """Match the learner and find the recorded completion the row names."""
        row, values, spec = self.row, self.row.values, self.spec
        self.completion = None
        if values.get("skip") or row.errors or not values.get("learner_key"):
            return CourseCompletion(), True
        try:
            learner = spec.learners.find(values["learner_key"])
        except MatchError as error:
            if error.code == "unknown_learner" and spec.layout:
                self.keep_pending(row, values)  # a learner who is no citizen (yet)
            else:
                row.error(LEARNER_COLUMN[spec.matching], error.code, error.message)
            return CourseCompletion(), True
        completion = spec.completion_values(values, learner)
        key = (completion["provider"], completion["external_id"])
        name = "external_id" if row.has("external_id") else LEARNER_COLUMN[spec.matching]
        if not spec.first_seen(row, name, key):
            return CourseCompletion(), True
        current = self.existing.get(key)
        if current is not None and current.citizen_id != learner.pk:
            row.error(
                name,
                "external_id_conflict",
                _(
                    "This external ID is already recorded for another citizen: an LMS "
                    "identifier names one learner's completion."
                ),
            )
            return CourseCompletion(), True
        self.completion = (learner, completion)
        if current is None:
            values = {**completion, "id": None, "citizen_id": learner.pk, "source": IMPORTED}
            # Positional values in field order: Model.__init__'s fast path (no keyword look-ups).
            return CourseCompletion(*(values.get(name, d) for name, d in ATTNAMES.items())), True
        if spec.layout is OPEN_EDX_COLUMNS:  # the report's date is the day it ran: keep the first
            completion["completed_on"] = current.completed_on
        return current, False

    def keep_pending(self, row, values):
        """The row's completion waits for its learner to become a citizen (`lms.pending`)."""
        spec, key = self.spec, values["learner_key"]
        if not spec.first_seen(row, LEARNER_COLUMN[spec.matching], ("pending", key)):
            return
        values["pending"] = True
        name = values.get("full_name", "")
        spec.report.add_unknown_learner(row.number, key, name)
        spec.pending.append(
            {
                "learner_key": key,
                "learner_name": name,
                "course_id": spec.course_id,
                "course_title": spec.course_title,
                "completed_on": values["completed_on"],
                "grade": values.get("grade", ""),
            }
        )

    def import_instance(self, instance, row, **kwargs):
        """Report the row's problems, else set what it changes."""
        self.raise_row_errors()
        if self.row.values.get("skip") or self.row.values.get("pending"):
            self.spec.skipped += bool(self.row.values.get("skip"))
            self.changes = {}
            return
        learner, completion = self.completion
        if instance.pk is None:
            self.changes = completion
        else:
            self.changes = {
                name: completion[name]
                for name in COMPARED
                if getattr(instance, name) != completion[name]
            }
            for name, value in self.changes.items():
                setattr(instance, name, value)
        if self.changes and self.report.wants_samples:
            action = "new" if instance.pk is None else "updated"
            self.report.add_sample(self.row.number, action, self.spec.describe(learner, completion))

    def get_bulk_update_fields(self):
        return list(COMPARED)

    def after_import(self, dataset, result, **kwargs):
        """Keep the unknown learners' completions, in the import's transaction (a file with
        invalid rows keeps none)."""
        spec = self.spec
        if kwargs.get("dry_run") or not spec.pending:
            return
        if not result.has_errors() and not result.has_validation_errors():
            pending_record(source=spec.source, pending=spec.pending)
