import calendar

from odoo import api, fields, models

CAMERA_STREAM_TYPES = [("rtsp", "RTSP"), ("hls", "HLS"), ("vendor", "Vendor Link")]
CAMERA_COVERAGES = [
    ("estate", "Whole Estate"),
    ("building", "Buildings"),
    ("area", "Area"),
]


class MaintenanceEquipment(models.Model):
    """Cameras are equipment: where they look and how to watch them.

    Kept minimal (and prefixed) because property_asset extends the same model."""

    _inherit = "maintenance.equipment"

    is_security_camera = fields.Boolean(string="Security Camera", index=True)
    camera_stream_type = fields.Selection(CAMERA_STREAM_TYPES, default="rtsp")
    camera_stream_url = fields.Char(
        help="Live stream: rtsp://…, https://…/index.m3u8 or the vendor's viewer link."
    )
    camera_playback_template = fields.Char(
        string="Playback URL Template",
        help="Link to recorded footage. Placeholders: {stream} (the stream URL), {start} and {end} "
        "(UTC, 20240101T120000Z), {start_ts} and {end_ts} (Unix seconds), {start_iso} and {end_iso}. "
        "Empty: the stream URL with starttime/endtime parameters (Hikvision/Dahua style).",
    )
    camera_estate_id = fields.Many2one("property.estate", index=True, ondelete="restrict")
    camera_coverage = fields.Selection(CAMERA_COVERAGES, default="building")
    camera_building_ids = fields.Many2many(
        "property.building",
        "maintenance_equipment_camera_building_rel",
        "equipment_id",
        "building_id",
        string="Covered Buildings",
        domain="[('estate_id', '=?', camera_estate_id)]",
    )
    camera_area = fields.Char(string="Covered Area", help="e.g. 北门, 地下车库 B1, 3号楼大堂.")

    @api.onchange("camera_building_ids")
    def _onchange_camera_building_ids(self):
        if self.camera_building_ids and not self.camera_estate_id:
            self.camera_estate_id = self.camera_building_ids[:1].estate_id

    def _camera_footage_url(self, date_from, date_to):
        """A link to this camera's recording between two UTC datetimes."""
        self.ensure_one()
        stream = self.camera_stream_url or ""
        values = {
            "{stream}": stream,
            "{start}": date_from.strftime("%Y%m%dT%H%M%SZ"),
            "{end}": date_to.strftime("%Y%m%dT%H%M%SZ"),
            "{start_ts}": str(calendar.timegm(date_from.utctimetuple())),
            "{end_ts}": str(calendar.timegm(date_to.utctimetuple())),
            "{start_iso}": date_from.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "{end_iso}": date_to.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        template = self.camera_playback_template
        if not template:
            if not stream:
                return False
            sep = "&" if "?" in stream else "?"
            if self.camera_stream_type == "hls":
                template = stream + sep + "start={start_ts}&end={end_ts}"
            else:
                template = stream + sep + "starttime={start}&endtime={end}"
        for key, value in values.items():
            template = template.replace(key, value)
        return template
