"""The routes the benchmark measures: the communities API as production mounts it (`api/v1/`), the health
check the benchmark waits on, and `bench/bare/`, the baseline every API figure is divided by.

The petitions API is mounted too (benchmarks/petitions_create.py). Only these are mounted (not the whole
config.urls), so that work in progress in unrelated apps cannot stop the
benchmark; the compounds list resolves through the same `api/v1/` include as in production.
"""

from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

from config.views import healthz


class BareView(APIView):
    """Same authentication and permission classes as the API (the REST_FRAMEWORK defaults: token auth,
    IsAuthenticated), no query beyond the token lookup, a tiny constant body."""

    def get(self, request):
        return Response({"ok": True})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/petitions/", include("petitions.api.urls")),  # first, as in config.urls
    path("api/v1/", include("communities.api.urls")),
    path("bench/bare/", BareView.as_view(), name="bench-bare"),
]
