"""Checking and cleaning an uploaded evidence file before it is stored (issue 11).

A file is judged by its content, never by its name alone: the first bytes must be a PDF, JPEG
or PNG signature that agrees with the extension, and an image must decode. Photos taken on a
phone carry EXIF data, often with the GPS position of the citizen's home: images are re-encoded
without any metadata except the orientation tag, so the photo still shows the right way up.
File names are reduced to a safe, readable form (Vietnamese letters kept). A storage failure
(a full disk) becomes a message the citizen can act on, and nothing is half-saved: the caller
runs inside a transaction and the partial file is removed.
"""

import contextlib
import errno
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
EXTENSIONS = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
# A phone photo is 12–50 megapixels; more is a decompression bomb, not evidence.
MAX_PIXELS = 60_000_000
MAX_NAME_LENGTH = 100
EXIF_ORIENTATION = 0x0112


@dataclass
class PreparedUpload:
    name: str
    content_type: str
    content: ContentFile
    size: int


def sniff(head: bytes):
    """The content type the first bytes of a file show (pdf, jpeg, png), or None."""
    for content_type, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return content_type
    return None


def sanitise_filename(name: str) -> str:
    """A file name safe on any disk and in a Content-Disposition header.

    Keeps letters of any script (Vietnamese names stay readable), digits, spaces, dots, dashes
    and underscores; drops folders, control characters and leading dots; at most 100 characters
    with the extension kept.
    """
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"[^\w.\- ]+", "_", name).strip(" ._")
    name = re.sub(r"[ _]{2,}", "_", name)
    stem, suffix = Path(name).stem.strip(" ._"), Path(name).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,8}", suffix):
        stem, suffix = name, ""
    stem = stem[: MAX_NAME_LENGTH - len(suffix)].strip(" ._") or "file"
    return f"{stem}{suffix}"


def strip_image_metadata(data: bytes, content_type: str) -> bytes:
    """The image re-encoded without EXIF (GPS, camera, time), XMP or text chunks.

    Only the EXIF orientation is carried over, so a portrait photo stays portrait without
    rotating pixels. JPEG keeps its quantisation tables (`quality="keep"`), so the re-encoding
    does not visibly degrade the photo. Raises ValueError when the data does not decode.
    """
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValueError("too many pixels")
            image.load()
            orientation = image.getexif().get(EXIF_ORIENTATION)
            options = {}
            if image.info.get("icc_profile"):
                options["icc_profile"] = image.info["icc_profile"]
            if orientation and orientation != 1:
                exif = Image.Exif()
                exif[EXIF_ORIENTATION] = orientation
                options["exif"] = exif.tobytes()
            if content_type == "image/jpeg":
                options["quality"] = "keep" if image.format == "JPEG" else 90
            out = io.BytesIO()
            image.save(out, format=PILLOW_FORMATS[content_type], **options)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValueError(str(error)) from error
    return out.getvalue()


def _not_real(name):
    return ValidationError(
        _("“%(name)s” is not a real PDF, JPG or PNG file (its content does not match).")
        % {"name": name},
        code="file_content",
    )


def prepare_evidence_upload(uploaded_file, *, max_bytes: int) -> PreparedUpload:
    """Check type (by content), size and name; strip image metadata. Raises ValidationError."""
    name = sanitise_filename(uploaded_file.name or "")
    extension = Path(name).suffix.lower()
    if extension not in EXTENSIONS:
        raise ValidationError(
            _("“%(name)s” cannot be attached: send a PDF, JPG or PNG file.") % {"name": name},
            code="file_type",
        )
    if uploaded_file.size is None or uploaded_file.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s: files can be at most %(max)s. Take a smaller photo or scan.")
            % {
                "name": name,
                "size": filesizeformat(uploaded_file.size or 0),
                "max": filesizeformat(max_bytes),
            },
            code="file_size",
        )
    uploaded_file.seek(0)
    data = uploaded_file.read(max_bytes + 1)
    uploaded_file.seek(0)
    content_type = sniff(data[:16])
    if content_type is None or content_type != EXTENSIONS[extension] or len(data) > max_bytes:
        raise _not_real(name)
    if content_type in PILLOW_FORMATS:
        try:
            data = strip_image_metadata(data, content_type)
        except ValueError:
            raise _not_real(name) from None
    return PreparedUpload(
        name=name, content_type=content_type, content=ContentFile(data, name=name), size=len(data)
    )


def save_file(field_file, upload: PreparedUpload):
    """Store the file; a full or failing disk becomes a message and leaves no partial file."""
    try:
        field_file.save(upload.name, upload.content, save=False)
    except OSError as error:
        if field_file.name:
            with contextlib.suppress(OSError):
                field_file.storage.delete(field_file.name)
        if error.errno == errno.ENOSPC:
            message = _(
                "The server has no room for this file just now. Your answers are saved; "
                "try again later."
            )
        else:
            message = _(
                "The server could not store this file just now. Your answers are saved; "
                "try again later."
            )
        raise ValidationError(message, code="storage") from error
