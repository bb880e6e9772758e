"""Members of party organizations with their posts (the secretary post is the secretary) and cross-appointments
(交叉任职): the rules of the service, counts per node in one query, the coverage figure, the portal."""

import re
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404

from communities.models import Community, Compound, District, Person, Street
from communities.policies import compound_policy
from core.errors import DomainError
from governance import selectors, services
from governance.models import (
    Body,
    BodyMember,
    CrossAppointment,
    PartyOrganization,
    PartyOrganizationMember,
)
from properties.models import Contract

pytestmark = pytest.mark.django_db

Post = PartyOrganizationMember.Post
Kind = CrossAppointment.Kind


def _community_committee(community_id) -> PartyOrganization:
    return PartyOrganization.objects.get(community_id=community_id, compound__isnull=True,
                                         kind=PartyOrganization.Kind.COMMUNITY_COMMITTEE)


def _person(org, name="新成员") -> Person:
    return Person.objects.create(district_id=org.district_id, community_id=org.community_id, name=name)


def _committee(demo_compound) -> Body:
    return Body.objects.get(compound=demo_compound, kind=Body.Kind.OWNERS_COMMITTEE)


# --- the demo ----------------------------------------------------------------------------------------------------

def test_every_demo_organization_has_exactly_one_secretary():
    secretaries = Counter(PartyOrganizationMember.objects.filter(post=Post.SECRETARY)
                          .values_list("organization_id", flat=True))
    assert set(secretaries) == set(PartyOrganization.objects.values_list("pk", flat=True))
    assert set(secretaries.values()) == {1}
    assert PartyOrganizationMember.objects.filter(post=Post.DEPUTY_SECRETARY).exists()
    assert PartyOrganizationMember.objects.filter(is_part_time=True).exists()


def test_both_demo_districts_hold_every_kind_of_cross_appointment():
    for district in District.objects.all():
        kinds = set(CrossAppointment.objects.filter(district=district).values_list("kind", flat=True))
        assert kinds == set(Kind.values), district


def test_demo_cross_appointments_link_two_seats_of_one_person():
    for a in CrossAppointment.objects.select_related("body_member__body__compound", "party_post__organization"):
        assert a.party_post.person_id == a.person_id
        assert a.party_post.organization.community_id == a.community_id
        assert a.party_post.organization.compound_id is None
        if a.kind == Kind.FIRM_HEAD_TO_PARTY:
            assert a.firm_id and a.party_post.is_part_time and a.compound_id is None
            assert Contract.objects.filter(firm_id=a.firm_id, status="active",
                                           compound__community_id=a.community_id).exists()
        else:
            assert a.body_member.person_id == a.person_id
            assert a.body_member.body.compound_id == a.compound_id
            office = BodyMember.Office.VICE_CHAIR if a.kind == Kind.COMMUNITY_TO_COMMITTEE else BodyMember.Office.CHAIR
            assert a.body_member.office == office


# --- members and the secretary post ------------------------------------------------------------------------------

def test_a_new_secretary_takes_the_post_and_the_previous_one_stays_a_member(users, demo_compound):
    org = _community_committee(demo_compound.community_id)
    before = org.members.get(post=Post.SECRETARY)
    newcomer = _person(org)
    services.party_org_member_set(actor=users["community_office"], organization=org, person=newcomer,
                                  post=Post.SECRETARY)
    org = PartyOrganization.objects.get(pk=org.pk)
    assert org.secretary == newcomer
    before.refresh_from_db()
    assert before.post == Post.MEMBER
    assert org.members.filter(post=Post.SECRETARY).count() == 1
    response = _api_org(users, org)
    assert response["secretary_name"] == newcomer.name


def _api_org(users, org):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(users["community_office"])
    return client.get(f"/api/v1/governance/party-organizations/{org.pk}/").json()


def test_the_database_refuses_a_second_secretary(demo_compound):
    org = _community_committee(demo_compound.community_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        PartyOrganizationMember.objects.create(organization=org, person=_person(org), post=Post.SECRETARY)


def test_posts_are_changed_by_the_offices_of_the_subtree_only(users, demo_compound):
    org = _community_committee(demo_compound.community_id)
    for login in ("commissioner", "committee_member"):
        with pytest.raises(PermissionDenied):
            services.party_org_member_set(actor=users[login], organization=org, person=_person(org), post=Post.MEMBER)
    with pytest.raises(Http404):
        services.party_org_member_set(actor=users["district_org_b"], organization=org, person=_person(org),
                                      post=Post.MEMBER)
    other = Person.objects.exclude(district_id=org.district_id).first()
    with pytest.raises(DomainError):
        services.party_org_member_set(actor=users["community_office"], organization=org, person=other,
                                      post=Post.MEMBER)


# --- cross-appointments: the service's rules ---------------------------------------------------------------------

def _seat(body, office, person=None) -> BodyMember:
    person = person or Person.objects.create(district_id=body.district_id, name="业委会成员")
    BodyMember.objects.filter(body=body, office=office).update(office=BodyMember.Office.MEMBER)
    return BodyMember.objects.create(body=body, person=person, office=office, is_party_member=True)


def test_a_community_committee_member_elected_vice_chair(users, demo_compound):
    org = _community_committee(demo_compound.community_id)
    body = _committee(demo_compound)
    person = _person(org, "社区委员")
    post = services.party_org_member_set(actor=users["community_office"], organization=org, person=person,
                                         post=Post.COMMITTEE_MEMBER)
    seat = _seat(body, BodyMember.Office.VICE_CHAIR, person)
    a = services.cross_appointment_make(actor=users["community_office"], kind=Kind.COMMUNITY_TO_COMMITTEE,
                                        party_post=post, body_member=seat)
    assert (a.compound_id, a.community_id, a.street_id) == (demo_compound.pk, demo_compound.community_id,
                                                           demo_compound.street_id)
    with pytest.raises(DomainError):  # once
        services.cross_appointment_make(actor=users["community_office"], kind=Kind.COMMUNITY_TO_COMMITTEE,
                                        party_post=post, body_member=seat)


def test_the_seats_must_belong_together(users, demo_compound):
    office = users["community_office"]
    org = _community_committee(demo_compound.community_id)
    body = _committee(demo_compound)
    person = _person(org, "社区委员")
    post = services.party_org_member_set(actor=office, organization=org, person=person, post=Post.COMMITTEE_MEMBER)
    plain_seat = _seat(body, BodyMember.Office.MEMBER, person)
    with pytest.raises(DomainError):  # a community committee member serves as vice-chair
        services.cross_appointment_make(actor=office, kind=Kind.COMMUNITY_TO_COMMITTEE, party_post=post,
                                        body_member=plain_seat)
    someone_else = _seat(body, BodyMember.Office.VICE_CHAIR)
    with pytest.raises(DomainError):  # the same person holds both seats
        services.cross_appointment_make(actor=office, kind=Kind.COMMUNITY_TO_COMMITTEE, party_post=post,
                                        body_member=someone_else)
    chair = _seat(body, BodyMember.Office.CHAIR)
    chair_post = services.party_org_member_set(actor=office, organization=org, person=chair.person,
                                               post=Post.COMMITTEE_MEMBER, is_part_time=False)
    with pytest.raises(DomainError):  # a chair joins the party organization part-time
        services.cross_appointment_make(actor=office, kind=Kind.CHAIR_TO_PARTY, party_post=chair_post,
                                        body_member=chair)
    chair_post = services.party_org_member_set(actor=office, organization=org, person=chair.person,
                                               post=Post.COMMITTEE_MEMBER, is_part_time=True)
    a = services.cross_appointment_make(actor=office, kind=Kind.CHAIR_TO_PARTY, party_post=chair_post,
                                        body_member=chair)
    assert a.kind == Kind.CHAIR_TO_PARTY
    branch = PartyOrganization.objects.filter(compound__isnull=False, community_id=org.community_id).first()
    branch_post = services.party_org_member_set(actor=office, organization=branch, person=chair.person,
                                                post=Post.MEMBER, is_part_time=True)
    with pytest.raises(DomainError):  # the community party organization, not a compound branch
        services.cross_appointment_make(actor=office, kind=Kind.CHAIR_TO_PARTY, party_post=branch_post,
                                        body_member=chair)


def test_a_firm_head_joins_where_the_firm_serves(users, demo_compound):
    from properties.models import Firm

    office = users["community_office"]
    org = _community_committee(demo_compound.community_id)
    head = services.party_org_member_set(actor=office, organization=org, person=_person(org, "物业负责人"),
                                         post=Post.COMMITTEE_MEMBER, is_part_time=True)
    serving = Contract.objects.filter(status="active", compound__community_id=org.community_id).first().firm
    elsewhere = Firm.objects.filter(district_id=org.district_id).exclude(
        pk__in=Contract.objects.filter(status="active", compound__community_id=org.community_id)
        .values("firm_id")).first()
    with pytest.raises(DomainError):
        services.cross_appointment_make(actor=office, kind=Kind.FIRM_HEAD_TO_PARTY, party_post=head, firm=elsewhere)
    with pytest.raises(PermissionDenied):
        services.cross_appointment_make(actor=users["committee_member"], kind=Kind.FIRM_HEAD_TO_PARTY,
                                        party_post=head, firm=serving)
    a = services.cross_appointment_make(actor=office, kind=Kind.FIRM_HEAD_TO_PARTY, party_post=head, firm=serving)
    assert a.compound_id is None and a.community_id == org.community_id
    services.cross_appointment_end(actor=office, appointment=a)
    assert not CrossAppointment.objects.filter(pk=a.pk).exists()


# --- counts per node and the coverage figure ---------------------------------------------------------------------

@pytest.mark.parametrize("level", ["district", "street", "community", "compound"])
def test_counts_per_node_in_one_grouped_query(django_assert_num_queries, level):
    rows = list(CrossAppointment.objects.all())
    want: dict[int, Counter] = {}
    for a in rows:
        node = getattr(a, f"{level}_id")
        if node is not None:
            want.setdefault(node, Counter())[a.kind] += 1
    with django_assert_num_queries(1):
        got = selectors.cross_appointments_per_node(CrossAppointment.objects.all(), level)
    assert set(got) == set(want)
    for node, counts in want.items():
        assert got[node]["total"] == sum(counts.values())
        for kind in Kind.values:
            assert got[node][kind] == counts[kind]


def test_the_coverage_api_counts_cross_appointments_of_the_users_scope(as_user, users):
    street = Street.objects.get(pk=users["street_office"].role_assignments.first().street_id)
    figures = as_user("street_office").get("/api/v1/governance/coverage/").json()
    mine = CrossAppointment.objects.filter(street=street)
    assert figures["cross_appointments"] == mine.count() > 0
    for kind in Kind.values:
        assert figures[f"cross_appointments_{kind}"] == mine.filter(kind=kind).count()
    compound = Compound.objects.filter(pk__in=mine.filter(compound__isnull=False).values("compound_id")).first()
    one = as_user("district_org").get(f"/api/v1/governance/coverage/?compound={compound.pk}").json()
    # One compound: its committee's appointments and the firm heads' of its community.
    want = CrossAppointment.objects.filter(compound=compound).count() + CrossAppointment.objects.filter(
        compound__isnull=True, community_id=compound.community_id).count()
    assert one["cross_appointments"] == want


def test_coverage_figures_agree_with_the_per_node_counts(users):
    user = users["district_org"]
    compounds = compound_policy.visible(user)
    figures = selectors.coverage(compounds)
    per_street = selectors.cross_appointments_per_node(
        CrossAppointment.objects.filter(district_id__in=compounds.values("district_id")), "street")
    assert figures["cross_appointments"] == sum(row["total"] for row in per_street.values())


def test_the_per_node_route_stays_in_scope(as_user, users):
    street_id = users["street_office"].role_assignments.first().street_id
    rows = as_user("street_office").get("/api/v1/governance/cross-appointments/per-node/?level=community").json()
    assert rows and {r["id"] for r in rows} <= set(Community.objects.filter(street_id=street_id)
                                                   .values_list("pk", flat=True))
    assert sum(r["total"] for r in rows) == CrossAppointment.objects.filter(street_id=street_id).count()
    by_street = as_user("district_org").get("/api/v1/governance/cross-appointments/per-node/?level=street").json()
    assert {r["id"] for r in by_street} == set(Street.objects.filter(
        district_id=users["district_org"].role_assignments.first().district_id).values_list("pk", flat=True))
    assert as_user("street_office").get(
        "/api/v1/governance/cross-appointments/per-node/?level=household").status_code == 400


def test_the_per_node_route_takes_a_fixed_number_of_queries(as_user, django_assert_max_num_queries):
    client = as_user("district_org")
    for level in ("street", "compound"):
        with django_assert_max_num_queries(6):
            assert client.get(f"/api/v1/governance/cross-appointments/per-node/?level={level}").status_code == 200


# --- the portal --------------------------------------------------------------------------------------------------

def test_residents_see_their_party_organizations_with_names_posts_and_the_cross_appointed(
        client, users, demo_compound, django_assert_max_num_queries):
    client.force_login(users["resident"])
    with django_assert_max_num_queries(25):
        page = client.get("/votes/")
    assert page.status_code == 200
    html = page.content.decode()
    committee = _community_committee(demo_compound.community_id)
    members = PartyOrganizationMember.objects.filter(organization=committee).select_related("person")
    assert committee.name in html
    for m in members:
        assert m.person.name in html
        assert m.person.phone not in html  # names and posts, never personal numbers
    crossed = CrossAppointment.objects.filter(compound=demo_compound).select_related("person").first()
    assert crossed is not None
    # Marked beside their name, in the owners' committee and in the party organization alike.
    assert len(re.findall(re.escape(crossed.person.name) + r" \([^)]*<strong>", html)) == 2
    other = PartyOrganization.objects.exclude(community_id=demo_compound.community_id).first()
    assert other.name not in html


# --- the admin ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/admin/governance/partyorganization/", "/admin/governance/partyorganizationmember/",
                                 "/admin/governance/crossappointment/"])
def test_the_admin_lists_load_in_scope(client, users, url):
    client.force_login(users["community_office"])
    response = client.get(url)
    assert response.status_code == 200
    other = PartyOrganization.objects.exclude(district_id=Community.objects.get(
        pk=users["community_office"].role_assignments.get().community_id).district_id).first()
    assert other.name not in response.content.decode()


def test_the_organization_page_shows_its_members_inline(client, users, demo_compound):
    org = _community_committee(demo_compound.community_id)
    client.force_login(users["community_office"])
    response = client.get(f"/admin/governance/partyorganization/{org.pk}/change/")
    assert response.status_code == 200
    assert org.secretary.name in response.content.decode()


def test_the_make_secretary_action_moves_the_post(client, users, demo_compound):
    org = _community_committee(demo_compound.community_id)
    deputy = org.members.get(post=Post.DEPUTY_SECRETARY)
    before = org.members.get(post=Post.SECRETARY)
    client.force_login(users["community_office"])
    response = client.post("/admin/governance/partyorganizationmember/", {
        "action": "make_secretary", "_selected_action": [deputy.pk]}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    assert PartyOrganization.objects.get(pk=org.pk).secretary == deputy.person
    before.refresh_from_db()
    assert before.post == Post.MEMBER


def test_the_end_action_is_refused_outside_the_scope(client, users):
    street_id = users["street_office"].role_assignments.get().street_id
    theirs = CrossAppointment.objects.exclude(street_id=street_id).filter(
        district_id=users["street_office"].role_assignments.get().district_id).first()
    client.force_login(users["street_office"])
    client.post("/admin/governance/crossappointment/", {"action": "end_appointment",
                                                        "_selected_action": [theirs.pk]}, follow=True)
    assert CrossAppointment.objects.filter(pk=theirs.pk).exists()


def _change_form_data(response) -> dict:
    """The POST data of an admin change page as it stands (main form and inline formsets)."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is not None:
            data[name] = value.pk if hasattr(value, "pk") else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for f in formset.initial_forms:
            for name, field in f.fields.items():
                value = f.initial.get(name, field.initial)
                if value is None or value is False:
                    continue
                data[f"{f.prefix}-{name}"] = value.pk if hasattr(value, "pk") else value
    return data


def test_the_inline_refuses_a_second_secretary_and_a_swap_with_a_message(client, users, demo_compound):
    org = _community_committee(demo_compound.community_id)
    url = f"/admin/governance/partyorganization/{org.pk}/change/"
    client.force_login(users["community_office"])
    data = _change_form_data(client.get(url))
    prefix = next(k[: -len("-TOTAL_FORMS")] for k in data if k.endswith("-TOTAL_FORMS"))
    rows = {data[k]: k[: -len("-id")] for k in data if k.startswith(prefix) and k.endswith("-id")}
    deputy = org.members.get(post=Post.DEPUTY_SECRETARY)
    secretary = org.members.get(post=Post.SECRETARY)
    # given the deputy made secretary beside the secretary: refused, not a 500
    response = client.post(url, {**data, f"{rows[deputy.pk]}-post": Post.SECRETARY})
    assert response.status_code == 200 and response.context["errors"]
    # given a swap in one go: refused with a pointer to the action
    response = client.post(url, {**data, f"{rows[deputy.pk]}-post": Post.SECRETARY,
                                 f"{rows[secretary.pk]}-post": Post.MEMBER})
    assert response.status_code == 200 and response.context["errors"]
    assert PartyOrganization.objects.get(pk=org.pk).secretary == secretary.person
    # an unchanged form saves
    final = client.post(url, data)
    assert final.status_code == 302, (final.context["errors"], [f.formset.non_form_errors() for f in final.context["inline_admin_formsets"]])
