from odoo import fields, models


class PropertyIotAlarmType(models.Model):
    """What kind of trouble a device alarm reports (smoke, water leak, person trapped in a lift,
    device offline, ...), and the work-order category it becomes. The alarm's type follows
    from its rule and its device (property.iot.alarm._get_alarm_type_code); the category is
    data, changed here without code."""

    _name = "property.iot.alarm.type"
    _description = "IoT Alarm Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable technical code, named by the alarm-to-type mapping.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    category_id = fields.Many2one(
        "property.request.category",
        string="Work Order Category",
        ondelete="set null",
        help="Category of the work orders of alarms of this type (a rule's own category wins).",
    )

    _sql_constraints = [("code_uniq", "unique(code)", "An alarm type code must be unique.")]
