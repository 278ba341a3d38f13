from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import consteq

from .tools import current_household_units, new_token, normalize_plate, qr_png

VISITOR_STATES = [
    ("pending_approval", "Waiting for the Host"),
    ("approved", "Approved"),
    ("refused", "Refused"),
    ("cancelled", "Cancelled"),
]
REGISTRATIONS = [
    ("pre_registered", "Pre-registered by the Resident"),
    ("walk_in", "Walk-in at the Front Desk"),
]
ANONYMISED_NAME = "***"


class PropertySecurityVisitor(models.Model):
    """A visit: who comes, to which household, when; and the QR pass that lets them in."""

    _name = "property.security.visitor"
    _description = "Visitor"
    # portal.mixin: the pass's share link (``access_token``), opened without an account
    _inherit = ["mail.thread", "portal.mixin"]
    _order = "visit_start desc, id desc"
    _check_company_auto = True
    # the visitor's number: masked below manager, except for the host who gave it
    _property_pii_fields = ("phone",)
    _property_pii_partner_field = "host_partner_id"

    name = fields.Char(string="Visitor", required=True, tracking=True)
    phone = fields.Char()
    purpose = fields.Char()
    plate = fields.Char(string="Vehicle Plate")
    visitor_partner_id = fields.Many2one(
        "res.partner",
        string="Visitor Contact",
        help="The visitor's own contact, needed to record consents such as face recognition.",
    )
    host_partner_id = fields.Many2one(
        "res.partner",
        string="Host",
        required=True,
        index=True,
        tracking=True,
        domain="[('id', 'in', host_candidate_ids)]",
    )
    host_candidate_ids = fields.Many2many(
        "res.partner",
        compute="_compute_host_candidate_ids",
        help="The people who currently live in (or own) the unit: the hosts the front desk can pick.",
    )
    unit_id = fields.Many2one("property.unit", required=True, index=True, ondelete="restrict")
    estate_id = fields.Many2one(related="unit_id.estate_id", store=True, index=True)
    building_id = fields.Many2one(related="unit_id.building_id", store=True)
    company_id = fields.Many2one(related="unit_id.company_id", store=True, index=True)
    visit_start = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    visit_end = fields.Datetime(
        required=True, default=lambda self: fields.Datetime.now() + timedelta(hours=4), tracking=True
    )
    registration = fields.Selection(REGISTRATIONS, required=True, default="walk_in", readonly=True)
    state = fields.Selection(
        VISITOR_STATES, required=True, default="pending_approval", tracking=True, readonly=True
    )
    pass_token = fields.Char(
        readonly=True, copy=False, index=True, groups="property_base.group_property_user,base.group_portal"
    )
    pass_qr = fields.Binary(string="QR Pass", compute="_compute_pass_qr", attachment=False)
    max_uses = fields.Integer(string="Allowed Entries", default=1, required=True)
    use_count = fields.Integer(string="Entries Used", readonly=True, copy=False)
    is_revoked = fields.Boolean(string="Revoked", readonly=True, copy=False, tracking=True)
    face_token = fields.Char(
        string="Face Credential",
        copy=False,
        groups="property_base.group_property_security",
        help="Reference of the visitor's template on the external face device; kept only with "
        "the visitor's face-recognition consent. A QR pass is issued anyway.",
    )
    access_log_ids = fields.One2many("property.security.access.log", "visitor_id", string="Entries and Exits")
    is_anonymised = fields.Boolean(readonly=True, copy=False)
    date_anonymised = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        ("window_ordered", "CHECK(visit_end > visit_start)", "A visit ends after it starts."),
        ("max_uses_positive", "CHECK(max_uses >= 1)", "A pass allows at least one entry."),
        ("pass_token_uniq", "unique(pass_token)", "A pass token is unique."),
    ]

    @api.depends("unit_id")
    def _compute_host_candidate_ids(self):
        for visitor in self:
            visitor.host_candidate_ids = visitor.unit_id.current_occupancy_ids.partner_id

    @api.onchange("unit_id")
    def _onchange_unit_id_host(self):
        """Picking the unit proposes its primary contact as host; another unit's host is cleared."""
        if self.host_partner_id and self.host_partner_id not in self.host_candidate_ids:
            self.host_partner_id = False
        if not self.host_partner_id:
            occupancies = self.unit_id.current_occupancy_ids.sorted(
                lambda o: (not o.is_primary_contact, o.id)
            )
            self.host_partner_id = occupancies[:1].partner_id

    @api.depends("pass_token")
    def _compute_pass_qr(self):
        for visitor in self:
            visitor.pass_qr = qr_png(visitor.sudo().pass_token)

    @api.constrains("face_token", "visitor_partner_id")
    def _check_face_consent(self):
        for visitor in self.sudo().filtered("face_token"):
            if not visitor.visitor_partner_id or not visitor.visitor_partner_id._security_has_face_consent():
                raise ValidationError(
                    self.env._(
                        "A face credential is kept only with the visitor's separate face-recognition consent."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        visitors = super().create(vals_list)
        visitors.filtered(lambda v: v.state == "approved")._issue_pass()
        for visitor in visitors.filtered(lambda v: v.state == "pending_approval"):
            visitor._notify_host()
        visitors._sync_plates()
        return visitors

    def write(self, vals):
        res = super().write(vals)
        if "plate" in vals:
            self._sync_plates()
        return res

    def _sync_plates(self):
        Plate = self.env["property.security.vehicle.plate"].sudo()
        for visitor in self:
            plates = Plate.with_context(active_test=False).search([("visitor_id", "=", visitor.id)])
            number = normalize_plate(visitor.plate)
            if not number:
                plates.unlink()
            elif plates:
                plates.write({"name": number})
            else:
                Plate.create({"name": number, "visitor_id": visitor.id})

    def _issue_pass(self):
        for visitor in self:
            if not visitor.sudo().pass_token:
                visitor.sudo().pass_token = new_token()
            visitor.sudo()._portal_ensure_token()

    def _compute_access_url(self):
        """The pass's share link: the visitor opens it without an account (property_portal)."""
        for visitor in self:
            visitor.access_url = f"/visitor/pass/{visitor.id}"

    def _get_pass_share_url(self):
        """The link the host sends to the visitor: the pass page, signed with its access token."""
        self.ensure_one()
        return self.sudo()._get_share_url()

    def _is_pass_shown(self, access_token, at=None):
        """Whether the share link with ``access_token`` shows this pass now: the token matches
        (compared in constant time), the visit is approved, not revoked, and not over yet. The
        link expires with the pass."""
        self.ensure_one()
        visitor = self.sudo()
        at = at or fields.Datetime.now()
        return bool(
            access_token
            and isinstance(access_token, str)
            and visitor.access_token
            and consteq(visitor.access_token, access_token)
            and visitor.state == "approved"
            and not visitor.is_revoked
            and not visitor.is_anonymised
            and at <= visitor.visit_end
        )

    def _notify_host(self):
        self.ensure_one()
        self.sudo().message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "%(visitor)s is at the front desk to visit %(unit)s. Please approve or refuse the visit.",
                visitor=self.name,
                unit=self.unit_id.code,
            ),
            partner_ids=self.host_partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )

    # ------------------------------------------------------------------
    # Household: residents register and approve their own visitors only
    # ------------------------------------------------------------------
    @api.model
    def _check_household(self, partner, unit):
        if not partner or not unit or not current_household_units(self.env, partner, unit):
            raise UserError(self.env._("Only a current resident of %s can do this.", unit.code or "-"))

    @api.model
    def _portal_register(self, partner, vals):
        """A resident pre-registers a visitor of their household: approved at once, with a pass.

        ``vals``: unit_id, name, phone, purpose, visit_start, visit_end, plate, max_uses."""
        unit = self.env["property.unit"].sudo().browse(vals.get("unit_id")).exists()
        self._check_household(partner, unit)
        allowed = {"unit_id", "name", "phone", "purpose", "visit_start", "visit_end", "plate", "max_uses"}
        values = {key: value for key, value in vals.items() if key in allowed}
        values.update(host_partner_id=partner.id, registration="pre_registered", state="approved")
        return self.sudo().create(values)

    def _host_decide(self, partner, approve=True):
        """The host household approves or refuses a walk-in visitor."""
        for visitor in self.sudo():
            self._check_household(partner, visitor.unit_id)
            if visitor.state != "pending_approval":
                raise UserError(self.env._("Visitor %s is not waiting for approval.", visitor.name))
            visitor.write({"state": "approved" if approve else "refused"})
            if approve:
                visitor._issue_pass()
            visitor.message_post(
                body=self.env._("Visit approved by %s.", partner.name)
                if approve
                else self.env._("Visit refused by %s.", partner.name)
            )
        return True

    def _approve_by_host(self, partner):
        return self._host_decide(partner, approve=True)

    def _refuse_by_host(self, partner):
        return self._host_decide(partner, approve=False)

    def action_approve(self):
        """Front desk approval on the host's behalf (e.g. the host confirmed by phone)."""
        for visitor in self:
            if visitor.state != "pending_approval":
                raise UserError(self.env._("Visitor %s is not waiting for approval.", visitor.name))
        self.write({"state": "approved"})
        self._issue_pass()
        self.message_post(body=self.env._("Approved at the front desk on the host's confirmation."))
        return True

    def action_refuse(self):
        for visitor in self:
            if visitor.state != "pending_approval":
                raise UserError(self.env._("Visitor %s is not waiting for approval.", visitor.name))
        self.write({"state": "refused"})
        return True

    def action_revoke(self):
        self.sudo().write({"is_revoked": True})
        self.message_post(body=self.env._("Pass revoked by %s.", self.env.user.name))
        return True

    def action_cancel(self):
        self.write({"state": "cancelled", "is_revoked": True})
        return True

    # ------------------------------------------------------------------
    # Gate checks
    # ------------------------------------------------------------------
    def _pass_refusal(self, gate, direction, at):
        """Why this visitor cannot pass ``gate`` now (False: they can)."""
        self.ensure_one()
        if self.estate_id != gate.estate_id:
            return self.env._("This pass is for another estate.")
        if direction == "exit":
            return False  # nobody is kept in
        if self.state != "approved":
            return self.env._("The visit is not approved.")
        if self.is_revoked:
            return self.env._("The pass was revoked.")
        if at < self.visit_start:
            return self.env._("The pass is not valid yet.")
        if at > self.visit_end:
            return self.env._("The pass has expired.")
        if self.use_count >= self.max_uses:
            return self.env._("The pass is used up.")
        return False

    def _pass_gate(self, gate, direction, credential, at, plate=None):
        """Check one visitor at a gate, log it, count an allowed entry."""
        self.ensure_one()
        reason = self._pass_refusal(gate, direction, at)
        if not reason and direction == "entry":
            self.sudo().use_count += 1
        log = (
            self.env["property.security.access.log"]
            .sudo()
            ._log(
                gate,
                direction,
                credential,
                allowed=not reason,
                reason=reason,
                visitor=self,
                at=at,
                plate=plate,
            )
        )
        return {"allowed": not reason, "reason": reason or "", "visitor": self, "log": log}

    @api.model
    def _scan_pass(self, token, gate, direction="entry", at=None):
        """Validate a scanned QR pass at ``gate``. Returns ``{allowed, reason, visitor, log}``;
        refused attempts are logged too."""
        at = at or fields.Datetime.now()
        visitor = self.sudo().search([("pass_token", "=", token)], limit=1) if token else self.browse()
        if not visitor:
            log = (
                self.env["property.security.access.log"]
                .sudo()
                ._log(gate, direction, "qr", allowed=False, reason=self.env._("Unknown pass."), at=at)
            )
            return {"allowed": False, "reason": log.reason, "visitor": visitor, "log": log}
        return visitor._pass_gate(gate, direction, "qr", at)

    @api.model
    def _scan_face(self, face_token, gate, direction="entry", at=None):
        """A face device recognised ``face_token``: a visitor's (same rules as the pass) or a
        resident's (a current occupant of the gate's estate)."""
        at = at or fields.Datetime.now()
        Log = self.env["property.security.access.log"].sudo()
        visitor = (
            self.sudo().search([("face_token", "=", face_token)], limit=1) if face_token else self.browse()
        )
        if visitor:
            return visitor._pass_gate(gate, direction, "face", at)
        partner = (
            self.env["res.partner"].sudo().search([("security_face_token", "=", face_token)], limit=1)
            if face_token
            else False
        )
        if partner:
            units = current_household_units(self.env, partner)
            reason = (
                False if gate.estate_id in units.estate_id else self.env._("Not a resident of this estate.")
            )
            log = Log._log(gate, direction, "face", allowed=not reason, reason=reason, partner=partner, at=at)
            return {"allowed": not reason, "reason": reason or "", "visitor": self.browse(), "log": log}
        log = Log._log(gate, direction, "face", allowed=False, reason=self.env._("Unknown face."), at=at)
        return {"allowed": False, "reason": log.reason, "visitor": self.browse(), "log": log}

    # ------------------------------------------------------------------
    # Retention
    # ------------------------------------------------------------------
    @api.model
    def _retention_days(self):
        return int(
            self.env["ir.config_parameter"].sudo().get_param("property_security.visitor_retention_days", 30)
        )

    def _anonymise(self):
        """Erase personal data and keep what statistics need (dates, counts, estate, unit)."""
        now = fields.Datetime.now()
        visitors = self.sudo().with_context(tracking_disable=True, mail_notrack=True)
        visitors.write(
            {
                "name": ANONYMISED_NAME,
                "phone": False,
                "plate": False,
                "face_token": False,
                "visitor_partner_id": False,
                "is_anonymised": True,
                "date_anonymised": now,
            }
        )
        visitors.access_log_ids.write({"plate": False})
        visitors.message_ids.unlink()  # the chatter may repeat the name
        return True

    @api.model
    def _cron_anonymise_visitors(self, limit=1000):
        """Anonymise visits that ended more than the retention period ago. Idempotent, in chunks."""
        cutoff = fields.Datetime.now() - timedelta(days=self._retention_days())
        domain = [("is_anonymised", "=", False), ("visit_end", "<", cutoff)]
        visitors = (
            self.sudo().with_context(active_test=False).search(domain, limit=limit, order="visit_end, id")
        )
        visitors._anonymise()
        # plates read at the gates that matched no resident (unknown or visitors' cars) go too
        logs = (
            self.env["property.security.access.log"]
            .sudo()
            .search([("date", "<", cutoff), ("plate", "!=", False), ("partner_id", "=", False)], limit=limit)
        )
        logs.write({"plate": False})
        if len(visitors) == limit or len(logs) == limit:
            self.env.ref("property_security.ir_cron_property_security_anonymise_visitors")._trigger()
        return len(visitors)
