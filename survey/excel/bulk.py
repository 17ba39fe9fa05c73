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


def _insert_sql(model, fields) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"


def insert_rows(model, fields, rows: list[list]) -> None:
    """SQLite (in-process): executemany. PostgreSQL: ``COPY ... FROM STDIN`` with psycopg2 (a
    quarter of the time of a multi-row INSERT for 2,000 rows of 25 columns: no SQL text to
    build or parse), else one ``INSERT ... SELECT * FROM UNNEST`` of one array per column."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(_insert_sql(model, fields), rows)
        elif hasattr(cursor.cursor, "copy_expert"):  # psycopg2
            _copy(cursor.cursor, model, fields, rows)
        else:
            cursor.execute(*_unnest_insert(model, fields, rows))


def _array_type(field) -> str:
    """The column's type as an array element, without its length (varchar, not varchar(20):
    nothing is truncated)."""
    return field.db_type(connection).split("(")[0] + "[]"


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
    arrays = ", ".join(f"%s::{_array_type(f)}" for f in fields)
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
            _update_from_unnest(cursor, model, fields, rows)
    _history(model, objs, user=user, reason=reason, kind="~")


def _update_from_unnest(cursor, model, fields, rows) -> None:
    """PostgreSQL: one ``UPDATE … FROM UNNEST(…)``, one array per column and the keys."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = model._meta.pk
    columns = [quote(f.column) for f in fields]
    names = ", ".join([*columns, '"_pk"'])
    assignments = ", ".join(f"{c} = v.{c}" for c in columns)
    arrays = ", ".join(f"%s::{_array_type(f)}" for f in [*fields, pk])
    cursor.execute(
        f"UPDATE {table} SET {assignments} FROM UNNEST({arrays}) AS v ({names}) "
        f'WHERE {table}.{quote(pk.column)} = v."_pk"',
        [list(column) for column in zip(*rows, strict=True)],
    )
