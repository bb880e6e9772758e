"""Who leads a compound and how a resident reaches them: public contacts only, never personal numbers."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Compound, Household, Residency, Role, RoleAssignment
from communities.scope import scope_for
from governance.models import Body, BodyMember, PartyOrganization, PartyOrganizationMember, Voter
from governance.selectors import dwelling_holders
from petitions.models import Status
from petitions.policies import petition_policy
from petitions.selectors import possible_duplicates_for_resident
from properties.selectors import active_firm


def own_compound_ids(user) -> list[int]:
    """The compounds of the user's own households, in a stable order (the portal's pages are about these)."""
    return sorted(scope_for(user).own_compound_ids)


def home_district_ids(user) -> set[int]:
    """The districts of the user's own households: a resident reports into these districts' catalogues."""
    return {r.household.district_id for r in scope_for(user).residencies}


def compound_contacts(compound: Compound) -> dict:
    """The compound's party branch secretary, owners' committee, property firm and commissioner."""
    # The secretary is the member in the secretary post.
    secretary = Prefetch("members", PartyOrganizationMember.objects.filter(
        post=PartyOrganizationMember.Post.SECRETARY).select_related("person"))
    branch = (
        PartyOrganization.objects.filter(compound=compound).prefetch_related(secretary).order_by("pk").first()
        or PartyOrganization.objects.filter(
            community_id=compound.community_id, compound__isnull=True
        ).prefetch_related(secretary).order_by("pk").first()
    )
    committee = (
        Body.objects.filter(
            compound=compound, kind__in=Body.OWNERS_COMMITTEE_KINDS
        ).order_by("kind").first()
    )
    chair = None
    if committee:
        mark_terms([committee])
        chair = (
            BodyMember.objects.filter(body=committee, office=BodyMember.Office.CHAIR)
            .select_related("person").first()
        )
    firm = active_firm(compound)
    commissioner = (
        RoleAssignment.objects.filter(compound=compound, role=Role.COMMISSIONER)
        .select_related("user__person").first()
    )
    commissioner_name = None
    if commissioner:
        person = getattr(commissioner.user, "person", None)
        commissioner_name = person.name if person else commissioner.user.get_full_name()
    community = compound.community
    return {
        "compound": compound,
        "community": community,
        "branch": branch,
        "committee": committee,
        "chair": chair,
        "firm": firm,
        "commissioner_name": commissioner_name,
        "community_phone": community.office_phone,
    }


def similar_reports(user, *, compound_id: int, category_id: int) -> list[dict]:
    """Similar open reports of the compound for a resident writing one: the status as a label, and a link only to
    those the resident may open (their own); of the others only that they exist, when and how far along."""
    rows = possible_duplicates_for_resident(compound_id=compound_id, category_id=category_id)
    openable = set(
        petition_policy.visible(user).filter(pk__in=[r["pk"] for r in rows]).values_list("pk", flat=True)
    ) if rows else set()
    for row in rows:
        row["status_label"] = Status(row["status"]).label
        row["openable"] = row["pk"] in openable
    return rows


def mark_terms(bodies, today=None) -> list:
    """Sets `term_has_ended` on each body: a term that ended is shown with "re-election due", never silently."""
    today = today or timezone.localdate()
    for body in bodies:
        body.term_has_ended = bool(body.term_ends_on and body.term_ends_on < today)
    return bodies


def ballot_weight(vote, user) -> dict:
    """What the user's ballot counts in a vote, told plainly: the households behind it and their area, and why
    any other dwelling of theirs is not counted. Follows governance.selectors.electorate: each owner is one head
    with the sum of the areas of the dwellings they hold in the compound; a dwelling with co-owners is voted by
    its first recorded owner (`dwelling_holders`); the register is fixed when the vote opens. A council votes by
    its members alone."""
    voter = Voter.objects.filter(vote=vote, person__user_id=user.pk).first()
    counted_ids = set(voter.households) if voter else set()
    counted = list(Household.objects.filter(pk__in=counted_ids).select_related("building").order_by(
        "building__name", "unit", "room"))
    residencies = list(Residency.objects.filter(person__user_id=user.pk).exclude(
        household_id__in=counted_ids).select_related("household__building", "household__compound").order_by(
        "household_id"))
    holders = dwelling_holders(household_id__in=[r.household_id for r in residencies])
    others = []
    for r in [] if vote.is_council else residencies:
        h = r.household
        if r.relation != Residency.Relation.OWNER:
            reason = _("you are a tenant there: its owner votes")
        elif h.compound_id != vote.compound_id:
            reason = _("in another compound: it counts in that compound's votes")
        elif holders.get(h.pk, (None,))[0] != r.person_id:
            reason = _("a co-owner recorded before you votes for this dwelling (one vote per dwelling)")
        else:
            reason = _("recorded after the vote opened: the register was fixed then")
        others.append({"household": h, "reason": reason})
    return {"voter": voter, "counted": counted, "others": others, "area": voter.area if voter else None}
