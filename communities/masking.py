"""Masking of personal data for display: 138****5678, 330206**********12 and the like."""


def mask_phone(value: str) -> str:
    """Keeps the first three and last four digits of a phone number."""
    if not value:
        return ""
    if len(value) <= 7:
        return value[:1] + "*" * (len(value) - 1)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_id_card(value: str) -> str:
    """Keeps the first six (region) and last four characters of an ID number."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]
