from odoo import Command

from odoo.addons.property_portal.tests.common import PortalTestCommon

NOTIFY_TEMPLATES = {
    "notify_bill": "{1}您好，账单{2}已出，金额{3}元，请于{4}前缴纳",
    "notify_payment": "已收到您缴纳的{1}元（{2}），谢谢！收据：{3}",
    "notify_request_assigned": "您的报修{1}已由{2}处理，预计{3}前完成",
    "notify_request_done": "您的报修{1}已完工，请在住户门户确认",
    "notify_alarm": "您的报警{1}已于{2}接警，保安正在赶来",
    "notify_feedback": "您的意见《{1}》已回复，请在住户门户查看",
}


class NotificationTestCommon(PortalTestCommon):
    """PortalTestCommon's two households, with the company's SMS gateway (the log provider, and
    a Tencent one whose HTTP API the tests fake) and WeChat configured; 李娜 (household B) is
    bound to WeChat, 张伟 (household A) is not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        templates = [
            Command.create({"code": code, "provider_template_id": str(3000 + i), "content": content})
            for i, (code, content) in enumerate(NOTIFY_TEMPLATES.items())
        ]
        Gateway = cls.env["property.sms.gateway"]
        cls.gateway_log = Gateway.create({"name": "日志", "provider": "log", "template_ids": templates})
        cls.gateway_tencent = Gateway.create(
            {
                "name": "腾讯云短信",
                "provider": "tencent",
                "tencent_secret_id": "AKIDtest",
                "tencent_secret_key": "secret-key-test",
                "tencent_sdk_app_id": "1400006666",
                "tencent_sign_name": "翠湖物业",
                "template_ids": templates,
            }
        )
        cls.company.property_sms_gateway_id = cls.gateway_log
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("property_portal.wechat_appid", "wx-test-app")
        params.set_param("property_portal.wechat_secret", "wx-test-secret")
        params.set_param("property_notification.wechat_template_id", "TPL-NOTIFY")
        cls.owner_b.sudo().wechat_openid = "openid-lina"
        cls.Notification = cls.env["property.notification"]
        cls.Preference = cls.env["property.notification.preference"]

    def notifications(self, record, partner=None, channel=None):
        domain = [("res_model", "=", record._name), ("res_id", "=", record.id)]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        if channel:
            domain.append(("channel", "=", channel))
        return self.Notification.sudo().search(domain)

    def sms_logs(self, template_code):
        return self.env["property.sms.log"].sudo().search([("template_code", "=", template_code)])

    def wechat_ok(self):
        return self.fake_wechat({"errcode": 0, "errmsg": "ok", "msgid": 200228332})

    def make_technician(self, name="王师傅"):
        return self.env["hr.employee"].create({"name": name, "is_property_technician": True})
