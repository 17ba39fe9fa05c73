"""Database upkeep after bulk writes.

PostgreSQL plans its queries from table statistics that autovacuum refreshes only after a
while: right after an import or a generated data set it would scan all 100,000 observations
where an index serves (22.8 ms instead of 6.2 ms). ``analyze()`` refreshes the statistics of
the tables just written; it does nothing on other databases.
"""

from django.apps import apps
from django.db import connection, transaction


def _tables(models) -> list[str]:
    tables = []
    for model in models:
        tables.append(model._meta.db_table)
        history = getattr(model, "history", None)
        if history is not None and hasattr(history, "model"):
            tables.append(history.model._meta.db_table)
    return sorted(set(tables))


def analyze(*models) -> list[str]:
    """ANALYZE the tables of ``models`` (and their history tables) on PostgreSQL.

    Without models: every table of the project's apps. Runs after the current transaction
    commits (at once outside one). Returns the tables analysed (empty elsewhere).
    """
    if connection.vendor != "postgresql":
        return []
    if not models:
        models = [m for m in apps.get_models() if not m._meta.app_label.startswith(
            ("auth", "admin", "contenttypes", "sessions"))]
    tables = _tables(models)

    def run() -> None:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

    transaction.on_commit(run)
    return tables
