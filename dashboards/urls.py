"""The dashboards' pages under /dashboards/. Each feature adds its own lines."""

app_name = "dashboards"

urlpatterns: list = []
