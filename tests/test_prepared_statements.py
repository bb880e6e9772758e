"""core.db: the hot hand-written statements run as server-side prepared statements on PostgreSQL. Each test
runs in a thread of its own, so on a connection (a server session) of its own that knows no statements yet."""


import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from core import db as sql
from tests.threads import in_new_session

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

STATEMENT = "SELECT %(a)s::int + %(b)s::int, %(a)s::int * 2, 'x%%y' WHERE %(flag)s"


def _run(statement, params):
    with CaptureQueriesContext(connection) as queries, connection.cursor() as cursor:
        sql.execute(cursor, statement, params)
        rows = cursor.fetchall()
    return rows, [q["sql"] for q in queries.captured_queries]


def _prepared_names():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


def test_the_first_use_prepares_and_executes_in_one_round_trip_then_only_executes():
    in_new_session(_first_then_later)


def _first_then_later():
    name, _text, _keys = sql._statement(STATEMENT)

    rows, first = _run(STATEMENT, {"a": 2, "b": 3, "flag": True})
    assert rows == [(5, 4, "x%y")]
    assert len(first) == 1 and first[0].startswith(f"PREPARE {name} AS ") and f"EXECUTE {name}(" in first[0]
    assert name in _prepared_names()

    rows, later = _run(STATEMENT, {"a": 10, "b": 1, "flag": True})
    assert rows == [(11, 20, "x%y")]
    assert later == [f"EXECUTE {name}(10, 1, true)"]
    assert _run(STATEMENT, {"a": 1, "b": 1, "flag": False})[0] == []


def test_named_and_positional_placeholders_number_alike():
    assert sql._statement("SELECT %(a)s, %(b)s, %(a)s")[1:] == ("SELECT $1, $2, $1", ("a", "b"))
    assert sql._statement("SELECT %s, %s LIKE 'a%%'")[1:] == ("SELECT $1, $2 LIKE 'a%%'", (0, 1))
    assert sql._statement("SELECT 1")[0] != sql._statement("SELECT 2")[0]


def test_a_new_connection_prepares_again():
    statement = "SELECT %s::int + 1"

    def use(value):
        rows, queries = _run(statement, [value])
        assert rows == [(value + 1,)] and queries[0].startswith("PREPARE ")
        assert _run(statement, [value])[1][0].startswith("EXECUTE ")

    in_new_session(lambda: use(1))
    in_new_session(lambda: use(41))


def test_a_failed_first_use_is_settled_by_asking_the_server():
    """Whether the PREPARE outlived a failing EXECUTE is the server's to say: the next use asks and goes on."""
    in_new_session(_fail_then_settle)


def _fail_then_settle():
    statement = "SELECT 1 / %s::int"
    name = sql._statement(statement)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        _run(statement, [0])
    rows, queries = _run(statement, [1])
    assert rows == [(1,)]
    assert "pg_prepared_statements" in queries[0]
    assert queries[-1].startswith(("EXECUTE", "PREPARE"))
    assert name in _prepared_names()
    assert _run(statement, [1])[1] == [f"EXECUTE {name}(1)"]


def test_a_statement_the_server_dropped_is_prepared_again():
    """After DISCARD ALL (a pooler's reset, say): at once outside a transaction; inside one the transaction fails
    like on any error, and the next use prepares again."""
    statement = "SELECT %s::int * 3"

    def check():
        assert _run(statement, [1])[0] == [(3,)]
        with connection.cursor() as cursor:
            cursor.execute("DISCARD ALL")
        rows, queries = _run(statement, [2])
        assert rows == [(6,)] and queries[-1].startswith("PREPARE ")
        with connection.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")
        with pytest.raises(DatabaseError), transaction.atomic():
            _run(statement, [3])
        assert _run(statement, [4])[0] == [(12,)]
        assert _run(statement, [5])[1] == [f"EXECUTE {sql._statement(statement)[0]}(5)"]

    in_new_session(check)


def test_a_statement_a_migration_made_unusable_is_prepared_again():
    """PostgreSQL refuses a prepared plan whose result type changed ("cached plan must not change result
    type"); the statement is dropped and prepared again instead of failing for the life of the connection."""
    statement = "SELECT v FROM prepared_probe WHERE %s::int = 1 -- a trailing comment"

    def check():
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE prepared_probe (v varchar(10))")
            cursor.execute("INSERT INTO prepared_probe VALUES ('a')")
        try:
            assert _run(statement, [1])[0] == [("a",)]  # the comment did not swallow the first EXECUTE
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE prepared_probe ALTER COLUMN v TYPE varchar(20)")
            for _ in range(2):
                assert _run(statement, [1])[0] == [("a",)]
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE prepared_probe")

    in_new_session(check)
