"""Visitors' numbers and every security record of another estate, seen by staff of estate A."""

from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.property_base.tests.common import AttackerMixin

from .common import T0, SecurityTestCommon


@tagged("post_install", "-at_install")
class TestSecurityAttacker(AttackerMixin, SecurityTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = cls.user_frontdesk | cls.user_technician | cls.user_accountant | cls.user_guard

        def register(host, unit, phone):
            return cls.Visitor._portal_register(
                host,
                {
                    "unit_id": unit.id,
                    "name": "王芳",
                    "phone": phone,
                    "visit_start": T0,
                    "visit_end": T0 + timedelta(hours=3),
                    "plate": "浙A·12345",
                },
            )

        cls.visitor_a = register(cls.owner, cls.unit_a, "13700002222")
        cls.visitor_b = register(cls.owner_b, cls.unit_b, "13700003333")

    def test_visitor_phone_masked(self):
        for user in self.staff | self.user_guard2:
            with self.subTest(user=user.login):
                Visitor = self.env["property.security.visitor"].with_user(user)
                try:
                    visitor = Visitor.search([("id", "=", self.visitor_a.id)])
                except AccessError:
                    continue  # no access to visitors at all
                if not visitor:
                    continue
                self.assertEqual(visitor.read(["phone"])[0]["phone"], "137****2222")
                with self.assertRaises(AccessError):
                    Visitor.search_count([("phone", "=like", "137%")])
        # the host who gave the number, the manager
        self.assertEqual(
            self.visitor_a.with_user(self.user_manager).read(["phone"])[0]["phone"], "13700002222"
        )

    def test_generic_sweep(self):
        samples = self.pii_samples()
        self.assertIn("property.security.visitor", samples)
        self.assert_no_pii_leak(self.staff | self.user_guard2, samples)

    def test_every_estate_model_isolated(self):
        checked = self.assert_estate_isolated(self.staff | self.user_guard2, self.estate_b)
        self.assertIn("property.security.visitor", checked)
