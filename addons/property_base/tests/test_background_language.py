from odoo.tests import tagged

from .common import PropertyTestCommon


@tagged("post_install", "-at_install")
class TestBackgroundLanguage(PropertyTestCommon):
    """Text written without a language in the context (crons, jobs, the IoT bridge, demo data)
    is in the company's language, in one language."""

    def setUp(self):
        super().setUp()
        self.use_chinese(self.env.user, [])
        self.env = self.env(
            context={k: v for k, v in self.env.context.items() if k not in ("lang", "tracking_disable")}
        )
        self.assertFalse(self.env.context.get("lang"))

    def _created(self, code):
        building = self.env["property.building"].create(
            {"estate_id": self.estate_a.id, "code": code, "name": code}
        )
        return building.message_ids[-1:].body

    def test_company_language(self):
        self.env.company.partner_id.lang = "zh_CN"
        self.assertEqual(self.env.company._property_lang(), "zh_CN")
        self.assertEqual(self._created("Z1"), "<p>楼栋 创建</p>")
        self.env.company.partner_id.lang = "en_US"
        self.assertEqual(self.env.company._property_lang(), "en_US")
        self.assertEqual(self._created("Z2"), "<p>Building created</p>")
