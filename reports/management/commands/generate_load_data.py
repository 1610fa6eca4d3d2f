"""Generate citizens and assessments in bulk, for benchmarks and load tests of the reports.

    python manage.py generate_load_data --citizens 1000000 [--province 31] [--year 2026]

Rows go in by batches — COPY on PostgreSQL, bulk_create elsewhere (a million in a few minutes on
PostgreSQL) — spread over
the communes of one province (or of every province), the three target groups, every status
(recognised-then-revoked and moved citizens included) and the rating bands. Never on a
production database: the citizens are made up (citizen IDs starting with 8).
"""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentStatus,
    Campaign,
    CertificateSequence,
    CriteriaSet,
    Recognition,
    RecognitionDecision,
)
from assessments.models.criteria import SubjectKind
from learning_units.models import Area, AreaLevel, Citizen
from learning_units.text import search_key

S = AssessmentStatus
STATUS_WEIGHTS = [
    (S.DRAFT, 10),
    (S.RETURNED, 3),
    (S.SUBMITTED, 15),
    (S.VERIFIED, 12),
    (S.RECOGNISED, 55),
    (S.REJECTED, 5),
]
GROUP_WEIGHTS = [(1, 45), (2, 35), (3, 20)]
BANDS = [(85, "Tốt"), (70, "Khá"), (50, "Trung bình")]
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Đỗ Văn Đức"]
ID_PREFIX = "8"


class Command(BaseCommand):
    help = "Bulk-generate citizens and their assessments for report benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--citizens", type=int, required=True)
        parser.add_argument("--province", help="Code of one province (default: all).")
        parser.add_argument("--year", type=int, default=timezone.localdate().year)
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--force", action="store_true", help="Run without DEBUG (a throwaway database only)."
        )

    def handle(self, *args, citizens, province, year, batch, seed, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "generate_load_data fills the database with made-up people; run it only with "
                "DEBUG on (or pass --force on a throwaway database)."
            )
        communes = Area.objects.filter(level=AreaLevel.COMMUNE)
        if province:
            communes = communes.filter(parent__code=province)
        communes = list(communes.select_related("parent"))
        if not communes:
            raise CommandError("No communes: run load_areas first (or check --province).")
        generate(communes=communes, citizens=citizens, year=year, batch=batch, seed=seed, out=self)

    def progress(self, done, total):
        self.stdout.write(f"{done:,}/{total:,}")


def load_campaign(year):
    """A published criteria set and an open campaign for the generated rows (made once)."""
    criteria_set, _ = CriteriaSet.objects.get_or_create(
        code="LOAD-TEST",
        version=1,
        defaults={
            "title": "Load test",
            "legal_basis_number": "—",
            "subject_kind": SubjectKind.CITIZEN,
            "target_group": 1,
            "valid_from_year": 2000,
            "pass_mark": Decimal(50),
            "status": CriteriaSet.Status.PUBLISHED,
        },
    )
    central = Area.objects.get(level=AreaLevel.CENTRAL)
    campaign, _ = Campaign.objects.get_or_create(
        year=year,
        scope=central,
        subject_kind=SubjectKind.CITIZEN,
        title=f"Load test {year}",
        defaults={
            "opens_on": datetime.date(year, 1, 1),
            "closes_on": datetime.date(year, 12, 31),
        },
    )
    return criteria_set, campaign


def _next_id_number():
    last = (
        Citizen.objects.filter(citizen_id__startswith=ID_PREFIX)
        .order_by("-citizen_id")
        .values_list("citizen_id", flat=True)
        .first()
    )
    return int(last[1:]) + 1 if last else 1


def _score_fields(rng, status):
    total = Decimal(max(0, min(100, round(rng.gauss(74, 13))))).quantize(Decimal("0.01"))
    band = next((label for minimum, label in BANDS if total >= minimum), "")
    reviewed = status in (S.VERIFIED, S.RECOGNISED)
    return {
        "self_total": total,
        "verified_total": total if reviewed else None,
        "band": band,
        "passed": total >= 50,
    }


def generate(*, communes, citizens, year, batch, seed, out=None):
    """Insert `citizens` citizens with one assessment each; returns the number inserted."""
    rng = random.Random(seed)
    criteria_set, campaign = load_campaign(year)
    statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
    groups = [g for g, w in GROUP_WEIGHTS for _ in range(w)]
    number = _next_id_number()
    now = timezone.now()
    done = 0
    while done < citizens:
        size = min(batch, citizens - done)
        with transaction.atomic():
            people, where = [], []
            for n in range(size):
                assessed_in = rng.choice(communes)
                # 1 in 100 has moved commune since: counted where they were assessed.
                lives_in = rng.choice(communes) if rng.random() < 0.01 else assessed_in
                name = f"{NAMES[n % len(NAMES)]} {number}"
                people.append(
                    Citizen(
                        citizen_id=f"{ID_PREFIX}{number:011d}",
                        full_name=name,
                        search_name=search_key(name),
                        gender="female" if n % 2 else "male",
                        birth_year=1950 + n % 50,
                        area=lives_in,
                        target_group=rng.choice(groups),
                    )
                )
                where.append(assessed_in)
                number += 1
            people = insert(Citizen, people)
            assessments = []
            for citizen, area in zip(people, where, strict=True):
                status = rng.choice(statuses)
                assessments.append(
                    Assessment(
                        campaign=campaign,
                        criteria_set=criteria_set,
                        citizen=citizen,
                        area=area,
                        year=year,
                        target_group=citizen.target_group,
                        status=status,
                        submitted_at=now if status not in (S.DRAFT, S.RETURNED) else None,
                        **_score_fields(rng, status),
                    )
                )
            assessments = insert(Assessment, assessments)
            _recognise([a for a in assessments if a.status == S.RECOGNISED], rng=rng, year=year)
        done += size
        if out is not None:
            out.progress(done, citizens)
    return done


def _recognise(assessments, *, rng, year):
    """One decision per batch and province; 2 in 100 recognitions revoked afterwards."""
    by_province = {}
    for assessment in assessments:
        by_province.setdefault(assessment.area.parent, []).append(assessment)
    recognitions = []
    for province, rows in by_province.items():
        sequence, _ = CertificateSequence.objects.select_for_update().get_or_create(
            issuing_area=province, year=year
        )
        decision = RecognitionDecision.objects.create(
            number=f"LOAD-{sequence.last_number + 1}",
            decided_on=datetime.date(year, 12, 1),
            signer="Load test",
            issuing_area=province,
        )
        for assessment in rows:
            sequence.last_number += 1
            revoked = rng.random() < 0.02
            recognitions.append(
                Recognition(
                    assessment=assessment,
                    decision=decision,
                    year=year,
                    issuing_area=province,
                    sequence=sequence.last_number,
                    certificate_number=f"L{province.code}/{year}/{sequence.last_number:07d}",
                    revoked=revoked,
                    revoked_reason="Load test" if revoked else "",
                )
            )
        sequence.save(update_fields=["last_number"])
    insert(Recognition, recognitions)


def insert(model, objects):
    """Insert `objects` and give them their primary keys: COPY on PostgreSQL (no per-value
    compilation, several times faster than bulk_create), bulk_create elsewhere.

    Columns come from the model's concrete fields, so a field added later is copied too;
    auto_now(_add) fields, which Django fills only on save, get the current time.
    """
    if connection.vendor != "postgresql" or not objects:
        return model.objects.bulk_create(objects, batch_size=5000)
    table = model._meta.db_table
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, len(objects)],
        )
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in [model._meta.pk, *fields])
        auto_now = {
            f.attname
            for f in fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        }
        with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row(
                    [obj.pk]
                    + [now if f.attname in auto_now else getattr(obj, f.attname) for f in fields]
                )
    return objects
