"""Masking of personal data (PIPL): what non-managers see of phone and ID-card numbers."""

import re

MASK = "****"
_DIGITS = re.compile(r"\d")


def mask_phone(value):
    """138****1234 for a mobile number; keeps a country prefix and separators out of the way.

    Shows the first 3 and last 4 digits of the national number, masks the rest."""
    if not value:
        return value
    digits = "".join(_DIGITS.findall(value))
    if value.strip().startswith("+86") or (digits.startswith("86") and len(digits) == 13):
        digits = digits[2:]
    if len(digits) <= 7:
        return (digits[:1] + MASK) if digits else MASK
    return f"{digits[:3]}{MASK}{digits[-4:]}"


def mask_id_card(value):
    """110101********1234: region code kept, birth date and sequence masked, last 4 kept."""
    if not value:
        return value
    value = value.strip()
    if len(value) <= 8:
        return MASK
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def is_masked(value):
    return isinstance(value, str) and MASK in value
