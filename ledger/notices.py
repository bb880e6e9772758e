"""Who is told about a maintenance-fund application at each review level (the notice itself is
`notifications.services.notify`, written in the caller's transaction and sent after commit)."""

from communities.models import Role
from communities.selectors import users_with_role


def reviewers_of(application, level: str) -> list[int]:
    """Who reviews `application` at `level` (community, street, center)."""
    if level == "community":
        return users_with_role(Role.COMMUNITY_OFFICE, community_id=application.community_id)
    if level == "street":
        return users_with_role(Role.STREET_OFFICE, street_id=application.street_id)
    return users_with_role(Role.DISTRICT_CENTER, district_id=application.district_id)
