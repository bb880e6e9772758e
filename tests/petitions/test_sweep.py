"""The deadline sweep: one level per missed deadline, exactly once, whatever runs twice or dies midway."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from petitions import services
from petitions.models import DeadlineKind, EscalationLevel, EventKind, Petition, Status, Whistle

LADDER = [EscalationLevel.COMMUNITY, EscalationLevel.STREET, EscalationLevel.DISTRICT]


def _overdue(petition, now):
    """Backdates the petition's deadline (the clock as if it had run out)."""
    Petition.objects.filter(pk=petition.pk).update(deadline=now - datetime.timedelta(minutes=1))


@pytest.mark.django_db
def test_each_missed_deadline_climbs_one_level_and_restarts_the_clock(users, submit):
    petition = submit()
    at = petition.deadline
    for step, level in enumerate(LADDER, start=1):
        at = at + datetime.timedelta(seconds=1)
        result = services.sweep_deadlines(now=at)
        assert petition.pk in result.petition_ids
        petition.refresh_from_db()
        assert (petition.level, petition.escalations, petition.missed_deadlines) == (level, step, step)
        assert petition.deadline == at + petition.category.limit(DeadlineKind.ACCEPT)
        at = petition.deadline
    # at the top it stays, reminded, with a fresh clock
    services.sweep_deadlines(now=at + datetime.timedelta(seconds=1))
    petition.refresh_from_db()
    assert petition.level == EscalationLevel.DISTRICT and petition.escalations == 3
    assert petition.events.filter(kind=EventKind.OVERDUE).count() == 1
    # the offices of each level were told, and so was the resident
    for login in ("community_office", "street_office", "district_center", "resident"):
        assert users[login].notifications.for_target(petition).exists(), login


@pytest.mark.django_db
def test_the_escalation_note_is_a_whole_sentence_per_deadline(users, submit):
    from django.utils import translation

    petition = submit()
    with translation.override("en"):
        services.sweep_deadlines(now=petition.deadline + datetime.timedelta(seconds=1))
    escalated = petition.events.get(kind=EventKind.ESCALATED)
    assert escalated.note == "The deadline to accept the petition passed."
    petition = services.petition_accept(actor=users["community_office"], petition=petition)
    with translation.override("en"):
        services.sweep_deadlines(now=petition.deadline + datetime.timedelta(seconds=1))
    notes = list(petition.events.filter(kind=EventKind.ESCALATED).order_by("pk").values_list("note", flat=True))
    assert notes[-1] == "The deadline to resolve the petition passed."
    with translation.override("zh-hans"):
        assert str(services.DEADLINE_PASSED[DeadlineKind.ACCEPT]) == "受理时限已过。"
        assert str(services.DEADLINE_PASSED[DeadlineKind.RESOLVE]) == "办结时限已过。"


@pytest.mark.django_db
def test_a_second_sweep_at_the_same_moment_does_nothing(submit):
    petition = submit()
    at = petition.deadline + datetime.timedelta(seconds=1)
    assert petition.pk in services.sweep_deadlines(now=at).petition_ids
    assert petition.pk not in services.sweep_deadlines(now=at).petition_ids
    assert petition.events.filter(kind=EventKind.ESCALATED).count() == 1


@pytest.mark.django_db
def test_a_sweep_killed_midway_leaves_nothing_half_done(submit, monkeypatch):
    petitions = [submit() for _ in range(5)]
    at = max(p.deadline for p in petitions) + datetime.timedelta(seconds=1)
    real, calls = services._sweep_one, []

    def dying(petition, now, result):
        calls.append(petition.pk)
        if len(calls) == 3:
            raise SystemExit("worker killed")
        real(petition, now, result)

    monkeypatch.setattr(services.sweep, "_sweep_one", dying)  # where the sweep looks it up
    with pytest.raises(SystemExit):
        services.sweep_deadlines(now=at, batch_size=10)
    monkeypatch.setattr(services.sweep, "_sweep_one", real)
    # the killed batch was rolled back whole; the rerun escalates each exactly once
    services.sweep_deadlines(now=at)
    for p in petitions:
        assert p.events.filter(kind=EventKind.ESCALATED).count() == 1


@pytest.mark.django_db
def test_dry_run_changes_nothing(submit):
    petition = submit()
    at = petition.deadline + datetime.timedelta(seconds=1)
    result = services.sweep_deadlines(now=at, dry_run=True)
    assert petition.pk in result.petition_ids
    petition.refresh_from_db()
    assert petition.level == EscalationLevel.COMPOUND


@pytest.mark.django_db
def test_the_command_sweeps_as_of_a_given_moment(submit, capsys):
    petition = submit()
    at = (petition.deadline + datetime.timedelta(seconds=1)).isoformat()
    call_command("sweep_deadlines", "--at", at, "--dry-run")
    petition.refresh_from_db()
    assert petition.level == EscalationLevel.COMPOUND
    assert "would be escalated" in capsys.readouterr().out
    call_command("sweep_deadlines", "--at", at)
    petition.refresh_from_db()
    assert petition.level == EscalationLevel.COMMUNITY


@pytest.mark.django_db
def test_the_beat_task_is_scheduled_every_minute():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["petitions-sweep-deadlines"]
    assert entry["task"] == "petitions.tasks.sweep_deadlines" and entry["schedule"] == 60.0


@pytest.mark.django_db
def test_the_whistle_calls_departments_and_flags_the_late_ones(users, submit, main_district):
    from communities.models import Department

    petition = submit()
    for _ in range(2):
        services.sweep_deadlines(now=Petition.objects.get(pk=petition.pk).deadline + datetime.timedelta(seconds=1))
    petition.refresh_from_db()
    assert petition.level == EscalationLevel.STREET
    police = Department.objects.get(district=main_district, kind="police")
    fire = Department.objects.get(district=main_district, kind="fire")
    whistles = services.petition_whistle(actor=users["street_office"], petition=petition,
                                         departments=[police.pk, fire.pk], note="请到场")
    assert {w.department_id for w in whistles} == {police.pk, fire.pk}
    assert users["department_staff"].notifications.for_target(petition).exists()
    # the police acknowledge, then answer; the fire brigade stays silent and is flagged late once
    services.whistle_answer(actor=users["department_staff"], petition=petition)
    services.whistle_answer(actor=users["department_staff"], petition=petition, answer="已出警")
    due = whistles[0].due_at + datetime.timedelta(seconds=1)
    assert services.sweep_deadlines(now=due).departments_late == 1
    assert services.sweep_deadlines(now=due).departments_late == 0
    assert Whistle.objects.get(petition=petition, department=fire).is_late
    assert not Whistle.objects.get(petition=petition, department=police).is_late
    kinds = list(petition.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.WHISTLE) == 2 and EventKind.DEPARTMENT_ANSWERED in kinds
    assert EventKind.DEPARTMENT_LATE in kinds


@pytest.mark.django_db
@pytest.mark.parametrize("login", ["community_office", "firm_staff", "street_office_2", "district_org"])
def test_only_the_level_office_blows_the_whistle(users, submit, main_district, login):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from communities.models import Department

    petition = submit()
    Petition.objects.filter(pk=petition.pk).update(level=EscalationLevel.STREET)
    with pytest.raises((PermissionDenied, Http404)):
        services.petition_whistle(actor=users[login], petition=petition,
                                  departments=[Department.objects.filter(district=main_district).first().pk])


# --- concurrency on PostgreSQL ------------------------------------------------------------------------------

def _in_thread(fn, *args):
    """Runs fn in a thread with its own database connection (autocommit: its writes are committed)."""
    out = {}

    def run():
        try:
            out["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            out["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    return thread, out


@pytest.mark.postgres
@pytest.mark.django_db
def test_two_concurrent_sweeps_escalate_each_overdue_petition_exactly_once(users, categories, demo_compound):
    # A moment long before any demo deadline, so only this test's petitions are due.
    at = datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC)
    count = 120

    def setup():
        rows = []
        for i in range(count):
            p = Petition(district_id=demo_compound.district_id, street_id=demo_compound.street_id,
                         community_id=demo_compound.community_id, compound=demo_compound,
                         category=categories["repair"], description=f"concurrent {i}", handler_kind="community_office",
                         created_at=at - datetime.timedelta(days=2), deadline=at - datetime.timedelta(hours=1),
                         reporter=users["resident"])
            rows.append(p)
        return [p.pk for p in Petition.objects.bulk_create(rows)]

    def cleanup(ids):
        from notifications.models import Notification
        from petitions.models import PetitionEvent

        Notification.objects.filter(target_kind="petition", target_id__in=ids).delete()
        PetitionEvent.objects.filter(petition_id__in=ids)._raw_delete(PetitionEvent.objects.db)
        Petition.objects.filter(pk__in=ids).delete()

    def counts(ids):
        from django.db.models import Count

        return dict(
            Petition.objects.filter(pk__in=ids).annotate(
                n=Count("events", filter=__import__("django.db.models", fromlist=["Q"]).Q(
                    events__kind=EventKind.ESCALATED))
            ).values_list("pk", "n")
        ), list(Petition.objects.filter(pk__in=ids).values_list("level", flat=True).distinct())

    thread, out = _in_thread(setup)
    thread.start()
    thread.join()
    ids = out["value"]
    try:
        barrier = threading.Barrier(2)

        def sweep():
            barrier.wait()
            return services.sweep_deadlines(now=at, batch_size=7)

        threads = [_in_thread(sweep) for _ in range(2)]
        for t, _out in threads:
            t.start()
        for t, _out in threads:
            t.join()
        results = [o.get("value") for _t, o in threads]
        assert all(o.get("error") is None for _t, o in threads), [o.get("error") for _t, o in threads]
        handled = [set(r.petition_ids) & set(ids) for r in results]
        assert not handled[0] & handled[1], "a petition was escalated by both sweeps"
        assert handled[0] | handled[1] == set(ids)
        thread, out = _in_thread(counts, ids)
        thread.start()
        thread.join()
        per_petition, levels = out["value"]
        assert set(per_petition.values()) == {1}
        assert levels == [EscalationLevel.COMMUNITY]
    finally:
        thread, out = _in_thread(cleanup, ids)
        thread.start()
        thread.join()
        assert "error" not in out, out.get("error")


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_sweep_query_uses_the_open_deadline_index():
    from django.db import connection as conn

    qs = services._due_petitions(timezone.now()).select_for_update(skip_locked=True, of=("self",))[:200]
    with conn.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = qs.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "petition_open_deadline" in plan, plan
    assert Status.RESOLVED in services._due_petitions(timezone.now()).query.__str__()


@pytest.mark.django_db
def test_each_department_answers_within_its_own_limit(users, submit, main_district, categories):
    from communities.models import Department
    from petitions.models import DepartmentLimit

    police = Department.objects.get(district=main_district, kind="police")
    fire = Department.objects.get(district=main_district, kind="fire")
    housing = Department.objects.get(district=main_district, kind="housing")
    DepartmentLimit.objects.create(department=police, answer_hours=4)
    DepartmentLimit.objects.create(department=fire, category=categories["repair"], answer_hours=8)
    petition = submit()
    Petition.objects.filter(pk=petition.pk).update(level=EscalationLevel.STREET)
    whistles = {w.department_id: w for w in services.petition_whistle(
        actor=users["street_office"], petition=petition, departments=[police, fire, housing])}
    hours = {k: (w.due_at - w.blown_at).total_seconds() / 3600 for k, w in whistles.items()}
    assert hours == {police.pk: 4, fire.pk: 8, housing.pk: categories["repair"].department_hours}


@pytest.mark.django_db
def test_a_batch_writes_each_petitions_notices_and_queues_one_delivery(users, submit,
                                                                        django_capture_on_commit_callbacks):
    """The sweep writes a batch's escalations together (EscalationBatch): every petition still gets its event and
    its notices, and the batch queues one delivery task for all of them, not one per petition."""
    from notifications.models import Notification

    petitions = [submit() for _ in range(3)]
    at = max(p.deadline for p in petitions) + datetime.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = services.sweep_deadlines(now=at)
    # (the demo's own overdue petitions are swept too: one batch of escalations, plus a task per petition closed
    # unrated and per late department, which notify on their own)
    assert {p.pk for p in petitions} <= set(result.petition_ids) and result.escalated >= 3
    # Besides the figures' recounts (queued once per compound and day and transaction, by petitions.figures.touch;
    # tests/petitions/test_figure_summaries.py holds the sweep's escalations to them), the batch queues one delivery.
    from django.db import connection

    from petitions import figures

    queued = {getattr(func, "key", None) for _sids, func, *_rest in connection.run_on_commit}
    assert {figures._key(p) for p in petitions} <= queued
    others = [c for c in callbacks if not isinstance(c, figures._Refresh)]
    assert len(others) <= 1 + result.closed_unrated + result.departments_late < result.escalated
    for petition in petitions:
        petition.refresh_from_db()
        assert (petition.level, petition.escalations) == (EscalationLevel.COMMUNITY, 1)
        assert petition.events.filter(kind=EventKind.ESCALATED, to_level=EscalationLevel.COMMUNITY).count() == 1
        told = set(Notification.objects.for_target(petition).values_list("user__username", flat=True))
        assert {"community_office", "resident"} <= told
