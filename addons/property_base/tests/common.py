from datetime import date

from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class PropertyTestCommon(TransactionCase):
    """Two estates with a building and units each, residents, and one user per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.estate_a = cls.env["property.estate"].create({"name": "翠湖花园", "code": "A"})
        cls.estate_b = cls.env["property.estate"].create({"name": "锦悦府", "code": "B"})
        cls.building_a = cls.env["property.building"].create(
            {
                "estate_id": cls.estate_a.id,
                "code": "3",
                "name": "3号楼",
                "floors_above": 18,
                "floors_below": 2,
                "elevator_count": 2,
            }
        )
        cls.building_b = cls.env["property.building"].create(
            {"estate_id": cls.estate_b.id, "code": "1", "name": "1幢", "floors_above": 6}
        )
        cls.unit_a = cls.env["property.unit"].create(
            {
                "building_id": cls.building_a.id,
                "floor": 5,
                "number": "0502",
                "gross_area": 89.0,
                "inner_area": 72.5,
            }
        )
        cls.unit_a2 = cls.env["property.unit"].create(
            {
                "building_id": cls.building_a.id,
                "floor": 5,
                "number": "0503",
                "gross_area": 120.0,
                "inner_area": 98.0,
            }
        )
        cls.unit_b = cls.env["property.unit"].create(
            {
                "building_id": cls.building_b.id,
                "floor": 1,
                "number": "0101",
                "gross_area": 100.0,
                "inner_area": 80.0,
            }
        )
        cls.owner = cls.env["res.partner"].create(
            {"name": "张伟", "mobile": "13812341234", "phone": "0571-88886666"}
        )
        cls.owner_b = cls.env["res.partner"].create({"name": "李娜", "mobile": "13900001111"})
        cls.occupancy = cls.env["property.occupancy"].create(
            {
                "unit_id": cls.unit_a.id,
                "partner_id": cls.owner.id,
                "role": "owner",
                "share": 100,
                "date_start": date(2020, 1, 1),
                "is_primary_contact": True,
            }
        )
        cls.occupancy_b = cls.env["property.occupancy"].create(
            {
                "unit_id": cls.unit_b.id,
                "partner_id": cls.owner_b.id,
                "role": "owner",
                "share": 100,
                "date_start": date(2021, 6, 1),
            }
        )
        cls.owner.sudo().id_card_number = "110105199001011232"

        def user(login, group, estates=None):
            u = new_test_user(cls.env, login=login, groups=group, name=login)
            if estates is not None:
                u.property_estate_ids = estates
            return u

        cls.user_frontdesk = user("t_frontdesk", "property_base.group_property_user", cls.estate_a)
        cls.user_technician = user("t_technician", "property_base.group_property_technician", cls.estate_a)
        cls.user_guard = user("t_guard", "property_base.group_property_security", cls.estate_a)
        cls.user_accountant = user("t_accountant", "property_base.group_property_accountant", cls.estate_a)
        cls.user_manager = user("t_manager", "property_base.group_property_manager")
        cls.user_admin = user("t_padmin", "property_base.group_property_admin")
        cls.user_internal = user("t_internal", "base.group_user")
        cls.user_resident = new_test_user(
            cls.env, login="t_resident", groups="base.group_portal", name="张伟", partner_id=cls.owner.id
        )
