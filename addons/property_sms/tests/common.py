from odoo import Command

from odoo.addons.property_base.tests.common import PropertyTestCommon


class SmsTestCommon(PropertyTestCommon):
    """A log gateway configured for the company and a Tencent gateway, both with templates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        templates = [
            Command.create(
                {"code": "dunning_reminder", "provider_template_id": "2001", "content": "{1}您好，欠费{2}元"}
            ),
            Command.create({"code": "otp", "provider_template_id": "1001", "content": "验证码{1}"}),
        ]
        cls.gateway_log = cls.env["property.sms.gateway"].create(
            {"name": "日志", "provider": "log", "template_ids": templates}
        )
        cls.gateway_tencent = cls.env["property.sms.gateway"].create(
            {
                "name": "腾讯云短信",
                "provider": "tencent",
                "tencent_secret_id": "AKIDtest",
                "tencent_secret_key": "secret-key-test",
                "tencent_sdk_app_id": "1400006666",
                "tencent_sign_name": "翠湖物业",
                "tencent_region": "ap-guangzhou",
                "timeout": 7,
                "template_ids": templates,
            }
        )
        cls.company.property_sms_gateway_id = cls.gateway_log
