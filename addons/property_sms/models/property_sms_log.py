from odoo import api, fields, models


class PropertySmsLog(models.Model):
    """One message to one number through a gateway: what was sent and what the provider said."""

    _name = "property.sms.log"
    _description = "SMS Gateway Log"
    _order = "id desc"
    _property_pii_fields = ("number",)
    _property_pii_partner_field = "partner_id"

    gateway_id = fields.Many2one("property.sms.gateway", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="gateway_id.company_id", store=True, index=True)
    channel = fields.Selection([("sms", "SMS"), ("voice", "Voice Call")], required=True, default="sms")
    number = fields.Char(required=True)
    partner_id = fields.Many2one(
        "res.partner", string="Recipient", index="btree_not_null", ondelete="set null", readonly=True
    )
    estate_id = fields.Many2one(
        "property.estate",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        help="The recipient's estate when the message was sent: staff see the log of their estates.",
    )
    template_code = fields.Char(string="Message Type")
    params = fields.Char(string="Parameters", help="Template parameters (JSON list).")
    body = fields.Text()
    state = fields.Selection([("sent", "Sent"), ("error", "Error")], required=True, index=True)
    result_code = fields.Char(help="Provider's result code, e.g. Ok.")
    provider_ref = fields.Char(string="Provider Reference")

    @api.model
    def _get_partner_estates(self, partners):
        """{partner id: estate id} of each resident's home: a current one first, else the last one."""
        partner_ids = list({p.id for p in partners})
        if not partner_ids:
            return {}
        occupancies = (
            self.env["property.occupancy"]
            .sudo()
            .search([("partner_id", "in", partner_ids)], order="date_start desc, id desc")
        )
        estates = {}
        for occupancy in occupancies.sorted(lambda o: o.state != "current"):
            estates.setdefault(occupancy.partner_id.id, occupancy.estate_id.id)
        return estates
