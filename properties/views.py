"""A contract's documents, for everyone who may see the contract: the admin's contract page links them with the
session, API clients follow the `url` of each document with their token. Downloads only (never shown inline)."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.views.decorators.http import require_GET

from core.files import request_user, serve_private
from properties.policies import contract_document_policy


@require_GET
def contract_document(request, pk):
    user = request_user(request)
    if user is None:
        return redirect_to_login(request.get_full_path())
    document = contract_document_policy.visible(user).filter(pk=pk).first()
    if document is None:  # unknown and invisible alike
        raise Http404
    return serve_private(document.file.name, document.content_type)
