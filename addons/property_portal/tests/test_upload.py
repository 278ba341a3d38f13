import io

from PIL import Image

from odoo.tests import tagged

from ..tools.upload import MAX_BYTES, UploadError, check_image
from .common import PortalTestCommon, png_bytes


@tagged("post_install", "-at_install")
class TestUploads(PortalTestCommon):
    def test_check_image_by_content(self):
        self.assertEqual(check_image(png_bytes()), "image/png")
        buffer = io.BytesIO()
        Image.new("RGB", (4, 4)).save(buffer, format="JPEG")
        self.assertEqual(check_image(buffer.getvalue()), "image/jpeg")
        for data, reason in (
            (b"", "empty"),
            (b"<?php system($_GET['c']); ?>", "not_an_image"),
            (b"GIF89a<?php system($_GET['c']); ?>", "not_an_image"),
            (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not_an_image"),
            (b"%PDF-1.4 fake", "not_an_image"),
            (png_bytes() + b"\x00" * MAX_BYTES, "too_large"),
        ):
            with self.assertRaises(UploadError, msg=reason) as caught:
                check_image(data)
            self.assertEqual(str(caught.exception), reason)
        buffer = io.BytesIO()
        Image.new("RGB", (4, 4)).save(buffer, format="BMP")
        with self.assertRaises(UploadError):
            check_image(buffer.getvalue())

    def test_request_upload_over_http(self):
        self.authenticate("t_resident", "t_resident")
        page = self.url_open("/my/requests/new").text
        import re

        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        data = {"csrf_token": token, "unit_id": self.unit_a.id, "description": "阳台漏水"}
        # a script named like a photo is refused, nothing is created
        response = self.url_open(
            "/my/requests/submit",
            data=data,
            files=[("photos", ("leak.jpg", b"<script>alert(1)</script>", "image/jpeg"))],
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Only photos can be uploaded", response.text)
        self.assertFalse(self.env["property.request"].search([("description", "=", "阳台漏水")]))
        # seven photos at once: too many
        response = self.url_open(
            "/my/requests/submit",
            data=data,
            files=[("photos", (f"p{i}.png", png_bytes(), "image/png")) for i in range(7)],
        )
        self.assertIn("At most 6 photos", response.text)
        # two real photos (named .txt: the content decides)
        response = self.url_open(
            "/my/requests/submit",
            data=data,
            files=[
                ("photos", ("a.png", png_bytes(), "image/png")),
                ("photos", ("b.txt", png_bytes(color=(0, 0, 255)), "text/plain")),
            ],
        )
        self.assertEqual(response.status_code, 200)
        request = self.env["property.request"].search([("description", "=", "阳台漏水")])
        self.assertEqual(len(request.photo_ids), 2)
        self.assertEqual(set(request.photo_ids.mapped("mimetype")), {"image/png"})
        self.assertEqual(set(request.photo_ids.mapped("res_id")), {request.id})
        # the photos show on the request page
        page = self.url_open(f"/my/requests/{request.id}").text
        self.assertIn(f"/web/image/{request.photo_ids[0].id}/", page)
