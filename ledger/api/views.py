"""The ledger API: read-only lists and details scoped by the policies; writes are actions that call a service."""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from communities.api.views import ScopedViewSet
from communities.models import Household
from communities.policies import building_policy, compound_policy, household_policy
from core.errors import DomainError
from governance.models import Vote
from ledger import common, fees, policies, selectors, services
from ledger.api import filters, serializers
from ledger.models import FundApplication, Transaction

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AccountViewSet(ScopedViewSet):
    """Accounts with their stored balances; `entries/` is an account's history, newest first."""

    policy = policies.account_policy
    serializer_class = serializers.AccountSerializer
    filterset_class = filters.AccountFilter
    ordering = ["id"]

    @extend_schema(responses=serializers.EntrySerializer(many=True), filters=False)
    @action(detail=True, methods=["get"])
    def entries(self, request, pk=None):
        account = self.get_object()
        page = self.paginate_queryset(selectors.account_legs(account))
        for leg in page:
            leg.account = account  # the sign comes from the account already read
        return self.get_paginated_response(serializers.EntrySerializer(page, many=True).data)

    @extend_schema(request=serializers.DepositInSerializer, responses={201: serializers.TransactionDetailSerializer})
    @action(detail=False, methods=["post"])
    def deposit(self, request):
        """Books a household's deposit into its fund sub-account (首期 or 续筹): an amount or a rate per m²."""
        d = _valid(serializers.DepositInSerializer, request)
        household = household_policy.get_visible(request.user, pk=d.pop("household"))
        txn = services.fund_deposit(actor=request.user, household=household, **_money(d, "amount", "rate"))
        return _created(txn)

    @extend_schema(request=serializers.InterestInSerializer, responses={201: serializers.TransactionDetailSerializer})
    @action(detail=False, methods=["post"])
    def interest(self, request):
        """Books the bank's interest on a compound's fund and shares it over the households by balance."""
        d = _valid(serializers.InterestInSerializer, request)
        compound = compound_policy.get_visible(request.user, pk=d.pop("compound"))
        txn = services.fund_interest_allocate(actor=request.user, compound=compound, **_money(d, "amount"))
        return _created(txn)


class TransactionViewSet(ScopedViewSet):
    policy = policies.transaction_policy
    serializer_class = serializers.TransactionSerializer
    filterset_class = filters.TransactionFilter
    ordering = ["-posted_on", "-id"]

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.prefetch_related("legs") if self.action == "retrieve" else queryset

    def get_serializer_class(self):
        return (serializers.TransactionDetailSerializer if self.action == "retrieve"
                else serializers.TransactionSerializer)

    @extend_schema(request=serializers.ReverseSerializer, responses={201: serializers.TransactionDetailSerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """Posts the linked reversal of this transaction (the only correction the ledger knows)."""
        data = serializers.ReverseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reversal = services.transaction_reverse(actor=request.user, transaction_=self.get_object(),
                                                memo=data.validated_data["memo"])
        return Response(serializers.TransactionDetailSerializer(reversal).data, status=status.HTTP_201_CREATED)


class PeriodViewSet(ScopedViewSet):
    policy = policies.period_policy
    serializer_class = serializers.PeriodSerializer
    filterset_class = filters.PeriodFilter
    ordering = ["-year", "-month", "id"]

    @extend_schema(request=serializers.MonthInSerializer, responses=serializers.PeriodSerializer)
    @action(detail=False, methods=["post"])
    def close(self, request):
        """Closes a month of a compound's books for good, once the month is over."""
        d = _valid(serializers.MonthInSerializer, request)
        compound = compound_policy.get_visible(request.user, pk=d.pop("compound"))
        period = services.period_close(actor=request.user, compound=compound, **d)
        return Response(serializers.PeriodSerializer(period).data)


class FundApplicationViewSet(ScopedViewSet):
    """Maintenance fund use applications with their review trail; actions review, documents, accept, disburse."""

    policy = policies.fund_application_policy
    serializer_class = serializers.FundApplicationSerializer
    filterset_class = filters.FundApplicationFilter
    ordering = ["-created_at", "-id"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(*self._detail_relations())
        return queryset

    def get_serializer_class(self):
        return (serializers.FundApplicationDetailSerializer if self.action == "retrieve"
                else serializers.FundApplicationSerializer)

    def _detail_relations(self) -> list:
        # The top-ups owed are asked of their policy: an owner sees their own household's, not their neighbours'.
        return ["reviews", "documents", "buildings",
                Prefetch("shortfalls", queryset=policies.shortfall_policy.visible(self.request.user)),
                Prefetch("households", queryset=Household.objects.only("pk"))]

    def _detail(self, application, code=status.HTTP_200_OK):
        application = FundApplication.objects.prefetch_related(*self._detail_relations()).get(pk=application.pk)
        return Response(serializers.FundApplicationDetailSerializer(application).data, status=code)

    @extend_schema(request=serializers.FundApplicationInSerializer,
                   responses=serializers.FundApplicationDetailSerializer)
    def create(self, request):
        """Raises an application: with the owners' decision (a passed Civil Code vote) unless an emergency."""
        data = serializers.FundApplicationInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        compound = compound_policy.get_visible(request.user, pk=d["compound"])
        buildings = list(building_policy.visible(request.user).filter(pk__in=d["buildings"]))
        households = list(household_policy.visible(request.user).filter(pk__in=d["households"]))
        if len(buildings) != len(set(d["buildings"])):
            raise DomainError(_("Choose buildings of this compound."), field="buildings")
        if len(households) != len(set(d["households"])):
            raise DomainError(_("Choose households of the affected buildings."), field="households")
        decision = None
        if d["decision"] is not None:
            decision = Vote.objects.filter(pk=d["decision"], compound=compound).first()
            if decision is None:
                raise DomainError(_("The owners' decision must be a vote of this compound."), field="decision")
        application = services.fund_application_submit(
            actor=request.user, compound=compound, project=d["project"], amount=str(d["amount"]),
            contractor=d["contractor"], buildings=buildings, households=households, applicant=d["applicant"],
            quotes=d["quotes"], description=d["description"], decision=decision, is_emergency=d["is_emergency"])
        return self._detail(application, status.HTTP_201_CREATED)

    @extend_schema(request=serializers.ReviewInSerializer, responses=serializers.FundApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """One level's review, in order: community → street → district centre."""
        data = serializers.ReviewInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = self.get_object()
        services.fund_application_review(actor=request.user, application=application, **data.validated_data)
        return self._detail(application)

    @extend_schema(request={"multipart/form-data": serializers.DocumentInSerializer},
                   responses={201: serializers.FundDocumentSerializer})
    @action(detail=True, methods=["post"])
    def documents(self, request, pk=None):
        """Attaches a quote, a document or an acceptance photo."""
        data = serializers.DocumentInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.fund_document_add(actor=request.user, application=self.get_object(),
                                              **data.validated_data)
        return Response(serializers.FundDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.AcceptInSerializer, responses=serializers.FundApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Records the acceptance of the works (验收); photos must be attached first."""
        data = serializers.AcceptInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = self.get_object()
        services.fund_application_accept(actor=request.user, application=application, **data.validated_data)
        return self._detail(application)

    @extend_schema(request=None, responses=serializers.FundApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def disburse(self, request, pk=None):
        """Pays the accepted works from the households' sub-accounts; shortfalls are owed as top-ups."""
        application = self.get_object()
        services.fund_disburse(actor=request.user, application=application)
        return self._detail(application)



class FeeBillViewSet(ScopedViewSet):
    policy = policies.fee_bill_policy
    serializer_class = serializers.FeeBillSerializer
    filterset_class = filters.FeeBillFilter
    ordering = ["-year", "-month", "id"]

    @extend_schema(request=serializers.MonthInSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["post"], url_path="bill-month")
    def bill_month(self, request):
        """Bills every household of the compound not yet billed for the month (floor area × fee standard)."""
        d = _valid(serializers.MonthInSerializer, request)
        compound = compound_policy.get_visible(request.user, pk=d.pop("compound"))
        return Response({"billed": fees.fees_bill_month(actor=request.user, compound=compound, **d)})


class FeePaymentViewSet(ScopedViewSet):
    """Fee payments; `import/` takes the firm's spreadsheet (.xlsx) and queues its import (fee-imports/)."""

    policy = policies.fee_payment_policy
    serializer_class = serializers.FeePaymentSerializer
    filterset_class = filters.FeePaymentFilter
    ordering = ["-paid_on", "-id"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": serializers.FeeImportInSerializer},
                   responses={202: serializers.FeeImportSerializer})
    @action(detail=False, methods=["post"], url_path="import")
    def import_sheet(self, request):
        """Queues the import of a spreadsheet (a Celery task): 202 with the import, whose `url` gives its progress,
        counts and refused rows. Payments are recorded by receipt number: importing a sheet twice records nothing
        new."""
        data = serializers.FeeImportInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        compound = compound_policy.get_visible(request.user, pk=data.validated_data["compound"])
        upload = data.validated_data["file"]
        job = fees.fee_import_start(actor=request.user, compound=compound, file=upload)
        response = Response(serializers.FeeImportSerializer(job).data, status=status.HTTP_202_ACCEPTED)
        response["Location"] = response.data["url"]
        return response

    @extend_schema(request=serializers.FeePaymentInSerializer, responses={201: serializers.FeePaymentSerializer})
    def create(self, request):
        """Records one payment by its receipt number (the same receipt again is the same payment: 200)."""
        d = _valid(serializers.FeePaymentInSerializer, request)
        household = household_policy.get_visible(request.user, pk=d.pop("household"))
        payment, created = fees.fee_payment_record(actor=request.user, household=household, **_money(d, "amount"))
        return Response(serializers.FeePaymentSerializer(payment).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class FeeImportViewSet(ScopedViewSet):
    """The spreadsheet imports of the compounds whose books the user reads: each one's progress, counts and
    refused rows (poll the detail until `status` is done or failed); `refused-rows/` downloads them as .xlsx."""

    policy = policies.fee_import_policy
    serializer_class = serializers.FeeImportSerializer
    filterset_class = filters.FeeImportFilter
    ordering = ["-created_at", "-id"]

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY}, filters=False)
    @action(detail=True, methods=["get"], url_path="refused-rows", url_name="refused-rows")
    def refused_rows(self, request, pk=None):
        """The rows the import refused, with why, as an Excel workbook."""
        job = self.get_object()
        response = HttpResponse(fees.refused_rows_workbook(job), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="fee-import-{job.pk}-errors.xlsx"'
        return response


class FeeReliefViewSet(ScopedViewSet):
    policy = policies.fee_relief_policy
    serializer_class = serializers.FeeReliefSerializer
    filterset_class = filters.FeeReliefFilter
    ordering = ["-created_at", "-id"]

    @extend_schema(request=serializers.FeeReliefInSerializer, responses={201: serializers.FeeReliefSerializer})
    def create(self, request):
        """Waives part of what a household owes, with the reason (the community's, e.g. for a 低保 household)."""
        d = _valid(serializers.FeeReliefInSerializer, request)
        household = household_policy.get_visible(request.user, pk=d.pop("household"))
        relief = fees.fee_relief_grant(actor=request.user, household=household, **_money(d, "amount"))
        return Response(serializers.FeeReliefSerializer(relief).data, status=status.HTTP_201_CREATED)


class CommonItemViewSet(ScopedViewSet):
    """Common-part income and expenses: entered by the firm or the committee, reviewed by the committee."""

    policy = policies.common_item_policy
    serializer_class = serializers.CommonItemSerializer
    filterset_class = filters.CommonItemFilter
    ordering = ["-occurred_on", "-id"]

    @extend_schema(request=serializers.CommonItemInSerializer, responses={201: serializers.CommonItemSerializer})
    def create(self, request):
        """Enters an income or expense; it waits for the committee's review."""
        d = _valid(serializers.CommonItemInSerializer, request)
        compound = compound_policy.get_visible(request.user, pk=d.pop("compound"))
        item = common.common_item_enter(actor=request.user, compound=compound, **_money(d, "amount"))
        return Response(serializers.CommonItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.CommonReviewInSerializer, responses=serializers.CommonItemSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """The committee's review: approval books the item, a rejection needs its reason."""
        d = _valid(serializers.CommonReviewInSerializer, request)
        item = common.common_item_review(actor=request.user, item=self.get_object(), **d)
        return Response(serializers.CommonItemSerializer(item).data)


class MonthlyStatementViewSet(ScopedViewSet):
    policy = policies.monthly_statement_policy
    serializer_class = serializers.MonthlyStatementSerializer
    filterset_class = filters.MonthlyStatementFilter
    ordering = ["-year", "-month", "id"]

    @extend_schema(request=serializers.MonthInSerializer, responses={201: serializers.MonthlyStatementSerializer})
    def create(self, request):
        """Publishes a finished month's common-part statement to the owners (the committee's; never changed)."""
        d = _valid(serializers.MonthInSerializer, request)
        compound = compound_policy.get_visible(request.user, pk=d.pop("compound"))
        statement = common.statement_publish(actor=request.user, compound=compound, **d)
        return Response(serializers.MonthlyStatementSerializer(statement).data, status=status.HTTP_201_CREATED)


def _valid(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def _money(data: dict, *fields) -> dict:
    """The validated amounts as the services take them (text, parsed once more by ledger.money)."""
    return {**data, **{f: (str(data[f]) if data[f] is not None else None) for f in fields}}


def _created(txn):
    txn = Transaction.objects.prefetch_related("legs").get(pk=txn.pk)
    return Response(serializers.TransactionDetailSerializer(txn).data, status=status.HTTP_201_CREATED)
