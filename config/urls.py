from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.views import healthz
from governance import views as governance_views
from petitions import views as petition_views
from properties import views as property_views

docs_styles = csp_update({"style-src": ["'unsafe-inline'"]})

api_v1 = [
    # The petitions first: a resident's create is the hottest request, and the include tried before it costs its
    # patterns' misses (resolving /api/v1/petitions/: 33–54 µs → 10–15 µs; benchmarks/README.md, issue 14).
    # No pattern of another include starts with "petitions/", so the order changes no answer.
    path("petitions/", include("petitions.api.urls")),
    path("", include("communities.api.urls")),
    path("governance/", include("governance.api.urls")),
    path("ledger/", include("ledger.api.urls")),
    path("properties/", include("properties.api.urls")),
    path("rankings/", include("rankings.api.urls")),
    path("dashboards/", include("dashboards.strength.api_urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("attachments/<int:pk>/", petition_views.attachment, name="petition-attachment"),
    path("attachments/<int:pk>/thumbnail/", petition_views.thumbnail, name="petition-attachment-thumbnail"),
    path("contract-documents/<int:pk>/", property_views.contract_document, name="contract-document"),
    path("campaign-records/<int:pk>/evidence/", governance_views.campaign_record_evidence,
         name="campaign-record-evidence"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The API docs under the Content-Security-Policy: the split view serves Swagger UI's start-up script from a
    # URL (no inline script) and keeps its template's inline styles. No Redoc: its bundle fetches a logo from a CDN.
    path("api/docs/", docs_styles(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("dashboards/", include("dashboards.urls")),
    path("", include("portal.urls")),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
