"""The dashboards' pages under /dashboards/: a node's overview (a compound's single page at compound level), its
command-centre screen, its map, the screen's data and every table as Excel; the three-party strength index."""

from django.urls import path, register_converter

from dashboards import views
from dashboards.strength import views as strength


class LevelConverter:
    regex = "district|street|community|compound"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(LevelConverter, "level")

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("strength/", strength.home, name="strength"),
    path("strength/indicators/", strength.indicators, name="strength-indicators"),
    path("strength/compound/<int:pk>/", strength.compound, name="strength-compound"),
    path("strength/<str:level>/<int:pk>/", strength.node, name="strength-node"),
    path("<level:level>/<int:pk>/", views.overview, name="overview"),
    path("<level:level>/<int:pk>/screen/", views.screen, name="screen"),
    path("<level:level>/<int:pk>/screen/data/", views.screen_data, name="screen_data"),
    path("<level:level>/<int:pk>/map/", views.map_page, name="map"),
    path("<level:level>/<int:pk>/export/<slug:table>.xlsx", views.export, name="export"),
]
