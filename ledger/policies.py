"""Who sees and does what in the owners' ledgers (docs/roles.md): offices see their subtree; commissioners,
committee members and the firm under contract their compounds; supervisory board members read everything of
their compound; an owner reads their own household's accounts, the compound's published statements and its
fund applications. Postings are the district property management centre's, reviews each level's own."""

from django.db.models import Q

from communities.models import Compound, Role
from communities.policy import Policy, node_ids
from communities.scope import Scope, scope_for
from governance.models import Body, BodyMember
from ledger.models import (
    Account,
    CommonItem,
    FeeBill,
    FeeImport,
    FeePayment,
    FeeRelief,
    FundApplication,
    FundDocument,
    FundReview,
    Leg,
    MonthlyStatement,
    Period,
    Shortfall,
    Transaction,
)

# The centre administers the fund: it books deposits, interest, payments, reversals and closes the months.
BOOKKEEPERS = frozenset({Role.DISTRICT_CENTER})
APPLICANTS = frozenset({Role.COMMITTEE_MEMBER, Role.COMMUNITY_OFFICE, Role.FIRM_STAFF})
REVIEWERS = {
    "review_community": frozenset({Role.COMMUNITY_OFFICE}),
    "review_street": frozenset({Role.STREET_OFFICE}),
    "review_center": frozenset({Role.DISTRICT_CENTER}),
}
ACCEPTORS = frozenset({Role.COMMITTEE_MEMBER, Role.COMMUNITY_OFFICE})


def supervised_compounds(scope: Scope):
    """The compounds whose supervisory board the user sits on, as a subquery."""
    return BodyMember.objects.filter(
        body__kind=Body.Kind.SUPERVISORY_BOARD, person__user_id=scope.user_id,
    ).values("body__compound_id")


def compound_staff_q(scope: Scope, field: str = "compound") -> Q:
    """Rows of the compounds the user reads whole: their subtree, granted compounds, supervised compounds (as
    one subquery on compounds, so that rows without ancestor columns are scoped alike)."""
    compounds = Compound.objects.filter(
        (scope.subtree_q("pk") | Q(pk__in=supervised_compounds(scope))) & scope.tenant_q()).values("pk")
    return Q(**{f"{field}__in": compounds})


class LedgerPolicy(Policy):
    """Ledger rows change only through the services: the generic add/change/delete answer no; each named
    action is allowed to the roles in `action_roles` at the row's place."""

    action_roles: dict = {}

    def editing_assignments(self, scope, action):
        roles = self.action_roles.get(action, frozenset())
        return [a for a in scope.assignments if a.role in roles]

    def can(self, user, action, obj=None):
        if action in ("add", "change", "delete") and action not in self.action_roles:
            return False
        return super().can(user, action, obj)


class AccountPolicy(LedgerPolicy):
    model = Account
    action_roles = {"deposit": BOOKKEEPERS, "interest": BOOKKEEPERS}

    def visible_q(self, scope):
        q = compound_staff_q(scope)
        if scope.is_resident:
            q |= Q(household_id__in=scope.own_household_ids)
            q |= Q(household__isnull=True, compound_id__in=scope.own_compound_ids)
        return q

    def place(self, obj):
        return node_ids(obj)


class TransactionPolicy(LedgerPolicy):
    model = Transaction
    action_roles = {"reverse": BOOKKEEPERS}

    def visible_q(self, scope):
        q = compound_staff_q(scope)
        if scope.is_resident:
            q |= Q(pk__in=Leg.objects.filter(account__household_id__in=scope.own_household_ids)
                   .values("transaction_id"))
        return q

    def place(self, obj):
        return node_ids(obj.compound)


class LegPolicy(LedgerPolicy):
    model = Leg

    def visible_q(self, scope):
        q = compound_staff_q(scope, "account__compound")
        if scope.is_resident:
            q |= Q(account__household_id__in=scope.own_household_ids)
        return q


class PeriodPolicy(LedgerPolicy):
    model = Period
    action_roles = {"close": BOOKKEEPERS}

    def visible_q(self, scope):
        q = compound_staff_q(scope)
        if scope.is_resident:
            q |= Q(compound_id__in=scope.own_compound_ids)
        return q

    def place(self, obj):
        return node_ids(obj.compound)


class FundApplicationPolicy(LedgerPolicy):
    model = FundApplication
    action_roles = {"add": APPLICANTS, **REVIEWERS, "accept": ACCEPTORS, "disburse": BOOKKEEPERS}

    def visible_q(self, scope):
        q = compound_staff_q(scope)
        if scope.is_resident:
            # Owners read an application once it is published to them (an emergency's after its approval).
            q |= Q(compound_id__in=scope.own_compound_ids, published_at__isnull=False)
        return q

    def can(self, user, action, obj=None):
        scope = scope_for(user)
        if action == "add" and obj is not None and Role.FIRM_STAFF in scope.roles and not scope.is_superuser:
            # A firm applies for the compounds it serves under an active contract.
            if obj.compound_id in scope.firm_compounds:
                return True
        return super().can(user, action, obj)


class FundReviewPolicy(LedgerPolicy):
    model = FundReview

    def visible_q(self, scope):
        return Q(application__in=fund_application_policy.visible_pks(scope))


class FundDocumentPolicy(LedgerPolicy):
    model = FundDocument

    def visible_q(self, scope):
        return Q(application__in=fund_application_policy.visible_pks(scope))


account_policy = AccountPolicy()
transaction_policy = TransactionPolicy()
leg_policy = LegPolicy()
period_policy = PeriodPolicy()
fund_application_policy = FundApplicationPolicy()
fund_review_policy = FundReviewPolicy()
fund_document_policy = FundDocumentPolicy()


# --- property fees ---------------------------------------------------------------------------------------------

FEE_RELIEVERS = frozenset({Role.COMMUNITY_OFFICE})


class HouseholdRowsPolicy(LedgerPolicy):
    """Rows about one household (bills, payments, relief, top-ups owed): the compound's readers read them all, an
    owner only their own household's."""

    def visible_q(self, scope):
        q = compound_staff_q(scope)
        if scope.is_resident:
            q |= Q(household_id__in=scope.own_household_ids)
        return q

    def place(self, obj):
        return node_ids(obj.household if getattr(obj, "household_id", None) else obj.compound)


class ShortfallPolicy(HouseholdRowsPolicy):
    """The top-ups households owe after a payment: read-only, written by the disbursement."""

    model = Shortfall


shortfall_policy = ShortfallPolicy()


class FeePolicy(HouseholdRowsPolicy):
    """Bills and payments are the firm's to enter (for the compounds it serves under an active contract),
    relief the community's."""

    action_roles = {"relieve": FEE_RELIEVERS}

    def can(self, user, action, obj=None):
        scope = scope_for(user)
        if action in ("bill", "pay") and not scope.is_superuser:
            return obj is not None and obj.compound_id in scope.firm_compounds
        return super().can(user, action, obj)


def payment_compounds(user):
    """The compounds whose fee payments the user may record (the form's choices): the firm's, under contract."""
    scope = scope_for(user)
    compounds = Compound.objects.filter(scope.tenant_q()).order_by("name", "pk")
    return compounds if scope.is_superuser else compounds.filter(pk__in=list(scope.firm_compounds))


class FeeBillPolicy(FeePolicy):
    model = FeeBill


class FeePaymentPolicy(FeePolicy):
    model = FeePayment


class FeeReliefPolicy(FeePolicy):
    model = FeeRelief


fee_bill_policy = FeeBillPolicy()
fee_payment_policy = FeePaymentPolicy()
fee_relief_policy = FeeReliefPolicy()


class FeeImportPolicy(LedgerPolicy):
    """The spreadsheet imports and their error reports: read by the compound's readers (the firm that uploaded
    them among them); started by whoever may record the compound's payments (`fee_payment_policy`, "pay")."""

    model = FeeImport

    def visible_q(self, scope):
        return compound_staff_q(scope)


fee_import_policy = FeeImportPolicy()


# --- operating income of the common parts ------------------------------------------------------------------------

COMMON_REVIEWERS = frozenset({Role.COMMITTEE_MEMBER})


class CommonItemPolicy(LedgerPolicy):
    """Entered by the firm serving the compound or by the committee; reviewed and published by the committee."""

    model = CommonItem
    action_roles = {"enter": COMMON_REVIEWERS, "review": COMMON_REVIEWERS, "publish": COMMON_REVIEWERS}

    def visible_q(self, scope):
        return compound_staff_q(scope)

    def can(self, user, action, obj=None):
        scope = scope_for(user)
        if action == "enter" and obj is not None and obj.compound_id in scope.firm_compounds:
            return True
        return super().can(user, action, obj)


class MonthlyStatementPolicy(LedgerPolicy):
    """Published statements are public to the compound's owners."""

    model = MonthlyStatement

    def visible_q(self, scope):
        q = compound_staff_q(scope)
        if scope.is_resident:
            q |= Q(compound_id__in=scope.own_compound_ids)
        return q


common_item_policy = CommonItemPolicy()
monthly_statement_policy = MonthlyStatementPolicy()
