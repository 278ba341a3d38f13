from datetime import date

from odoo import Command
from odoo.tests import tagged

from odoo.addons.property_billing.tests.common import BillingTestCommon


@tagged("post_install", "-at_install")
class WorkorderBillingCommon(BillingTestCommon):
    """property_billing's estates, households and chart of accounts, plus a technician, a
    unit whose paying tenant is not its owner, and a material with a cost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.fee_service = env.ref("property_workorder_billing.product_fee_service")
        cls.cat_plumbing = env.ref("property_workorder.request_category_plumbing")
        cls.technician = env["hr.employee"].create(
            {
                "name": "王师傅",
                "user_id": cls.user_technician.id,
                "is_property_technician": True,
                "property_category_ids": [Command.set(cls.cat_plumbing.ids)],
                "property_estate_ids": [Command.set(cls.estate_a.ids)],
            }
        )
        # unit_a2: the owner lives abroad, the tenant pays the charges
        cls.owner_a2 = env["res.partner"].create({"name": "陈静"})
        cls.tenant_a2 = env["res.partner"].create({"name": "刘洋"})
        env["property.occupancy"].create(
            [
                {
                    "unit_id": cls.unit_a2.id,
                    "partner_id": cls.owner_a2.id,
                    "role": "owner",
                    "share": 100,
                    "date_start": date(2018, 1, 1),
                },
                {
                    "unit_id": cls.unit_a2.id,
                    "partner_id": cls.tenant_a2.id,
                    "role": "tenant",
                    "is_payer": True,
                    "date_start": date(2025, 9, 1),
                },
            ]
        )
        cls.faucet = env["product.product"].create(
            {"name": "水龙头", "is_storable": True, "standard_price": 15.5, "type": "consu"}
        )

    @classmethod
    def make_request(cls, **vals):
        values = {
            "description": "厨房水龙头坏了，需要更换",
            "estate_id": cls.estate_a.id,
            "unit_id": cls.unit_a.id,
            "category_id": cls.cat_plumbing.id,
            "partner_id": cls.owner.id,
            "technician_id": cls.technician.id,
        }
        values.update(vals)
        return cls.env["property.request"].create(values)

    @staticmethod
    def finish(request):
        """Assign, check in and finish the work: the request waits for the resident."""
        if request.state in ("new", "assigned"):
            request.action_assign()
        if request.state in ("assigned", "accepted"):
            request.action_check_in()
        request.action_done()
        return request

    def service_lines(self, partner=None):
        domain = [("line_type", "=", "service")]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return self.env["property.bill.line"].search(domain)
