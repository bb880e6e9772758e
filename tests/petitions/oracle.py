"""Which petitions each login should see, worked out from roles.md in plain Python over the rows."""

from communities.models import Role, RoleAssignment
from petitions.models import Petition, Whistle
from properties.models import Contract


def expected_petitions(user) -> set[int]:
    if user.is_superuser:
        return set(Petition.objects.values_list("pk", flat=True))
    grants = list(RoleAssignment.objects.filter(user=user))
    whistled = {}
    for petition_id, department_id in Whistle.objects.values_list("petition_id", "department_id"):
        whistled.setdefault(petition_id, set()).add(department_id)
    served = {}
    for firm_id, compound_id in Contract.objects.filter(status="active").values_list("firm_id", "compound_id"):
        served.setdefault(firm_id, set()).add(compound_id)
    out = set()
    for p in Petition.objects.values():
        if p["reporter_id"] == user.pk:
            out.add(p["id"])
            continue
        for a in grants:
            if a.district_id != p["district_id"]:
                continue
            role = a.role
            if (
                role in (Role.DISTRICT_ORG, Role.DISTRICT_CENTER)
                or (role == Role.STREET_OFFICE and a.street_id == p["street_id"])
                or (role == Role.COMMUNITY_OFFICE and a.community_id == p["community_id"])
                or (role == Role.COMMISSIONER and a.compound_id == p["compound_id"])
                or (role == Role.COMMITTEE_MEMBER and a.compound_id == p["compound_id"]
                    and p["handler_kind"] == "committee")
                or (role == Role.FIRM_STAFF and a.firm_id == p["handler_firm_id"]
                    and p["compound_id"] in served.get(a.firm_id, ()))
                or (role == Role.DEPARTMENT_STAFF and (
                    a.department_id == p["handler_department_id"] or a.department_id in whistled.get(p["id"], ())))
            ):
                out.add(p["id"])
                break
    return out
