from rest_framework.routers import SimpleRouter

from petitions.api import views

router = SimpleRouter()
router.register("", views.PetitionViewSet, basename="petition")

urlpatterns = router.urls
