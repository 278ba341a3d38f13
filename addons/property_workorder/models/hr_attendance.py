from odoo import api, fields, models

from ..tools.geo import distance_m


class HrAttendance(models.Model):
    _inherit = "hr.attendance"

    property_estate_id = fields.Many2one(
        "property.estate",
        string="Estate",
        compute="_compute_property_geofence",
        store=True,
        readonly=False,
        index=True,
        help="The estate the employee checks in for: their team's estate, else the nearest served estate.",
    )
    property_distance_m = fields.Float(
        string="Distance (m)", compute="_compute_property_geofence", store=True, digits=(16, 0)
    )
    is_outside_geofence = fields.Boolean(
        string="Outside Geofence",
        compute="_compute_property_geofence",
        store=True,
        index=True,
        help="The check-in position lies farther from the estate than its geofence radius.",
    )

    @api.depends("employee_id", "in_latitude", "in_longitude", "property_estate_id")
    def _compute_property_geofence(self):
        for attendance in self:
            employee = attendance.employee_id
            estate = attendance.property_estate_id or employee.property_team_id.estate_id
            has_position = bool(attendance.in_latitude or attendance.in_longitude)
            if not estate and has_position and employee.property_estate_ids:
                estate = min(
                    employee.property_estate_ids.filtered(lambda e: e._has_coordinates())
                    or employee.property_estate_ids,
                    key=lambda e: distance_m(
                        attendance.in_latitude, attendance.in_longitude, e.latitude, e.longitude
                    ),
                )
            attendance.property_estate_id = estate
            if estate and has_position and estate._has_coordinates():
                distance = distance_m(
                    attendance.in_latitude, attendance.in_longitude, estate.latitude, estate.longitude
                )
                attendance.property_distance_m = distance
                attendance.is_outside_geofence = distance > (estate.geofence_radius or 0.0)
            else:
                attendance.property_distance_m = 0.0
                attendance.is_outside_geofence = False

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        for attendance in attendances.filtered("is_outside_geofence"):
            attendance.employee_id.sudo().message_post(
                body=self.env._(
                    "Check-in %(distance)s m from %(estate)s, outside its geofence of %(radius)s m.",
                    distance=round(attendance.property_distance_m),
                    estate=attendance.property_estate_id.name,
                    radius=round(attendance.property_estate_id.geofence_radius),
                ),
            )
        return attendances

    @api.model
    def property_check_in(self, employee_id, latitude, longitude, estate_id=False):
        """RPC for the mobile app: check the employee in at a position. Returns the geofence verdict."""
        employee = self.env["hr.employee"].browse(employee_id)
        vals = {
            "employee_id": employee.id,
            "check_in": fields.Datetime.now(),
            "in_latitude": latitude,
            "in_longitude": longitude,
            "in_mode": "manual",
        }
        if estate_id:
            vals["property_estate_id"] = estate_id
        attendance = self.create(vals)
        return {
            "attendance_id": attendance.id,
            "estate_id": attendance.property_estate_id.id,
            "distance_m": round(attendance.property_distance_m),
            "outside_geofence": attendance.is_outside_geofence,
        }

    def property_check_out(self, latitude, longitude):
        self.write({"check_out": fields.Datetime.now(), "out_latitude": latitude, "out_longitude": longitude})
        return True
