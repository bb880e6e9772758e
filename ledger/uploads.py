"""The ledger's uploads (a fee sheet, a fund application's quote, document or photo): at most 10 MB, checked by the
services themselves so that every door (the API, the admin, a script) refuses a file the same way, with the
message on the `file` field."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.uploads import upload_refusal

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def check_upload(upload) -> None:
    """Refuses a missing file or one larger than MAX_UPLOAD_BYTES (core.uploads), with a ValidationError on
    `file`."""
    refusal = upload_refusal(upload, max_bytes=MAX_UPLOAD_BYTES,
                             too_large=_("The file is larger than 10 MB."))
    if refusal:
        raise ValidationError({"file": refusal})
