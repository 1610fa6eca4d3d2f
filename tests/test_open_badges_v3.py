"""Open Badges 3.0 (issue #21): signed OpenBadgeCredentials, the JWKS, the Bitstring Status
List, key rotation and the offline check.

Signatures are verified here with `cryptography` directly (decoding the compact JWS by hand),
not with jwcrypto, which signs them: an independent implementation. The credential's shape is
checked here against the required fields of the OB 3.0 data model, and against 1EdTech's own
JSON schema in tests/test_open_badges_v3_schema.py when a copy is at hand (not committed:
tests/data/1edtech/README.md says why).
"""

import base64
import gzip
import io
import json
import stat
from datetime import UTC, datetime

import jsonschema
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from jwcrypto import jws

from assessments.certificates import checks, credentials, keys, offline, status_list
from assessments.models import AssessmentStatus, Recognition
from assessments.services.recognition import recognition_issue, recognition_revoke
from learning_units.models import Citizen
from tests.conftest import PUBLIC_HOST
from tests.factories import UserFactory
from tests.factories.review import make_assessment, make_unit_assessment, review_world

pytestmark = pytest.mark.django_db
SCHEMA_PATH = __import__("pathlib").Path(__file__).parent / "data" / "ob_v3p0_required.json"


PUBLIC = f"https://{PUBLIC_HOST}"


@pytest.fixture
def world(db, public_site):
    """Recognitions on the public Site: credentials name its address, never the admin's."""
    return review_world()


def recognised(world, **values):
    assessment = make_assessment(world, status=AssessmentStatus.RECOGNISED, **values)
    return Recognition.objects.get(assessment=assessment)


def b64decode(segment):
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def thumbprint(kid):
    """The thumbprint in a `kid`: the key URL's file name, or after "#" (older tokens)."""
    return kid.rsplit("#", 1)[1] if "#" in kid else kid.rsplit("/", 1)[1].removesuffix(".json")


def independent_verify(token, jwks_document):
    """ES256 by hand: the JWK's point, the raw r||s signature, SHA-256 over header.payload."""
    header = json.loads(b64decode(token.split(".")[0]))
    (jwk,) = [key for key in jwks_document["keys"] if key["kid"] == thumbprint(header["kid"])]
    return verify_with_jwk(token, jwk)


def verify_with_jwk(token, jwk):
    header_segment, payload_segment, signature_segment = token.split(".")
    header = json.loads(b64decode(header_segment))
    assert header["alg"] == "ES256"
    assert "d" not in jwk and jwk["kty"] == "EC" and jwk["crv"] == "P-256"
    point = ec.EllipticCurvePublicNumbers(
        int.from_bytes(b64decode(jwk["x"]), "big"),
        int.from_bytes(b64decode(jwk["y"]), "big"),
        ec.SECP256R1(),
    ).public_key()
    raw = b64decode(signature_segment)
    signature = encode_dss_signature(
        int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    )
    point.verify(
        signature, f"{header_segment}.{payload_segment}".encode(), ec.ECDSA(hashes.SHA256())
    )
    return header, json.loads(b64decode(payload_segment))


def published_jwks(client):
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    return json.loads(response.content)


def bit(token, jwks_document, position):
    _, payload = independent_verify(token, jwks_document)
    encoded = payload["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")
    bits = gzip.decompress(b64decode(encoded[1:]))
    assert len(bits) * 8 >= 131_072
    return bool(bits[position // 8] & (0x80 >> (position % 8)))


def test_the_credential_has_the_ob3_shape_and_no_clear_email(world):
    recognition = recognised(world)
    Citizen.objects.filter(pk=recognition.assessment.citizen_id).update(email="Anh@Example.com")
    recognition.refresh_from_db()

    document = credentials.credential(recognition)

    jsonschema.validate(document, json.loads(SCHEMA_PATH.read_text()))
    assert document["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    identity = document["credentialSubject"]["identifier"][0]
    assert identity["identityType"] == "emailAddress" and identity["hashed"] is True
    assert identity["identityHash"].startswith("sha256$")
    assert "anh@example.com" not in json.dumps(document).lower()
    assert document["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert document["issuer"]["url"].startswith(f"{PUBLIC}/")


def test_a_collective_title_is_a_credential_too(world):
    assessment = make_unit_assessment(world, status=AssessmentStatus.RECOGNISED, kind="clan")
    document = credentials.credential(Recognition.objects.get(assessment=assessment))

    jsonschema.validate(document, json.loads(SCHEMA_PATH.read_text()))
    assert document["credentialSubject"]["achievement"]["id"].endswith("/clan.json")
    assert document["credentialSubject"]["identifier"][0]["identityType"] == "identifier"


def test_the_downloaded_jwt_verifies_independently_with_the_published_key(client, world):
    recognition = recognised(world)

    response = client.get(
        reverse("assessments:credential", args=[recognition.verification_code, "jwt"])
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    header, payload = independent_verify(response.content.decode(), published_jwks(client))
    assert header["typ"] == "JWT" and set(header) == {"alg", "kid", "typ"}
    assert header["kid"] == f"{PUBLIC}/badges/keys/{keys.active_key().kid}.json"
    assert payload["iss"] == payload["issuer"]["id"]
    assert payload["jti"] == payload["id"]
    assert payload["sub"] == payload["credentialSubject"]["id"]
    valid_from = datetime.fromisoformat(payload["validFrom"])
    assert payload["nbf"] == int(valid_from.timestamp())
    assert payload["nbf"] <= datetime.now(UTC).timestamp()


def test_a_tampered_jwt_fails_the_independent_check(client, world):
    token = credentials.signed_credential(recognised(world))
    header, payload, signature = token.split(".")
    forged = json.loads(b64decode(payload))
    forged["name"] = "Tiến sĩ"
    forged_segment = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")

    with pytest.raises(InvalidSignature):
        independent_verify(f"{header}.{forged_segment}.{signature}", published_jwks(client))


@pytest.mark.parametrize("page_cache", [True, False], ids=["cached", "uncached"])
def test_revocation_sets_the_bit_and_the_page_and_list_agree(
    client, world, django_capture_on_commit_callbacks, settings, page_cache
):
    settings.CDHT_PAGE_CACHE = page_cache  # kept lists are purged; without the cache, built anew
    recognition = recognised(world)
    entry = credentials.credential(recognition)["credentialStatus"]
    list_path = entry["statusListCredential"].removeprefix(PUBLIC)
    position = int(entry["statusListIndex"])
    jwks_document = published_jwks(client)
    page_url = reverse("assessments:verify", args=[recognition.verification_code])
    before = client.get(list_path)
    assert before.status_code == 200
    assert not bit(before.content.decode(), jwks_document, position)
    again = client.get(list_path).content  # ECDSA signs afresh each time: equal only if kept
    assert (again == before.content) is page_cache
    assert "verify-card--valid" in client.get(page_url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        recognition_revoke(recognition=recognition, officer=world.officers["commune"], reason="x")

    after = client.get(list_path)  # the cached list was purged with the revocation
    assert bit(after.content.decode(), jwks_document, position)
    assert "verify-card--revoked" in client.get(page_url).content.decode()
    other = recognised(world)
    other_position = int(credentials.credential(other)["credentialStatus"]["statusListIndex"])
    assert not bit(after.content.decode(), jwks_document, other_position)


def test_rotation_keeps_old_credentials_verifiable(client, world, settings, tmp_path):
    settings.CDHT_ISSUER_KEY_DIR = str(tmp_path / "keys")
    first = keys.generate_key()
    recognition = recognised(world)
    old_token = credentials.signed_credential(recognition)

    second = keys.rotate_key()
    new_token = credentials.signed_credential(recognition)

    jwks_document = published_jwks(client)
    assert {key["kid"] for key in jwks_document["keys"]} == {first.kid, second.kid}
    assert thumbprint(independent_verify(old_token, jwks_document)[0]["kid"]) == first.kid
    assert thumbprint(independent_verify(new_token, jwks_document)[0]["kid"]) == second.kid
    status = credentials.credential(recognition)["credentialStatus"]["statusListCredential"]
    listed = client.get(status.removeprefix(PUBLIC)).content.decode()  # signed with the new key
    assert "Hợp lệ" in run_verify(tmp_path, old_token, jwks_document, [listed])
    assert '"d"' not in first.path.read_text()  # the retired key keeps its public half only
    assert stat.S_IMODE(second.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(second.path.parent.stat().st_mode) == 0o700


def test_each_kid_dereferences_to_its_public_jwk_also_after_rotation(
    client, world, settings, tmp_path
):
    """OB 3.0 "Dereferencing the Public Key": the kid URL answers the JWK itself (1EdTech's
    validator fetches it and reads `kty`, `x`, `y`), for a retired key too."""
    settings.CDHT_ISSUER_KEY_DIR = str(tmp_path / "keys")
    keys.generate_key()
    recognition = recognised(world)
    old_token = credentials.signed_credential(recognition)
    keys.rotate_key()
    new_token = credentials.signed_credential(recognition)

    for token in (old_token, new_token):
        kid = json.loads(b64decode(token.split(".")[0]))["kid"]
        response = client.get(kid.removeprefix(PUBLIC))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/jwk+json"
        assert response["Access-Control-Allow-Origin"] == "*"
        verify_with_jwk(token, json.loads(response.content))
    assert thumbprint(kid) == keys.active_key().kid
    for unknown in ["A" * 43, "..", "x\x00"]:
        assert client.get(f"/badges/keys/{unknown}.json").status_code == 404


def earlier_kid_token(recognition):
    """The credential as signed before the key URLs: its kid `…/jwks.json#<thumbprint>`."""
    claims = credentials.jwt_claims(credentials.credential(recognition))
    stored = keys.active_key()
    earlier = jws.JWS(json.dumps(claims).encode())
    header = {"alg": "ES256", "kid": f"{status_list.jwks_url()}#{stored.kid}", "typ": "JWT"}
    earlier.add_signature(stored.key, alg="ES256", protected=json.dumps(header))
    return earlier.serialize(compact=True)


def test_tokens_with_the_earlier_jwks_fragment_kid_still_verify_offline(client, world, tmp_path):
    recognition = recognised(world)
    token = earlier_kid_token(recognition)
    assert "/.well-known/jwks.json#" in json.loads(b64decode(token.split(".")[0]))["kid"]
    jwks_document = published_jwks(client)
    status = credentials.credential(recognition)["credentialStatus"]["statusListCredential"]
    list_path = status.removeprefix(PUBLIC)

    independent_verify(token, jwks_document)
    valid = run_verify(tmp_path, token, jwks_document, [client.get(list_path).content.decode()])
    assert "Hợp lệ" in valid


def test_the_key_command_generates_once_then_rotates_and_lists(settings, tmp_path):
    settings.CDHT_ISSUER_KEY_DIR = str(tmp_path / "keys")
    out = io.StringIO()
    call_command("issuer_keys", "generate", stdout=out)
    call_command("issuer_keys", "rotate", stdout=out)
    call_command("issuer_keys", "list", stdout=out)
    assert out.getvalue().count("active") == 3 and "retired" in out.getvalue()
    with pytest.raises(Exception, match="use `issuer_keys rotate`"):
        call_command("issuer_keys", "generate", stdout=io.StringIO())


def test_production_check_warns_without_a_key(settings, tmp_path):
    settings.CDHT_ISSUER_KEY_DIR = str(tmp_path / "none")
    assert [warning.id for warning in checks.issuer_key_check()] == ["assessments.W001"]
    keys.generate_key()
    assert checks.issuer_key_check() == []


def run_verify(tmp_path, token, jwks_document, lists=()):
    (tmp_path / "c.jwt").write_text(token)
    (tmp_path / "jwks.json").write_text(json.dumps(jwks_document))
    arguments = [str(tmp_path / "c.jwt"), "--jwks", str(tmp_path / "jwks.json")]
    for number, listed in enumerate(lists):
        (tmp_path / f"{number}.jwt").write_text(listed)
        arguments += ["--status-list", str(tmp_path / f"{number}.jwt")]
    out = io.StringIO()
    try:
        call_command("verify_credential", *arguments, stdout=out)
    except SystemExit as exit_:
        assert exit_.code == 1
    return out.getvalue()


def test_the_offline_command_tells_valid_revoked_forged_and_unknown_key(
    client, world, tmp_path, django_capture_on_commit_callbacks
):
    recognition = recognised(world)
    token = credentials.signed_credential(recognition)
    list_url = credentials.credential(recognition)["credentialStatus"]["statusListCredential"]
    list_path = list_url.removeprefix(PUBLIC)
    jwks_document = published_jwks(client)

    valid = run_verify(tmp_path, token, jwks_document, [client.get(list_path).content.decode()])
    assert "Hợp lệ" in valid and "Valid" in valid

    with django_capture_on_commit_callbacks(execute=True):
        recognition_revoke(recognition=recognition, officer=world.officers["commune"], reason="x")
    revoked = run_verify(tmp_path, token, jwks_document, [client.get(list_path).content.decode()])
    assert "Đã thu hồi" in revoked and "Revoked" in revoked

    header, payload, signature = token.split(".")
    forged = run_verify(tmp_path, f"{header}.{payload}.{signature[::-1]}", jwks_document)
    assert "Chữ ký không hợp lệ" in forged and "Invalid signature" in forged

    unknown = run_verify(tmp_path, token, {"keys": []})
    assert "Khóa không rõ" in unknown and "Unknown key" in unknown
    assert offline.check("not a jwt", jwks_document).status == offline.MALFORMED


def test_public_downloads_by_code_and_hostile_codes(client, world):
    recognition = recognised(world)
    code = recognition.verification_code

    json_view = client.get(reverse("assessments:credential", args=[code, "json"]))
    assert json_view.status_code == 200
    assert json.loads(json_view.content)["id"].endswith(f"/{code}.json")
    for bad in ["B" * 16, "x\x00y", "9" * 400]:
        assert client.get(reverse("assessments:credential", args=[bad, "jwt"])).status_code == 404
    assert client.get(reverse("assessments:credential", args=[code, "exe"])).status_code == 404

    Recognition.objects.filter(pk=recognition.pk).update(revoked=True)
    assert client.get(reverse("assessments:credential", args=[code, "jwt"])).status_code == 410


def test_the_citizen_downloads_only_their_own_credential(client, world):
    mine = recognised(world)
    owner = UserFactory()
    Citizen.objects.filter(pk=mine.assessment.citizen_id).update(user=owner)
    url = reverse("assessments:my_credential", args=[mine.pk, "jwt"])

    assert client.get(url).status_code == 302  # anonymous: to the log-in page
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200 and response.content.count(b".") == 2
    client.force_login(world.officers["citizen"])
    assert client.get(url).status_code == 404
    assert client.get(f"/assessments/credential/{2**70}.jwt").status_code == 404


def test_status_lists_and_keys_are_public_and_cacheable(client, world):
    recognised(world)
    jwks = client.get("/.well-known/jwks.json")
    assert "public" in jwks["Cache-Control"] and jwks["Access-Control-Allow-Origin"] == "*"
    listed = client.get(reverse("assessments:status_list", args=[0]))
    assert listed.status_code == 200 and "public" in listed["Cache-Control"]
    for number in [1, 2**63, 10**30]:
        assert client.get(f"/badges/status/{number}.jwt").status_code == 404


@pytest.mark.server_error_expected
def test_without_a_key_downloads_answer_503_not_500(client, world, settings, tmp_path):
    settings.CDHT_ISSUER_KEY_DIR = str(tmp_path / "none")
    recognition = recognised(world)
    url = reverse("assessments:credential", args=[recognition.verification_code, "jwt"])
    assert client.get(url).status_code == 503
    assert client.get(reverse("assessments:status_list", args=[0])).status_code == 503
    assert published_jwks(client) == {"keys": []}


def test_status_list_positions_follow_the_index(world, settings):
    settings.CDHT_STATUS_LIST_SIZE = 131_072
    recognition = recognised(world)
    Recognition.objects.filter(pk=recognition.pk).update(status_index=131_072 + 5)
    recognition.refresh_from_db()
    assert status_list.status_position(recognition) == (1, 5)
    assert status_list.list_exists(1) and not status_list.list_exists(2)


def test_recognising_gives_each_recognition_its_own_status_index(world):
    verified = [make_assessment(world, status=AssessmentStatus.VERIFIED) for _ in range(3)]

    recognition_issue(
        assessments=verified,
        officer=world.officers["commune"],
        number="21/QĐ-KH",
        decided_on=timezone.localdate(),
        signer="Nguyễn Văn Chủ Tịch",
        issuing_area=world.commune,
    )

    rows = Recognition.objects.filter(assessment__in=verified)
    assert sorted(rows.values_list("status_index", flat=True)) == sorted(
        rows.values_list("pk", flat=True)
    )


def test_the_citizens_page_and_the_verification_page_link_the_credential(client, world):
    mine = recognised(world)
    owner = UserFactory()
    Citizen.objects.filter(pk=mine.assessment.citizen_id).update(user=owner)
    verify_page = client.get(reverse("assessments:verify", args=[mine.verification_code]))
    assert reverse("assessments:credential", args=[mine.verification_code, "jwt"]) in (
        verify_page.content.decode()
    )

    client.force_login(owner)
    page = client.get(reverse("assessments:overview", args=[mine.assessment_id])).content.decode()

    assert reverse("assessments:my_credential", args=[mine.pk, "jwt"]) in page
