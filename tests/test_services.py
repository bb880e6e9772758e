"""Role grants and contracts: who may grant what, and how grants become reach."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from communities.models import Community, Compound, Role, Street
from communities.policies import compound_policy
from communities.services import role_grant, role_revoke
from core.errors import DomainError
from properties.models import Contract, Firm
from properties.services import contract_save

User = get_user_model()


@pytest.fixture
def newcomer(db):
    return User.objects.create_user("newcomer", password="x-very-long-pass")


@pytest.mark.django_db
class TestRoleGrant:
    def test_a_street_office_appoints_a_commissioner_in_its_street(self, users, newcomer):
        compound = compound_policy.visible(users["street_office"]).filter(street_id__isnull=False).first()
        role_grant(actor=users["street_office"], user=newcomer, role=Role.COMMISSIONER, node=compound)
        newcomer = User.objects.get(pk=newcomer.pk)
        assert newcomer.is_staff
        assert set(compound_policy.visible(newcomer)) == {compound}

    def test_a_street_office_may_not_appoint_in_another_street(self, users, newcomer):
        other_street = Compound.objects.exclude(
            street_id=users["street_office"].role_assignments.get().street_id
        ).filter(district_id=users["street_office"].role_assignments.get().district_id).first()
        with pytest.raises(DomainError):
            role_grant(actor=users["street_office"], user=newcomer, role=Role.COMMISSIONER, node=other_street)

    def test_a_street_office_may_not_make_another_street_office(self, users, newcomer):
        street = Street.objects.get(pk=users["street_office"].role_assignments.get().street_id)
        with pytest.raises((DomainError, PermissionDenied)):
            role_grant(actor=users["street_office"], user=newcomer, role=Role.STREET_OFFICE, node=street)

    def test_a_resident_may_not_grant_anything(self, users, newcomer):
        compound = compound_policy.visible(users["resident"]).first()
        with pytest.raises(PermissionDenied):
            role_grant(actor=users["resident"], user=newcomer, role=Role.COMMISSIONER, node=compound)

    def test_a_user_belongs_to_one_district(self, users):
        other = Community.objects.filter(district__code="gongshu").first()
        with pytest.raises(DomainError):
            role_grant(actor=users["admin"], user=users["street_office"], role=Role.COMMUNITY_OFFICE, node=other)

    def test_revoking_the_last_role_removes_reach_and_admin_access(self, users, newcomer):
        compound = compound_policy.visible(users["community_office"]).first()
        grant = role_grant(actor=users["community_office"], user=newcomer, role=Role.COMMITTEE_MEMBER, node=compound)
        role_revoke(actor=users["community_office"], assignment=grant)
        newcomer = User.objects.get(pk=newcomer.pk)
        assert not newcomer.is_staff
        assert not compound_policy.visible(newcomer).exists()


@pytest.mark.django_db
class TestContracts:
    def test_a_firm_reaches_a_compound_while_its_contract_is_active(self, users):
        firm = Firm.objects.get(pk=users["firm_staff"].role_assignments.get().firm_id)
        compound = Compound.objects.filter(district_id=firm.district_id, contracts__isnull=True).first()
        contract = Contract(firm=firm, compound=compound, starts_on=datetime.date(2026, 1, 1), status="active")
        contract_save(actor=users["district_center"], contract=contract)
        assert compound_policy.visible(User.objects.get(username="firm_staff")).filter(pk=compound.pk).exists()

        contract.status = Contract.Status.ENDED
        contract_save(actor=users["district_center"], contract=contract)
        assert not compound_policy.visible(User.objects.get(username="firm_staff")).filter(pk=compound.pk).exists()

    def test_a_second_active_contract_for_a_compound_is_refused(self, users):
        active = Contract.objects.filter(status="active", district__code="zhenhai").first()
        other_firm = Firm.objects.filter(district_id=active.district_id).exclude(pk=active.firm_id).first()
        with pytest.raises(DomainError):
            contract_save(actor=users["district_center"], contract=Contract(
                firm=other_firm, compound=active.compound, starts_on=datetime.date(2026, 1, 1), status="active"))

    def test_only_the_district_centre_manages_contracts(self, users):
        active = Contract.objects.filter(status="active", district__code="zhenhai").first()
        active.status = Contract.Status.ENDED
        with pytest.raises(DomainError):
            contract_save(actor=users["street_office"], contract=active)
        assert Contract.objects.get(pk=active.pk).status == Contract.Status.ACTIVE
