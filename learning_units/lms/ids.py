"""The IDs derived for completions that come without one (report rows, template rows)."""

import hashlib


def auto_external_id(*parts):
    """A stable ID for a completion that comes without one: the same learner, course (and,
    where the file gives several per course, date) always give the same ID."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()
    return f"auto-{digest[:40]}"


def source_key(source_pk):
    """The first part of the IDs derived for a source's completions."""
    return f"source-{source_pk}"


def report_external_id(source_pk, citizen_pk, course_id):
    """One completion per source, learner and course (the date left out): the ID an LMS
    report's row gets, so a report imported again, or exported again later, adds nothing."""
    return auto_external_id(source_key(source_pk), citizen_pk, course_id)
