"""Serving a petition's photos: through a view that asks the petition's policy (media files are never public:
a photo shows a resident's home), with private caching, `nosniff`, and inline display only for the image types
the upload check admits. Thumbnails are made on first request and kept beside the photo.

In production nginx may send the bytes: with ATTACHMENTS_X_ACCEL_PREFIX set (e.g. "/protected-media/"), the view
answers an empty response with `X-Accel-Redirect: <prefix><file name>` after the policy check, and nginx serves
MEDIA_ROOT at that prefix from an `internal` location (see README, "Photos behind nginx")."""

import os

from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.urls import reverse

from core.files import serve_private
from petitions.models import PetitionAttachment
from petitions.services.photos import PHOTO_FORMATS, normalise_photo

# The types the upload check (services.validate_photo) admits; anything else is offered as a download.
INLINE_TYPES = frozenset(content_type for content_type, _extensions in PHOTO_FORMATS.values())
THUMBNAIL_SIDE = 320


def photo_url(attachment: PetitionAttachment) -> str:
    return reverse("petition-attachment", args=[attachment.pk])


def thumbnail_url(attachment: PetitionAttachment) -> str:
    return reverse("petition-attachment-thumbnail", args=[attachment.pk])


def _thumbnail_name(attachment: PetitionAttachment) -> str:
    ext = os.path.splitext(attachment.file.name)[1].lower()
    return f"petitions/{attachment.petition_id}/thumbnails/{attachment.pk}{ext}"


def thumbnail_name(attachment: PetitionAttachment) -> str | None:
    """The stored thumbnail's name, made now if missing; None for a file that is not a checked image."""
    if attachment.content_type not in INLINE_TYPES:
        return None
    name = _thumbnail_name(attachment)
    if default_storage.exists(name):
        return name
    with attachment.file.open("rb") as source:
        thumbnail = normalise_photo(source, attachment.content_type, side=THUMBNAIL_SIDE)
    # Two first requests at once may both write: the second copy gets another name and is simply unused.
    return default_storage.save(name, thumbnail)


def serve(name: str, content_type: str) -> HttpResponse:
    """The stored photo `name` as a private response, inline for the checked image types."""
    return serve_private(name, content_type, inline_types=INLINE_TYPES)
