"""Background work: generating a report for the web page without blocking the web server (django-tasks;
the database backend by default, run by `hrtc db-worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def generate_report(run_id: str) -> str:
    from hrtc.reports.services import run_execute

    return str(run_execute(run_id=run_id).status)
