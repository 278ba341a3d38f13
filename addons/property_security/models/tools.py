"""Small helpers shared by the security models: tokens, QR images, plates, households."""

import base64
import io
import re
import secrets

import qrcode

from odoo import fields


def new_token():
    """A random, URL-safe token for passes and checkpoints (128 bits)."""
    return secrets.token_urlsafe(16)


def qr_png(data):
    """The QR code of ``data`` as a base64 PNG (what a Binary/Image field stores)."""
    if not data:
        return False
    image = qrcode.make(data, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue())


def normalize_plate(plate):
    """Plates compare without spaces, dots or dashes, upper-case: '浙A·12345' == '浙a 12345'."""
    return re.sub(r"[\s·.\-]", "", plate or "").upper()


def current_household_units(env, partner, unit=None):
    """The units where ``partner`` currently lives (or owns), optionally only ``unit``."""
    domain = [("partner_id", "=", partner.id), ("state", "=", "current")]
    if unit:
        domain.append(("unit_id", "=", unit.id))
    return env["property.occupancy"].sudo().search(domain).unit_id


def minutes_between(start, end):
    if not start or not end:
        return 0.0
    return round(
        (fields.Datetime.to_datetime(end) - fields.Datetime.to_datetime(start)).total_seconds() / 60.0, 2
    )
