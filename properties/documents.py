"""Contract documents are checked on upload like the petitions' photos: size first, then the content read from
the file itself (never the name or the browser's word), and the name must match the content."""

import os

from django.utils.translation import gettext as _

from core.errors import DomainError
from core.images import open_photo
from core.uploads import upload_refusal

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
IMAGE_FORMATS = {"JPEG": ("image/jpeg", {".jpg", ".jpeg"}), "PNG": ("image/png", {".png"})}
PDF = ("application/pdf", {".pdf"})


def validate_document(upload) -> str:
    """The document's content type if it is a PDF, JPEG or PNG of at most 20 MB whose name matches its content."""
    refusal = upload_refusal(upload, max_bytes=MAX_DOCUMENT_BYTES,
                             too_large=_("A document may be at most 20 MB."))
    if refusal:
        raise DomainError(refusal, field="file")
    extension = os.path.splitext(upload.name or "")[1].lower()
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        content_type, extensions = PDF
    else:
        content_type, extensions = _image_type(upload)
    if extension not in extensions:
        raise DomainError(_("The file's name does not match its content."), field="file")
    return content_type


def _image_type(upload) -> tuple:
    # The photos' own opening (core.images): the pixel count is checked from the header before anything is decoded.
    try:
        with open_photo(upload, field="file") as image:
            found = image.format
            image.verify()
    except DomainError:
        raise
    except Exception as exc:  # Pillow raises many kinds for broken or hostile files
        raise DomainError(_("Documents must be PDF, JPEG or PNG files."), field="file") from exc
    finally:
        upload.seek(0)
    if found not in IMAGE_FORMATS:
        raise DomainError(_("Documents must be PDF, JPEG or PNG files."), field="file")
    return IMAGE_FORMATS[found]
