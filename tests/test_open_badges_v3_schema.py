"""Open Badges 3.0 credentials against 1EdTech's published JSON schema (issue #21).

`ob_v3p0_achievementcredential_schema.json` (JSON Schema draft 2019-09) is read from
tests/data/1edtech/, where it is not committed: its README says why (1EdTech's licence) and how
to put a copy there. Without it these tests are skipped; the required-fields schema of
tests/test_open_badges_v3.py runs either way.

The credential's own `credentialSchema` ids are resolved through a `referencing` registry that
holds the local file only and refuses any other address: nothing is fetched.
"""

import base64
import copy
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from jsonschema import Draft201909Validator, FormatChecker
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT201909

from assessments.certificates import credentials
from assessments.models import AssessmentStatus, Recognition
from learning_units.models import Citizen
from tests.factories.review import make_assessment, make_unit_assessment, review_world

SCHEMA_FILE = (
    Path(__file__).parent / "data" / "1edtech" / "ob_v3p0_achievementcredential_schema.json"
)
SCHEMA_URL = credentials.SCHEMA["id"]

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not SCHEMA_FILE.exists(),
        reason="1EdTech's OB 3.0 schema is not in tests/data/1edtech/ (see its README.md)",
    ),
]

RFC3339_DATE_TIME = re.compile(
    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", re.IGNORECASE
)
FORMATS = FormatChecker()  # a copy: the "date-time" check below stays in this module


@FORMATS.checks("date-time", raises=ValueError)
def rfc3339_date_time(value):
    """The schema's `format: date-time` (RFC 3339), which jsonschema checks only with an extra
    package: the shape, then a real day and time."""
    if not isinstance(value, str):
        return True
    if not RFC3339_DATE_TIME.fullmatch(value):
        return False
    datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    return True


def refuse_retrieval(uri):
    raise NoSuchResource(ref=uri)


@pytest.fixture(scope="module")
def registry():
    """1EdTech's schema under the address credentials name and under its own `$id`."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft201909Validator.check_schema(schema)
    resource = Resource.from_contents(schema, default_specification=DRAFT201909)
    return Registry(retrieve=refuse_retrieval).with_resources(
        [(SCHEMA_URL, resource), (resource.id(), resource)]
    )


def schema_errors(document, registry):
    """Every error against each schema the credential names in `credentialSchema`."""
    errors = []
    for entry in document["credentialSchema"]:
        validator = Draft201909Validator(
            {"$ref": entry["id"]}, registry=registry, format_checker=FORMATS
        )
        errors += [
            f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(document)
        ]
    return errors


def signed_payload(recognition):
    """The JWT payload as wallets read it: the credential with iss, jti, sub and nbf."""
    payload = credentials.signed_credential(recognition).split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


@pytest.fixture
def world(db, public_site):
    return review_world()


def test_a_citizens_signed_credential_is_valid_against_1edtechs_schema(world, registry):
    assessment = make_assessment(world, status=AssessmentStatus.RECOGNISED)
    Citizen.objects.filter(pk=assessment.citizen_id).update(email="anh@example.com")
    payload = signed_payload(Recognition.objects.get(assessment=assessment))

    assert payload["credentialSchema"] == [
        {"id": SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}
    ]
    assert schema_errors(payload, registry) == []


def test_a_collective_titles_credential_is_valid_against_1edtechs_schema(world, registry):
    assessment = make_unit_assessment(world, status=AssessmentStatus.RECOGNISED, kind="clan")
    document = credentials.credential(Recognition.objects.get(assessment=assessment))

    assert schema_errors(document, registry) == []


def test_the_schema_refuses_what_ob3_forbids(world, registry):
    """Not a vacuous pass: the VC 1.1 shape, a wrong context and a bad date are refused."""
    assessment = make_assessment(world, status=AssessmentStatus.RECOGNISED)
    document = credentials.credential(Recognition.objects.get(assessment=assessment))
    vc11 = copy.deepcopy(document)
    vc11["issuanceDate"] = vc11.pop("validFrom")
    wrong_context = {**document, "@context": ["https://www.w3.org/2018/credentials/v1"]}
    bad_date = {**document, "validFrom": "06/12/2026"}
    no_achievement = copy.deepcopy(document)
    del no_achievement["credentialSubject"]["achievement"]["criteria"]

    for broken in (vc11, wrong_context, bad_date, no_achievement):
        assert schema_errors(broken, registry) != []


def test_no_other_schema_address_is_fetched(world, registry):
    assessment = make_assessment(world, status=AssessmentStatus.RECOGNISED)
    document = credentials.credential(Recognition.objects.get(assessment=assessment))
    elsewhere = {**document, "credentialSchema": [{"id": "https://example.org/s.json"}]}

    with pytest.raises(Exception, match="example.org"):
        schema_errors(elsewhere, registry)
