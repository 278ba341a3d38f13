from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


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
