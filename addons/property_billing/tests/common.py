from datetime import date

from odoo import Command
from odoo.tests import tagged

from odoo.addons.property_base.tests.common import PropertyTestCommon


@tagged("post_install", "-at_install")
class BillingTestCommon(PropertyTestCommon):
    """property_base's estates, units and users, plus fee items, a chart of accounts and
    helpers to run a month. Post-install: Odoo loads the chart of accounts after the
    modules are installed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.company.chart_template:
            cls.env["account.chart.template"].try_loading("generic_coa", cls.company, install_demo=False)
        cls.currency = cls.company.currency_id
        cls.fee_property = cls.env.ref("property_billing.product_fee_property")
        cls.fee_parking = cls.env.ref("property_billing.product_fee_parking")
        cls.fee_water = cls.env.ref("property_billing.product_fee_water")
        cls.fee_share = cls.env.ref("property_billing.product_fee_common_area")
        cls.fee_late = cls.env.ref("property_billing.product_fee_late")
        cls.fee_other = cls.env.ref("property_billing.product_fee_other")
        (
            cls.fee_property | cls.fee_parking | cls.fee_water | cls.fee_share | cls.fee_late | cls.fee_other
        ).write({"taxes_id": [Command.clear()]})
        # a second owner in building 3 of estate A, high up
        cls.unit_high = cls.env["property.unit"].create(
            {
                "building_id": cls.building_a.id,
                "floor": 12,
                "number": "1201",
                "gross_area": 100.0,
                "inner_area": 80.0,
                "status": "occupied",
            }
        )
        cls.owner_high = cls.env["res.partner"].create({"name": "王芳"})
        cls.env["property.occupancy"].create(
            {
                "unit_id": cls.unit_high.id,
                "partner_id": cls.owner_high.id,
                "role": "owner",
                "share": 100,
                "date_start": date(2019, 5, 1),
            }
        )
        cls.unit_a.status = "occupied"
        cls.unit_b.status = "occupied"

    @classmethod
    def make_bills(cls, partner, unit, count, amount=100.0, start=date(2022, 1, 1)):
        """``count`` monthly bills of one line each, posted in one journal entry."""
        vals_list = []
        for i in range(count):
            month = date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "estate_id": unit.estate_id.id,
                    "building_id": unit.building_id.id,
                    "period_start": month,
                    "period_end": month.replace(day=28),
                    "date": month,
                    "date_due": month.replace(day=28),
                    "line_ids": [
                        Command.create(
                            {
                                "unit_id": unit.id,
                                "product_id": cls.fee_property.id,
                                "period_start": month,
                                "period_end": month.replace(day=28),
                                "quantity": unit.gross_area,
                                "price_unit": round(amount / (unit.gross_area or 1), 6),
                                "amount": amount,
                                "description": "按建筑面积计费",
                            }
                        )
                    ],
                }
            )
        bills = cls.env["property.bill"].create(vals_list)
        bills.line_ids._post_receivables(start, "测试账单")
        return bills

    @classmethod
    def make_owners(cls, units, names):
        """One owner per unit (100 %, since 2020), named ``names``; returns the owners."""
        owners = cls.env["res.partner"].create([{"name": name} for name in names])
        cls.env["property.occupancy"].create(
            [
                {
                    "unit_id": unit.id,
                    "partner_id": owner.id,
                    "role": "owner",
                    "share": 100,
                    "date_start": date(2020, 1, 1),
                }
                for unit, owner in zip(units, owners, strict=True)
            ]
        )
        return owners

    @classmethod
    def make_rule(cls, **vals):
        values = {
            "name": "物业费",
            "estate_id": cls.estate_a.id,
            "product_id": cls.fee_property.id,
            "kind": "area",
            "price": 2.5,
            "date_from": date(2026, 1, 1),
        }
        values.update(vals)
        return cls.env["property.billing.rule"].create(values)

    @classmethod
    def make_run(cls, month=date(2026, 3, 1), estate=None, **vals):
        return cls.env["property.billing.run"].create(
            {
                "estate_id": (estate or cls.estate_a).id,
                "date_from": month,
                "date_due": vals.pop("date_due", month.replace(day=28)),
                **vals,
            }
        )

    def charges(self, units, month=date(2026, 3, 1)):
        """{(unit, product): charge} computed without writing anything."""
        return {
            (c["unit_id"], c["product_id"]): c
            for c in self.env["property.billing.rule"]._compute_charges(units, month)
        }

    @classmethod
    def bill_of(cls, partner, month=date(2026, 3, 1)):
        return cls.env["property.bill"].search(
            [("partner_id", "=", partner.id), ("period_start", "=", month), ("bill_type", "=", "regular")]
        )

    def pay(self, partner, amount, bill=None, day=date(2026, 3, 20)):
        """A customer payment of ``amount``, reconciled with ``bill`` if given."""
        journal = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.company.id)], limit=1
        )
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": partner.id,
                "amount": amount,
                "journal_id": journal.id,
                "date": day,
            }
        )
        payment.action_post()
        if bill:
            line = payment.move_id.line_ids.filtered(
                lambda x: x.account_id.account_type == "asset_receivable"
            )
            (line | bill.receivable_line_ids.filtered(lambda x: not x.reconciled)).reconcile()
        return payment
