from django.urls import path
from rest_framework.routers import DefaultRouter

from governance.api import views

router = DefaultRouter()
router.register("party-organizations", views.PartyOrganizationViewSet, basename="governance-party-organization")
router.register("party-organization-members", views.PartyOrganizationMemberViewSet,
                basename="governance-party-organization-member")
router.register("cross-appointments", views.CrossAppointmentViewSet, basename="governance-cross-appointment")
router.register("bodies", views.BodyViewSet, basename="governance-body")
router.register("members", views.BodyMemberViewSet, basename="governance-member")
router.register("candidates", views.CandidateViewSet, basename="governance-candidate")
router.register("vettings", views.VettingViewSet, basename="governance-vetting")
router.register("meetings", views.MeetingViewSet, basename="governance-meeting")
router.register("items", views.AgendaItemViewSet, basename="governance-item")
router.register("votes", views.VoteViewSet, basename="governance-vote")
router.register("records", views.SupervisoryRecordViewSet, basename="governance-record")
router.register("party-coverage", views.PartyCoverageViewSet, basename="governance-party-coverage")
router.register("party-members", views.PartyMemberViewSet, basename="governance-party-member")
router.register("building-heads", views.BuildingHeadViewSet, basename="governance-building-head")
router.register("evaluations", views.EvaluationViewSet, basename="governance-evaluation")
router.register("lists", views.ListItemViewSet, basename="governance-list-item")
router.register("work-requests", views.WorkRequestViewSet, basename="governance-work-request")
router.register("targets", views.CampaignTargetViewSet, basename="governance-target")
router.register("street-offices", views.StreetOfficeViewSet, basename="governance-street-office")
router.register("campaign-records", views.CampaignRecordViewSet, basename="governance-campaign-record")

urlpatterns = [
    path("coverage/", views.CoverageView.as_view(), name="governance-coverage"),
    *router.urls,
]
