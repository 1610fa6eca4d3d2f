"""The course (and date) an LMS names its report download after.

- Moodle's course completion report is written by `csv_export_writer` (lib/csvlib.class.php):
  ``completion-<shortname>-<YYYYMMDD_HHMM>-<delimiter>_separated.csv``, the shortname lower-cased
  with characters other than a–z, 0–9 and "-" turned into "_", the date in UTC, the delimiter
  one of Moodle's names (comma, semicolon, colon, tab, or cfg for the site's own). Older
  versions wrote ``completion-<shortname>.csv``.
- Open edX's grade report (lms/djangoapps/instructor_task: `upload_csv_to_report_store`):
  ``<org>_<course>_<run>_grade_report_<YYYY-MM-DD-HHMM>.csv``.

A browser saving a second copy adds " (1)". The date and the delimiter are not part of the
course: every later export of the same course names the same course, so importing it again
changes nothing.
"""

import datetime
import re
from pathlib import Path

from ..models import CourseCompletion

Provider = CourseCompletion.Provider
COPY = r"(?:\s*\(\d+\))?"
MOODLE_DELIMITERS = ("comma", "semicolon", "colon", "tab", "cfg")
MOODLE_FILE = re.compile(
    r"^completion-(?P<course>.+?)"
    r"(?:-(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})_\d{4})?"
    rf"(?:-(?:{'|'.join(MOODLE_DELIMITERS)})_separated)?{COPY}$"
)
OPEN_EDX_FILE = re.compile(
    r"^(?P<course>.+?)_grade_report_(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:-\d{4})?" + COPY + "$"
)
PATTERNS = {Provider.MOODLE: MOODLE_FILE, Provider.OPEN_EDX: OPEN_EDX_FILE}


def report_course(file_name, provider):
    """(course ID, date of the export) from a report's file name; ("", None) when the name is
    not the LMS's own."""
    pattern = PATTERNS.get(provider)
    match = pattern.match(Path(file_name or "").stem) if pattern else None
    if not match:
        return "", None
    try:
        date = datetime.date(*(int(match.group(part)) for part in ("y", "m", "d")))
    except (TypeError, ValueError):  # no date in the name, or not a real one
        date = None
    return match.group("course"), date
