from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from config.views import healthz

docs_styles = csp_update({"style-src": ["'unsafe-inline'"]})

api_v1 = [
    path("", include("communities.api.urls")),
    path("governance/", include("governance.api.urls")),
    path("petitions/", include("petitions.api.urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The API docs under the Content-Security-Policy: the split view serves Swagger UI's start-up script from a
    # URL (no inline script); both pages keep inline styles (their templates' own, Redoc's styled-components).
    path("api/docs/", docs_styles(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="api-docs"),
    path("api/redoc/", docs_styles(SpectacularRedocView.as_view(url_name="schema")), name="api-redoc"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("portal.urls")),
]

handler404 = "core.api.not_found"
