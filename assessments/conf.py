"""Settings of the `assessments` app, named ``CDHT_<NAME>`` like those of `learning_units`.

Read lazily through `learning_units.conf.setting` (one prefix, one reader for both apps):
``from assessments.conf import setting`` then ``setting("EVIDENCE_MAX_BYTES")``.
"""

from learning_units import conf as learning_units_conf

DEFAULTS = {
    **learning_units_conf.DEFAULTS,
    # Evidence and import uploads: a folder never served by a public URL (None means
    # MEDIA_ROOT/private). Only permission-checking views read it (assessments.storage).
    "PRIVATE_MEDIA_ROOT": None,
    # Name of a STORAGES entry to keep those files in instead (shared storage when several
    # machines serve the site, e.g. a private S3-compatible bucket); None means the folder above.
    "PRIVATE_STORAGE": None,
    # Largest evidence upload, in bytes.
    "EVIDENCE_MAX_BYTES": 5 * 1024 * 1024,
    # Per assessment (assessments.services.evidence.evidence_check_quota): files and links in
    # all, and the total size of its files, in bytes.
    "EVIDENCE_MAX_ITEMS_PER_ASSESSMENT": 30,
    "EVIDENCE_MAX_TOTAL_BYTES_PER_ASSESSMENT": 60 * 1024 * 1024,
    # Absolute address of the public site, e.g. "https://congdanhoctap.example.vn", printed on
    # certificates, in their QR codes and in every Open Badges id. None means the Wagtail Site
    # serving the issuing association's pages (assessments.certificates.addresses); production
    # needs a real host either way (`check --deploy`, assessments.E002).
    "PUBLIC_BASE_URL": None,
    # The e-mail address of an Open Badges issuer profile when the association (Area) has no
    # contact e-mail of its own; None means DEFAULT_FROM_EMAIL.
    "ISSUER_EMAIL": None,
    # Behind nginx: the `internal` location aliased to the private folder; permission-checked
    # views then answer with X-Accel-Redirect instead of streaming (assessments.private_files).
    "PRIVATE_MEDIA_ACCEL_PREFIX": "",
    # Public certificate verification page: (requests, seconds) per client address.
    "VERIFY_RATE": (30, 60),
    # Certificate batches up to this size are zipped in the request; larger ones run as a
    # background job (assessments.views.certificates).
    "CERTIFICATE_SYNC_ZIP_LIMIT": 50,
    # Zip archives of certificate batches are removed this many days after they were made
    # (`purge_certificate_batches`, daily); the batch's record stays, and it can be run again.
    "CERTIFICATE_BATCH_KEEP_DAYS": 30,
    # A dossier PDF is laid out in the request (about 1.3 s per 1,000 rows): above this many
    # rows the officer is asked for a smaller area or the Excel file instead.
    "DOSSIER_PDF_MAX_ROWS": 5000,
    # The officers' queue export (100,000 rows: about 25 s as XLSX, 7 s as CSV): above these
    # sizes the officer is asked to narrow the filters.
    "QUEUE_EXPORT_MAX_ROWS": {"xlsx": 50_000, "csv": 200_000},
    # More rows than this: the export is written by a background job (a worker), and the
    # officer follows its progress on a page instead of waiting on a request.
    "QUEUE_EXPORT_BACKGROUND_ROWS": 5_000,
    # Files of background queue exports (names of people) are removed this many days after
    # they were written (`purge_queue_exports`, daily); the job's record stays.
    "QUEUE_EXPORT_KEEP_DAYS": 7,
    # “Select all matching” in the officers' queue: at most this many assessments in one bulk
    # action (one decision may name them all; above it, the officer narrows the filters).
    "BULK_SELECT_ALL_MAX_ROWS": 5000,
    # Folder of sample criteria sets that `load_criteria --demo` loads (None means the
    # national sets installed with the package, assessments/criteria_sets).
    "SAMPLE_CRITERIA_DIR": None,
    # Folder of the Open Badges 3.0 signing keys (JWK files, mode 0600; None means
    # BASE_DIR/var/keys). Outside the database and the repository: `issuer_keys generate`.
    "ISSUER_KEY_DIR": None,
    # Bits per Bitstring Status List credential (W3C: at least 131,072, i.e. 16 KB).
    "STATUS_LIST_SIZE": 131_072,
}


def setting(name):
    """The value of ``CDHT_<name>`` from settings, or its documented default."""
    return learning_units_conf.setting(name, DEFAULTS)
