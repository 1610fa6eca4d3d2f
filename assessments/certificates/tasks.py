"""Background tasks (django_tasks): in-process by default, a queue worker in production."""

from django_tasks import task

from .archives import certificate_batch_run


@task()
def generate_certificate_batch(batch_id):
    certificate_batch_run(batch_id=batch_id)
