from datetime import date

from odoo import Command
from odoo.tests import freeze_time

from odoo.addons.property_billing.tests.common import BillingTestCommon


class DunningTestCommon(BillingTestCommon):
    """Billing's estates and households, a log SMS gateway with the dunning templates, and
    one overdue service bill per household, all due on 1 March 2026."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = cls.env["property.sms.gateway"].create(
            {
                "name": "日志网关",
                "provider": "log",
                "template_ids": [
                    Command.create({"code": code, "provider_template_id": tid, "content": content})
                    for code, tid, content in [
                        ("dunning_reminder", "2001", "{1}您好，物业费用{2}元已逾期{3}天"),
                        ("dunning_second", "2002", "第二次通知：{1}，{2}元，逾期{3}天"),
                        ("dunning_final", "2003", "最后通知：{1}，{2}元，逾期{3}天"),
                        ("dunning_final_voice", "3001", "语音：{1}，{2}元"),
                    ]
                ],
            }
        )
        cls.company.property_sms_gateway_id = cls.gateway
        cls.company.email = "wuye@example.com"
        cls.level_1 = cls.env.ref("property_dunning.property_dunning_level_reminder")
        cls.level_2 = cls.env.ref("property_dunning.property_dunning_level_second")
        cls.level_3 = cls.env.ref("property_dunning.property_dunning_level_final")
        cls.owner.email = "zhangwei@example.com"
        cls.owner_b.email = "lina@example.com"
        cls.bill_a = cls.service_bill(cls.owner, cls.unit_a, 300.0, date(2026, 3, 1))
        cls.bill_b = cls.service_bill(cls.owner_b, cls.unit_b, 200.0, date(2026, 3, 1))

    @classmethod
    def service_bill(cls, partner, unit, amount, day):
        with freeze_time(day):
            return cls.env["property.bill"]._charge_service(
                partner, unit, cls.fee_other, amount, "物业服务费"
            )

    def run_cron(self, day, **kwargs):
        with freeze_time(day):
            self.env["property.dunning.log"]._cron_send_reminders(**kwargs)

    def logs(self, partner=None, **domain):
        dom = [(key, "=", value) for key, value in domain.items()]
        if partner:
            dom.append(("partner_id", "=", partner.id))
        return self.env["property.dunning.log"].search(dom)
