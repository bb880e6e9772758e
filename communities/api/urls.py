from django.urls import path
from rest_framework.routers import DefaultRouter

from communities.api import views

router = DefaultRouter()
router.register("districts", views.DistrictViewSet, basename="district")
router.register("streets", views.StreetViewSet, basename="street")
router.register("communities", views.CommunityViewSet, basename="community")
router.register("compounds", views.CompoundViewSet, basename="compound")
router.register("buildings", views.BuildingViewSet, basename="building")
router.register("households", views.HouseholdViewSet, basename="household")
router.register("people", views.PersonViewSet, basename="person")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="auth-token"),
    path("me/", views.MeView.as_view(), name="me"),
    *router.urls,
]
