from collections import Counter, defaultdict

from odoo import fields, models

DEFERRED_RANKS = "property_billing.deferred_ranks"


class AccountMove(models.Model):
    _inherit = "account.move"

    property_estate_id = fields.Many2one(
        "property.estate",
        string="Estate",
        index="btree_not_null",
        readonly=True,
        help="Estate whose bills this entry posts: staff below manager see their estates' entries.",
    )

    def _property_post_batch(self):
        """``action_post`` for the billing's entries, which carry one receivable line per
        household: every check and the hash are Odoo's; only the partners' customer ranks,
        which Odoo raises with three queries per partner, are raised afterwards in one query
        per rank value (3,000 queries per 1,000 households otherwise)."""
        ranks = self.env.cr.precommit.data[DEFERRED_RANKS] = defaultdict(Counter)
        try:
            self.with_context(skip_invoice_sync=True, property_billing_defer_ranks=True).action_post()
        finally:
            self.env.cr.precommit.data.pop(DEFERRED_RANKS, None)
        Partner = self.env["res.partner"]
        for field, counter in ranks.items():
            by_count = defaultdict(list)
            for partner_id, count in counter.items():
                by_count[count].append(partner_id)
            for count, partner_ids in by_count.items():
                Partner.browse(partner_ids)._increase_rank(field, count)
        return True
