from odoo import api, fields, models

# The type of an alarm (property.iot.alarm.type's code; its work-order category is data): from
# the rule's event first, else from the kind of device. An offline rule is always "offline".
EVENT_ALARM_TYPES = {
    "smoke": "smoke",
    "fire": "fire",
    "gas": "gas",
    "leak": "water_leak",
    "trapped": "elevator_trapped",
    "door_open": "door",
    "door_forced": "intrusion",
    "tamper": "intrusion",
    "access_denied": "door",
    "access_granted": "door",
    "power_failure": "power",
}
KIND_ALARM_TYPES = {
    "smoke_detector": "smoke",
    "leak_sensor": "water_leak",
    "water_meter": "water_leak",
    "gas_meter": "gas",
    "electricity_meter": "power",
    "temperature_sensor": "overheat",
    "elevator_controller": "elevator_fault",
    "access_reader": "door",
}
# alarm severity → work-order priority (Low, Normal, High, Urgent)
SEVERITY_PRIORITIES = {"low": "0", "medium": "1", "high": "2", "critical": "3"}


class PropertyIotAlarm(models.Model):
    _inherit = "property.iot.alarm"

    request_id = fields.Many2one(
        "property.request",
        string="Work Order",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    request_state = fields.Selection(related="request_id.state", string="Work Order Status")

    def _on_raised(self):
        res = super()._on_raised()
        self._create_requests()
        return res

    def _create_requests(self):
        """One work order per new alarm whose rule asks for it, created in one batch per company."""
        alarms = self.sudo().filtered(lambda a: not a.request_id and a.rule_id.is_creating_request)
        if not alarms:
            return self.env["property.request"]
        categories = self._get_request_categories(alarms)
        Request = (
            self.env["property.request"]
            .sudo()
            .with_context(mail_create_nolog=True, mail_auto_subscribe_no_notify=True)
        )
        requests = Request.browse()
        # one batch per company, in its language: what dispatch writes on the work order too
        by_company = {}
        for alarm in alarms:
            company = alarm.company_id or self.env.company
            by_company[company] = by_company.get(company, alarms.browse()) | alarm
        for company, company_alarms in by_company.items():
            created = Request.with_context(lang=company._property_lang())._create_from_source(
                "iot", [alarm._prepare_request_values(categories) for alarm in company_alarms]
            )
            for alarm, request in zip(company_alarms, created, strict=True):
                alarm.request_id = request
            requests |= created
        return requests

    def _get_alarm_type_code(self):
        """The code of this alarm's type (property.iot.alarm.type), or False."""
        self.ensure_one()
        rule = self.rule_id
        if rule.rule_type == "offline":
            return "offline"
        return EVENT_ALARM_TYPES.get(rule.event_name) or KIND_ALARM_TYPES.get(self.device_id.kind, False)

    @api.model
    def _get_request_categories(self, alarms):
        """{(company_id, alarm type code): category}: the category of each alarm type (data),
        a company's own category of the same code before the shared one."""
        types = self.env["property.iot.alarm.type"].sudo().search([("category_id", "!=", False)])
        codes = set(types.category_id.mapped("code"))
        by_code = {}
        for category in (
            self.env["property.request.category"]
            .sudo()
            .search([("code", "in", list(codes))], order="company_id desc, id desc")
        ):
            by_code[(category.company_id.id, category.code)] = category
        categories = {}
        for company in alarms.company_id | self.env.company:
            for alarm_type in types:
                code = alarm_type.category_id.code
                categories[(company.id, alarm_type.code)] = (
                    by_code.get((company.id, code)) or alarm_type.category_id
                )
        return categories

    def _prepare_request_values(self, categories):
        self.ensure_one()
        device = self.device_id
        category = self.rule_id.request_category_id
        if not category:
            company = self.company_id or self.env.company
            category = categories.get((company.id, self._get_alarm_type_code()))
        description = self.with_context(lang=self.company_id._property_lang()).env._(
            "IoT alarm %(alarm)s on device %(device)s (%(identifier)s).",
            alarm=self.name,
            device=device.name,
            identifier=device.identifier,
        )
        if self.description:
            description = f"{description}\n{self.description}"
        return {
            "description": description,
            "category_id": category.id if category else False,
            "priority": SEVERITY_PRIORITIES.get(self.severity, "1"),
            "company_id": self.company_id.id,
            "estate_id": device.estate_id.id,
            "building_id": device.building_id.id,
            "unit_id": device.unit_id.id,
            "common_area": False if device.unit_id else device.name,
            "origin": self.name,
            "iot_alarm_id": self.id,
        }

    def action_view_request(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("property_workorder.property_request_action")
        action.update({"res_id": self.request_id.id, "view_mode": "form", "views": [(False, "form")]})
        return action
