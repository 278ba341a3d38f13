import base64
import io
from datetime import date, datetime

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
        import openpyxl

        try:
            book = openpyxl.load_workbook(
                io.BytesIO(base64.b64decode(self.file)), read_only=True, data_only=True
            )
        except Exception as error:  # openpyxl raises many kinds of errors on a bad file
            raise UserError(self.env._("This file cannot be read as Excel: %s", error)) from error
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [str(cell or "").strip().lower() for cell in next(rows, ())]
        mapping = {}
        for key, names in COLUMNS.items():
            for index, title in enumerate(header):
                if title in names:
                    mapping[key] = index
        missing = set(COLUMNS) - set(mapping)
        if missing:
            raise UserError(self.env._("Missing columns: %s", ", ".join(sorted(missing))))
        vals_list = []
        for row in rows:
            if not row or row[mapping["meter"]] in (None, ""):
                continue
            day = row[mapping["date"]]
            if isinstance(day, datetime):
                day = day.date()
            elif not isinstance(day, date):
                day = fields.Date.to_date(str(day).strip())
            vals_list.append(
                {
                    "meter_name": str(row[mapping["meter"]]).strip(),
                    "date": day,
                    "value": float(row[mapping["value"]]),
                    "source": "import",
                }
            )
        readings = self.env["property.meter.reading"]._import_readings(vals_list)
        self.reading_count = len(readings)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "property_billing.property_meter_reading_action"
        )
        action["domain"] = [("id", "in", readings.ids)]
        return action
