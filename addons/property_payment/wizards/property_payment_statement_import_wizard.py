import base64
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.property_payment_statement import STATEMENT_TZ
from ..tools.statement_parsers import PARSERS, StatementFormatError


class PropertyPaymentStatementImportWizard(models.TransientModel):
    """Import a gateway's daily statement file and reconcile it at once."""

    _name = "property.payment.statement.import.wizard"
    _description = "Import a Payment Gateway Statement"

    provider_id = fields.Many2one(
        comodel_name="payment.provider",
        required=True,
        domain=[("code", "in", ("wechatpay", "alipay"))],
    )
    statement_date = fields.Date(required=True, default=lambda self: self._default_statement_date())
    data_file = fields.Binary(string="Statement File", required=True)
    file_name = fields.Char()

    @api.model
    def _default_statement_date(self):
        """Yesterday in Beijing time: the gateways publish a day's bill the next morning."""
        now = fields.Datetime.now()
        return (pytz.utc.localize(now).astimezone(pytz.timezone(STATEMENT_TZ)) - timedelta(days=1)).date()

    def action_import(self):
        self.ensure_one()
        statement = self._import_statement()
        statement.action_reconcile()
        return statement.action_view_lines()

    def _import_statement(self):
        provider = self.provider_id
        existing = self.env["property.payment.statement"].search(
            [("provider_id", "=", provider.id), ("statement_date", "=", self.statement_date)], limit=1
        )
        if existing:
            raise UserError(
                self.env._(
                    "The statement of %(provider)s for %(date)s is already imported (%(name)s): "
                    "open it and use Reconcile Again.",
                    provider=provider.name,
                    date=self.statement_date,
                    name=existing.name,
                )
            )
        try:
            parsed = PARSERS[provider.code](base64.b64decode(self.data_file))
        except StatementFormatError as error:
            raise UserError(
                self.env._("The statement file could not be read: %(error)s", error=error)
            ) from error
        if provider.code == "wechatpay":
            merchant = provider.wechatpay_mch_id
            foreign = {line["merchant"] for line in parsed["lines"]} - {merchant, ""}
            if foreign:
                raise UserError(
                    self.env._(
                        "This statement belongs to merchant %(found)s, not to %(provider)s "
                        "(merchant %(merchant)s).",
                        found=", ".join(sorted(foreign)),
                        provider=provider.name,
                        merchant=merchant,
                    )
                )
        tz = pytz.timezone(STATEMENT_TZ)
        line_values = []
        for line in parsed["lines"]:
            values = {key: value for key, value in line.items() if key != "merchant"}
            values["trade_time"] = tz.localize(line["trade_time"]).astimezone(pytz.utc).replace(tzinfo=None)
            line_values.append(values)
        provider_name = provider.name
        return self.env["property.payment.statement"].create(
            {
                "name": f"{provider_name} {self.statement_date}",
                "provider_id": provider.id,
                "statement_date": self.statement_date,
                "file_name": self.file_name,
                "fee_amount": parsed["fee_amount"],
                "line_ids": [fields.Command.create(values) for values in line_values],
            }
        )
