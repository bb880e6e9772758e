"""Running a piece of a test on a database connection of its own (Django's connections are per thread)."""

import threading

from django.db import connection


def in_new_session(check):
    """Runs `check` in a new thread, so on a new connection, closes that connection and re-raises what `check`
    raised in the test's own thread."""
    failure = []

    def run():
        try:
            check()
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
            failure.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
