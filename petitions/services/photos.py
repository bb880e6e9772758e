"""Photos of a petition: checked, normalised and saved."""

import io
import os

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.images import open_photo, reduce_upright
from petitions.models import (
    PetitionAttachment,
)

MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {
    "JPEG": ("image/jpeg", {".jpg", ".jpeg"}),
    "PNG": ("image/png", {".png"}),
    "WEBP": ("image/webp", {".webp"}),
}

# --- photos -----------------------------------------------------------------------------------------------

def validate_photo(upload) -> str:
    """The photo's content type if it is a JPEG, PNG or WebP of at most 5 MB whose name matches its content."""
    if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
        raise DomainError(_("A photo may be at most 5 MB."), field="photos")
    try:
        with open_photo(upload) as image:  # refuses too many pixels from the header, before decoding
            found = image.format
            image.verify()
    except DomainError:
        raise
    except Exception as exc:  # Pillow raises many kinds for broken or hostile files
        raise DomainError(_("This file is not a photo we can read (JPEG, PNG or WebP)."), field="photos") from exc
    finally:
        upload.seek(0)
    if found not in PHOTO_FORMATS:
        raise DomainError(_("Photos must be JPEG, PNG or WebP."), field="photos")
    content_type, extensions = PHOTO_FORMATS[found]
    if os.path.splitext(upload.name or "")[1].lower() not in extensions:
        raise DomainError(_("The file's name does not match its content."), field="photos")
    return content_type


def _validate_photos(photos) -> list[tuple]:
    photos = list(photos or ())
    if len(photos) > MAX_PHOTOS:
        raise DomainError(_("At most 6 photos may be attached."), field="photos")
    return [(photo, validate_photo(photo)) for photo in photos]


MAX_PHOTO_SIDE = 1600


def normalise_photo(upload, content_type: str, *, side: int = MAX_PHOTO_SIDE):
    """The photo as stored: turned upright by its EXIF orientation, its longest side at most `side` (1600 px),
    re-encoded in its own format without its metadata (phones write the place a photo was taken into it).
    Residents are on phones and weak networks (performance.md): a 12-megapixel original would be several MB on
    every view. Thumbnails are made the same way, smaller."""
    fmt = next(name for name, (ct, _ext) in PHOTO_FORMATS.items() if ct == content_type)
    with open_photo(upload) as original:
        image = reduce_upright(original, side)
        if fmt == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        options = {"quality": 85, "optimize": True} if fmt in ("JPEG", "WEBP") else {"optimize": True}
        image.save(buffer, format=fmt, **options)
    upload.seek(0)
    return ContentFile(buffer.getvalue(), name=os.path.basename(upload.name or "photo"))


def _save_photos(petition, checked, actor, event=None) -> None:
    for upload, content_type in checked:
        photo = normalise_photo(upload, content_type)
        PetitionAttachment.objects.create(
            petition=petition, event=event, file=photo, content_type=content_type, size=photo.size,
            uploaded_by=actor,
        )
