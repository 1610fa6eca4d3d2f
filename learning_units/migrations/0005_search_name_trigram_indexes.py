"""Trigram (pg_trgm) GIN indexes on the accent-folded names, PostgreSQL only.

Name searches match `search_name` anywhere (`LIKE '%key%'`, `learning_units.text.search_key`):
a B-tree cannot serve that, a trigram index can (the officers' queue and the public listing of a
province, issue #22). SQLite has no such index: there the migration does nothing. Where the
database role may not create the extension, the indexes are left out with a warning and the
searches still work, only slower.
"""

import warnings

from django.db import DatabaseError, migrations, transaction

INDEXES = [
    ("citizen_search_name_trgm", "learning_units_citizen"),
    ("learning_unit_search_name_trgm", "learning_units_learningunit"),
]


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        warnings.warn(f"pg_trgm not available, name searches stay unindexed: {error}", stacklevel=2)
        return
    with connection.cursor() as cursor:
        for name, table in INDEXES:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_name gin_trgm_ops)"
            )


def drop(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name, _table in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("learning_units", "0004_pending_completions")]

    operations = [migrations.RunPython(create, drop)]
