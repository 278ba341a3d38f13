"""Validation of residents' uploads by their content (magic bytes through Pillow), not by name.

Photos are validated first (``read_images``: no database write), the form next, and the
attachments are created only for the record the form created (``attach_images``)."""

import base64
import io
import warnings

from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 6
# A 5000 x 5000 photo: more than any phone camera takes. Decoding costs about 4 bytes a pixel
# (Odoo resizes stored images), so this bounds the memory one upload can take.
MAX_PIXELS = 25_000_000
# uploads (forms with photos) per user and window, in seconds
UPLOAD_LIMIT = (20, 600)


class UploadError(ValueError):
    pass


def check_image(data, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS):
    """Return the mimetype of ``data`` (bytes) if it is a real image of an allowed format and
    size; raise UploadError otherwise. The file name and the browser's content type are ignored.
    The pixel count is read from the header, before anything is decoded."""
    if not data:
        raise UploadError("empty")
    if len(data) > max_bytes:
        raise UploadError("too_large")
    try:
        with warnings.catch_warnings():
            # Pillow warns above Image.MAX_IMAGE_PIXELS and refuses above twice that: both refused
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                fmt = image.format
                width, height = image.size
                if width * height > max_pixels:
                    raise UploadError("too_many_pixels")
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UploadError("too_many_pixels") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        if isinstance(error, UploadError):
            raise
        raise UploadError("not_an_image") from error
    if fmt not in ALLOWED_FORMATS:
        raise UploadError("format")
    return ALLOWED_FORMATS[fmt]


def read_images(files, max_files=MAX_FILES):
    """Validate werkzeug FileStorage objects; return their attachment values (nothing is
    written: the caller validates the rest of the form, creates its record, then attaches)."""
    files = [f for f in files if f and f.filename]
    if len(files) > max_files:
        raise UploadError("too_many")
    values = []
    for storage in files:
        data = storage.read(MAX_BYTES + 1)
        mimetype = check_image(data)
        values.append(
            {
                "name": (storage.filename or "photo")[-100:],
                "datas": base64.b64encode(data),
                "mimetype": mimetype,
            }
        )
    return values


def check_upload_rate(env, values):
    """Count one upload of the current user when ``values`` holds photos; UploadError
    ("rate_limited") when the user is over UPLOAD_LIMIT."""
    if not values:
        return
    limit, window = UPLOAD_LIMIT
    allowed = (
        env["property.portal.rate.limit"].sudo()._hit_limits([(f"upload:user:{env.uid}", limit, window)])
    )
    if not allowed:
        raise UploadError("rate_limited")


def attach_images(env, values, record):
    """Create the attachments of ``values`` (from read_images) on ``record`` (sudo, after the
    caller's checks), each with a portal access token."""
    attachments = env["ir.attachment"].sudo()
    if values:
        attachments = attachments.create(
            [dict(vals, res_model=record._name, res_id=record.id) for vals in values]
        )
        attachments.generate_access_token()
    return attachments
