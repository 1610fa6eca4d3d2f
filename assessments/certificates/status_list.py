"""Revocation of Open Badges 3.0 credentials: W3C Bitstring Status List v1.0.

Spec: https://www.w3.org/TR/vc-bitstring-status-list/ — each credential names one bit of a
published list (`credentialStatus`, a BitstringStatusListEntry); a set bit means revoked. The
bit of a recognition is its `status_index` (its primary key, copied when it is issued: unique
under any concurrency), in list ``index // size`` at position ``index % size``.

The list is generated from the database on request (the revoked recognitions' indexes), signed
as a VC-JWT like the credentials (`keys.sign`) and kept in the page cache's storage under the
tag ``statuslist:<n>``, which `recognition_revoke` purges with the public pages after its
commit (`learning_units.page_cache.public_pages_changed`): a revocation shows at once.
"""

import base64
import gzip
from datetime import UTC, datetime

from django.db.models import BigIntegerField, F, Max
from django.db.models.functions import Coalesce

from learning_units.page_cache import cached_under

from ..conf import setting
from ..models import Recognition
from . import keys
from .documents import absolute_url, public_base_url

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
PURPOSE = "revocation"


def list_size():
    return setting("STATUS_LIST_SIZE")


def status_index(recognition):
    """Its index; a row written outside `recognition_issue` (imports, fixtures) uses its pk."""
    return recognition.pk if recognition.status_index is None else recognition.status_index


def status_position(recognition):
    """(list number, position in that list)."""
    return divmod(status_index(recognition), list_size())


def status_indexes_assign(recognitions):
    """Give each new recognition of the queryset its index: one UPDATE, never overwriting."""
    recognitions.filter(status_index__isnull=True).update(status_index=F("pk"))


def _tag(number):
    return f"statuslist:{number}"


def status_list_tag(recognition):
    """The page-cache tag of the list holding the recognition's bit (purged on revocation)."""
    return _tag(status_position(recognition)[0])


def status_list_url(number):
    return absolute_url("assessments:status_list", number)


def credential_status(recognition):
    """The `credentialStatus` entry of the recognition's credential."""
    number, position = status_position(recognition)
    url = status_list_url(number)
    return {
        "id": f"{url}#{position}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": PURPOSE,
        "statusListIndex": str(position),
        "statusListCredential": url,
    }


def _indexes():
    return Recognition.objects.annotate(
        index=Coalesce("status_index", "pk", output_field=BigIntegerField())
    )


def list_exists(number):
    """Lists 0 up to the one holding the highest index exist; any other number is a 404."""
    if number == 0:
        return True
    highest = _indexes().aggregate(highest=Max("index"))["highest"]
    return highest is not None and 0 <= number <= highest // list_size()


def encode_bits(positions, size):
    """The W3C encoding: bit 0 is the first byte's most significant bit; GZIP, then
    multibase base64url without padding ("u" prefix)."""
    bits = bytearray(size // 8)
    for position in positions:
        bits[position // 8] |= 0x80 >> (position % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode_bits(encoded):
    """The bitstring's bytes from an `encodedList` (for verifiers: `verify_credential`)."""
    if not encoded.startswith("u"):
        raise ValueError("encodedList is not multibase base64url")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def bit_is_set(bits, position):
    return bool(bits[position // 8] & (0x80 >> (position % 8)))


def revoked_positions(number):
    size = list_size()
    start = number * size
    return [
        index - start
        for index in _indexes()
        .filter(revoked=True, index__gte=start, index__lt=start + size)
        .values_list("index", flat=True)
    ]


def status_list_credential(number):
    """The BitstringStatusListCredential of list `number`, as of now."""
    url = status_list_url(number)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": public_base_url() + "/",
        "validFrom": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encode_bits(revoked_positions(number), list_size()),
        },
    }


def jwks_url():
    return absolute_url("assessments:jwks")


def key_url(kid):
    """The URL of one public key (the JOSE header's `kid`): it answers that JWK."""
    return absolute_url("assessments:issuer_key", kid)


def signed_status_list(number):
    """The list as a VC-JWT, from the cache while no revocation touched it."""

    def build():
        document = status_list_credential(number)
        claims = {
            **document,
            "iss": document["issuer"],
            "jti": document["id"],
            "sub": document["credentialSubject"]["id"],
            "nbf": int(datetime.fromisoformat(document["validFrom"]).timestamp()),
        }
        return keys.sign(claims, key_url=key_url)

    return cached_under([_tag(number)], f"cdht:statuslist:{number}:{list_size()}", build)
