"""Bulk writes of an import: one compiled statement run for every row (``executemany``).

Django's ``bulk_create``/``bulk_update`` compile every value of every row into SQL text (and
``bulk_update`` a CASE per field); for 2,000 rows of 25 fields that is most of an import's
time. These write the same rows and the same history rows (simple-history's "+" and "~"
records, with the actor and the change reason) from one statement each.
"""

import io
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone

from engagements.concurrency import Versioned

PLAIN = (str, int, bool, type(None))
PASS_THROUGH = (
    models.CharField, models.TextField, models.IntegerField, models.BooleanField,
    models.ForeignKey, models.PositiveIntegerField, models.PositiveSmallIntegerField,
    models.SmallIntegerField, models.BigIntegerField,
)


def _prep(field, value):
    """The value as the database driver takes it: plain values as they are, others through the
    field (decimals, dates, JSON)."""
    if isinstance(value, PLAIN) and isinstance(field, PASS_THROUGH):
        return value
    if isinstance(value, Decimal) and isinstance(field, models.DecimalField):
        return connection.ops.adapt_decimalfield_value(value, field.max_digits,
                                                       field.decimal_places)
    return field.get_db_prep_save(value, connection)


def _preparers(fields):
    """One function per field, chosen once: a plain column takes its plain values as they are
    (the common case, a hundred thousand values in an import)."""

    def make(field):
        if isinstance(field, PASS_THROUGH):
            return lambda value: value if type(value) in PLAIN_TYPES else _prep(field, value)
        return lambda value: _prep(field, value)

    return [make(field) for field in fields]


PLAIN_TYPES = frozenset({str, int, bool, type(None)})


def _insert_sql(model, fields, rows: int = 1) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join([f"({', '.join(['%s'] * len(fields))})"] * rows)
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {marks}"


def insert_rows(model, fields, rows: list[list]) -> None:
    """SQLite (in-process): executemany. PostgreSQL: ``COPY ... FROM STDIN`` (a quarter of the
    time of the statements below for 2,000 rows of 25 columns: no SQL text to build or parse),
    or with another driver one ``INSERT ... SELECT * FROM UNNEST`` of one array per column;
    elsewhere multi-row INSERTs of up to 1,000 rows, so 2,000 rows are two round trips."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(_insert_sql(model, fields), rows)
            return
        if connection.vendor == "postgresql" and rows:
            if hasattr(cursor.cursor, "copy_expert"):  # psycopg2
                _copy(cursor.cursor, model, fields, rows)
            else:
                cursor.execute(*_unnest_insert(model, fields, rows))
            return
        limit = connection.features.max_query_params or 65535
        size = max(1, min(1000, limit // len(fields)))
        for start in range(0, len(rows), size):
            chunk = rows[start:start + size]
            cursor.execute(_insert_sql(model, fields, len(chunk)),
                           [value for row in chunk for value in row])


# COPY's text format: a tab between columns, \N for NULL, backslash escapes in values.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if hasattr(value, "adapted"):  # psycopg2's Json adapter of a JSONField
        value = value.dumps(value.adapted)
    return str(value).translate(_COPY_ESCAPES)


def _copy(raw_cursor, model, fields, rows: list[list]) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    data = "".join("\t".join(map(_copy_text, row)) + "\n" for row in rows)
    raw_cursor.copy_expert(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN",
                           io.StringIO(data))


def _unnest_insert(model, fields, rows: list[list]) -> tuple[str, list]:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    # The column types without their length (varchar[], not varchar(20)[]: nothing truncated).
    arrays = ", ".join(f"%s::{f.db_type(connection).split('(')[0]}[]" for f in fields)
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
           f"SELECT * FROM UNNEST({arrays})")
    return sql, [list(column) for column in zip(*rows, strict=True)]


def _history(model, objs, *, user, reason, kind: str) -> None:
    history_model = model.history.model
    fields = [f for f in history_model._meta.concrete_fields if f.name != "history_id"]
    now = timezone.now()
    extra = {"history_date": now, "history_change_reason": reason, "history_type": kind,
             "history_user_id": getattr(user, "pk", None)}
    fixed = {i: _prep(f, extra[f.attname]) for i, f in enumerate(fields) if f.attname in extra}
    plan = [(i, f.attname, prep) for i, (f, prep) in enumerate(zip(fields, _preparers(fields),
                                                                   strict=True))]
    rows = [
        [fixed[i] if i in fixed else prep(getattr(obj, attname)) for i, attname, prep in plan]
        for obj in objs
    ]
    insert_rows(history_model, fields, rows)


def create_with_history(objs: list, model, *, key: str, scope: dict, user, reason) -> None:
    """Insert ``objs`` and their history rows; the new primary keys are read back by ``key``
    (unique within ``scope``, e.g. the desk number within the engagement): one query."""
    if not objs:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    preparers = list(zip(fields, _preparers(fields), strict=True))
    rows = [[prep(f.pre_save(obj, True)) for f, prep in preparers] for obj in objs]
    insert_rows(model, fields, rows)
    ids = dict(model.objects.filter(**scope).values_list(key, "pk"))
    for obj in objs:
        obj.pk = ids[getattr(obj, key)]
        obj._state.adding = False
    _history(model, objs, user=user, reason=reason, kind="+")


def update_with_history(objs: list, model, field_names, *, user, reason) -> None:
    """Update ``field_names`` of ``objs`` (one statement, run per row) and add their history.
    A ``Versioned`` row's edit version goes up, as with any save: a form opened before the
    import is refused instead of overwriting what the import wrote."""
    if not objs:
        return
    if isinstance(objs[0], Versioned):
        for obj in objs:
            obj.bump_version()
        field_names = {*field_names, "version"}
    fields = [model._meta.get_field(name) for name in sorted(field_names)]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = (f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
           f"WHERE {quote(model._meta.pk.column)} = %s")
    rows = [[_prep(f, getattr(obj, f.attname)) for f in fields] + [obj.pk] for obj in objs]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(sql, rows)
        else:
            _update_from_values(cursor, model, fields, rows)
    _history(model, objs, user=user, reason=reason, kind="~")


def _update_from_values(cursor, model, fields, rows) -> None:
    """``UPDATE … FROM UNNEST(…)`` on PostgreSQL; elsewhere ``UPDATE … FROM (VALUES …)`` for
    up to 1,000 rows per statement."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = model._meta.pk
    columns = [quote(f.column) for f in fields]
    casts = [f"::{f.db_type(connection)}" for f in fields] + [f"::{pk.db_type(connection)}"]
    names = ", ".join([*columns, '"_pk"'])
    assignments = ", ".join(f"{c} = v.{c}" for c in columns)
    if connection.vendor == "postgresql":  # one statement: one array per column
        types = [f.db_type(connection).split("(")[0] for f in fields]
        types.append(pk.db_type(connection).split("(")[0])
        arrays = ", ".join(f"%s::{t}[]" for t in types)
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM UNNEST({arrays}) AS v ({names}) "
            f'WHERE {table}.{quote(pk.column)} = v."_pk"',
            [list(column) for column in zip(*rows, strict=True)],
        )
        return
    size = max(1, min(1000, 65535 // (len(fields) + 1)))
    for start in range(0, len(rows), size):
        chunk = rows[start:start + size]
        values = ", ".join(
            "(" + ", ".join(f"%s{cast}" for cast in casts) + ")" for _row in chunk
        )
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS v ({names}) "
            f'WHERE {table}.{quote(pk.column)} = v."_pk"',
            [value for row in chunk for value in row],
        )
