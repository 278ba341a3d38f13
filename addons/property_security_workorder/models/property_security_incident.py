from odoo import api, fields, models
from odoo.exceptions import UserError

# request category code (property_workorder's data) for each alarm type; absent: the
# classifier suggests one from the description
ALARM_TYPE_CATEGORY = {
    "fire": "fire_safety",
    "leak": "plumbing",
    "elevator": "elevator",
    "intrusion": "doors_locks",
}
# request priority for each alarm type ("1" Normal otherwise)
ALARM_TYPE_PRIORITY = {
    "fire": "3",
    "leak": "3",
    "elevator": "3",
    "intrusion": "2",
}


class PropertySecurityIncident(models.Model):
    _inherit = "property.security.incident"

    request_ids = fields.One2many(
        "property.request", "security_incident_id", string="Linked Work Orders", readonly=True
    )
    request_count = fields.Integer(string="Work Order Count", compute="_compute_request_count")
    work_order_refs = fields.Char(
        string="Other Work Order References",
        help="Free-text references of follow-up work done outside the suite (contractors, "
        "utilities). Work orders of the suite are linked under Linked Work Orders.",
    )

    @api.depends("request_ids")
    def _compute_request_count(self):
        counts = dict(
            self.env["property.request"]._read_group(
                [("security_incident_id", "in", self.ids)], ["security_incident_id"], ["__count"]
            )
        )
        for incident in self:
            incident.request_count = counts.get(incident, 0)

    # ------------------------------------------------------------------
    # Work orders
    # ------------------------------------------------------------------
    def _get_work_order_category(self):
        """The request category for this incident's alarm type, or an empty recordset."""
        self.ensure_one()
        code = ALARM_TYPE_CATEGORY.get(self.alarm_type)
        if not code:
            return self.env["property.request.category"]
        return self.env["property.request.category"].search(
            [("code", "=", code), ("company_id", "in", [False, self.company_id.id])],
            order="company_id",
            limit=1,
        )

    def _get_work_order_priority(self):
        self.ensure_one()
        return ALARM_TYPE_PRIORITY.get(self.alarm_type, "1")

    def _prepare_work_order_values(self):
        """Values of the work order that follows up this incident: the incident's place,
        the category and priority of its alarm type, its description."""
        self.ensure_one()
        alarm_types = dict(self._fields["alarm_type"]._description_selection(self.env))
        description = self.description or self.env._(
            "%(type)s at %(place)s (incident %(incident)s)",
            type=alarm_types[self.alarm_type],
            place=self._place_label(),
            incident=self.name,
        )
        category = self._get_work_order_category()
        vals = {
            "description": description,
            "estate_id": self.estate_id.id,
            "building_id": self.building_id.id,
            "unit_id": self.unit_id.id,
            "common_area": self.area or False,
            "priority": self._get_work_order_priority(),
            "origin": self.name,
            "security_incident_id": self.id,
            "company_id": self.company_id.id,
        }
        if category:
            # a rule, not a person's choice: kept out of the classifier's training
            vals.update(category_id=category.id, is_category_confirmed=False)
        return vals

    def _create_work_orders(self):
        """One work order per incident, created with the caller's rights (a guard may create
        requests of their estates), noted on the incident's timeline."""
        self.check_access("write")
        requests = self.env["property.request"]._create_from_source(
            "security", [incident._prepare_work_order_values() for incident in self]
        )
        for incident, request in zip(self, requests, strict=True):
            note = self.env._("Work order %s created.", request.name)
            incident._log_event("note", note)
            incident.message_post(body=note)
        return requests

    def action_create_work_order(self):
        self.ensure_one()
        if not self.estate_id:
            raise UserError(self.env._("Set the estate of the incident first."))
        request = self._create_work_orders()
        return {
            "type": "ir.actions.act_window",
            "res_model": "property.request",
            "res_id": request.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_view_work_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("property_workorder.property_request_action")
        action["domain"] = [("security_incident_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
