"""Generate citizens, learning units and their assessments in bulk, for benchmarks and load
tests of the reports.

    python manage.py generate_load_data --citizens 500000 [--years 2] [--province 31] [--year Y]

Citizens are spread over the 34 provinces by their population (`PROVINCE_POPULATION`: the
merged provinces of 1 July 2025, in thousands), uniformly over each province's communes, or
over one province's communes. Every citizen has an assessment in each of the `--years` years up
to `--year`, with an answer per indicator (one of them a digital skill), in every status for
the open year (recognised-then-revoked and moved citizens included) and closed ones before it;
one citizen in 25 heads a family of four, cadres work in a learning organisation of their
commune, and both kinds of unit are assessed each year too. Running it again — for another year
or the same — adds to what is there (decision and certificate numbers continue). The report
summaries are rebuilt at the end.

Rows go in by batches — COPY on PostgreSQL, bulk_create elsewhere. Never on a production
database: the people are made up (citizen IDs starting with 8).
"""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentStatus,
    Campaign,
    CertificateSequence,
    CriteriaSet,
    Criterion,
    Indicator,
    IndicatorAnswer,
    Recognition,
    RecognitionDecision,
)
from assessments.models.assessments import with_provinces
from assessments.models.criteria import SubjectKind
from assessments.models.listing import with_listing_columns
from learning_units.models import Area, AreaLevel, Citizen, LearningUnit, TargetGroup
from learning_units.text import search_key
from reports.bulk_copy import insert, insert_values
from reports.services import summaries_rebuild

S = AssessmentStatus
# The year still open: every status. Years before: closed campaigns.
OPEN_WEIGHTS = [
    (S.DRAFT, 10),
    (S.RETURNED, 3),
    (S.SUBMITTED, 15),
    (S.VERIFIED, 12),
    (S.RECOGNISED, 55),
    (S.REJECTED, 5),
]
CLOSED_WEIGHTS = [(S.DRAFT, 12), (S.RECOGNISED, 76), (S.REJECTED, 12)]
GROUP_WEIGHTS = [(1, 45), (2, 35), (3, 20)]
BANDS = [(85, "Tốt"), (70, "Khá"), (50, "Trung bình")]
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Đỗ Văn Đức"]
ID_PREFIX = "8"
INDICATORS = 5  # of 20 points each; the second a digital skill
FAMILY_EVERY = 25
# Population of the provinces as merged on 1 July 2025, thousands (approximate, Resolution
# 202/2025/QH15's explanatory figures); a province not listed weighs as the median.
PROVINCE_POPULATION = {
    "01": 8718, "04": 573, "08": 1866, "11": 653, "12": 494, "14": 1301, "15": 1779,
    "19": 1799, "20": 813, "22": 1363, "24": 3620, "25": 4022, "31": 4665, "33": 3568,
    "37": 4412, "38": 4324, "40": 3831, "42": 1623, "44": 1870, "46": 1433, "48": 3065,
    "51": 2161, "52": 3583, "56": 2243, "66": 3346, "68": 3872, "75": 4491, "79": 14002,
    "80": 3254, "82": 4370, "86": 4257, "91": 4952, "92": 4199, "96": 2606,
}  # fmt: skip
MEDIAN_POPULATION = sorted(PROVINCE_POPULATION.values())[len(PROVINCE_POPULATION) // 2]


class Command(BaseCommand):
    help = "Bulk-generate citizens, units and their assessments for report benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--citizens", type=int, required=True)
        parser.add_argument("--province", help="Code of one province (default: all).")
        parser.add_argument("--year", type=int, default=timezone.localdate().year)
        parser.add_argument("--years", type=int, default=2, help="Years up to --year.")
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--force", action="store_true", help="Run without DEBUG (a throwaway database only)."
        )

    def handle(self, *args, citizens, province, year, years, batch, seed, force=False, **options):
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
        generate(
            communes=communes,
            citizens=citizens,
            years=range(year - max(years, 1) + 1, year + 1),
            batch=batch,
            seed=seed,
            out=self,
        )

    def progress(self, done, total):
        self.stdout.write(f"{done:,}/{total:,}")


def commune_weights(communes):
    """A weight per commune: its province's population shared evenly among its communes."""
    per_province = {}
    for commune in communes:
        per_province[commune.parent_id] = per_province.get(commune.parent_id, 0) + 1
    return [
        PROVINCE_POPULATION.get(commune.parent.code, MEDIAN_POPULATION)
        / per_province[commune.parent_id]
        for commune in communes
    ]


def load_criteria_set(subject_kind):
    """A published set of five 20-point indicators for the generated rows (made once)."""
    criteria_set, created = CriteriaSet.objects.get_or_create(
        code=f"LOAD-TEST-{subject_kind}".upper(),
        version=1,
        defaults={
            "title": "Load test",
            "legal_basis_number": "—",
            "subject_kind": subject_kind,
            "target_group": 1 if subject_kind == SubjectKind.CITIZEN else None,
            "valid_from_year": 2000,
            "pass_mark": Decimal(50),
            "status": CriteriaSet.Status.PUBLISHED,
        },
    )
    if created or not Indicator.objects.filter(criterion__criteria_set=criteria_set).exists():
        criterion = Criterion.objects.create(
            criteria_set=criteria_set, code="1", title="Load test", max_points=20 * INDICATORS
        )
        for n in range(1, INDICATORS + 1):
            Indicator.objects.create(
                criterion=criterion,
                code=f"1.{n}",
                title=f"Load test {n}",
                max_points=Decimal(20),
                is_digital_skill=n == 2,
            )
    indicators = list(Indicator.objects.filter(criterion__criteria_set=criteria_set).order_by("pk"))
    return criteria_set, indicators


def load_campaign(year, subject_kind):
    """An open campaign of `year` for a kind of subject (made once)."""
    central = Area.objects.get(level=AreaLevel.CENTRAL)
    campaign, _ = Campaign.objects.get_or_create(
        year=year,
        scope=central,
        subject_kind=subject_kind,
        title=f"Load test {year} {subject_kind}",
        defaults={
            "opens_on": datetime.date(year, 1, 1),
            "closes_on": datetime.date(year, 12, 31),
        },
    )
    return campaign


def _next_id_number():
    last = (
        Citizen.objects.filter(citizen_id__startswith=ID_PREFIX)
        .order_by("-citizen_id")
        .values_list("citizen_id", flat=True)
        .first()
    )
    return int(last[1:]) + 1 if last else 1


POINTS = [Decimal(n).quantize(Decimal("0.01")) for n in range(21)]


def _scored(rng, assessment, indicators):
    """Give `assessment` its points (per indicator, then the totals); return its answers as
    (indicator id, points claimed, points verified), keyed to the assessment once inserted."""
    reviewed = assessment.status in (S.VERIFIED, S.RECOGNISED)
    points = [POINTS[max(0, min(20, round(rng.gauss(15, 4))))] for _ in indicators]
    total = sum(points, Decimal(0))
    assessment.self_total = total
    assessment.verified_total = total if reviewed else None
    assessment.band = next((label for minimum, label in BANDS if total >= minimum), "")
    assessment.passed = total >= 50
    return [
        (indicator.pk, value, value if reviewed else None)
        for indicator, value in zip(indicators, points, strict=True)
    ]


class Plan:
    """What is generated: the years, their campaigns and sets, and the random choices."""

    def __init__(self, *, communes, years, seed):
        self.rng = random.Random(seed)
        self.communes = communes
        self.weights = commune_weights(communes)
        self.years = list(years)
        self.last_year = self.years[-1]
        self.sets = {
            kind: load_criteria_set(kind)
            for kind in (SubjectKind.CITIZEN, SubjectKind.FAMILY, SubjectKind.ORGANISATION)
        }
        self.campaigns = {
            (year, kind): load_campaign(year, kind) for year in self.years for kind in self.sets
        }
        self.open = [s for s, w in OPEN_WEIGHTS for _ in range(w)]
        self.closed = [s for s, w in CLOSED_WEIGHTS for _ in range(w)]
        self.groups = [g for g, w in GROUP_WEIGHTS for _ in range(w)]
        self.offices = {}  # commune id → its learning organisation
        self.by_id = {commune.pk: commune for commune in communes}
        self.provinces = {commune.pk: commune.parent for commune in communes}

    def commune(self):
        return self.rng.choices(self.communes, self.weights)[0]

    def status(self, year):
        return self.rng.choice(self.open if year == self.last_year else self.closed)

    def assessment(self, *, year, kind, area, citizen=None, unit=None, now):
        """An unsaved assessment of `citizen` or `unit` in the commune `area` (an id), and its
        answers (see `_scored`)."""
        criteria_set, indicators = self.sets[kind]
        status = self.status(year)
        # Keys, not instances: an instance assigned to a relation is checked by the routers,
        # a cost per row that millions of rows feel.
        assessment = Assessment(
            campaign_id=self.campaigns[(year, kind)].pk,
            criteria_set_id=criteria_set.pk,
            citizen_id=citizen.pk if citizen else None,
            learning_unit_id=unit.pk if unit else None,
            area_id=area,
            year=year,
            target_group=citizen.target_group if citizen else None,
            status=status,
            submitted_at=now if status not in (S.DRAFT, S.RETURNED) else None,
        )
        return assessment, _scored(self.rng, assessment, indicators)


def _offices(plan, commune_ids):
    """The learning organisation of each commune (made when first needed)."""
    missing = [plan.by_id[pk] for pk in dict.fromkeys(commune_ids) if pk not in plan.offices]
    made = insert(
        LearningUnit,
        [
            LearningUnit(
                kind=LearningUnit.Kind.ORGANISATION,
                name=f"Cơ quan thử tải {commune.code}",
                search_name=search_key(f"Cơ quan thử tải {commune.code}"),
                area_id=commune.pk,
            )
            for commune in missing
        ],
    )
    plan.offices.update({unit.area_id: unit for unit in made})
    return made


def generate(*, communes, citizens, years, batch, seed, out=None):
    """Insert `citizens` citizens, their units and an assessment of each per year; rebuild the
    report summaries. Returns the number of citizens inserted."""
    plan = Plan(communes=communes, years=years, seed=seed)
    number = _next_id_number()
    now = timezone.now()
    done = 0
    while done < citizens:
        size = min(batch, citizens - done)
        with transaction.atomic():
            number = _batch(plan, size=size, number=number, now=now)
        done += size
        if out is not None:
            out.progress(done, citizens)
    summaries_rebuild()
    return done


def _batch(plan, *, size, number, now):
    rng = plan.rng
    people, where = [], []
    for n in range(size):
        assessed_in = plan.commune()
        # 1 in 100 has moved commune since: counted where they were assessed.
        lives_in = plan.commune() if rng.random() < 0.01 else assessed_in
        name = f"{NAMES[n % len(NAMES)]} {number}"
        people.append(
            Citizen(
                citizen_id=f"{ID_PREFIX}{number:011d}",
                full_name=name,
                search_name=search_key(name),
                gender="female" if n % 2 else "male",
                birth_year=1950 + n % 50,
                area_id=lives_in.pk,
                target_group=rng.choice(plan.groups),
            )
        )
        where.append(assessed_in.pk)
        number += 1
    new_offices = _offices(
        plan, [p.area_id for p in people if p.target_group == TargetGroup.CADRES]
    )
    for person in people:
        if person.target_group == TargetGroup.CADRES:
            person.workplace_id = plan.offices[person.area_id].pk
    people = insert(Citizen, people)
    families = insert(
        LearningUnit,
        [
            LearningUnit(
                kind=LearningUnit.Kind.FAMILY,
                name=f"Gia đình {head.full_name}",
                search_name=search_key(f"Gia đình {head.full_name}"),
                area_id=head.area_id,
            )
            for head in people[::FAMILY_EVERY]
        ],
    )
    members = LearningUnit.members.through
    insert(
        members,
        [
            members(learningunit_id=family.pk, citizen_id=person.pk)
            for index, family in enumerate(families)
            for person in people[index * FAMILY_EVERY : index * FAMILY_EVERY + 4]
        ],
    )
    assessments, answers = [], []
    for year in plan.years:
        subjects = [
            (SubjectKind.CITIZEN, area, c, None) for c, area in zip(people, where, strict=True)
        ]
        subjects += [(SubjectKind.FAMILY, f.area_id, None, f) for f in families]
        subjects += [(SubjectKind.ORGANISATION, o.area_id, None, o) for o in new_offices]
        for kind, area, citizen, unit in subjects:
            assessment, its_answers = plan.assessment(
                year=year, kind=kind, area=area, citizen=citizen, unit=unit, now=now
            )
            assessments.append(assessment)
            answers.append(its_answers)
    assessments = insert(Assessment, with_provinces(assessments))
    insert_values(
        IndicatorAnswer,
        ("assessment_id", "indicator_id", "self_points", "verified_points"),
        (
            (assessment.pk, *answer)
            for assessment, its_answers in zip(assessments, answers, strict=True)
            for answer in its_answers
        ),
    )
    for year in plan.years:
        recognised = [a for a in assessments if a.year == year and a.status == S.RECOGNISED]
        _recognise(recognised, rng=rng, year=year, provinces=plan.provinces)
    return number


def _recognise(assessments, *, rng, year, provinces):
    """One decision per batch, province and year; 2 in 100 recognitions revoked afterwards.
    Decision numbers carry the year and continue the province's certificate sequence, so a
    second run or another year never repeats one."""
    by_province = {}
    for assessment in assessments:
        by_province.setdefault(provinces[assessment.area_id], []).append(assessment)
    recognitions = []
    for province, rows in by_province.items():
        sequence, _ = CertificateSequence.objects.select_for_update().get_or_create(
            issuing_area=province, year=year
        )
        decision = RecognitionDecision.objects.create(
            number=f"LOAD-{year}-{sequence.last_number + 1}",
            decided_on=datetime.date(year, 12, 1),
            signer="Load test",
            issuing_area=province,
        )
        for assessment in rows:
            sequence.last_number += 1
            revoked = rng.random() < 0.02
            recognitions.append(
                Recognition(
                    assessment_id=assessment.pk,
                    decision_id=decision.pk,
                    year=year,
                    issuing_area_id=province.pk,
                    sequence=sequence.last_number,
                    certificate_number=f"L{province.code}/{year}/{sequence.last_number:07d}",
                    revoked=revoked,
                    revoked_reason="Load test" if revoked else "",
                )
            )
        sequence.save(update_fields=["last_number"])
    insert(Recognition, with_listing_columns(recognitions))
