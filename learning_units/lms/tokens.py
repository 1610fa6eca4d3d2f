"""API tokens of LMS sources: random, shown once, stored as a SHA-256 hash only."""

import hashlib
import secrets

TOKEN_PREFIX = "cdht_"


def token_generate():
    """A new token (about 256 bits of randomness) with a recognisable prefix."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token):
    """The stored form of a token. Tokens are random, so a plain hash suffices (no salt)."""
    return hashlib.sha256(token.encode()).hexdigest()
