from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.property_sms.models.property_sms_gateway import SUCCESS_STATES
from odoo.addons.queue_job.job import identity_exact

# the gateway template (approved by the carrier) of an invitation; parameters: the resident's
# estate and building, then the link of the binding page with the building filled in
INVITATION_TEMPLATE = "portal_invitation"
CAMPAIGN_STATES = [("draft", "Draft"), ("running", "Sending"), ("done", "Done")]


class PropertyInvitationCampaign(models.Model):
    """Residents on file without a portal account get an SMS with the binding link of their
    building. Sent in the background by batches (queue_job); each resident once per campaign and
    at most once per period over all campaigns (``property.invitation.guard``)."""

    _name = "property.invitation.campaign"
    _description = "Invitation Campaign"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    # the campaign's company is the estate's (no check_company: the record rules limit the choice)
    estate_id = fields.Many2one("property.estate", required=True, index=True, tracking=True)
    company_id = fields.Many2one(related="estate_id.company_id", store=True, index=True, precompute=True)
    building_ids = fields.Many2many(
        "property.building",
        string="Buildings",
        domain="[('estate_id', '=', estate_id)]",
        help="Invite the current residents of these buildings (all the estate's when empty).",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Residents",
        help="Invite only these residents (they must live in the estate).",
    )
    state = fields.Selection(CAMPAIGN_STATES, default="draft", required=True, readonly=True, tracking=True)
    batch_size = fields.Integer(default=100, required=True)
    line_ids = fields.One2many("property.invitation", "campaign_id", string="Invitations", readonly=True)
    total_count = fields.Integer(string="Total", compute="_compute_counts")
    pending_count = fields.Integer(string="Waiting", compute="_compute_counts")
    sent_count = fields.Integer(string="Sent", compute="_compute_counts")
    failed_count = fields.Integer(string="Failed", compute="_compute_counts")
    skipped_count = fields.Integer(string="Skipped", compute="_compute_counts")
    progress = fields.Float(string="Progress (%)", compute="_compute_counts", digits=(5, 1))
    date_started = fields.Datetime(string="Started", readonly=True)

    @api.depends("line_ids.state")
    def _compute_counts(self):
        counts = {campaign.id: {} for campaign in self}
        for campaign, state, count in self.env["property.invitation"]._read_group(
            [("campaign_id", "in", self.ids)], ["campaign_id", "state"], ["__count"]
        ):
            counts[campaign.id][state] = count
        for campaign in self:
            by_state = counts.get(campaign.id, {})
            total = sum(by_state.values())
            campaign.total_count = total
            campaign.pending_count = by_state.get("pending", 0)
            campaign.sent_count = by_state.get("sent", 0)
            campaign.failed_count = by_state.get("failed", 0)
            campaign.skipped_count = by_state.get("skipped", 0)
            campaign.progress = 100.0 * (total - campaign.pending_count) / total if total else 0.0

    @api.constrains("estate_id", "building_ids")
    def _check_buildings(self):
        for campaign in self:
            if campaign.building_ids.estate_id - campaign.estate_id:
                raise ValidationError(self.env._("The buildings must be in the campaign's estate."))

    @api.constrains("batch_size")
    def _check_batch_size(self):
        if any(not 1 <= campaign.batch_size <= 1000 for campaign in self):
            raise ValidationError(self.env._("A batch has 1 to 1,000 residents."))

    @api.onchange("estate_id")
    def _onchange_estate_id(self):
        self.building_ids = self.building_ids.filtered(lambda b: b.estate_id == self.estate_id)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_draft(self):
        if any(campaign.state != "draft" for campaign in self):
            raise UserError(self.env._("A campaign that has sent messages cannot be deleted."))

    # ------------------------------------------------------------------
    # Recipients
    # ------------------------------------------------------------------
    def _get_occupancy_domain(self):
        self.ensure_one()
        today = fields.Date.context_today(self)
        domain = [
            ("estate_id", "=", self.estate_id.id),
            *self.env["property.occupancy"]._get_current_domain(today),
        ]
        if self.building_ids:
            domain.append(("building_id", "in", self.building_ids.ids))
        if self.partner_ids:
            domain.append(("partner_id", "in", self.partner_ids.ids))
        return domain

    def _prepare_invitation_values(self):
        """One invitation per resident living in the campaign's scope (the building of their
        first current home is the one of their link)."""
        self.ensure_one()
        occupancies = self.env["property.occupancy"].search(
            self._get_occupancy_domain(), order="building_id, id"
        )
        strangers = self.partner_ids - occupancies.partner_id
        if strangers:
            # counted, not named: they may be another estate's residents
            raise ValidationError(
                self.env._(
                    "%(count)s of the chosen residents do not live in %(estate)s now: remove them.",
                    count=len(strangers),
                    estate=self.estate_id.name,
                )
            )
        already = set(self.line_ids.partner_id.ids)
        values = []
        for occupancy in occupancies:
            if occupancy.partner_id.id in already:
                continue
            already.add(occupancy.partner_id.id)
            values.append(
                {
                    "campaign_id": self.id,
                    "partner_id": occupancy.partner_id.id,
                    "building_id": occupancy.building_id.id,
                }
            )
        return values

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_start(self):
        """List the recipients, skip those who cannot or need not be invited, and send the others'
        messages in the background, by batches."""
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("This campaign has already started."))
        if not self.env["property.sms.gateway"]._get_company_gateway(self.company_id):
            raise UserError(self.env._("Configure the company's SMS gateway first (Settings › SMS)."))
        self.check_access("write")
        # the invitations are the campaign's record: only the campaign writes them
        invitations = self.env["property.invitation"].sudo().create(self._prepare_invitation_values())
        if not invitations:
            raise UserError(self.env._("No current resident in this estate or these buildings."))
        invitations._skip_ineligible()
        self.write({"state": "running", "date_started": fields.Datetime.now()})
        self._enqueue_batches(invitations.filtered(lambda line: line.state == "pending"))
        self._check_done()
        return True

    def _enqueue_batches(self, pending):
        self.ensure_one()
        pending = pending.sorted("id")
        for start in range(0, len(pending), self.batch_size):
            batch = pending[start : start + self.batch_size]
            self.with_delay(
                identity_key=identity_exact,
                channel="root.property_invitation",
                description=self.env._(
                    "Invitations %(campaign)s (%(count)s residents)", campaign=self.name, count=len(batch)
                ),
            )._send_batch(batch.ids)

    def action_refresh(self):
        self._check_done()
        return True

    def _check_done(self):
        for campaign in self.filtered(lambda c: c.state == "running"):
            if not campaign.line_ids.filtered(lambda line: line.state == "pending"):
                campaign.state = "done"

    # ------------------------------------------------------------------
    # The job
    # ------------------------------------------------------------------
    def _send_batch(self, invitation_ids):
        """Send the invitations ``invitation_ids`` still waiting (a retried job or a campaign run
        again sends nothing twice: an invitation leaves ``pending`` in the transaction that sends
        it, and the guard of its resident is locked and dated before the message goes)."""
        self.ensure_one()
        self.check_access("write")
        invitations = (
            self.env["property.invitation"]
            .sudo()
            .browse(invitation_ids)
            .exists()
            .filtered(lambda line: line.campaign_id == self and line.state == "pending")
        )
        if not invitations:
            return
        gateway = self.env["property.sms.gateway"]._get_company_gateway(self.company_id)
        if not gateway:
            invitations.write({"state": "failed", "result_code": "no_gateway"})
            self._check_done()
            return
        invitations._skip_ineligible()
        invitations = invitations.filtered(lambda line: line.state == "pending")
        guards = self.env["property.invitation.guard"].sudo()._get_for_partners(invitations.partner_id)
        now = fields.Datetime.now()
        since = now - timedelta(days=self.company_id.sudo().property_invitation_days)
        for invitation in invitations:
            guard = guards[invitation.partner_id.id]
            if guard.last_sent_date and guard.last_sent_date > since:
                invitation.write({"state": "skipped", "skip_reason": "already_invited"})
                continue
            previous = guard.last_sent_date
            # the resident's guard row is updated (and locked) before the message goes: a
            # concurrent job for the same resident waits, then fails to serialize and is retried
            guard.write({"last_sent_date": now, "invitation_id": invitation.id})
            guard.flush_recordset()
            building = invitation.building_id
            result = gateway._send_template(
                [invitation.phone],
                INVITATION_TEMPLATE,
                [f"{building.estate_id.name}{building.name}", building._portal_binding_url()],
                partners=[invitation.partner_id],
            )[0]
            if result["state"] in SUCCESS_STATES:
                invitation.write(
                    {"state": "sent", "sent_date": now, "result_code": result.get("code") or False}
                )
            else:
                invitation.write({"state": "failed", "result_code": result.get("code") or result["state"]})
                guard.write({"last_sent_date": previous, "invitation_id": False})
        self._check_done()

    def action_view_invitations(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invitations"),
            "res_model": "property.invitation",
            "view_mode": "list",
            "domain": [("campaign_id", "=", self.id)],
            "context": {"search_default_group_state": 1},
        }

    @api.model
    def _prepare_default_name(self):
        return self.env._("Invitations %s", fields.Date.context_today(self))

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "name" in fields_list and not values.get("name"):
            values["name"] = self._prepare_default_name()
        return values
