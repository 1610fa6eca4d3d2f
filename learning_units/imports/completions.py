"""Import of course completions: our template, Moodle's and Open edX's own report exports.

The layout follows the source chosen on upload: no source means our template (learners by
citizen ID); a Moodle or Open edX source means that LMS's report, learners matched as the
source says (e-mail, username mapping or citizen ID). Those reports list one course per file
and name it in the file name (Moodle: ``completion-<shortname>.csv``; Open edX:
``<course>_grade_report_<YYYY-MM-DD-HHMM>.csv``), so the course comes from the upload form or
the file name. Layouts and their sources: tests/data/README.md.

A completion is identified by provider and external ID: importing the same file again changes
nothing. Report rows carry no ID of their own, so one is derived from the source, the citizen
and the course (and the date, in our template).
"""

import re
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import citizen_id as cid
from .. import jurisdiction, selectors
from ..lms import rows as lms_rows
from ..lms.matching import LearnerIndex, MatchError, learner_key
from ..models import CourseCompletion, LmsSource
from . import cells
from .base import ImportSpec
from .parsing import ImportFileError
from .resources import Column, ImportResource

Provider = CourseCompletion.Provider
Matching = LmsSource.Matching
MOODLE_FILE = re.compile(r"^completion-(?P<course>.+?)(?:\s*\(\d+\))?$")
OPEN_EDX_FILE = re.compile(
    r"^(?P<course>.+?)_grade_report_(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:-\d{4})?"
)
YES = {"y", "yes", "true", "1", "co"}


def grade_percent(value):
    """Open edX writes the grade as a fraction (0.87): kept as "87%"."""
    raw = cells.text(value, max_length=20)
    try:
        fraction = float(raw) if raw else None
    except ValueError as error:
        raise cells.CellError(
            _("“%(value)s” is not a grade between 0 and 1.") % {"value": raw}, "grade"
        ) from error
    if fraction is None:
        return ""
    if not 0 <= fraction <= 1:
        raise cells.CellError(
            _("“%(value)s” is not a grade between 0 and 1.") % {"value": raw}, "grade"
        )
    return f"{fraction * 100:.0f}%"


class CompletionResource(ImportResource):
    """Our template (and the export of recorded completions)."""

    citizen_id = Column(
        "citizen__citizen_id",
        "Số CCCD",
        english="Citizen ID",
        aliases=("CCCD", "CCCD/CMND", "citizen_id"),
        required=True,
        as_text=True,
        note=gettext_lazy("The learner's citizen ID (12 digits), already registered."),
    )
    course_title = Column(
        "course_title",
        "Tên khóa học",
        english="Course title",
        aliases=("Khóa học", "course_title", "course"),
        required=True,
    )
    provider = Column(
        "provider",
        "Nền tảng",
        english="Provider",
        aliases=("provider",),
        note=gettext_lazy("site, moodle, open_edx or other (default: other)."),
    )
    course_id = Column(
        "course_id", "Mã khóa học", english="Course ID", aliases=("course_id",), as_text=True
    )
    course_url = Column(
        "course_url", "Địa chỉ khóa học", english="Course URL", aliases=("course_url",)
    )
    completed_on = Column(
        "completed_on",
        "Ngày hoàn thành",
        english="Completed on",
        aliases=("completed_on", "Date completed"),
        required=True,
        note=gettext_lazy("e.g. 30/06/2025 or 2025-06-30; not in the future."),
    )
    hours = Column("hours", "Số giờ", english="Hours", aliases=("hours",))
    grade = Column("grade", "Kết quả", english="Grade", aliases=("Điểm", "grade"))
    certificate_url = Column(
        "certificate_url",
        "Địa chỉ chứng chỉ",
        english="Certificate URL",
        aliases=("certificate_url",),
    )
    external_id = Column(
        "external_id",
        "Mã ngoài",
        english="External ID",
        aliases=("external_id",),
        as_text=True,
        note=gettext_lazy(
            "The LMS's own ID of this completion. Without one, an ID is made from the "
            "citizen, the course and the date, so a file imported twice adds nothing."
        ),
    )
    competency_tags = Column(
        "competency_tags",
        "Năng lực",
        english="Competency tags",
        aliases=("competency_tags", "Competencies"),
        note=gettext_lazy("Comma-separated, e.g. digital-skills, foreign-language."),
    )

    class Meta:
        model = CourseCompletion
        fields = (
            "citizen_id",
            "course_title",
            "provider",
            "course_id",
            "course_url",
            "completed_on",
            "hours",
            "grade",
            "certificate_url",
            "external_id",
            "competency_tags",
        )

    @classmethod
    def columns(cls):
        """In the template's order (the citizen first), not the model's."""
        return {name: cls.fields[name] for name in cls._meta.fields}

    @classmethod
    def headers(cls):
        return [column.column_name for column in cls.columns().values()]

    def get_export_order(self):
        return self._meta.fields

    def dehydrate_citizen_id(self, completion):
        return completion.citizen.masked_citizen_id


def report_columns(**columns):
    """Columns of an LMS's report, keyed by our names (Column objects need an attribute)."""
    return {
        name: Column(name, header, english=header, aliases=aliases, required=required)
        for name, (header, aliases, required) in columns.items()
    }


# Moodle 4.x "Course completion" report (report/completion/index.php, format=csv|excelcsv):
# "ID", "Name", the identity fields set in showuseridentity ("Email address", "ID number",
# "Username"…), two columns per activity criterion, then "Course complete" (a date or empty).
MOODLE_COLUMNS = report_columns(
    user_id=("ID", (), False),
    full_name=("Name", ("Full name",), False),
    email=("Email address", ("Email",), False),
    username=("Username", (), False),
    citizen_id=("ID number", ("idnumber",), False),
    completed_on=("Course complete", (), True),
)
# Open edX instructor dashboard "grade report" (lms/djangoapps/instructor_task/tasks_helper/
# grades.py, CourseGradeReport): "Student ID", "Email", "Username", "Grade", one column per
# assignment, …, "Certificate Eligible", "Certificate Delivered", "Certificate Type".
OPEN_EDX_COLUMNS = report_columns(
    user_id=("Student ID", (), False),
    email=("Email", (), False),
    username=("Username", (), False),
    grade=("Grade", (), True),
    certificate_eligible=("Certificate Eligible", (), True),
    certificate_delivered=("Certificate Delivered", (), False),
    certificate_type=("Certificate Type", (), False),
)
LAYOUT_COLUMNS = {Provider.MOODLE: MOODLE_COLUMNS, Provider.OPEN_EDX: OPEN_EDX_COLUMNS}
LEARNER_COLUMN = {
    Matching.EMAIL: "email",
    Matching.USERNAME: "username",
    Matching.CITIZEN_ID: "citizen_id",
}


class CompletionImport(ImportSpec):
    kind = "completions"
    resource_class = CompletionResource

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
        self.plan = lms_rows.CompletionPlan(source=CourseCompletion.Source.IMPORT)
        self.skipped = 0
        self.source_key = f"source-{self.source.pk}" if self.source else "template"

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
        stem = Path(self.report.file_name or "").stem
        pattern = MOODLE_FILE if self.source.provider == Provider.MOODLE else OPEN_EDX_FILE
        match = pattern.match(stem)
        if match:
            self.course_id = self.course_id or match.group("course")
            if "y" in match.groupdict():
                self.report_date = lms_rows.parse_date(
                    "-".join(match.group(part) for part in ("y", "m", "d"))
                )
        if not self.course_id:
            raise ImportFileError(
                _(
                    "The course of this report is unknown: keep the file name the LMS gave it "
                    "(it names the course), or enter the course ID on the upload form."
                ),
                "unknown_course",
            )
        self.course_title = self.course_title or self.course_id

    # --- rows ----------------------------------------------------------------------------

    def clean(self, row):
        if self.layout is MOODLE_COLUMNS:
            self.clean_moodle(row)
        elif self.layout is OPEN_EDX_COLUMNS:
            self.clean_open_edx(row)
        else:
            self.clean_template(row)
        if row.values.get("skip"):
            return
        column = LEARNER_COLUMN[self.matching]
        if self.layout:
            key = row.clean(column, cells.text, max_length=254, required=True)
        else:
            key = row.clean(column, cells.citizen_id)
        if key:
            row.values["learner_key"] = learner_key(self.matching, key)

    def clean_template(self, row):
        values = row.values
        row.clean("course_title", cells.text, max_length=255, required=True)
        if self.source:
            values["provider"] = self.source.provider
        else:
            row.clean("provider", lms_rows.provider)
        row.clean("course_id", cells.text, max_length=120)
        row.clean("course_url", lms_rows.url)
        row.clean("completed_on", lms_rows.completion_date, today=self.today)
        row.clean("hours", lms_rows.hours)
        row.clean("grade", cells.text, max_length=40)
        row.clean("certificate_url", lms_rows.url)
        row.clean("external_id", cells.text, max_length=120)
        row.clean("competency_tags", cells.text, max_length=255)

    def clean_moodle(self, row):
        if cells.text(row.cells.get("completed_on"), max_length=40) == "":
            row.values["skip"] = True  # not (yet) complete
            return
        row.clean("completed_on", lms_rows.completion_date, today=self.today)

    def clean_open_edx(self, row):
        eligible = cells.text(row.cells.get("certificate_eligible"), max_length=10).lower()
        delivered = cells.text(row.cells.get("certificate_delivered"), max_length=10).lower()
        if eligible not in YES and delivered not in YES:
            row.values["skip"] = True
            return
        row.clean("grade", grade_percent)
        row.values["completed_on"] = min(self.report_date or self.today, self.today)

    def preload(self, rows):
        self.learners.load(row.values.get("learner_key") for row in rows)
        for row in rows:
            values = row.values
            if values.get("skip") or row.errors or not values.get("learner_key"):
                continue
            try:
                learner = self.learners.find(values["learner_key"])
            except MatchError as error:
                row.error(LEARNER_COLUMN[self.matching], error.code, error.message)
                continue
            values["learner"] = learner
            values["completion"] = self.completion_values(values, learner)
        self.plan.load(
            (row.values["completion"]["provider"], row.values["completion"]["external_id"])
            for row in rows
            if "completion" in row.values
        )

    def completion_values(self, values, learner):
        if self.layout:
            return {
                "course_title": self.course_title,
                "provider": self.source.provider,
                "course_id": self.course_id[:120],
                "course_url": "",
                "completed_on": values["completed_on"],
                "hours": None,
                "grade": values.get("grade", ""),
                "certificate_url": "",
                "competency_tags": "",
                # One completion per learner and course in both LMSs: the date is left out.
                "external_id": lms_rows.auto_external_id(
                    self.source_key, learner.pk, self.course_id
                ),
            }
        completion = {
            name: values.get(name, "")
            for name in (
                "course_title",
                "provider",
                "course_id",
                "course_url",
                "grade",
                "certificate_url",
                "competency_tags",
            )
        }
        completion["completed_on"] = values.get("completed_on")
        completion["hours"] = values.get("hours")
        completion["external_id"] = values.get("external_id") or lms_rows.auto_external_id(
            self.source_key,
            learner.pk,
            completion["provider"],
            completion["course_id"] or completion["course_title"],
            completion["completed_on"],
        )
        return completion

    def resolve(self, row):
        values = row.values
        if values.get("skip"):
            self.skipped += 1
            return
        completion = values.get("completion")
        if row.errors or completion is None:
            return
        key = (completion["provider"], completion["external_id"])
        name = "external_id" if row.has("external_id") else LEARNER_COLUMN[self.matching]
        if not self.first_seen(row, name, key):
            return
        if self.layout is OPEN_EDX_COLUMNS:
            current = self.plan.existing.get(key)
            if current is not None:  # the report's date is the day it ran: keep the first
                completion["completed_on"] = current.completed_on
        try:
            action = self.plan.add(completion, values["learner"].pk)
        except cells.CellError as error:
            row.error(name, error.code, error.message)
            return
        if action == "unchanged":
            self.report.unchanged += 1
            return
        if action == "new":
            self.report.new += 1
        else:
            self.report.updated += 1
        if self.report.wants_samples:
            self.report.add_sample(row.number, action, self.describe(values["learner"], completion))

    def check(self, table, progress=None):
        super().check(table, progress=progress)
        if self.skipped:
            self.report.warnings.append(
                _(
                    "%(count)s rows are of learners who have not completed the course (no "
                    "completion date, or no certificate): they were left out."
                )
                % {"count": self.skipped}
            )

    def write(self, progress=None):
        self.plan.write(progress=progress)

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

    # --- the sample template and the export ----------------------------------------------------

    @classmethod
    def example_row(cls, officer):
        citizen = selectors.citizens_for_officer(officer).order_by("pk").first()
        return {
            "citizen_id": citizen.citizen_id if citizen else "001090999990",
            "course_title": "Kỹ năng số cơ bản",
            "provider": Provider.MOODLE,
            "course_id": "KNS-101",
            "course_url": "https://lms.example.vn/course/view.php?id=12",
            "completed_on": timezone.localdate().strftime("%d/%m/%Y"),
            "hours": 8,
            "grade": "Đạt",
            "certificate_url": "",
            "external_id": "",
            "competency_tags": "digital-skills",
        }

    @classmethod
    def export_queryset(cls, officer):
        return (
            jurisdiction.scope(CourseCompletion.objects.all(), officer, "citizen__area__path")
            .select_related("citizen")
            .order_by("-completed_on", "pk")
        )
