from rest_framework.routers import DefaultRouter

from ledger.api import views

router = DefaultRouter()
router.register("accounts", views.AccountViewSet, basename="ledger-account")
router.register("transactions", views.TransactionViewSet, basename="ledger-transaction")
router.register("periods", views.PeriodViewSet, basename="ledger-period")
router.register("fund-applications", views.FundApplicationViewSet, basename="ledger-fund-application")

router.register("fee-bills", views.FeeBillViewSet, basename="ledger-fee-bill")
router.register("fee-payments", views.FeePaymentViewSet, basename="ledger-fee-payment")
router.register("fee-imports", views.FeeImportViewSet, basename="ledger-fee-import")
router.register("fee-reliefs", views.FeeReliefViewSet, basename="ledger-fee-relief")
router.register("common-items", views.CommonItemViewSet, basename="ledger-common-item")
router.register("statements", views.MonthlyStatementViewSet, basename="ledger-statement")

urlpatterns = router.urls
