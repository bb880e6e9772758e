"""The first check of every uploaded file: one was chosen, and it is not larger than its limit.

The ledger (ledger.uploads, 10 MB) and the contract documents (properties.documents, 20 MB) both begin
with it, before anything reads the file. Each keeps its own limit, its own "too large" message and its own
error type (a ValidationError on `file` for the ledger, a DomainError on `file` for the documents; the doors
catch them by type, e.g. the fee import's admin puts only a ValidationError on the field), so this gives
the reason and leaves the raising to the caller. Kept free of any app, like core.errors."""

from django.utils.translation import gettext as _


def upload_refusal(upload, *, max_bytes: int, too_large: str) -> str | None:
    """Why `upload` is refused: no file (None, or one without a name), or more than `max_bytes` bytes (then
    `too_large`, worded by the caller with its limit); None when it may be read. An unknown size passes."""
    if upload is None or not getattr(upload, "name", None):
        return _("Choose the file to upload.")
    if upload.size is not None and upload.size > max_bytes:
        return too_large
    return None
