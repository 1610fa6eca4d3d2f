"""Signing keys of Open Badges 3.0 credentials (docs/certificates.md, "Keys and rotation").

manage.py issuer_keys generate   # the first key (does nothing when one exists)
manage.py issuer_keys rotate     # a new signing key; the old ones stay published, public only
manage.py issuer_keys list       # every key: its kid, active or retired
"""

from django.core.management.base import BaseCommand, CommandError

from assessments.certificates import keys


class Command(BaseCommand):
    help = "Generate, rotate or list the keys that sign Open Badges 3.0 credentials."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["generate", "rotate", "list"])

    def handle(self, *args, action, **options):
        if action == "generate":
            created = keys.generate_key()
            if created is None:
                raise CommandError(
                    f"A key exists already in {keys.key_dir()}: use `issuer_keys rotate`."
                )
            self.stdout.write(f"Created {created.path} (kid {created.kid}).")
        elif action == "rotate":
            created = keys.rotate_key()
            self.stdout.write(
                f"Created {created.path} (kid {created.kid}); it signs from now on. The "
                "previous keys keep their public half only, still published."
            )
        for stored in reversed(keys.stored_keys()):
            state = "active" if stored.is_private else "retired (public only)"
            self.stdout.write(f"{stored.kid}  {state}  {stored.path.name}")
