"""Every write of the governance side: vetting, meetings and items, votes and ballots, the supervisory record."""

import datetime
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community, Department, Role, RoleAssignment
from communities.scope import scope_for
from communities.selectors import users_with_role
from core.db import violated_constraint
from core.errors import DomainError
from governance import tally
from governance.models import (
    AgendaItem,
    Ballot,
    Body,
    BodyMember,
    CampaignRecord,
    Candidate,
    CouncilMember,
    CrossAppointment,
    Evaluation,
    ListItem,
    Meeting,
    PartyOrganization,
    PartyOrganizationMember,
    Rule,
    StreetOffice,
    SupervisoryRecord,
    TermReminder,
    Vetting,
    Vote,
    VoteEvent,
    Voter,
    WorkRequest,
)
from governance.policies import (
    agenda_item_policy,
    campaign_record_policy,
    candidate_policy,
    cross_appointment_policy,
    evaluation_policy,
    meeting_policy,
    party_organization_policy,
    post_holders_q,
    street_office_policy,
    vetting_policy,
    vote_policy,
    work_request_policy,
)
from governance.selectors import candidate_is_electable, council_electorate, electorate, vote_counts
from notifications.services import notify
from properties.documents import validate_document
from properties.selectors import firm_serves

# The departments that vet candidates unless the district names others.
DEFAULT_VETTING_KINDS = (Department.Kind.POLICE, Department.Kind.COURT, Department.Kind.URBAN_MANAGEMENT)


# --- candidates and vetting ------------------------------------------------------------------------------------

@transaction.atomic
def candidate_send_for_vetting(*, actor, candidate: Candidate, departments=None) -> list[Vetting]:
    """Asks each department (default: police, court, urban management) to pass or fail the candidate."""
    candidate_policy.require(actor, "change", candidate)
    if departments is None:
        departments = Department.objects.filter(district_id=candidate.district_id, kind__in=DEFAULT_VETTING_KINDS)
    departments = list(departments)
    if any(d.district_id != candidate.district_id for d in departments):
        raise DomainError(_("Vetting departments must belong to the candidate's district."), field="departments")
    Vetting.objects.bulk_create(
        [Vetting(candidate=candidate, department=d) for d in departments], ignore_conflicts=True
    )
    return list(candidate.vettings.all())


@transaction.atomic
def vetting_answer(*, actor, vetting: Vetting, outcome: str, reason: str = "") -> Vetting:
    """The department's answer: pass, or fail with a reason. An answer once given stays."""
    vetting = Vetting.objects.select_for_update().get(pk=vetting.pk)
    vetting_policy.require(actor, "answer", vetting)
    if outcome not in (Vetting.Outcome.PASS, Vetting.Outcome.FAIL):
        raise DomainError(_("Answer pass or fail."), field="outcome")
    if vetting.outcome != Vetting.Outcome.PENDING:
        raise DomainError(_("This candidate has already been answered."), field="outcome")
    if outcome == Vetting.Outcome.FAIL and not reason.strip():
        raise DomainError(_("Give the reason for a fail."), field="reason")
    vetting.outcome, vetting.reason = outcome, reason.strip()
    vetting.answered_at, vetting.answered_by = timezone.now(), actor
    vetting.save()
    return vetting


@transaction.atomic
def candidate_elect(*, actor, candidate: Candidate, body: Body, office: str = BodyMember.Office.MEMBER) -> BodyMember:
    """Seats an elected candidate on the body; refused unless every vetting department passed them."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    candidate_policy.require(actor, "change", candidate)
    if body.compound_id != candidate.compound_id:
        raise DomainError(_("The body must be of the candidate's compound."), field="body")
    if not candidate_is_electable(candidate):
        raise DomainError(_("Only a candidate every vetting department passed can be elected."), field="candidate")
    member, _created = BodyMember.objects.get_or_create(
        body=body, person_id=candidate.person_id,
        defaults={"office": office, "is_party_member": candidate.is_party_member},
    )
    candidate.elected_to = body
    candidate.save(update_fields=["elected_to"])
    return member


# --- meetings and items ----------------------------------------------------------------------------------------

@transaction.atomic
def meeting_create(*, actor, compound, kind: str, title: str, held_at: datetime.datetime, attendees: str = "",
                   minutes: str = "") -> Meeting:
    meeting = Meeting(compound=compound, kind=kind, title=title, held_at=held_at, attendees=attendees,
                      minutes=minutes, convened_by=actor)
    meeting.derive_ancestors()
    meeting_policy.require(actor, "add", meeting)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def item_add(*, actor, meeting: Meeting, title: str, description: str = "", is_major: bool = False) -> AgendaItem:
    item = AgendaItem(meeting=meeting, title=title, description=description, is_major=is_major)
    item.derive_ancestors()
    agenda_item_policy.require(actor, "add", item)
    item.save()
    return item


@transaction.atomic
def item_pre_review(*, actor, item: AgendaItem, note: str) -> AgendaItem:
    """Records the party organization's pre-review (先议先审) of a matter."""
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    agenda_item_policy.require(actor, "pre_review", item)
    if not note.strip():
        raise DomainError(_("Record the party organization's opinion."), field="note")
    item.pre_reviewed_at, item.pre_reviewed_by, item.pre_review_note = timezone.now(), actor, note.strip()
    item.save(update_fields=["pre_reviewed_at", "pre_reviewed_by", "pre_review_note"])
    return item


@transaction.atomic
def item_decide(*, actor, item: AgendaItem, decision: str) -> SupervisoryRecord:
    """Records a meeting's decision on an item and logs it in the supervisory record, published to owners."""
    item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    agenda_item_policy.require(actor, "change", item)
    if not decision.strip():
        raise DomainError(_("State the decision."), field="decision")
    item.decision = decision.strip()
    item.save(update_fields=["decision"])
    return _record(item, item.decision, actor)


def _record(item: AgendaItem, decision: str, actor) -> SupervisoryRecord:
    """One matter, one record: the item's record is created once and brought up to date after."""
    now = timezone.now()
    record, _created = SupervisoryRecord.objects.update_or_create(
        item=item,
        defaults={
            "district_id": item.district_id, "compound_id": item.compound_id, "matter": item.title[:200],
            "meeting_kind": item.meeting.kind, "decision": decision, "recorded_at": now, "published_at": now,
            "recorded_by": actor,
        },
    )
    return record


# --- votes -----------------------------------------------------------------------------------------------------

COUNCIL_RULES = (Rule.RULE_5030, Rule.SIMPLE_MAJORITY)


@transaction.atomic
def meeting_set_council(*, actor, meeting: Meeting, members) -> list[CouncilMember]:
    """Records a quarterly council's members as (person, capacity) pairs, replacing the earlier list; a council
    that has already opened a vote keeps its members, since they are that vote's electorate."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    meeting_policy.require(actor, "change", meeting)
    members = list(members)
    council_members_check(meeting, members)
    rows = {person.pk: CouncilMember(meeting=meeting, person=person, capacity=capacity) for person, capacity in members}
    CouncilMember.objects.filter(meeting=meeting).delete()
    return CouncilMember.objects.bulk_create(rows.values())


def council_members_check(meeting: Meeting, members) -> None:
    """Refuses a list of (person, capacity) as a council's members: only a quarterly council has members, a council
    that has opened a vote keeps them (they are that vote's electorate), and they are people of its district. The
    service and the admin's inline both ask here."""
    if meeting.kind != Meeting.Kind.QUARTERLY_COUNCIL:
        raise DomainError(_("Only a quarterly council has members."), field="meeting")
    if Vote.objects.filter(item__meeting=meeting).exists():
        raise DomainError(_("The council has voted already; its members can no longer change."), field="meeting")
    for person, capacity in members:
        if capacity not in CouncilMember.Capacity.values:
            raise DomainError(_("Unknown capacity."), field="capacity")
        if person.district_id != meeting.district_id:
            raise DomainError(_("Council members must be people of the meeting's district."), field="person")


@transaction.atomic
def vote_open(*, actor, item: AgendaItem, rule: str, deadline: datetime.datetime, now=None) -> Vote:
    """Opens a vote on an item with its rule, fixing the electorate; a major item needs its pre-review first."""
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    now = now or timezone.now()
    is_council = item.meeting.kind == Meeting.Kind.QUARTERLY_COUNCIL
    vote = Vote(item=item, rule=rule, opened_at=now, deadline=deadline, opened_by=actor, is_council=is_council)
    vote.derive_ancestors()
    vote_policy.require(actor, "add", vote)
    if rule not in Rule.values:
        raise DomainError(_("Choose one of the decision rules."), field="rule")
    if deadline <= now:
        raise DomainError(_("The deadline must lie in the future."), field="deadline")
    if item.is_major and item.pre_reviewed_at is None:
        raise DomainError(
            _("A major matter opens for a vote only after the party organization's pre-review."), field="item"
        )
    if Vote.objects.filter(item=item, status=Vote.Status.OPEN).exists():
        raise DomainError(_("A vote on this item is already open."), field="item")
    if is_council:
        # The 5030 rule counts the council's members (eligible voters = the members of the council).
        if rule not in COUNCIL_RULES:
            raise DomainError(_("A council decides by the 5030 rule or by simple majority."), field="rule")
        voters = council_electorate(item.meeting_id)
        if not voters:
            raise DomainError(_("Record the council's members before it votes."), field="item")
    else:
        voters = electorate(item.compound_id)
        if not voters:
            raise DomainError(_("No owners are recorded in this compound."), field="item")
    vote.save()
    for voter in voters:
        voter.vote = vote
    Voter.objects.bulk_create(voters, batch_size=2000)
    VoteEvent.objects.create(vote=vote, kind=VoteEvent.Kind.OPENED, actor=actor,
                             detail={"rule": rule, "eligible_heads": len(voters)})
    return vote


def _voter_for(vote: Vote, person_id) -> Voter:
    voter = Voter.objects.filter(vote=vote, person_id=person_id).first()
    if voter is None:
        raise DomainError(_("Only the eligible voters may vote on this."), field="voter")
    return voter


def ballot_cast(*, actor, vote: Vote, choice: str, voter: Voter | None = None,
                channel: str = Ballot.Channel.ELECTRONIC, proxy_name: str = "", proxy_authorization: str = "",
                now=None) -> Ballot:
    """Casts one ballot. Owners cast their own electronically; paper and proxy ballots are entered by the
    commissioner or the community office for the voter named. A second ballot is refused by the database."""
    try:
        with transaction.atomic():
            return _ballot_cast(actor=actor, vote=vote, choice=choice, voter=voter, channel=channel,
                                proxy_name=proxy_name, proxy_authorization=proxy_authorization, now=now)
    except IntegrityError as exc:
        if violated_constraint(exc, Ballot) == "ballot_one_per_voter":
            raise DomainError(_("This owner has already voted."), field="choice") from exc
        raise


def _ballot_cast(*, actor, vote, choice, voter, channel, proxy_name, proxy_authorization, now) -> Ballot:
    # The lock orders ballots against the closing of the vote; the unique constraint decides duplicates.
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    now = now or timezone.now()
    if not vote_policy.can(actor, "view", vote):
        raise Http404
    if vote.status != Vote.Status.OPEN or now >= vote.deadline:
        raise DomainError(_("This vote is closed."), field="choice")
    if choice not in Ballot.Choice.values:
        raise DomainError(_("Choose approve, oppose or abstain."), field="choice")
    if channel == Ballot.Channel.ELECTRONIC:
        if voter is not None and voter.person.user_id != actor.pk:
            raise DomainError(_("An electronic ballot is cast by the owner in person."), field="channel")
        person_id = getattr(getattr(actor, "person", None), "pk", None)
        voter = _voter_for(vote, person_id)
    else:
        vote_policy.require(actor, "enter_ballot", vote)
        if voter is None or voter.vote_id != vote.pk:
            raise DomainError(_("Name the owner whose ballot this is."), field="voter")
        if channel == Ballot.Channel.PROXY and not (proxy_name.strip() and proxy_authorization.strip()):
            raise DomainError(_("A proxy ballot needs the proxy's name and the written authorization."),
                              field="proxy_authorization")
        if channel not in Ballot.Channel.values:
            raise DomainError(_("Unknown channel."), field="channel")
    return Ballot.objects.create(
        vote=vote, voter=voter, choice=choice, channel=channel, proxy_name=proxy_name.strip(),
        proxy_authorization=proxy_authorization.strip(), cast_at=now,
        entered_by=actor,
    )


@transaction.atomic
def vote_close(*, actor, vote: Vote, now=None) -> Vote:
    """Closes an open vote: counts the ballots, stores the counts and the result, logs the decision."""
    vote = Vote.objects.select_for_update().select_related("item__meeting").get(pk=vote.pk)
    if actor is not None:
        vote_policy.require(actor, "change", vote)
    if vote.status != Vote.Status.OPEN:
        raise DomainError(_("This vote is already closed."), field="status")
    now = now or timezone.now()
    counts = vote_counts(vote)
    vote.status, vote.closed_at = Vote.Status.CLOSED, now
    vote.result = tally.result(vote.rule, counts, closed=True)
    vote.counts = counts.as_json()
    vote.save(update_fields=["status", "closed_at", "result", "counts"])
    VoteEvent.objects.create(vote=vote, kind=VoteEvent.Kind.CLOSED, actor=actor, detail={"result": vote.result})
    label = Vote.Result(vote.result).label
    if vote.is_council:
        template = _("%(result)s under %(rule)s: %(approve)s approve, %(oppose)s oppose, %(abstain)s abstain "
                     "of %(eligible)s council members.")
    else:
        template = _("%(result)s under %(rule)s: %(approve)s approve, %(oppose)s oppose, %(abstain)s abstain "
                     "of %(eligible)s owners.")
    decision = template % {
        "result": label, "rule": Rule(vote.rule).label, "approve": counts.approve_heads,
        "oppose": counts.oppose_heads, "abstain": counts.abstain_heads, "eligible": counts.eligible_heads,
    }
    _record(vote.item, decision, actor)
    return vote


def vote_recompute(vote: Vote) -> str:
    """The result recomputed from the ballots now (equal to the stored one for a closed vote)."""
    return tally.result(vote.rule, vote_counts(vote), closed=vote.status == Vote.Status.CLOSED)


def votes_close_due(*, now=None, batch: int = 100) -> int:
    """Closes every open vote past its deadline, claiming rows with SKIP LOCKED; safe to run twice at once."""
    now = now or timezone.now()
    closed = 0
    while True:
        with transaction.atomic():
            due = list(
                Vote.objects.select_for_update(skip_locked=True)
                .filter(status=Vote.Status.OPEN, deadline__lte=now).order_by("deadline")[:batch]
            )
            for vote in due:
                vote_close(actor=None, vote=vote, now=now)
        closed += len(due)
        if len(due) < batch:
            return closed


# --- terms and evaluations -------------------------------------------------------------------------------------

REMINDER_DAYS = ((TermReminder.Kind.DAYS_30, 30), (TermReminder.Kind.DAYS_90, 90))


@transaction.atomic
def bodies_remind_terms(*, today: datetime.date | None = None) -> int:
    """Reminds the community office of terms ending within 90 and 30 days and flags lapsed ones; each reminder
    once per term, so the daily run may repeat or be missed without harm. The community office gets one in-app
    notification (and e-mail) per community listing its new reminders."""
    today = today or timezone.localdate()
    bodies = Body.objects.filter(term_ends_on__isnull=False, term_ends_on__lte=today + datetime.timedelta(days=90))
    rows = bodies.values_list("pk", "district_id", "term_ends_on", "kind", "compound__name",
                              "compound__community_id")
    existing = set(
        TermReminder.objects.filter(body__in=bodies.values("pk")).values_list("body_id", "term_ends_on", "kind")
    )
    new, by_community, bodies_of = [], defaultdict(list), defaultdict(list)
    for body_id, district_id, ends, body_kind, compound_name, community_id in rows:
        days = (ends - today).days
        if days < 0:
            kind = TermReminder.Kind.LAPSED
        else:
            kind = next(k for k, limit in REMINDER_DAYS if days <= limit)
        if (body_id, ends, kind) in existing:
            continue
        new.append(TermReminder(body_id=body_id, district_id=district_id, term_ends_on=ends, kind=kind))
        bodies_of[community_id].append(body_id)
        by_community[community_id].append(_("%(compound)s %(body)s: %(reminder)s (%(date)s)") % {
            "compound": compound_name, "body": Body.Kind(body_kind).label, "reminder": TermReminder.Kind(kind).label,
            "date": ends.isoformat(),
        })
    TermReminder.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    _notify_community_offices(by_community, bodies_of)
    return len(new)


def _notify_community_offices(by_community: dict[int, list[str]], bodies_of: dict[int, list[int]]) -> None:
    """One notice per community; it opens the body when it is about one body (several are listed in its text)."""
    offices = defaultdict(list)
    for community_id, user_id in RoleAssignment.objects.filter(
        role=Role.COMMUNITY_OFFICE, community_id__in=list(by_community), user__is_active=True,
    ).values_list("community_id", "user_id"):
        offices[community_id].append(user_id)
    for community_id, lines in by_community.items():
        if offices.get(community_id):
            bodies = bodies_of[community_id]
            notify(offices[community_id], target=Body(pk=bodies[0]) if len(bodies) == 1 else None,
                   subject=_("Terms of %(count)s compound bodies end soon or have lapsed") % {"count": len(lines)},
                   body="\n".join(lines))


@transaction.atomic
def evaluation_record(*, actor, body: Body, year: int, rating: str, evaluators: str, reasons: str) -> Evaluation:
    """The annual rating of an owners' committee or self-management committee, once a year, kept as history."""
    evaluation = Evaluation(district_id=body.district_id, body=body, year=year, rating=rating,
                            evaluators=evaluators, reasons=reasons)
    evaluation_policy.require(actor, "add", evaluation)
    evaluation_check(evaluation)
    evaluation.full_clean()
    evaluation.save()
    return evaluation


def evaluation_check(evaluation: Evaluation) -> None:
    """The rules of an evaluation, for the service and the admin's form alike: only the owners' own committees
    are evaluated, a rating other than average gives its reasons, one evaluation a year."""
    if evaluation.body.kind not in Body.SELF_GOVERNING_KINDS:
        raise DomainError(_("Only owners' and self-management committees are evaluated."), field="body")
    if evaluation.rating != Evaluation.Rating.AVERAGE and not (evaluation.reasons or "").strip():
        raise DomainError(_("Give the reasons for this rating."), field="reasons")
    if Evaluation.objects.filter(body=evaluation.body, year=evaluation.year).exclude(pk=evaluation.pk).exists():
        raise DomainError(_("This committee has already been evaluated for this year."), field="year")


# --- department work in communities ----------------------------------------------------------------------------

@transaction.atomic
def work_request_submit(*, actor, department: Department, community: Community, title: str,
                        description: str = "", list_item: ListItem | None = None) -> WorkRequest:
    """A department asks to bring work into a community: allowed at once for an item on the district's access
    list, otherwise it waits for the street office (notified in-app)."""
    scope = scope_for(actor)
    if not (scope.is_superuser or department.pk in scope.departments):
        raise DomainError(_("Only the department's own staff ask for it."), field="department")
    if community.district_id != department.district_id:
        raise DomainError(_("The community must lie in the department's district."), field="community")
    if not title.strip():
        raise DomainError(_("Say what work it is."), field="title")
    if list_item is not None and not (
        list_item.district_id == department.district_id and list_item.kind == ListItem.Kind.ACCESS
        and list_item.is_active
    ):
        raise DomainError(_("Only an item in force on the district's access list lets work in directly."),
                          field="list_item")
    request = WorkRequest(
        community=community, department=department, list_item=list_item, title=title.strip(),
        description=description.strip(), requested_by=actor,
        status=WorkRequest.Status.ALLOWED if list_item else WorkRequest.Status.PENDING,
    )
    request.save()
    if request.status == WorkRequest.Status.PENDING:
        notify(users_with_role(Role.STREET_OFFICE, street_id=request.street_id), target=request,
               subject=_("%(department)s asks to bring work into %(community)s") % {
                   "department": department.name, "community": community.name},
               body=request.title)
    return request


@transaction.atomic
def work_request_decide(*, actor, request: WorkRequest, approve: bool, note: str = "") -> WorkRequest:
    """The street office approves or refuses work that is not on the access list (refusal with a reason)."""
    request = WorkRequest.objects.select_for_update().get(pk=request.pk)
    work_request_policy.require(actor, "decide", request)
    if request.status != WorkRequest.Status.PENDING:
        raise DomainError(_("This request has been decided already."), field="status")
    if not approve and not note.strip():
        raise DomainError(_("Give the reason for refusing."), field="note")
    request.status = WorkRequest.Status.APPROVED if approve else WorkRequest.Status.REFUSED
    request.decided_at, request.decided_by, request.decision_note = timezone.now(), actor, note.strip()[:300]
    request.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    if request.requested_by_id:
        notify([request.requested_by_id], target=request, subject=_("Your work request: %(status)s") % {
            "status": request.get_status_display()}, body=request.title)
    return request


# --- party-organization members and cross-appointments (交叉任职) ----------------------------------------------

@transaction.atomic
def party_org_member_set(*, actor, organization: PartyOrganization, person, post: str,
                         is_part_time: bool = False) -> PartyOrganizationMember:
    """Gives the person a post in the organization (adding them if need be). A new secretary takes the post
    from the previous one, who stays on as a member: the secretary post is the organization's secretary."""
    organization = PartyOrganization.objects.select_for_update().get(pk=organization.pk)
    party_organization_policy.require(actor, "change", organization)
    if post not in PartyOrganizationMember.Post.values:
        raise DomainError(_("Choose a post."), field="post")
    if person.district_id != organization.district_id:
        raise DomainError(_("The member must be a person of the organization's district."), field="person")
    Post = PartyOrganizationMember.Post
    if post == Post.SECRETARY:
        PartyOrganizationMember.objects.filter(organization=organization, post=Post.SECRETARY).exclude(
            person=person).update(post=Post.MEMBER)
    member = PartyOrganizationMember.objects.filter(organization=organization, person=person).first()
    if member is None:
        member = PartyOrganizationMember(organization=organization, person=person)
    member.post, member.is_part_time = post, is_part_time
    member.save()
    return member


COMMUNITY_ORG_KINDS = (PartyOrganization.Kind.COMMUNITY_COMMITTEE, PartyOrganization.Kind.JOINT_COMMITTEE)


@transaction.atomic
def cross_appointment_make(*, actor, kind: str, party_post: PartyOrganizationMember,
                           body_member: BodyMember | None = None, firm=None,
                           started_on: datetime.date | None = None) -> CrossAppointment:
    """Records a cross-appointment after checking that the two seats belong together: the same person, the
    community party organization of the committee's community, the office the domain names (vice-chair for a
    community committee member, chair for the part-time party member), part-time for those who join the party
    organization, and for a firm head a firm serving a compound of the community."""
    K = CrossAppointment.Kind
    party_post = PartyOrganizationMember.objects.select_for_update().select_related("organization").get(
        pk=party_post.pk)
    org = party_post.organization
    if org.compound_id is not None or org.kind not in COMMUNITY_ORG_KINDS:
        raise DomainError(_("The post must be in a community party organization."), field="party_post")
    appointment = CrossAppointment(kind=kind, person_id=party_post.person_id, party_post=party_post,
                                   district_id=org.district_id, community_id=org.community_id,
                                   street_id=org.community.street_id, started_on=started_on)
    if kind in (K.COMMUNITY_TO_COMMITTEE, K.CHAIR_TO_PARTY):
        if body_member is None:
            raise DomainError(_("Name the seat on the owners' committee."), field="body_member")
        body_member = BodyMember.objects.select_related("body__compound").get(pk=body_member.pk)
        body = body_member.body
        if body.kind not in Body.OWNERS_COMMITTEE_KINDS:
            raise DomainError(_("The seat must be on an owners' committee."), field="body_member")
        if body.compound.community_id != org.community_id:
            raise DomainError(_("The committee must be in the party organization's community."),
                              field="body_member")
        if body_member.person_id != party_post.person_id:
            raise DomainError(_("Both seats must be held by the same person."), field="body_member")
        if kind == K.COMMUNITY_TO_COMMITTEE:
            if body_member.office != BodyMember.Office.VICE_CHAIR:
                raise DomainError(_("A community committee member serves as vice-chair, through the election."),
                                  field="body_member")
            if party_post.post == PartyOrganizationMember.Post.MEMBER or party_post.is_part_time:
                raise DomainError(_("Only a member of the community committee serves this way."),
                                  field="party_post")
        elif body_member.office != BodyMember.Office.CHAIR:
            raise DomainError(_("Only the owners' committee chair serves this way."), field="body_member")
        appointment.body_member, appointment.compound_id = body_member, body.compound_id
    elif kind == K.FIRM_HEAD_TO_PARTY:
        if firm is None:
            raise DomainError(_("Name the property firm."), field="firm")
        if not firm_serves(firm, compound__community_id=org.community_id):
            raise DomainError(_("The firm must serve a compound of the community under an active contract."),
                              field="firm")
        appointment.firm = firm
    else:
        raise DomainError(_("Choose a kind of cross-appointment."), field="kind")
    if kind != K.COMMUNITY_TO_COMMITTEE and not party_post.is_part_time:
        raise DomainError(_("They serve on the party organization as part-time members."), field="party_post")
    cross_appointment_policy.require(actor, "add", appointment)
    taken = Q(party_post=party_post) | (Q(body_member=body_member) if body_member is not None else Q(pk__in=[]))
    if CrossAppointment.objects.filter(taken, kind=kind).exists():
        raise DomainError(_("This cross-appointment is already recorded."), field="kind")
    appointment.save()
    return appointment


@transaction.atomic
def cross_appointment_end(*, actor, appointment: CrossAppointment) -> None:
    """Ends a cross-appointment; its history stays in the record's history."""
    appointment = CrossAppointment.objects.select_for_update().get(pk=appointment.pk)
    cross_appointment_policy.require(actor, "change", appointment)
    appointment.delete()


# --- the campaign's street offices and records (campaign rows 1, 2 and 15–22) ------------------------------------

@transaction.atomic
def street_office_save(*, actor, office: StreetOffice) -> StreetOffice:
    """Saves a street's three-party office inside the actor's reach (its staff are rows of the office's page)."""
    office.full_clean()
    street_office_policy.require(actor, "change" if office.pk else "add", office)
    office.save()
    return office


@transaction.atomic
def campaign_record_save(*, actor, record: CampaignRecord, upload=None) -> CampaignRecord:
    """Saves a campaign record where the actor keeps records: the kind's own fields checked (the model's clean),
    the person named a post holder of the actor's part of the district (a model commissioner a commissioner), and
    an evidence file checked like a contract's document (size, the type read from the content, the name)."""
    # Who keeps records at all first, before the upload is read: the placed check follows the model's clean.
    campaign_record_policy.require(actor, "change" if record.pk else "add")
    if upload is not None:
        try:
            record.evidence_type = validate_document(upload)
        except DomainError as exc:
            raise DomainError(exc.message, field="evidence") from exc
        record.evidence = upload
    if not record.evidence:
        record.evidence_type = ""
    record.full_clean(exclude=["recorded_by", "district"])
    campaign_record_policy.require(actor, "change" if record.pk else "add", record)
    campaign_record_check_person(actor=actor, record=record)
    if record.recorded_by_id is None:
        record.recorded_by = actor
    record.save()
    return record


def post_holders(actor):
    """The posts held in the actor's part of the district (every post for a superuser): whom a campaign record
    may name, in the admin's choices and in the save's check alike."""
    scope = scope_for(actor)
    posts = RoleAssignment.objects.all()
    return posts if scope.is_superuser else posts.filter(post_holders_q(scope))


def campaign_record_check_person(*, actor, record: CampaignRecord) -> None:
    """Refuses a person who holds no post in the actor's part of the district (a model commissioner must hold a
    commissioner's post)."""
    if record.person_id is None:
        return
    holders = post_holders(actor).filter(user_id=record.person_id)
    if record.kind == CampaignRecord.Kind.MODEL_COMMISSIONER:
        holders = holders.filter(role=Role.COMMISSIONER)
    if not holders.exists():
        raise DomainError(_("Choose someone who holds a post in your part of the district (a commissioner for a "
                            "model commissioner)."), field="person")
