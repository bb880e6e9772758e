"""config.postgresql: Django's per-request health check (a SELECT 1 round trip) is skipped for a connection used
moments ago, kept for one that sat idle, and a connection that died in between is replaced after the one request
that met it (ADR 0010). Each test runs in a thread of its own, on a connection of its own in autocommit, so the
request boundaries (`close_old_connections`, what Django runs at request start and end) act as in a server."""

import threading

import pytest
from django.db import OperationalError, close_old_connections, connection
from django.test import override_settings

from config.postgresql.base import DatabaseWrapper
from tests.threads import in_new_session

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _request() -> int:
    """One request's worth of work: the request's start, one query, its end. Returns the backend's pid."""
    close_old_connections()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    close_old_connections()
    return pid


def _counting_checks(monkeypatch) -> list:
    checks = []
    real = DatabaseWrapper.is_usable

    def is_usable(self):
        checks.append(self.alias)
        return real(self)

    monkeypatch.setattr(DatabaseWrapper, "is_usable", is_usable)
    return checks


def test_a_connection_used_moments_ago_is_not_checked_again(monkeypatch):
    checks = _counting_checks(monkeypatch)

    def requests():
        first = _request()  # connects: a new connection needs no check
        assert [_request() for _ in range(3)] == [first] * 3
        assert checks == []

    in_new_session(requests)


def test_a_connection_idle_for_longer_than_the_grace_is_checked(monkeypatch):
    checks = _counting_checks(monkeypatch)

    def requests():
        first = _request()
        connection.used_at -= 60  # as if the last request had been a minute ago
        assert _request() == first
        assert checks == ["default"]

    in_new_session(requests)


@override_settings(DATABASE_HEALTH_CHECK_GRACE=0)
def test_no_grace_checks_every_request_as_django_does(monkeypatch):
    checks = _counting_checks(monkeypatch)

    def requests():
        _request()
        _request()
        _request()
        assert checks == ["default", "default"]

    in_new_session(requests)


def test_a_connection_that_died_within_the_grace_fails_one_request_and_is_then_replaced():
    def requests():
        pid = _request()
        _terminate(pid)
        close_old_connections()  # the next request starts within the grace: no check, the query meets the corpse
        with pytest.raises(OperationalError), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        close_old_connections()  # its end: an error occurred on the connection, so Django checks and closes it
        assert connection.connection is None
        assert _request() != pid  # the request after it connects afresh

    in_new_session(requests)


def _terminate(pid: int) -> None:
    done = []

    def kill():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])  # waits until it is gone
                done.append(cursor.fetchone()[0])
        finally:
            connection.close()

    thread = threading.Thread(target=kill)
    thread.start()
    thread.join()
    assert done == [True]
