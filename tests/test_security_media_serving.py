"""Development serving of uploads (/media/ under DEBUG) never hands out a private file,
however its path is written."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import re_path

from cdht_wagtail import urls as project_urls
from cdht_wagtail.views import media_serve

# The site's own URLs too: the 404 page is drawn in the site's frame, which links to them.
urlpatterns = [re_path(r"^media/(?P<path>.*)$", media_serve), *project_urls.urlpatterns]
pytestmark = pytest.mark.urls(__name__)  # the project's urls add this route under DEBUG only

SECRET = b"%PDF-1.4 private evidence\n"


@pytest.fixture
def files(db):
    media = Path(settings.MEDIA_ROOT)
    (media / "private" / "evidence").mkdir(parents=True, exist_ok=True)
    (media / "private" / "evidence" / "proof.pdf").write_bytes(SECRET)
    (media / "documents").mkdir(parents=True, exist_ok=True)
    (media / "documents" / "leaflet.txt").write_bytes(b"public leaflet\n")
    return media


@pytest.mark.parametrize(
    "url",
    [
        "/media/private/evidence/proof.pdf",
        "/media//private/evidence/proof.pdf",
        "/media///private/evidence/proof.pdf",
        "/media/./private/evidence/proof.pdf",
        "/media/documents/%2e%2e/private/evidence/proof.pdf",
        "/media/documents/../private/evidence/proof.pdf",
        "/media/documents/%2E%2E/%2E%2E/media/private/evidence/proof.pdf",
        "/media/%2fprivate/evidence/proof.pdf",
        "/media/private%2fevidence%2fproof.pdf",
        "/media/documents/%2E%2E/documents/%2E%2E/private/evidence/proof.pdf",
        "/media/private/",
        "/media/private",
    ],
)
def test_a_private_file_is_refused_however_its_path_is_written(client, files, url):
    response = client.get(url)
    assert response.status_code == 404
    assert SECRET not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_a_symbolic_link_into_the_private_folder_is_refused(client, files):
    link = files / "documents" / "shortcut"
    if not link.exists():
        link.symlink_to(files / "private" / "evidence")
    assert client.get("/media/documents/shortcut/proof.pdf").status_code == 404


def test_a_separately_configured_private_folder_is_refused_too(client, files, settings, tmp_path):
    settings.CDHT_PRIVATE_MEDIA_ROOT = str(files / "kept")
    (files / "kept").mkdir(exist_ok=True)
    (files / "kept" / "proof.pdf").write_bytes(SECRET)
    assert client.get("/media/kept/proof.pdf").status_code == 404
    assert client.get("/media/documents/../kept/proof.pdf").status_code == 404


def test_a_path_out_of_the_media_folder_is_a_not_found(client, files):
    assert client.get("/media/documents/%2e%2e/%2e%2e/etc/passwd").status_code == 404


def test_a_nul_byte_is_a_not_found_not_an_error(client, files):
    assert client.get("/media/documents/leaflet.txt%00.pdf").status_code == 404


def test_public_uploads_are_still_served(client, files):
    response = client.get("/media/documents/leaflet.txt")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"public leaflet\n"
