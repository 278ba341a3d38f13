from datetime import timedelta

from odoo import api, fields, models

from ..tools.pii import mask_id_card
from .property_occupancy import OCCUPANCY_ROLES

# the occupancy that places a resident in the residents' list: the strongest role first
ROLE_RANK = {role: rank for rank, (role, _label) in enumerate(OCCUPANCY_ROLES)}
# how many days back the daily cron looks for occupancies that started or ended (missed runs)
PLACE_CATCH_UP_DAYS = 7


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
    # Where a resident lives, from their current occupancies (the residents' list groups and
    # filters by these): the occupancy with the strongest role, then the primary contact's.
    # Stored for grouping; the daily cron recomputes them when an occupancy starts or ends.
    resident_unit_id = fields.Many2one(
        "property.unit", string="Unit", compute="_compute_resident_place", store=True, index=True
    )
    resident_building_id = fields.Many2one(
        "property.building", string="Building", compute="_compute_resident_place", store=True, index=True
    )
    resident_estate_id = fields.Many2one(
        "property.estate", string="Estate", compute="_compute_resident_place", store=True, index=True
    )
    resident_role = fields.Selection(
        OCCUPANCY_ROLES, string="Role", compute="_compute_resident_place", store=True, index=True
    )

    @api.depends("id_card_number")
    def _compute_id_card_masked(self):
        for partner in self:
            partner.id_card_masked = mask_id_card(partner.id_card_number) or False

    @api.depends("occupancy_ids")
    def _compute_is_property_resident(self):
        for partner in self:
            partner.is_property_resident = bool(partner.occupancy_ids)

    @api.depends(
        "occupancy_ids.unit_id",
        "occupancy_ids.building_id",
        "occupancy_ids.estate_id",
        "occupancy_ids.role",
        "occupancy_ids.date_start",
        "occupancy_ids.date_end",
        "occupancy_ids.is_primary_contact",
    )
    def _compute_resident_place(self):
        today = fields.Date.context_today(self)
        for partner in self:
            current = partner.occupancy_ids.filtered(
                lambda o: o.date_start and o.date_start <= today and (not o.date_end or o.date_end >= today)
            )
            main = current.sorted(
                lambda o: (ROLE_RANK.get(o.role, 99), not o.is_primary_contact, o.unit_id.code or "", o.id)
            )[:1]
            partner.resident_unit_id = main.unit_id
            partner.resident_building_id = main.building_id
            partner.resident_estate_id = main.estate_id
            partner.resident_role = main.role

    @api.model
    def _cron_update_resident_place(self):
        """Occupancies start and end with the calendar, not with a write: place again the
        residents whose occupancies started or ended in the last days."""
        today = fields.Date.context_today(self)
        since = today - timedelta(days=PLACE_CATCH_UP_DAYS)
        occupancies = (
            self.env["property.occupancy"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    "&",
                    ("date_start", ">", since),
                    ("date_start", "<=", today),
                    "&",
                    ("date_end", ">=", since - timedelta(days=1)),
                    ("date_end", "<", today),
                ]
            )
        )
        partners = occupancies.partner_id
        if partners:
            for fname in ("resident_unit_id", "resident_building_id", "resident_estate_id", "resident_role"):
                self.env.add_to_compute(self._fields[fname], partners)
            partners.flush_recordset()
        return True

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
