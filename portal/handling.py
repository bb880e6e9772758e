"""Who handles a petition, told to its reporter as organisations: the firm, the owners' committee, the community
office, the street office, the district centre, a department. Never a person's name or number (roles.md,
personal data): a resident learns which body acts, and whom to ask, not which employee clicked."""

from django.utils.translation import gettext as _

from communities.models import Role, RoleAssignment
from communities.scope import assignment_reaches
from governance.models import Body
from petitions.handlers import LEVEL_OFFICES
from petitions.models import EventKind, HandlerKind, Petition
from petitions.policies import petition_policy
from petitions.services.routing import COMMITTEE_KINDS

# For an actor holding several roles, the one that acted on this petition comes first.
ROLE_ORDER = [Role.FIRM_STAFF, Role.COMMITTEE_MEMBER, Role.DEPARTMENT_STAFF, Role.COMMISSIONER,
              Role.COMMUNITY_OFFICE, Role.STREET_OFFICE, Role.DISTRICT_CENTER, Role.DISTRICT_ORG]


def _at(node, role: str) -> str:
    return _("%(place)s · %(office)s") % {"place": node.name, "office": Role(role).label}


def _committee(petition: Petition) -> str:
    """The compound's own committee by its name (owners', interim or self-management), as routing chose it."""
    if not hasattr(petition, "_committee_label"):
        body = Body.objects.filter(compound_id=petition.compound_id, kind__in=COMMITTEE_KINDS).order_by(
            "kind").first()
        petition._committee_label = body.get_kind_display() if body else HandlerKind.COMMITTEE.label
    return _("%(place)s · %(office)s") % {"place": petition.compound.name, "office": petition._committee_label}


def level_office(petition: Petition, level: str) -> str | None:
    """The office that supervises a petition escalated to `level` (none at compound level)."""
    office = LEVEL_OFFICES.get(level)
    return _at(office.place_of(petition), office.role) if office else None


def current_handler(petition: Petition) -> dict:
    """The organisation the petition is routed to and, once escalated, the office that supervises it."""
    kind = petition.handler_kind
    if kind == HandlerKind.FIRM and petition.handler_firm_id:
        handler = petition.handler_firm.name
    elif kind == HandlerKind.DEPARTMENT and petition.handler_department_id:
        handler = petition.handler_department.name
    elif kind == HandlerKind.COMMUNITY_OFFICE:
        handler = _at(petition.community, Role.COMMUNITY_OFFICE)
    else:
        handler = _committee(petition)
    return {"handler": handler, "supervisor": level_office(petition, petition.level)}


def _organisation(assignment: RoleAssignment, petition: Petition) -> str:
    role = assignment.role
    if role == Role.FIRM_STAFF:
        return assignment.firm.name
    if role == Role.DEPARTMENT_STAFF:
        return assignment.department.name
    if role == Role.COMMITTEE_MEMBER:
        return _committee(petition)
    return _at(assignment.scope_node, role)


def _relevance(assignment: RoleAssignment, petition: Petition) -> tuple:
    """Sort key: an assignment at this petition's handler or nodes first, then by ROLE_ORDER."""
    place = {**petition_policy.place(petition), "firm": petition.handler_firm_id,
             "department": petition.handler_department_id}
    role = Role(assignment.role)
    return (not assignment_reaches(assignment, place),
            ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER))


def timeline_with_organisations(petition: Petition, events, viewer) -> list:
    """The timeline's events, each with `organisation`: who acted, as an organisation (one query for all actors'
    roles). The reporter's own steps read "you"; the platform's (deadline sweeps) read so."""
    events = list(events)
    actor_ids = {e.actor_id for e in events if e.actor_id and e.actor_id != petition.reporter_id}
    by_user: dict[int, list[RoleAssignment]] = {}
    if actor_ids:
        for a in RoleAssignment.objects.filter(user_id__in=actor_ids).select_related(
                "district", "street", "community", "compound", "firm", "department"):
            by_user.setdefault(a.user_id, []).append(a)
    for e in events:
        if e.kind in (EventKind.DEPARTMENT_ACKNOWLEDGED, EventKind.DEPARTMENT_ANSWERED, EventKind.DEPARTMENT_LATE) \
                and e.department_id:
            e.organisation = e.department.name
        elif e.actor_id is None and e.kind == EventKind.CREATED:
            e.organisation = petition.get_source_display()  # recorded from a channel with no login behind it
        elif e.actor_id is None and e.kind == EventKind.RATED:
            e.organisation = _("The reporter")
        elif e.actor_id is None:
            # The services leave the actor empty only for the sweep: escalations, lateness, unrated closing.
            e.organisation = _("The platform (time limit)")
        elif e.actor_id == petition.reporter_id:
            e.organisation = _("You") if viewer.pk == petition.reporter_id else _("The reporter")
        elif by_user.get(e.actor_id):
            best = min(by_user[e.actor_id], key=lambda a: _relevance(a, petition))
            e.organisation = _organisation(best, petition)
        else:
            e.organisation = _("The platform's administrator")
        # An escalation names the office it went to.
        e.to_office = level_office(petition, e.to_level) if e.kind == EventKind.ESCALATED and e.to_level else None
    return events
