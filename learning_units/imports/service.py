"""The one entry to every import, used by the admin screens and by `import_data` alike."""

import logging
import time

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..jurisdiction import is_officer
from .areas import AreaImport
from .citizens import CitizenImport
from .completions import CompletionImport
from .parsing import MAX_FILE_BYTES, ImportFileError, read_table, read_upload
from .report import ImportReport, RowError
from .units import LearningUnitImport

SPECS = {
    spec.kind: spec for spec in (CitizenImport, AreaImport, LearningUnitImport, CompletionImport)
}
KIND_LABELS = {
    "citizens": gettext_lazy("Citizens"),
    "areas": gettext_lazy("Residential areas and agency branches"),
    "units": gettext_lazy("Learning units (families, clans, communities, organisations)"),
    "completions": gettext_lazy("Course completions (our template, Moodle, Open edX)"),
}

logger = logging.getLogger(__name__)


class WholeCountry:
    """Who a management command acts as without --officer: every area, like a superuser."""

    is_superuser = True
    is_authenticated = True
    pk = None


def import_run(
    *, kind, file, officer, dry_run, progress=None, max_bytes=MAX_FILE_BYTES, options=None
):
    """Check a whole file and, unless `dry_run`, write it all in one transaction.

    `file` is a path or a file object with a name (an upload). `officer` is the acting user,
    whose jurisdiction bounds every row; None acts for the whole country (commands only).
    Nothing is written when any row is invalid. `progress(stage, done, total)` is called as
    rows are checked ("check") and written ("write"). `options` are the kind's own
    (for completions: the LMS source and the course of the file).
    """
    if kind not in SPECS:
        raise ValueError(f"Unknown import kind {kind!r}; expected one of {sorted(SPECS)}.")
    officer = officer or WholeCountry()
    if not is_officer(officer):
        raise PermissionDenied(_("Only officers can import data."))
    report = ImportReport(kind=kind, dry_run=dry_run)
    started = time.perf_counter()
    try:
        upload = read_upload(file, max_bytes=max_bytes)
        report.file_name = upload.name
        spec = SPECS[kind](officer=officer, report=report, **(options or {}))
        table = read_table(upload)
        del upload
        try:
            report.applied = spec.run(table, dry_run=dry_run, progress=progress)
        except ImportFileError as error:
            if error.code in ("no_header", "missing_columns"):
                raise other_kind_error(kind, table, officer) or error from None
            raise
    except ImportFileError as error:
        report.file_error = RowError(None, "", error.code, error.message)
    except IntegrityError:
        report.file_error = RowError(
            None,
            "",
            "conflict",
            _(
                "The records changed while the import ran (someone else saved the same "
                "citizens or areas). Nothing was written: run the import again."
            ),
        )
    except DatabaseError:
        # The transaction above rolled back: say so rather than show a server error page.
        logger.exception("Import of %s failed in the database", kind)
        report.file_error = RowError(
            None,
            "",
            "database",
            _(
                "The database failed during the import. Nothing was written: run the import "
                "again in a few minutes."
            ),
        )
    report.seconds = time.perf_counter() - started
    return report


def other_kind_error(kind, table, officer):
    """When the header is that of another kind of file, say so rather than list columns."""
    for other, spec_class in SPECS.items():
        if other == kind:
            continue
        try:
            spec_class(officer=officer, report=ImportReport(kind=other, dry_run=True)).match_header(
                table.rows
            )
        except ImportFileError:
            continue
        return ImportFileError(
            _(
                "This file holds %(found)s, not %(chosen)s: choose “%(found)s” as what the file "
                "holds and upload it again."
            )
            % {"found": KIND_LABELS[other], "chosen": KIND_LABELS[kind]},
            "wrong_kind",
        )
    return None
