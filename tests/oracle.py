"""What each demo login should see, worked out from roles.md in plain Python over the rows: an independent
check of the policies, which build SQL filters instead."""

from communities.models import (
    Building,
    Community,
    Compound,
    District,
    Household,
    Person,
    Residency,
    Role,
    RoleAssignment,
    Street,
)
from properties.models import Contract


def _reach(user):
    """(whole districts, streets, communities, compounds reached as a whole, own household ids)."""
    d, s, c, k, homes = set(), set(), set(), set(), set()
    for a in RoleAssignment.objects.filter(user=user):
        if a.role in (Role.DISTRICT_ORG, Role.DISTRICT_CENTER):
            d.add(a.district_id)
        elif a.role == Role.STREET_OFFICE:
            s.add(a.street_id)
        elif a.role == Role.COMMUNITY_OFFICE:
            c.add(a.community_id)
        elif a.role in (Role.COMMISSIONER, Role.COMMITTEE_MEMBER):
            k.add(a.compound_id)
        elif a.role == Role.FIRM_STAFF:
            k |= set(Contract.objects.filter(firm_id=a.firm_id, status="active").values_list("compound_id", flat=True))
    for r in Residency.objects.filter(person__user=user):
        homes.add(r.household_id)
    return d, s, c, k, homes


def _in_subtree(row, d, s, c, k):
    return (row["district_id"] in d or row.get("street_id") in s or row.get("community_id") in c
            or row.get("compound_id") in k)


def expected(user, model) -> set[int]:
    d, s, c, k, homes = _reach(user)
    home_rows = list(Household.objects.filter(pk__in=homes).values())
    home_compounds = {h["compound_id"] for h in home_rows}
    tenants = set(d) | {r["district_id"] for r in home_rows}
    tenants |= set(RoleAssignment.objects.filter(user=user).values_list("district_id", flat=True))
    compounds = [
        row for row in Compound.objects.values()
        if _in_subtree({**row, "compound_id": row["id"]}, d, s, c, k) or row["id"] in home_compounds
    ]
    if model is District:
        return set(District.objects.filter(pk__in=tenants).values_list("pk", flat=True))
    if model is Street:
        out = {r["id"] for r in Street.objects.values() if r["district_id"] in d or r["id"] in s}
        out |= set(Community.objects.filter(pk__in=c).values_list("street_id", flat=True))
        return out | {row["street_id"] for row in compounds}
    if model is Community:
        out = {r["id"] for r in Community.objects.values() if r["district_id"] in d or r["street_id"] in s
               or r["id"] in c}
        return out | {row["community_id"] for row in compounds}
    if model is Compound:
        return {row["id"] for row in compounds}
    if model is Building:
        return {r["id"] for r in Building.objects.values() if _in_subtree(r, d, s, c, k)
                or r["compound_id"] in home_compounds}
    if model is Household:
        return {r["id"] for r in Household.objects.values() if _in_subtree(r, d, s, c, k) or r["id"] in homes}
    if model is Person:
        staff_homes = {r["id"] for r in Household.objects.values() if _in_subtree(r, d, s, c, k)}
        out = set()
        street_of = dict(Community.objects.values_list("pk", "street_id"))
        for p in Person.objects.values():
            if p["district_id"] not in tenants:
                continue
            if p["district_id"] in d or p["community_id"] in c or street_of.get(p["community_id"]) in s \
                    or p["user_id"] == user.pk:
                out.add(p["id"])
        out |= set(Residency.objects.filter(household_id__in=staff_homes).values_list("person_id", flat=True))
        return out
    raise AssertionError(model)
