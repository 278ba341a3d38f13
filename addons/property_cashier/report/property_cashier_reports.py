from odoo import api, models


class ReportCashierReceipt(models.AbstractModel):
    _name = "report.property_cashier.report_cashier_receipt"
    _description = "Front Desk Receipt"

    @api.model
    def _get_report_values(self, docids, data=None):
        # the documents are read as the user: another estate's desk gets an AccessError, not a page
        docs = self.env["property.cashier.collection"].browse(docids)
        docs.check_access("read")
        return {"doc_ids": docids, "doc_model": docs._name, "docs": docs, "data": data}


class ReportPaymentNotice(models.AbstractModel):
    _name = "report.property_cashier.report_payment_notice"
    _description = "Payment Notice"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["property.bill"].browse(docids)
        docs.check_access("read")
        return {"doc_ids": docids, "doc_model": docs._name, "docs": docs, "data": data}
