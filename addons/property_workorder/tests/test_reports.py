from datetime import date

from odoo.tests import freeze_time, tagged

from .common import NOW, WorkorderCase


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestReports(WorkorderCase):
    def test_heatmap_and_ranking(self):
        for unit, count in ((self.unit_a, 3), (self.unit_b, 1)):
            for _i in range(count):
                self._request(unit_id=unit.id)
        wizard = self.env["property.request.heatmap.wizard"].create(
            {
                "estate_id": self.estate.id,
                "building_id": self.building.id,
                "date_from": date(2024, 11, 1),
                "date_to": date(2024, 11, 30),
            }
        )
        grid = str(wizard.unit_grid)
        self.assertIn("0101<br/><b>3</b>", grid)
        self.assertIn("0201<br/><b>1</b>", grid)
        self.assertIn("0301<br/><b>0</b>", grid)
        self.assertIn("#c92a2a", grid, "the busiest unit is the darkest")
        self.assertIn("<td>[", str(wizard.building_table))
        wizard.date_from = date(2024, 12, 1)
        wizard.date_to = date(2024, 12, 31)
        self.assertIn("0101<br/><b>0</b>", str(wizard.unit_grid))

        done = self._request(technician_id=self.plumber.id)
        done.action_assign()
        done.action_check_in()
        done.action_done()
        done.action_resident_confirm()
        done.rating = "4"
        self.env.flush_all()
        Report = self.env["property.request.report"]
        groups = Report._read_group(
            [("technician_id", "=", self.plumber.id)],
            ["technician_id"],
            ["sla_hit_rate:avg", "rating:avg", "request_count:sum"],
        )
        self.assertEqual(groups, [(self.plumber, 100.0, 4.0, 1)])
