"""The deployment's signing keys for Open Badges 3.0 credentials, kept in files, never in the DB.

One key signs at a time: the newest file in ``CDHT_ISSUER_KEY_DIR`` (default
``BASE_DIR/var/keys``). A key is a JWK file (P-256, ES256: WebCrypto verifies it in every
browser, docs/certificates.md) named ``<UTC time>-<thumbprint>.jwk``, mode 0600 in a 0700
folder. Rotation (`rotate_key`) writes a new key and rewrites the one it replaces with its
public half only: the old private key is gone, its public key stays published in the JWKS so
the credentials it signed still verify. A database dump never holds a private key.

Created by ``manage.py issuer_keys generate|rotate|list``; a system check warns in production
when there is none (`checks.issuer_key_check`).
"""

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from jwcrypto import jwk, jws
from jwcrypto.common import json_encode

from ..conf import setting

ALGORITHM = "ES256"
CURVE = "P-256"
SUFFIX = ".jwk"


class NoSigningKey(Exception):
    """No key with its private half in the folder: run ``manage.py issuer_keys generate``."""


@dataclass(frozen=True)
class StoredKey:
    path: Path
    key: jwk.JWK

    @property
    def kid(self):
        return self.key.thumbprint()

    @property
    def is_private(self):
        return self.key.has_private


def key_dir():
    configured = setting("ISSUER_KEY_DIR")
    if configured:
        return Path(configured)
    return Path(getattr(settings, "BASE_DIR", Path.cwd())) / "var" / "keys"


def stored_keys():
    """Every key of the folder, oldest first (names start with their creation time)."""
    folder = key_dir()
    if not folder.is_dir():
        return []
    keys = []
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        keys.append(StoredKey(path, jwk.JWK.from_json(path.read_text(encoding="utf-8"))))
    return keys


def active_key():
    """The newest key, which signs; NoSigningKey when there is none with its private half."""
    keys = stored_keys()
    if not keys or not keys[-1].is_private:
        raise NoSigningKey(str(key_dir()))
    return keys[-1]


def _write_private(path, text):
    """Create the file readable by its owner only, from the first byte (no chmod race)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def _new_key():
    folder = key_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    key = jwk.JWK.generate(kty="EC", crv=CURVE)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"{stamp}-{key.thumbprint()}{SUFFIX}"
    _write_private(path, key.export_private())
    return StoredKey(path, key)


def generate_key():
    """The first key; None when one exists already (rotation is a separate, deliberate act)."""
    if stored_keys():
        return None
    return _new_key()


def rotate_key():
    """A new signing key; the previous ones keep only their public half (still published)."""
    previous = [stored for stored in stored_keys() if stored.is_private]
    new = _new_key()
    for stored in previous:
        public = stored.path.with_suffix(".tmp")
        _write_private(public, stored.key.export_public())
        os.replace(public, stored.path)
    return new


def public_jwk(stored):
    """The public JWK as published: no private member, with its kid and use."""
    document = stored.key.export_public(as_dict=True)
    return {**document, "kid": stored.kid, "alg": ALGORITHM, "use": "sig"}


def jwks():
    """Every public key, active and retired: what `/.well-known/jwks.json` publishes."""
    return {"keys": [public_jwk(stored) for stored in reversed(stored_keys())]}


def public_key(kid):
    """The published JWK whose thumbprint is `kid` (active or retired), else None."""
    for stored in stored_keys():
        if stored.kid == kid:
            return public_jwk(stored)
    return None


def sign(claims, *, key_url):
    """A compact JWS of `claims` signed with the active key (jwcrypto does the cryptography).

    The JOSE header is OB 3.0 §8.2.3's: `alg`, `kid` and `typ` "JWT"; no other header. The
    `kid` is `key_url(thumbprint)`, a URL that answers the public JWK itself: "Dereferencing
    means using the URI to get the public key in JWK format" (OB 3.0, "Dereferencing the Public
    Key"), and 1EdTech's validator (ExternalProofProbe) reads that answer as one JWK. Tokens
    signed before used the JWKS URL + "#" + thumbprint; `offline.key_id` reads both.
    """
    stored = active_key()
    token = jws.JWS(json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode())
    header = {"alg": ALGORITHM, "kid": key_url(stored.kid), "typ": "JWT"}
    token.add_signature(stored.key, alg=ALGORITHM, protected=json_encode(header))
    return token.serialize(compact=True)
