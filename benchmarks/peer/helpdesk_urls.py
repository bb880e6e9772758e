"""django-helpdesk's own URLs (its API is `/helpdesk/api/tickets/`) and the same bare baseline as the platform's
benchmark server: DRF token authentication, IsAuthenticated, one query (the token), `{"ok": true}`."""

from django.http import HttpResponse
from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView


class BareView(APIView):
    def get(self, request):
        return Response({"ok": True})


urlpatterns = [
    path("healthz", lambda request: HttpResponse("ok"), name="healthz"),
    path("helpdesk/", include("helpdesk.urls")),
    path("bench/bare/", BareView.as_view(), name="bench-bare"),
]
