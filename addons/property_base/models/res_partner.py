from odoo import api, fields, models

from ..tools.pii import mask_id_card


class ResPartner(models.Model):
    _inherit = "res.partner"

    id_card_number = fields.Char(
        string="ID Card Number",
        groups="property_base.group_property_manager",
        copy=False,
        help="Resident Identity Card number (身份证号). Sensitive personal data: managers only.",
    )
    id_card_masked = fields.Char(string="ID Card", compute="_compute_id_card_masked", compute_sudo=True)
    occupancy_ids = fields.One2many("property.occupancy", "partner_id", string="Occupancies")
    is_property_resident = fields.Boolean(
        string="Resident",
        compute="_compute_is_property_resident",
        store=True,
        index=True,
        help="Holds or held an occupancy of a unit: personal data is protected.",
    )
    property_unit_count = fields.Integer(compute="_compute_property_unit_count", string="Units")
    consent_ids = fields.One2many("property.consent", "partner_id", string="Consents")

    @api.depends("id_card_number")
    def _compute_id_card_masked(self):
        for partner in self:
            partner.id_card_masked = mask_id_card(partner.id_card_number) or False

    @api.depends("occupancy_ids")
    def _compute_is_property_resident(self):
        for partner in self:
            partner.is_property_resident = bool(partner.occupancy_ids)

    def _compute_property_unit_count(self):
        counts = dict(
            self.env["property.occupancy"]._read_group(
                [("partner_id", "in", self.ids), ("state", "=", "current")],
                ["partner_id"],
                ["unit_id:count_distinct"],
            )
        )
        for partner in self:
            partner.property_unit_count = counts.get(partner, 0)

    # ------------------------------------------------------------------
    # PIPL: residents' numbers are masked for everyone but property managers and the
    # residents themselves (see models/base.py). Suppliers, companies and staff are not
    # residents: their numbers stay readable.
    # ------------------------------------------------------------------
    _property_pii_fields = ("phone", "mobile", "phone_sanitized", "phone_mobile_search", "id_card_number")

    def _property_pii_records_to_mask(self):
        own = self.env.user.partner_id
        return self.browse(p.id for p in self.sudo() if p.is_property_resident and p != own)

    def action_view_property_occupancies(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("property_base.property_occupancy_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
