"""Public verification codes of recognitions (the QR on a certificate, the badge's id).

No imports from the app: `Recognition.verification_code` uses `new_verification_code` as its
default, so the models import this module.
"""

import secrets


def new_verification_code():
    """Public, unguessable code printed (as a QR) on the certificate."""
    return secrets.token_urlsafe(12)
