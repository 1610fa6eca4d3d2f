"""Two officers acting at the same moment, on two real database connections (PostgreSQL only:
SQLite serialises every write, so it cannot show a race)."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from assessments.models import Assessment, AssessmentStatus, Recognition, RecognitionDecision
from assessments.services.recognition import recognition_issue
from assessments.services.review import ReviewRefused, assessment_verify
from tests.factories import OfficerRoleFactory
from tests.factories.review import make_assessment, review_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def race(*jobs):
    """Run each job in its own thread (own connection), released together by a barrier."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index, job):
        try:
            prepared = job["prepare"]()  # read what the officer's screen shows
            barrier.wait()
            job["act"](prepared)
            outcomes[index] = "done"
        except ReviewRefused as refusal:
            outcomes[index] = refusal.code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def recognise_job(world, officer, pks, number):
    def prepare():
        return list(Assessment.objects.filter(pk__in=pks).order_by("pk"))

    def act(assessments):
        recognition_issue(
            assessments=assessments,
            officer=officer,
            number=number,
            decided_on=timezone.localdate(),
            signer="Chủ tịch",
            issuing_area=world.commune,
        )

    return {"prepare": prepare, "act": act}


@pytest.mark.parametrize("same_number", [False, True])
def test_two_officers_recognising_the_same_batch_get_one_decision(same_number):
    world = review_world()
    second_officer = OfficerRoleFactory(area=world.commune).user
    pks = [make_assessment(world, status=AssessmentStatus.VERIFIED).pk for _ in range(5)]

    outcomes = race(
        recognise_job(world, world.officers["commune"], pks, "1/QĐ"),
        recognise_job(world, second_officer, pks, "1/QĐ" if same_number else "2/QĐ"),
    )

    # The rows are locked before the decision is written: whoever comes second finds them
    # recognised already (stale), whatever decision number they typed.
    assert sorted(outcomes) == ["done", "stale"], outcomes
    assert RecognitionDecision.objects.count() == 1
    sequences = sorted(Recognition.objects.values_list("sequence", flat=True))
    assert sequences == [1, 2, 3, 4, 5]


def test_disjoint_batches_at_once_get_consecutive_unique_numbers():
    world = review_world()
    second_officer = OfficerRoleFactory(area=world.commune).user
    first = [make_assessment(world, status=AssessmentStatus.VERIFIED).pk for _ in range(4)]
    second = [make_assessment(world, status=AssessmentStatus.VERIFIED).pk for _ in range(3)]

    outcomes = race(
        recognise_job(world, world.officers["commune"], first, "1/QĐ"),
        recognise_job(world, second_officer, second, "2/QĐ"),
    )

    assert outcomes == ["done", "done"]
    numbers = list(Recognition.objects.values_list("certificate_number", flat=True))
    assert len(set(numbers)) == 7
    assert sorted(Recognition.objects.values_list("sequence", flat=True)) == list(range(1, 8))


def test_two_officers_verifying_the_same_assessment_verify_it_once():
    world = review_world()
    pk = make_assessment(world).pk

    def job(officer):
        return {
            "prepare": lambda: Assessment.objects.get(pk=pk),
            "act": lambda assessment: assessment_verify(assessment=assessment, officer=officer),
        }

    outcomes = race(job(world.officers["branch"]), job(world.officers["branch"]))

    assert sorted(outcomes) == ["done", "stale"]
    assert Assessment.objects.get(pk=pk).events.filter(action="verify").count() == 1


def test_two_selections_under_one_new_decision_number_at_once_share_that_decision():
    """Two officers record the same signed decision from two queue selections at the same
    moment: the second meets the first's row on the unique constraint and adds to it."""
    world = review_world()
    second_officer = OfficerRoleFactory(area=world.commune).user
    first = [make_assessment(world, status=AssessmentStatus.VERIFIED).pk for _ in range(4)]
    second = [make_assessment(world, status=AssessmentStatus.VERIFIED).pk for _ in range(3)]

    outcomes = race(
        recognise_job(world, world.officers["commune"], first, "9/QĐ"),
        recognise_job(world, second_officer, second, "9/QĐ"),
    )

    assert outcomes == ["done", "done"]
    decision = RecognitionDecision.objects.get()
    assert decision.recognitions.count() == 7
    assert sorted(Recognition.objects.values_list("sequence", flat=True)) == list(range(1, 8))
