from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import NOW, WorkorderCase

LEAK = "厨房水管漏水，水流了一地，麻烦尽快处理"


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestAutoDispatch(WorkorderCase):
    """Requests from the portal, the phone and devices are dispatched on creation when the
    classifier is confident and a team covers the category; the others wait for triage."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the estate's team covers plumbing and electrical, not elevators
        cls.team.category_ids = cls.cat_plumbing | cls.cat_electrical
        cls.lift_tech = cls._make_technician("电梯师傅", [cls.cat_elevator])
        cls.Request = cls.env["property.request"]

    def _phone(self, description=LEAK, **vals):
        values = {"description": description, "estate_id": self.estate.id, "unit_id": self.unit_a.id}
        values.update(vals)
        return self.Request._create_from_source("phone", values)

    def assert_triage(self, request):
        self.assertEqual(request.state, "new")
        self.assertFalse(request.technician_id)
        self.assertTrue(request.needs_triage)
        self.assertIn(request, self.Request.search([("needs_triage", "=", True), ("state", "=", "new")]))

    def test_phone_request_classified_and_dispatched(self):
        self._check_in(self.plumber)
        request = self._phone()
        self.assertEqual(request.category_id, self.cat_plumbing, "classified")
        self.assertFalse(request.needs_triage)
        self.assertEqual((request.state, request.dispatch_mode), ("assigned", "auto"))
        self.assertEqual(request.technician_id, self.plumber)
        self.assertIn("skill 40", request.dispatch_explanation)

    def test_portal_request_dispatched(self):
        request = self.Request._portal_create_request(
            self.resident, {"unit_id": self.unit_a.id, "description": LEAK}
        )
        self.assertEqual(request.source, "portal")
        self.assertEqual((request.state, request.technician_id), ("assigned", self.plumber))

    def test_iot_request_dispatched(self):
        request = self.Request._create_from_source(
            "iot",
            {"description": "IoT alarm", "estate_id": self.estate.id, "category_id": self.cat_electrical.id},
        )
        self.assertEqual((request.state, request.technician_id), ("assigned", self.electrician))

    def test_batch_dispatched_with_the_one_score(self):
        Request = self.Request
        scored = []
        score_technician = Request._score_technician

        def spy(tech, *args):
            scored.append(tech["id"])
            return score_technician(tech, *args)

        with patch.object(type(Request), "_score_technician", staticmethod(spy)):
            requests = Request._create_from_source(
                "phone",
                [
                    {"description": LEAK, "estate_id": self.estate.id, "category_id": self.cat_plumbing.id},
                    {
                        "description": "客厅插座没电",
                        "estate_id": self.estate.id,
                        "category_id": self.cat_electrical.id,
                    },
                ],
            )
        self.assertEqual(requests.mapped("state"), ["assigned", "assigned"])
        self.assertEqual(requests.technician_id, self.plumber | self.electrician)
        # only members of the covering team were scored: never the lift technician
        self.assertNotIn(self.lift_tech.id, scored)
        self.assertTrue(scored)

    def test_front_desk_walk_in_is_not_dispatched_automatically(self):
        request = self._request(description=LEAK)
        self.assertEqual((request.source, request.state), ("front_desk", "new"))
        self.assertFalse(request.needs_triage)

    def test_low_confidence_goes_to_triage_not_to_a_person(self):
        self.env["ir.config_parameter"].set_param("property_workorder.classifier_threshold", "0.999")
        for source in ("phone", "portal", "iot"):
            with self.subTest(source=source):
                request = self.Request._create_from_source(
                    source, {"description": "你好，请回电", "estate_id": self.estate.id}
                )
                self.assertFalse(request.category_id)
                self.assert_triage(request)
        # asking for automatic dispatch does not send it to whoever scores best either
        request = self._phone("你好，请回电", dispatch_mode="auto")
        self.assert_triage(request)
        with self.assertRaises(UserError):
            request.action_dispatch_auto()
        # once triaged, it is dispatched by hand as usual
        request.category_id = self.cat_plumbing
        self.assertFalse(request.needs_triage)
        request.action_dispatch_auto()
        self.assertEqual(request.technician_id, self.plumber)

    def test_category_no_team_covers_goes_to_triage(self):
        # the lift technician is qualified, but his team does not cover elevators
        request = self._phone("5栋电梯困人了，有人被关在里面，快来人")
        self.assertEqual(request.category_id, self.cat_elevator)
        self.assert_triage(request)
        self.assertIn("No service team covers", request.message_ids[0].body)

    def test_team_of_another_estate_does_not_cover(self):
        request = self._phone(estate_id=self.estate_far.id, unit_id=False, common_area="大门")
        self.assertEqual(request.category_id, self.cat_plumbing)
        self.assert_triage(request)

    def test_team_without_estate_covers_its_members_estates(self):
        self.team.estate_id = False
        request = self._phone()
        self.assertEqual(request.technician_id, self.plumber)
        request = self._phone(estate_id=self.estate_far.id, unit_id=False, common_area="大门")
        self.assert_triage(request)

    def test_company_and_estate_may_turn_it_off(self):
        self.company.property_auto_dispatch = False
        request = self._phone()
        self.assertEqual(request.state, "new")
        self.assertFalse(request.needs_triage, "a confident request waits for a person, not for triage")
        self.company.property_auto_dispatch = True
        self.estate.is_auto_dispatch = False
        self.assertEqual(self._phone().state, "new")
        self.estate.is_auto_dispatch = True
        self.assertEqual(self._phone().state, "assigned")
