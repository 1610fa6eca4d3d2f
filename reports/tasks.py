"""Background jobs of the reports (django_tasks: in-process by default, a queue in production)."""

from django_tasks import task

from . import services


@task()
def refresh_report_snapshots(year: int):
    """Nightly (or after a large recognition decision): the country report's snapshots."""
    return services.report_snapshots_refresh(year=year)
