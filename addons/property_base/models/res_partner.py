from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.pii import is_masked, mask_id_card, mask_phone

MASKED_PHONE_FIELDS = ("phone", "mobile")


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
    # PIPL masking: residents' phone numbers are shown masked to everyone but property
    # managers and the residents themselves. Masking happens where data leaves the server
    # (read, web_read, export); business code keeps the real values.
    # ------------------------------------------------------------------
    @api.model
    def _property_must_mask(self):
        return not (self.env.su or self.env.user.has_group("property_base.group_property_manager"))

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        masked = [f for f in MASKED_PHONE_FIELDS if f in fnames]
        if masked and self._property_must_mask():
            to_mask = set(self._property_partners_to_mask().ids)
            for values in result:
                if values["id"] in to_mask:
                    for fname in masked:
                        values[fname] = mask_phone(values[fname]) or values[fname]
        return result

    def _property_partners_to_mask(self):
        own = self.env.user.partner_id
        return self.sudo().filtered(lambda p: p.is_property_resident and p != own)

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        if self._property_must_mask() and self._property_partners_to_mask():
            columns = [
                i for i, path in enumerate(fields_to_export) if path.split("/")[-1] in MASKED_PHONE_FIELDS
            ]
            for row in result.get("datas", []):
                for i in columns:
                    if isinstance(row[i], str):
                        row[i] = mask_phone(row[i])
        return result

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._property_check_not_masked(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._property_check_not_masked(vals)
        return super().write(vals)

    def _property_check_not_masked(self, vals):
        for fname in (*MASKED_PHONE_FIELDS, "id_card_number"):
            if is_masked(vals.get(fname)):
                raise UserError(
                    self.env._(
                        "%s holds a masked value (****): enter the full number, or leave the field unchanged.",
                        self._fields[fname].string,
                    )
                )

    def action_view_property_occupancies(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("property_base.property_occupancy_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
