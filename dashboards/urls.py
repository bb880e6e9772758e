"""The dashboards' pages under /dashboards/. Each feature adds its own lines."""

from django.urls import path

from dashboards.strength import views as strength

app_name = "dashboards"

urlpatterns: list = [
    path("strength/", strength.home, name="strength"),
    path("strength/indicators/", strength.indicators, name="strength-indicators"),
    path("strength/compound/<int:pk>/", strength.compound, name="strength-compound"),
    path("strength/<str:level>/<int:pk>/", strength.node, name="strength-node"),
]
