from django.urls import path
from rest_framework.routers import DefaultRouter

from rankings.api import views

router = DefaultRouter()
router.register("rules", views.RulesViewSet, basename="rankings-rules")
router.register("periods", views.PeriodViewSet, basename="rankings-period")
router.register("results", views.ResultViewSet, basename="rankings-result")
router.register("scores", views.ScoreViewSet, basename="rankings-score")
router.register("reviews", views.ReviewViewSet, basename="rankings-review")
router.register("appraisals", views.AppraisalViewSet, basename="rankings-appraisal")
router.register("incidents", views.IncidentViewSet, basename="rankings-incident")
router.register("appeals", views.AppealViewSet, basename="rankings-appeal")
router.register("talks", views.TalkViewSet, basename="rankings-talk")
router.register("stars", views.StarsViewSet, basename="rankings-stars")
router.register("exits", views.ExitViewSet, basename="rankings-exit")

urlpatterns = [
    path("survey/", views.SurveyView.as_view(), name="rankings-survey"),
    *router.urls,
]
