"""A campaign record's evidence, for everyone who may see the record: the admin's record page links it with the
session, API clients follow the record's `evidence_url` with their token. Downloads only (never shown inline)."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.views.decorators.http import require_GET

from core.files import request_user, serve_private
from governance.policies import campaign_record_policy


@require_GET
def campaign_record_evidence(request, pk):
    user = request_user(request)
    if user is None:
        return redirect_to_login(request.get_full_path())
    record = campaign_record_policy.visible(user).filter(pk=pk).exclude(evidence="").first()
    if record is None:  # unknown, invisible and without evidence alike
        raise Http404
    return serve_private(record.evidence.name, record.evidence_type)
