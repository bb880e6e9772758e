"""A petition's photos, for everyone who may see the petition: the portal's and the admin's pages show them with
the session, API clients follow the detail's `photos` addresses with their token."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.views.decorators.http import require_GET

from core.files import request_user
from petitions import attachments
from petitions.models import PetitionAttachment
from petitions.policies import petition_policy


def _visible_attachment(request, pk):
    """(the user, the attachment if its petition is visible to the user): 404 for unknown and invisible alike;
    the user is None for an anonymous request."""
    user = request_user(request)
    if user is None:
        return None, None
    attachment = PetitionAttachment.objects.filter(
        pk=pk, petition__in=petition_policy.visible(user).values("pk")).first()
    if attachment is None:
        raise Http404
    return user, attachment


@require_GET
def attachment(request, pk):
    user, found = _visible_attachment(request, pk)
    if user is None:
        return redirect_to_login(request.get_full_path())
    return attachments.serve(found.file.name, found.content_type)


@require_GET
def thumbnail(request, pk):
    user, found = _visible_attachment(request, pk)
    if user is None:
        return redirect_to_login(request.get_full_path())
    name = attachments.thumbnail_name(found)
    if name is None:
        raise Http404
    return attachments.serve(name, found.content_type)
