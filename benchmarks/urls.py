"""The routes the benchmark measures: the communities API as production mounts it (`api/v1/`), the health
check the benchmark waits on, `bench/bare/`, the baseline every API figure is divided by, and `bench/floor/`,
the bare endpoint with one durable INSERT (the ceiling of a create).

The petitions API is mounted too (benchmarks/petitions_create.py). Only these are mounted (not the whole
config.urls), so that work in progress in unrelated apps cannot stop the
benchmark; the compounds list resolves through the same `api/v1/` include as in production.
"""

from django.db import connection
from django.urls import include, path
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from config.views import healthz


class BareView(APIView):
    """Same authentication and permission classes as the API (the REST_FRAMEWORK defaults: token auth,
    IsAuthenticated), no query beyond the token lookup, a tiny constant body."""

    def get(self, request):
        return Response({"ok": True})


class FloorView(APIView):
    """The bare endpoint plus the least a durable create must do: read the JSON body and write one row, committed
    before the 201 (autocommit, synchronous_commit on). Its throughput as a share of the bare endpoint's is the
    ceiling of any create on this stack and machine (benchmarks/peer_helpdesk.py creates `bench_floor`)."""

    def post(self, request):
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_floor (body, at) VALUES (%s, now()) RETURNING id",
                           [str(request.data.get("description", ""))])
            (pk,) = cursor.fetchone()
        return Response({"id": pk}, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/petitions/", include("petitions.api.urls")),  # first, as in config.urls
    path("api/v1/", include("communities.api.urls")),
    path("bench/bare/", BareView.as_view(), name="bench-bare"),
    path("bench/floor/", FloorView.as_view(), name="bench-floor"),
]
