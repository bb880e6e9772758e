"""Firms' register, contract terms and reminders, service menus and the zeroing of unmanaged compounds."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from communities.models import Compound, ManagementMode
from core.errors import DomainError
from properties import selectors, services
from properties.credit_code import check_character, validate_credit_code
from properties.models import Contract, ContractReminder, FallbackAssignment, Firm, MenuGroup, ServiceMenuItem

# Real codes of registered companies (published on their licences), and the same with one character changed.
REAL_CODES = ["91350100M000100Y43", "9144030071526726XG", "914403001922038216", "91330100799655058B",
              "91110108551385082Q"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_credit_codes_pass_their_check_character(code):
    validate_credit_code(code)
    assert check_character(code[:17]) == code[17]


@pytest.mark.parametrize("code,reason", [
    ("91350100M000100Y44", "check"),  # last character changed
    ("91350100M000100Y4", "length"),
    ("91350100M0001O0Y43", "characters"),  # letter O is not in the alphabet
    ("913501I0M000100Y43", "characters"),
    ("9135A100M000100Y43", "region"),
    ("9144030071526726XH", "check"),
    ("9134030071526726XG", "check"),  # two digits swapped
])
def test_mistyped_credit_codes_are_refused_with_the_reason(code, reason):
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(code)
    assert caught.value.code == reason


@pytest.mark.django_db
def test_demo_firms_hold_valid_codes_and_one_fallback_firm_per_district():
    for firm in Firm.objects.all():
        validate_credit_code(firm.credit_code)
    assert Firm.objects.filter(is_fallback=True).count() == Firm.objects.values("district").distinct().count()


@pytest.mark.django_db
def test_a_firm_with_a_bad_code_is_not_saved(users):
    firm = Firm.objects.first()
    firm.credit_code = "91350100M000100Y44"
    with pytest.raises(ValidationError):
        services.firm_save(actor=users["district_center"], firm=firm)


def _contract(**filters) -> Contract:
    return Contract.objects.filter(status=Contract.Status.ACTIVE, **filters).select_related("firm", "compound").first()


@pytest.mark.django_db
def test_a_contract_status_moves_one_way(users):
    contract = _contract(district__name="镇海区") or _contract()
    contract.status = Contract.Status.DRAFT
    with pytest.raises(DomainError):
        services.contract_save(actor=users["admin"], contract=contract)
    services.contract_end(contract=contract, early=True)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ENDED_EARLY
    assert contract.history.first().status == Contract.Status.ENDED_EARLY  # the status history
    with pytest.raises(DomainError):
        services.contract_end(contract=contract, early=False)


@pytest.mark.django_db
def test_expiry_reminders_at_90_and_30_days_once_each(users):
    contract = _contract()
    Contract.objects.filter(pk=contract.pk).update(ends_on=datetime.date(2027, 6, 30))
    day = datetime.date(2027, 6, 30) - datetime.timedelta(days=95)
    assert not ContractReminder.objects.filter(contract=contract).exists()
    counts = []
    while day <= datetime.date(2027, 6, 30):
        counts.append(sum(services.contracts_remind_expiring(today=day) for _run in range(2)))  # runs twice a day
        day += datetime.timedelta(days=1)
    kinds = list(ContractReminder.objects.filter(contract=contract).order_by("sent_at").values_list("kind", flat=True))
    assert kinds == [90, 30]


@pytest.mark.django_db
def test_a_contract_found_within_30_days_gets_the_30_day_reminder_only():
    contract = _contract()
    Contract.objects.filter(pk=contract.pk).update(ends_on=datetime.date(2027, 1, 20))
    services.contracts_remind_expiring(today=datetime.date(2027, 1, 1))
    services.contracts_remind_expiring(today=datetime.date(2027, 1, 2))
    assert list(ContractReminder.objects.filter(contract=contract).values_list("kind", flat=True)) == [30]


def _district_of(street_id):
    return Compound.objects.filter(street_id=street_id).values_list("district_id", flat=True).first()


def _unmanaged(street_of):
    return Compound.objects.filter(management_mode=ManagementMode.UNMANAGED, street_id=street_of).order_by("pk").first()


@pytest.mark.django_db
def test_the_street_zeroes_an_unmanaged_compound_with_a_fallback_firm(users):
    street_id = users["street_office"].role_assignments.get().street_id
    compound = _unmanaged(street_id)
    fallback = Firm.objects.get(district_id=compound.district_id, is_fallback=True)
    before = selectors.zeroing_figures(Compound.objects.filter(street_id=street_id), year=2026)

    assignment = services.fallback_assign(
        actor=users["street_office"], compound=compound, mode=ManagementMode.GOVERNMENT_FALLBACK, firm=fallback,
        startup_money=Decimal("50000.00"), zeroed_on=datetime.date(2026, 11, 1),
    )

    compound.refresh_from_db()
    assert compound.management_mode == ManagementMode.GOVERNMENT_FALLBACK
    contract = Contract.objects.get(compound=compound, status=Contract.Status.ACTIVE)
    assert contract.firm == fallback and contract.counterpart == Contract.Counterpart.STREET
    assert assignment.startup_money == Decimal("50000.00")
    after = selectors.zeroing_figures(Compound.objects.filter(street_id=street_id), year=2026)
    assert after["unmanaged"] == before["unmanaged"] - 1
    assert after["zeroed"] == before["zeroed"] + 1 and after["zeroed_in_year"] == before["zeroed_in_year"] + 1
    by_community = selectors.zeroing_figures(Compound.objects.filter(street_id=street_id), by="community_id")
    assert sum(row["zeroed"] for row in by_community) == after["zeroed"]
    # a compound is zeroed once
    with pytest.raises(DomainError):
        services.fallback_assign(actor=users["street_office"], compound=compound,
                                 mode=ManagementMode.COMMITTEE_CUSTODY, custodian="社区居委会",
                                 startup_money=Decimal("0"))


@pytest.mark.django_db
def test_custody_needs_a_custodian_and_no_firm(users):
    street_id = users["street_office"].role_assignments.get().street_id
    compound = _unmanaged(street_id)
    with pytest.raises(DomainError):
        services.fallback_assign(actor=users["street_office"], compound=compound,
                                 mode=ManagementMode.SOCIAL_ORG_CUSTODY, startup_money=Decimal("0"))
    services.fallback_assign(actor=users["street_office"], compound=compound, mode=ManagementMode.SOCIAL_ORG_CUSTODY,
                             custodian="镇海区社工服务中心", startup_money=Decimal("12000"))
    assert FallbackAssignment.objects.get(compound=compound).custodian == "镇海区社工服务中心"
    assert not Contract.objects.filter(compound=compound, status=Contract.Status.ACTIVE).exists()


@pytest.mark.django_db
def test_zeroing_is_the_street_s_own(users):
    own_street = users["street_office"].role_assignments.get().street_id
    compound = Compound.objects.exclude(street_id=own_street).filter(district_id=_district_of(own_street)).first()
    Compound.objects.filter(pk=compound.pk).update(management_mode=ManagementMode.UNMANAGED)
    with pytest.raises((Http404, PermissionDenied)):
        services.fallback_assign(actor=users["street_office"], compound=compound,
                                 mode=ManagementMode.COMMITTEE_CUSTODY, custodian="居委会", startup_money=Decimal("0"))
    with pytest.raises((Http404, PermissionDenied)):
        services.fallback_assign(actor=users["community_office"], compound=_unmanaged(
            users["street_office"].role_assignments.get().street_id),
            mode=ManagementMode.COMMITTEE_CUSTODY, custodian="居委会", startup_money=Decimal("0"))


@pytest.mark.django_db
def test_the_firm_keeps_its_menu_and_a_compound_item_needs_the_compound(users):
    firm_id = users["firm_staff"].role_assignments.get().firm_id
    item = ServiceMenuItem(firm_id=firm_id, group=MenuGroup.LEGAL, title="调解", standard="当日回应", response_hours=24)
    services.menu_item_save(actor=users["firm_staff"], item=item)
    other = Compound.objects.exclude(contracts__firm_id=firm_id).filter(district_id=item.district_id).first()
    item_elsewhere = ServiceMenuItem(firm_id=firm_id, compound=other, group=MenuGroup.LEGAL, title="x",
                                     standard="y", response_hours=1)
    with pytest.raises(DomainError):
        services.menu_item_save(actor=users["firm_staff"], item=item_elsewhere)
    someone_elses = ServiceMenuItem(firm=Firm.objects.filter(district_id=item.district_id).exclude(pk=firm_id).first(),
                                    group=MenuGroup.LEGAL, title="x", standard="y", response_hours=1)
    with pytest.raises(PermissionDenied):
        services.menu_item_save(actor=users["firm_staff"], item=someone_elses)
    contract = _contract(firm_id=firm_id)
    menu = selectors.menu_for(firm_id=firm_id, compound_id=contract.compound_id)
    assert {m.group for m in menu} == set(MenuGroup.values) and any(m.is_free for m in menu)


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_contract_documents_are_checked_by_their_content(users, tmp_path, settings):
    from communities.models import RoleAssignment

    settings.MEDIA_ROOT = tmp_path
    # a contract of the district centre's own district (the first active one may be the other district's)
    contract = _contract(district_id=RoleAssignment.objects.get(user=users["district_center"]).district_id)
    pdf = SimpleUploadedFile("合同.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    document = services.contract_document_add(actor=users["district_center"], contract=contract, title="合同",
                                              upload=pdf)
    assert document.content_type == "application/pdf"
    for name, content in [("合同.pdf", _png()), ("scan.png", b"MZ\x90\x00 not an image"), ("a.exe", b"%PDF-1.4")]:
        with pytest.raises(DomainError):
            services.contract_document_add(actor=users["district_center"], contract=contract, title="x",
                                           upload=SimpleUploadedFile(name, content))
    with pytest.raises((Http404, PermissionDenied)):
        services.contract_document_add(actor=users["resident"], contract=contract, title="x",
                                       upload=SimpleUploadedFile("b.png", _png()))


def _by_mode_category(district_id):
    from petitions.models import Category

    return Category.objects.filter(district_id=district_id, routing=Category.Routing.BY_MANAGEMENT_MODE,
                                   is_active=True).order_by("pk").first()


@pytest.mark.django_db
def test_petitions_of_a_zeroed_compound_reach_the_fallback_firm_or_the_custodian(users):
    from django.contrib.auth import get_user_model

    from communities.models import Role
    from communities.scope import forget_scope, scope_for
    from communities.services import role_grant
    from petitions import services as petition_services
    from petitions.models import HandlerKind

    street_id = users["street_office"].role_assignments.get().street_id
    fallback_compound, custody_compound = Compound.objects.filter(street_id=street_id).exclude(
        contracts__status=Contract.Status.ACTIVE).exclude(fallback_assignment__isnull=False).order_by("pk")[:2]
    Compound.objects.filter(pk__in=[fallback_compound.pk, custody_compound.pk]).update(
        management_mode=ManagementMode.UNMANAGED)
    fallback = Firm.objects.get(district_id=fallback_compound.district_id, is_fallback=True)
    staff = get_user_model().objects.create_user(username="fallback-staff")
    role_grant(actor=users["admin"], user=staff, role=Role.FIRM_STAFF, node=fallback)
    # given one compound under the fallback firm and one in the residents' committee's custody
    services.fallback_assign(actor=users["street_office"], compound=fallback_compound,
                             mode=ManagementMode.GOVERNMENT_FALLBACK, firm=fallback, startup_money=Decimal("1000"))
    services.fallback_assign(actor=users["street_office"], compound=custody_compound,
                             mode=ManagementMode.COMMITTEE_CUSTODY, custodian="社区居委会", startup_money=Decimal("0"))
    category = _by_mode_category(fallback_compound.district_id)
    # when petitions are recorded there
    petition = petition_services.petition_record(
        actor=users["street_office"], category=category, description="路灯坏了", compound=fallback_compound,
        source="phone", reporter_name="王", reporter_phone="13800138000")
    in_custody = petition_services.route(compound=custody_compound, category=category)
    # then the fallback firm handles the first (and its staff reach it), the community office the second
    routed = petition_services.route(compound=fallback_compound, category=category)
    assert routed["handler_kind"] == HandlerKind.FIRM and routed["handler_firm"] == fallback
    assert petition.handler_kind == HandlerKind.FIRM and petition.handler_firm_id == fallback.pk
    assert staff.pk in petition_services.handler_user_ids(petition)
    forget_scope(staff)
    assert fallback_compound.pk in scope_for(staff).granted_compounds
    assert in_custody == {"handler_kind": HandlerKind.COMMUNITY_OFFICE}
