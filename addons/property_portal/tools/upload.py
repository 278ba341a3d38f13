"""Validation of residents' uploads by their content (magic bytes through Pillow), not by name."""

import base64
import io

from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 6


class UploadError(ValueError):
    pass


def check_image(data, max_bytes=MAX_BYTES):
    """Return the mimetype of ``data`` (bytes) if it is a real image of an allowed format and
    size; raise UploadError otherwise. The file name and the browser's content type are ignored."""
    if not data:
        raise UploadError("empty")
    if len(data) > max_bytes:
        raise UploadError("too_large")
    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise UploadError("not_an_image") from error
    if fmt not in ALLOWED_FORMATS:
        raise UploadError("format")
    return ALLOWED_FORMATS[fmt]


def images_to_attachments(env, files, res_model, max_files=MAX_FILES):
    """Validate werkzeug FileStorage objects and create their attachments (sudo, not yet linked
    to a record: res_id 0). Returns the attachments, each with a portal access token."""
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
                "res_model": res_model,
                "res_id": 0,
            }
        )
    attachments = env["ir.attachment"].sudo().create(values) if values else env["ir.attachment"].sudo()
    attachments.generate_access_token()
    return attachments
