"""Contract documents are checked on upload like the petitions' photos: size first, then the content read from
the file itself (never the name or the browser's word), and the name must match the content."""

import os

from django.utils.translation import gettext as _

from core.errors import DomainError

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
IMAGE_FORMATS = {"JPEG": ("image/jpeg", {".jpg", ".jpeg"}), "PNG": ("image/png", {".png"})}
PDF = ("application/pdf", {".pdf"})
MAX_IMAGE_PIXELS = 40_000_000  # a scanned A4 page at 600 dpi is about 35 megapixels


def validate_document(upload) -> str:
    """The document's content type if it is a PDF, JPEG or PNG of at most 20 MB whose name matches its content."""
    if upload.size is not None and upload.size > MAX_DOCUMENT_BYTES:
        raise DomainError(_("A document may be at most 20 MB."), field="file")
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
    from PIL import Image

    try:
        with Image.open(upload) as image:  # lazy: reads the header only
            found, (width, height) = image.format, image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise DomainError(_("This image is too large."), field="file")
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
