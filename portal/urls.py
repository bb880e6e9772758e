from django.contrib.auth import views as auth_views
from django.urls import path

from portal import governance_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("compound/<int:pk>/", views.compound_detail, name="compound"),
    path("votes/", governance_views.votes, name="votes"),
    path("votes/<int:pk>/", governance_views.vote_detail, name="vote"),
    path("votes/<int:pk>/ballot/", governance_views.vote_cast, name="vote_cast"),
    path("records/", governance_views.records, name="records"),
    path("login/", auth_views.LoginView.as_view(template_name="portal/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
