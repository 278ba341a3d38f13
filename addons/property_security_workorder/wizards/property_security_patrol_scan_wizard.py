from odoo import fields, models


class PropertySecurityPatrolScanWizard(models.TransientModel):
    _inherit = "property.security.patrol.scan.wizard"

    needs_repair = fields.Boolean(help="The finding is something to fix: a work order is created too.")

    def action_scan(self):
        if any(wizard.needs_repair for wizard in self):
            wizards = self.with_context(property_patrol_needs_repair=True)
            return super(PropertySecurityPatrolScanWizard, wizards).action_scan()
        return super().action_scan()
