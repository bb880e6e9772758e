from django.contrib.auth import views as auth_views
from django.urls import path

from notifications import views as notifications_views
from portal import governance_views, ledger_views, petitions_views, rankings_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.me, name="me"),
    path("compound/<int:pk>/", views.compound_detail, name="compound"),
    path("votes/", governance_views.votes, name="votes"),
    path("votes/<int:pk>/", governance_views.vote_detail, name="vote"),
    path("votes/<int:pk>/ballot/", governance_views.vote_cast, name="vote_cast"),
    path("records/", governance_views.records, name="records"),
    path("petitions/", petitions_views.my_petitions, name="petitions"),
    path("petitions/new/", petitions_views.petition_new, name="petition_new"),
    path("petitions/similar/", petitions_views.petition_similar, name="petition_similar"),
    path("petitions/<int:pk>/", petitions_views.petition_detail, name="petition"),
    path("petitions/<int:pk>/rate/", petitions_views.petition_rate, name="petition_rate"),
    path("inbox/", notifications_views.inbox, name="inbox"),
    path("finance/", ledger_views.finance, name="finance"),
    path("firm/", rankings_views.my_firm, name="firm"),
    path("firm/survey/", rankings_views.survey_answer, name="survey"),
    path("lists/", rankings_views.lists, name="lists"),
    path("login/", auth_views.LoginView.as_view(template_name="portal/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
