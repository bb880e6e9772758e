"""Every governance list and detail route × every role: exactly the rows roles.md gives the role, 404 beyond.

The oracle below works from the rows in plain Python (reusing the foundation's compound oracle), independent
of the policies' SQL."""

import pytest

from communities.models import Community, Compound, Role, RoleAssignment
from governance.models import (
    AgendaItem,
    Body,
    BodyMember,
    BuildingHead,
    CampaignRecord,
    CampaignTarget,
    Candidate,
    CrossAppointment,
    Evaluation,
    ListItem,
    Meeting,
    PartyCoverage,
    PartyMember,
    PartyOrganization,
    PartyOrganizationMember,
    StreetOffice,
    SupervisoryRecord,
    Vetting,
    Vote,
    WorkRequest,
)
from tests.conftest import ROLE_LOGINS
from tests.oracle import expected as foundation_expected

ROUTES = [
    ("party-organizations", PartyOrganization),
    ("party-organization-members", PartyOrganizationMember),
    ("cross-appointments", CrossAppointment),
    ("bodies", Body),
    ("members", BodyMember),
    ("candidates", Candidate),
    ("vettings", Vetting),
    ("meetings", Meeting),
    ("items", AgendaItem),
    ("votes", Vote),
    ("records", SupervisoryRecord),
    ("party-coverage", PartyCoverage),
    ("party-members", PartyMember),
    ("building-heads", BuildingHead),
    ("evaluations", Evaluation),
    ("lists", ListItem),
    ("work-requests", WorkRequest),
    ("targets", CampaignTarget),
    ("street-offices", StreetOffice),
    ("campaign-records", CampaignRecord),
]

OFFICES = (Role.DISTRICT_ORG, Role.DISTRICT_CENTER, Role.STREET_OFFICE, Role.COMMUNITY_OFFICE)


def _office_communities(user) -> set[int]:
    """Communities under an office's subtree (district, street or community), from roles.md."""
    out = set()
    rows = list(Community.objects.values_list("pk", "district_id", "street_id"))
    for a in RoleAssignment.objects.filter(user=user):
        if a.role in (Role.DISTRICT_ORG, Role.DISTRICT_CENTER):
            out |= {pk for pk, d, _s in rows if d == a.district_id}
        elif a.role == Role.STREET_OFFICE:
            out |= {pk for pk, _d, s in rows if s == a.street_id}
        elif a.role == Role.COMMUNITY_OFFICE:
            out.add(a.community_id)
    return out


def _catalogue_expected(user, model) -> set[int]:
    """Lists: every office and department of the district; targets: the offices only (roles.md)."""
    roles = OFFICES if model is CampaignTarget else (*OFFICES, Role.DEPARTMENT_STAFF)
    districts = set(RoleAssignment.objects.filter(user=user, role__in=roles).values_list("district_id", flat=True))
    return {row.pk for row in model.objects.all() if row.district_id in districts}


def _staff_compounds(user) -> set[int]:
    """Compounds reached by an office's subtree or a personal compound role (not a firm, not a home)."""
    out = set()
    for a in RoleAssignment.objects.filter(user=user):
        rows = Compound.objects.values_list("pk", "district_id", "street_id", "community_id")
        if a.role in (Role.DISTRICT_ORG, Role.DISTRICT_CENTER):
            out |= {pk for pk, d, _s, _c in rows if d == a.district_id}
        elif a.role == Role.STREET_OFFICE:
            out |= {pk for pk, _d, s, _c in rows if s == a.street_id}
        elif a.role == Role.COMMUNITY_OFFICE:
            out |= {pk for pk, _d, _s, c in rows if c == a.community_id}
        elif a.role in (Role.COMMISSIONER, Role.COMMITTEE_MEMBER):
            out.add(a.compound_id)
    return out


def _campaign_expected(user, model) -> set[int]:
    """Street offices: the district's offices and the street's own; records: the offices' subtree, a street's own
    records (no community) not below the street (roles.md)."""
    out = set()
    rows = list(model.objects.all())
    for a in RoleAssignment.objects.filter(user=user):
        if a.role in (Role.DISTRICT_ORG, Role.DISTRICT_CENTER):
            out |= {r.pk for r in rows if r.district_id == a.district_id}
        elif a.role == Role.STREET_OFFICE:
            out |= {r.pk for r in rows if r.street_id == a.street_id}
        elif a.role == Role.COMMUNITY_OFFICE and model is CampaignRecord:
            out |= {r.pk for r in rows if r.community_id == a.community_id}
    return out


def expected(user, model) -> set[int]:
    if model in (StreetOffice, CampaignRecord):
        return _campaign_expected(user, model)
    if model in (ListItem, CampaignTarget):
        return _catalogue_expected(user, model)
    if model is PartyMember:
        communities = _office_communities(user)
        return {m.pk for m in PartyMember.objects.all() if m.community_id in communities}
    if model is WorkRequest:
        communities = _office_communities(user)
        own = set(RoleAssignment.objects.filter(user=user, role=Role.DEPARTMENT_STAFF)
                  .values_list("department_id", flat=True))
        return {w.pk for w in WorkRequest.objects.all() if w.community_id in communities or w.department_id in own}
    compounds = foundation_expected(user, Compound)
    if model is PartyCoverage:
        districts = set(RoleAssignment.objects.filter(user=user, role__in=(Role.DISTRICT_ORG, Role.DISTRICT_CENTER))
                        .values_list("district_id", flat=True))
        firms = set(RoleAssignment.objects.filter(user=user, role=Role.FIRM_STAFF).values_list("firm_id", flat=True))
        return {
            c.pk for c in PartyCoverage.objects.select_related("body")
            if (c.body_id and c.body.compound_id in compounds)
            or (c.firm_id and (c.district_id in districts or c.firm_id in firms))
        }
    if model is Evaluation:
        return {e.pk for e in Evaluation.objects.select_related("body") if e.body.compound_id in compounds}
    if model is PartyOrganization:
        communities = foundation_expected(user, Community)
        return {
            o.pk for o in PartyOrganization.objects.all()
            if (o.compound_id is None and o.community_id in communities) or o.compound_id in compounds
        }
    if model is PartyOrganizationMember:
        # Seen with the organization (worked out from the organization's own place, not the member's copy).
        communities = foundation_expected(user, Community)
        return {
            m.pk for m in PartyOrganizationMember.objects.select_related("organization")
            if (m.organization.compound_id is None and m.organization.community_id in communities)
            or m.organization.compound_id in compounds
        }
    if model is CrossAppointment:
        # Where the owners' committee's compound is seen; a firm head's where the community is.
        communities = foundation_expected(user, Community)
        out = set()
        for a in CrossAppointment.objects.select_related("body_member__body", "party_post__organization"):
            if a.body_member_id:
                if a.body_member.body.compound_id in compounds:
                    out.add(a.pk)
            elif a.party_post.organization.community_id in communities:
                out.add(a.pk)
        return out
    if model is BodyMember:
        return {m.pk for m in BodyMember.objects.select_related("body") if m.body.compound_id in compounds}
    departments = set(RoleAssignment.objects.filter(user=user, role=Role.DEPARTMENT_STAFF)
                      .values_list("department_id", flat=True))
    if model is Candidate:
        staff = _staff_compounds(user)
        asked = set(Vetting.objects.filter(department_id__in=departments).values_list("candidate_id", flat=True))
        return {c.pk for c in Candidate.objects.all() if c.compound_id in staff or c.pk in asked}
    if model is Vetting:
        staff = _staff_compounds(user)
        return {v.pk for v in Vetting.objects.select_related("candidate")
                if v.candidate.compound_id in staff or v.department_id in departments}
    return {row.pk for row in model.objects.all() if row.compound_id in compounds}


def _all_ids(client, route):
    ids, url = [], f"/api/v1/governance/{route}/?page_size=200"
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        ids += [row["id"] for row in response.json()["results"]]
        url = response.json()["next"]
    assert len(ids) == len(set(ids)), "a row is listed twice"
    return set(ids)


@pytest.mark.django_db
@pytest.mark.parametrize("route,model", ROUTES, ids=[r for r, _m in ROUTES])
@pytest.mark.parametrize("login", ROLE_LOGINS)
def test_role_sees_exactly_its_scope(as_user, users, login, route, model):
    client = as_user(login)
    want = expected(users[login], model)
    assert _all_ids(client, route) == want
    outside = model.objects.exclude(pk__in=want).order_by("pk").first()
    assert outside is not None, "the demo must hold rows outside every scope"
    assert client.get(f"/api/v1/governance/{route}/{outside.pk}/").status_code == 404
    if want:
        assert client.get(f"/api/v1/governance/{route}/{min(want)}/").status_code == 200


@pytest.mark.django_db
def test_the_matrix_separates_the_roles(users):
    """Residents and firms see votes but not candidates; departments see only what they were asked."""
    assert expected(users["resident"], Vote) and not expected(users["resident"], Candidate)
    assert expected(users["firm_staff"], Meeting) and not expected(users["firm_staff"], Candidate)
    assert expected(users["department_staff"], Vetting) and not expected(users["department_staff"], Vote)
    assert not expected(users["district_org"], Vote) & expected(users["district_org_b"], Vote)
    assert expected(users["department_staff"], WorkRequest) and not expected(users["resident"], ListItem)
    assert expected(users["street_office"], WorkRequest) != expected(users["street_office_2"], WorkRequest)
    assert expected(users["community_office"], CampaignTarget) and not expected(users["department_staff"],
                                                                                CampaignTarget)
    # Residents see their compound's and community's party organizations with their members; departments none.
    assert expected(users["resident"], PartyOrganizationMember) and expected(users["resident"], CrossAppointment)
    assert not expected(users["department_staff"], PartyOrganizationMember)
    assert expected(users["street_office"], CrossAppointment) != expected(users["street_office_2"], CrossAppointment)


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r, _m in ROUTES] + ["coverage", "targets/progress"])
def test_anonymous_gets_401(api, route):
    assert api.get(f"/api/v1/governance/{route}/").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["party-organization-members", "cross-appointments", "bodies", "members", "records", "candidates", "party-coverage", "party-members",
                                   "building-heads", "evaluations", "lists", "targets", "street-offices"])
def test_writes_are_not_offered_through_the_read_api(as_user, route):
    assert as_user("district_org").post(f"/api/v1/governance/{route}/", {}, format="json").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("route,model", [("party-organizations", PartyOrganization),
                                         ("party-organization-members", PartyOrganizationMember),
                                         ("cross-appointments", CrossAppointment),
                                         ("votes", Vote), ("candidates", Candidate), ("vettings", Vetting),
                                         ("members", BodyMember), ("party-members", PartyMember),
                                         ("building-heads", BuildingHead), ("work-requests", WorkRequest),
                                         ("lists", ListItem), ("party-coverage", PartyCoverage),
                                         ("evaluations", Evaluation), ("targets", CampaignTarget),
                                         ("street-offices", StreetOffice), ("campaign-records", CampaignRecord)])
def test_lists_take_a_fixed_number_of_queries(as_user, django_assert_max_num_queries, route, model):
    client = as_user("district_org")
    with django_assert_max_num_queries(12):
        small = client.get(f"/api/v1/governance/{route}/?page_size=5")
    with django_assert_max_num_queries(12):
        large = client.get(f"/api/v1/governance/{route}/?page_size=200")
    assert small.status_code == large.status_code == 200
    assert len(large.json()["results"]) >= len(small.json()["results"])


@pytest.mark.django_db
@pytest.mark.parametrize("login", ROLE_LOGINS)
def test_campaign_evidence_opens_exactly_where_its_record_is_seen(client, users, login, settings, tmp_path):
    """/campaign-records/<id>/evidence/ × every login: 200 for the records the oracle gives, 404 for the others."""
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    records = {r.community_id: r for r in CampaignRecord.objects.exclude(community=None).order_by("-pk")}
    records.update({("street", r.street_id): r for r in CampaignRecord.objects.filter(community=None).order_by("-pk")})
    for record in records.values():
        record.evidence.save(f"r{record.pk}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        CampaignRecord.objects.filter(pk=record.pk).update(evidence=record.evidence.name,
                                                           evidence_type="application/pdf")
    want = expected(users[login], CampaignRecord)
    client.force_login(users[login])
    for record in records.values():
        status = client.get(f"/campaign-records/{record.pk}/evidence/").status_code
        assert status == (200 if record.pk in want else 404), (login, record.pk)
