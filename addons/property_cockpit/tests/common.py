from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.property_billing.tests.common import BillingTestCommon


@tagged("post_install", "-at_install")
class CockpitTestCommon(BillingTestCommon):
    """Known figures in two estates (and a second company), dated relative to today: the
    arrears report ages bills against the database's date.

    Estate A: this month a bill of 200 with 150 paid, a bill of 100 three months old unpaid;
    two open work orders (one breached, one on track); two done by the team (one in time rated
    5, one late rated 3); a raised safety alarm; electricity and water meters read over the last
    two full months. Estate B: this month a bill of 100 unpaid, a bill of 300 three months old
    unpaid, one breached open work order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Cockpit = cls.env["property.cockpit"]
        cls.Request = cls.env["property.request"]
        cls.today = fields.Date.context_today(cls.Cockpit)
        cls.now = fields.Datetime.now()
        cls.month = cls.today.replace(day=1)
        cls.old_month = cls.month - relativedelta(months=3)
        # the demo estates have their own records: figures of these tests are read per estate
        cls.estates = cls.estate_a | cls.estate_b
        # --- bills
        cls.bill_a = cls.make_bills(cls.owner, cls.unit_a, 1, amount=200.0, start=cls.month)
        cls.pay(cls, cls.owner, 150.0, bill=cls.bill_a, day=cls.today)
        cls.bill_a_old = cls.make_bills(cls.owner_high, cls.unit_high, 1, amount=100.0, start=cls.old_month)
        cls.bill_b = cls.make_bills(cls.owner_b, cls.unit_b, 1, amount=100.0, start=cls.month)
        cls.bill_b_old = cls.make_bills(cls.owner_b, cls.unit_b, 1, amount=300.0, start=cls.old_month)
        # --- work orders
        cls.cat_plumbing = cls.env.ref("property_workorder.request_category_plumbing")
        cls.cat_complaint = cls.env.ref("property_workorder.request_category_noise_complaint")
        cls.team = cls.env["property.service.team"].create(
            {"name": "翠湖工程部", "estate_id": cls.estate_a.id}
        )
        cls.team_b = cls.env["property.service.team"].create(
            {"name": "锦悦工程部", "estate_id": cls.estate_b.id}
        )

        def request(estate, unit, partner, days_ago, **vals):
            return cls.Request.create(
                {
                    "description": "厨房水管漏水",
                    "estate_id": estate.id,
                    "building_id": unit.building_id.id,
                    "unit_id": unit.id,
                    "partner_id": partner.id,
                    "category_id": cls.cat_plumbing.id,
                    "source": "phone",
                    "request_date": cls.now - timedelta(days=days_ago),
                    **vals,
                }
            )

        cls.req_breached = request(cls.estate_a, cls.unit_a, cls.owner, 10)
        cls.req_on_track = request(cls.estate_a, cls.unit_a2, cls.owner, 0, category_id=cls.cat_complaint.id)
        cls.req_b_breached = request(cls.estate_b, cls.unit_b, cls.owner_b, 10, source="portal")
        cls.req_in_time = request(cls.estate_a, cls.unit_a, cls.owner, 5, team_id=cls.team.id)
        cls.req_late = request(cls.estate_a, cls.unit_high, cls.owner_high, 5, team_id=cls.team.id)
        cls.req_in_time.write(
            {"state": "done", "done_date": cls.now - timedelta(days=5, hours=-1), "rating": "5"}
        )
        cls.req_late.write({"state": "done", "done_date": cls.now - timedelta(days=1), "rating": "3"})
        # --- alarms
        cls.alarm = cls.env["property.security.alarm"].create(
            {"name": "3号楼烟感", "estate_id": cls.estate_a.id, "alarm_type": "fire"}
        )
        # --- meters: consumption of the month before last, then of the last full month
        last = cls.month - relativedelta(months=1)
        before = cls.month - relativedelta(months=2)
        Device = cls.env["property.iot.device"]
        cls.power = Device.create(
            {
                "name": "电表",
                "identifier": "cockpit-power",
                "kind": "electricity_meter",
                "unit_id": cls.unit_a.id,
            }
        )
        cls.water = Device.create(
            {"name": "水表", "identifier": "cockpit-water", "kind": "water_meter", "unit_id": cls.unit_a.id}
        )

        def reading(device, metric, day, value):
            return {
                "device_id": device.id,
                "ts": fields.Datetime.to_datetime(day) + timedelta(hours=4),  # noon in Shanghai
                "msg_type": "telemetry",
                "metric": metric,
                "value": value,
            }

        cls.env["property.iot.reading"].create(
            [
                reading(cls.power, "energy", before + timedelta(days=1), 1000.0),
                reading(cls.power, "energy", before + timedelta(days=20), 1100.0),  # 100 kWh
                reading(cls.power, "energy", last + timedelta(days=10), 1250.0),  # 150 kWh
                reading(cls.water, "volume", before + timedelta(days=1), 50.0),
                reading(cls.water, "volume", before + timedelta(days=20), 60.0),  # 10 m³
                reading(cls.water, "volume", last + timedelta(days=10), 72.0),  # 12 m³
            ]
        )
        cls.env.flush_all()

    @classmethod
    def make_manager_of_other_company(cls):
        """A second company with its own estate, manager and breached work order."""
        company = cls.env["res.company"].create({"name": "宁波物业"})
        estate = cls.env["property.estate"].create(
            {"name": "东湖小区", "code": "C", "company_id": company.id}
        )
        manager = new_test_user(
            cls.env,
            login="t_manager_c2",
            groups="property_base.group_property_manager",
            company_id=company.id,
            company_ids=[(6, 0, company.ids)],
        )
        cls.Request.create(
            {
                "description": "电梯异响",
                "estate_id": estate.id,
                "category_id": cls.cat_plumbing.id,
                "source": "phone",
                "request_date": cls.now - timedelta(days=10),
            }
        )
        cls.env.flush_all()
        return company, estate, manager
