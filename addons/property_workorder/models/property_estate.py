from odoo import fields, models


class PropertyEstate(models.Model):
    _inherit = "property.estate"

    warehouse_id = fields.Many2one(
        "stock.warehouse",
        check_company=True,
        help="Warehouse the estate's repair materials are taken from.",
    )
    service_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Service Hours",
        check_company=True,
        help="Working time in which SLA deadlines are counted. Empty: around the clock.",
    )
    geofence_radius = fields.Float(
        string="Geofence Radius (m)",
        default=500.0,
        help="Attendance check-ins farther than this from the estate's coordinates are flagged.",
    )
    is_auto_dispatch = fields.Boolean(
        string="Automatic Dispatch",
        default=True,
        help="Requests from residents, phone calls and devices are dispatched on creation when the "
        "classifier is confident and a service team covers the category (if the company allows it).",
    )
    service_team_ids = fields.One2many("property.service.team", "estate_id", string="Service Teams")
    request_count = fields.Integer(compute="_compute_request_count")

    def _compute_request_count(self):
        counts = dict(
            self.env["property.request"]._read_group(
                [("estate_id", "in", self.ids)], ["estate_id"], ["__count"]
            )
        )
        for estate in self:
            estate.request_count = counts.get(estate, 0)

    def _has_coordinates(self):
        self.ensure_one()
        return bool(self.latitude or self.longitude)

    def action_view_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("property_workorder.property_request_action")
        action["domain"] = [("estate_id", "=", self.id)]
        action["context"] = {"default_estate_id": self.id}
        return action
