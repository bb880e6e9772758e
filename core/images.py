"""Images from users: sized from their header before any pixel is decoded, decoded reduced where the format
allows.

A 553 kB single-colour PNG can declare 13,300 × 13,300 pixels (under Pillow's own decompression-bomb limit of
89 MP) and take 1.4 GB to decode. Pillow's `Image.open` reads only the header: the pixel count is checked there
against settings.MAX_PHOTO_MEGAPIXELS (default 50, more than a phone camera makes), and refused before `load()`.

The largest memory one accepted photo may take while it is normalised: a decoded image holds 4 bytes per pixel
(Pillow stores RGB as RGBX), so at most 4 B × MAX_PHOTO_MEGAPIXELS (200 MB at 50 MP) for a PNG or WebP, plus its
first integer reduction (≤ a quarter of that); a JPEG is decoded by the DCT at 1/2 to 1/8 scale (`draft`), so at
most a quarter of that. The photos of one request are decoded one after another, never together."""

from contextlib import contextmanager

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from core.errors import DomainError

BYTES_PER_PIXEL = 4


def max_decode_bytes() -> int:
    """The most memory that decoding one accepted photo may take (see the module docstring)."""
    return int(settings.MAX_PHOTO_MEGAPIXELS * 1_000_000 * BYTES_PER_PIXEL * 1.25)


@contextmanager
def open_photo(upload, *, field: str = "photos"):
    """The upload opened lazily (header only), refused with a DomainError when it declares more pixels than
    settings.MAX_PHOTO_MEGAPIXELS; Pillow's failures on broken files are the caller's to report."""
    upload.seek(0)
    with Image.open(upload) as image:
        width, height = image.size
        if width * height > settings.MAX_PHOTO_MEGAPIXELS * 1_000_000:
            raise DomainError(
                _("A photo may have at most %(mp)s megapixels.") % {"mp": settings.MAX_PHOTO_MEGAPIXELS},
                field=field,
            )
        yield image


def reduce_upright(image: Image.Image, side: int) -> Image.Image:
    """The image with its longest side at most `side`, turned upright by its EXIF orientation. Reduces before it
    decodes in full: `thumbnail` asks the JPEG decoder for a smaller scale (`draft`) and reduces other formats by
    an integer factor first; the turn is done on the small image."""
    image.getexif()  # read while the file is at hand: the turn below needs the orientation
    ratio = side / max(image.size)
    if ratio < 1 and image.format == "JPEG":
        # The decoder's scale (1/2 … 1/8) that still leaves at least the final size; thumbnail's own draft keeps
        # twice that, decoding a 12 MP photo whole.
        image.draft(None, (int(image.width * ratio), int(image.height * ratio)))
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    return ImageOps.exif_transpose(image)
