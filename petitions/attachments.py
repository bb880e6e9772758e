"""Serving a petition's photos: through a view that asks the petition's policy (media files are never public:
a photo shows a resident's home), with private caching, `nosniff`, and inline display only for the image types
the upload check admits. Thumbnails are made on first request and kept beside the photo.

In production nginx may send the bytes: with ATTACHMENTS_X_ACCEL_PREFIX set (e.g. "/protected-media/"), the view
answers an empty response with `X-Accel-Redirect: <prefix><file name>` after the policy check, and nginx serves
MEDIA_ROOT at that prefix from an `internal` location (see README, "Photos behind nginx")."""

import os

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.urls import reverse

from petitions.models import PetitionAttachment
from petitions.services.photos import PHOTO_FORMATS, normalise_photo

# The types the upload check (services.validate_photo) admits; anything else is offered as a download.
INLINE_TYPES = frozenset(content_type for content_type, _extensions in PHOTO_FORMATS.values())
THUMBNAIL_SIDE = 320
CACHE_CONTROL = "private, max-age=3600"


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
    """The stored file `name` as a private, non-sniffable response; inline only for the checked image types."""
    inline = content_type in INLINE_TYPES
    prefix = getattr(settings, "ATTACHMENTS_X_ACCEL_PREFIX", "")
    if prefix:
        response = HttpResponse(content_type=content_type if inline else "application/octet-stream")
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + name
    else:
        response = FileResponse(default_storage.open(name, "rb"),
                                content_type=content_type if inline else "application/octet-stream")
    filename = os.path.basename(name)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    return response
