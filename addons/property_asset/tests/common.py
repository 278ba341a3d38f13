from odoo.tests import TransactionCase, new_test_user


class PropertyAssetCase(TransactionCase):
    """Two estates of one company, a manager, a technician of the first estate, equipment
    products and a spare part, and one piece of equipment in use in each estate."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        cls.company = cls.env.company
        cls.company.property_labour_rate = 80.0
        Estate = cls.env["property.estate"]
        cls.estate = Estate.create({"name": "翠湖花园测试", "code": "TCH"})
        cls.estate_other = Estate.create({"name": "锦悦府测试", "code": "TJY"})
        cls.building = cls.env["property.building"].create(
            {
                "name": "1号楼",
                "code": "1",
                "estate_id": cls.estate.id,
                "floors_above": 18,
                "floors_below": 1,
                "elevator_count": 2,
            }
        )
        cls.building_2 = cls.env["property.building"].create(
            {"name": "2号楼", "code": "2", "estate_id": cls.estate.id, "floors_above": 18, "floors_below": 1}
        )
        cls.building_other = cls.env["property.building"].create(
            {"name": "1幢", "code": "1", "estate_id": cls.estate_other.id, "floors_above": 12}
        )
        cls.manager = new_test_user(
            cls.env, login="asset_manager", name="陈经理", groups="property_base.group_property_manager"
        )
        cls.technician = new_test_user(
            cls.env,
            login="asset_technician",
            name="王技工",
            groups="property_base.group_property_technician",
            property_estate_ids=[cls.estate.id],
        )
        cls.vendor = cls.env["res.partner"].create({"name": "杭州西奥电梯有限公司", "is_company": True})
        cls.team = cls.env["maintenance.team"].create({"name": "工程部", "company_id": cls.company.id})
        cls.cat_elevator = cls.env.ref("property_asset.equipment_category_elevator")
        cls.cat_pump = cls.env.ref("property_asset.equipment_category_water_pump")
        cls.cat_switchgear = cls.env.ref("property_asset.equipment_category_switchgear")
        cls.elevator_product = cls.env["product.product"].create(
            {
                "name": "曳引式乘客电梯 1000kg",
                "type": "consu",
                "is_storable": True,
                "tracking": "serial",
                "standard_price": 280000.0,
            }
        )
        cls.bearing = cls.env["product.product"].create(
            {"name": "水泵轴承 6205", "type": "consu", "is_storable": True, "standard_price": 45.5}
        )
        cls.done_stage = cls.env.ref("maintenance.stage_3")
        cls.elevator = cls.env["maintenance.equipment"].create(
            {
                "name": "1号楼 1号电梯",
                "category_id": cls.cat_elevator.id,
                "estate_id": cls.estate.id,
                "building_id": cls.building.id,
                "floor": 1,
                "location": "1单元 东侧",
                "manufacturer": "西奥电梯",
                "model": "XO-STAR",
                "serial_no": "XO2019-0001",
                "install_date": "2019-06-01",
                "criticality": "critical",
                "asset_state": "in_use",
                "technician_user_id": cls.technician.id,
                "maintenance_team_id": cls.team.id,
            }
        )
        cls.pump_other = cls.env["maintenance.equipment"].create(
            {
                "name": "锦悦府 生活水泵 1#",
                "category_id": cls.cat_pump.id,
                "estate_id": cls.estate_other.id,
                "building_id": cls.building_other.id,
                "floor": -1,
                "location": "水泵房",
                "asset_state": "in_use",
                "maintenance_team_id": cls.team.id,
            }
        )

    @classmethod
    def _create_equipment(cls, **values):
        return cls.env["maintenance.equipment"].create(
            {
                "name": "设备",
                "category_id": cls.cat_pump.id,
                "estate_id": cls.estate.id,
                "building_id": cls.building.id,
                "maintenance_team_id": cls.team.id,
                "asset_state": "in_use",
                **values,
            }
        )

    def _requests(self, plan):
        return self.env["maintenance.request"].search(
            [("maintenance_plan_id", "=", plan.id)], order="plan_due_date"
        )
