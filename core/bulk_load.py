"""Loading millions of rows in one transaction (the district-scale demo seeders), checked as a whole.

Django declares every foreign key `DEFERRABLE INITIALLY DEFERRED`, so each inserted row queues one check per key,
all run at COMMIT one index lookup at a time (≈ 23 million for the ledger's demo), and every index is updated row
by row. For a bulk load it is cheaper to drop the keys and the indexes, load, and add them back from their own
definitions (`pg_get_constraintdef`, `pg_get_indexdef`) in the same transaction: each index is then built by one
sort and each key validated by one join, as `pg_restore` does. The database still checks every row; nothing is
trusted. Primary keys and check constraints stay; unique indexes go only when the caller says so (a load that
relies on ON CONFLICT keeps them). PostgreSQL only.
"""

import contextlib
from itertools import groupby
from operator import itemgetter

from django.db import connection


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def run_pending_checks(cursor, constraints: str = "ALL") -> None:
    """Runs the deferred checks queued so far in this transaction (they would run at COMMIT): PostgreSQL refuses
    to alter a table that still has checks waiting, which dropping or adding a foreign key does to both ends."""
    cursor.execute(f"SET CONSTRAINTS {constraints} IMMEDIATE")
    cursor.execute(f"SET CONSTRAINTS {constraints} DEFERRED")


def _in_transaction() -> None:
    # Outside a transaction each DROP would commit at once, and a load that fails would leave the tables
    # without their keys and indexes for good.
    if not connection.in_atomic_block:
        raise RuntimeError("A bulk load drops keys and indexes only inside a transaction.")


def drop_foreign_keys(cursor, tables) -> list[tuple[str, str, str]]:
    """Drops the foreign keys declared on `tables`; returns (table, name, definition) for `add_foreign_keys`."""
    _in_transaction()
    cursor.execute("""SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
                       WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2""", [list(tables)])
    keys = cursor.fetchall()
    if keys:
        run_pending_checks(cursor)
    for table, group in groupby(keys, key=itemgetter(0)):
        cursor.execute(f"ALTER TABLE {table} " + ", ".join(f"DROP CONSTRAINT {_q(name)}" for _t, name, _d in group))
    return keys


def add_foreign_keys(cursor, keys) -> None:
    """Adds back what `drop_foreign_keys` dropped: one validating join per key."""
    run_pending_checks(cursor)
    for table, group in groupby(keys, key=itemgetter(0)):
        cursor.execute(f"ALTER TABLE {table} " + ", ".join(f"ADD CONSTRAINT {_q(name)} {definition}"
                                                           for _t, name, definition in group))


def drop_indexes(cursor, tables, *, unique: bool) -> list[tuple[str, str]]:
    """Drops the secondary indexes of `tables` (the unique ones too when `unique`; never a primary key nor an
    index that backs a constraint); returns (name, CREATE INDEX …) for `build_indexes`."""
    _in_transaction()
    cursor.execute("""SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
                       WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND (%s OR NOT i.indisunique)
                         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                       ORDER BY 1""", [list(tables), unique])
    indexes = cursor.fetchall()
    if indexes:
        cursor.execute("DROP INDEX " + ", ".join(name for name, _d in indexes))
    return indexes


def build_indexes(cursor, indexes) -> None:
    """Builds again what `drop_indexes` dropped, one sort each."""
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for _name, definition in indexes:
        cursor.execute(definition)


@contextlib.contextmanager
def bulk_load(cursor, tables):
    """Around a load into `tables`: their foreign keys and secondary indexes (unique ones included) dropped
    before, built and validated after."""
    keys = drop_foreign_keys(cursor, tables)
    indexes = drop_indexes(cursor, tables, unique=True)
    yield
    build_indexes(cursor, indexes)
    add_foreign_keys(cursor, keys)
