"""Certificates, dossiers and public verification of recognitions (issue #8).

- `pdf`: renders HTML templates to PDF with xhtml2pdf, fonts shipped in `fonts/`, nothing fetched.
- `documents`: what a certificate shows (NFC text, fitted font sizes, QR of the verification URL).
- `dossiers`: decision lists per campaign and area as PDF and xlsx.
- `badges`: Open Badges 2.0 documents (hosted verification); `baking`: the badge picture with
  its assertion baked in.
- `addresses`: the public address printed on certificates and in every badge id (the Wagtail
  Site or CDHT_PUBLIC_BASE_URL, never the admin's); `checks`: fonts, and that address in
  production.
- `credentials`: Open Badges 3.0 credentials signed as VC-JWT with the keys of `keys` (files,
  rotation, JWKS); `status_list`: their revocation bits; `offline`: checking one with the
  published files only (docs/certificates.md).
- `services`: starting and purging batch jobs; `tasks`: the django_tasks task that runs them
  (`archives`: the zip of a decision's certificates).
- `numbering`: certificate numbers; `codes`: public verification codes.
- `selectors`: who may download what (citizen: own; officer: jurisdiction; public: by code).
"""
