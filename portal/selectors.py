"""Who leads a compound and how a resident reaches them: public contacts only, never personal numbers."""

from django.db.models import Prefetch

from communities.models import Compound, Role, RoleAssignment
from communities.scope import scope_for
from governance.models import Body, BodyMember, PartyOrganization, PartyOrganizationMember
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
