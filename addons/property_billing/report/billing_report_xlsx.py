from collections import defaultdict

from odoo import fields, models

from .property_billing_arrears_report import aging_bucket


class PropertyBillingXlsxMixin(models.AbstractModel):
    _name = "report.property_billing.xlsx_mixin"
    _inherit = "report.report_xlsx.abstract"
    _description = "Property Billing XLSX Report Base"

    def create_xlsx_report(self, docids, data):
        # headers in the reader's language, also when the caller (a job, a controller
        # without context) gives none: the user's, else the company's
        lang = self.env.context.get("lang") or self.env.user.lang or self.env.company._property_lang()
        return super(PropertyBillingXlsxMixin, self.with_context(lang=lang)).create_xlsx_report(docids, data)

    def _get_objs_for_report(self, docids, data):
        objs = super()._get_objs_for_report(docids, data)
        if not objs:
            objs = objs.search((data or {}).get("domain", []))
        return objs

    def _formats(self, workbook):
        return {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "header": workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            "bold_money": workbook.add_format({"num_format": "#,##0.00", "bold": True}),
            "percent": workbook.add_format({"num_format": "0.00"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "bold": workbook.add_format({"bold": True}),
        }

    def _write_table(self, sheet, formats, title, headers, rows, *, money_columns=(), row=0):
        sheet.write(row, 0, title, formats["title"])
        row += 2
        for col, header in enumerate(headers):
            sheet.write(row, col, header, formats["header"])
            sheet.set_column(col, col, 16)
        for values in rows:
            row += 1
            for col, value in enumerate(values):
                if col in money_columns:
                    sheet.write_number(row, col, value or 0.0, formats["money"])
                elif hasattr(value, "isoformat"):
                    sheet.write(row, col, value.isoformat())
                else:
                    sheet.write(row, col, value if value is not None else "")
        return row


class PropertyBillingIncomeXlsx(models.AbstractModel):
    _name = "report.property_billing.income_xlsx"
    _inherit = "report.property_billing.xlsx_mixin"
    _description = "Monthly Income XLSX"

    def generate_xlsx_report(self, workbook, data, records):
        formats = self._formats(workbook)
        totals = defaultdict(lambda: [0.0, 0.0, 0.0])
        for rec in records:
            key = (rec.month, rec.estate_id.name, rec.product_id.display_name)
            totals[key][0] += rec.amount_untaxed
            totals[key][1] += rec.amount_tax
            totals[key][2] += rec.amount_total
        rows = [
            (month.strftime("%Y-%m"), estate, fee, *amounts)
            for (month, estate, fee), amounts in sorted(totals.items())
        ]
        sheet = workbook.add_worksheet(self.env._("Income"))
        row = self._write_table(
            sheet,
            formats,
            self.env._("Monthly Income by Estate and Fee Item"),
            [
                self.env._("Month"),
                self.env._("Estate"),
                self.env._("Fee Item"),
                self.env._("Untaxed"),
                self.env._("Tax"),
                self.env._("Total"),
            ],
            rows,
            money_columns=(3, 4, 5),
        )
        sheet.write(row + 1, 0, self.env._("Total"), formats["bold"])
        for col in (3, 4, 5):
            sheet.write_number(row + 1, col, sum(r[col] for r in rows), formats["bold_money"])


class PropertyBillingArrearsXlsx(models.AbstractModel):
    _name = "report.property_billing.arrears_xlsx"
    _inherit = "report.property_billing.xlsx_mixin"
    _description = "Arrears and Aging XLSX"

    def generate_xlsx_report(self, workbook, data, records):
        formats = self._formats(workbook)
        today = fields.Date.to_date((data or {}).get("date")) or fields.Date.context_today(self)
        labels = dict(
            self.env["property.billing.arrears.report"]._fields["aging"]._description_selection(self.env)
        )
        detail, aging = [], defaultdict(lambda: defaultdict(float))
        Partner = self.env["res.partner"]
        # PIPL: the household's number as the reader may see it (masked below manager); read
        # here as business code, so masked here
        clear = Partner._property_pii_is_clear()
        for rec in records.sorted(lambda r: (r.partner_id.name or "", r.date_due)):
            days = (today - rec.date_due).days
            bucket = aging_bucket(days)
            partner = rec.partner_id
            phone = partner.mobile or partner.phone or ""
            if phone and not clear:
                phone = Partner._property_pii_mask_value("mobile", phone)
            detail.append(
                (
                    partner.name,
                    phone,
                    rec.estate_id.name,
                    rec.building_id.display_name or "",
                    rec.unit_names or "",
                    rec.bill_id.name,
                    rec.date_due,
                    max(days, 0),
                    labels[bucket],
                    rec.amount_residual,
                )
            )
            aging[(partner.name, rec.building_id.display_name or "")][bucket] += rec.amount_residual
        sheet = workbook.add_worksheet(self.env._("Arrears"))
        self._write_table(
            sheet,
            formats,
            self.env._("Arrears Detail as of %s", today),
            [
                self.env._("Household"),
                self.env._("Phone"),
                self.env._("Estate"),
                self.env._("Building"),
                self.env._("Unit"),
                self.env._("Bill"),
                self.env._("Due Date"),
                self.env._("Days Overdue"),
                self.env._("Aging"),
                self.env._("Amount Due"),
            ],
            detail,
            money_columns=(9,),
        )
        sheet = workbook.add_worksheet(self.env._("Aging"))
        self._write_table(
            sheet,
            formats,
            self.env._("Aging per Household and Building as of %s", today),
            [self.env._("Household"), self.env._("Building"), *labels.values(), self.env._("Total")],
            [
                (partner, building, *(buckets[key] for key in labels), sum(buckets.values()))
                for (partner, building), buckets in sorted(aging.items())
            ],
            money_columns=tuple(range(2, 3 + len(labels))),
        )


class PropertyBillingCollectionXlsx(models.AbstractModel):
    _name = "report.property_billing.collection_xlsx"
    _inherit = "report.property_billing.xlsx_mixin"
    _description = "Collection Rate XLSX"

    def generate_xlsx_report(self, workbook, data, records):
        formats = self._formats(workbook)
        rows = []
        for rec in records.sorted(lambda r: (r.month, r.estate_id.name)):
            rows.append(
                (
                    rec.month.strftime("%Y-%m"),
                    rec.estate_id.name,
                    rec.bill_count,
                    rec.amount_billed,
                    rec.amount_collected,
                    rec.amount_due,
                    rec.collection_rate,
                )
            )
        sheet = workbook.add_worksheet(self.env._("Collection Rate"))
        row = self._write_table(
            sheet,
            formats,
            self.env._("Collection Rate per Estate and Month"),
            [
                self.env._("Month"),
                self.env._("Estate"),
                self.env._("Bills"),
                self.env._("Billed"),
                self.env._("Collected"),
                self.env._("Due"),
                self.env._("Collection Rate (%)"),
            ],
            rows,
            money_columns=(3, 4, 5),
        )
        billed = sum(r[3] for r in rows)
        collected = sum(r[4] for r in rows)
        sheet.write(row + 1, 0, self.env._("Total"), formats["bold"])
        sheet.write_number(row + 1, 3, billed, formats["bold_money"])
        sheet.write_number(row + 1, 4, collected, formats["bold_money"])
        sheet.write_number(row + 1, 5, billed - collected, formats["bold_money"])
        sheet.write_number(
            row + 1, 6, round(100 * collected / billed, 2) if billed else 0.0, formats["percent"]
        )
