from django.urls import path
from rest_framework.routers import DefaultRouter

from properties.api import views

router = DefaultRouter()
router.register("firms", views.FirmViewSet, basename="properties-firm")
router.register("contracts", views.ContractViewSet, basename="properties-contract")
router.register("menu-items", views.MenuItemViewSet, basename="properties-menu-item")
router.register("fallback-assignments", views.FallbackAssignmentViewSet, basename="properties-fallback")

urlpatterns = [
    path("zeroing/", views.ZeroingView.as_view(), name="properties-zeroing"),
    *router.urls,
]
