import base64
import io
import zipfile
from datetime import date
from unittest.mock import patch

import openpyxl

from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import demo_generator
from ..tools import xlsx_templates as xt
from ..wizards.property_import_wizard import PropertyImporter
from .common import PropertyTestCommon

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_card(body):
    """A valid 18-character ID card number from its first 17 digits."""
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


ID_CHEN = id_card("33010619850312002")
ID_WU = id_card("33010620100701003")
ID_TWIN = id_card("11010519900101123")
START = date(2016, 1, 1)
RED = "FFC7CE"


def good_data():
    """A file of every sheet that refers both to its own rows and to the database records
    of the common set-up (estate A, building A-3, units A-3-0502/0503, 张伟, 李娜)."""
    return {
        "estates": [
            {
                "code": "LY",
                "name": "绿苑小区",
                "city": "杭州市",
                "street": "拱墅区湖墅南路 1 号",
                "zip": "310005",
                "latitude": 30.28,
                "longitude": 120.15,
                "total_area": 52000.5,
            },
        ],
        "buildings": [
            {
                "estate_code": "LY",
                "code": "1",
                "name": "1号楼",
                "use_type": "residential",
                "floors_above": 6,
                "floors_below": 1,
                "elevator_count": 1,
                "completion_date": date(2015, 6, 30),
            },
            {"estate_code": "A", "code": "5", "name": "5号楼", "use_type": "商业", "floors_above": 3},
        ],
        "units": [
            {
                "building_code": "LY-1",
                "floor": 1,
                "number": "0101",
                "unit_type": "residential",
                "gross_area": 89.5,
                "inner_area": 72.3,
                "status": "occupied",
                "handover_date": START,
            },
            {
                "building_code": "LY-1",
                "floor": -1,
                "number": "B101",
                "unit_type": "车位",
                "gross_area": 13.5,
                "inner_area": 13.5,
                "status": "空置",
            },
            {
                "building_code": "A-5",
                "floor": 2,
                "number": "0201",
                "unit_type": "commercial",
                "gross_area": 60,
                "inner_area": 50,
                "status": "let",
            },
            {"building_code": "A-3", "floor": 6, "number": "0601", "gross_area": 120, "inner_area": 99.5},
        ],
        "residents": [
            {
                "name": "陈静",
                "mobile": "13911112222",
                "email": "chen.jing@example.com",
                "id_card_number": ID_CHEN,
                "unit_code": "LY-1-0101",
                "role": "业主",
                "share": 60,
                "date_start": START,
                "is_primary_contact": "是",
            },
            {
                "name": "周强",
                "mobile": "13711112222",
                "unit_code": "LY-1-0101",
                "role": "共有人",
                "share": 40,
                "date_start": START,
            },
            # the same person as row 2 (same name and mobile, written differently)
            {
                "name": "陈静",
                "mobile": "139 1111 2222",
                "unit_code": "LY-1-B101",
                "role": "owner",
                "share": 100,
                "date_start": "2016-02-01",
            },
            {
                "name": "吴磊",
                "phone": "0571-88887777",
                "id_card_number": ID_WU,
                "unit_code": "LY-1-0101",
                "role": "家庭成员",
                "date_start": START,
            },
            {
                "name": "郑洁",
                "mobile": "13600001111",
                "unit_code": "A-5-0201",
                "role": "租户",
                "date_start": date(2024, 3, 1),
                "date_end": date(2026, 2, 28),
                "is_primary_contact": "yes",
                "is_payer": "yes",
            },
            # existing people (by name and mobile) in existing units
            {
                "name": "张伟",
                "mobile": "13812341234",
                "unit_code": "A-3-0503",
                "role": "owner",
                "share": 100,
                "date_start": date(2022, 1, 1),
                "is_primary_contact": True,
            },
            {
                "name": "李娜",
                "mobile": "13900001111",
                "unit_code": "A-3-0502",
                "role": "tenant",
                "date_start": date(2023, 1, 1),
                "is_payer": True,
            },
        ],
    }


class TestImport(PropertyTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.models = (
            "property.estate",
            "property.building",
            "property.unit",
            "property.occupancy",
            "res.partner",
        )

    def _counts(self):
        return {
            model: self.env[model].with_context(active_test=False).search_count([]) for model in self.models
        }

    def _wizard(self, content, file_name="import.xlsx", user=None):
        return (
            self.env["property.import.wizard"]
            .with_user(user or self.user_manager)
            .create({"file": base64.b64encode(content), "file_name": file_name})
        )

    def _import(self, data, user=None):
        wizard = self._wizard(xt.build_workbook(data, max_rows=30), user=user)
        wizard.action_import()
        return wizard

    def _report(self, wizard):
        """{sheet: {(row, header): (is red, comment text, value)}} and the Errors column."""
        self.assertTrue(wizard.report_file, "a failed import returns an error report")
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.report_file)))
        return workbook

    def _flagged(self, worksheet):
        """{(row, header)} of the red cells with a comment, and {row: Errors text}."""
        headers = {cell.column: cell.value for cell in worksheet[1]}
        error_col = next(col for col, header in headers.items() if header == "Errors")
        flagged, reasons = set(), {}
        for row in worksheet.iter_rows(min_row=2):
            for cell in row:
                if cell.column == error_col:
                    if cell.value:
                        reasons[cell.row] = cell.value
                elif str(cell.fill.fgColor.rgb).endswith(RED):
                    self.assertTrue(cell.comment and cell.comment.text, f"{cell.coordinate} has a comment")
                    flagged.add((cell.row, headers[cell.column]))
        return flagged, reasons

    # ------------------------------------------------------------------
    def test_good_file(self):
        before = self._counts()
        wizard = self._import(good_data())
        self.assertEqual(wizard.state, "done", wizard.error_summary)
        self.assertEqual(
            (
                wizard.estate_count,
                wizard.building_count,
                wizard.unit_count,
                wizard.partner_count,
                wizard.partner_matched_count,
                wizard.occupancy_count,
            ),
            (1, 2, 4, 4, 2, 7),
        )
        after = self._counts()
        self.assertEqual(
            {model: after[model] - before[model] for model in self.models},
            {
                "property.estate": 1,
                "property.building": 2,
                "property.unit": 4,
                "property.occupancy": 7,
                "res.partner": 4,
            },
        )
        estate = self.env["property.estate"].search([("code", "=", "LY")])
        self.assertRecordValues(
            estate,
            [
                {
                    "name": "绿苑小区",
                    "city": "杭州市",
                    "zip": "310005",
                    "total_area": 52000.5,
                    "company_id": self.company.id,
                }
            ],
        )
        building = self.env["property.building"].search([("estate_id", "=", estate.id)])
        self.assertRecordValues(
            building,
            [
                {
                    "code": "1",
                    "floors_above": 6,
                    "floors_below": 1,
                    "elevator_count": 1,
                    "completion_date": date(2015, 6, 30),
                }
            ],
        )
        shop_building = self.env["property.building"].search(
            [("estate_id", "=", self.estate_a.id), ("code", "=", "5")]
        )
        self.assertEqual(shop_building.use_type, "commercial")
        Unit = self.env["property.unit"]
        self.assertRecordValues(
            Unit.search([("code", "in", ["LY-1-0101", "LY-1-B101", "A-5-0201", "A-3-0601"])], order="code"),
            [
                {
                    "code": "A-3-0601",
                    "building_id": self.building_a.id,
                    "floor": 6,
                    "unit_type": "residential",
                    "status": "vacant",
                    "gross_area": 120.0,
                    "inner_area": 99.5,
                },
                {
                    "code": "A-5-0201",
                    "building_id": shop_building.id,
                    "floor": 2,
                    "unit_type": "commercial",
                    "status": "let",
                    "gross_area": 60.0,
                    "inner_area": 50.0,
                },
                {
                    "code": "LY-1-0101",
                    "building_id": building.id,
                    "floor": 1,
                    "unit_type": "residential",
                    "status": "occupied",
                    "gross_area": 89.5,
                    "inner_area": 72.3,
                },
                {
                    "code": "LY-1-B101",
                    "building_id": building.id,
                    "floor": -1,
                    "unit_type": "parking",
                    "status": "vacant",
                    "gross_area": 13.5,
                    "inner_area": 13.5,
                },
            ],
        )
        chen = self.env["res.partner"].search([("name", "=", "陈静")])
        self.assertRecordValues(
            chen,
            [
                {
                    "mobile": "13911112222",
                    "email": "chen.jing@example.com",
                    "id_card_number": ID_CHEN,
                    "is_property_resident": True,
                }
            ],
        )
        self.assertEqual(
            sorted(chen.occupancy_ids.mapped(lambda o: (o.unit_id.code, o.role, o.share, o.date_start))),
            [("LY-1-0101", "owner", 60.0, START), ("LY-1-B101", "owner", 100.0, date(2016, 2, 1))],
        )
        self.assertEqual(self.env["res.partner"].search([("name", "=", "吴磊")]).phone, "0571-88887777")
        tenant = self.env["property.occupancy"].search([("partner_id.name", "=", "郑洁")])
        self.assertRecordValues(
            tenant,
            [{"role": "tenant", "date_end": date(2026, 2, 28), "is_primary_contact": True, "is_payer": True}],
        )
        # existing people and units were reused, not duplicated
        self.assertFalse(
            self.env["res.partner"].search([("name", "in", ["张伟", "李娜"]), ("id", ">", self.owner_b.id)])
        )
        self.assertEqual(sorted(self.owner.occupancy_ids.mapped("unit_id.code")), ["A-3-0502", "A-3-0503"])
        self.assertEqual(
            self.unit_a.occupancy_ids.filtered(lambda o: o.role == "tenant").partner_id, self.owner_b
        )
        # the audit trail of residents' personal data holds the created residents
        logs = self.env["auditlog.log"].search(
            [("model_model", "=", "res.partner"), ("res_id", "=", chen.id)]
        )
        self.assertEqual(logs.mapped("method"), ["create"])
        self.assertEqual(logs.user_id, self.user_manager)
        self.assertIn(
            ("id_card_number", ID_CHEN), logs.line_ids.mapped(lambda line: (line.field_name, line.new_value))
        )
        self.assertEqual(
            self.env["auditlog.log"].search_count(
                [("model_model", "=", "property.occupancy"), ("res_id", "in", chen.occupancy_ids.ids)]
            ),
            2,
        )

    def test_chinese_labels(self):
        wizard = self._import(good_data())
        self.assertEqual(wizard.state, "done", wizard.error_summary)
        roles = {
            occ.partner_id.name: occ.role
            for occ in self.env["property.occupancy"].search(
                [("unit_id.code", "in", ["LY-1-0101", "A-5-0201"])]
            )
        }
        self.assertEqual(roles, {"陈静": "owner", "周强": "co_owner", "吴磊": "family", "郑洁": "tenant"})

    def test_references_to_existing_records(self):
        """Only units and residents: buildings and units already in Odoo."""
        data = {
            "units": [
                {
                    "building_code": "A-3",
                    "floor": -2,
                    "number": "B201",
                    "unit_type": "storage",
                    "gross_area": 8,
                    "inner_area": 8,
                }
            ],
            "residents": [
                {
                    "name": "张伟",
                    "mobile": "13812341234",
                    "unit_code": "A-3-B201",
                    "role": "owner",
                    "share": 100,
                    "date_start": date(2024, 1, 1),
                },
                {
                    "name": "王五",
                    "id_card_number": id_card("11010519850101125"),
                    "unit_code": "B-1-0101",
                    "role": "tenant",
                    "date_start": date(2024, 1, 1),
                },
            ],
        }
        wizard = self._import(data)
        self.assertEqual(wizard.state, "done", wizard.error_summary)
        self.assertEqual((wizard.unit_count, wizard.partner_count, wizard.partner_matched_count), (1, 1, 1))
        unit = self.env["property.unit"].search([("code", "=", "A-3-B201")])
        self.assertEqual(unit.building_id, self.building_a)
        self.assertEqual(unit.occupancy_ids.partner_id, self.owner)
        self.assertEqual(
            self.unit_b.occupancy_ids.filtered(lambda o: o.role == "tenant").partner_id.name, "王五"
        )

    def test_existing_partner_by_id_card(self):
        number = id_card("31010419800202456")
        self.owner_b.sudo().id_card_number = number
        data = {
            "residents": [
                {
                    "name": "李娜",
                    "id_card_number": number,
                    "unit_code": "A-3-0503",
                    "role": "owner",
                    "share": 100,
                    "date_start": date(2024, 1, 1),
                }
            ]
        }
        wizard = self._import(data)
        self.assertEqual(wizard.state, "done", wizard.error_summary)
        self.assertEqual((wizard.partner_count, wizard.partner_matched_count), (0, 1))
        self.assertEqual(self.unit_a2.occupancy_ids.partner_id, self.owner_b)

    def test_every_kind_of_error(self):
        day = date(2024, 1, 1)
        data = {
            "estates": [
                {"code": "A", "name": "重复的小区"},  # 2: exists in Odoo
                {"code": "NEW", "name": "新小区", "latitude": 95, "total_area": -1},  # 3
                {"code": "NEW", "name": "又一个"},  # 4: twice in the file
                {"code": "N2"},  # 5: no name
            ],
            "buildings": [
                {"estate_code": "ZZ", "code": "1", "name": "x", "floors_above": 5},  # 2: unknown estate
                {"estate_code": "A", "code": "3", "name": "重复", "floors_above": 5},  # 3: exists in Odoo
                {"estate_code": "NEW", "code": "1", "name": "1号楼", "floors_above": "five"},  # 4
                {
                    "estate_code": "NEW",
                    "code": "2",
                    "name": "2号楼",
                    "floors_above": 0,
                    "floors_below": -1,
                    "use_type": "castle",
                },  # 5
                {
                    "estate_code": "NEW",
                    "code": "1",
                    "name": "重复",
                    "floors_above": 3,
                },  # 6: twice in the file
                {
                    "estate_code": "NEW",
                    "code": "3",
                    "name": "3号楼",
                    "floors_above": 10,
                    "completion_date": "yesterday",
                },  # 7
            ],
            "units": [
                {"building_code": "A-3", "floor": 5, "number": "0502"},  # 2: exists in Odoo
                {"building_code": "NEW-3", "floor": 0, "number": "0001"},  # 3: no floor 0
                {"building_code": "NEW-3", "floor": 11, "number": "1101"},  # 4: above the building
                {
                    "building_code": "NEW-3",
                    "floor": 2,
                    "number": "0201",
                    "gross_area": 80,
                    "inner_area": 90,
                },  # 5
                {"building_code": "NEW-3", "floor": 2, "number": "0201", "gross_area": -5},  # 6
                {"building_code": "XX-9", "floor": 1, "number": "0101", "unit_type": "villa"},  # 7
                {"building_code": "NEW-3", "floor": "2.5", "number": "0202", "status": "sold"},  # 8
                {
                    "building_code": "NEW-3",
                    "floor": 3,
                    "number": "0301",
                    "gross_area": "big",
                    "handover_date": "2024-13-45",
                },  # 9
                {"building_code": "A-3", "floor": 19, "number": "1901"},  # 10: above the existing building
                {
                    "building_code": "NEW-3",
                    "floor": 4,
                    "number": "0401",
                    "gross_area": 100,
                    "inner_area": 80,
                },  # 11
            ],
            "residents": [
                {
                    "name": "王芳",
                    "mobile": "12345",
                    "unit_code": "NEW-3-0401",
                    "role": "owner",
                    "share": 100,
                    "date_start": day,
                },  # 2
                {
                    "name": "刘洋",
                    "id_card_number": ID_CHEN[:-1] + ("0" if ID_CHEN[-1] != "0" else "1"),
                    "unit_code": "NEW-3-0401",
                    "role": "boss",
                    "date_start": day,
                },  # 3
                {
                    "name": "赵敏",
                    "email": "not-an-email",
                    "unit_code": "NOPE-1-0101",
                    "role": "tenant",
                    "date_start": day,
                },  # 4
                {
                    "name": "孙丽",
                    "mobile": "13500001111",
                    "unit_code": "NEW-3-0401",
                    "role": "owner",
                    "share": 100,
                    "date_start": day,
                },  # 5: a second owner, shares above 100
                {
                    "name": "周杰",
                    "unit_code": "NEW-3-0401",
                    "role": "co_owner",
                    "share": 150,
                    "date_start": day,
                },  # 6
                {
                    "name": "吴昊",
                    "unit_code": "NEW-3-0401",
                    "role": "family",
                    "date_start": date(2024, 5, 1),
                    "date_end": date(2024, 1, 1),
                },  # 7
                {
                    "name": "郑爽",
                    "unit_code": "A-3-0502",
                    "role": "owner",
                    "share": 100,
                    "date_start": date(2023, 1, 1),
                },  # 8: the unit has an owner in Odoo
                {"name": "冯伟", "unit_code": "A-3-0503", "role": "tenant", "date_start": "not a date"},  # 9
                {"mobile": "13622224444", "unit_code": "A-3-0503", "role": "tenant", "date_start": day},  # 10
                {
                    "name": "陈晨",
                    "mobile": "13622223333",
                    "unit_code": "A-3-0503",
                    "role": "tenant",
                    "date_start": day,
                },  # 11
                {
                    "name": "陈晨",
                    "mobile": "13622223333",
                    "unit_code": "A-3-0503",
                    "role": "tenant",
                    "date_start": day,
                },  # 12: the same row again
                {
                    "name": "甲",
                    "id_card_number": ID_TWIN,
                    "unit_code": "A-3-0503",
                    "role": "family",
                    "date_start": day,
                },  # 13
                {
                    "name": "乙",
                    "id_card_number": ID_TWIN,
                    "unit_code": "A-3-0503",
                    "role": "other",
                    "date_start": day,
                },  # 14: same ID card, another name
                {
                    "name": "何平",
                    "unit_code": "A-3-0502",
                    "role": "tenant",
                    "date_start": day,
                    "is_primary_contact": "yes",
                    "is_payer": "maybe",
                },  # 15: a second primary contact
                {
                    "name": "钱多",
                    "id_card_number": 110105199001011234,
                    "unit_code": "A-3-0503",
                    "role": "family",
                    "date_start": day,
                },  # 16: ID card typed as a number
            ],
        }
        before = self._counts()
        wizard = self._import(data)
        self.assertEqual(wizard.state, "failed")
        self.assertEqual(self._counts(), before, "nothing is created")
        self.assertFalse(self.env["property.estate"].search([("code", "=", "NEW")]))
        workbook = self._report(wizard)
        expected = {
            "Estates": {
                (2, "Estate Code"),
                (3, "Latitude"),
                (3, "Total Area (m²)"),
                (4, "Estate Code"),
                (5, "Estate Name"),
            },
            "Buildings": {
                (2, "Estate Code"),
                (3, "Building Code"),
                (4, "Floors Above Ground"),
                (5, "Floors Above Ground"),
                (5, "Floors Below Ground"),
                (5, "Use Type"),
                (6, "Building Code"),
                (7, "Completion Date"),
            },
            "Units": {
                (2, "Unit Number"),
                (3, "Floor"),
                (4, "Floor"),
                (5, "Inner Area (m²)"),
                (6, "Unit Number"),
                (6, "Gross Area (m²)"),
                (7, "Building"),
                (7, "Unit Type"),
                (8, "Floor"),
                (8, "Status"),
                (9, "Gross Area (m²)"),
                (9, "Handover Date"),
                (10, "Floor"),
            },
            "Residents": {
                (2, "Mobile"),
                (2, "Share (%)"),
                (3, "ID Card Number"),
                (3, "Role"),
                (4, "Email"),
                (4, "Unit Code"),
                (5, "Role"),
                (5, "Share (%)"),
                (6, "Share (%)"),
                (7, "End Date"),
                (8, "Role"),
                (8, "Share (%)"),
                (9, "Start Date"),
                (10, "Name"),
                (12, "Unit Code"),
                (14, "Name"),
                (15, "Primary Contact"),
                (15, "Pays the Charges"),
                (16, "ID Card Number"),
            },
        }
        total = 0
        for sheet, cells in expected.items():
            flagged, reasons = self._flagged(workbook[sheet])
            self.assertEqual(flagged, cells, f"flagged cells of {sheet}")
            self.assertEqual(set(reasons), {row for row, _h in cells}, f"rows with an Errors text in {sheet}")
            total += len(cells)
        _flagged, reasons = self._flagged(workbook["Residents"])
        self.assertIn("already has an owner", reasons[8])
        self.assertIn("Duplicate", reasons[12])
        self.assertIn("check digit", reasons[3])
        self.assertIn("stored as a number", reasons[16])
        _flagged, reasons = self._flagged(workbook["Units"])
        self.assertIn("cannot exceed the gross area", reasons[5])
        self.assertIn("already exists in Odoo", reasons[2])
        # the summary sheet counts the errors of each sheet
        summary = workbook["Error Summary"]
        self.assertEqual(workbook.sheetnames[0], "Error Summary")
        counts = {
            row[0]: row[3] for row in summary.iter_rows(min_row=2, values_only=True) if row[0] in expected
        }
        self.assertEqual(counts, {"Estates": 5, "Buildings": 8, "Units": 13, "Residents": 19})
        self.assertEqual(wizard.error_count, total)
        self.assertEqual(total, 45)
        self.assertIn("Residents: 19 errors in 13 of 15 rows", wizard.error_summary)

    def test_one_bad_row_creates_nothing(self):
        data = good_data()
        data["units"].append(
            {"building_code": "LY-1", "floor": 2, "number": "0201", "gross_area": 80, "inner_area": 81}
        )
        before = self._counts()
        wizard = self._import(data)
        self.assertEqual(wizard.state, "failed")
        self.assertEqual(wizard.error_count, 1)
        self.assertEqual(self._counts(), before)
        flagged, reasons = self._flagged(self._report(wizard)["Units"])
        self.assertEqual(flagged, {(6, "Inner Area (m²)")})
        self.assertEqual(list(reasons), [6])

    def test_duplicates_in_file(self):
        data = good_data()
        data["units"].append(dict(data["units"][0]))
        data["residents"].append(dict(data["residents"][1]))
        before = self._counts()
        wizard = self._import(data)
        self.assertEqual(wizard.state, "failed")
        self.assertEqual(self._counts(), before)
        workbook = self._report(wizard)
        flagged, reasons = self._flagged(workbook["Units"])
        self.assertEqual(flagged, {(6, "Unit Number")})
        self.assertIn("already on row 2", reasons[6])
        flagged, reasons = self._flagged(workbook["Residents"])
        # the repeated co-owner is a duplicate (and not counted twice in the unit's shares)
        self.assertEqual(flagged, {(9, "Unit Code")})
        self.assertIn("row 3", reasons[9])

    def test_error_report_uploaded_again(self):
        """The report is the user's workbook: uploaded again, its Errors column and summary
        sheet are ignored and the same errors are found."""
        data = good_data()
        data["units"][0]["inner_area"] = 100
        wizard = self._import(data)
        self.assertEqual(wizard.error_count, 1)
        again = self._wizard(base64.b64decode(wizard.report_file), file_name="import-errors.xlsx")
        again.action_import()
        self.assertEqual((again.state, again.error_count), ("failed", 1))

    def test_rollback_on_database_error(self):
        """An error raised while writing (after estates, buildings and units are created)
        rolls back everything."""
        before = self._counts()
        with patch.object(PropertyImporter, "_create_audited", side_effect=ValidationError("refused")):
            wizard = self._import(good_data())
        self.assertEqual(wizard.state, "failed")
        self.assertIn("refused", wizard.error_summary)
        self.assertEqual(self._counts(), before)
        self.assertFalse(self.env["property.estate"].search([("code", "=", "LY")]))

    def test_not_an_excel_file(self):
        wizard = self._wizard("code,name\nLY,绿苑\n".encode(), file_name="estates.csv")
        with self.assertRaisesRegex(UserError, "not an Excel workbook"):
            wizard.action_import()
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.writestr("estates.txt", "LY")
        with self.assertRaisesRegex(UserError, "not an Excel workbook"):
            self._wizard(archive.getvalue(), file_name="estates.zip").action_import()
        with self.assertRaisesRegex(UserError, "Choose the Excel file"):
            self.env["property.import.wizard"].with_user(self.user_manager).create({}).action_import()
        empty = self._wizard(xt.build_workbook(max_rows=5))
        with self.assertRaisesRegex(UserError, "no rows"):
            empty.action_import()

    def test_template(self):
        wizard = self.env["property.import.wizard"].with_user(self.user_manager).create({})
        action = wizard.action_download_template()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn("template_file", action["url"])
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.template_file)))
        self.assertEqual(workbook.sheetnames, ["Estates", "Buildings", "Units", "Residents"])
        residents = workbook["Residents"]
        headers = [cell.value for cell in residents[1]]
        self.assertEqual(headers[:6], ["Name", "Mobile", "Phone", "Email", "ID Card Number", "Unit Code"])
        self.assertIn("姓名", residents["A1"].comment.text)
        role_lists = [dv.formula1 for dv in residents.data_validations.dataValidation]
        self.assertTrue(any("co_owner" in f and "业主" in f for f in role_lists), role_lists)

    def test_front_desk_cannot_import(self):
        content = base64.b64encode(xt.build_workbook(good_data(), max_rows=30))
        with self.assertRaises(AccessError):
            self.env["property.import.wizard"].with_user(self.user_frontdesk).create(
                {"file": content, "file_name": "import.xlsx"}
            )

    def test_generated_company_round_trip(self):
        """The demo generator's data, written to the template and imported, comes back whole."""
        data = demo_generator.generate(demo_generator.scaled_spec(120))
        before = self._counts()
        wizard = self._import(data)
        self.assertEqual(wizard.state, "done", wizard.error_summary)
        self.assertEqual(
            (wizard.estate_count, wizard.building_count, wizard.unit_count, wizard.occupancy_count),
            (len(data["estates"]), len(data["buildings"]), len(data["units"]), len(data["residents"])),
        )
        after = self._counts()
        self.assertEqual(after["property.unit"] - before["property.unit"], 120)
        self.assertEqual(after["res.partner"] - before["res.partner"], wizard.partner_count)
        owners = self.env["property.occupancy"].search_count(
            [("estate_id.code", "=", "E01"), ("role", "=", "owner")]
        )
        self.assertEqual(owners, sum(1 for r in data["residents"] if r["role"] == "owner"))
        # back to draft for another file
        wizard.action_reset()
        self.assertEqual((wizard.state, wizard.file), ("draft", False))
