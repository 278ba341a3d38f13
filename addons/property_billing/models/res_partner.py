from odoo import models

from .account_move import DEFERRED_RANKS


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _increase_rank(self, field, n=1):
        # while a billing entry is posted (account.move._property_post_batch): collected,
        # then raised in batch once the entry is posted
        ranks = self.env.cr.precommit.data.get(DEFERRED_RANKS)
        if self.env.context.get("property_billing_defer_ranks") and ranks is not None:
            for partner_id in self.ids:
                ranks[field][partner_id] += n
            return
        super()._increase_rank(field, n)
