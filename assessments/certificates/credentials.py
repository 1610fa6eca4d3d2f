"""Open Badges 3.0: each standing recognition as an OpenBadgeCredential, signed as a VC-JWT.

Spec: https://www.imsglobal.org/spec/ob/v3p0/ — the W3C Verifiable Credentials 2.0 data model
with the OB 3.0 context 3.0.3. The issuer is the issuing association's Profile (the same URL as
its Open Badges 2.0 Issuer, `badges.issuer_url`), the achievement is the title it awards (the
same URL as its 2.0 BadgeClass), the earner is named only by a salted SHA-256 hash of their
e-mail (or, without one, of the verification URL), exactly as in the 2.0 Assertion.

Proof: OB 3.0 §8.2 "JSON Web Token Proof Format" — the payload is the credential itself with
the claims `iss` (issuer.id), `jti` (id), `sub` (credentialSubject.id) and `nbf` (validFrom);
the header `alg` ES256, `kid` (the URL of the public JWK, `/badges/keys/<thumbprint>.json`),
`typ` "JWT" (`keys.sign`). Revocation: `status_list`.
"""

import uuid
from datetime import datetime

from . import badges, keys, status_list
from .documents import (
    TITLES,
    absolute_url,
    association_phrase,
    nfc_text,
    public_base_url,
    title_kind,
)

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}


def credential_url(recognition):
    return absolute_url("assessments:credential", recognition.verification_code, "json")


def subject_id(recognition):
    """A stable, opaque URI for the earner (JWT `sub`): nothing about the person in it."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, credential_url(recognition)))


def issuer_profile(area):
    profile = {
        "id": badges.issuer_url(area),
        "type": ["Profile"],
        "name": association_phrase(area),
        "url": public_base_url(area) + "/",
        "description": "Hội Khuyến học Việt Nam — " + nfc_text(area.name),
    }
    email = badges.issuer_email(area)
    return {**profile, "email": email} if email else profile


def identity(recognition):
    """The earner's IdentityObject, hashed with the 2.0 Assertion's salt and rule."""
    recipient = badges.recipient(recognition)
    return {
        "type": "IdentityObject",
        "identityHash": recipient["identity"],
        "identityType": "emailAddress" if recipient["type"] == "email" else "identifier",
        "hashed": True,
        "salt": recipient["salt"],
    }


def achievement(area, kind):
    badge = badges.badge_class(area, kind)
    return {
        "id": badge["id"],
        "type": ["Achievement"],
        "name": badge["name"],
        "description": badge["description"],
        "criteria": badge["criteria"],
        "image": {"id": badge["image"], "type": "Image"},
        "tag": badge["tags"],
    }


def valid_from(recognition):
    """The decision's day, at midnight in Vietnam (as the 2.0 Assertion's issuedOn)."""
    return f"{recognition.decision.decided_on.isoformat()}T00:00:00+07:00"


def credential(recognition):
    """The OpenBadgeCredential of a standing recognition (unsigned)."""
    assessment = recognition.assessment
    kind = title_kind(assessment)
    area = recognition.issuing_area
    return {
        "@context": CONTEXT,
        "id": credential_url(recognition),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{TITLES[kind]} {recognition.year} — {association_phrase(area)}",
        "issuer": issuer_profile(area),
        "validFrom": valid_from(recognition),
        "credentialSubject": {
            "id": subject_id(recognition),
            "type": ["AchievementSubject"],
            "identifier": [identity(recognition)],
            "achievement": achievement(area, kind),
        },
        "credentialStatus": status_list.credential_status(recognition),
        "credentialSchema": [SCHEMA],
    }


def jwt_claims(document):
    """The JWT payload: the credential and OB 3.0 §8.2.4's registered claims."""
    return {
        **document,
        "iss": document["issuer"]["id"],
        "jti": document["id"],
        "sub": document["credentialSubject"]["id"],
        "nbf": int(datetime.fromisoformat(document["validFrom"]).timestamp()),
    }


def signed_credential(recognition):
    """The credential as a compact JWS (raises keys.NoSigningKey without a key)."""
    return keys.sign(jwt_claims(credential(recognition)), key_url=status_list.key_url)


def credential_filename(recognition, extension):
    safe = "".join(
        ch if ch.isalnum() or ch in "-_" else "-" for ch in recognition.certificate_number
    )
    return f"open-badge-{safe}.{extension}"
