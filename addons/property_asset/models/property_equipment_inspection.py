from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

INSPECTION_STATES = [
    ("valid", "Valid"),
    ("expiring", "Expiring"),
    ("expired", "Expired"),
]


class PropertyEquipmentInspection(models.Model):
    """A statutory inspection of a piece of equipment and the certificate it produced.

    Only the latest inspection of a type counts for an equipment: older ones are superseded."""

    _name = "property.equipment.inspection"
    _description = "Statutory Inspection"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "expiry_date desc, id desc"
    _rec_name = "certificate_number"
    _check_company_auto = True

    equipment_id = fields.Many2one(
        "maintenance.equipment",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
    )
    type_id = fields.Many2one(
        "property.equipment.inspection.type",
        string="Inspection Type",
        required=True,
        ondelete="restrict",
        tracking=True,
    )
    certificate_number = fields.Char(required=True, tracking=True)
    date = fields.Date(
        string="Inspection Date", required=True, default=fields.Date.context_today, tracking=True
    )
    expiry_date = fields.Date(
        compute="_compute_expiry_date",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
        index=True,
    )
    agency_id = fields.Many2one("res.partner", string="Inspection Agency")
    responsible_id = fields.Many2one(
        "res.users",
        compute="_compute_responsible_id",
        store=True,
        readonly=False,
        domain="[('share', '=', False)]",
        help="Gets the reminders before the certificate expires.",
    )
    certificate_file = fields.Binary(string="Certificate", attachment=True)
    certificate_filename = fields.Char()
    note = fields.Text()
    is_superseded = fields.Boolean(
        compute="_compute_is_superseded",
        store=True,
        help="A newer inspection of the same type exists for this equipment.",
    )
    state = fields.Selection(
        INSPECTION_STATES,
        compute="_compute_state",
        store=True,
        index=True,
        help="Valid, expiring (within the largest reminder threshold of its type) or expired. "
        "Recomputed every day by the reminder job.",
    )
    days_to_expiry = fields.Integer(compute="_compute_days_to_expiry")
    reminder_ids = fields.One2many(
        "property.equipment.inspection.reminder", "inspection_id", string="Reminders"
    )
    company_id = fields.Many2one(related="equipment_id.company_id", store=True, index=True)
    estate_id = fields.Many2one(related="equipment_id.estate_id", store=True, index=True)
    building_id = fields.Many2one(related="equipment_id.building_id", store=True)
    category_id = fields.Many2one(related="equipment_id.category_id", store=True)

    _sql_constraints = [
        (
            "expiry_after_date",
            "CHECK(expiry_date >= date)",
            "A certificate cannot expire before its inspection.",
        ),
    ]

    @api.depends("date", "type_id.validity_months")
    def _compute_expiry_date(self):
        for inspection in self:
            if inspection.date and inspection.type_id.validity_months and not inspection.expiry_date:
                inspection.expiry_date = inspection.date + relativedelta(
                    months=inspection.type_id.validity_months
                )

    @api.depends("equipment_id.technician_user_id")
    def _compute_responsible_id(self):
        for inspection in self:
            if not inspection.responsible_id:
                inspection.responsible_id = inspection.equipment_id.technician_user_id

    @api.depends("equipment_id.inspection_ids.date", "equipment_id.inspection_ids.type_id", "date", "type_id")
    def _compute_is_superseded(self):
        for inspection in self:
            newer = inspection.equipment_id.inspection_ids.filtered(
                lambda other, i=inspection: (
                    other.type_id == i.type_id
                    and other != i
                    and (other.date, other.id or 0) > (i.date, i.id or 0)
                )
            )
            inspection.is_superseded = bool(newer)

    @api.depends("expiry_date", "type_id.reminder_days")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for inspection in self:
            if not inspection.expiry_date:
                inspection.state = False
            elif inspection.expiry_date < today:
                inspection.state = "expired"
            else:
                days = inspection.type_id._get_reminder_days() if inspection.type_id else []
                ahead = days[0] if days else 0
                inspection.state = "expiring" if (inspection.expiry_date - today).days <= ahead else "valid"

    @api.depends("expiry_date")
    def _compute_days_to_expiry(self):
        today = fields.Date.context_today(self)
        for inspection in self:
            inspection.days_to_expiry = (inspection.expiry_date - today).days if inspection.expiry_date else 0

    @api.depends("certificate_number", "type_id")
    def _compute_display_name(self):
        for inspection in self:
            inspection.display_name = (
                f"{inspection.type_id.name or ''} {inspection.certificate_number or ''}".strip()
            )

    # ------------------------------------------------------------------
    # Daily job: refresh the states, remind the responsible ahead of expiry
    # ------------------------------------------------------------------
    @api.model
    def _cron_inspection_reminders(self):
        """Refresh expiry states (they depend on today) and create one activity per inspection and
        reminder threshold. A threshold already reminded is never reminded again."""
        inspections = self.search([("is_superseded", "=", False)])
        self.env.add_to_compute(self._fields["state"], inspections)
        inspections.flush_recordset(["state"])
        equipment = inspections.equipment_id
        self.env.add_to_compute(equipment._fields["inspection_state"], equipment)
        equipment.flush_recordset(["inspection_state"])
        return inspections._send_expiry_reminders()

    def _send_expiry_reminders(self):
        today = fields.Date.context_today(self)
        done = {(r.inspection_id.id, r.days_before) for r in self.reminder_ids}
        reminder_vals = []
        activities = self.env["mail.activity"]
        for inspection in self.filtered(lambda i: not i.is_superseded and i.expiry_date):
            days_left = (inspection.expiry_date - today).days
            due = [d for d in inspection.type_id._get_reminder_days() if days_left <= d]
            new = [d for d in due if (inspection.id, d) not in done]
            if not new:
                continue
            user = inspection.responsible_id or inspection.equipment_id.technician_user_id or self.env.user
            # in the language of the person reminded, not in the cron's
            lang = user.lang or inspection.equipment_id.company_id._property_lang()
            env = inspection.with_context(lang=lang).env
            activities |= inspection.activity_schedule(
                act_type_xmlid="property_asset.mail_activity_type_inspection_expiry",
                date_deadline=max(inspection.expiry_date, today),
                summary=env._(
                    "%(type)s of %(equipment)s expires on %(date)s",
                    type=inspection.type_id.with_env(env).name,
                    equipment=inspection.equipment_id.name,
                    date=inspection.expiry_date,
                ),
                user_id=user.id,
            )
            reminder_vals += [
                {"inspection_id": inspection.id, "days_before": d, "date": today, "user_id": user.id}
                for d in new
            ]
        if reminder_vals:
            self.env["property.equipment.inspection.reminder"].sudo().create(reminder_vals)
        return activities
