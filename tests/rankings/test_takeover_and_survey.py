"""Exit and takeover never leave a petition without a handler; the survey takes one answer per household per
quarter, also when two arrive at once."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.http import Http404

from communities.models import Household, Role
from communities.scope import forget_scope, scope_for
from communities.services import role_grant
from core.errors import DomainError
from petitions import services as petition_services
from petitions.models import OPEN_STATES, Category, HandlerKind, Petition
from properties.models import Contract, Firm
from rankings import selectors, services, takeover
from rankings.models import ExitCase, HandoverItem, Period


@pytest.fixture(autouse=True)
def _own_quarters(clean_slate):
    """These tests make their own quarters."""


def _submit(users, place) -> Petition:
    category = Category.objects.filter(district=place["district"], routing=Category.Routing.BY_MANAGEMENT_MODE,
                                       is_active=True).first()
    return petition_services.petition_submit(actor=users["resident"], category=category, description="楼道灯不亮",
                                             compound=place["compound"])


def _assert_every_open_petition_has_a_reachable_handler(compound):
    """Every open petition handled in the compound (a department's are not the compound's to hand over) has a
    handler whose scope reaches the compound."""
    for petition in Petition.objects.filter(compound=compound, status__in=OPEN_STATES).exclude(
            handler_kind=HandlerKind.DEPARTMENT):
        handlers = petition_services.handler_user_ids(petition)
        assert handlers, f"petition {petition.pk} ({petition.handler_kind}) has no handler"
        for user_id in handlers:
            user = get_user_model().objects.get(pk=user_id)
            forget_scope(user)
            scope = scope_for(user)
            assert scope.reaches(district_id=petition.district_id, street_id=petition.street_id,
                                 community_id=petition.community_id, compound_id=petition.compound_id)


@pytest.mark.django_db
def test_during_the_handover_every_petition_of_the_compound_has_a_handler(users, place):
    compound, old_firm_id = place["compound"], place["firm_id"]
    before = _submit(users, place)
    assert before.handler_kind == HandlerKind.FIRM and before.handler_firm_id == old_firm_id
    case = takeover.exit_open(actor=users["district_center"], contract=place["contract"],
                              reason=ExitCase.Reason.OWNERS)
    with pytest.raises(DomainError):  # no handover before the decision
        takeover.handover_start(actor=users["district_center"], case=case,
                                incoming_firm=Firm.objects.exclude(pk=old_firm_id).filter(
                                    district=place["district"]).first())
    with pytest.raises(DomainError):  # an owners' decision needs a passed vote of the compound
        takeover.exit_decide(actor=users["district_center"], case=case, decision=ExitCase.Decision.OWNERS_VOTE,
                             vote_id=None)
    takeover.exit_decide(actor=users["street_office"], case=case, decision=ExitCase.Decision.STREET)
    candidates = list(selectors.firms_by_priority(place["district"].pk, year=2026).exclude(pk=old_firm_id))
    incoming = candidates[0]

    takeover.handover_start(actor=users["district_center"], case=case, incoming_firm=incoming)

    place["contract"].refresh_from_db()
    assert place["contract"].status == Contract.Status.ENDED_EARLY
    before.refresh_from_db()
    assert before.handler_kind == HandlerKind.COMMUNITY_OFFICE and before.handler_firm_id is None
    during = _submit(users, place)
    assert during.handler_kind in (HandlerKind.COMMUNITY_OFFICE, HandlerKind.COMMITTEE)
    _assert_every_open_petition_has_a_reachable_handler(compound)
    forget_scope(users["firm_staff"])
    assert compound.pk not in scope_for(users["firm_staff"]).granted_compounds  # the old firm lost the compound

    # the checklist: three sides, six items; the takeover waits for all of them
    with pytest.raises(DomainError):
        takeover.handover_tick(actor=users["community_office"], case=case, item="keys", side="outgoing")
    for item in HandoverItem.Item.values:
        takeover.handover_tick(actor=users["firm_staff"], case=case, item=item, side="outgoing")
        takeover.handover_tick(actor=users["community_office"], case=case, item=item, side="community")
    with pytest.raises(DomainError):
        takeover.takeover_complete(actor=users["district_center"], case=case, starts_on=datetime.date(2026, 12, 1),
                                   ends_on=datetime.date(2029, 11, 30))
    incoming_staff = get_user_model().objects.create_user(username="incoming-staff")
    role_grant(actor=users["admin"], user=incoming_staff, role=Role.FIRM_STAFF, node=incoming)
    with pytest.raises(DomainError):  # the outgoing firm does not tick for the incoming one
        takeover.handover_tick(actor=users["firm_staff"], case=case, item="keys", side="incoming")
    for item in HandoverItem.Item.values:
        takeover.handover_tick(actor=incoming_staff, case=case, item=item, side="incoming")
    takeover.takeover_complete(actor=users["district_center"], case=case, starts_on=datetime.date(2026, 12, 1),
                               ends_on=datetime.date(2029, 11, 30))

    case.refresh_from_db()
    assert case.status == ExitCase.Status.DONE and case.new_contract.firm == incoming
    after = _submit(users, place)
    assert after.handler_kind == HandlerKind.FIRM and after.handler_firm_id == incoming.pk
    _assert_every_open_petition_has_a_reachable_handler(compound)


@pytest.mark.django_db
def test_the_exit_belongs_to_the_district_centre_and_the_street(users, place):
    for login in ("firm_staff", "community_office", "resident", "district_org_b"):
        with pytest.raises(Exception) as caught:
            takeover.exit_open(actor=users[login], contract=place["contract"], reason=ExitCase.Reason.OWNERS)
        assert caught.type.__name__ in ("PermissionDenied", "Http404")


def _household(users):
    return Household.objects.get(pk=next(iter(scope_for(users["resident"]).own_household_ids)))


@pytest.mark.django_db
def test_a_household_answers_the_survey_once_a_quarter(users, place):
    household = _household(users)
    Period.objects.create(district_id=household.district_id, year=2026, quarter=4, starts_on=datetime.date(2026, 10, 1),
                          ends_on=datetime.date(2026, 12, 31))
    today = datetime.date(2026, 11, 30)
    answer = services.survey_answer(actor=users["resident"], household=household, score=4, today=today)
    assert answer.firm_id == Contract.objects.get(compound_id=household.compound_id, status="active").firm_id
    with pytest.raises(DomainError):
        services.survey_answer(actor=users["resident"], household=household, score=5, today=today)
    with pytest.raises(DomainError):
        services.survey_answer(actor=users["resident"], household=household, score=6, today=today)
    with pytest.raises(Http404):
        services.survey_answer(actor=users["resident_2"], household=household, score=5, today=today)
    with pytest.raises(DomainError):  # no open quarter
        services.survey_answer(actor=users["resident"], household=household, score=5,
                               today=datetime.date(2027, 1, 5))
