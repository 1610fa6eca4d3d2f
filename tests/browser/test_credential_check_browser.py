"""The offline credential check (issue #21) in Chromium: WebCrypto verifies the ES256
signature and DecompressionStream opens the status list, with the site's published files or
with files chosen by the visitor. Tokens signed before the key URLs (kid
`…/jwks.json#<thumbprint>`) still check."""

import pytest
from django.db import transaction

from assessments.certificates import credentials
from assessments.models import AssessmentStatus, Recognition
from assessments.services.recognition import recognition_revoke
from tests.factories.review import make_assessment, review_world
from tests.test_open_badges_v3 import earlier_kid_token

pytestmark = pytest.mark.django_db(transaction=True)


def result_status(page, token):
    page.fill("#credential-text", token)
    page.click("#offline-check button[type=submit]")
    page.wait_for_selector("#offline-result[data-status]:not([hidden])")
    status = page.get_attribute("#offline-result", "data-status")
    page.locator("#offline-result").evaluate("element => element.removeAttribute('data-status')")
    return status


def test_the_offline_page_tells_valid_revoked_and_forged_credentials(
    live_server, phone_page, settings, client
):
    settings.CDHT_PUBLIC_BASE_URL = live_server.url
    world = review_world()
    assessment = make_assessment(world, status=AssessmentStatus.RECOGNISED)
    recognition = Recognition.objects.get(assessment=assessment)
    token = credentials.signed_credential(recognition)
    jwks = client.get("/.well-known/jwks.json").content
    page = phone_page
    page.goto(f"{live_server.url}/verify/offline/")

    assert result_status(page, token) == "valid"
    assert "Hợp lệ" in page.inner_text("#offline-result")
    assert result_status(page, earlier_kid_token(recognition)) == "valid"

    with transaction.atomic():
        recognition_revoke(recognition=recognition, officer=world.officers["commune"], reason="x")
    assert result_status(page, token) == "revoked"

    header, payload, signature = token.split(".")
    assert result_status(page, f"{header}.{payload}.{signature[::-1]}") == "invalid-signature"

    # Without the site: the key list and the status list chosen as files.
    status_list = client.get(
        credentials.credential(recognition)["credentialStatus"][
            "statusListCredential"
        ].removeprefix(live_server.url)
    ).content
    page.set_input_files(
        "#jwks-file", {"name": "jwks.json", "mimeType": "application/json", "buffer": jwks}
    )
    page.set_input_files(
        "#status-file", {"name": "0.jwt", "mimeType": "text/plain", "buffer": status_list}
    )
    page.context.set_offline(True)
    assert result_status(page, token) == "revoked"
    page.context.set_offline(False)
