from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDemoHistory(TransactionCase):
    """The history ``make run`` adds to the demo: figures of past months, once."""

    def counts(self):
        return {
            model: self.env[model].search_count([])
            for model in ("property.bill", "account.payment", "property.request", "property.iot.reading")
        }

    def test_history_fills_the_cockpit_once(self):
        manager = new_test_user(
            self.env, login="t_hist_manager", groups="property_base.group_property_manager"
        )
        cockpit = self.env["property.cockpit"].with_user(manager)
        before = cockpit.get_cockpit_data()
        counts_before = self.counts()
        feedback_before = (
            self.env["property.feedback"].search_count([]) if "property.feedback" in self.env else 0
        )
        resident = self.env.ref("property_base.user_resident_demo", raise_if_not_found=False)

        self.assertTrue(self.env["property.cockpit"]._generate_demo_history(months=2))

        self.assertGreater(self.counts()["property.bill"], counts_before["property.bill"])
        if resident:
            # the demo resident keeps bills to pay on the portal
            bills = self.env["property.bill"].search([("partner_id", "=", resident.partner_id.id)])
            self.assertTrue(bills.filtered(lambda b: b.state in ("open", "partial")))

        after = cockpit.get_cockpit_data()
        rates = [month["rate"] for month in after["collection"]["trend"][-3:-1]]
        self.assertTrue(all(rate and 0 < rate <= 100 for rate in rates), rates)
        self.assertGreater(after["arrears"]["total"], before["arrears"]["total"])
        self.assertGreater(after["arrears"]["count"], 0)
        self.assertGreater(after["satisfaction"]["count"], before["satisfaction"]["count"])
        self.assertTrue(3 <= after["satisfaction"]["average"] <= 5)
        self.assertTrue(any(team["done"] for team in after["teams"]["teams"]))
        self.assertTrue(any(month["residents"] for month in after["activity"]["trend"]))

        if "property.feedback" in self.env:  # property_portal installed: surveys and feedback too
            self.assertGreater(self.env["property.feedback"].search_count([]), feedback_before)
            surveys = (
                self.env["survey.survey"]
                .with_context(active_test=False)
                .search([("is_property_survey", "=", True), ("user_input_ids", "!=", False)])
            )
            self.assertTrue(surveys)

        counts = self.counts()
        self.assertFalse(self.env["property.cockpit"]._generate_demo_history(months=2))
        self.assertEqual(self.counts(), counts)
