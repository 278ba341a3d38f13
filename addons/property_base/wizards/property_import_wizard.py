from odoo import fields, models


class PropertyImportWizard(models.TransientModel):
    _name = "property.import.wizard"
    _description = "Property Data Import Wizard"

    file = fields.Binary(string="Excel File")
    file_name = fields.Char()
