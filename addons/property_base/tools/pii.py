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


# a run of at least 7 digits, with the separators people write inside phone numbers
_NUMBER_RUN = re.compile(r"\+?\d[\d \-()]{5,}\d")


def mask_text(value):
    """Every phone-like number of a free text masked (``13812341234, 13900001111`` or
    ``张伟 13812341234``); short numbers (amounts, unit numbers) are kept."""
    if not isinstance(value, str) or not value:
        return value
    return _NUMBER_RUN.sub(lambda match: mask_phone(match.group()), value)


def reveals_only(clear, given):
    """Whether showing ``clear`` tells nothing more than ``given``, the value the user sent:
    the same digits, perhaps reformatted (``+86 138 1234 1234`` for ``13812341234``)."""
    if not isinstance(clear, str) or not isinstance(given, str) or is_masked(given):
        return False
    clear_digits = "".join(_DIGITS.findall(clear))
    given_digits = "".join(_DIGITS.findall(given))
    return len(given_digits) >= 7 and clear_digits.endswith(given_digits)
