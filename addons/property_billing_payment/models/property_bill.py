from odoo import fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

# A bill with a transaction in one of these states cannot start another one.
BLOCKING_TX_STATES = ("pending", "authorized", "done")


class PropertyBill(models.Model):
    _inherit = "property.bill"

    payment_transaction_ids = fields.Many2many(
        "payment.transaction",
        "property_bill_payment_transaction_rel",
        "bill_id",
        "transaction_id",
        string="Payment Transactions",
        readonly=True,
        copy=False,
        groups="account.group_account_invoice",
    )
    payment_transaction_count = fields.Integer(
        compute="_compute_payment_transaction_count", groups="account.group_account_invoice"
    )

    def _compute_payment_transaction_count(self):
        counts = dict(
            self.env["payment.transaction"]._read_group(
                [("property_bill_ids", "in", self.ids)], ["property_bill_ids"], ["__count"]
            )
        )
        for bill in self:
            bill.payment_transaction_count = counts.get(bill, 0)

    def action_view_payment_transactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("payment.action_payment_transaction")
        action["domain"] = [("property_bill_ids", "in", self.ids)]
        action["context"] = {"create": False}
        return action

    def _get_default_payment_link_values(self):
        """Hook of `payment.link.wizard`: a bill's link pays what it still owes, all of it."""
        self.ensure_one()
        amount = self._get_online_payment_amount()
        return {
            "amount": amount,
            "amount_max": amount,
            "currency_id": self.currency_id.id,
            "partner_id": self.partner_id.id,
        }

    # ------------------------------------------------------------------
    # Online payment: what may be paid, with which provider
    # ------------------------------------------------------------------
    def _get_online_payment_amount(self):
        """What paying these bills online costs: their residual, in their one currency."""
        return self.currency_id.round(sum(self.mapped("amount_residual")))

    def _check_online_payment_bills(self):
        """Bills paid together are open, share one company and one currency."""
        if not self or any(bill.state not in ("open", "partial") for bill in self):
            raise UserError(self.env._("Only open bills can be paid."))
        if len(self.company_id) != 1 or len(self.currency_id) != 1:
            raise UserError(self.env._("Bills of different companies or currencies are paid separately."))

    def _is_payment_provider_allowed(self, provider):
        """Whether residents may pay these bills (one company) with ``provider``: enabled,
        published, of the bills' company, and in test mode only where that company pays its
        bills in test mode."""
        company = self.company_id
        provider = provider.sudo()
        return bool(
            provider
            and len(company) == 1
            and provider.company_id == company
            and provider.is_published
            and (
                provider.state == "enabled"
                or (provider.state == "test" and company.property_bill_payment_test_mode)
            )
        )

    def _get_payment_providers(self, partner):
        """The providers residents may pay these bills with (sudoed), in their usual order."""
        self._check_online_payment_bills()
        providers = (
            self.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                self.company_id.id,
                partner.id,
                self._get_online_payment_amount(),
                currency_id=self.currency_id.id,
            )
        )
        return providers.filtered(self._is_payment_provider_allowed)

    def _check_payment_provider(self, provider):
        if not self._is_payment_provider_allowed(provider):
            raise ValidationError(
                self.env._(
                    "This payment method cannot be used for these bills: choose one of those offered "
                    "on the payment page."
                )
            )

    # ------------------------------------------------------------------
    # Online payment: one payment at a time
    # ------------------------------------------------------------------
    def _lock_for_payment(self):
        """Serialise the payments of these bills until the end of the database transaction.

        A no-op UPDATE rather than SELECT FOR UPDATE: under REPEATABLE READ, a concurrent
        transaction that updated the rows makes this one fail with a serialization error, which
        Odoo retries; after the retry it sees the other transaction's payment. A row lock alone
        would let it go on with its older snapshot and start a second payment."""
        if self.ids:
            self.env.cr.execute(
                SQL("UPDATE property_bill SET write_date = write_date WHERE id IN %s", tuple(self.ids))
            )

    def _get_blocking_transactions(self):
        """The transactions of these bills that forbid starting another one: pending, authorized
        or done payments, except flagged duplicates and fully refunded payments."""
        domain = [
            ("property_bill_ids", "in", self.ids),
            ("state", "in", BLOCKING_TX_STATES),
            ("operation", "not in", ("refund", "validation")),
            ("property_duplicate_state", "=", False),
        ]
        txs = self.env["payment.transaction"].sudo().search(domain)
        return txs.filtered(lambda tx: not tx._is_fully_refunded())

    def _check_no_payment_in_progress(self):
        self._lock_for_payment()
        blocking = self._get_blocking_transactions()
        if blocking:
            bills = self.filtered(lambda bill: bill in blocking.property_bill_ids)
            raise UserError(
                self.env._(
                    "Bill %(bills)s already has a payment in progress or completed (%(references)s): "
                    "it cannot be paid again. If you have just paid, please wait for the confirmation; "
                    "otherwise contact the property service centre.",
                    bills=", ".join(bills.mapped("name")),
                    references=", ".join(blocking.mapped("reference")),
                )
            )
