"""The maintenance fund's rules through the services: deposits, interest, applications with the owners' decision
and the three-level review in order, acceptance before payment, shares by floor area, top-ups owed, reversals
and closed months."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from core.errors import DomainError
from ledger import services
from ledger.models import Account, AccountKind, FundApplication, Leg, Shortfall, TransactionKind
from ledger.selectors import balance_differences
from notifications.links import url_for
from notifications.models import Notification

from .conftest import check_deferred, households_of, passed_vote

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 15)


def fund_balance(household):
    return Account.objects.get(household=household, kind=AccountKind.HOUSEHOLD_FUND).balance


def bank_balance(compound):
    return Account.objects.get(compound=compound, kind=AccountKind.FUND_BANK, household=None).balance


def deposit_all(users, compound, rate="50"):
    for household in households_of(compound):
        services.fund_deposit(actor=users["district_center"], household=household, rate=rate, posted_on=DAY)


def test_first_deposit_by_floor_area_then_a_top_up(users, fund_compound):
    first, *_rest = households_of(fund_compound)
    t1 = services.fund_deposit(actor=users["district_center"], household=first, rate="50", posted_on=DAY)
    t2 = services.fund_deposit(actor=users["district_center"], household=first, amount="100.10", posted_on=DAY)
    check_deferred()
    assert (t1.kind, t2.kind) == (TransactionKind.DEPOSIT, TransactionKind.TOP_UP)
    assert fund_balance(first) == Decimal("4475.00") + Decimal("100.10")  # 89.50 m² × 50
    assert bank_balance(fund_compound) == fund_balance(first)
    assert balance_differences() == []


@pytest.mark.parametrize("amount, message", [
    ("-10", "greater than zero"), ("10.001", "two decimal places"), ("ten", "number of yuan"),
])
def test_bad_amounts_are_field_errors_and_write_nothing(users, fund_compound, amount, message):
    household = households_of(fund_compound)[0]
    with pytest.raises(ValidationError) as exc:
        services.fund_deposit(actor=users["district_center"], household=household, amount=amount, posted_on=DAY)
    assert message in exc.value.message_dict["amount"][0]
    assert not Leg.objects.filter(account__compound=fund_compound).exists()


@pytest.mark.parametrize("login", ["street_office", "community_office", "committee_member", "firm_staff",
                                   "resident"])
def test_only_the_district_centre_books_deposits(users, fund_compound, login):
    household = households_of(fund_compound)[0]
    with pytest.raises((PermissionDenied, DomainError, Exception)) as exc:
        services.fund_deposit(actor=users[login], household=household, amount="10", posted_on=DAY)
    assert exc.type.__name__ in ("PermissionDenied", "Http404")


def test_interest_is_shared_by_balance_to_the_fen(users, fund_compound):
    deposit_all(users, fund_compound)
    before = {h.pk: fund_balance(h) for h in households_of(fund_compound)}
    services.fund_interest_allocate(actor=users["district_center"], compound=fund_compound, amount="100.00",
                                    posted_on=DAY)
    check_deferred()
    gained = {h.pk: fund_balance(h) - before[h.pk] for h in households_of(fund_compound)}
    assert sum(gained.values()) == Decimal("100.00")
    assert gained == {pk: g for pk, g in gained.items() if g > 0}
    assert bank_balance(fund_compound) == sum(before.values()) + Decimal("100.00")


def _apply(users, compound, *, amount="3000.00", decision=True, emergency=False, login="committee_member",
           applicant="committee"):
    building = households_of(compound)[0].building
    return services.fund_application_submit(
        actor=users[login], compound=compound, project="Replace the lift ropes", amount=amount,
        contractor="Ningbo Lift Co.", buildings=[building], applicant=applicant,
        decision=passed_vote(compound) if decision is True else decision, is_emergency=emergency,
    )


def test_an_application_without_the_owners_decision_is_refused_clearly(users, demo_compound):
    with pytest.raises(DomainError) as exc:
        _apply(users, demo_compound, decision=None)
    assert exc.value.field == "decision"
    assert "owners' decision" in exc.value.message


@pytest.mark.parametrize("rule, result, words", [
    ("rule_5030", "passed", "Civil Code rule"), ("simple_majority", "passed", "Civil Code rule"),
    ("civil_code_ordinary", "failed", "not passed"),
])
def test_the_decision_must_be_a_passed_civil_code_vote(users, demo_compound, rule, result, words):
    with pytest.raises(DomainError) as exc:
        _apply(users, demo_compound, decision=passed_vote(demo_compound, rule=rule, result=result))
    assert words in exc.value.message


def test_a_committee_council_vote_is_not_the_owners_decision(users, demo_compound):
    # given a closed, passed vote of the committee (a council vote), not of the owners
    council = passed_vote(demo_compound)
    council.is_council = True
    council.save(update_fields=["is_council"])
    # then it does not decide on the owners' fund
    with pytest.raises(DomainError, match="not passed"):
        _apply(users, demo_compound, decision=council)


def test_bad_application_amounts_are_field_errors(users, demo_compound):
    for amount, message in (("-1", "greater than zero"), ("1.234", "two decimal places"), ("x", "number")):
        with pytest.raises(ValidationError) as exc:
            _apply(users, demo_compound, amount=amount)
        assert message in exc.value.message_dict["amount"][0]


def test_the_review_goes_community_then_street_then_centre(users, demo_compound):
    application = _apply(users, demo_compound)
    assert application.status == FundApplication.Status.AT_COMMUNITY
    with pytest.raises(DomainError, match="community → street"):
        services.fund_application_review(actor=users["street_office"], application=application, level="street",
                                         approve=True, opinion="ok")
    with pytest.raises(PermissionDenied):
        services.fund_application_review(actor=users["street_office"], application=application,
                                         level="community", approve=True, opinion="ok")
    with pytest.raises(ValidationError):
        services.fund_application_review(actor=users["community_office"], application=application,
                                         level="community", approve=True, opinion="  ")
    for login, level in (("community_office", "community"), ("street_office", "street"),
                         ("district_center", "center")):
        services.fund_application_review(actor=users[login], application=application, level=level,
                                         approve=True, opinion=f"{level} agrees")
    application.refresh_from_db()
    assert application.status == FundApplication.Status.APPROVED
    assert list(application.reviews.values_list("level", flat=True)) == ["community", "street", "center"]
    assert all(r.at and r.opinion for r in application.reviews.all())


def test_an_emergency_needs_no_vote_the_street_approves_first_and_owners_see_it_afterwards(users, demo_compound):
    application = _apply(users, demo_compound, decision=None, emergency=True)
    assert (application.status, application.published_at) == (FundApplication.Status.AT_STREET, None)
    services.fund_application_review(actor=users["street_office"], application=application, level="street",
                                     approve=True, opinion="Lift stopped: start now")
    application.refresh_from_db()
    assert application.status == FundApplication.Status.APPROVED
    assert application.published_at is not None


def _approved(users, compound, **kwargs):
    application = _apply(users, compound, **kwargs)
    for login, level in (("community_office", "community"), ("street_office", "street"),
                         ("district_center", "center")):
        services.fund_application_review(actor=users[login], application=application, level=level,
                                         approve=True, opinion="agreed")
    return application


def _accept(users, application):
    services.fund_document_add(actor=users["community_office"], application=application,
                               kind="acceptance_photo", file=ContentFile(b"jpeg", name="done.jpg"))
    return services.fund_application_accept(actor=users["community_office"], application=application,
                                            note="Works done as quoted")


def test_payment_waits_for_acceptance_with_photos(users, fund_compound):
    deposit_all(users, fund_compound)
    application = _approved(users, fund_compound, login="community_office", applicant="community")
    with pytest.raises(DomainError, match="accepted"):
        services.fund_disburse(actor=users["district_center"], application=application, posted_on=DAY)
    with pytest.raises(DomainError) as exc:
        services.fund_application_accept(actor=users["community_office"], application=application, note="ok")
    assert exc.value.field == "photos"
    _accept(users, application)
    services.fund_disburse(actor=users["district_center"], application=application, posted_on=DAY)
    check_deferred()
    application.refresh_from_db()
    assert (application.status, application.disbursed) == (FundApplication.Status.PAID, Decimal("3000.00"))
    assert balance_differences() == []


def test_a_share_beyond_the_balance_is_owed_as_a_top_up_never_a_negative_fund(users, fund_compound):
    deposit_all(users, fund_compound, rate="10")  # 895.00, 1200.00, 652.50
    application = _approved(users, fund_compound, login="community_office", applicant="community")
    _accept(users, application)
    services.fund_disburse(actor=users["district_center"], application=application, posted_on=DAY)
    check_deferred()
    # 3000 by area 89.50 : 120.00 : 65.25 → 977.25, 1310.28, 712.47; each pays what it has.
    assert [fund_balance(h) for h in households_of(fund_compound)] == [Decimal("0.00")] * 3
    owed = dict(Shortfall.objects.filter(application=application).values_list("household__room", "amount"))
    assert owed == {"001": Decimal("82.25"), "002": Decimal("110.28"), "003": Decimal("59.97")}
    application.refresh_from_db()
    assert application.status == FundApplication.Status.ACCEPTED
    assert application.disbursed == Decimal("2747.50")
    # The top-ups arrive; paying again collects what is owed and nothing more.
    for household in households_of(fund_compound):
        services.fund_deposit(actor=users["district_center"], household=household, amount="200", posted_on=DAY)
    services.fund_disburse(actor=users["district_center"], application=application, posted_on=DAY)
    check_deferred()
    application.refresh_from_db()
    assert (application.status, application.disbursed) == (FundApplication.Status.PAID, Decimal("3000.00"))
    assert not Shortfall.objects.filter(application=application).exists()
    assert balance_differences() == []


def test_a_reversal_undoes_a_payment_line_by_line(users, fund_compound):
    deposit_all(users, fund_compound)
    application = _approved(users, fund_compound, login="community_office", applicant="community")
    _accept(users, application)
    payment = services.fund_disburse(actor=users["district_center"], application=application, posted_on=DAY)
    before = bank_balance(fund_compound)
    with pytest.raises(ValidationError):
        services.transaction_reverse(actor=users["district_center"], transaction_=payment, memo="")
    reversal = services.transaction_reverse(actor=users["district_center"], transaction_=payment,
                                            memo="Paid to the wrong account", posted_on=DAY)
    check_deferred()
    assert reversal.reverses_id == payment.pk
    assert bank_balance(fund_compound) == before + Decimal("3000.00")
    application.refresh_from_db()
    assert (application.status, application.disbursed) == (FundApplication.Status.ACCEPTED, Decimal("0.00"))
    with pytest.raises(DomainError, match="reversed already"):
        services.transaction_reverse(actor=users["district_center"], transaction_=payment, memo="again")
    with pytest.raises(DomainError, match="not reversed"):
        services.transaction_reverse(actor=users["district_center"], transaction_=reversal, memo="again")


def test_a_closed_month_takes_no_more_postings(users, fund_compound):
    household = households_of(fund_compound)[0]
    services.fund_deposit(actor=users["district_center"], household=household, amount="10", posted_on=DAY)
    with pytest.raises(DomainError, match="over"):
        services.period_close(actor=users["district_center"], compound=fund_compound, year=2026, month=3,
                              today=DAY)
    services.period_close(actor=users["district_center"], compound=fund_compound, year=2026, month=3,
                          today=datetime.date(2026, 4, 1))
    with pytest.raises(DomainError, match="closed"):
        services.fund_deposit(actor=users["district_center"], household=household, amount="10", posted_on=DAY)
    with pytest.raises(DomainError, match="closed already"):
        services.period_close(actor=users["district_center"], compound=fund_compound, year=2026, month=3,
                              today=datetime.date(2026, 4, 1))


def test_check_ledger_passes_on_consistent_books(users, fund_compound):
    deposit_all(users, fund_compound)
    call_command("check_ledger", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.postgres
def test_check_ledger_exits_non_zero_on_a_difference(users, fund_compound):
    from django.db import connection

    deposit_all(users, fund_compound)
    with connection.cursor() as cursor:
        # Only a superuser's replica mode gets past the balance guard: this is what the check is for.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("UPDATE ledger_account SET balance = balance + 1 WHERE compound_id = %s AND kind = %s",
                       [fund_compound.pk, AccountKind.FUND_BANK])
        cursor.execute("SET session_replication_role = DEFAULT")
    with pytest.raises(CommandError) as exc:
        call_command("check_ledger", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert exc.value.returncode == 1


def test_a_step_waiting_too_long_is_reminded_once(users, demo_compound):
    from django.utils import timezone

    application = _apply(users, demo_compound)
    later = timezone.now() + datetime.timedelta(hours=30)
    assert services.fund_reviews_remind(now=later, after=datetime.timedelta(hours=24)) >= 1
    application.refresh_from_db()
    assert application.reminded_at == later
    # the community office that reviews first finds the reminder in its inbox, opening the application
    reminder = Notification.objects.for_target(application).get(user=users["community_office"],
                                                                 subject__startswith="Reminder")
    assert url_for(reminder, users["community_office"]) == f"/admin/ledger/fundapplication/{application.pk}/change/"
    assert services.fund_reviews_remind(now=later, after=datetime.timedelta(hours=24)) == 0
    # the next step waits anew and is reminded again when it too waits too long
    services.fund_application_review(actor=users["community_office"], application=application,
                                     level="community", approve=True, opinion="ok", now=later)
    application.refresh_from_db()
    assert application.reminded_at is None and application.waiting_since == later


def test_a_reversal_and_a_disbursement_ask_whether_the_actor_sees_the_object_once(users, fund_compound,
                                                                                  monkeypatch):
    # given a paid application, and the policies' answers counted (require already 404s the invisible)
    from ledger.policies import fund_application_policy, transaction_policy

    deposit_all(users, fund_compound)
    application = _approved(users, fund_compound, login="community_office", applicant="community")
    _accept(users, application)
    asked = []
    for policy in (fund_application_policy, transaction_policy):
        can = policy.can
        monkeypatch.setattr(policy, "can", lambda user, action, obj=None, _can=can: (
            asked.append(action), _can(user, action, obj))[1])
    # when the centre pays the works and reverses the payment
    payment = services.fund_disburse(actor=users["district_center"], application=application, posted_on=DAY)
    services.transaction_reverse(actor=users["district_center"], transaction_=payment, memo="wrong account",
                                 posted_on=DAY)
    # then each service asked "may they see it" once, not twice
    assert asked.count("view") == 2
