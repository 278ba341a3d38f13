from odoo import api, fields, models

# work-order states in which the work is finished: the alarm can be resolved
FINISHED_STATES = ("done", "followup", "closed")


class PropertyRequest(models.Model):
    _inherit = "property.request"

    iot_alarm_id = fields.Many2one(
        "property.iot.alarm",
        string="IoT Alarm",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        groups="property_base.group_property_user",
    )

    _sql_constraints = [
        ("iot_alarm_uniq", "unique(iot_alarm_id)", "An IoT alarm raises one work order only."),
    ]

    @api.model
    def _classify_vals(self, vals_list):
        # a work order of an IoT alarm has its category from the rule or the device kind, and a
        # text the suite generated: the classifier (trained on residents' words) has nothing to
        # add, and loading it would only delay the work order
        todo = []
        for vals in vals_list:
            if vals.get("source") == "iot" and vals.get("category_id"):
                vals.setdefault("is_category_confirmed", True)
            else:
                todo.append(vals)
        return super()._classify_vals(todo)

    def write(self, vals):
        res = super().write(vals)
        if vals.get("state") in FINISHED_STATES:
            self._resolve_iot_alarms()
        return res

    def _resolve_iot_alarms(self):
        """Resolve the open alarms of finished work orders whose rule says so."""
        alarms = self.sudo().iot_alarm_id.filtered(
            lambda a: a.state != "resolved" and a.rule_id.is_request_resolving_alarm
        )
        if alarms:
            alarms._set_resolved(self.env.user)
            for alarm in alarms:
                alarm.message_post(body=self.env._("Resolved with work order %s.", alarm.request_id.name))
        return alarms

    def action_view_iot_alarm(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("property_iot.property_iot_alarm_action")
        action.update({"res_id": self.iot_alarm_id.id, "view_mode": "form", "views": [(False, "form")]})
        return action
