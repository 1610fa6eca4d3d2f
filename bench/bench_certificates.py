"""Certificates per second for a batch of 500 vs the same template without QR code or fonts.

Subject: `write_certificates_zip` over 500 recognitions of one decision — the batch task's
loop: each certificate's context (NFC, fitted sizes, a QR code drawn and embedded as a data
URI), xhtml2pdf with the embedded Noto Serif faces (subset per document), into a zip.
Baseline: the same 500 recognitions through the same template and renderer with `embed=False`
(no QR code, ReportLab's built-in Times: no font embedding), into a zip the same way.
Target from issue #8: at least 20 certificates/s per core (one process here).
Also: a dossier of 10,000 rows (PDF and xlsx), timed once, vs the 500-row dossier scaled.
"""

import io
import logging
import time
import zipfile

from assessments.certificates import dossiers, pdf
from assessments.certificates.archives import write_certificates_zip
from assessments.certificates.documents import (
    certificate_context,
    certificate_filename,
    certificate_queryset,
    template_for,
)
from assessments.models import AssessmentStatus
from bench.harness import Result

BATCH = 500
DOSSIER_ROWS = 10_000


def _world(count):
    from tests.factories.review import bulk_assessments, review_world

    world = review_world()
    bulk_assessments(world, count, status=AssessmentStatus.RECOGNISED)
    return world


def _baseline_zip(recognitions):
    with zipfile.ZipFile(io.BytesIO(), "w", compression=zipfile.ZIP_STORED) as archive:
        for recognition in recognitions:
            content = pdf.render_pdf(
                template_for(recognition), certificate_context(recognition, embed=False)
            )
            archive.writestr(certificate_filename(recognition), content)


def bench_certificate_batch():
    # The baseline's Vietnamese letters have no glyph in Times: xhtml2pdf warns per letter.
    logging.getLogger("xhtml2pdf").setLevel(logging.ERROR)
    world = _world(BATCH)
    recognitions = list(
        certificate_queryset().filter(assessment__campaign=world.campaign).order_by("sequence")
    )
    assert len(recognitions) == BATCH
    write_certificates_zip(recognitions[:5], io.BytesIO())  # warm: fonts parsed, templates
    _baseline_zip(recognitions[:5])
    start = time.perf_counter()
    write_certificates_zip(recognitions, io.BytesIO())
    subject = time.perf_counter() - start
    start = time.perf_counter()
    _baseline_zip(recognitions)
    baseline = time.perf_counter() - start
    results = [
        Result(
            f"certificates: batch of {BATCH} (per PDF)",
            subject / BATCH,
            baseline / BATCH,
            note=(
                f"{BATCH / subject:.1f} certificates/s with QR + fonts vs {BATCH / baseline:.1f}/s "
                f"without (target ≥20/s per core: {'met' if BATCH / subject >= 20 else 'NOT met'})"
            ),
        )
    ]
    results.append(_bench_dossier(world))
    return results


def _bench_dossier(world):
    from tests.factories.review import bulk_assessments

    small = dossiers.dossier_data(campaign=world.campaign, area=world.commune)
    start = time.perf_counter()
    dossiers.dossier_pdf(small)
    small_seconds = time.perf_counter() - start
    bulk_assessments(world, DOSSIER_ROWS - BATCH, status=AssessmentStatus.RECOGNISED)
    start = time.perf_counter()
    data = dossiers.dossier_data(campaign=world.campaign, area=world.commune)
    content = dossiers.dossier_pdf(data)
    big_seconds = time.perf_counter() - start
    start = time.perf_counter()
    dossiers.dossier_xlsx(data)
    xlsx_seconds = time.perf_counter() - start
    assert len(data.rows) == DOSSIER_ROWS
    scaled = small_seconds * DOSSIER_ROWS / BATCH
    return Result(
        f"dossier: {DOSSIER_ROWS} rows vs {BATCH} rows × {DOSSIER_ROWS // BATCH}",
        big_seconds,
        scaled,
        target_ratio=1.5,
        note=(
            f"PDF {big_seconds:.1f} s ({len(content) // 1024} KB), xlsx {xlsx_seconds:.1f} s; "
            f"{BATCH} rows took {small_seconds:.2f} s (ratio ≈1 means linear in rows)"
        ),
    )
