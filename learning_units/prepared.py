"""Reads compiled once: a queryset's SQL kept per database connection and run again with new
values, for the few reads that run on every request of a hot page.

Turning a queryset into SQL costs Django 0.4–2 ms (joins, columns, converters): on the
self-assessment step page that was more than the database work itself, several times over
(bench/bench_self_assessment.py). SQLAlchemy keeps compiled statements for the same reason.
`prepared` compiles a queryset once with stand-in values, keeps the SQL, the column converters
and the way rows become model instances, and afterwards only substitutes the values.

The contract for the function that builds the queryset:
- its arguments are only used as filter values (ids, or lists of ids), never to decide the
  shape of the query (no `if` on them); each must end up in the SQL;
- no `prefetch_related` (run a second prepared read and `attach_prefetched`), no extra
  iterable other than model instances or `values_list` tuples.
A build that breaks the contract is refused when first compiled (ImproperlyConfigured), not
silently run wrong. Results are equal to iterating the queryset (tests/test_prepared.py).
"""

import functools
import itertools

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

# Stand-in values no real id reaches, still within a 64-bit integer column.
_FIRST_STAND_IN = 2**62 + 7_340_000


class _Compiled:
    """One compiled shape on one connection."""

    def __init__(self, queryset, stand_ins, connection):
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise ImproperlyConfigured("prepared reads cannot prefetch; attach_prefetched.")
        if queryset._iterable_class not in (ModelIterable, ValuesListIterable):
            raise ImproperlyConfigured("prepared reads give model instances or value tuples.")
        compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        found = {stand_in: False for stand_in in stand_ins}
        # Per SQL parameter: (argument name, list index or None), or (None, constant).
        self.slots = []
        for param in params:
            if isinstance(param, int) and param in stand_ins:
                found[param] = True
                self.slots.append(stand_ins[param])
            else:
                self.slots.append((None, param))
        missing = sorted({stand_ins[key][0] for key, seen in found.items() if not seen})
        if missing:
            raise ImproperlyConfigured(f"prepared read does not use its arguments {missing}.")
        self.compiler = compiler
        self.model_rows = queryset._iterable_class is ModelIterable
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        self.converters = compiler.get_converters(fields)
        if self.model_rows:
            klass_info = compiler.klass_info
            self.model = klass_info["model"]
            select_fields = klass_info["select_fields"]
            self.start, self.end = select_fields[0], select_fields[-1] + 1
            self.init_list = [
                column[0].target.attname for column in compiler.select[self.start : self.end]
            ]
            self.populators = get_related_populators(klass_info, compiler.select, connection.alias)
            self.annotations = compiler.annotation_col_map

    def run(self, connection, values):
        params = [
            second if name is None else values[name] if second is None else values[name][second]
            for name, second in self.slots
        ]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        if not self.model_rows:
            return [tuple(row) for row in rows]
        objects = []
        for row in rows:
            obj = self.model.from_db(connection.alias, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            for attribute, position in (self.annotations or {}).items():
                setattr(obj, attribute, row[position])
            objects.append(obj)
        return objects


def prepared(build):
    """Decorate a function building a queryset from keyword ids; calling it returns the list
    of results, compiled on first use per connection (and per length of list arguments)."""
    token = object()  # this read's own key, whatever its name

    @functools.wraps(build)
    def run(*, using="default", **values):
        connection = connections[using]
        shape = tuple(
            (name, len(value) if isinstance(value, (list, tuple)) else None)
            for name, value in sorted(values.items())
        )
        cache = connection.__dict__.setdefault("_cdht_prepared", {})
        compiled = cache.get((token, shape))
        if compiled is None:
            compiled = cache[token, shape] = _compile(build, shape, connection)
        return compiled.run(connection, values)

    return run


def _compile(build, shape, connection):
    counter = itertools.count(_FIRST_STAND_IN)
    stand_ins, arguments = {}, {}
    for name, length in shape:
        if length is None:
            value = next(counter)
            stand_ins[value] = (name, None)
        else:
            value = [next(counter) for _ in range(length)]
            for index, item in enumerate(value):
                stand_ins[item] = (name, index)
        arguments[name] = value
    return _Compiled(build(**arguments), stand_ins, connection)


def attach_prefetched(instances, relation, related, key):
    """Put `related` objects into each instance's `relation` (a reverse foreign key) as
    prefetch_related would, so `instance.<relation>.all()` reads no more; `key(obj)` gives the
    id of the instance a related object belongs to. Keeps the order of `related`."""
    by_owner = {}
    for obj in related:
        by_owner.setdefault(key(obj), []).append(obj)
    for instance in instances:
        # The manager's own queryset (filtered to this instance, so that a later .filter()
        # on it stays within the instance's rows), holding the results.
        queryset = getattr(instance, relation).get_queryset()
        queryset._result_cache = by_owner.get(instance.pk, [])
        queryset._prefetch_done = True
        instance.__dict__.setdefault("_prefetched_objects_cache", {})[relation] = queryset


def update_rows(objects, fields, *, using="default"):
    """Write `fields` of each object to its row: one parameterised UPDATE run for all of them
    (executemany), instead of bulk_update's CASE per field that Django compiles every time.
    Like bulk_update: no signals, no save(), auto_now fields are not touched."""
    if not objects:
        return
    connection = connections[using]
    meta = type(objects[0])._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns]
        + [meta.pk.get_db_prep_value(obj.pk, connection)]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
