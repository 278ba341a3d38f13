import base64
import io
import re

from PIL import Image

from odoo.tests import tagged

from .test_binding import FIXED_CODE, BindingCommon
from .test_resident_site import ChineseSiteMixin

POSTER = "property_portal.property_building_poster_report"


def pixel_difference(png_a, png_b):
    """How many pixels differ between two images, in black and white."""

    def pixels(png):
        return Image.open(io.BytesIO(png)).convert("L").point(lambda v: 255 if v > 127 else 0).tobytes()

    return sum(1 for a, b in zip(pixels(png_a), pixels(png_b), strict=True) if a != b)


@tagged("post_install", "-at_install")
class TestBindingPoster(BindingCommon):
    """A QR poster per building for the lobby: the code opens the binding page with the estate
    and the building filled in. (No PDF engine on the test machines: the HTML the PDF is made from
    is checked, and the QR image itself.)"""

    def render(self, buildings, user=None):
        user = user or self.user_frontdesk
        # as the web client calls it: in the user's language
        report = self.env["ir.actions.report"].with_user(user).with_context(lang=user.lang)
        html, kind = report._render_qweb_html(POSTER, buildings.ids)
        self.assertEqual(kind, "html")
        return html.decode()

    def test_poster_in_chinese(self):
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", "https://wuye.example.cn")
        self.company.write({"name": "翠湖物业服务有限公司", "phone": "0571-88880000"})
        self.use_chinese(self.user_frontdesk, ["property_portal"])
        html = self.render(self.building_a)
        url = f"https://wuye.example.cn/bind?building={self.building_a.id}"
        for text in (
            "翠湖物业服务有限公司",
            "翠湖花园",
            "3号楼",
            "扫码绑定房屋",
            "验证手机号",
            "0571-88880000",
            url,
        ):
            self.assertTrue(text in html, text)
        self.assertFalse("Scan to bind" in html, "in Chinese")
        qr = re.search(r'class="o_property_poster_qr[^"]*"[^>]*src="data:image/png;base64,([^"]+)"', html)
        self.assertTrue(qr, "the QR code is embedded (the PDF engine fetches nothing)")
        png = base64.b64decode(qr.group(1))
        self.assertTrue(png.startswith(b"\x89PNG"))
        # the same QR code as the building's link (the renderer differs by a pixel or so between
        # two runs: compared in black and white), not the one of another building
        barcode = self.env["ir.actions.report"].barcode
        same = barcode("QR", url, width=600, height=600, barLevel="M")
        other = barcode(
            "QR", url.replace(f"={self.building_a.id}", "=999999"), width=600, height=600, barLevel="M"
        )
        self.assertLess(pixel_difference(png, same), 100, "the QR code encodes the building's binding link")
        self.assertGreater(pixel_difference(png, other), 10000)

    def test_batch_one_page_per_building(self):
        self.use_chinese(self.env["res.users"], ["property_portal"])  # installed, the manager in English
        html = self.render(self.building_a | self.building_b, user=self.user_manager)
        self.assertEqual(html.count('class="page o_property_poster'), 2)
        self.assertEqual(html.count("扫码绑定房屋"), 2, "the residents' poster is in Chinese")
        self.assertIn(f"/bind?building={self.building_b.id}", html)

    def test_printed_from_the_building_by_the_desk(self):
        report = self.env.ref(POSTER)
        self.assertEqual(report.binding_model_id.model, "property.building")
        self.assertIn(self.env.ref("property_base.group_property_front_desk"), report.groups_id)

    def test_link_preselects_the_building(self):
        page = self.url_open(f"/bind?building={self.building_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f'data-selected="{self.building_a.id}"', page.text)
        self.assertTrue(
            re.search(rf'<option value="{self.estate_a.id}" selected="[^"]+"', page.text),
            "estate preselected",
        )

    def test_unknown_or_foreign_building_shows_the_normal_page(self):
        other = self.env["res.company"].create({"name": "别家物业"})
        estate = self.env["property.estate"].create({"name": "别家小区", "code": "X", "company_id": other.id})
        foreign = self.env["property.building"].create({"estate_id": estate.id, "code": "9", "name": "9幢"})
        for value in (foreign.id, 987654321, "abc", "1" * 40, "-1", f"{self.building_a.id}' or 1=1"):
            page = self.url_open(f"/bind?building={value}")
            self.assertEqual(page.status_code, 200, value)
            head = page.text.split('id="bind_role"')[0]
            self.assertFalse(re.search(r'data-selected="[^"]+"', head), value)
            self.assertFalse(re.search(r'<option value="\d+" selected=', head), value)
            self.assertFalse("别家小区" in page.text, value)


@tagged("post_install", "-at_install")
class TestPosterBindingTour(ChineseSiteMixin, BindingCommon):
    """The resident scans the poster on a phone (375 px, Chinese) and binds from there."""

    browser_size = "375x812"
    touch_enabled = True

    def test_tour_resident_binds_from_the_poster(self):
        self.estate_a.name = "临江花园"  # the demo data has an estate called like the test's
        self.use_chinese_site()
        with FIXED_CODE:
            self.start_tour(f"/bind?building={self.building_a.id}", "property_portal_bind_from_poster")
        user = self.relative.user_ids
        self.assertTrue(user._is_portal())
        self.assertEqual(self.Binding.search([("partner_id", "=", self.relative.id)]).state, "bound")
