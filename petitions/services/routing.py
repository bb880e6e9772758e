"""Who handles a new petition, and whom its moves notify."""



from communities.models import Compound, ManagementMode, Role
from communities.selectors import users_with_role
from governance.models import Body
from petitions.handlers import LEVEL_OFFICES, handler_of
from petitions.models import (
    Category,
    HandlerKind,
    Petition,
)
from properties.selectors import CUSTODY_MODES, FIRM_HANDLED_MODES, active_firm

COMMITTEE_KINDS = Body.SELF_GOVERNING_KINDS  # the committees that handle petitions

# --- routing ----------------------------------------------------------------------------------------------

def route(*, compound: Compound, category: Category) -> dict:
    """The handler of a new petition, by category and the compound's management mode."""
    return _route_from(
        category, mode=compound.management_mode, firm=active_firm(compound),
        has_committee=Body.objects.filter(compound=compound, kind__in=COMMITTEE_KINDS).exists(),
    )


def _route_from(category: Category, *, mode: str, firm, has_committee: bool) -> dict:
    """The routing rule itself, over inputs read beforehand (by `route`, or by `_intake` in the same query as
    the category)."""
    if category.routing == Category.Routing.DEPARTMENT:
        return {"handler_kind": HandlerKind.DEPARTMENT, "handler_department_id": category.department_id}
    if category.routing == Category.Routing.BY_MANAGEMENT_MODE:
        if mode in FIRM_HANDLED_MODES and firm is not None:
            return {"handler_kind": HandlerKind.FIRM, "handler_firm": firm}
        if mode in CUSTODY_MODES:
            return {"handler_kind": HandlerKind.COMMUNITY_OFFICE}
        if mode in (ManagementMode.PROFESSIONAL, ManagementMode.SELF_MANAGED) and has_committee:
            return {"handler_kind": HandlerKind.COMMITTEE}
    return {"handler_kind": HandlerKind.COMMUNITY_OFFICE}


def _handler_role(petition: Petition) -> tuple[str, str, int | None]:
    """Who handles the petition, as a role and the role assignment's scope column with its value."""
    handler = handler_of(petition)
    return handler.role, handler.scope_field, getattr(petition, handler.petition_field)


def handler_user_ids(petition: Petition) -> list[int]:
    handler = handler_of(petition)
    return users_with_role(handler.role, **handler.node(petition))


def level_office_user_ids(petition: Petition, level: str) -> list[int]:
    office = LEVEL_OFFICES.get(level)
    if office is not None:
        return users_with_role(office.role, **office.node(petition))
    return handler_user_ids(petition) + users_with_role(Role.COMMISSIONER, compound_id=petition.compound_id)


def reporters_of(petition: Petition) -> list[int]:
    """The reporter and the reporters of the duplicates merged into it."""
    ids = [petition.reporter_id]
    ids += list(petition.duplicates.values_list("reporter_id", flat=True))
    return [i for i in ids if i]
