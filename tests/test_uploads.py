"""Evidence uploads: judged by content, size-limited, names sanitised, photos stripped of EXIF
(GPS included) with their orientation kept, and a full disk that loses nothing."""

import errno
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from assessments.models import AssessmentStatus, Evidence
from assessments.services.evidence import evidence_add_file
from assessments.uploads import (
    EXIF_ORIENTATION,
    prepare_evidence_upload,
    sanitise_filename,
    strip_image_metadata,
)
from tests.factories.review import make_assessment, review_world

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
GPS_IFD = 0x8825


def photo(fmt="JPEG", *, gps=True, orientation=6, size=(40, 20)):
    """A small photo with a GPS position, a camera model and an orientation tag."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x0110] = "Phone X"  # camera model
    if orientation:
        exif[EXIF_ORIENTATION] = orientation
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 51.0, 12.0)}
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif.tobytes())
    return out.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\an\\Giấy chứng nhận.PDF", "Giấy chứng nhận.pdf"),
        ("..pdf", "pdf"),  # no extension left: refused as a file type
        ("a\x00b\x1f<script>.jpg", "ab_script.jpg"),
        ("", "file"),
        ("x" * 300 + ".png", "x" * 96 + ".png"),
    ],
)
def test_file_names_are_sanitised(raw, expected):
    assert sanitise_filename(raw) == expected


def test_gps_and_camera_data_are_stripped_from_a_jpeg_but_orientation_stays():
    cleaned = strip_image_metadata(photo(), "image/jpeg")
    with Image.open(io.BytesIO(cleaned)) as image:
        exif = image.getexif()
        assert exif.get(EXIF_ORIENTATION) == 6
        assert GPS_IFD not in exif
        assert 0x0110 not in exif
        assert image.size == (40, 20)  # pixels not rotated: the tag still says how to show it


def test_gps_is_stripped_from_a_png():
    cleaned = strip_image_metadata(photo("PNG", orientation=None), "image/png")
    with Image.open(io.BytesIO(cleaned)) as image:
        assert not image.getexif()
        assert "exif" not in image.info


def test_a_truncated_image_is_not_real():
    with pytest.raises(ValidationError) as caught:
        prepare_evidence_upload(upload("anh.jpg", photo()[:60]), max_bytes=10_000)
    assert caught.value.code == "file_content"


def test_a_file_whose_declared_size_lies_is_measured_by_its_content():
    lying = upload("a.pdf", PDF + b"0" * 5000)
    lying.size = 10
    with pytest.raises(ValidationError) as caught:
        prepare_evidence_upload(lying, max_bytes=1000)
    assert caught.value.code == "file_content"


@pytest.fixture
def draft(db):
    world = review_world()
    assessment = make_assessment(world, status=AssessmentStatus.DRAFT)
    return world, assessment


def test_a_stored_photo_has_no_gps(draft):
    world, assessment = draft
    evidence = evidence_add_file(
        answer=assessment.answers.first(),
        actor=world.officers["branch"],
        uploaded_file=upload("../ảnh nhà.jpg", photo()),
    )
    assert evidence.original_name == "ảnh nhà.jpg"
    with evidence.file.open("rb") as stored, Image.open(stored) as image:
        assert GPS_IFD not in image.getexif()
    assert evidence.size == evidence.file.size


def test_a_full_disk_says_so_and_leaves_no_half_row(draft, monkeypatch):
    world, assessment = draft
    revision = assessment.revision

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Evidence.file.field.storage.__class__, "_save", full)
    with pytest.raises(ValidationError) as caught:
        evidence_add_file(
            answer=assessment.answers.first(),
            actor=world.officers["branch"],
            uploaded_file=upload("a.pdf", PDF),
        )
    assert caught.value.code == "storage"
    assert not Evidence.objects.exists()
    assessment.refresh_from_db()
    assert assessment.revision == revision  # the edit was rolled back with the file
