"""Checking a credential with the published files only: the .jwt, the JWKS and the status list.

No database: what `manage.py verify_credential` runs, and what the browser page
(`static/assessments/certificates/verify_offline.js`) does with WebCrypto. The steps are
OB 3.0 §8.2.4.4 ("Verify a Credential"): the key named by the header's `kid` (`key_id`: its
thumbprint) in the published JWKS, the signature, the registered claims against the
credential, then the bit of its BitstringStatusListEntry in a status list whose own signature
checks with the same keys.
"""

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from jwcrypto import jwk, jws
from jwcrypto.common import JWException

from .status_list import bit_is_set, decode_bits

VALID = "valid"
REVOKED = "revoked"
INVALID_SIGNATURE = "invalid_signature"
UNKNOWN_KEY = "unknown_key"
MALFORMED = "malformed"
STATUS_UNCHECKED = "status_unchecked"

# Vietnamese first, then English: the command prints both, whatever the settings' language.
MESSAGES = {
    VALID: ("Hợp lệ: chữ ký đúng và chưa bị thu hồi.", "Valid: signature verified, not revoked."),
    REVOKED: ("Đã thu hồi: chứng nhận không còn giá trị.", "Revoked: the credential is void."),
    INVALID_SIGNATURE: ("Chữ ký không hợp lệ.", "Invalid signature."),
    UNKNOWN_KEY: (
        "Khóa không rõ: khóa ký không có trong danh sách khóa công khai.",
        "Unknown key: the signing key is not in the published keys.",
    ),
    MALFORMED: ("Tệp không phải chứng nhận hợp lệ.", "The file is not a valid credential."),
    STATUS_UNCHECKED: (
        "Chữ ký đúng; chưa kiểm tra thu hồi (thiếu danh sách trạng thái).",
        "Signature verified; revocation not checked (no status list given).",
    ),
}


@dataclass(frozen=True)
class Outcome:
    status: str
    detail: str = ""
    credential: dict | None = None

    @property
    def messages(self):
        return MESSAGES[self.status]


class CheckFailed(Exception):
    def __init__(self, status, detail=""):
        super().__init__(detail)
        self.status, self.detail = status, detail


def _b64json(segment):
    try:
        return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, UnicodeDecodeError) as error:
        raise CheckFailed(MALFORMED, str(error)) from error


def key_id(kid):
    """The key's thumbprint in a JOSE `kid`: the key's URL (`/badges/keys/<thumbprint>.json`),
    or, in tokens signed before that URL existed, the JWKS URL + "#" + thumbprint."""
    kid = str(kid or "")
    if "#" in kid:
        return kid.rsplit("#", 1)[1]
    return kid.rsplit("/", 1)[-1].removesuffix(".json")


def verified_payload(token, jwks_document):
    """The payload of a compact JWS signed by one of the JWKS's keys, else CheckFailed."""
    token = token.strip()
    parts = token.split(".")
    if len(parts) != 3:
        raise CheckFailed(MALFORMED, "not a compact JWS")
    header = _b64json(parts[0])
    if not isinstance(header, dict) or header.get("alg") not in ("ES256",):
        raise CheckFailed(MALFORMED, "unsupported algorithm")
    kid = key_id(header.get("kid"))
    found = [key for key in jwks_document.get("keys", []) if key.get("kid") == kid]
    if not found:
        raise CheckFailed(UNKNOWN_KEY, kid)
    try:
        key = jwk.JWK(**found[0])
    except (JWException, ValueError, TypeError) as error:
        raise CheckFailed(UNKNOWN_KEY, f"{kid}: {error}") from error
    try:
        signed = jws.JWS()
        signed.deserialize(token)
        signed.verify(key, alg="ES256")
    except JWException as error:
        raise CheckFailed(INVALID_SIGNATURE, str(error)) from error
    try:
        payload = json.loads(signed.payload)
    except ValueError as error:
        raise CheckFailed(MALFORMED, str(error)) from error
    if not isinstance(payload, dict):
        raise CheckFailed(MALFORMED, "payload is not an object")
    return payload


def _timestamp(value):
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def check_claims(payload, *, now=None):
    """OB 3.0 §8.2.4.4: iss, sub, jti and nbf agree with the credential; validFrom has passed."""
    try:
        issuer = payload["issuer"]
        issuer_id = issuer["id"] if isinstance(issuer, dict) else issuer
        subject = payload["credentialSubject"]
        agree = (
            payload["iss"] == issuer_id
            and payload["jti"] == payload["id"]
            and payload.get("sub") == (subject.get("id") if isinstance(subject, dict) else None)
            and payload["nbf"] == _timestamp(payload["validFrom"])
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise CheckFailed(MALFORMED, f"claims: {error}") from error
    if not agree:
        raise CheckFailed(MALFORMED, "the JWT claims do not match the credential")
    if payload["nbf"] > (now or datetime.now(UTC)).timestamp():
        raise CheckFailed(MALFORMED, "not valid yet")


def _is_revoked(entry, status_lists, jwks_document):
    for token in status_lists:
        try:
            listed = verified_payload(token, jwks_document)
        except CheckFailed as failed:
            raise CheckFailed(MALFORMED, f"status list: {failed.detail}") from failed
        if listed.get("id") != entry.get("statusListCredential"):
            continue
        subject = listed.get("credentialSubject") or {}
        if subject.get("statusPurpose") != entry.get("statusPurpose"):
            continue
        try:
            bits = decode_bits(subject["encodedList"])
            position = int(entry["statusListIndex"])
        except (KeyError, ValueError, OSError, EOFError) as error:
            raise CheckFailed(MALFORMED, f"status list: {error}") from error
        if not 0 <= position < len(bits) * 8:
            raise CheckFailed(MALFORMED, "status index outside the list")
        return bit_is_set(bits, position)
    return None


def check(token, jwks_document, status_lists=(), *, now=None):
    """The Outcome of a credential (a compact JWS) against the keys and status lists given."""
    try:
        payload = verified_payload(token, jwks_document)
        check_claims(payload, now=now)
        entry = payload.get("credentialStatus") or {}
        revoked = _is_revoked(entry, status_lists, jwks_document) if entry else None
    except CheckFailed as failed:
        return Outcome(failed.status, failed.detail)
    if revoked is None:
        return Outcome(STATUS_UNCHECKED, credential=payload)
    return Outcome(REVOKED if revoked else VALID, credential=payload)
