from odoo import fields, models
from odoo.exceptions import UserError


class PropertySecurityPatrolScanWizard(models.TransientModel):
    """Record a checkpoint of a patrol run: its QR code, and what was found there."""

    _name = "property.security.patrol.scan.wizard"
    _description = "Patrol Checkpoint Scan"

    run_id = fields.Many2one("property.route.run", required=True, domain="[('route_type', '=', 'patrol')]")
    token = fields.Char(string="Checkpoint Code", required=True)
    finding = fields.Text(help="Anything wrong at the checkpoint: it raises an incident.")

    def action_scan(self):
        self.ensure_one()
        if self.run_id.state == "closed":
            raise UserError(self.env._("This run is closed."))
        self.run_id._scan(self.token.strip(), finding=self.finding)
        return {"type": "ir.actions.act_window_close"}
