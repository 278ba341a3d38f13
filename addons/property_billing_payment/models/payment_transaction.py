import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

_logger = logging.getLogger(__name__)

DUPLICATE_STATES = [
    ("to_review", "To Review"),
    ("refunded", "Refunded"),
    ("credit", "Kept as Credit"),
]


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    property_bill_ids = fields.Many2many(
        "property.bill",
        "property_bill_payment_transaction_rel",
        "transaction_id",
        "bill_id",
        string="Property Bills",
        readonly=True,
        copy=False,
    )
    property_bill_count = fields.Integer(string="Bills Count", compute="_compute_property_bill_count")
    property_duplicate_state = fields.Selection(
        DUPLICATE_STATES,
        string="Duplicate Payment",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Set when a confirmed payment found its bills already paid (e.g. two payments of the "
        "same bill): what was not applied to the bills waits for the accountant, who refunds it "
        "or keeps it as a credit of the household.",
    )
    property_duplicate_amount = fields.Monetary(
        string="Amount Not Applied",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        help="The part of the payment that no bill took.",
    )

    @api.depends("property_bill_ids")
    def _compute_property_bill_count(self):
        for tx in self:
            tx.property_bill_count = len(tx.property_bill_ids)

    @api.model_create_multi
    def create(self, vals_list):
        """Override of `payment`: a transaction paying bills is checked before it exists, whatever
        route creates it (portal, API, back office): an allowed provider, and no other payment of
        the bills going on."""
        for vals in vals_list:
            if not vals.get("property_bill_ids") or vals.get("operation") in ("refund", "validation"):
                continue
            bill_ids = self._fields["property_bill_ids"].convert_to_cache(vals["property_bill_ids"], self)
            bills = self.env["property.bill"].sudo().browse(bill_ids)
            bills._check_online_payment_bills()
            bills._check_payment_provider(self.env["payment.provider"].browse(vals.get("provider_id")))
            bills._check_no_payment_in_progress()
        return super().create(vals_list)

    def _is_fully_refunded(self):
        self.ensure_one()
        refunded = -sum(
            self.child_transaction_ids.filtered(
                lambda child: child.operation == "refund" and child.state == "done"
            ).mapped("amount")
        )
        return self.currency_id.compare_amounts(refunded, self.amount) >= 0

    def _may_settle_property_bills(self):
        """A payment made with test (sandbox) keys settles bills only where the company pays its
        bills in test mode: a sandbox-signed notice never settles a real bill."""
        self.ensure_one()
        company = self.property_bill_ids.company_id[:1]
        return self.provider_id.state != "test" or company.property_bill_payment_test_mode

    # === PAYMENT AND RECONCILIATION === #

    def _create_payment(self, **extra_create_values):
        """Override of `account_payment`: reconcile the payment with the paid bills' receivable
        items, as account_payment does with invoices; what the bills don't take (they were paid in
        the meantime) is flagged for the accountant, never credited twice."""
        if self.property_bill_ids and not self._may_settle_property_bills():
            self._gateway_flag_review(
                self.env._(
                    "A payment confirmed with test (sandbox) keys cannot settle a bill of %s, which does "
                    "not pay its bills in test mode: no payment was recorded.",
                    self.property_bill_ids.company_id[:1].name,
                )
            )
            return self.env["account.payment"]
        payment = super()._create_payment(**extra_create_values)
        if self.property_bill_ids and payment.move_id:
            self._reconcile_property_bills(payment)
        elif (
            self.operation == "refund"
            and self.source_transaction_id.property_duplicate_state
            and payment.move_id
        ):
            self._reconcile_property_duplicate_refund(payment)
        return payment

    def _reconcile_property_bills(self, payment):
        bills = self.property_bill_ids
        bills._lock_for_payment()  # two payments of one bill are applied one after the other
        account = payment.destination_account_id
        payment_lines = payment.move_id.line_ids.filtered(
            lambda line: line.account_id == account and not line.reconciled
        )
        bill_lines = bills.receivable_line_ids.filtered(
            lambda line: line.account_id == account and not line.reconciled and line.parent_state == "posted"
        )
        if bill_lines:
            (payment_lines | bill_lines).reconcile()
        not_applied = -sum(payment_lines.mapped("amount_residual"))
        if payment.company_currency_id.compare_amounts(not_applied, 0.0) > 0:
            self._flag_property_duplicate(payment, not_applied)

    def _flag_property_duplicate(self, payment, amount):
        self.write({"property_duplicate_state": "to_review", "property_duplicate_amount": amount})
        message = self.env._(
            "Payment %(reference)s found bill %(bills)s already paid: %(amount)s was not applied and "
            "waits for the accountant (refund, or keep as the household's credit).",
            reference=self.reference,
            bills=", ".join(self.property_bill_ids.mapped("name")),
            amount=format_amount(self.env, amount, payment.company_currency_id),
        )
        _logger.info(message)
        payment.message_post(body=message)
        for bill in self.property_bill_ids:
            bill.message_post(body=message)

    def _reconcile_property_duplicate_refund(self, payment):
        """A refund of a duplicate payment: match the money that left with the money that came."""
        source = self.source_transaction_id
        account = payment.destination_account_id
        lines = (payment.move_id.line_ids | source.payment_id.move_id.line_ids).filtered(
            lambda line: line.account_id == account and not line.reconciled
        )
        lines.reconcile()
        if source._is_fully_refunded() or not source.payment_id.move_id.line_ids.filtered(
            lambda line: line.account_id == account and not line.reconciled
        ):
            source.property_duplicate_state = "refunded"

    # === ACTIONS ON DUPLICATE PAYMENTS === #

    def _check_property_duplicate_to_review(self):
        if any(tx.property_duplicate_state != "to_review" for tx in self):
            raise UserError(self.env._("Only duplicate payments to review can be settled."))

    def action_property_refund_duplicate(self):
        """Give back what the bills did not take, through the gateway."""
        self.check_access("write")
        self._check_property_duplicate_to_review()
        for tx in self:
            if tx.provider_id.support_refund == "none":
                raise UserError(
                    self.env._("%s cannot refund online: refund by bank transfer.", tx.provider_id.name)
                )
            refund_amount = tx.property_duplicate_amount
            if tx.provider_id.support_refund == "full_only" and tx.currency_id.compare_amounts(
                refund_amount, tx.amount
            ):
                raise UserError(self.env._("%s can only refund whole payments.", tx.provider_id.name))
            tx.action_refund(amount_to_refund=refund_amount)
        return True

    def action_property_keep_as_credit(self):
        """Keep what the bills did not take as the household's credit: it pays the household's
        open bills now (oldest first) and the next bills as they are posted."""
        self.check_access("write")
        self._check_property_duplicate_to_review()
        self.property_duplicate_state = "credit"
        for tx in self:
            partner = tx.payment_id.partner_id or tx.partner_id.commercial_partner_id
            self.env["property.bill"].search(
                [
                    ("partner_id", "=", partner.id),
                    ("company_id", "=", tx.company_id.id),
                    ("state", "in", ("open", "partial")),
                ]
            )._apply_outstanding_credits()
        return True

    def action_view_property_bills(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("property_billing.property_bill_action")
        if len(self.property_bill_ids) == 1:
            action.update(
                {"res_id": self.property_bill_ids.id, "views": [(False, "form")], "view_mode": "form"}
            )
        else:
            action["domain"] = [("id", "in", self.property_bill_ids.ids)]
        return action
