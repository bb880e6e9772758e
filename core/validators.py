"""One validator for the phone numbers people type (a caller's number, a person's phone), used by the models,
the admin's forms and the API alike."""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Spaces and hyphens are how people group digits; they are ignored for the check (the number is kept as typed).
_GROUPING = re.compile(r"[\s\-]")
# A mainland mobile: 1[3-9] and nine more digits, with or without +86 / 0086.
MOBILE = re.compile(r"^(?:\+86|0086)?1[3-9]\d{9}$")
# A landline with its area code (010 and 02x, else 0 and three digits starting 3–9); a local number of 7 or 8
# digits that starts with 2–9; optionally +86 / 0086 before the area code (which then drops its 0) and an
# extension after "转" or "#".
LANDLINE = re.compile(r"^(?:\+86|0086|0)(?:10|2\d|[3-9]\d{2})[2-9]\d{6,7}(?:(?:转|#|ext\.?)\d{1,6})?$", re.IGNORECASE)


@deconstructible
class PhoneValidator:
    """Accepts a mainland mobile number or a landline with its area code; refuses the rest (e.g. "12345", a
    hotline's own number, or a local number without its area code)."""

    message = _("Enter a mainland mobile number (e.g. 13812345678) or a landline with its area code "
                "(e.g. 0574-87654321).")
    code = "invalid_phone"

    def __call__(self, value):
        compact = _GROUPING.sub("", str(value or ""))
        if not (MOBILE.match(compact) or LANDLINE.match(compact)):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, PhoneValidator)

    def __hash__(self):
        return hash(PhoneValidator)


validate_phone = PhoneValidator()
