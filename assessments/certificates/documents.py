"""What a certificate says: the recognition's data, NFC-normalised, sized to fit, with its QR.

The certificate is an official paper in Vietnamese whatever language the officer's screen is in,
so its fixed wording (the national motto, the form's headings, the titles) lives in its
templates and here in Vietnamese, and is not interface text to translate.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from learning_units.models import AreaLevel, Gender
from learning_units.text import nfc

from ..models import Recognition
from . import fonts, pdf
from .addresses import public_base_url
from .qr import qr_data_uri

# The title each kind of subject is recognised with (DOMAIN.md: collective titles).
TITLES = {
    "citizen": "Công dân học tập",
    "family": "Gia đình học tập",
    "clan": "Dòng họ học tập",
    "community": "Cộng đồng học tập",
    "organisation": "Đơn vị học tập",
}
# How the certificate addresses a citizen: by the recorded gender, "Ông/Bà" when none is known.
HONORIFICS = {Gender.MALE: "Ông", Gender.FEMALE: "Bà"}
UNKNOWN_HONORIFIC = "Ông/Bà"
CITIZEN_TEMPLATE = "assessments/certificates/certificate_citizen.html"
COLLECTIVE_TEMPLATE = "assessments/certificates/certificate_collective.html"

# Widths available on A4 landscape inside the frame (cm), and the font sizes allowed (pt):
# below the smallest size the text wraps instead of shrinking further.
NAME_BOX_CM = 22.0
NAME_SIZES = (30, 18)
HEADER_BOX_CM = 11.0
HEADER_SIZES = (12, 8.5)
LINE_BOX_CM = 23.0
LINE_SIZES = (13, 10)
DATED_BOX_CM = 10.8
DATED_SIZES = (12, 9)


def title_kind(assessment):
    """The title's kind: a unit's own kind (family, clan…), else the campaign's."""
    if assessment.learning_unit_id:
        return assessment.learning_unit.kind
    return assessment.campaign.subject_kind


def honorific(citizen):
    return HONORIFICS.get(citizen.gender, UNKNOWN_HONORIFIC)


def nfc_text(value):
    return nfc(str(value or ""))


def fitted_size(text, *, box_cm, sizes, style="bold"):
    """The largest size from `sizes` (max, min) at which `text` fits in one line of `box_cm`.

    Measured with the certificate's own font, so a 60-letter name shrinks rather than running
    off the page; past the minimum the template lets it wrap.
    """
    largest, smallest = sizes
    width = fonts.text_width_cm(text, size_pt=largest, style=style)
    if width <= box_cm:
        return largest
    return max(smallest, round(largest * box_cm / width * 2) / 2)


def absolute_url(view_name, *args, area=None):
    """An absolute public URL in the default language (no prefix): what a QR prints stays valid.

    On the public site of `area` (the issuing association) when several Sites serve
    associations; `addresses.public_base_url` says how it is found.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return public_base_url(area) + reverse(view_name, args=args)


def verification_url(recognition):
    return absolute_url(
        "assessments:verify", recognition.verification_code, area=recognition.issuing_area
    )


def association_name(area):
    """ "HỘI KHUYẾN HỌC XÃ GIA LỘC"; an agency branch is named as it is ("Chi hội …")."""
    name = nfc_text(area.name)
    if area.level == AreaLevel.CENTRAL:
        return "HỘI KHUYẾN HỌC VIỆT NAM"
    if area.is_agency_branch or name.lower().startswith("chi hội"):
        return name.upper()
    return f"HỘI KHUYẾN HỌC {name.upper()}"


# First words of official unit names, written in lower case inside a sentence.
DIVISION_WORDS = {"Xã", "Phường", "Đặc", "Tỉnh", "Thành", "Thôn", "Tổ", "Ấp", "Bản", "Khu"}


def association_phrase(area):
    """The issuing body inside a sentence: "Hội Khuyến học xã Gia Lộc"."""
    name = nfc_text(area.name)
    if area.is_agency_branch or name.lower().startswith("chi hội"):
        return name
    if name.split(" ", 1)[0] in DIVISION_WORDS:
        name = name[:1].lower() + name[1:]  # "Xã Gia Lộc" → "xã Gia Lộc" inside a sentence
    return f"Hội Khuyến học {name}"


def place_of_issue(area):
    """Where the decision is dated: the commune (an agency branch dates it in its commune)."""
    if area.level == AreaLevel.RESIDENTIAL and area.parent_id:
        return nfc_text(area.parent.name)
    return nfc_text(area.name)


def vietnamese_date(value):
    return f"ngày {value.day:02d} tháng {value.month:02d} năm {value.year}"


def certificate_queryset():
    """Recognitions with everything a certificate prints, in one query."""
    return Recognition.objects.select_related(
        "assessment__citizen__area__parent",
        "assessment__learning_unit__area__parent",
        "assessment__campaign",
        "decision",
        "issuing_area__parent",
    )


@dataclass(frozen=True)
class Fitted:
    text: str
    size: float

    @property
    def pt(self):
        """The size for CSS: "25.5", never localised ("25,5" would break the style)."""
        return f"{self.size:g}pt"


def _fit(text, box_cm, sizes, style="bold"):
    text = nfc_text(text)
    return Fitted(text, fitted_size(text, box_cm=box_cm, sizes=sizes, style=style))


def certificate_context(recognition, *, embed=True):
    """Everything the certificate templates print. `embed=False` leaves out the QR code and the
    embedded fonts (ReportLab's built-in Times): the benchmark's baseline."""
    assessment = recognition.assessment
    subject = assessment.subject
    kind = title_kind(assessment)
    issuing_area = recognition.issuing_area
    residence = subject.area
    residence_text = ", ".join(
        nfc_text(area.name)
        for area in (residence, residence.parent)
        if area is not None and area.level >= AreaLevel.COMMUNE
    )
    parent = issuing_area.parent
    url = verification_url(recognition)
    name = nfc_text(subject.full_name if assessment.citizen_id else subject.name)
    return {
        "recognition": recognition,
        "collective": not assessment.citizen_id,
        "name": _fit(name, NAME_BOX_CM, NAME_SIZES),
        "honorific": honorific(subject) if assessment.citizen_id else None,
        "title": TITLES.get(kind, TITLES["citizen"]).upper(),
        "year": recognition.year,
        "band": nfc_text(assessment.band),
        "residence": _fit(residence_text, LINE_BOX_CM, LINE_SIZES, "regular"),
        "issuer": _fit(association_name(issuing_area), HEADER_BOX_CM, HEADER_SIZES),
        "parent_issuer": (
            _fit(association_name(parent), HEADER_BOX_CM, HEADER_SIZES, "regular")
            if parent is not None
            else None
        ),
        "issuer_phrase": association_phrase(issuing_area),
        "issuing_area_name": nfc_text(issuing_area.name),
        "decision_number": nfc_text(recognition.decision.number),
        "decision_date": recognition.decision.decided_on.strftime("%d/%m/%Y"),
        "dated": _fit(
            f"{place_of_issue(issuing_area)}, {vietnamese_date(recognition.decision.decided_on)}",
            DATED_BOX_CM,
            DATED_SIZES,
            "italic",
        ),
        "signer": nfc_text(recognition.decision.signer),
        "certificate_number": nfc_text(recognition.certificate_number),
        "revoked": recognition.revoked,
        "verification_url": url,
        "qr": qr_data_uri(url) if embed else None,
        "fonts": fonts.FONT_FILES,
        "font_family": fonts.FAMILY if embed else None,
    }


def template_for(recognition):
    return COLLECTIVE_TEMPLATE if not recognition.assessment.citizen_id else CITIZEN_TEMPLATE


def render_certificate(recognition):
    """The certificate PDF of one recognition (bytes)."""
    return pdf.render_pdf(template_for(recognition), certificate_context(recognition))


def file_stem(recognition):
    """The certificate number as a file name's part: letters, digits, "-" and "_" only."""
    return "".join(
        ch if ch.isalnum() or ch in "-_" else "-" for ch in recognition.certificate_number
    )


def certificate_filename(recognition):
    return f"giay-chung-nhan-{file_stem(recognition)}.pdf"
