"""The owners' ledgers of a compound: double-entry accounts, journal transactions and their legs, monthly periods,
and the maintenance fund's use applications with their three-level review.

Money is Decimal yuan in NUMERIC(14, 2). A leg's amount is signed: positive debits the account, negative credits
it, and the legs of a transaction sum to zero. An account's stored balance is kept in its natural direction
(`sign` × the sum of its legs) in the same database transaction as the legs, so pages read it without summing
history. PostgreSQL enforces the rules itself (ledger/sql.py, docs/adr/0007-ledger.md); the services check them
first to answer with a clear message.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from communities.models import Building, Community, Compound, District, Household, Street

MONEY = {"max_digits": 14, "decimal_places": 2}
CENT = Decimal("0.01")


class AccountKind(models.TextChoices):
    # The maintenance fund (住宅专项维修资金): the custodian bank's deposit and one sub-account per household.
    FUND_BANK = "fund_bank", _("Maintenance fund deposit at the custodian bank")
    HOUSEHOLD_FUND = "household_fund", _("Household maintenance fund sub-account")
    # Operating income of the common parts (公共收益), which belongs to the owners.
    COMMON_BANK = "common_bank", _("Common-part income bank account")
    COMMON_INCOME = "common_income", _("Common-part income")
    COMMON_EXPENSE = "common_expense", _("Common-part expenses")
    # Property fees (物业费): billed to each household, paid or relieved.
    FEES_RECEIVABLE = "fees_receivable", _("Property fees receivable")
    FEE_INCOME = "fee_income", _("Property fee income")
    FEE_CASH = "fee_cash", _("Property fees collected")
    FEE_RELIEF = "fee_relief", _("Property fee relief")


# Assets and expenses grow with debits, liabilities and income with credits.
DEBIT_KINDS = frozenset({AccountKind.FUND_BANK, AccountKind.COMMON_BANK, AccountKind.COMMON_EXPENSE,
                         AccountKind.FEES_RECEIVABLE, AccountKind.FEE_CASH, AccountKind.FEE_RELIEF})
HOUSEHOLD_KINDS = frozenset({AccountKind.HOUSEHOLD_FUND, AccountKind.FEES_RECEIVABLE})
# A household that pays ahead holds a credit on its fee account; every other balance stays at zero or above.
MAY_GO_NEGATIVE = frozenset({AccountKind.FEES_RECEIVABLE})


def kind_sign(kind: str) -> int:
    return 1 if kind in DEBIT_KINDS else -1


class Account(models.Model):
    """One account of a compound's books (科目); household sub-accounts carry their household."""

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    street = models.ForeignKey(Street, models.PROTECT, related_name="+", verbose_name=_("street"))
    community = models.ForeignKey(Community, models.PROTECT, related_name="+", verbose_name=_("community"))
    compound = models.ForeignKey(Compound, models.PROTECT, related_name="+", verbose_name=_("compound"))
    household = models.ForeignKey(
        Household, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("household"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AccountKind.choices)
    sign = models.SmallIntegerField(_("normal side"), editable=False)
    may_go_negative = models.BooleanField(_("may go negative"), editable=False)
    # Kept by the database trigger on legs (PostgreSQL) or by ledger.posting (other databases).
    balance = models.DecimalField(_("balance (yuan)"), **MONEY, default=Decimal("0.00"), editable=False)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["compound_id", "kind", "household_id"]
        constraints = [
            models.UniqueConstraint(fields=["compound", "kind"], condition=Q(household__isnull=True),
                                    name="account_one_per_compound_kind"),
            models.UniqueConstraint(fields=["household", "kind"], condition=Q(household__isnull=False),
                                    name="account_one_per_household_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=sorted(HOUSEHOLD_KINDS), household__isnull=False)
                | (~Q(kind__in=sorted(HOUSEHOLD_KINDS)) & Q(household__isnull=True)),
                name="account_household_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=sorted(DEBIT_KINDS), sign=1) | (~Q(kind__in=sorted(DEBIT_KINDS)) & Q(sign=-1)),
                name="account_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=sorted(MAY_GO_NEGATIVE), may_go_negative=True)
                | (~Q(kind__in=sorted(MAY_GO_NEGATIVE)) & Q(may_go_negative=False)),
                name="account_negative_matches_kind",
            ),
            # The rule the whole ledger rests on: no fund, bank or income account ever goes below zero.
            models.CheckConstraint(condition=Q(balance__gte=0) | Q(may_go_negative=True),
                                   name="account_balance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.household or self.compound}"

    def save(self, *args, **kwargs):
        self.sign = kind_sign(self.kind)
        self.may_go_negative = self.kind in MAY_GO_NEGATIVE
        if self.household_id:
            hh = self.household
            self.compound_id, self.community_id, self.street_id, self.district_id = (
                hh.compound_id, hh.community_id, hh.street_id, hh.district_id)
        else:
            c = self.compound
            self.community_id, self.street_id, self.district_id = c.community_id, c.street_id, c.district_id
        super().save(*args, **kwargs)


class Period(models.Model):
    """A month of a compound's books; once closed, nothing more is posted into it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    compound = models.ForeignKey(Compound, models.PROTECT, related_name="+", verbose_name=_("compound"))
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("closed by"))

    class Meta:
        verbose_name = _("accounting period")
        verbose_name_plural = _("accounting periods")
        ordering = ["compound_id", "-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["compound", "year", "month"], name="period_unique_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="period_month_valid"),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True) | Q(status="closed", closed_at__isnull=False),
                name="period_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @staticmethod
    def day_after(year: int, month: int) -> datetime.date:
        """The first day after the month: the month is over on it, and its books end before it."""
        return datetime.date(year + month // 12, month % 12 + 1, 1)


class TransactionKind(models.TextChoices):
    DEPOSIT = "deposit", _("First deposit")
    TOP_UP = "top_up", _("Top-up deposit")
    INTEREST = "interest", _("Interest allocation")
    DISBURSEMENT = "disbursement", _("Disbursement for works")
    REVERSAL = "reversal", _("Reversal")
    INCOME = "income", _("Common-part income")
    EXPENSE = "expense", _("Common-part expense")
    BILL = "bill", _("Property fee bill")
    PAYMENT = "payment", _("Property fee payment")
    RELIEF = "relief", _("Property fee relief")


class Transaction(models.Model):
    """A journal transaction (凭证): posted once, never changed; a mistake is undone by a linked reversal."""

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    compound = models.ForeignKey(Compound, models.PROTECT, related_name="+", verbose_name=_("compound"))
    period = models.ForeignKey(Period, models.PROTECT, related_name="transactions", verbose_name=pgettext_lazy("accounting", "period"))
    kind = models.CharField(_("kind"), max_length=16, choices=TransactionKind.choices)
    posted_on = models.DateField(_("posted on"))
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="reversed_by", verbose_name=_("reverses"),
    )
    application = models.ForeignKey(
        "FundApplication", models.PROTECT, null=True, blank=True, related_name="transactions",
        verbose_name=_("fund application"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("posted by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("journal transaction")
        verbose_name_plural = _("journal transactions")
        ordering = ["-posted_on", "-pk"]
        indexes = [models.Index(fields=["compound", "posted_on"], name="ledger_txn_compound_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False) | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="transaction_reversal_links_original",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.posted_on})"


class Leg(models.Model):
    """One line of a transaction: a signed amount on one account (positive debit, negative credit)."""

    transaction = models.ForeignKey(Transaction, models.PROTECT, related_name="legs",
                                    verbose_name=_("transaction"))
    account = models.ForeignKey(Account, models.PROTECT, related_name="legs", verbose_name=_("account"))
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)

    class Meta:
        verbose_name = _("leg")
        verbose_name_plural = _("legs")
        ordering = ["pk"]
        indexes = [models.Index(fields=["account", "-transaction"], name="ledger_leg_account_history")]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="leg_amount_not_zero")]

    def __str__(self) -> str:
        return f"{self.account}: {self.amount}"


# --- the use of the maintenance fund ---------------------------------------------------------------------------

class FundApplication(models.Model):
    """An application to use the maintenance fund for works (维修资金使用申请): owners' decision, then the
    three-level review community → street → district centre, then works, acceptance and payment."""

    class Applicant(models.TextChoices):
        COMMITTEE = "committee", _("Owners' committee")
        FIRM = "firm", _("Property firm")
        COMMUNITY = "community", _("Community")

    class Status(models.TextChoices):
        AT_COMMUNITY = "at_community", _("Waiting for the community's review")
        AT_STREET = "at_street", _("Waiting for the street's review")
        AT_CENTER = "at_center", _("Waiting for the district centre's review")
        APPROVED = "approved", _("Approved")
        ACCEPTED = "accepted", _("Works accepted")
        PAID = "paid", _("Paid in full")
        REJECTED = "rejected", pgettext_lazy("review outcome", "Rejected")

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    street = models.ForeignKey(Street, models.PROTECT, related_name="+", verbose_name=_("street"))
    community = models.ForeignKey(Community, models.PROTECT, related_name="+", verbose_name=_("community"))
    compound = models.ForeignKey(Compound, models.PROTECT, related_name="+", verbose_name=_("compound"))
    project = models.CharField(_("project"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    buildings = models.ManyToManyField(Building, related_name="+", verbose_name=_("affected buildings"))
    households = models.ManyToManyField(
        Household, related_name="+", blank=True, verbose_name=_("affected households"),
        help_text=_("Leave empty to share the cost over every household of the affected buildings."),
    )
    amount = models.DecimalField(_("amount (yuan)"), **MONEY, validators=[MinValueValidator(CENT)])
    contractor = models.CharField(_("contractor"), max_length=200)
    quotes = models.TextField(_("quotes"), blank=True)
    applicant = models.CharField(_("applicant"), max_length=12, choices=Applicant.choices)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("applied by"))
    decision = models.ForeignKey(
        "governance.Vote", models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("owners' decision"),
    )
    is_emergency = models.BooleanField(
        _("emergency"), default=False,
        help_text=_("A lift stopped, a leaking roof, fire equipment: the street approves first, owners are told "
                    "afterwards."),
    )
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.AT_COMMUNITY)
    # When the current step began waiting, for the reminders; null once nobody needs to act.
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published to owners at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("works accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("works accepted by"))
    acceptance_note = models.TextField(_("acceptance opinion"), blank=True)
    disbursed = models.DecimalField(_("disbursed (yuan)"), **MONEY, default=Decimal("0.00"), editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("fund use application")
        verbose_name_plural = _("fund use applications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["waiting_since"], name="fund_app_waiting",
                         condition=Q(status__in=["at_community", "at_street", "at_center"])),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_app_amount_positive"),
            models.CheckConstraint(condition=Q(disbursed__gte=0, disbursed__lte=models.F("amount")),
                                   name="fund_app_disbursed_within_amount"),
            models.CheckConstraint(condition=Q(is_emergency=True) | Q(decision__isnull=False),
                                   name="fund_app_needs_decision_unless_emergency"),
            models.CheckConstraint(condition=~Q(status__in=["accepted", "paid"]) | Q(accepted_at__isnull=False),
                                   name="fund_app_paid_in_full_after_acceptance"),
        ]

    def __str__(self) -> str:
        return self.project

    def derive_ancestors(self) -> None:
        c = self.compound
        self.community_id, self.street_id, self.district_id = c.community_id, c.street_id, c.district_id

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)


class FundReview(models.Model):
    """One step of the three-level review (三级联审), with its opinion and time; rows are never changed."""

    class Level(models.TextChoices):
        COMMUNITY = "community", _("Community")
        STREET = "street", _("Street")
        CENTER = "center", _("District property management centre")

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", pgettext_lazy("review outcome", "Rejected")

    application = models.ForeignKey(FundApplication, models.CASCADE, related_name="reviews",
                                    verbose_name=_("application"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    opinion = models.TextField(_("opinion"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("reviewer"))
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("fund review")
        verbose_name_plural = _("fund reviews")
        ordering = ["application_id", "at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "level"], name="fund_review_once_per_level"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.get_outcome_display()}"


class FundDocument(models.Model):
    """A quote, a document or an acceptance photo of an application."""

    class Kind(models.TextChoices):
        QUOTE = "quote", _("Quote")
        DOCUMENT = "document", _("Document")
        ACCEPTANCE_PHOTO = "acceptance_photo", _("Acceptance photo")

    application = models.ForeignKey(FundApplication, models.CASCADE, related_name="documents",
                                    verbose_name=_("application"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="ledger/%Y/%m/")
    title = models.CharField(_("title"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("fund document")
        verbose_name_plural = _("fund documents")
        ordering = ["application_id", "pk"]

    def __str__(self) -> str:
        return self.title or self.file.name


class Shortfall(models.Model):
    """The part of a household's share of works its sub-account could not cover: owed as a top-up, so the fund
    itself never goes negative."""

    application = models.ForeignKey(FundApplication, models.PROTECT, related_name="shortfalls",
                                    verbose_name=_("application"))
    household = models.ForeignKey(Household, models.PROTECT, related_name="+", verbose_name=_("household"))
    compound = models.ForeignKey(Compound, models.PROTECT, related_name="+", verbose_name=_("compound"))
    amount = models.DecimalField(_("top-up owed (yuan)"), **MONEY)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("top-up owed")
        verbose_name_plural = _("top-ups owed")
        ordering = ["household_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "household"], name="shortfall_one_per_household"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="shortfall_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.household}: {self.amount}"


# --- property fees ---------------------------------------------------------------------------------------------

class FeeBill(models.Model):
    """A household's property fee for one month: floor area × the contract's fee standard (物业费账单)."""

    compound = models.ForeignKey(Compound, models.PROTECT, related_name="+", verbose_name=_("compound"))
    household = models.ForeignKey(Household, models.PROTECT, related_name="+", verbose_name=_("household"))
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    floor_area = models.DecimalField(_("floor area (m²)"), max_digits=8, decimal_places=2)
    rate = models.DecimalField(_("fee standard (yuan per m² a month)"), max_digits=6, decimal_places=2)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    transaction = models.ForeignKey(Transaction, models.PROTECT, related_name="+", verbose_name=_("transaction"))

    class Meta:
        verbose_name = _("fee bill")
        verbose_name_plural = _("fee bills")
        ordering = ["-year", "-month", "household_id"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year", "month"], name="fee_bill_once_a_month"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fee_bill_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.year}-{self.month:02d}: {self.amount}"


class FeePayment(models.Model):
    """A payment of property fees, keyed by the firm's receipt number so that an import never counts it twice."""

    compound = models.ForeignKey(Compound, models.PROTECT, related_name="+", verbose_name=_("compound"))
    household = models.ForeignKey(Household, models.PROTECT, related_name="+", verbose_name=_("household"))
    receipt_no = models.CharField(_("receipt number"), max_length=40)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    paid_on = models.DateField(_("paid on"))
    transaction = models.ForeignKey(Transaction, models.PROTECT, related_name="+", verbose_name=_("transaction"))

    class Meta:
        verbose_name = _("fee payment")
        verbose_name_plural = _("fee payments")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["compound", "receipt_no"], name="fee_payment_unique_receipt"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fee_payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_no}: {self.amount}"


class FeeRelief(models.Model):
    """Fees waived for a household in hardship (低保户 …), with the reason, granted by the community."""

    compound = models.ForeignKey(Compound, models.PROTECT, related_name="+", verbose_name=_("compound"))
    household = models.ForeignKey(Household, models.PROTECT, related_name="+", verbose_name=_("household"))
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    reason = models.CharField(_("reason"), max_length=200)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("granted by"))
    transaction = models.ForeignKey(Transaction, models.PROTECT, related_name="+", verbose_name=_("transaction"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("fee relief")
        verbose_name_plural = _("fee reliefs")
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="fee_relief_amount_positive")]

    def __str__(self) -> str:
        return f"{self.household}: {self.amount}"


# --- operating income of the common parts ------------------------------------------------------------------------

class CommonItem(models.Model):
    """An operating income or expense of the common parts (公共收益), entered by the firm or the committee and
    posted to the books once the owners' committee has reviewed it."""

    class Kind(models.TextChoices):
        INCOME = "income", _("Income")
        EXPENSE = "expense", _("Expense")

    class Category(models.TextChoices):
        PARKING = "parking", _("Parking")
        ADVERTISING = "advertising", _("Advertising")
        RENT = "rent", _("Rent of common parts")
        MAINTENANCE = "maintenance", _("Upkeep of common parts")
        MANAGEMENT = "management", _("Management cost")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        ENTERED = "entered", _("Waiting for the committee's review")
        APPROVED = "approved", _("Approved and booked")
        REJECTED = "rejected", pgettext_lazy("review outcome", "Rejected")

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    street = models.ForeignKey(Street, models.PROTECT, related_name="+", verbose_name=_("street"))
    community = models.ForeignKey(Community, models.PROTECT, related_name="+", verbose_name=_("community"))
    compound = models.ForeignKey(Compound, models.PROTECT, related_name="+", verbose_name=_("compound"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    occurred_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=200)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ENTERED)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("entered by"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=200, blank=True)
    transaction = models.OneToOneField(Transaction, models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("transaction"))

    class Meta:
        verbose_name = _("common-part income or expense")
        verbose_name_plural = _("common-part income and expenses")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="common_item_amount_positive"),
            models.CheckConstraint(condition=~Q(status="approved") | Q(transaction__isnull=False),
                                   name="common_item_approved_is_booked"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.amount}"

    def derive_ancestors(self) -> None:
        c = self.compound
        self.community_id, self.street_id, self.district_id = c.community_id, c.street_id, c.district_id

    def save(self, *args, **kwargs):
        self.derive_ancestors()
        super().save(*args, **kwargs)


class MonthlyStatement(models.Model):
    """The compound's common-part account for one month, published to the owners; never changed afterwards
    (the database refuses it)."""

    district = models.ForeignKey(District, models.PROTECT, related_name="+", verbose_name=_("district"))
    street = models.ForeignKey(Street, models.PROTECT, related_name="+", verbose_name=_("street"))
    community = models.ForeignKey(Community, models.PROTECT, related_name="+", verbose_name=_("community"))
    compound = models.ForeignKey(Compound, models.PROTECT, related_name="+", verbose_name=_("compound"))
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    income = models.DecimalField(_("income (yuan)"), **MONEY)
    expenses = models.DecimalField(_("expenses (yuan)"), **MONEY)
    balance = models.DecimalField(_("balance at the end of the month (yuan)"), **MONEY)
    lines = models.JSONField(_("lines by category"), default=list)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                     verbose_name=_("published by"))

    class Meta:
        verbose_name = _("monthly statement")
        verbose_name_plural = _("monthly statements")
        ordering = ["compound_id", "-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["compound", "year", "month"], name="statement_once_a_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="statement_month_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.compound} {self.year}-{self.month:02d}"


class FeeImport(models.Model):
    """An upload of the firm's payment spreadsheet, imported row by row by a Celery task that records here how far
    it has come and which rows it refused and why (the per-row error report)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    compound = models.ForeignKey(Compound, models.PROTECT, related_name="+", verbose_name=_("compound"))
    file = models.FileField(_("file"), upload_to="ledger/imports/%Y/%m/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("rows done"), default=0)
    created = models.PositiveIntegerField(_("payments recorded"), default=0)
    unchanged = models.PositiveIntegerField(_("recorded before"), default=0)
    errors = models.JSONField(_("refused rows"), default=list, blank=True)  # [[row number, why], …]
    failure = models.CharField(_("why it failed"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("fee payment import")
        verbose_name_plural = _("fee payment imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.compound} {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else str(self.compound)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.processed * 100 / self.total) if self.total else 0
