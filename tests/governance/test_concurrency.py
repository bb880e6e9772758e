"""Races on PostgreSQL: two ballots of one owner at the same moment, two sweeps at once.

Each thread has its own database connection outside the test's transaction, so the setup, the race and the
clean-up all run in threads and commit; the session's demo data is left as it was."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from core.errors import DomainError
from governance import services
from governance.models import AgendaItem, Ballot, Meeting, SupervisoryRecord, Vote, VoteEvent


def in_threads(*calls):
    """Runs the calls at the same moment, each in its own thread and connection; returns their results."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, fn):
        try:
            barrier.wait()
            try:
                results[i] = fn()
            except DomainError:
                results[i] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture
def committed_meeting(users, demo_compound):
    """A meeting committed outside the test transaction, removed with everything under it afterwards."""
    def make():
        return Meeting.objects.create(compound=demo_compound, kind=Meeting.Kind.OWNERS_ASSEMBLY, title="Race",
                                      held_at=timezone.now())

    [meeting] = in_threads(make)
    yield meeting

    def clean():
        SupervisoryRecord.objects.filter(item__meeting=meeting).delete()
        Vote.objects.filter(item__meeting=meeting).delete()
        meeting.delete()

    in_threads(clean)


def _open(users, meeting, title, minutes=60 * 24):
    def make():
        item = AgendaItem.objects.create(meeting=meeting, title=title)
        return services.vote_open(actor=users["community_office"], item=item, rule="simple_majority",
                                  deadline=timezone.now() + datetime.timedelta(minutes=minutes))

    return in_threads(make)[0]


@pytest.mark.postgres
@pytest.mark.django_db
def test_parallel_double_ballots_store_one(users, committed_meeting):
    vote = _open(users, committed_meeting, "Race")
    for _round in range(5):
        in_threads(lambda: Ballot.objects.filter(vote=vote).delete())
        outcomes = in_threads(
            lambda: services.ballot_cast(actor=users["resident"], vote=vote, choice="approve") and "ok",
            lambda: services.ballot_cast(actor=users["resident"], vote=vote, choice="oppose") and "ok",
        )
        assert sorted(outcomes) == ["ok", "refused"]
        assert in_threads(lambda: Ballot.objects.filter(vote=vote).count()) == [1]


@pytest.mark.postgres
@pytest.mark.django_db
def test_two_sweeps_at_once_close_each_vote_once(users, committed_meeting):
    votes = [_open(users, committed_meeting, f"Sweep {i}", minutes=1) for i in range(6)]
    later = timezone.now() + datetime.timedelta(minutes=2)
    closed = in_threads(*[lambda: services.votes_close_due(now=later, batch=2)] * 2)
    assert sum(closed) == 6
    ids = [v.pk for v in votes]
    assert in_threads(lambda: Vote.objects.filter(pk__in=ids, status="closed").count()) == [6]
    assert in_threads(lambda: VoteEvent.objects.filter(vote__in=ids, kind="closed").count()) == [6]
