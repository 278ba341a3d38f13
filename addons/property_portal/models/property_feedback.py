from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

# the demo's history (property_cockpit's ``_generate_demo_history`` calls it): feedback a month
DEMO_FEEDBACK_PER_MONTH = 6
DEMO_FEEDBACK = {
    "suggestion": [
        ("建议增加电动车充电桩", "地下车库电动车越来越多，希望在B区增加几个充电桩。"),
        ("小区绿化建议", "中心花园的草坪有些秃了，建议春季补种。"),
        ("快递柜不够用", "下班回来快递柜经常满了，能否再加一组？"),
        ("儿童游乐区加装遮阳棚", "夏天滑梯太烫，孩子没法玩，建议加装遮阳棚。"),
    ],
    "complaint": [
        ("晚上广场舞声音太大", "每天晚上九点后音乐声音还很大，影响休息，请协调。"),
        ("楼道灯坏了一周", "3单元5楼楼道灯一直不亮，晚上上下楼不安全。"),
        ("垃圾清运不及时", "周末垃圾桶满了没人清理，气味很大。"),
    ],
    "praise": [
        ("感谢维修师傅", "水管漏水，师傅半小时就到了，处理得很专业，点赞！"),
        ("保安很负责", "快递放在门口被保安帮忙收好了，非常感谢。"),
    ],
}
DEMO_FEEDBACK_KINDS = ["suggestion"] * 5 + ["complaint"] * 3 + ["praise"] * 2
DEMO_REPLY = "感谢您的反馈，我们已安排专人跟进处理，如有问题请随时联系服务中心。"


class PropertyFeedback(models.Model):
    """A resident's suggestion or complaint, answered by the property company."""

    _name = "property.feedback"
    _description = "Resident Feedback"
    _inherit = ["mail.thread", "mail.activity.mixin", "property.security.watch.mixin"]
    # the texts feed property_security's opinion watch (keywords) through its mixin
    _security_watch_fields = ["name", "body"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Subject", required=True)
    kind = fields.Selection(
        [("suggestion", "Suggestion"), ("complaint", "Complaint"), ("praise", "Praise")],
        required=True,
        default="suggestion",
    )
    body = fields.Text(string="Message", required=True)
    partner_id = fields.Many2one(
        "res.partner", string="Resident", required=True, index=True, ondelete="restrict"
    )
    unit_id = fields.Many2one("property.unit", index=True, ondelete="set null", check_company=True)
    estate_id = fields.Many2one("property.estate", index=True, ondelete="restrict", check_company=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        [("new", "New"), ("replied", "Replied"), ("closed", "Closed")],
        default="new",
        required=True,
        tracking=True,
        index=True,
    )
    reply = fields.Text()
    reply_date = fields.Datetime(readonly=True)
    reply_user_id = fields.Many2one("res.users", string="Replied By", readonly=True)

    @api.model
    def _portal_submit(self, partner, unit, kind, subject, body):
        """Record a resident's feedback (website or API) on their unit, with the resident
        following it so that the reply reaches them."""
        subject, body = (subject or "").strip(), (body or "").strip()
        if not subject or not body:
            raise ValidationError(self.env._("Write a subject and a message."))
        if kind not in dict(self._fields["kind"].selection):
            kind = "suggestion"
        record = self.sudo().create(
            {
                "name": subject[:200],
                "body": body[:5000],
                "kind": kind,
                "partner_id": partner.id,
                "unit_id": unit.id,
                "estate_id": unit.estate_id.id,
                "company_id": (unit.company_id or self.env.company).id,
            }
        )
        record.message_subscribe(partner_ids=partner.ids)
        return record

    def action_send_reply(self):
        for feedback in self:
            if not feedback.reply:
                raise UserError(self.env._("Write the reply first."))
            feedback.write(
                {"state": "replied", "reply_date": fields.Datetime.now(), "reply_user_id": self.env.uid}
            )
            feedback.message_post(
                body=feedback.reply,
                partner_ids=feedback.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def action_close(self):
        self.write({"state": "closed"})
        return True

    # ------------------------------------------------------------------
    # Demo history
    # ------------------------------------------------------------------
    @api.model
    def _property_demo_history(self, months, today, rng):
        """Feedback of current residents over ``months`` (first days of month, the last one the
        current month), most of it answered. Called once by the demo's history generator."""
        occupancies = self.env["property.occupancy"].search([("state", "=", "current")])
        if not occupancies:
            return self.browse()
        replier = self.env.ref("property_base.user_manager_demo", raise_if_not_found=False) or self.env.user
        vals_list, dates = [], []
        now = fields.Datetime.now()
        for month in months:
            days = ((month + relativedelta(months=1)) - month).days
            if month == months[-1]:
                days = max(today.day - 1, 0)
            for _i in range(DEMO_FEEDBACK_PER_MONTH if days else 0):
                occupancy = rng.choice(occupancies)
                kind = rng.choice(DEMO_FEEDBACK_KINDS)
                subject, body = rng.choice(DEMO_FEEDBACK[kind])
                created = datetime.combine(
                    month + timedelta(days=rng.randrange(days)), time(rng.randrange(1, 13))
                )
                answered = month != months[-1] or rng.random() < 0.5
                vals_list.append(
                    {
                        "name": subject,
                        "body": body,
                        "kind": kind,
                        "partner_id": occupancy.partner_id.id,
                        "unit_id": occupancy.unit_id.id,
                        "estate_id": occupancy.estate_id.id,
                        "company_id": occupancy.company_id.id,
                        "state": ("closed" if rng.random() < 0.6 else "replied") if answered else "new",
                        "reply": DEMO_REPLY if answered else False,
                        "reply_date": min(created + timedelta(hours=rng.uniform(2, 48)), now)
                        if answered
                        else False,
                        "reply_user_id": replier.id if answered else False,
                    }
                )
                dates.append(created)
        records = self.create(vals_list)
        # when it was written: create_date is the ORM's own column, which only SQL can date back
        # (property_portal's own table; the records were just created by this method)
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """UPDATE property_feedback f SET create_date = v.created, write_date = v.created
                     FROM unnest(%s::int[], %s::timestamp[]) AS v(id, created)
                    WHERE f.id = v.id""",
                records.ids,
                dates,
            )
        )
        records.invalidate_recordset(["create_date", "write_date"])
        return records
