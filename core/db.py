"""Database plumbing shared by every app: the hand-written hot statements as server-side prepared statements.

A few statements run on every request or on every petition (the scope, the petition intake and its one INSERT).
PostgreSQL spent more time parsing and planning them than running them (0.3 of 0.4 ms for the scope;
benchmarks/README.md, petition create), so on PostgreSQL they are prepared once per connection and then only
executed: the first use on a connection sends `PREPARE name AS …; EXECUTE name(…)` in one round trip (so the
statement counts of the tests do not depend on which test ran first), later uses only `EXECUTE name(…)`.
Names carry a hash of the text, so a changed statement never meets an old plan. Parameter types are inferred by
PostgreSQL from where the parameters stand; write statements so that each parameter meets a typed column
(`INSERT … SELECT $1 …` works, `SELECT DISTINCT $1 …` does not), and put no placeholder inside a comment or a
string literal (they are numbered like the others, but PostgreSQL does not see them there). Statements go
through Django's cursor, so they are logged and counted like any other query.

A statement that the server no longer has (after `DISCARD ALL`) or can no longer run as prepared (a migration
changed the type of a column it returns) is dropped and prepared again: at once outside a transaction, at the
next use inside one (the failing transaction is aborted, as any failing statement aborts it).

Prepared statements live in the server session: behind a transaction-mode pooler they would need the pooler's
own support (PgBouncer ≥ 1.21 with max_prepared_statements); `docker-compose.yml` connects directly. On other
databases `execute` runs the statement as it is.
"""

import functools
import hashlib
import re

from django.db.backends.signals import connection_created

_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%s|%%")
_KNOWN = "prepared_statements"  # attribute of the DatabaseWrapper: names prepared on its current connection
_UNSURE = "prepared_statements_unsure"  # names whose use failed: dropped if the server holds them, then prepared


@functools.lru_cache(maxsize=64)
def _statement(sql: str) -> tuple[str, str, tuple]:
    """(name, text with $n placeholders, the parameters' keys in $n order: names for a dict, indexes for a
    list). `%%` stays as it is: the EXECUTE with its arguments is interpolated by the driver like any query."""
    keys: list = []

    def number(match):
        token = match.group(0)
        if token == "%%":
            return token
        key = match.group(1) if match.group(1) is not None else len(keys)
        if key not in keys:
            keys.append(key)
        return f"${keys.index(key) + 1}"

    text = _PLACEHOLDER.sub(number, sql)
    name = "stmt_" + hashlib.blake2b(sql.encode(), digest_size=8).hexdigest()
    return name, text, tuple(keys)


def execute(cursor, sql: str, params=()) -> None:
    """Runs `sql` (psycopg placeholders, `%s` or `%(name)s`) on a Django cursor, prepared on PostgreSQL."""
    db = cursor.db
    if db.vendor != "postgresql":
        cursor.execute(sql, params)
        return
    name, text, keys = _statement(sql)
    args = [params[key] for key in keys]
    call = f"EXECUTE {name}" + (f"({', '.join(['%s'] * len(args))})" if args else "")
    known, unsure = db.__dict__.setdefault(_KNOWN, set()), db.__dict__.setdefault(_UNSURE, set())
    if name in unsure:
        _drop(cursor, name)
        unsure.discard(name)
    if name in known:
        try:
            cursor.execute(call, args)
            return
        except Exception as exc:
            if _sqlstate(exc) not in _STALE:
                raise
            known.discard(name)
            if db.in_atomic_block:  # the transaction is aborted: the next use prepares afresh
                unsure.add(name)
                raise
            _drop(cursor, name)  # not in a transaction: nothing was written, prepare again now
    try:
        # The newline ends a trailing `-- comment` of the statement, which would swallow the EXECUTE.
        cursor.execute(f"PREPARE {name} AS {text}\n; {call}", args)
    except BaseException:
        unsure.add(name)  # prepared or not, the server knows: asked at the next use
        raise
    known.add(name)


# SQLSTATEs after which a prepared statement is gone or unusable: invalid_sql_statement_name (it does not exist,
# e.g. after DISCARD ALL or a pooler's reset) and feature_not_supported ("cached plan must not change result
# type": a migration changed the type of a column the statement returns).
_STALE = {"26000", "0A000"}


def _sqlstate(exc) -> str | None:
    return getattr(exc, "pgcode", None) or getattr(exc.__cause__, "pgcode", None)


def _drop(cursor, name: str) -> None:
    """Drops whatever the server holds under `name` — nothing, a statement prepared by a first use that then
    failed, or one that became unusable — so that the next PREPARE starts clean."""
    cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [name])
    if cursor.fetchone():
        cursor.execute(f"DEALLOCATE {name}")


def _forget(sender, connection, **kwargs) -> None:
    """A new server session knows no prepared statements."""
    connection.__dict__[_KNOWN] = set()
    connection.__dict__[_UNSURE] = set()


connection_created.connect(_forget, dispatch_uid="core.db.forget_prepared_statements")


def violated_constraint(exc, model) -> str | None:
    """The name of the constraint of `model` that an IntegrityError broke, or None: PostgreSQL names it in the
    error's diagnostics; SQLite names only the columns of a unique constraint, which are matched to the
    model's. Callers then recognise a refusal by its constraint, never by the wording of the database's text."""
    name = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
    if name:
        return name
    failed = re.search(r"UNIQUE constraint failed: (.+)$", str(exc))
    if failed is None:
        return None
    columns = {column.strip().rsplit(".", 1)[-1] for column in failed.group(1).split(",")}
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if fields and {model._meta.get_field(f).column for f in fields} == columns:
            return constraint.name
    return None
