from odoo import fields, models


class PropertyAnnouncementRead(models.Model):
    _name = "property.announcement.read"
    _description = "Announcement Read Receipt"
    _order = "date_read desc, id desc"

    announcement_id = fields.Many2one("property.announcement", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(
        "res.partner", string="Resident", required=True, index=True, ondelete="cascade"
    )
    date_read = fields.Datetime(string="Read On", required=True, default=fields.Datetime.now)
    company_id = fields.Many2one(related="announcement_id.company_id", store=True, index=True)

    _sql_constraints = [
        (
            "announcement_partner_uniq",
            "unique(announcement_id, partner_id)",
            "A resident reads a notice once.",
        ),
    ]
