import base64
import io

from odoo import fields, models
from odoo.exceptions import UserError

COLUMNS = {
    "meter": ("meter", "表号", "serial"),
    "date": ("date", "日期"),
    "value": ("value", "读数", "reading"),
}


class PropertyMeterImportWizard(models.TransientModel):
    """Meter readings from an Excel sheet: columns meter (serial number), date, value."""

    _name = "property.meter.import.wizard"
    _description = "Import Meter Readings"

    file = fields.Binary(required=True)
    filename = fields.Char()
    reading_count = fields.Integer(readonly=True)

    def action_import(self):
        self.ensure_one()
        import pandas as pd

        try:
            frame = pd.read_excel(io.BytesIO(base64.b64decode(self.file)))
        except ValueError as error:
            raise UserError(self.env._("This file cannot be read as Excel: %s", error)) from error
        mapping = {}
        for column in frame.columns:
            for key, names in COLUMNS.items():
                if str(column).strip().lower() in names:
                    mapping[key] = column
        missing = set(COLUMNS) - set(mapping)
        if missing:
            raise UserError(self.env._("Missing columns: %s", ", ".join(sorted(missing))))
        vals_list = [
            {
                "meter_name": str(row[mapping["meter"]]).strip(),
                "date": pd.Timestamp(row[mapping["date"]]).date(),
                "value": float(row[mapping["value"]]),
                "source": "import",
            }
            for _index, row in frame.iterrows()
        ]
        readings = self.env["property.meter.reading"]._import_readings(vals_list)
        self.reading_count = len(readings)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "property_billing.property_meter_reading_action"
        )
        action["domain"] = [("id", "in", readings.ids)]
        return action
