"""The Excel migration workbook: its sheets and columns, and the writer of templates.

The same description drives the downloadable template (``build_workbook()``), the importer
(``wizards/property_import_wizard.py``) that reads the columns back by their headers, and the
benchmark that fills a workbook with generated data (``build_workbook(data)``)."""

import io
from collections import namedtuple
from datetime import date, datetime

import xlsxwriter

# kind: char, int, float, date, bool, selection (values in ``selection``), id_card, mobile,
# phone, email. Values are read by header, so the order of the columns does not matter.
Column = namedtuple("Column", "key label label_zh kind required note selection", defaults=(False, "", None))
Sheet = namedtuple("Sheet", "key name name_zh columns")

# Chinese labels accepted (and offered in the drop-down lists) next to the codes and the
# English labels of the selections.
SELECTION_ZH = {
    "use_type": {
        "residential": "住宅",
        "commercial": "商业",
        "office": "办公",
        "mixed": "综合",
        "parking": "车库",
    },
    "unit_type": {
        "residential": "住宅",
        "commercial": "商铺",
        "office": "办公",
        "parking": "车位",
        "storage": "储藏室",
    },
    "status": {"vacant": "空置", "occupied": "已入住", "renovating": "装修中", "let": "出租"},
    "role": {"owner": "业主", "co_owner": "共有人", "tenant": "租户", "family": "家庭成员", "other": "其他"},
}
SELECTION_ALIASES = {
    "use_type": {"商铺": "commercial", "商住": "mixed", "停车场": "parking", "mixed use": "mixed"},
    "unit_type": {
        "商业": "commercial",
        "住房": "residential",
        "停车位": "parking",
        "储藏间": "storage",
        "parking space": "parking",
        "storage room": "storage",
    },
    "status": {"自住": "occupied", "已出租": "let", "装修": "renovating", "闲置": "vacant"},
    "role": {
        "co-owner": "co_owner",
        "产权人": "owner",
        "房东": "owner",
        "租客": "tenant",
        "家属": "family",
        "family member": "family",
    },
}


def selections():
    """The models' selections (imported late: models import this package)."""
    from ..models.property_building import BUILDING_USE_TYPES
    from ..models.property_occupancy import OCCUPANCY_ROLES
    from ..models.property_unit import UNIT_STATUSES, UNIT_TYPES

    return {
        "use_type": BUILDING_USE_TYPES,
        "unit_type": UNIT_TYPES,
        "status": UNIT_STATUSES,
        "role": OCCUPANCY_ROLES,
    }


ESTATES = Sheet(
    "estates",
    "Estates",
    "小区",
    [
        Column("code", "Estate Code", "小区编码", "char", True, "Unique per company, e.g. CH"),
        Column("name", "Estate Name", "小区名称", "char", True),
        Column("street", "Street", "街道地址", "char"),
        Column("city", "City", "城市", "char"),
        Column("zip", "ZIP", "邮编", "char"),
        Column("latitude", "Latitude", "纬度", "float", False, "-90 to 90"),
        Column("longitude", "Longitude", "经度", "float", False, "-180 to 180"),
        Column("total_area", "Total Area (m²)", "总面积(平方米)", "float", False, ">= 0"),
    ],
)
BUILDINGS = Sheet(
    "buildings",
    "Buildings",
    "楼栋",
    [
        Column(
            "estate_code",
            "Estate Code",
            "小区编码",
            "char",
            True,
            "An estate of the Estates sheet or one already in Odoo",
        ),
        Column("code", "Building Code", "楼栋编码", "char", True, "Unique in its estate, e.g. 3"),
        Column("name", "Building Name", "楼栋名称", "char", True, "e.g. 3号楼"),
        Column("use_type", "Use Type", "用途", "selection", False, "Default: residential", "use_type"),
        Column("floors_above", "Floors Above Ground", "地上层数", "int", True, ">= 1"),
        Column("floors_below", "Floors Below Ground", "地下层数", "int", False, ">= 0, default 0"),
        Column("elevator_count", "Elevators", "电梯数", "int", False, ">= 0, default 0"),
        Column("completion_date", "Completion Date", "竣工日期", "date", False, "YYYY-MM-DD"),
    ],
)
UNITS = Sheet(
    "units",
    "Units",
    "房屋",
    [
        Column(
            "building_code",
            "Building",
            "楼栋(小区编码-楼栋编码)",
            "char",
            True,
            "Estate code - building code, e.g. CH-3: a building of the Buildings sheet or one already in Odoo",
        ),
        Column(
            "floor",
            "Floor",
            "楼层",
            "int",
            True,
            "Within the building's floors, negative for basements, no 0",
        ),
        Column("number", "Unit Number", "房号", "char", True, "Unique in its building, e.g. 0502"),
        Column("unit_type", "Unit Type", "房屋类型", "selection", False, "Default: residential", "unit_type"),
        Column("gross_area", "Gross Area (m²)", "建筑面积", "float", False, ">= 0"),
        Column("inner_area", "Inner Area (m²)", "套内面积", "float", False, ">= 0 and <= the gross area"),
        Column("status", "Status", "状态", "selection", False, "Default: vacant", "status"),
        Column("handover_date", "Handover Date", "交房日期", "date", False, "YYYY-MM-DD"),
    ],
)
RESIDENTS = Sheet(
    "residents",
    "Residents",
    "住户",
    [
        Column(
            "name",
            "Name",
            "姓名",
            "char",
            True,
            "Rows with the same ID card number, or the same name and mobile, are one person",
        ),
        Column("mobile", "Mobile", "手机", "mobile", False, "11 digits, e.g. 13812345678"),
        Column("phone", "Phone", "电话", "phone", False, "e.g. 0571-88886666"),
        Column("email", "Email", "邮箱", "email"),
        Column("id_card_number", "ID Card Number", "身份证号", "id_card", False, "18 characters, checked"),
        Column(
            "unit_code",
            "Unit Code",
            "房屋编码",
            "char",
            True,
            "e.g. CH-3-0502: a unit of the Units sheet or one already in Odoo",
        ),
        Column("role", "Role", "身份", "selection", True, "", "role"),
        Column(
            "share",
            "Share (%)",
            "产权份额(%)",
            "float",
            False,
            "0 to 100; owner and co-owner shares of a unit add up to 100 at most",
        ),
        Column("date_start", "Start Date", "开始日期", "date", True, "YYYY-MM-DD"),
        Column("date_end", "End Date", "结束日期", "date", False, "Empty while it lasts"),
        Column("is_primary_contact", "Primary Contact", "主要联系人", "bool", False, "yes/no (是/否)"),
        Column("is_payer", "Pays the Charges", "缴费人", "bool", False, "yes/no (是/否)"),
    ],
)
SHEETS = (ESTATES, BUILDINGS, UNITS, RESIDENTS)
ERRORS_HEADER = "Errors"
TEXT_KINDS = ("char", "id_card", "mobile", "phone", "email")


def selection_values(key):
    """Codes then Chinese labels, for drop-down lists."""
    codes = [code for code, _label in selections()[key]]
    return codes + [SELECTION_ZH[key][code] for code in codes]


def selection_lookup(key):
    """Normalised text -> code: codes, English labels, Chinese labels and aliases."""
    lookup = {}
    for code, label in selections()[key]:
        lookup[code.lower()] = code
        lookup[label.lower()] = code
        lookup[SELECTION_ZH[key][code]] = code
    lookup.update(SELECTION_ALIASES.get(key, {}))
    return lookup


def header_note(column):
    parts = [column.label_zh, "Required" if column.required else "Optional"]
    if column.note:
        parts.append(column.note)
    if column.selection:
        parts.append(
            " / ".join(
                f"{code} ({SELECTION_ZH[column.selection][code]})"
                for code, _label in selections()[column.selection]
            )
        )
    return " · ".join(parts)


def build_workbook(data=None, max_rows=2000):
    """The migration workbook as bytes: four sheets with headers, notes and drop-down lists.

    ``data`` (optional) maps sheet keys (estates, buildings, units, residents) to lists of
    dicts keyed by column key, as ``tools.demo_generator.generate()`` returns them; values are
    written as given, so tests can also write wrong ones."""
    data = data or {}
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    header_format = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    required_format = workbook.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    text_format = workbook.add_format({"num_format": "@"})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for sheet in SHEETS:
        worksheet = workbook.add_worksheet(sheet.name)
        rows = data.get(sheet.key) or []
        last_row = max(len(rows), max_rows)
        for col, column in enumerate(sheet.columns):
            worksheet.write_string(
                0, col, column.label, required_format if column.required else header_format
            )
            worksheet.write_comment(0, col, header_note(column), {"x_scale": 2, "y_scale": 1.5})
            width = max(12, len(column.label) + 4, len(column.label_zh) * 2 + 2)
            cell_format = (
                text_format if column.kind in TEXT_KINDS else (date_format if column.kind == "date" else None)
            )
            worksheet.set_column(col, col, width, cell_format)
            if column.selection:
                worksheet.data_validation(
                    1,
                    col,
                    last_row,
                    col,
                    {
                        "validate": "list",
                        "source": selection_values(column.selection),
                        "error_type": "warning",
                        "input_title": column.label_zh,
                        "input_message": header_note(column)[:255],
                    },
                )
            elif column.kind == "bool":
                worksheet.data_validation(
                    1,
                    col,
                    last_row,
                    col,
                    {"validate": "list", "source": ["yes", "no", "是", "否"], "error_type": "warning"},
                )
        worksheet.freeze_panes(1, 0)
        for row, values in enumerate(rows, start=1):
            for col, column in enumerate(sheet.columns):
                value = values.get(column.key)
                if value is None or value == "":
                    continue
                if isinstance(value, (date, datetime)):
                    worksheet.write_datetime(
                        row,
                        col,
                        datetime(value.year, value.month, value.day)
                        if not isinstance(value, datetime)
                        else value,
                        date_format,
                    )
                elif isinstance(value, bool) and column.kind == "bool":
                    worksheet.write_string(row, col, "yes" if value else "no")
                elif isinstance(value, str):
                    worksheet.write_string(row, col, value)
                else:
                    worksheet.write(row, col, value)
    workbook.close()
    return buffer.getvalue()
