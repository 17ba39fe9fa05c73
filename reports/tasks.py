"""The report's background task (django-tasks; the worker is ``manage.py db_worker``).

On Django 6 the import becomes ``from django.tasks import task``; nothing else changes.
"""

from django_tasks import task


@task()
def run_build(build_pk: int) -> None:
    from .services import run_build as run

    run(build_pk)
