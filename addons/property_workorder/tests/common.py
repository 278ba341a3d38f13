from datetime import date

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user

# A Monday, 10:00 UTC: the test calendars (UTC, Mon–Fri 8–12 and 13–17) are at work.
NOW = "2024-11-25 10:00:00"


class WorkorderCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        # dispatch candidates are the technicians built here, whatever else the database holds
        cls.env["hr.employee"].search([("is_property_technician", "=", True)]).is_property_technician = False
        cls.calendar = cls.env["resource.calendar"].create({"name": "白班 8-17", "tz": "UTC"})
        cls.estate = cls.env["property.estate"].create(
            {
                "name": "翠湖苑",
                "code": "WOTEST1",
                "latitude": 31.2304,
                "longitude": 121.4737,
                "geofence_radius": 500.0,
            }
        )
        cls.estate_far = cls.env["property.estate"].create(
            {"name": "滨江名邸", "code": "WOTEST2", "latitude": 31.3000, "longitude": 121.6000}
        )
        cls.building = cls.env["property.building"].create(
            {"name": "1号楼", "code": "1", "estate_id": cls.estate.id, "floors_above": 3}
        )
        cls.unit_a, cls.unit_b, cls.unit_c = cls.env["property.unit"].create(
            [
                {"building_id": cls.building.id, "floor": 1, "number": "0101"},
                {"building_id": cls.building.id, "floor": 2, "number": "0201"},
                {"building_id": cls.building.id, "floor": 3, "number": "0301"},
            ]
        )
        cls.resident = cls.env["res.partner"].create({"name": "张伟", "mobile": "13800138000"})
        cls.neighbour = cls.env["res.partner"].create({"name": "李娜"})
        cls.env["property.occupancy"].create(
            [
                {
                    "unit_id": cls.unit_a.id,
                    "partner_id": cls.resident.id,
                    "role": "owner",
                    "share": 100,
                    "date_start": date(2020, 1, 1),
                },
                {
                    "unit_id": cls.unit_b.id,
                    "partner_id": cls.neighbour.id,
                    "role": "owner",
                    "share": 100,
                    "date_start": date(2020, 1, 1),
                },
            ]
        )
        ref = cls.env.ref
        cls.cat_plumbing = ref("property_workorder.request_category_plumbing")
        cls.cat_electrical = ref("property_workorder.request_category_electrical")
        cls.cat_elevator = ref("property_workorder.request_category_elevator")
        cls.cat_complaint = ref("property_workorder.request_category_noise_complaint")
        cls.leader = new_test_user(
            cls.env, "wo_leader", groups="property_base.group_property_manager", name="组长老陈"
        )
        cls.manager = new_test_user(
            cls.env, "wo_manager", groups="property_base.group_property_manager", name="经理老周"
        )
        cls.estate.manager_id = cls.manager
        cls.team = cls.env["property.service.team"].create(
            {
                "name": "翠湖苑工程部",
                "estate_id": cls.estate.id,
                "leader_id": cls.leader.id,
                "manager_id": cls.manager.id,
                "resource_calendar_id": cls.calendar.id,
            }
        )
        cls.tech_user_1 = new_test_user(
            cls.env, "wo_tech1", groups="property_base.group_property_technician", name="王师傅"
        )
        cls.tech_user_2 = new_test_user(
            cls.env, "wo_tech2", groups="property_base.group_property_technician", name="刘师傅"
        )
        (cls.tech_user_1 | cls.tech_user_2).write({"property_estate_ids": [Command.link(cls.estate.id)]})
        cls.plumber = cls._make_technician("王师傅", [cls.cat_plumbing], user=cls.tech_user_1)
        cls.electrician = cls._make_technician("刘师傅", [cls.cat_electrical], user=cls.tech_user_2)
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.estate.warehouse_id = cls.warehouse

    @classmethod
    def _make_technician(cls, name, categories, user=None, calendar=None, estates=None):
        return cls.env["hr.employee"].create(
            {
                "name": name,
                "user_id": user.id if user else False,
                "is_property_technician": True,
                "property_team_id": cls.team.id,
                "property_category_ids": [Command.set([c.id for c in categories])],
                "property_estate_ids": [Command.set((estates or cls.estate).ids)],
                "resource_calendar_id": (calendar or cls.calendar).id,
                "tz": "UTC",
            }
        )

    @classmethod
    def _request(cls, **vals):
        values = {
            "description": "厨房水管漏水，麻烦尽快处理",
            "estate_id": cls.estate.id,
            "unit_id": cls.unit_a.id,
            "category_id": cls.cat_plumbing.id,
            "partner_id": cls.resident.id,
        }
        values.update(vals)
        return cls.env["property.request"].create(values)

    def _check_in(self, employee, when=NOW, latitude=31.2304, longitude=121.4737):
        return self.env["hr.attendance"].create(
            {
                "employee_id": employee.id,
                "check_in": fields.Datetime.to_datetime(when),
                "in_latitude": latitude,
                "in_longitude": longitude,
            }
        )
