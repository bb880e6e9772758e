"""Django's PostgreSQL backend, with the per-request connection health check skipped for a connection that was
used moments ago (ADR 0010).

Django checks a persistent connection (`CONN_HEALTH_CHECKS`) with a `SELECT 1` round trip before the first query
of every request. A connection goes stale while it sits idle (a server restart, an idle timeout, a dropped
socket), not while it is busy: one that served a query less than `DATABASE_HEALTH_CHECK_GRACE` seconds ago is
taken as it is. If it did die within that moment, the request's first query fails (as it could after a passed
check too) and Django closes the connection when that request ends, because an error occurred on it; the next
request connects afresh. Connections idle for longer are checked as before. A grace of 0 is Django's check on
every request."""

import time

from django.conf import settings
from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    used_at = float("-inf")  # time.monotonic() when a cursor was last taken on this connection

    def close_if_health_check_failed(self):
        if (self.connection is not None and not self.health_check_done
                and time.monotonic() - self.used_at < settings.DATABASE_HEALTH_CHECK_GRACE):
            self.health_check_done = True
        super().close_if_health_check_failed()

    def _cursor(self, name=None):
        cursor = super()._cursor(name)
        self.used_at = time.monotonic()
        return cursor
