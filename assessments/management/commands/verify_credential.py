"""Check an Open Badges 3.0 credential with the published files only (no database).

    manage.py verify_credential credential.jwt --jwks jwks.json --status-list 0.jwt

The files are what the site publishes (`/.well-known/jwks.json`, `/badges/status/<n>.jwt`);
the answer, in Vietnamese and English: valid, revoked, invalid signature or unknown key. Exit
status 0 only for a valid credential.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.certificates import offline


class Command(BaseCommand):
    help = "Verify a credential (.jwt) against a JWKS file and status list files, offline."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="the credential, a compact JWS (.jwt)")
        parser.add_argument("--jwks", required=True, help="the published jwks.json")
        parser.add_argument(
            "--status-list",
            action="append",
            default=[],
            dest="status_lists",
            help="a published status list (.jwt); may be given more than once",
        )

    def handle(self, *args, file, jwks, status_lists, **options):
        try:
            token = Path(file).read_text(encoding="utf-8")
            jwks_document = json.loads(Path(jwks).read_text(encoding="utf-8"))
            lists = [Path(path).read_text(encoding="utf-8") for path in status_lists]
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        outcome = offline.check(token, jwks_document, lists)
        vietnamese, english = outcome.messages
        self.stdout.write(f"{vietnamese}\n{english}")
        if outcome.detail:
            self.stdout.write(f"({outcome.detail})")
        if outcome.status != offline.VALID:
            raise SystemExit(1)
