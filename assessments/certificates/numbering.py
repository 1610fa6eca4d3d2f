"""Certificate numbers: ``<issuing area code>/<year>/<sequence>``, gapless per area and year.

The public verification code printed (as a QR) beside the number is `codes.new_verification_code`,
kept apart because the Recognition model uses it as its default and models import no services.
"""

from ..models import CertificateSequence


def certificate_number(area, year, sequence):
    return f"{area.code}/{year}/{sequence:05d}"


def next_certificate_numbers(*, issuing_area, year, count):
    """`count` consecutive sequence numbers for an area and year, under a row lock.

    The row is created once (ON CONFLICT DO NOTHING) and then locked, so two officers
    recognising at the same time queue on it: no gaps (the numbers are taken in the same
    transaction as the recognitions) and no duplicates (the unique constraint backs it up).
    """
    CertificateSequence.objects.bulk_create(
        [CertificateSequence(issuing_area=issuing_area, year=year)], ignore_conflicts=True
    )
    sequence = CertificateSequence.objects.select_for_update().get(
        issuing_area=issuing_area, year=year
    )
    first = sequence.last_number + 1
    sequence.last_number += count
    sequence.save(update_fields=["last_number"])
    return range(first, first + count)
