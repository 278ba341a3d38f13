from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import PropertyAssetCase


@tagged("post_install", "-at_install")
class TestLifecycle(PropertyAssetCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.installed = cls.env.ref("property_asset.stock_location_installed_equipment")

    def _new_elevator(self, serial="XO2025-0100"):
        return self.env["maintenance.equipment"].create(
            {
                "name": "2号楼 1号电梯",
                "category_id": self.cat_elevator.id,
                "estate_id": self.estate.id,
                "product_id": self.elevator_product.id,
                "partner_id": self.vendor.id,
                "cost": 265000.0,
                "serial_no": serial,
                "maintenance_team_id": self.team.id,
            }
        )

    def _qty(self, location, lot):
        return sum(
            self.env["stock.quant"]
            .search([("location_id", "=", location.id), ("lot_id", "=", lot.id)])
            .mapped("quantity")
        )

    @freeze_time("2025-03-01 09:00:00")
    def test_full_lifecycle(self):
        equipment = self._new_elevator().with_user(self.manager)
        self.assertEqual(equipment.asset_state, "draft")

        equipment.action_asset_purchase()
        self.assertEqual(equipment.asset_state, "ordered")
        order = equipment.purchase_order_id.sudo()
        self.assertEqual(order.state, "purchase")
        self.assertEqual(order.partner_id, self.vendor)
        self.assertEqual(order.order_line.product_id, self.elevator_product)
        self.assertEqual(order.order_line.price_unit, 265000.0)

        equipment.action_asset_receive()
        self.assertEqual(equipment.asset_state, "in_stock")
        lot = equipment.lot_id
        self.assertEqual(lot.name, "XO2025-0100")
        self.assertEqual(lot.product_id, self.elevator_product)
        spare = self.estate.spare_location_id
        self.assertTrue(spare, "the estate got its stock location on first receipt")
        self.assertEqual(self._qty(spare, lot), 1.0)
        self.assertEqual(order.order_line.qty_received, 1.0)

        equipment.action_asset_install(
            {"building_id": self.building_2.id, "floor": 1, "location": "2单元 西侧"}
        )
        self.assertEqual(equipment.asset_state, "in_use")
        self.assertEqual(equipment.install_date, fields.Date.to_date("2025-03-01"))
        self.assertEqual(equipment.building_id, self.building_2)
        self.assertEqual(self._qty(spare, lot), 0.0)
        self.assertEqual(self._qty(self.installed, lot), 1.0)

        equipment.action_asset_move(
            {"building_id": self.building.id, "floor": 1, "location": "3单元"}, note="调换"
        )
        self.assertEqual(equipment.building_id, self.building)
        move_step = equipment.history_ids.filtered(lambda h: h.operation == "move")
        self.assertIn("2号楼", move_step.from_location)
        self.assertEqual(move_step.building_id, self.building)
        self.assertEqual(move_step.location, "3单元")

        equipment.action_asset_retire("主机老化, 安全评估不合格")
        self.assertEqual(equipment.asset_state, "retired")
        self.assertEqual(equipment.scrap_date, fields.Date.to_date("2025-03-01"))

        equipment.action_asset_scrap("拆除报废")
        self.assertEqual(equipment.asset_state, "scrapped")
        self.assertFalse(equipment.scrap_id, "installed equipment is not in stock: no stock scrap")

        history = equipment.history_ids.sorted("id")
        self.assertEqual(
            [(h.operation, h.from_state, h.to_state) for h in history],
            [
                ("purchase", "draft", "ordered"),
                ("receive", "ordered", "in_stock"),
                ("install", "in_stock", "in_use"),
                ("move", "in_use", "in_use"),
                ("retire", "in_use", "retired"),
                ("scrap", "retired", "scrapped"),
            ],
        )
        self.assertEqual(history.user_id, self.manager)
        self.assertEqual(history[4].note, "主机老化, 安全评估不合格")

    def test_scrap_from_stock_uses_stock_scrap(self):
        equipment = self._new_elevator("XO2025-0200").with_user(self.manager)
        equipment.action_asset_purchase()
        equipment.action_asset_receive()
        lot = equipment.lot_id
        equipment.action_asset_scrap("运输途中损坏")
        self.assertEqual(equipment.asset_state, "scrapped")
        scrap = equipment.scrap_id
        self.assertEqual(scrap.state, "done")
        self.assertEqual(scrap.lot_id, lot)
        self.assertEqual(self._qty(self.estate.spare_location_id, lot), 0.0)
        self.assertEqual(self._qty(scrap.scrap_location_id, lot), 1.0)
        self.assertEqual(equipment.retire_reason, "运输途中损坏")

    def test_guards(self):
        equipment = self._new_elevator("XO2025-0300").with_user(self.manager)
        for action in (
            equipment.action_asset_receive,
            lambda: equipment.action_asset_install({"building_id": self.building.id}),
            lambda: equipment.action_asset_move({"building_id": self.building.id}),
            lambda: equipment.action_asset_retire("x"),
            lambda: equipment.action_asset_scrap("x"),
        ):
            with self.assertRaises(UserError):
                action()
        equipment.serial_no = False
        equipment.action_asset_purchase()
        with self.assertRaises(UserError):
            equipment.action_asset_purchase()
        with self.assertRaises(UserError, msg="no serial number"):
            equipment.action_asset_receive()
        equipment.serial_no = "XO2025-0300"
        equipment.action_asset_receive()
        with self.assertRaises(UserError, msg="in stock cannot be retired, only scrapped"):
            equipment.action_asset_retire("x")
        with self.assertRaises(UserError, msg="scrap needs a reason"):
            equipment.action_asset_scrap("")
        equipment.action_asset_install({"building_id": self.building.id, "location": "A"})
        with self.assertRaises(UserError, msg="same location is not a move"):
            equipment.action_asset_move({"building_id": self.building.id, "location": "A"})
        with self.assertRaises(UserError, msg="installed equipment is retired before it is scrapped"):
            equipment.action_asset_scrap("x")
        with self.assertRaises(UserError):
            equipment.action_asset_retire("")
        self.assertEqual(equipment.asset_state, "in_use")
        self.assertEqual(len(equipment.history_ids), 3)

    @freeze_time("2025-03-01 09:00:00")
    def test_register_existing_equipment(self):
        equipment = self._new_elevator("XO2010-0001").with_user(self.manager)
        equipment.install_date = "2010-05-01"
        equipment.action_asset_register_in_use()
        self.assertEqual(equipment.asset_state, "in_use")
        self.assertEqual(equipment.history_ids.operation, "register")
        self.assertEqual(equipment.history_ids.from_state, "draft")
        self.assertEqual(str(equipment.install_date), "2010-05-01")
        with self.assertRaises(UserError):
            equipment.action_asset_register_in_use()
        orphan = self.env["maintenance.equipment"].with_user(self.manager).create({"name": "无位置设备"})
        with self.assertRaises(UserError, msg="an estate is needed"):
            orphan.action_asset_register_in_use()

    def test_purchase_needs_product_and_vendor(self):
        equipment = self._new_elevator("XO2025-0400").with_user(self.manager)
        equipment.partner_id = False
        with self.assertRaises(UserError):
            equipment.action_asset_purchase()
        equipment.partner_id = self.vendor
        equipment.product_id = self.bearing  # not tracked by serial
        with self.assertRaises(UserError):
            equipment.action_asset_purchase()

    def test_wizard(self):
        equipment = self._new_elevator("XO2025-0500").with_user(self.manager)
        equipment.action_asset_purchase()
        equipment.action_asset_receive()
        action = equipment.with_context(lifecycle_operation="install").action_open_lifecycle_wizard()
        wizard = (
            self.env["property.equipment.lifecycle.wizard"]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create({"building_id": self.building_2.id, "floor": 3, "location": "机房"})
        )
        self.assertEqual(wizard.estate_id, self.estate)
        wizard.action_confirm()
        self.assertEqual(equipment.asset_state, "in_use")
        self.assertEqual(equipment.floor, 3)
        with self.assertRaises(UserError):
            equipment.with_context(lifecycle_operation="install").action_open_lifecycle_wizard()
