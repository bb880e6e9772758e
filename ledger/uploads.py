"""The ledger's uploads (a fee sheet, a fund application's quote, document or photo): at most 10 MB, checked by the
services themselves so that every door (the API, the admin, a script) refuses a file the same way, with the
message on the `file` field."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def check_upload(upload) -> None:
    """Refuses a missing file or one larger than MAX_UPLOAD_BYTES (ValidationError on `file`)."""
    if upload is None or not getattr(upload, "name", None):
        raise ValidationError({"file": _("Choose the file to upload.")})
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
