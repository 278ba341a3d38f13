from odoo import models


class PropertyPortalPage(models.AbstractModel):
    """What a resident's portal page is about, for the website layout.

    The website layout asks its ``main_object`` for SEO and publishing fields (``fields_get``
    four times per page): by default that is the page's ``ir.ui.view``, with some forty fields
    to describe on every request. Residents' pages are private and never published or edited,
    so they pass this field-less model instead, which also lets the layout cache their ``<head>``.
    """

    _name = "property.portal.page"
    _description = "Resident Portal Page"
