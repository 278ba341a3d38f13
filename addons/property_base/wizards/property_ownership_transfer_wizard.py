from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class PropertyOwnershipTransferWizard(models.TransientModel):
    """Change of ownership (过户): the previous owners' occupancies end the day before the
    transfer, new ones start on it. Nothing is overwritten: the history stays on the unit."""

    _name = "property.ownership.transfer.wizard"
    _description = "Ownership Transfer Wizard"

    unit_id = fields.Many2one("property.unit", required=True)
    date_transfer = fields.Date(string="Transfer Date", required=True, default=fields.Date.context_today)
    new_owner_id = fields.Many2one("res.partner", required=True)
    co_owner_ids = fields.Many2many("res.partner", string="New Co-owners")
    end_household = fields.Boolean(
        string="End Family Members' Occupancies",
        default=True,
        help="Family members and others of the previous owners leave with them.",
    )
    keep_tenants = fields.Boolean(default=True, help="Leases survive a sale.")
    current_owner_ids = fields.Many2many(
        "res.partner", compute="_compute_current_owner_ids", string="Current Owners"
    )

    @api.depends("unit_id", "date_transfer")
    def _compute_current_owner_ids(self):
        for wizard in self:
            wizard.current_owner_ids = (
                wizard._current_occupancies().filtered(lambda o: o.role in ("owner", "co_owner")).partner_id
            )

    def _current_occupancies(self):
        self.ensure_one()
        if not self.unit_id or not self.date_transfer:
            return self.env["property.occupancy"]
        return self.env["property.occupancy"].search(
            [("unit_id", "=", self.unit_id.id)]
            + self.env["property.occupancy"]._get_current_domain(self.date_transfer)
        )

    def action_transfer(self):
        self.ensure_one()
        if self.new_owner_id in self.co_owner_ids:
            raise UserError(self.env._("The new owner cannot also be listed as a co-owner."))
        occupancies = self._current_occupancies()
        leaving_roles = {"owner", "co_owner"}
        if self.end_household:
            leaving_roles |= {"family", "other"}
        if not self.keep_tenants:
            leaving_roles.add("tenant")
        leaving = occupancies.filtered(lambda o: o.role in leaving_roles)
        if leaving.filtered(lambda o: o.date_start >= self.date_transfer):
            raise UserError(
                self.env._("Some current occupancies start on or after the transfer date; pick a later date.")
            )
        leaving.action_end(self.date_transfer - timedelta(days=1))
        # the primary contact moves to the new owner unless a staying tenant holds it
        keeps_contact = (occupancies - leaving).filtered("is_primary_contact")
        owners = self.new_owner_id | self.co_owner_ids
        share = round(100.0 / len(owners), 2)
        shares = [share] * len(owners)
        shares[0] = round(100.0 - share * (len(owners) - 1), 2)
        vals_list = [
            {
                "unit_id": self.unit_id.id,
                "partner_id": partner.id,
                "role": "owner" if partner == self.new_owner_id else "co_owner",
                "share": shares[i],
                "date_start": self.date_transfer,
                "is_primary_contact": partner == self.new_owner_id and not keeps_contact,
            }
            for i, partner in enumerate(owners)
        ]
        self.env["property.occupancy"].create(vals_list)
        self.unit_id.message_post(
            body=self.env._(
                "Ownership transferred on %(date)s from %(old)s to %(new)s.",
                date=self.date_transfer,
                old=", ".join(
                    leaving.filtered(lambda o: o.role in ("owner", "co_owner")).partner_id.mapped("name")
                )
                or "-",
                new=", ".join(owners.mapped("name")),
            )
        )
        return {"type": "ir.actions.act_window_close"}
