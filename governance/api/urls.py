from django.urls import path
from rest_framework.routers import DefaultRouter

from governance.api import views

router = DefaultRouter()
router.register("party-organizations", views.PartyOrganizationViewSet, basename="governance-party-organization")
router.register("bodies", views.BodyViewSet, basename="governance-body")
router.register("members", views.BodyMemberViewSet, basename="governance-member")
router.register("candidates", views.CandidateViewSet, basename="governance-candidate")
router.register("vettings", views.VettingViewSet, basename="governance-vetting")
router.register("meetings", views.MeetingViewSet, basename="governance-meeting")
router.register("items", views.AgendaItemViewSet, basename="governance-item")
router.register("votes", views.VoteViewSet, basename="governance-vote")
router.register("records", views.SupervisoryRecordViewSet, basename="governance-record")

urlpatterns = [
    path("coverage/", views.CoverageView.as_view(), name="governance-coverage"),
    *router.urls,
]
