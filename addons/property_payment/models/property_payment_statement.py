from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import float_compare

STATEMENT_TZ = "Asia/Shanghai"  # Both gateways cut their daily bills at midnight, Beijing time.


class PropertyPaymentStatement(models.Model):
    """A gateway's daily statement (WeChat Pay trade bill, Alipay account bill) and its
    reconciliation against Odoo's payment transactions and payments."""

    _name = "property.payment.statement"
    _description = "Payment Gateway Statement"
    _order = "statement_date desc, id desc"

    name = fields.Char(required=True)
    provider_id = fields.Many2one(
        comodel_name="payment.provider",
        required=True,
        domain=[("code", "in", ("wechatpay", "alipay"))],
        ondelete="restrict",
    )
    provider_code = fields.Selection(related="provider_id.code")
    company_id = fields.Many2one(related="provider_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        default=lambda self: self.env.ref("base.CNY"),
    )
    statement_date = fields.Date(required=True)
    file_name = fields.Char()
    fee_amount = fields.Monetary(string="Gateway Fees", currency_field="currency_id")
    line_ids = fields.One2many(
        string="Lines", comodel_name="property.payment.statement.line", inverse_name="statement_id"
    )
    line_count = fields.Integer(compute="_compute_counts")
    mismatch_count = fields.Integer(string="Mismatches", compute="_compute_counts")
    state = fields.Selection(
        string="Status",
        selection=[("draft", "Imported"), ("reconciled", "Reconciled")],
        default="draft",
        required=True,
        readonly=True,
    )

    @api.depends("line_ids.match_state")
    def _compute_counts(self):
        groups = self.env["property.payment.statement.line"]._read_group(
            [("statement_id", "in", self.ids)], ["statement_id", "is_mismatch"], ["__count"]
        )
        counts = {}
        for statement, is_mismatch, count in groups:
            total, mismatches = counts.get(statement.id, (0, 0))
            counts[statement.id] = (total + count, mismatches + (count if is_mismatch else 0))
        for statement in self:
            statement.line_count, statement.mismatch_count = counts.get(statement.id, (0, 0))

    # === ACTIONS === #

    def action_reconcile(self):
        """Match every statement line with Odoo, then list Odoo's confirmed transactions of the
        day that the statement lacks. Safe to run again: it starts from the statement's lines."""
        for statement in self:
            statement._reconcile()
        return True

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "property_payment.property_payment_statement_line_action"
        )
        action["domain"] = [("statement_id", "=", self.id)]
        action["context"] = {"search_default_filter_mismatch": 1}
        return action

    # === MATCHING === #

    def _get_day_bounds(self):
        """Return the statement day as naive UTC datetimes [start, end)."""
        self.ensure_one()
        tz = pytz.timezone(STATEMENT_TZ)
        start = tz.localize(datetime.combine(self.statement_date, time.min)).astimezone(pytz.utc)
        start = start.replace(tzinfo=None)
        return start, start + timedelta(days=1)

    def _get_candidate_transactions(self):
        """Transactions of the statement's provider that the statement can refer to.

        Read with sudo: property accountants need not hold Odoo's invoicing rights to reconcile,
        and the search is confined to the statement's provider (hence company).
        """
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: line.match_state != "missing_in_statement")
        references = set(filter(None, lines.mapped("reference") + lines.mapped("refund_reference")))
        Transaction = self.env["payment.transaction"].sudo()
        txs = Transaction.search(
            [("provider_id", "=", self.provider_id.id), ("reference", "in", list(references))]
        )
        txs |= Transaction.search(
            [
                ("provider_id", "=", self.provider_id.id),
                ("operation", "=", "refund"),
                ("source_transaction_id", "in", txs.ids),
            ]
        )
        return txs

    def _reconcile(self):
        self.ensure_one()
        self.line_ids.filtered(lambda line: line.match_state == "missing_in_statement").unlink()
        txs = self._get_candidate_transactions()
        by_reference = {tx.reference: tx for tx in txs}
        used = self.env["payment.transaction"].sudo()
        for line in self.line_ids.sorted(lambda line: (line.line_type, line.id)):
            tx = line._find_transaction(by_reference, used)
            used |= tx
            line.sudo().write(line._get_match_values(tx))

        # Confirmed transactions of the day that the gateway does not list.
        start, end = self._get_day_bounds()
        missing = (
            self.env["payment.transaction"]
            .sudo()
            .search(
                [
                    ("provider_id", "=", self.provider_id.id),
                    ("state", "=", "done"),
                    ("operation", "!=", "validation"),
                    ("last_state_change", ">=", start),
                    ("last_state_change", "<", end),
                    ("id", "not in", used.ids),
                ]
            )
        )
        self.env["property.payment.statement.line"].sudo().create(
            [
                {
                    "statement_id": self.id,
                    "line_type": "refund" if tx.operation == "refund" else "payment",
                    "reference": (tx.source_transaction_id or tx).reference,
                    "refund_reference": tx.reference if tx.operation == "refund" else False,
                    "amount": 0.0,
                    **self.line_ids.browse()._get_match_values(tx, in_statement=False),
                }
                for tx in missing
            ]
        )
        self.state = "reconciled"


def amounts_differ(amount_a, amount_b, currency):
    return float_compare(amount_a, amount_b, precision_rounding=currency.rounding) != 0
