"""The state table, every service's rules, routing and the rating rules."""

import contextlib
import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from communities.models import Department, ManagementMode
from core.errors import DomainError
from notifications.models import Notification
from petitions import services
from petitions.models import (
    TRANSITIONS,
    CloseReason,
    DeadlineKind,
    EscalationLevel,
    EventKind,
    HandlerKind,
    Petition,
    PetitionEvent,
    Source,
    Status,
)

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def raises_on(field):
    """A domain error about `field` (messages are translated, so tests look at the field)."""
    with pytest.raises(DomainError) as error:
        yield error
    assert error.value.field == field, error.value.message
ALL_MOVES = list(itertools.product(Status.values, Status.values))


@pytest.mark.parametrize("from_status,to_status", ALL_MOVES)
def test_the_state_table_allows_exactly_its_moves(from_status, to_status):
    petition = Petition(status=from_status)
    if to_status in TRANSITIONS[from_status]:
        assert petition.transition_to(to_status) == from_status
        assert petition.status == to_status
    else:
        with pytest.raises(DomainError) as error:
            petition.transition_to(to_status)
        assert error.value.field == "status"
        assert petition.status == from_status


def test_a_resident_submission_is_routed_to_the_firm_and_its_clock_runs(submit, demo_compound, categories,
                                                                       django_capture_on_commit_callbacks):
    # given the demo compound, professional with an active contract
    assert demo_compound.management_mode == ManagementMode.PROFESSIONAL
    before = timezone.now()
    # when the resident submits without naming the compound
    with django_capture_on_commit_callbacks(execute=True):
        petition = submit()
    # then
    assert petition.compound == demo_compound
    assert (petition.status, petition.level, petition.handler_kind) == (
        Status.SUBMITTED, EscalationLevel.COMPOUND, HandlerKind.FIRM)
    assert petition.deadline_kind == DeadlineKind.ACCEPT
    assert before + datetime.timedelta(hours=categories["repair"].accept_hours) <= petition.deadline
    assert list(petition.events.values_list("kind", flat=True)) == [EventKind.CREATED]
    assert Notification.objects.for_target(petition).filter(user__username="firm_staff").exists()


def test_routing_follows_category_and_management_mode(users, categories, main_district, demo_compound):
    from communities.models import Compound

    dept = services.route(compound=demo_compound, category=categories["security"])
    assert dept == {"handler_kind": HandlerKind.DEPARTMENT,
                    "handler_department_id": Department.objects.get(district=main_district, kind="police").pk}
    assert services.route(compound=demo_compound, category=categories["neighbours"])["handler_kind"] \
        == HandlerKind.COMMUNITY_OFFICE
    unmanaged = Compound.objects.filter(district=main_district, management_mode=ManagementMode.UNMANAGED).first()
    assert services.route(compound=unmanaged, category=categories["repair"])["handler_kind"] \
        == HandlerKind.COMMUNITY_OFFICE
    self_managed = Compound.objects.filter(
        district=main_district, management_mode=ManagementMode.SELF_MANAGED, bodies__isnull=False).first()
    assert services.route(compound=self_managed, category=categories["repair"])["handler_kind"] \
        == HandlerKind.COMMITTEE


def test_the_whole_loop_from_submission_to_a_good_rating(users, submit):
    petition = submit()
    firm = users["firm_staff"]
    services.petition_accept(actor=firm, petition=petition)
    services.petition_start(actor=firm, petition=petition)
    services.petition_reply(actor=firm, petition=petition, text="已更换灯泡")
    petition = services.petition_resolve(actor=firm, petition=petition)
    assert petition.deadline_kind == DeadlineKind.RATE
    assert petition.settled_level == EscalationLevel.COMPOUND and petition.resolved_on_time
    petition = services.petition_rate(actor=users["resident"], petition=petition, rating=5, comment="很好")
    assert (petition.status, petition.close_reason, petition.deadline) == (Status.CLOSED, CloseReason.RATED, None)
    moves = list(petition.events.filter(kind=EventKind.TRANSITION).values_list("from_status", "to_status"))
    assert moves == [("submitted", "accepted"), ("accepted", "in_progress"), ("in_progress", "resolved"),
                     ("resolved", "closed")]
    assert petition.events.filter(kind=EventKind.REPLY).count() == 1


def test_resolving_needs_a_reply_first(users, submit):
    petition = submit()
    services.petition_accept(actor=users["firm_staff"], petition=petition)
    with raises_on("reply"):
        services.petition_resolve(actor=users["firm_staff"], petition=petition)


@pytest.mark.parametrize("service,kwargs", [
    (services.petition_accept, {}),
    (services.petition_start, {}),
    (services.petition_reject, {"reason": "x"}),
    (services.petition_transfer, {"to": "community_office"}),
])
def test_a_closed_petition_refuses_every_move(users, submit, service, kwargs):
    petition = submit()
    firm = users["firm_staff"]
    services.petition_accept(actor=firm, petition=petition)
    services.petition_reply(actor=firm, petition=petition, text="ok")
    services.petition_resolve(actor=firm, petition=petition)
    services.petition_rate(actor=users["resident"], petition=petition, rating=4)
    with raises_on("status"):
        service(actor=firm, petition=petition, **kwargs)


def test_reject_needs_a_reason_and_ends_the_road(users, submit):
    petition = submit()
    with pytest.raises(DomainError):
        services.petition_reject(actor=users["firm_staff"], petition=petition, reason=" ")
    petition = services.petition_reject(actor=users["firm_staff"], petition=petition, reason="不属于受理范围")
    assert petition.status == Status.REJECTED and petition.deadline is None
    with pytest.raises(DomainError):
        services.petition_accept(actor=users["firm_staff"], petition=petition)


def test_transfer_hands_over_and_the_new_handler_accepts(users, submit):
    petition = submit()
    petition = services.petition_transfer(actor=users["firm_staff"], petition=petition, to="committee")
    assert (petition.status, petition.handler_kind, petition.handler_firm_id) == (
        Status.TRANSFERRED, HandlerKind.COMMITTEE, None)
    # the firm no longer handles (nor sees) it; the committee does
    with pytest.raises(Http404):
        services.petition_accept(actor=users["firm_staff"], petition=petition)
    petition = services.petition_accept(actor=users["committee_member"], petition=petition)
    assert petition.status == Status.ACCEPTED
    with raises_on("to"):
        services.petition_transfer(actor=users["committee_member"], petition=petition, to="committee")


def test_transfer_to_a_department_of_another_district_is_refused(users, submit):
    other = Department.objects.exclude(district=submit().district).first()
    petition = submit()
    with pytest.raises(DomainError):
        services.petition_transfer(actor=users["firm_staff"], petition=petition, to="department", department=other)


# --- rating rules -----------------------------------------------------------------------------------------

def _resolved(users, submit):
    petition = submit()
    firm = users["firm_staff"]
    services.petition_accept(actor=firm, petition=petition)
    return _resolve_again(users, petition)


def _resolve_again(users, petition):
    firm = users["firm_staff"]
    services.petition_reply(actor=firm, petition=petition, text="已处理")
    return services.petition_resolve(actor=firm, petition=petition)


def test_a_low_rating_reopens_once_and_a_second_escalates(users, submit):
    petition = _resolved(users, submit)
    petition = services.petition_rate(actor=users["resident"], petition=petition, rating=2, comment="没修好")
    assert (petition.status, petition.level, petition.low_ratings) == (Status.REOPENED, "compound", 1)
    assert petition.replied_at is None  # a new reply is owed
    with raises_on("reply"):
        services.petition_resolve(actor=users["firm_staff"], petition=petition)
    petition = _resolve_again(users, petition)
    petition = services.petition_rate(actor=users["resident"], petition=petition, rating=1)
    assert (petition.status, petition.level, petition.low_ratings) == (Status.REOPENED, "community", 2)
    assert petition.events.filter(kind=EventKind.ESCALATED, to_level="community").count() == 1
    assert Notification.objects.for_target(petition).filter(user__username="community_office").exists()


def test_a_rating_of_three_closes(users, submit):
    petition = services.petition_rate(actor=users["resident"], petition=_resolved(users, submit), rating=3)
    assert petition.status == Status.CLOSED and petition.close_reason == CloseReason.RATED


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_ratings_outside_one_to_five_are_refused(users, submit, rating):
    with pytest.raises(DomainError):
        services.petition_rate(actor=users["resident"], petition=_resolved(users, submit), rating=rating)


def test_only_a_resolved_petition_is_rated(users, submit):
    with raises_on("status"):
        services.petition_rate(actor=users["resident"], petition=submit(), rating=5)


@pytest.mark.parametrize("login,error", [
    ("firm_staff", PermissionDenied), ("street_office", PermissionDenied), ("admin", PermissionDenied),
    ("resident_2", Http404),
])
def test_only_the_reporter_rates(users, submit, login, error):
    petition = _resolved(users, submit)
    with pytest.raises(error):
        services.petition_rate(actor=users[login], petition=petition, rating=5)


def test_no_rating_within_seven_days_closes_as_not_rated(users, submit):
    petition = _resolved(users, submit)
    services.sweep_deadlines(now=petition.deadline - datetime.timedelta(seconds=1))
    petition.refresh_from_db()
    assert petition.status == Status.RESOLVED
    result = services.sweep_deadlines(now=petition.deadline + datetime.timedelta(seconds=1))
    petition.refresh_from_db()
    assert petition.pk in result.petition_ids
    assert (petition.status, petition.close_reason, petition.rating) == (Status.CLOSED, CloseReason.NOT_RATED, None)


# --- intake -----------------------------------------------------------------------------------------------

def test_a_resident_cannot_submit_for_another_compound(users, categories):
    from communities.demo import first_compound

    other = first_compound(categories["repair"].district, 1)
    with raises_on("compound"):
        services.petition_submit(actor=users["resident"], category=categories["repair"], description="x",
                                 compound=other)


def test_staff_cannot_submit_as_a_resident(users, categories):
    with pytest.raises(PermissionDenied):
        services.petition_submit(actor=users["street_office"], category=categories["repair"], description="x")


def test_a_category_of_another_district_is_refused(users, demo_compound):
    from petitions.models import Category

    foreign = Category.objects.exclude(district=demo_compound.district).first()
    with raises_on("category"):
        services.petition_submit(actor=users["resident"], category=foreign, description="x")


def test_the_same_external_reference_from_the_same_channel_is_accepted_once(users, categories, demo_compound):
    record = dict(actor=users["street_office"], compound=demo_compound, category=categories["repair"],
                  description="12345 工单", source=Source.HOTLINE_12345, external_ref="HL-2026-0001")
    first = services.petition_record(**record)
    with raises_on("external_ref"):
        services.petition_record(**record)
    # another channel may carry the same number
    other = services.petition_record(**{**record, "source": Source.LETTERS_VISITS})
    assert first.pk != other.pk
    assert Petition.objects.filter(external_ref="HL-2026-0001").count() == 2


@pytest.mark.parametrize("login,allowed", [
    ("district_center", True), ("street_office", True), ("community_office", True), ("commissioner", True),
    ("firm_staff", True), ("committee_member", True), ("district_org", False), ("department_staff", False),
    ("street_office_2", False), ("district_org_b", False),
])
def test_who_records_petitions_from_other_channels(users, categories, demo_compound, login, allowed):
    call = lambda: services.petition_record(  # noqa: E731
        actor=users[login], compound=demo_compound, category=categories["repair"], description="来电",
        source=Source.PHONE)
    if allowed:
        assert call().recorded_by == users[login]
    else:
        with pytest.raises((PermissionDenied, Http404)):
            call()


def test_merge_closes_the_duplicate_and_both_keep_the_link(users, submit):
    original, duplicate = submit(), submit(description="楼道灯又坏了")
    services.petition_merge(actor=users["firm_staff"], duplicate=duplicate, original=original)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.close_reason, duplicate.duplicate_of) == (
        Status.CLOSED, CloseReason.MERGED, original)
    assert list(original.duplicates.all()) == [duplicate]
    assert original.events.filter(kind=EventKind.MERGED).exists()
    with pytest.raises(DomainError):
        services.petition_merge(actor=users["firm_staff"], duplicate=original, original=original)


def test_timeline_events_are_immutable(submit):
    event = PetitionEvent.objects.filter(petition=submit()).first()
    event.note = "changed"
    with pytest.raises(DomainError):
        event.save()
    with pytest.raises(DomainError):
        event.delete()


def test_bulk_accept_accepts_what_the_actor_may(users, submit, categories):
    mine = [submit(), submit()]
    police = submit("security")
    accepted = services.petition_bulk_accept(actor=users["firm_staff"], petitions=[*mine, police])
    assert {p.pk for p in accepted} == {p.pk for p in mine}
