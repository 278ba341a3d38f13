from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from .res_company import CASHIER_METHODS

CLOSING_STATES = [("draft", "Counting"), ("closed", "Closed")]


class PropertyCashierClosing(models.Model):
    """A cashier's daily close (日结) in one estate: per payment method, what the collections
    say the drawer holds against what the cashier counted. Once closed, the day is frozen:
    no collection, reversal or count can change it any more."""

    _name = "property.cashier.closing"
    _description = "Cashier Daily Close"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    cashier_id = fields.Many2one("res.users", required=True, index=True, default=lambda self: self.env.user)
    estate_id = fields.Many2one(
        "property.estate",
        required=True,
        index=True,
        ondelete="restrict",
        default=lambda self: self.env.user.property_estate_ids[:1],
    )
    company_id = fields.Many2one(related="estate_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(CLOSING_STATES, required=True, default="draft", readonly=True, tracking=True)
    line_ids = fields.One2many("property.cashier.closing.line", "closing_id", string="Methods")
    amount_expected = fields.Monetary(string="Expected", compute="_compute_totals", store=True)
    amount_counted = fields.Monetary(string="Counted", compute="_compute_totals", store=True)
    amount_difference = fields.Monetary(string="Difference", compute="_compute_totals", store=True)
    collection_count = fields.Integer(compute="_compute_collection_count", string="Collections")
    note = fields.Text(string="Explanation", help="Why the count differs from what was expected.")
    closed_by_id = fields.Many2one("res.users", readonly=True)
    closed_at = fields.Datetime(readonly=True)

    _sql_constraints = [
        (
            "cashier_day_uniq",
            "unique(cashier_id, estate_id, date)",
            "A cashier has one daily close per estate and day.",
        ),
    ]

    @api.depends("date", "cashier_id")
    def _compute_name(self):
        for closing in self:
            closing.name = f"{closing.date or ''} {closing.cashier_id.name or ''}".strip()

    @api.depends("line_ids.amount_expected", "line_ids.amount_counted")
    def _compute_totals(self):
        for closing in self:
            closing.amount_expected = sum(closing.line_ids.mapped("amount_expected"))
            closing.amount_counted = sum(closing.line_ids.mapped("amount_counted"))
            closing.amount_difference = closing.amount_counted - closing.amount_expected

    def _compute_collection_count(self):
        for closing in self:
            closing.collection_count = len(closing._get_collections())

    # ------------------------------------------------------------------
    # Guards: one's own day, and a closed day is frozen
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                if set(vals) & {"state", "closed_by_id", "closed_at"}:
                    raise AccessError(self.env._("A daily close is closed with its button."))
        closings = super().create(vals_list)
        closings._check_own_day()
        closings.action_refresh()
        return closings

    def write(self, vals):
        if not self.env.su and set(vals) & {"state", "closed_by_id", "closed_at"}:
            raise AccessError(self.env._("A daily close is closed with its button."))
        tracked_only = not set(vals) - {"message_main_attachment_id"}
        if not tracked_only:
            self._check_not_closed()
        result = super().write(vals)
        if {"cashier_id", "date", "estate_id"} & set(vals):
            self._check_own_day()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed(self):
        self._check_not_closed()

    def _check_not_closed(self):
        if self.filtered(lambda c: c.state == "closed"):
            raise UserError(self.env._("This day is closed and cannot be changed."))

    def _check_own_day(self):
        if self.env.su or self.env.user.has_group("property_base.group_property_manager"):
            return
        if self.filtered(lambda c: c.cashier_id != self.env.user):
            raise AccessError(self.env._("A cashier closes only their own day."))

    @api.model
    def _check_day_open(self, cashier, estate, date):
        closed = self.sudo().search_count(
            [
                ("cashier_id", "=", cashier.id),
                ("estate_id", "=", estate.id),
                ("date", "=", date),
                ("state", "=", "closed"),
            ],
            limit=1,
        )
        if closed:
            raise UserError(
                self.env._(
                    "The day %(date)s of %(cashier)s is closed: nothing can be collected or reversed on it.",
                    date=date,
                    cashier=cashier.name,
                )
            )

    # ------------------------------------------------------------------
    # Expected totals
    # ------------------------------------------------------------------
    def _get_collections(self):
        self.ensure_one()
        return self.env["property.cashier.collection"].search(
            [
                ("cashier_id", "=", self.cashier_id.id),
                ("estate_id", "=", self.estate_id.id),
                "|",
                "&",
                ("date", "=", self.date),
                ("state", "!=", "draft"),
                ("reversal_date", "=", self.date),
            ]
        )

    def _get_expected(self):
        """{method: (amount expected, collection count)}: the day's collections in, the
        reversals approved that day out (the money goes back from the same drawer)."""
        self.ensure_one()
        expected = defaultdict(float)
        for collection in self._get_collections():
            if collection.date == self.date and collection.state != "draft":
                expected[collection.method] += collection.amount
            if collection.reversal_date == self.date:
                expected[collection.method] -= collection.amount
        return expected

    def action_refresh(self):
        for closing in self:
            if closing.state == "closed":
                continue
            expected = closing._get_expected()
            lines = {line.method: line for line in closing.line_ids}
            commands = []
            for method, _label in CASHIER_METHODS:
                if method in lines:
                    commands.append(
                        Command.update(lines[method].id, {"amount_expected": expected.get(method, 0.0)})
                    )
                else:
                    commands.append(
                        Command.create(
                            {
                                "method": method,
                                "amount_expected": expected.get(method, 0.0),
                                # card and transfer are what the POS slips and the bank say
                                "amount_counted": expected.get(method, 0.0) if method != "cash" else 0.0,
                            }
                        )
                    )
            closing.sudo().line_ids = commands
        return True

    def action_close(self):
        self.ensure_one()
        self.check_access("write")
        self._check_own_day()
        self._check_not_closed()
        self.action_refresh()
        currency = self.currency_id
        if not currency.is_zero(self.amount_difference) and not (self.note or "").strip():
            raise UserError(self.env._("The count differs from what was expected: explain the difference."))
        if self.env["property.cashier.collection"].search_count(
            [
                ("cashier_id", "=", self.cashier_id.id),
                ("estate_id", "=", self.estate_id.id),
                ("date", "=", self.date),
                ("state", "=", "draft"),
            ],
            limit=1,
        ):
            raise UserError(self.env._("Confirm or delete this day's draft collections first."))
        self.sudo().write(
            {"state": "closed", "closed_by_id": self.env.uid, "closed_at": fields.Datetime.now()}
        )
        self.message_post(
            body=self.env._(
                "Day closed: expected %(expected)s, counted %(counted)s, difference %(difference)s.",
                expected=currency.format(self.amount_expected),
                counted=currency.format(self.amount_counted),
                difference=currency.format(self.amount_difference),
            )
        )
        return True

    def action_view_collections(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "property_cashier.property_cashier_collection_action"
        )
        action["domain"] = [("id", "in", self._get_collections().ids)]
        action["context"] = {"create": False}
        return action
