from rest_framework.routers import DefaultRouter

from dashboards.strength.api import StrengthViewSet

router = DefaultRouter()
router.register("strength", StrengthViewSet, basename="dashboards-strength")

urlpatterns = router.urls
