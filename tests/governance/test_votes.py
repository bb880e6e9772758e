"""Votes: the electorate, ballots, the pre-review gate, closing at the deadline and recomputing."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from communities.models import Household, Person, Residency
from core.errors import DomainError
from governance import selectors, services, tally
from governance.models import Ballot, SupervisoryRecord, Vote, VoteEvent, Voter

pytestmark = pytest.mark.django_db


def test_the_electorate_counts_an_owner_of_several_households_once_with_the_sum_of_areas(demo_compound):
    # given one owner who holds two dwellings of the compound
    h1, h2, h3 = Household.objects.filter(compound=demo_compound).order_by("pk")[5:8]
    owner = Person.objects.create(district_id=demo_compound.district_id, name="Wang")
    Residency.objects.filter(household__in=[h1, h2]).delete()
    Residency.objects.create(person=owner, household=h1)
    Residency.objects.create(person=owner, household=h2)
    # and a co-owner added to a third dwelling, and a tenant
    Residency.objects.create(person=Person.objects.create(district_id=owner.district_id, name="Li"), household=h3)
    Residency.objects.create(person=Person.objects.create(district_id=owner.district_id, name="Zhao"), household=h3,
                             relation=Residency.Relation.TENANT)
    # when the electorate is drawn up
    voters = {v.person_id: v for v in selectors.electorate(demo_compound.pk)}
    # then the owner counts once with both areas, and every dwelling is counted exactly once
    assert voters[owner.pk].area == h1.floor_area + h2.floor_area
    assert sorted(voters[owner.pk].households) == [h1.pk, h2.pk]
    owned = Household.objects.filter(compound=demo_compound, residencies__relation="owner").distinct()
    assert sum(v.area for v in voters.values()) == sum(h.floor_area for h in owned)
    assert sorted(h for v in voters.values() for h in v.households) == sorted(h.pk for h in owned)


def test_a_major_item_does_not_open_before_its_pre_review(users, make_item):
    item = make_item(major=True)
    deadline = timezone.now() + datetime.timedelta(days=7)
    with pytest.raises(DomainError) as refused:
        services.vote_open(actor=users["community_office"], item=item, rule="rule_5030", deadline=deadline)
    assert refused.value.field == "item"
    services.item_pre_review(actor=users["community_office"], item=item, note="The branch agrees")
    vote = services.vote_open(actor=users["community_office"], item=item, rule="rule_5030", deadline=deadline)
    assert vote.status == "open" and vote.result == "pending"
    assert VoteEvent.objects.filter(vote=vote, kind="opened").exists()


def test_a_minor_item_opens_without_pre_review(open_vote):
    assert open_vote().voters.count() > 0


def test_only_the_party_side_records_a_pre_review(users, make_item):
    from django.core.exceptions import PermissionDenied

    item = make_item(major=True)
    with pytest.raises(PermissionDenied):
        services.item_pre_review(actor=users["committee_member"], item=item, note="We agree ourselves")


def test_a_vote_opens_only_in_the_opener_scope(users, make_item):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    item = make_item()
    deadline = timezone.now() + datetime.timedelta(days=7)
    with pytest.raises(PermissionDenied):
        services.vote_open(actor=users["committee_member"], item=item, rule="rule_5030", deadline=deadline)
    with pytest.raises((Http404, PermissionDenied)):
        services.vote_open(actor=users["street_office_2"], item=item, rule="rule_5030", deadline=deadline)


def test_an_owner_casts_one_ballot_and_a_second_is_refused(users, open_vote):
    vote = open_vote()
    ballot = services.ballot_cast(actor=users["resident"], vote=vote, choice="approve")
    assert ballot.channel == "electronic" and ballot.voter.person.user == users["resident"]
    with pytest.raises(DomainError) as refused:
        services.ballot_cast(actor=users["resident"], vote=vote, choice="oppose")
    assert refused.value.field == "choice"
    assert Ballot.objects.filter(vote=vote).count() == 1


def test_the_database_itself_refuses_a_second_ballot(users, open_vote):
    vote = open_vote()
    voter = vote.voters.first()
    Ballot.objects.create(vote=vote, voter=voter, choice="approve", cast_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(vote=vote, voter=voter, choice="oppose", cast_at=timezone.now())


def test_a_proxy_ballot_needs_the_written_authorization_even_in_the_database(open_vote):
    vote = open_vote()
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(vote=vote, voter=vote.voters.first(), choice="approve", channel="proxy",
                              cast_at=timezone.now())


def test_staff_enter_paper_and_proxy_ballots_for_a_named_owner(users, open_vote):
    vote = open_vote()
    v1, v2 = vote.voters.order_by("pk")[:2]
    paper = services.ballot_cast(actor=users["commissioner"], vote=vote, voter=v1, choice="oppose", channel="paper")
    assert paper.entered_by == users["commissioner"]
    with pytest.raises(DomainError):
        services.ballot_cast(actor=users["commissioner"], vote=vote, voter=v2, choice="approve", channel="proxy")
    proxy = services.ballot_cast(actor=users["commissioner"], vote=vote, voter=v2, choice="approve",
                                 channel="proxy", proxy_name="Zhang San", proxy_authorization="Letter no. 7")
    assert proxy.channel == "proxy"


def test_residents_and_committee_members_do_not_enter_paper_ballots(users, open_vote):
    from django.core.exceptions import PermissionDenied

    vote = open_vote()
    voter = vote.voters.order_by("pk").last()
    for login in ("resident", "committee_member", "firm_staff"):
        with pytest.raises(PermissionDenied):
            services.ballot_cast(actor=users[login], vote=vote, voter=voter, choice="approve", channel="paper")


def test_a_tenant_or_a_stranger_cannot_vote(users, open_vote):
    from django.http import Http404

    vote = open_vote()
    with pytest.raises(DomainError) as refused:
        services.ballot_cast(actor=users["commissioner"], vote=vote, choice="approve")
    assert refused.value.field == "voter"
    with pytest.raises(Http404):
        services.ballot_cast(actor=users["resident_2"], vote=vote, choice="approve")


def test_no_ballot_after_the_deadline(users, open_vote):
    vote = open_vote()
    with pytest.raises(DomainError):
        services.ballot_cast(actor=users["resident"], vote=vote, choice="approve",
                             now=vote.deadline + datetime.timedelta(seconds=1))


def _cast_many(vote, share_approve, share_part):
    voters = list(vote.voters.order_by("pk"))
    n = int(len(voters) * share_part)
    Ballot.objects.bulk_create([
        Ballot(vote=vote, voter=v, choice="approve" if i < n * share_approve else "oppose", channel="paper",
               cast_at=vote.opened_at)
        for i, v in enumerate(voters[:n])
    ])


def test_the_sweep_closes_due_votes_once_and_the_result_recomputes_to_the_same(open_vote):
    # given two votes, one due
    due, later = open_vote(days=1), open_vote(days=30)
    _cast_many(due, share_approve=0.9, share_part=0.9)
    now = due.deadline + datetime.timedelta(minutes=1)
    # when the sweep runs twice
    assert services.votes_close_due(now=now) == 1
    assert services.votes_close_due(now=now) == 0
    # then the due vote is closed with its counts and result, the other still open
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, due.result) == ("closed", "passed")
    assert later.status == "open"
    assert services.vote_recompute(due) == due.result
    assert tally.Counts.from_json(due.counts) == selectors.vote_counts(due)
    assert VoteEvent.objects.filter(vote=due, kind="closed").count() == 1
    # and the decision is in the supervisory record, one matter one record
    record = SupervisoryRecord.objects.get(item=due.item)
    assert record.published_at is not None and record.decision


def test_the_celery_task_closes_due_votes(open_vote):
    from governance.tasks import close_due_votes

    vote = open_vote()
    Vote.objects.filter(pk=vote.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1),
                                           opened_at=timezone.now() - datetime.timedelta(days=1))
    assert close_due_votes.delay().get() == 1
    vote.refresh_from_db()
    assert vote.status == "closed" and vote.result in ("passed", "failed")


def test_a_vote_without_quorum_fails(open_vote):
    vote = open_vote()
    _cast_many(vote, share_approve=1, share_part=0.5)
    vote = services.vote_close(actor=None, vote=vote)
    assert vote.result == "failed"


def test_live_turnout_and_households_not_yet_voted_per_building(users, open_vote):
    vote = open_vote()
    services.ballot_cast(actor=users["resident"], vote=vote, choice="approve")
    summary = selectors.vote_summary(vote)
    voter = Voter.objects.get(vote=vote, person__user=users["resident"])
    eligible = vote.voters.count()
    assert summary["counts"]["participating_heads"] == 1
    assert summary["counts"]["approve_area"] == str(voter.area)
    assert summary["turnout_heads"] == f"{1 / eligible:.4f}"
    assert summary["result"] == "pending"
    pending = selectors.households_not_voted(vote)
    listed = [h["id"] for b in pending for h in b["households"]]
    assert not set(voter.households) & set(listed)
    assert len(listed) == sum(len(v.households) for v in vote.voters.exclude(pk=voter.pk))
    assert all(b["count"] == len(b["households"]) for b in pending)


def test_areas_are_exact(users, open_vote):
    vote = open_vote()
    counts = selectors.vote_counts(vote)
    total = sum(Voter.objects.filter(vote=vote).values_list("area", flat=True), Decimal("0"))
    assert counts.eligible_area == tally.exact(total)
