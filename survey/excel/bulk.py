"""Bulk writes of an import: one compiled statement run for every row (``executemany``).

Django's ``bulk_create``/``bulk_update`` compile every value of every row into SQL text (and
``bulk_update`` a CASE per field); for 2,000 rows of 25 fields that is most of an import's
time. These write the same rows and the same history rows (simple-history's "+" and "~"
records, with the actor and the change reason) from one statement each.
"""

from decimal import Decimal

from django.db import connection, models
from django.utils import timezone

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


def _insert_sql(model, fields) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"


def _history(model, objs, *, user, reason, kind: str) -> None:
    history_model = model.history.model
    fields = [f for f in history_model._meta.concrete_fields if f.name != "history_id"]
    now = timezone.now()
    extra = {"history_date": now, "history_change_reason": reason, "history_type": kind,
             "history_user_id": getattr(user, "pk", None)}
    rows = []
    for obj in objs:
        rows.append([
            _prep(f, extra[f.attname]) if f.attname in extra else
            _prep(f, getattr(obj, f.attname)) for f in fields
        ])
    with connection.cursor() as cursor:
        cursor.executemany(_insert_sql(history_model, fields), rows)


def create_with_history(objs: list, model, *, key: str, scope: dict, user, reason) -> None:
    """Insert ``objs`` and their history rows; the new primary keys are read back by ``key``
    (unique within ``scope``, e.g. the desk number within the engagement): one query."""
    if not objs:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    rows = [[_prep(f, f.pre_save(obj, True)) for f in fields] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(_insert_sql(model, fields), rows)
    ids = dict(model.objects.filter(**scope).values_list(key, "pk"))
    for obj in objs:
        obj.pk = ids[getattr(obj, key)]
        obj._state.adding = False
    _history(model, objs, user=user, reason=reason, kind="+")


def update_with_history(objs: list, model, field_names, *, user, reason) -> None:
    """Update ``field_names`` of ``objs`` (one statement, run per row) and add their history."""
    if not objs:
        return
    fields = [model._meta.get_field(name) for name in sorted(field_names)]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = (f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
           f"WHERE {quote(model._meta.pk.column)} = %s")
    rows = [[_prep(f, getattr(obj, f.attname)) for f in fields] + [obj.pk] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    _history(model, objs, user=user, reason=reason, kind="~")
