"""Who handles a petition: one table from handler kind to the role that handles it and where that role sits.
"Who may handle" (the policy), "whom to notify" (the services) and the create's SQL all derive from it."""

from dataclasses import dataclass

from communities.models import Role
from petitions.models import EscalationLevel, HandlerKind


@dataclass(frozen=True)
class Handler:
    role: str
    scope_field: str  # the role assignment's column that places the role …
    petition_field: str  # … and the petition's column it must equal

    def node(self, petition) -> dict:
        """The role assignment filter of the petition's handlers, e.g. {"firm_id": 7}."""
        return {self.scope_field: getattr(petition, self.petition_field)}

    def place_of(self, petition):
        """The node the role sits at for this petition (its firm, compound, community …)."""
        return getattr(petition, self.petition_field.removesuffix("_id"))

    def holds(self, assignment, petition) -> bool:
        return assignment.role == self.role and \
            getattr(assignment, self.scope_field) == getattr(petition, self.petition_field)


HANDLERS = {
    HandlerKind.FIRM: Handler(Role.FIRM_STAFF, "firm_id", "handler_firm_id"),
    HandlerKind.COMMITTEE: Handler(Role.COMMITTEE_MEMBER, "compound_id", "compound_id"),
    HandlerKind.DEPARTMENT: Handler(Role.DEPARTMENT_STAFF, "department_id", "handler_department_id"),
    HandlerKind.COMMUNITY_OFFICE: Handler(Role.COMMUNITY_OFFICE, "community_id", "community_id"),
}


# The office that takes over a petition escalated to each level, where its node is the petition's (at compound level
# nobody takes over: the handler keeps it).
LEVEL_OFFICES = {
    EscalationLevel.COMMUNITY: Handler(Role.COMMUNITY_OFFICE, "community_id", "community_id"),
    EscalationLevel.STREET: Handler(Role.STREET_OFFICE, "street_id", "street_id"),
    EscalationLevel.DISTRICT: Handler(Role.DISTRICT_CENTER, "district_id", "district_id"),
}


def handler_of(petition) -> Handler:
    # Anything else is the community office's, as the routing's fallback.
    return HANDLERS.get(petition.handler_kind, HANDLERS[HandlerKind.COMMUNITY_OFFICE])
