from odoo import fields, models

# the front desk's payment methods: (code, label, journal type, journal code)
CASHIER_METHODS = [
    ("cash", "Cash"),
    ("card", "Bank Card (POS)"),
    ("transfer", "Bank Transfer"),
]
METHOD_JOURNALS = {
    "cash": ("cash", "CSHD", "Front Desk Cash"),
    "card": ("bank", "POS", "POS Terminal"),
    "transfer": ("bank", "BNKD", "Front Desk Bank Transfers"),
}


class ResCompany(models.Model):
    _inherit = "res.company"

    property_cashier_cash_journal_id = fields.Many2one(
        "account.journal", string="Cashier Cash Journal", domain="[('type', '=', 'cash')]"
    )
    property_cashier_card_journal_id = fields.Many2one(
        "account.journal", string="Cashier POS Journal", domain="[('type', '=', 'bank')]"
    )
    property_cashier_transfer_journal_id = fields.Many2one(
        "account.journal", string="Cashier Bank Transfer Journal", domain="[('type', '=', 'bank')]"
    )

    def _property_cashier_journal(self, method):
        """The journal of one front-desk payment method: the one set on the company, else one
        created for it (one journal per method, so each method has its own outstanding
        receipts and its own bank reconciliation)."""
        self.ensure_one()
        fname = f"property_cashier_{method}_journal_id"
        company = self.sudo()  # journals are accounting configuration: the desk only uses them
        if company[fname]:
            return company[fname]
        journal_type, code, name = METHOD_JOURNALS[method]
        Journal = self.env["account.journal"].sudo()
        journal = Journal.search([("company_id", "=", self.id), ("code", "=", code)], limit=1)
        if not journal:
            journal = Journal.create(
                {"name": self.env._(name), "code": code, "type": journal_type, "company_id": self.id}
            )
        company[fname] = journal
        return journal
