import re

from odoo import api, fields, models
from odoo.osv import expression

_NON_DIGITS = re.compile(r"\D")
_MOBILE = re.compile(r"^1\d{10}$")


class ResPartner(models.Model):
    _inherit = "res.partner"

    property_prepayment_amount = fields.Monetary(
        string="Prepayment Balance",
        compute="_compute_property_prepayment_amount",
        currency_field="property_prepayment_currency_id",
        groups="property_base.group_property_front_desk,property_base.group_property_accountant",
        help="What the household paid in advance: credits on its receivable that no bill used yet. "
        "The next bills use them first.",
    )
    property_prepayment_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_property_prepayment_amount",
        groups="property_base.group_property_front_desk,property_base.group_property_accountant",
    )

    @api.depends_context("company")
    def _compute_property_prepayment_amount(self):
        # the desk has no right on journal items: the household's own credits, summed in sudo
        company = self.env.company
        groups = dict(
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", self.ids),
                    ("company_id", "=", company.id),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                    ("amount_residual", "<", 0),
                ],
                ["partner_id"],
                ["amount_residual:sum"],
            )
        )
        for partner in self:
            partner.property_prepayment_amount = -groups.get(partner, 0.0)
            partner.property_prepayment_currency_id = company.currency_id

    # ------------------------------------------------------------------
    # The cashier's household search: name, unit, or a full phone number
    # ------------------------------------------------------------------
    @api.depends_context("property_cashier_search")
    def _compute_display_name(self):
        res = super()._compute_display_name()
        if self.env.context.get("property_cashier_search"):
            for partner in self:
                unit = partner.sudo().resident_unit_id
                if unit and partner.resident_unit_id:  # only a unit the user may read
                    partner.display_name = f"{partner.display_name} ({unit.code})"
        return res

    @api.model
    def _search_display_name(self, operator, value):
        domain = super()._search_display_name(operator, value)
        if not self.env.context.get("property_cashier_search") or operator != "ilike" or not value:
            return domain
        domain = expression.OR([domain, [("occupancy_ids.unit_id.code", "ilike", value)]])
        partner_ids = self._property_cashier_phone_match(value)
        if partner_ids:
            domain = expression.OR([domain, [("id", "in", partner_ids)]])
        return domain

    @api.model
    def _property_cashier_phone_match(self, value):
        """Residents whose phone or mobile is exactly ``value``, a complete number.

        PIPL (property_base/models/base.py) refuses any domain on a phone field below manager:
        a prefix or ``ilike`` search would recover numbers digit by digit. An exact match on a
        complete number reveals nothing the desk does not already hold — the resident states
        it at the counter — the same reasoning as ``reveals_only`` for onchange values. So the
        match runs in sudo on equality only, and only for a complete mobile number (11 digits,
        1xxxxxxxxxx); the caller's domain then keeps only the households the user may read,
        and their numbers stay masked in what is shown."""
        digits = _NON_DIGITS.sub("", value or "")
        if digits.startswith("86") and len(digits) == 13:
            digits = digits[2:]
        if not _MOBILE.match(digits):
            return []
        candidates = {digits, f"+86{digits}", f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}"}
        return (
            self.sudo()
            .search(
                [
                    ("is_property_resident", "=", True),
                    "|",
                    "|",
                    ("phone_sanitized", "in", list(candidates)),
                    ("mobile", "in", list(candidates)),
                    ("phone", "in", list(candidates)),
                ],
                limit=20,
            )
            .ids
        )
