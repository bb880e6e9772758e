"""The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters from a 31-character set
(digits and capitals without I, O, Z, S, V), the last one a check character over the first 17."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3^(i) mod 31, i = 0…16
VALUE = {c: i for i, c in enumerate(ALPHABET)}


def check_character(first17: str) -> str:
    """The check character (GB 32100 §5) that completes the 17 characters `first17`."""
    total = sum(VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    return (len(code) == 18 and all(c in VALUE for c in code) and code[2:8].isdigit()
            and check_character(code[:17]) == code[17])


def validate_credit_code(value: str) -> None:
    """Refuses a code of the wrong length or characters, or whose check character does not match."""
    if len(value) != 18:
        raise ValidationError(_("A unified social credit code has 18 characters."), code="length")
    bad = sorted({c for c in value if c not in VALUE})
    if bad:
        raise ValidationError(
            _("A unified social credit code uses digits and capital letters other than I, O, S, V and Z; "
              "found: %(chars)s") % {"chars": " ".join(bad)}, code="characters")
    if not value[2:8].isdigit():
        raise ValidationError(_("Characters 3 to 8 of the code are the region code, all digits."), code="region")
    if check_character(value[:17]) != value[17]:
        raise ValidationError(_("The check character (the last one) does not match: mistyped code?"),
                              code="check")
