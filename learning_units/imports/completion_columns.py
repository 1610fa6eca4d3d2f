"""The columns of the three course-completion layouts: our template, Moodle's and Open edX's.

Our template is a resource (its headers, notes and the export of recorded completions); an
LMS's report is a set of columns keyed by our names, read as the LMS writes them. Layouts and
their sources: tests/data/README.md.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import jurisdiction, selectors
from ..models import CourseCompletion, LmsSource
from . import cells
from .resources import Column, ImportResource

Provider = CourseCompletion.Provider
Matching = LmsSource.Matching
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


def yes(value):
    """Open edX's Y/N cells (anything else is no)."""
    return cells.text(value, max_length=10).lower() in YES


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
# Its headers are the strings of the site's language (get_string). English: lang/en/moodle.php
# ('email', 'idnumber', 'username'), lang/en/completion.php ('coursecomplete'),
# report/completion/lang/en/report_completion.php ('id', 'name'). Vietnamese, from Moodle's
# language pack "vi" (AMOS, version 3.11: lang/vi/moodle.php, lang/vi/completion.php; the pack
# has no report_completion strings, so "ID" and "Name" stay English). Moodle and its language
# packs are GPL v3 or later (https://moodle.org/, https://download.moodle.org/langpack/); only
# these column names are taken. The Vietnamese date format ('strftimedatetimeshort',
# "%d/%m/%Y %H:%M") is read by `lms.rows.completion_date` like the English one.
MOODLE_COLUMNS = report_columns(
    user_id=("ID", (), False),
    full_name=("Name", ("Full name", "Tên đầy đủ"), False),
    email=("Email address", ("Email", "Địa chỉ thư điện tử"), False),
    username=("Username", ("Tên tài khoản",), False),
    citizen_id=("ID number", ("idnumber", "Mã số ID"), False),
    completed_on=("Course complete", ("Khóa học hoàn thành",), True),
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


def example_row(officer):
    """The sample template's row: a citizen of the officer's own."""
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


def export_queryset(officer):
    """The recorded completions an officer may export."""
    return (
        jurisdiction.scope(CourseCompletion.objects.all(), officer, "citizen__area__path")
        .select_related("citizen")
        .order_by("-completed_on", "pk")
    )
