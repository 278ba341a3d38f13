from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PropertyAssetCase


@tagged("post_install", "-at_install")
class TestSpareParts(PropertyAssetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.spare = cls.estate._get_spare_part_location()
        cls.consumption = cls.env.ref("property_asset.stock_location_maintenance_consumption")
        cls.env["stock.quant"]._update_available_quantity(cls.bearing, cls.spare, 10.0)
        cls.request = cls.env["maintenance.request"].create(
            {
                "name": "2号水泵异响",
                "equipment_id": cls.elevator.id,
                "maintenance_type": "corrective",
                "maintenance_team_id": cls.team.id,
                "user_id": cls.technician.id,
                "duration": 2.0,
            }
        )

    def _qty(self, location):
        return self.env["stock.quant"]._get_available_quantity(self.bearing, location, allow_negative=True)

    def test_estate_location(self):
        self.assertEqual(self.estate.spare_location_id, self.spare)
        self.assertEqual(self.spare.usage, "internal")
        self.assertEqual(self.estate._get_spare_part_location(), self.spare, "created once")

    def test_technician_consumes_parts(self):
        request = self.request.with_user(self.technician)
        request.write({"part_line_ids": [Command.create({"product_id": self.bearing.id, "quantity": 3.0})]})
        line = request.part_line_ids
        self.assertEqual(line.location_id, self.spare, "the estate's spare parts by default")
        request.action_consume_parts()
        self.assertEqual(line.state, "consumed")
        self.assertEqual(line.move_id.state, "done")
        self.assertEqual(line.move_id.location_dest_id, self.consumption)
        self.assertEqual(self._qty(self.spare), 7.0)
        self.assertEqual(
            sum(
                self.env["stock.quant"]
                .search([("location_id", "=", self.consumption.id), ("product_id", "=", self.bearing.id)])
                .mapped("quantity")
            ),
            3.0,
        )
        self.assertAlmostEqual(request.parts_cost, 136.5)
        self.assertAlmostEqual(request.labour_cost, 160.0)
        self.assertAlmostEqual(request.total_cost, 296.5)
        # the cost is frozen at consumption
        self.bearing.standard_price = 60.0
        self.assertAlmostEqual(line.cost, 136.5)
        with self.assertRaises(UserError):
            line.unlink()
        with self.assertRaises(UserError):
            line.quantity = 1.0
        with self.assertRaises(UserError, msg="nothing left to consume"):
            request.action_consume_parts()

    def test_not_enough_stock(self):
        self.request.write(
            {"part_line_ids": [Command.create({"product_id": self.bearing.id, "quantity": 12.0})]}
        )
        with self.assertRaises(UserError):
            self.request.action_consume_parts()
        self.assertEqual(self._qty(self.spare), 10.0)
        self.assertEqual(self.request.part_line_ids.state, "draft")
        self.assertEqual(self.request.parts_cost, 0.0)

    def test_cost_report(self):
        self.request.write(
            {"part_line_ids": [Command.create({"product_id": self.bearing.id, "quantity": 2.0})]}
        )
        self.request.action_consume_parts()
        self.env.flush_all()
        report = self.env["property.asset.cost.report"]
        rows = report._read_group(
            [("equipment_id", "=", self.elevator.id)],
            ["category_id"],
            ["parts_cost:sum", "labour_cost:sum", "total_cost:sum"],
        )
        self.assertEqual(len(rows), 1)
        category, parts, labour, total = rows[0]
        self.assertEqual(category, self.cat_elevator)
        self.assertAlmostEqual(parts, 91.0)
        self.assertAlmostEqual(labour, 160.0)
        self.assertAlmostEqual(total, 251.0)
