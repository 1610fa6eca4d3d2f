"""Bulk inserts past the ORM's per-row work, for the load generator (`generate_load_data`):
COPY on PostgreSQL, `bulk_create` elsewhere. Development only: rows are written as given,
with no `save` and no signals (the generator rebuilds the summaries itself).
"""

from django.db import connection
from django.utils import timezone


def insert(model, objects):
    """Insert `objects` and give them their primary keys: COPY on PostgreSQL (no per-value
    compilation, several times faster than bulk_create), bulk_create elsewhere."""
    if connection.vendor != "postgresql" or not objects:
        return model.objects.bulk_create(objects, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, len(objects)],
        )
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk
    fields = [f.attname for f in model._meta.concrete_fields if not _auto_now(f)]
    insert_values(model, fields, ([getattr(obj, name) for name in fields] for obj in objects))
    return objects


def insert_values(model, fields, rows):
    """Insert `rows` (value tuples in the order of the attribute names `fields`) without
    making a model instance per row — COPY on PostgreSQL, bulk_create elsewhere.

    The model's other concrete fields (but its key) get their defaults, a callable one called
    per row; auto_now(_add) fields, which Django fills only on save, get the current time.
    """
    if connection.vendor != "postgresql":
        objects = [model(**dict(zip(fields, row, strict=True))) for row in rows]
        model.objects.bulk_create(objects, batch_size=5000)
        return
    now = timezone.now()
    rest = [f for f in model._meta.concrete_fields if f.attname not in fields and not f.primary_key]
    fixed = [f for f in rest if _auto_now(f) or not callable(f.default)]
    called = [f for f in rest if f not in fixed]
    values = [now if _auto_now(f) else f.get_default() for f in fixed]
    columns = [model._meta.get_field(name).column for name in fields]
    columns += [f.column for f in fixed + called]
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([*row, *values, *(f.get_default() for f in called)])


def _auto_now(field):
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
