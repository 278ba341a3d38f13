from odoo import api, models
from odoo.tools import SQL


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    @api.model
    def _property_next_by_code_multi(self, code, count):
        """``count`` numbers of the sequence ``code`` at once (a billing chunk numbers
        thousands of bills): the sequence is looked up once instead of once per number."""
        if not count:
            return []
        company_id = self.env.company.id
        sequence = self.sudo().search(
            [("code", "=", code), ("company_id", "in", [company_id, False])], order="company_id", limit=1
        )
        if not sequence:
            return ["/"] * count
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [sequence._next() for _i in range(count)]
        # one query for all the numbers of a standard (PostgreSQL) sequence
        self.env.cr.execute(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                f"ir_sequence_{sequence.id:03d}",
                count,
            )
        )
        # what get_next_char does for each number, with the prefix and suffix interpolated once
        prefix, suffix = sequence._get_prefix_suffix()
        return [f"{prefix}{number:0{sequence.padding}d}{suffix}" for (number,) in self.env.cr.fetchall()]
