from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import NOW, WorkorderCase


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestMaterials(WorkorderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.valve = cls.env["product.product"].create(
            {"name": "角阀 DN15", "is_storable": True, "standard_price": 12.5}
        )
        cls.hose = cls.env["product.product"].create(
            {"name": "不锈钢软管 60cm", "is_storable": True, "standard_price": 8}
        )
        stock = cls.warehouse.lot_stock_id
        cls.env["stock.quant"]._update_available_quantity(cls.valve, stock, 10)
        cls.env["stock.quant"]._update_available_quantity(cls.hose, stock, 5)

    def test_materials_leave_the_estate_warehouse(self):
        request = self._request(technician_id=self.plumber.id)
        request.action_assign()
        request.action_check_in()
        request.write(
            {
                "material_ids": [
                    (0, 0, {"product_id": self.valve.id, "quantity": 3}),
                    (0, 0, {"product_id": self.hose.id, "quantity": 2}),
                ]
            }
        )
        self.assertEqual(request.material_cost, 3 * 12.5 + 2 * 8)
        request.with_user(self.tech_user_1).action_consume_materials()  # no stock rights needed
        picking = request.picking_ids
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.location_id, self.warehouse.lot_stock_id)
        consumption = self.env.ref("property_workorder.stock_location_consumption")
        self.assertEqual(picking.location_dest_id, consumption)
        self.assertTrue(all(line.is_consumed for line in request.material_ids))
        self.assertEqual(self.valve.with_context(warehouse_id=self.warehouse.id).qty_available, 7)
        self.assertEqual(self.hose.with_context(warehouse_id=self.warehouse.id).qty_available, 3)
        with self.assertRaises(UserError):
            request.material_ids[0].quantity = 5
        # consuming again takes nothing twice; a new line makes a new transfer
        request.action_consume_materials()
        self.assertEqual(len(request.picking_ids), 1)
        request.write({"material_ids": [(0, 0, {"product_id": self.valve.id, "quantity": 1})]})
        request.action_consume_materials()
        self.assertEqual(len(request.picking_ids), 2)
        self.assertEqual(self.valve.with_context(warehouse_id=self.warehouse.id).qty_available, 6)
        self.assertEqual(request.material_cost, 4 * 12.5 + 2 * 8)
