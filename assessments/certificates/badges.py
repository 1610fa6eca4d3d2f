"""Open Badges 2.0 documents for recognitions, with hosted verification.

Spec: https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html
An Assertion is published at its own URL (keyed by the unguessable verification code) and
names its BadgeClass by URL; the BadgeClass names its Issuer profile by URL. One BadgeClass per
issuing association and title, so a wallet shows "Công dân học tập — Hội Khuyến học xã …".
The recipient is never published in clear: the e-mail (or, without one, the certificate's
verification URL) is salted and hashed (`sha256$…`), the salt derived from the code so the
document is stable between requests.
"""

import hashlib
import hmac
from email.utils import parseaddr

from django.conf import settings
from django.templatetags.static import static

from ..conf import setting
from .addresses import public_base_url
from .documents import TITLES, absolute_url, association_phrase, nfc_text, title_kind

CONTEXT = "https://w3id.org/openbadges/v2"
# The BadgeClass image, also the picture a recognition's badge is baked into (`baking`).
IMAGE = "assessments/certificates/badge.png"

DESCRIPTIONS = {
    "citizen": "Danh hiệu Công dân học tập do Hội Khuyến học công nhận theo bộ tiêu chí năm.",
    "family": "Danh hiệu Gia đình học tập do Hội Khuyến học công nhận.",
    "clan": "Danh hiệu Dòng họ học tập do Hội Khuyến học công nhận.",
    "community": "Danh hiệu Cộng đồng học tập do Hội Khuyến học công nhận.",
    "organisation": "Danh hiệu Đơn vị học tập do Hội Khuyến học công nhận.",
}


def issuer_url(area):
    return absolute_url("assessments:badge_issuer", area.pk, area=area)


def badge_class_url(area, kind):
    return absolute_url("assessments:badge_class", area.pk, kind, area=area)


def assertion_url(recognition):
    return absolute_url(
        "assessments:badge_assertion",
        recognition.verification_code,
        area=recognition.issuing_area,
    )


def evidence_url(recognition):
    """The verification page: the evidence an assertion names, and an unmailed recipient."""
    return absolute_url(
        "assessments:verify", recognition.verification_code, area=recognition.issuing_area
    )


def _salt(recognition):
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, recognition.verification_code.encode(), hashlib.sha256).hexdigest()[:16]


def hashed_identity(identity, salt):
    return "sha256$" + hashlib.sha256((identity + salt).encode()).hexdigest()


def recipient(recognition):
    assessment = recognition.assessment
    email = ""
    if assessment.citizen_id:
        email = assessment.citizen.email
    salt = _salt(recognition)
    if email:
        return {
            "type": "email",
            "hashed": True,
            "salt": salt,
            "identity": hashed_identity(email.strip().lower(), salt),
        }
    return {
        "type": "url",
        "hashed": True,
        "salt": salt,
        "identity": hashed_identity(evidence_url(recognition), salt),
    }


def assertion(recognition):
    """The hosted Assertion; a revoked one says so (and the view answers 410 Gone)."""
    document = {"@context": CONTEXT, "type": "Assertion", "id": assertion_url(recognition)}
    if recognition.revoked:
        return {
            **document,
            "revoked": True,
            "revocationReason": nfc_text(recognition.revoked_reason) or "Đã thu hồi",
        }
    kind = title_kind(recognition.assessment)
    return {
        **document,
        "recipient": recipient(recognition),
        "badge": badge_class_url(recognition.issuing_area, kind),
        "verification": {"type": "HostedBadge"},
        "issuedOn": _issued_on(recognition),
        "evidence": evidence_url(recognition),
        "narrative": (
            f"Quyết định số {nfc_text(recognition.decision.number)} ngày "
            f"{recognition.decision.decided_on:%d/%m/%Y}; giấy chứng nhận số "
            f"{recognition.certificate_number}."
        ),
    }


def _issued_on(recognition):
    decided = recognition.decision.decided_on
    return f"{decided.isoformat()}T00:00:00+07:00"


def badge_class(area, kind):
    title = TITLES[kind]
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": badge_class_url(area, kind),
        "name": f"{title} — {association_phrase(area)}",
        "description": DESCRIPTIONS[kind],
        "image": public_base_url(area) + static(IMAGE),
        "criteria": {
            "narrative": (
                "Đạt bộ tiêu chí của năm đánh giá và được công nhận bằng quyết định của "
                f"{association_phrase(area)}."
            )
        },
        "issuer": issuer_url(area),
        "tags": ["xã hội học tập", title.lower()],
    }


def issuer(area):
    profile = {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": issuer_url(area),
        "name": association_phrase(area),
        "url": public_base_url(area) + "/",
        "description": "Hội Khuyến học Việt Nam — " + nfc_text(area.name),
    }
    email = issuer_email(area)
    return {**profile, "email": email} if email else profile


def issuer_email(area):
    """The issuer's e-mail in both Open Badges versions: the association's contact e-mail, else
    CDHT_ISSUER_EMAIL, else DEFAULT_FROM_EMAIL's address; "" for a placeholder (…@localhost)."""
    configured = area.contact_email or setting("ISSUER_EMAIL") or settings.DEFAULT_FROM_EMAIL
    address = parseaddr(configured or "")[1]
    return address if "@" in address and not address.endswith("@localhost") else ""
