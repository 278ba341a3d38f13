import base64
from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common import T0, SecurityTestCommon


@tagged("post_install", "-at_install")
class TestVisitorPass(SecurityTestCommon):
    def _register(self, **vals):
        values = {
            "unit_id": self.unit_a.id,
            "name": "王芳",
            "phone": "13700002222",
            "purpose": "探亲",
            "visit_start": T0,
            "visit_end": T0 + timedelta(hours=3),
            "plate": "浙A·12345",
            "max_uses": 1,
        }
        values.update(vals)
        return self.Visitor._portal_register(self.owner, values)

    def _scan(self, visitor, at, gate=None, direction="entry"):
        return self.Visitor.with_user(self.user_guard)._scan_pass(
            visitor.pass_token, gate or self.gate_a, direction, at=at
        )

    def test_portal_registration_issues_pass(self):
        visitor = self._register()
        self.assertEqual((visitor.state, visitor.registration), ("approved", "pre_registered"))
        self.assertEqual(visitor.host_partner_id, self.owner)
        self.assertTrue(visitor.pass_token)
        self.assertTrue(base64.b64decode(visitor.pass_qr).startswith(b"\x89PNG"))
        self.assertEqual(visitor.estate_id, self.estate_a)
        with self.assertRaises(UserError):
            self.Visitor._portal_register(
                self.owner,
                {
                    "unit_id": self.unit_b.id,
                    "name": "X",
                    "visit_start": T0,
                    "visit_end": T0 + timedelta(hours=1),
                },
            )

    def test_valid_pass_then_used_up(self):
        visitor = self._register(max_uses=2)
        result = self._scan(visitor, T0 + timedelta(minutes=10))
        self.assertTrue(result["allowed"], result["reason"])
        self.assertEqual(visitor.use_count, 1)
        exit_ = self._scan(visitor, T0 + timedelta(minutes=50), direction="exit")
        self.assertTrue(exit_["allowed"])
        self.assertTrue(self._scan(visitor, T0 + timedelta(minutes=60))["allowed"])
        used_up = self._scan(visitor, T0 + timedelta(minutes=70))
        self.assertFalse(used_up["allowed"])
        self.assertEqual(used_up["reason"], "The pass is used up.")
        self.assertEqual(visitor.use_count, 2)
        logs = visitor.access_log_ids.sorted("date")
        self.assertEqual(logs.mapped("direction"), ["entry", "exit", "entry", "entry"])
        self.assertEqual(logs.mapped("is_allowed"), [True, True, True, False])
        self.assertEqual(logs.gate_id, self.gate_a)
        self.assertEqual(logs[0].user_id, self.user_guard)
        self.assertEqual(logs[-1].reason, "The pass is used up.")

    def test_outside_window(self):
        visitor = self._register()
        early = self._scan(visitor, T0 - timedelta(minutes=30))
        self.assertEqual((early["allowed"], early["reason"]), (False, "The pass is not valid yet."))
        late = self._scan(visitor, T0 + timedelta(hours=4))
        self.assertEqual((late["allowed"], late["reason"]), (False, "The pass has expired."))
        self.assertEqual(visitor.use_count, 0)
        self.assertEqual(len(visitor.access_log_ids.filtered(lambda log: not log.is_allowed)), 2)

    def test_revoked_wrong_estate_unknown(self):
        visitor = self._register()
        other_gate = self._scan(visitor, T0 + timedelta(minutes=5), gate=self.gate_b)
        self.assertEqual(other_gate["reason"], "This pass is for another estate.")
        visitor.with_user(self.user_guard).action_revoke()
        revoked = self._scan(visitor, T0 + timedelta(minutes=5))
        self.assertEqual((revoked["allowed"], revoked["reason"]), (False, "The pass was revoked."))
        unknown = self.Visitor._scan_pass("not-a-token", self.gate_a, at=T0)
        self.assertFalse(unknown["allowed"])
        self.assertEqual(unknown["log"].reason, "Unknown pass.")

    def test_walk_in_needs_host_approval(self):
        with freeze_time(T0):
            visitor = self.Visitor.with_user(self.user_frontdesk).create(
                {
                    "name": "快递员",
                    "unit_id": self.unit_a.id,
                    "host_partner_id": self.owner.id,
                    "purpose": "送货",
                }
            )
            self.assertEqual((visitor.state, visitor.registration), ("pending_approval", "walk_in"))
            self.assertFalse(visitor.sudo().pass_token)
            self.assertIn(self.owner, visitor.message_ids.partner_ids, "the host is asked")
            with self.assertRaises(UserError):
                visitor._approve_by_host(self.owner_b)  # not of this household
            visitor._approve_by_host(self.owner)
            self.assertEqual(visitor.state, "approved")
            self.assertTrue(visitor.sudo().pass_token)
            self.assertTrue(self._scan(visitor, T0 + timedelta(minutes=1))["allowed"])
            with self.assertRaises(UserError):
                visitor._refuse_by_host(self.owner)
            refused = self.Visitor.create(
                {"name": "推销员", "unit_id": self.unit_a.id, "host_partner_id": self.owner.id}
            )
            refused._refuse_by_host(self.owner)
            self.assertEqual(refused.state, "refused")

    def test_pending_visitor_refused_at_gate(self):
        with freeze_time(T0):
            visitor = self.Visitor.create(
                {"name": "访客", "unit_id": self.unit_a.id, "host_partner_id": self.owner.id}
            )
            visitor.sudo().pass_token = "manual-token"
            result = self._scan(visitor, T0 + timedelta(minutes=1))
        self.assertEqual(result["reason"], "The visit is not approved.")

    def test_face_credential_needs_consent(self):
        visitor_partner = self.env["res.partner"].create({"name": "王芳"})
        visitor = self._register()
        with self.assertRaises(ValidationError):
            visitor.write({"visitor_partner_id": visitor_partner.id, "face_token": "FACE-001"})
        consent = self.env["property.consent"].create(
            {"partner_id": visitor_partner.id, "purpose": "face_recognition", "channel": "in_person"}
        )
        visitor.write({"visitor_partner_id": visitor_partner.id, "face_token": "FACE-001"})
        self.assertTrue(visitor.sudo().pass_token, "a pass is issued anyway")
        result = self.Visitor._scan_face("FACE-001", self.gate_a, at=T0 + timedelta(minutes=3))
        self.assertTrue(result["allowed"])
        self.assertEqual(result["log"].credential, "face")
        consent.action_withdraw()
        self.assertFalse(visitor.face_token)
        # residents: the same rule
        with self.assertRaises(ValidationError):
            self.owner.security_face_token = "FACE-RES-1"
        self.env["property.consent"].create({"partner_id": self.owner.id, "purpose": "face_recognition"})
        self.owner.security_face_token = "FACE-RES-1"
        self.assertTrue(self.Visitor._scan_face("FACE-RES-1", self.gate_a, at=T0)["allowed"])
        self.assertFalse(self.Visitor._scan_face("FACE-RES-1", self.gate_b, at=T0)["allowed"])


@tagged("post_install", "-at_install")
class TestPlates(SecurityTestCommon):
    def test_resident_and_visitor_plates(self):
        self.Plate.create({"name": "浙a 88888", "partner_id": self.owner.id, "unit_id": self.unit_a.id})
        self.assertEqual(self.Plate._check_plate("浙A88888", self.gate_a, at=T0), (True, ""))
        allowed, reason = self.Plate._check_plate("浙A-88888", self.gate_b, at=T0)
        self.assertFalse(allowed)
        self.assertEqual(reason, "The vehicle is registered at another estate.")
        visitor = self.Visitor._portal_register(
            self.owner,
            {
                "unit_id": self.unit_a.id,
                "name": "赵六",
                "visit_start": T0,
                "visit_end": T0 + timedelta(hours=2),
                "plate": "沪B·54321",
            },
        )
        self.assertEqual(visitor.plate, "沪B·54321")
        self.assertEqual(
            self.Plate._check_plate("沪B54321", self.gate_a, at=T0 + timedelta(minutes=5)), (True, "")
        )
        self.assertEqual(visitor.use_count, 1)
        self.assertEqual(
            self.Plate._check_plate("沪B54321", self.gate_a, at=T0 + timedelta(hours=3)),
            (False, "The pass has expired."),
        )
        self.assertEqual(self.Plate._check_plate("京C00000", self.gate_a, at=T0), (False, "Unknown plate."))
        logs = self.env["property.security.access.log"].search([("credential", "=", "plate")])
        self.assertEqual(len(logs), 5)
        self.assertEqual(set(logs.mapped("plate")), {"浙A88888", "沪B54321", "京C00000"})

    def test_former_resident_plate_refused(self):
        self.Plate.create({"name": "浙A11111", "partner_id": self.owner.id})
        self.assertTrue(self.Plate._check_plate("浙A11111", self.gate_a, at=T0)[0])
        self.occupancy.action_end(self.occupancy.date_start.replace(year=2022))
        self.assertFalse(self.Plate._check_plate("浙A11111", self.gate_a, at=T0)[0])


@tagged("post_install", "-at_install")
class TestGatePerformance(SecurityTestCommon):
    def test_scan_pass_query_count(self):
        """Scanning a pass at the gate is the hot path: a fixed number of queries."""
        visitors = self.env["property.security.visitor"]
        for i in range(3):
            visitors |= self.Visitor._portal_register(
                self.owner,
                {
                    "unit_id": self.unit_a.id,
                    "name": f"访客{i}",
                    "visit_start": T0,
                    "visit_end": T0 + timedelta(hours=2),
                    "max_uses": 5,
                },
            )
        Visitor = self.Visitor.with_user(self.user_guard)
        Visitor._scan_pass(
            visitors[0].pass_token, self.gate_a, at=T0 + timedelta(minutes=1)
        )  # warm the caches
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(6):
            Visitor._scan_pass(visitors[1].pass_token, self.gate_a, at=T0 + timedelta(minutes=2))


@tagged("post_install", "-at_install")
class TestGateCheckScreen(SecurityTestCommon):
    def _visit(self, hours=1, host=None, unit=None, name="王芳"):
        """A pass registered on the portal by ``host`` (the owner of unit A), from T0."""
        return self.Visitor._portal_register(
            host or self.owner,
            {
                "unit_id": (unit or self.unit_a).id,
                "name": name,
                "visit_start": T0,
                "visit_end": T0 + timedelta(hours=hours),
            },
        )

    def test_gate_check_wizard(self):
        with freeze_time(T0 + timedelta(minutes=5)):
            visitor = self._visit()
            wizard = self.env["property.security.gate.check.wizard"].with_user(self.user_frontdesk).create({})
            self.assertEqual(wizard.gate_id, self.gate_a, "the gate of the user's estate")
            wizard.token = visitor.pass_token
            action = wizard.action_check_pass()
            self.assertEqual(action["res_id"], wizard.id)
            self.assertEqual((wizard.is_allowed, wizard.visitor_id), (True, visitor))
            wizard.token = visitor.pass_token
            wizard.action_check_pass()
            self.assertEqual((wizard.is_allowed, wizard.reason), (False, "The pass is used up."))
            wizard.plate = "京C00000"
            wizard.action_check_plate()
            self.assertEqual((wizard.is_allowed, wizard.reason), (False, "Unknown plate."))
        self.assertEqual(len(self.gate_a.access_log_ids), 3)

    def test_gate_result_shows_unit_and_validity(self):
        """The guard reads whose pass it is, the unit and the validity in his time zone."""
        self.user_guard.tz = "Asia/Shanghai"
        with freeze_time(T0 + timedelta(minutes=5)):
            visitor = self._visit(hours=4)
            wizard = self.env["property.security.gate.check.wizard"].with_user(self.user_guard).create({})
            wizard.token = visitor.pass_token
            action = wizard.action_check_pass()
        self.assertEqual(action["name"], "Gate Check Result", "the dialog has a title, not Odoo's")
        self.assertTrue(wizard.is_allowed)
        self.assertEqual(wizard.visitor_id, visitor)
        self.assertEqual(wizard.result_unit, "翠湖花园 3号楼 0502")
        self.assertEqual(
            wizard.result_validity, "2025-03-10 10:00 – 14:00", "Shanghai time, 10:00 is 02:00 UTC"
        )
        self.assertEqual(wizard.result_entries, "1 / 1")

    def test_gate_refuses_another_estates_pass_and_tells_nothing_of_it(self):
        """A guard of estate A scans a pass of estate B at his gate: refused, logged, and the
        screen shows neither the visitor nor the unit nor the validity of the other estate."""
        with freeze_time(T0 + timedelta(minutes=5)):
            visitor_b = self._visit(hours=4, host=self.owner_b, unit=self.unit_b, name="孙丽")
            wizard = self.env["property.security.gate.check.wizard"].with_user(self.user_guard).create({})
            self.assertEqual(wizard.gate_id, self.gate_a)
            wizard.token = visitor_b.sudo().pass_token
            wizard.action_check_pass()
        self.assertFalse(wizard.is_allowed)
        self.assertEqual(wizard.reason, "This pass is for another estate.")
        self.assertFalse(wizard.visitor_id | wizard.sudo().visitor_id)
        self.assertFalse(wizard.result_unit or wizard.result_validity or wizard.result_entries)
        self.assertEqual(visitor_b.use_count, 0)
        log = self.gate_a.access_log_ids
        self.assertEqual((len(log), log.is_allowed, log.user_id), (1, False, self.user_guard))
        # nor can he check it at the other estate's gate, with a forged gate id
        wizard.write({"gate_id": self.gate_b.id, "token": visitor_b.sudo().pass_token})
        with self.assertRaises(AccessError):
            wizard.action_check_pass()
        wizard.plate = "浙A-88888"
        with self.assertRaises(AccessError):
            wizard.action_check_plate()
        self.assertFalse(self.gate_b.access_log_ids)

    def test_front_desk_form_proposes_the_units_resident(self):
        """The front desk picks a unit: its resident becomes the host; another unit clears it."""
        form = Form(self.Visitor.with_user(self.user_frontdesk))
        form.name = "王先生"
        form.unit_id = self.unit_a
        self.assertEqual(form.host_partner_id, self.owner)
        self.assertIn(self.owner, form.host_candidate_ids)
        form.unit_id = self.unit_a2
        self.assertFalse(form.host_partner_id, "the other unit's host is not kept")
        form.unit_id = self.unit_a
        visitor = form.save()
        self.assertEqual(visitor.host_partner_id, self.owner)
        self.assertEqual(visitor.company_id, self.unit_a.company_id)
