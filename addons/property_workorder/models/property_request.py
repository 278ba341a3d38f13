"""The service request (报事报修): its fields, its state machine and the entry points other
addons and the portal use.

The model is split by concern into files of the same model (``_inherit``):
``property_request_classification.py`` (category and priority from the text),
``property_request_dispatch.py`` (automatic dispatch, the only part of it reading hr_attendance),
``property_request_sla_tracking.py`` (deadlines, status, warnings and escalation),
``property_request_complaint.py`` (a low rating opens a complaint) and
``property_request_stock.py`` (materials out of stock)."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.property_base.tools.pii import is_masked, mask_text

from ..tools.geo import distance_m
from .property_request_sla import REQUEST_PRIORITIES

REQUEST_STATES = [
    ("new", "New"),
    ("assigned", "Assigned"),
    ("accepted", "Accepted"),
    ("in_progress", "In Progress"),
    ("paused", "Paused"),
    ("done", "Done"),
    ("followup", "Follow-up"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
# states in which a technician still has work to do: the workload used by dispatch
OPEN_STATES = ("assigned", "accepted", "in_progress", "paused")
# states in which the SLA clock runs
ACTIVE_STATES = ("new", *OPEN_STATES)
PAUSE_REASONS = [
    ("parts", "Waiting for Parts"),
    ("resident", "Waiting for the Resident"),
    ("other", "Other"),
]
REQUEST_SOURCES = [
    ("front_desk", "Front Desk"),
    ("phone", "Phone"),
    ("portal", "Resident Portal"),
    ("iot", "IoT Alarm"),
    ("inspection", "Inspection"),
    ("complaint", "Low Rating"),
]
CONTACT_PREFERENCES = [
    ("phone", "Phone Call"),
    ("sms", "SMS"),
    ("wechat", "WeChat"),
    ("portal", "Portal Message"),
]
DISPATCH_MODES = [("manual", "Manual"), ("grab", "Grab Pool"), ("auto", "Automatic")]
RATINGS = [
    ("1", "1 - Very Poor"),
    ("2", "2 - Poor"),
    ("3", "3 - Fair"),
    ("4", "4 - Good"),
    ("5", "5 - Excellent"),
]
# Fields a resident may set through the portal
PORTAL_FIELDS = (
    "description",
    "category_id",
    "unit_id",
    "common_area",
    "contact_phone",
    "contact_preference",
    "preferred_time_from",
    "preferred_time_to",
    "photo_ids",
)


class PropertyRequest(models.Model):
    _name = "property.request"
    _description = "Service Request"
    _inherit = ["property.location.mixin", "mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "priority desc, request_date desc, id desc"
    _check_company_auto = True
    # copied from the reporter: masked below manager (property_base/models/base.py)
    _property_pii_fields = ("contact_phone",)
    _property_pii_partner_field = "partner_id"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    description = fields.Text(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    estate_id = fields.Many2one(tracking=True, check_company=True)
    building_id = fields.Many2one(check_company=True)
    unit_id = fields.Many2one(tracking=True, check_company=True)
    common_area = fields.Char(help="For common areas: where exactly, e.g. '3号楼大堂' or '地下车库B1'.")
    category_id = fields.Many2one(
        "property.request.category", tracking=True, index=True, ondelete="restrict", check_company=True
    )
    priority = fields.Selection(REQUEST_PRIORITIES, default="1", required=True, tracking=True, index=True)
    state = fields.Selection(
        REQUEST_STATES, default="new", required=True, tracking=True, index=True, copy=False
    )
    source = fields.Selection(REQUEST_SOURCES, default="front_desk", required=True)
    origin = fields.Char(help="Reference of the record that raised the request (alarm, inspection run, …).")
    request_date = fields.Datetime(
        string="Reported On", required=True, default=fields.Datetime.now, index=True, copy=False
    )
    # reporter
    partner_id = fields.Many2one("res.partner", string="Reporter", tracking=True, index=True)
    contact_phone = fields.Char()
    contact_preference = fields.Selection(CONTACT_PREFERENCES, default="phone")
    preferred_time_from = fields.Datetime(string="Preferred From")
    preferred_time_to = fields.Datetime(string="Preferred To")
    photo_ids = fields.Many2many(
        "ir.attachment", "property_request_photo_rel", "request_id", "attachment_id", string="Photos"
    )
    # dispatch
    dispatch_mode = fields.Selection(DISPATCH_MODES, default="manual", required=True, tracking=True)
    team_id = fields.Many2one(
        "property.service.team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        check_company=True,
    )
    technician_id = fields.Many2one(
        "hr.employee",
        tracking=True,
        index=True,
        domain="[('is_property_technician', '=', True)]",
        check_company=True,
        copy=False,
    )
    technician_user_id = fields.Many2one(
        related="technician_id.user_id", store=True, index=True, string="Technician User"
    )
    dispatch_explanation = fields.Text(readonly=True, copy=False)
    assigned_date = fields.Datetime(readonly=True, copy=False)
    accepted_date = fields.Datetime(readonly=True, copy=False)
    started_date = fields.Datetime(readonly=True, copy=False)
    done_date = fields.Datetime(readonly=True, copy=False)
    closed_date = fields.Datetime(readonly=True, copy=False)
    # pauses, cancellations, reopenings
    pause_reason = fields.Selection(PAUSE_REASONS, readonly=True, copy=False)
    paused_from_state = fields.Selection(REQUEST_STATES, readonly=True, copy=False)
    state_reason = fields.Text(string="Reason", readonly=True, copy=False)
    reopen_count = fields.Integer(readonly=True, copy=False)
    # execution
    checkin_date = fields.Datetime(string="Checked In", readonly=True, copy=False)
    checkin_latitude = fields.Float(digits=(10, 7), readonly=True, copy=False)
    checkin_longitude = fields.Float(digits=(10, 7), readonly=True, copy=False)
    checkin_distance_m = fields.Float(
        string="Check-in Distance (m)", readonly=True, copy=False, digits=(16, 0)
    )
    labour_hours = fields.Float(copy=False, help="Filled from check-in to done when left empty.")
    currency_id = fields.Many2one(related="company_id.currency_id")
    before_photo_ids = fields.Many2many(
        "ir.attachment",
        "property_request_before_photo_rel",
        "request_id",
        "attachment_id",
        string="Photos Before",
    )
    after_photo_ids = fields.Many2many(
        "ir.attachment",
        "property_request_after_photo_rel",
        "request_id",
        "attachment_id",
        string="Photos After",
    )
    work_note = fields.Text(string="Work Report")
    is_paid_service = fields.Boolean(
        help="The resident pays for this work (e.g. inside their unit): charged on confirmation "
        "through _charge_resident(), which property_billing implements."
    )
    service_fee = fields.Monetary(currency_field="currency_id")
    is_resident_confirmed = fields.Boolean(readonly=True, copy=False, tracking=True)
    resident_confirmed_date = fields.Datetime(readonly=True, copy=False)
    # follow-up
    rating = fields.Selection(RATINGS, copy=False, tracking=True)
    rating_comment = fields.Text(copy=False)
    followup_note = fields.Text(string="Follow-up Call", copy=False)
    followup_date = fields.Datetime(readonly=True, copy=False)
    followup_user_id = fields.Many2one("res.users", readonly=True, copy=False)
    response_hours = fields.Float(compute="_compute_durations", store=True, aggregator="avg")
    resolution_hours = fields.Float(compute="_compute_durations", store=True, aggregator="avg")

    _sql_constraints = [
        (
            "preferred_window",
            "CHECK(preferred_time_to IS NULL OR preferred_time_from IS NULL OR preferred_time_to >= preferred_time_from)",
            "The preferred time window ends before it starts.",
        ),
        ("labour_positive", "CHECK(labour_hours >= 0)", "Labour time cannot be negative."),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("estate_id")
    def _compute_company_id(self):
        for request in self:
            request.company_id = request.estate_id.company_id or request.company_id or self.env.company

    @api.depends("estate_id", "technician_id")
    def _compute_team_id(self):
        for request in self:
            request.team_id = (
                request.technician_id.sudo().property_team_id
                or request.team_id
                or request.estate_id.service_team_ids[:1]
            )

    @api.depends("request_date", "accepted_date", "done_date")
    def _compute_durations(self):
        for request in self:
            start = request.request_date
            request.response_hours = (
                (request.accepted_date - start).total_seconds() / 3600
                if start and request.accepted_date
                else 0.0
            )
            request.resolution_hours = (
                (request.done_date - start).total_seconds() / 3600 if start and request.done_date else 0.0
            )

    @api.constrains("estate_id")
    def _check_estate_id(self):
        # a person must say where (their estates' record rule would otherwise refuse the request
        # with an access error); background work (alarms, inspections) runs as superuser
        if self.env.su:
            return
        for request in self:
            if not request.estate_id:
                raise ValidationError(
                    self.env._(
                        "Choose the estate the request is about: pick a reporter who lives there, "
                        "their unit, or the estate itself."
                    )
                )

    @api.constrains("technician_id", "state")
    def _check_technician(self):
        for request in self:
            if request.state in OPEN_STATES and not request.technician_id:
                raise ValidationError(
                    self.env._("Request %s needs a technician in this state.", request.name)
                )

    # ------------------------------------------------------------------
    # Create / delete
    # ------------------------------------------------------------------
    # ------------------------------------------------------------------
    # The reporter (front desk, phone call)
    # ------------------------------------------------------------------
    @api.onchange("partner_id")
    def _onchange_partner_id_fill_reporter(self):
        """Picking the reporter fills in the unit they live in (and so its building and estate)
        and their phone. Occupancies are read with the user's rights: their estates only."""
        partner = self.partner_id
        if not partner:
            return
        Occupancy = self.env["property.occupancy"]
        occupancies = Occupancy.search(
            [("partner_id", "=", partner._origin.id or partner.id)]
            + Occupancy._get_current_domain(fields.Date.context_today(self)),
            order="is_primary_contact desc, id",
        )
        if occupancies and self.unit_id not in occupancies.unit_id:
            unit = occupancies[0].unit_id
            self.update({"unit_id": unit, "building_id": unit.building_id, "estate_id": unit.estate_id})
        phone = self._get_reporter_phone(partner)
        if phone:
            self.contact_phone = phone

    @api.model
    def _get_reporter_phone(self, partner):
        partner = partner.sudo()
        return partner.mobile or partner.phone or False

    @api.model
    def _unmask_reporter_phone(self, vals, partner):
        """The form shows the phone that picking the reporter filled in masked (PIPL, see
        property_base/models/base.py) to staff below manager. Sent back unchanged, the mask of
        the reporter's own number stands for that number: it tells the sender nothing new."""
        phone = vals.get("contact_phone")
        if is_masked(phone) and partner:
            real = self._get_reporter_phone(partner)
            if real and mask_text(real) == phone:
                vals["contact_phone"] = real

    @api.model_create_multi
    def create(self, vals_list):
        Partner = self.env["res.partner"]
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("property.request") or "/"
            self._unmask_reporter_phone(vals, Partner.browse(vals.get("partner_id")))
        return super().create(vals_list)

    def write(self, vals):
        if is_masked(vals.get("contact_phone")):
            partner = self.env["res.partner"].browse(vals["partner_id"]) if "partner_id" in vals else None
            if (
                partner is None
                and len(self.partner_id) == 1
                and not self.filtered(lambda r: not r.partner_id)
            ):
                partner = self.partner_id
            if partner:
                vals = dict(vals)
                self._unmask_reporter_phone(vals, partner)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        if any(r.state not in ("new", "cancelled") for r in self):
            raise UserError(self.env._("Only new or cancelled requests can be deleted; cancel it instead."))

    # Entry points for other addons and the portal
    # ------------------------------------------------------------------
    @api.model
    def _create_from_source(self, source, vals):
        """Create requests raised by another addon (IoT alarm, inspection finding, …).

        ``source`` is a value of the ``source`` field (this addon's REQUEST_SOURCES and those
        other addons add); ``vals`` a dict of request values, or a list of them (``origin`` may
        hold the raising record's reference). Runs with the caller's rights; returns the new
        requests."""
        if source not in self._fields["source"].get_values(self.env):
            raise UserError(self.env._("Unknown request source: %s", source))
        vals_list = [vals] if isinstance(vals, dict) else vals
        return self.create([dict(v, source=source) for v in vals_list])

    @api.model
    def _portal_create_request(self, partner, vals):
        """Create a request for a resident. The unit must be one the partner currently lives
        in (any current occupancy: owner, co-owner, tenant, family). Only PORTAL_FIELDS are
        taken from ``vals``. Returns the request (sudo: the caller renders it for the portal)."""
        unit = self.env["property.unit"].sudo().browse(vals.get("unit_id")).exists()
        if not unit:
            raise UserError(self.env._("Choose the unit the request is about."))
        occupancy_model = self.env["property.occupancy"].sudo()
        today = fields.Date.context_today(self)
        household = occupancy_model.search_count(
            [("unit_id", "=", unit.id), ("partner_id", "=", partner.id)]
            + occupancy_model._get_current_domain(today),
            limit=1,
        )
        if not household:
            raise AccessError(self.env._("You can only report requests for a unit you currently live in."))
        values = {key: vals[key] for key in PORTAL_FIELDS if key in vals}
        values.update(
            {
                "partner_id": partner.id,
                "source": "portal",
                "company_id": unit.company_id.id,
                "contact_phone": values.get("contact_phone") or partner.mobile or partner.phone,
            }
        )
        request = self.sudo().create(values)
        request.message_subscribe(partner_ids=partner.ids)
        return request

    # ------------------------------------------------------------------
    # Lifecycle (every transition guarded)
    # ------------------------------------------------------------------
    def _check_state(self, allowed, action_label):
        for request in self:
            if request.state not in allowed:
                states = dict(REQUEST_STATES)
                raise UserError(
                    self.env._(
                        "%(action)s is not possible for request %(name)s in state %(state)s.",
                        action=action_label,
                        name=request.name,
                        state=states[request.state],
                    )
                )

    def _set_assigned(self, technician, mode, explanation=False):
        technician = technician.sudo()
        now = fields.Datetime.now()
        self.write(
            {
                "technician_id": technician.id,
                "state": "assigned",
                "dispatch_mode": mode,
                "assigned_date": now,
                "dispatch_explanation": explanation,
            }
        )
        if technician.user_id:
            self._message_subscribe_technician(technician)

    def _message_subscribe_technician(self, technician):
        for request in self:
            request.message_subscribe(partner_ids=technician.user_id.partner_id.ids)

    def action_assign(self):
        """Manual dispatch: the technician chosen on the form."""
        self._check_state(("new", "assigned"), self.env._("Assigning"))
        for request in self:
            if not request.technician_id:
                raise UserError(self.env._("Choose a technician for request %s first.", request.name))
            request._set_assigned(request.technician_id, "manual")
        return True

    def action_put_in_pool(self):
        """Offer the requests in the grab pool (抢单)."""
        self._check_state(("new",), self.env._("Offering in the grab pool"))
        self.write({"dispatch_mode": "grab"})
        return True

    def action_grab(self):
        """A technician claims a pooled request. Atomic: the UPDATE only succeeds while the
        request is still unclaimed, and PostgreSQL's row lock makes a concurrent claim wait and
        then find nothing to update, so two technicians can never both win."""
        self.ensure_one()
        employee = self.env.user.employee_id.sudo()
        if not employee or not employee.is_property_technician:
            raise UserError(self.env._("Only technicians can take requests from the pool."))
        self.check_access("read")
        self.flush_recordset()
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                UPDATE property_request
                   SET technician_id = %s, technician_user_id = %s, state = 'assigned',
                       assigned_date = %s, write_uid = %s, write_date = %s
                 WHERE id = %s AND state = 'new' AND dispatch_mode = 'grab' AND technician_id IS NULL
             RETURNING id
                """,
                employee.id,
                self.env.user.id,
                now,
                self.env.uid,
                now,
                self.id,
            )
        )
        won = bool(self.env.cr.fetchone())
        self.invalidate_recordset()
        if not won:
            raise UserError(self.env._("Request %s has already been taken by someone else.", self.name))
        self.sudo()._message_subscribe_technician(employee)
        self.sudo().message_post(body=self.env._("Taken from the grab pool by %s.", employee.name))
        return True

    def action_accept(self):
        self._check_state(("assigned",), self.env._("Accepting"))
        self.write({"state": "accepted", "accepted_date": fields.Datetime.now()})
        return True

    def action_check_in(self, latitude=None, longitude=None):
        """The technician arrives on site: from the form's check-in button, which sends the
        browser's position, or by RPC. Without a position (none given, location refused) the
        check-in is recorded without one. Starts the work if it was accepted."""
        self._check_state(("assigned", "accepted", "in_progress"), self.env._("Checking in"))
        self.check_access("write")
        has_position = latitude is not None and longitude is not None and (latitude or longitude)
        if has_position and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise UserError(self.env._("The check-in position is not a valid latitude and longitude."))
        now = fields.Datetime.now()
        for request in self:
            vals = {"checkin_date": now}
            if has_position:
                vals.update(checkin_latitude=latitude, checkin_longitude=longitude, checkin_distance_m=0.0)
                estate = request.estate_id
                if estate and estate._has_coordinates():
                    vals["checkin_distance_m"] = distance_m(
                        latitude, longitude, estate.latitude, estate.longitude
                    )
            if request.state == "assigned":
                vals["accepted_date"] = now
            if request.state != "in_progress":
                vals.update(state="in_progress", started_date=request.started_date or now)
            # sudo: the position fields are the check-in's own, refused to a technician's write
            request.sudo().write(vals)
            if has_position:
                body = self.env._("Checked in on site at (%(lat)s, %(lon)s).", lat=latitude, lon=longitude)
            else:
                body = self.env._("Checked in on site without a position.")
            request.message_post(body=body)
        return True

    def action_start(self):
        self._check_state(("accepted",), self.env._("Starting"))
        now = fields.Datetime.now()
        for request in self:
            request.write({"state": "in_progress", "started_date": request.started_date or now})
        return True

    def _action_pause(self, reason_type, reason):
        self._check_state(("assigned", "accepted", "in_progress"), self.env._("Pausing"))
        if not reason:
            raise UserError(self.env._("Give a reason to pause the request."))
        for request in self:
            request.write(
                {
                    "paused_from_state": request.state,
                    "state": "paused",
                    "pause_reason": reason_type,
                    "state_reason": reason,
                }
            )
            request.message_post(
                body=self.env._(
                    "Paused (%(type)s): %(reason)s", type=dict(PAUSE_REASONS)[reason_type], reason=reason
                )
            )
        return True

    def action_resume(self):
        self._check_state(("paused",), self.env._("Resuming"))
        for request in self:
            request.write({"state": request.paused_from_state or "accepted", "pause_reason": False})
        return True

    def action_done(self):
        self._check_state(("in_progress",), self.env._("Finishing"))
        self._check_completion_proof()
        now = fields.Datetime.now()
        for request in self:
            vals = {"state": "done", "done_date": now}
            if not request.labour_hours and request.started_date:
                vals["labour_hours"] = round((now - request.started_date).total_seconds() / 3600, 2)
            request.write(vals)
        return True

    def action_resident_confirm(self):
        """The resident (or the desk on their behalf) accepts the work: on to the follow-up.
        Paid services are charged here."""
        self._check_state(("done",), self.env._("Confirming"))
        self.write(
            {
                "state": "followup",
                "is_resident_confirmed": True,
                "resident_confirmed_date": fields.Datetime.now(),
            }
        )
        self.filtered("is_paid_service")._charge_resident()
        return True

    def _action_reject(self, reason):
        """The resident rejects the result: the order goes back to its technician."""
        self._check_state(("done", "followup"), self.env._("Reopening"))
        if not reason:
            raise UserError(self.env._("Give the reason the resident rejects the work."))
        for request in self:
            request.write(
                {
                    "state": "accepted",
                    "done_date": False,
                    "is_resident_confirmed": False,
                    "reopen_count": request.reopen_count + 1,
                    "state_reason": reason,
                }
            )
            request.message_post(body=self.env._("Reopened, the resident rejects the result: %s", reason))
        return True

    def action_record_followup(self):
        """The service desk records the follow-up call (回访): note and rating from the form."""
        self._check_state(("followup",), self.env._("Recording the follow-up"))
        for request in self:
            if not (request.followup_note or request.rating):
                raise UserError(self.env._("Write down the follow-up call or the rating first."))
            request.write({"followup_date": fields.Datetime.now(), "followup_user_id": self.env.uid})
            request.message_post(
                body=self.env._("Follow-up call: %s", request.followup_note or request.rating_comment or "")
            )
        return True

    def action_close(self):
        self._check_state(("followup",), self.env._("Closing"))
        for request in self:
            if not request.followup_date:
                raise UserError(
                    self.env._("Record the follow-up call of request %s before closing it.", request.name)
                )
        self.write({"state": "closed", "closed_date": fields.Datetime.now()})
        return True

    def _action_cancel(self, reason):
        self._check_state(ACTIVE_STATES, self.env._("Cancelling"))
        if not reason:
            raise UserError(self.env._("Give a reason to cancel the request."))
        self.write({"state": "cancelled", "state_reason": reason})
        for request in self:
            request.message_post(body=self.env._("Cancelled: %s", reason))
        return True

    def _open_reason_wizard(self, action):
        return {
            "type": "ir.actions.act_window",
            "name": dict(
                self.env["property.request.reason.wizard"]._fields["action"]._description_selection(self.env)
            )[action],
            "res_model": "property.request.reason.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_ids": self.ids, "default_action": action},
        }

    def action_pause_wizard(self):
        self._check_state(("assigned", "accepted", "in_progress"), self.env._("Pausing"))
        return self._open_reason_wizard("pause")

    def action_cancel_wizard(self):
        self._check_state(ACTIVE_STATES, self.env._("Cancelling"))
        return self._open_reason_wizard("cancel")

    def action_reject_wizard(self):
        self._check_state(("done", "followup"), self.env._("Reopening"))
        return self._open_reason_wizard("reject")

    # ------------------------------------------------------------------
    # Paid services
    # ------------------------------------------------------------------
    def _charge_resident(self):
        """Hook: charge the resident for a paid service (``is_paid_service``, ``service_fee``
        plus ``material_cost``). Called once the resident confirms the work. Does nothing here;
        ``property_billing`` overrides it to add a line to the household's next bill. Overrides
        must be idempotent per request and return True."""
        return True

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for request in self:
            request.access_url = f"/my/requests/{request.id}"
        return res
