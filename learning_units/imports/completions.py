"""Import of course completions: our template, Moodle's and Open edX's own report exports.

The layout follows the source chosen on upload: no source means our template (learners by
citizen ID); a Moodle or Open edX source means that LMS's report, learners matched as the
source says (e-mail, username mapping or citizen ID). Those reports list one course per file
and name it in the file name (`report_files`), so the course comes from the upload form or the
file name. Layouts and their sources: tests/data/README.md.

The rows are checked and written by `completion_rows.CompletionImportResource`
(django-import-export's `import_data`, as for citizens: see `flow`). A completion is
identified by provider and external ID: importing the same file again changes nothing. Report
rows carry no ID of their own, so one is derived from the source, the citizen and the course
(and the date, in our template): a report imported again, or exported again later, leaves the
same completions. Learners of a report who are no citizens yet do not stop the import: their
completions are kept pending (`lms.pending`) and listed on the result page.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import citizen_id as cid
from .. import jurisdiction
from ..lms.ids import auto_external_id, report_external_id, source_key
from ..lms.matching import LearnerIndex
from ..models import CourseCompletion, LmsSource
from .completion_columns import (
    LAYOUT_COLUMNS,
    LEARNER_COLUMN,
    CompletionResource,
    example_row,
    export_queryset,
)
from .completion_rows import CompletionImportResource
from .flow import ResourceImport
from .parsing import ImportFileError
from .report_files import report_course

Provider = CourseCompletion.Provider
Matching = LmsSource.Matching
TEMPLATE_VALUES = (
    "course_title",
    "provider",
    "course_id",
    "course_url",
    "grade",
    "certificate_url",
    "competency_tags",
)


class CompletionImport(ResourceImport):
    kind = "completions"
    resource_class = CompletionResource
    import_resource_class = CompletionImportResource

    def __init__(self, *, source=None, course_title="", course_id="", **kwargs):
        super().__init__(**kwargs)
        if isinstance(source, int | str) and source:
            source = LmsSource.objects.select_related("area").get(pk=source)
        self.source = source or None
        self.layout = LAYOUT_COLUMNS.get(self.source.provider) if self.source else None
        if self.layout:
            self.columns = self.layout
            self.matching = self.source.matching
        else:
            self.matching = Matching.CITIZEN_ID
        self.course_title = (course_title or "").strip()
        self.course_id = (course_id or "").strip()
        self.report_date = None
        self.today = timezone.localdate()
        officer_paths = None if self.officer.is_superuser else jurisdiction.area_paths(self.officer)
        self.learners = LearnerIndex(
            matching=self.matching,
            source=self.source,
            scopes=[officer_paths, [self.source.area.path] if self.source else None],
        )
        self.skipped = 0
        self.pending = []  # completions of learners who are no citizens (yet)
        self.source_key = source_key(self.source.pk) if self.source else "template"

    # --- the file's course (LMS reports hold one course each) --------------------------------

    def map_columns(self, found):
        warnings = len(self.report.warnings)
        mapping = super().map_columns(found)
        if self.layout:
            # A report's activity and assignment columns are expected: no "ignored" warning.
            del self.report.warnings[warnings:]
            learner_column = LEARNER_COLUMN[self.matching]
            if learner_column not in self.file_headers:
                raise ImportFileError(
                    _(
                        "This source matches learners by %(matching)s, but the file has no "
                        "“%(column)s” column. In the LMS, add it to the report's user "
                        "identity fields and export again."
                    )
                    % {
                        "matching": Matching(self.matching).label.lower(),
                        "column": self.columns[learner_column].column_name,
                    },
                    "missing_columns",
                )
            self.resolve_course()
        return mapping

    def resolve_course(self):
        course_id, self.report_date = report_course(self.report.file_name, self.source.provider)
        self.course_id = (self.course_id or course_id)[:120]
        if not self.course_id:
            raise ImportFileError(
                _(
                    "The course of this report is unknown: keep the file name the LMS gave it "
                    "(it names the course), or enter the course ID on the upload form."
                ),
                "unknown_course",
            )
        self.course_title = self.course_title or self.course_id

    # --- a row's completion ------------------------------------------------------------------

    def completion_values(self, values, learner):
        if self.layout:
            return {
                "course_title": self.course_title,
                "provider": self.source.provider,
                "course_id": self.course_id,
                "course_url": "",
                "completed_on": values["completed_on"],
                "hours": None,
                "grade": values.get("grade", ""),
                "certificate_url": "",
                "competency_tags": "",
                # One completion per learner and course in both LMSs: the date is left out.
                "external_id": report_external_id(self.source.pk, learner.pk, self.course_id),
            }
        completion = {name: values.get(name, "") for name in TEMPLATE_VALUES}
        completion["completed_on"] = values.get("completed_on")
        completion["hours"] = values.get("hours")
        completion["external_id"] = values.get("external_id") or auto_external_id(
            self.source_key,
            learner.pk,
            completion["provider"],
            completion["course_id"] or completion["course_title"],
            completion["completed_on"],
        )
        return completion

    def first_seen(self, row, name, key):
        if key in self.seen:
            row.error(
                name,
                "duplicate_in_file",
                _("The same completion (learner and course) is already in row %(row)s.")
                % {"row": self.seen[key]},
            )
            return False
        self.seen[key] = row.number
        return True

    def read_result(self, result, dataset):
        """Rows of learners who have not completed are skipped, but not "unchanged"."""
        super().read_result(result, dataset)
        self.report.unchanged -= self.skipped + len(self.pending)
        if self.skipped:
            self.report.warnings.append(
                _(
                    "%(count)s rows are of learners who have not completed the course (no "
                    "completion date, or no certificate): they were left out."
                )
                % {"count": self.skipped}
            )

    def describe(self, learner, completion):
        details = [
            completion["course_title"],
            completion["completed_on"].strftime("%d/%m/%Y"),
        ]
        if completion["hours"] is not None:
            details.append(_("%(hours)s hours") % {"hours": completion["hours"]})
        if completion["grade"]:
            details.append(completion["grade"])
        return {
            "label": f"{learner.full_name} · {cid.mask(learner.citizen_id)}",
            "details": " · ".join(str(part) for part in details),
        }

    # The sample template and the export: `completion_columns`.
    example_row = staticmethod(example_row)
    export_queryset = staticmethod(export_queryset)
