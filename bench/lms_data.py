"""What the LMS benches (bench_xapi, bench_lms_import) share: the areas, an officer of the
commune, citizens made in bulk as learners, and clearing what a run wrote.

Sizes come from the environment so that a quick run is one line:
`BENCH_LMS_ROWS=5000 BENCH_LMS_REPEAT=3 python bench/run.py xapi`.
"""

import os

from django.contrib.auth import get_user_model
from django.db import connection

from bench.bench_import import make_areas
from learning_units.models import Citizen, CourseCompletion, OfficerRole
from learning_units.text import search_key

ROWS = int(os.environ.get("BENCH_LMS_ROWS", 100_000))
# Rounds of subject and baseline, alternated; the medians are compared and the spread printed.
REPEAT = int(os.environ.get("BENCH_LMS_REPEAT", 5))


def commune_officer(username):
    """The bench's areas and an officer of its commune: (officer, commune, hamlets)."""
    commune, hamlets = make_areas()
    officer, _ = get_user_model().objects.get_or_create(username=username)
    OfficerRole.objects.get_or_create(user=officer, area=commune, role="commune")
    return officer, commune, hamlets


def make_learners(hamlets, *, count, province, first, name, emails=False):
    """`count` citizens spread over the hamlets, with valid citizen IDs of `province` (three
    digits) numbered from `first` (one range per bench, so that they never collide) and, with
    `emails`, an address each (learnerN@example.vn); returns their (pk, citizen ID, e-mail)
    in the order made."""
    citizens = []
    for serial in range(count):
        male = serial % 2 == 0
        year = 1950 + serial % 60
        digit = 2 * ((year - 1900) // 100) + (0 if male else 1)
        citizens.append(
            Citizen(
                citizen_id=f"{province}{digit}{year % 100:02d}{first + serial:06d}",
                full_name=name,
                search_name=search_key(name),
                gender="male" if male else "female",
                birth_year=year,
                area=hamlets[serial % len(hamlets)],
                target_group=1,
                email=f"learner{serial}@example.vn" if emails else "",
            )
        )
    Citizen.objects.bulk_create(citizens, batch_size=5000)
    made = Citizen.objects.filter(citizen_id__startswith=province).values_list(
        "pk", "citizen_id", "email"
    )
    ours = [row for row in made if first <= int(row[1][-6:]) < first + count]
    return sorted(ours, key=lambda row: row[1][-6:])


def delete_completions():
    """What a run wrote: its completions (the xAPI bench's statements are kept on them)."""
    CourseCompletion.objects.all()._raw_delete(connection.alias)
