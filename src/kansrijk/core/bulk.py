"""Set-wise writes for the bulk paths (SKETCH: never row by row through the ORM).

PostgreSQL gets COPY, SQLite one prepared statement executed many times. Values go through Django's own
adaptation for the field type so the rows read back exactly as if the ORM had written them.
"""

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import islice

from django.db import connection, models


def _sqlite_date(value):
    return None if value is None else value.isoformat()


def _adapters(model: type[models.Model], fields: Sequence[str]):
    ops = connection.ops
    adapters = []
    for name in fields:
        field = model._meta.get_field(name)
        internal = field.get_internal_type()
        # Bulk rows repeat the same few timestamps and dates, so each adapter is memoised for the duration of one
        # call (typed, so a date never answers for an equal datetime): a profile of the import showed adaptation
        # costing more than the INSERT itself.
        if internal == "DateTimeField" and connection.vendor != "postgresql":
            adapters.append(lru_cache(maxsize=None, typed=True)(ops.adapt_datetimefield_value))
        elif internal == "DateField" and connection.vendor == "sqlite":
            adapters.append(lru_cache(maxsize=None, typed=True)(_sqlite_date))
        else:
            # psycopg adapts datetimes itself (Django's PostgreSQL adapter returns the value unchanged).
            adapters.append(None)
    return adapters


def _adapt(rows: Iterable[Sequence], adapters) -> Iterable[tuple]:
    active = [(index, adapt) for index, adapt in enumerate(adapters) if adapt is not None]
    if not active:
        yield from (tuple(row) for row in rows)
        return
    for row in rows:
        values = list(row)
        for index, adapt in active:
            values[index] = adapt(values[index])
        yield tuple(values)


# Rows per executemany call on SQLite: bounds the adapted copy held in memory (the whole 400,000-client import once
# held two full copies of every table's rows).
CHUNK = 50_000
# Page cache for the bulk statements on SQLite, in KiB (negative = KiB for the pragma). The default 2 MB cache made
# index maintenance thrash once the tables passed a few hundred thousand rows: inserting 400,000 clients took 7 s
# with it and under 5 s with this.
SQLITE_CACHE_KIB = 65_536
# Below this many rows the default cache is enough, and small writes keep their exact query count.
SQLITE_CACHE_MIN_ROWS = 20_000


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector around a bulk job.

    The import builds a million small objects that all stay alive until it ends; the collector kept re-scanning them
    (a third of the parse time at 400,000 clients) without ever finding garbage. Usable as a decorator.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()



@contextmanager
def _bulk_cursor(rows: Iterable):
    with connection.cursor() as cursor:
        large = hasattr(rows, "__len__") and len(rows) >= SQLITE_CACHE_MIN_ROWS
        if connection.vendor != "sqlite" or not large:
            yield cursor
            return
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        try:
            yield cursor
        finally:
            cursor.execute(f"PRAGMA cache_size = {previous}")


def _chunks(rows: Iterable[tuple]) -> Iterator[list[tuple]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Insert ``rows`` (tuples in the order of ``fields``) into ``model``'s table in the current transaction."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    adapted = _adapt(rows, _adapters(model, fields))
    with _bulk_cursor(rows) as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in adapted:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            for chunk in _chunks(adapted):
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", chunk)


def update_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Update by primary key: each row is ``(*values_in_order_of_fields, pk)``."""
    table = connection.ops.quote_name(model._meta.db_table)
    assignments = ", ".join(f"{connection.ops.quote_name(model._meta.get_field(f).column)} = %s" for f in fields)
    adapted = _adapt(rows, _adapters(model, fields) + [None])
    with _bulk_cursor(rows) as cursor:
        for chunk in _chunks(adapted):
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", chunk)


@contextmanager
def secondary_indexes_deferred(model: type[models.Model], *, when: bool) -> Iterator[None]:
    """Drop ``model``'s secondary indexes (``Meta.indexes``, never unique constraints) for the duration of a bulk
    load and rebuild them afterwards, in the caller's transaction.

    Building an index once over the loaded rows is several times cheaper than maintaining it row by row; callers
    pass ``when`` only for loads larger than the table already is (a first import), because the rebuild covers the
    whole table and, on PostgreSQL, holds an exclusive lock on it until the transaction ends.
    """
    if not when or not model._meta.indexes:
        yield
        return
    # Only the statements are wanted, so the editor is not entered (that would start its own transaction).
    editor = connection.schema_editor(collect_sql=True)
    creates = [str(index.create_sql(model, editor)) for index in model._meta.indexes]
    drops = [f"DROP INDEX {connection.ops.quote_name(index.name)}" for index in model._meta.indexes]
    with connection.cursor() as cursor:
        for statement in drops:
            cursor.execute(statement)
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # PostgreSQL will not build an index while deferred foreign-key checks are pending: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in creates:
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
