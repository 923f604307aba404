"""Set-wise writes for the bulk paths (SKETCH: never row by row through the ORM).

PostgreSQL gets COPY, SQLite one prepared statement executed many times. Values go through Django's own
adaptation for the field type so the rows read back exactly as if the ORM had written them.
"""

from collections.abc import Iterable, Sequence

from django.db import connection, models


def _adapters(model: type[models.Model], fields: Sequence[str]):
    ops = connection.ops
    adapters = []
    for name in fields:
        field = model._meta.get_field(name)
        internal = field.get_internal_type()
        if internal == "DateTimeField":
            adapters.append(ops.adapt_datetimefield_value)
        elif internal == "DateField" and connection.vendor == "sqlite":
            adapters.append(lambda v: None if v is None else v.isoformat())
        else:
            adapters.append(None)
    return adapters


def _adapt(rows: Iterable[Sequence], adapters) -> Iterable[tuple]:
    if not any(adapters):
        yield from (tuple(row) for row in rows)
        return
    for row in rows:
        yield tuple(value if adapt is None else adapt(value) for value, adapt in zip(row, adapters))


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Insert ``rows`` (tuples in the order of ``fields``) into ``model``'s table in the current transaction."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    adapted = _adapt(rows, _adapters(model, fields))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in adapted:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", list(adapted))


def update_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Update by primary key: each row is ``(*values_in_order_of_fields, pk)``."""
    table = connection.ops.quote_name(model._meta.db_table)
    assignments = ", ".join(f"{connection.ops.quote_name(model._meta.get_field(f).column)} = %s" for f in fields)
    adapted = list(_adapt(rows, _adapters(model, fields) + [None]))
    if not adapted:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", adapted)
