from odoo import api, fields, models
from odoo.exceptions import UserError

SERVICE_PRICINGS = [
    ("cost", "Fee + Materials at Cost"),
    ("fixed", "Fixed Price"),
]


class PropertyRequest(models.Model):
    _inherit = "property.request"

    service_pricing = fields.Selection(
        SERVICE_PRICINGS,
        default="cost",
        required=True,
        help="Fee + Materials at Cost: the service fee (call-out and labour) plus the cost of the "
        "materials used. Fixed Price: the service fee alone, whatever the materials.",
    )
    service_product_id = fields.Many2one(
        "product.product",
        string="Service Fee Item",
        default=lambda self: self._default_service_product(),
        domain="[('is_property_fee', '=', True)]",
        ondelete="restrict",
        help="The fee item the charge is billed under (its income account and taxes apply).",
    )
    service_amount = fields.Monetary(
        string="Amount Charged",
        compute="_compute_service_amount",
        currency_field="currency_id",
        help="What the household pays for this paid service.",
    )
    service_bill_line_id = fields.Many2one(
        "property.bill.line",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        groups="property_base.group_property_front_desk,property_base.group_property_accountant",
    )
    service_bill_id = fields.Many2one(
        related="service_bill_line_id.bill_id",
        string="Service Bill",
        groups="property_base.group_property_front_desk,property_base.group_property_accountant",
    )
    is_service_charged = fields.Boolean(
        compute="_compute_is_service_charged",
        compute_sudo=True,
        help="The paid service has been charged to the household.",
    )

    @api.model
    def _get_field_work_readonly_fields(self):
        return (*super()._get_field_work_readonly_fields(), "service_pricing", "service_product_id")

    @api.model
    def _default_service_product(self):
        return self.env.ref("property_workorder_billing.product_fee_service", raise_if_not_found=False)

    @api.depends("is_paid_service", "service_pricing", "service_fee", "material_cost")
    def _compute_service_amount(self):
        for request in self:
            if not request.is_paid_service:
                request.service_amount = 0.0
            elif request.service_pricing == "fixed":
                request.service_amount = request.service_fee
            else:
                request.service_amount = request.service_fee + request.material_cost

    @api.depends("service_bill_line_id")
    def _compute_is_service_charged(self):
        for request in self:
            request.is_service_charged = bool(request.service_bill_line_id)

    def _get_service_payer(self, day):
        """The household that pays the service: the unit's payer on ``day`` (a paying tenant,
        otherwise the owner, as billing runs decide), or the reporter when nobody pays for
        the unit."""
        self.ensure_one()
        rule_model = self.env["property.billing.rule"].sudo()
        coverage = rule_model._get_payer_coverage(self.unit_id, day, day)
        payer_id, _days = rule_model._payer_for_span(coverage.get(self.unit_id.id, ()), (day, day))
        return self.env["res.partner"].browse(payer_id) if payer_id else self.partner_id

    def _prepare_service_charge_description(self):
        self.ensure_one()
        first_line = next(iter((self.description or "").strip().splitlines()), "")
        return self.env._(
            "Paid service %(request)s: %(description)s", request=self.name, description=first_line[:120]
        )

    def _charge_resident(self):
        """Charge each paid service once, on the household's account: a posted service bill of
        one line (property_billing's ``_charge_service``), stored on the request. A request
        that already has its bill line is skipped, so confirming twice, or reopening and
        confirming again, charges nothing more. Runs as superuser: whoever confirms the work
        (resident, desk, technician) does not need billing rights."""
        res = super()._charge_resident()
        today = fields.Date.context_today(self)
        bill_model = self.env["property.bill"].sudo()
        for request in self.sudo():
            if not request.is_paid_service or request.service_bill_line_id:
                continue
            amount = request.service_amount
            if request.currency_id.is_zero(amount):
                continue
            if not request.unit_id:
                raise UserError(
                    self.env._(
                        "Request %s is a paid service but has no unit: set the unit whose household pays.",
                        request.name,
                    )
                )
            payer = request._get_service_payer(today)
            if not payer:
                raise UserError(
                    self.env._(
                        "Nobody pays the charges of unit %(unit)s: set the reporter of request %(request)s.",
                        unit=request.unit_id.display_name,
                        request=request.name,
                    )
                )
            product = request.service_product_id or request._default_service_product()
            if not product:
                raise UserError(self.env._("Choose the service fee item of request %s.", request.name))
            bill = bill_model.with_company(request.company_id)._charge_service(
                payer, request.unit_id, product, amount, request._prepare_service_charge_description()
            )
            request.service_bill_line_id = bill.line_ids[:1]
            request.message_post(
                body=self.env._(
                    "Paid service charged to %(payer)s: %(amount)s on bill %(bill)s.",
                    payer=payer.display_name,
                    amount=amount,
                    bill=bill.name,
                )
            )
        return res

    def action_view_service_bill(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "property.bill",
            "res_id": self.service_bill_id.id,
            "view_mode": "form",
        }
