"""A petition's photos, for everyone who may see the petition (the API, the admin and the portal link here)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_GET

from petitions import attachments
from petitions.models import PetitionAttachment
from petitions.policies import petition_policy


def _visible_attachment(user, pk) -> PetitionAttachment:
    """The attachment if its petition is visible to the user; 404 for unknown and invisible alike."""
    attachment = PetitionAttachment.objects.filter(
        pk=pk, petition__in=petition_policy.visible(user).values("pk")).first()
    if attachment is None:
        raise Http404
    return attachment


@login_required
@require_GET
def attachment(request, pk):
    found = _visible_attachment(request.user, pk)
    return attachments.serve(found.file.name, found.content_type)


@login_required
@require_GET
def thumbnail(request, pk):
    found = _visible_attachment(request.user, pk)
    name = attachments.thumbnail_name(found)
    if name is None:
        raise Http404
    return attachments.serve(name, found.content_type)
