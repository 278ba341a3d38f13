from odoo import api, fields, models
from odoo.exceptions import ValidationError


class PropertyLocationMixin(models.AbstractModel):
    """Where something happens: an estate, optionally a building, optionally a unit.

    Feature addons (bills, requests, equipment, alarms) inherit it to get consistent location
    fields that record rules on ``estate_id`` can use."""

    _name = "property.location.mixin"
    _description = "Property Location Mixin"

    estate_id = fields.Many2one(
        "property.estate",
        index=True,
        ondelete="restrict",
        compute="_compute_estate_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    building_id = fields.Many2one(
        "property.building",
        index=True,
        ondelete="restrict",
        domain="[('estate_id', '=?', estate_id)]",
        compute="_compute_building_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    unit_id = fields.Many2one(
        "property.unit",
        index=True,
        ondelete="restrict",
        domain="[('building_id', '=?', building_id), ('estate_id', '=?', estate_id)]",
    )

    @api.depends("unit_id", "building_id")
    def _compute_estate_id(self):
        for record in self:
            record.estate_id = record.unit_id.estate_id or record.building_id.estate_id or record.estate_id

    @api.depends("unit_id")
    def _compute_building_id(self):
        for record in self:
            record.building_id = record.unit_id.building_id or record.building_id

    @api.constrains("estate_id", "building_id", "unit_id")
    def _check_location_consistency(self):
        for record in self:
            if record.unit_id and record.building_id and record.unit_id.building_id != record.building_id:
                raise ValidationError(
                    self.env._("Unit %s is not in the chosen building.", record.unit_id.code)
                )
            if record.building_id and record.estate_id and record.building_id.estate_id != record.estate_id:
                raise ValidationError(
                    self.env._("Building %s is not in the chosen estate.", record.building_id.display_name)
                )
