"""Excel migration: estates, buildings, units and residents with their occupancies.

All or nothing. Every row of every sheet is validated first (types, required values,
selections, duplicates in the file and against the database, references to records of the
same file or of the database, areas, floors, dates, occupancy rules); the first error stops
nothing but the write: the user gets back their own workbook with each bad cell marked.
Only a file without a single error is written, in batches, in dependency order, inside a
savepoint."""

import base64
import io
import logging
import math
import re
import time
import warnings
import zipfile
from collections import defaultdict
from datetime import date, datetime

import psycopg2

from odoo import fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, email_normalize

from ..tools import xlsx_templates as xt

_logger = logging.getLogger(__name__)

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9\- ()]{4,24}$")
INT_RE = re.compile(r"^[+-]?\d+(\.0*)?$")
FLOAT_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
TRUE_WORDS = {"1", "yes", "y", "true", "t", "x", "是", "√", "✓", "✔"}
FALSE_WORDS = {"0", "no", "n", "false", "f", "否", "×"}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y-%m-%d %H:%M:%S", "%Y年%m月%d日")
OWNING_ROLES = ("owner", "co_owner")
TEMPLATE_NAME = "property_import_template.xlsx"


def _is_empty(value):
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    # pandas' NaT is a datetime that is not equal to itself
    return isinstance(value, datetime) and value != value  # noqa: PLR0124


def _pg_array(values):
    """A PostgreSQL array literal, sent as one string parameter: an ARRAY[...] expression of
    100,000 parameters takes PostgreSQL seconds to parse, the literal milliseconds."""

    def item(value):
        if value is None:
            return "NULL"
        return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'

    return "{" + ",".join(map(item, values)) + "}"


def _overlap(a_start, a_end, b_start, b_end):
    return a_start <= (b_end or date.max) and b_start <= (a_end or date.max)


class PropertyImportWizard(models.TransientModel):
    _name = "property.import.wizard"
    _description = "Property Data Import Wizard"

    file = fields.Binary(string="Excel File", attachment=False)
    file_name = fields.Char()
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Imported"), ("failed", "Failed")],
        default="draft",
        required=True,
        readonly=True,
    )
    template_file = fields.Binary(string="Template", attachment=False, readonly=True)
    template_file_name = fields.Char(default=TEMPLATE_NAME)
    report_file = fields.Binary(string="Error Report", attachment=False, readonly=True)
    report_file_name = fields.Char(readonly=True)
    error_count = fields.Integer(string="Errors", readonly=True)
    error_summary = fields.Text(readonly=True)
    row_count = fields.Integer(string="Rows Checked", readonly=True)
    estate_count = fields.Integer(string="Estates Created", readonly=True)
    building_count = fields.Integer(string="Buildings Created", readonly=True)
    unit_count = fields.Integer(string="Units Created", readonly=True)
    partner_count = fields.Integer(string="Residents Created", readonly=True)
    partner_matched_count = fields.Integer(
        string="Existing Residents Reused",
        readonly=True,
        help="Residents of the file found in Odoo by ID card number, or by name and mobile.",
    )
    occupancy_count = fields.Integer(string="Occupancies Created", readonly=True)
    validation_seconds = fields.Float(string="Validation (s)", digits=(16, 2), readonly=True)
    write_seconds = fields.Float(string="Write (s)", digits=(16, 2), readonly=True)

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_download_template(self):
        self.ensure_one()
        self.write(
            {"template_file": base64.b64encode(xt.build_workbook()), "template_file_name": TEMPLATE_NAME}
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/template_file/{TEMPLATE_NAME}?download=true",
            "target": "download",
        }

    def action_import(self):
        """Validate the whole file; write it only if it has no error at all."""
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Choose the Excel file (.xlsx) to import."))
        started = time.perf_counter()
        content = base64.b64decode(self.file)
        importer = PropertyImporter(self.env, self._read_workbook(content, self.file_name))
        importer.validate()
        validated = time.perf_counter()
        values = {"validation_seconds": validated - started, "row_count": importer.row_count}
        if importer.error_count:
            report_name = re.sub(r"\.xlsx$", "", self.file_name or "import", flags=re.IGNORECASE)
            values.update(
                state="failed",
                error_count=importer.error_count,
                error_summary=importer.summary_text(),
                report_file=base64.b64encode(importer.error_report(content)),
                report_file_name=f"{report_name}-errors.xlsx",
            )
            self.write(values)
            return self._action_reopen()
        try:
            with self.env.cr.savepoint():
                counts = importer.create_records()
        except (UserError, ValidationError, psycopg2.Error) as error:
            # the savepoint is rolled back: nothing of the file is left in the database
            _logger.info("Property import rolled back: %s", error)
            values.update(
                state="failed",
                error_count=1,
                error_summary=self.env._(
                    "Nothing was imported: the database refused the data.\n%s",
                    error.args[0] if error.args else error,
                ),
            )
            self.write(values)
            return self._action_reopen()
        values.update(counts, state="done", write_seconds=time.perf_counter() - validated)
        self.write(values)
        return self._action_reopen()

    def action_reset(self):
        self.ensure_one()
        self.write(
            {
                "state": "draft",
                "file": False,
                "file_name": False,
                "report_file": False,
                "report_file_name": False,
                "error_count": 0,
                "error_summary": False,
            }
        )
        return self._action_reopen()

    def _action_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import from Excel"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    @staticmethod
    def _is_xlsx(content):
        """An Office Open XML workbook: a zip archive holding xl/workbook.xml."""
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                return "xl/workbook.xml" in archive.namelist()
        except zipfile.BadZipFile:
            return False

    def _read_workbook(self, content, file_name):
        """{sheet: DataFrame (header row included)} of the workbook, read with pandas."""
        import pandas as pd

        if not self._is_xlsx(content):
            raise UserError(
                self.env._(
                    "%s is not an Excel workbook (.xlsx). Download the template, fill it in and "
                    "upload it as .xlsx (an old .xls or a CSV file must be saved as .xlsx first).",
                    file_name or self.env._("The file"),
                )
            )
        try:
            frames = pd.read_excel(
                io.BytesIO(content), sheet_name=None, header=None, dtype=object, engine="calamine"
            )
        except Exception as error:  # any failure of the reader means an unreadable file
            raise UserError(
                self.env._(
                    "%(file)s cannot be read as an Excel workbook: %(error)s",
                    file=file_name or self.env._("The file"),
                    error=error,
                )
            ) from error
        return frames


class PropertyImporter:
    """Validates the rows of a workbook and writes them. Plain Python, one per import."""

    def __init__(self, env, frames):
        self.env = env
        self.company = env.company
        self.rows = {}  # sheet key -> [(excel row number, {column key: parsed value})]
        self.columns = {}  # sheet key -> {column key: column index (0-based)}
        self.sheet_names = {}  # sheet key -> sheet name in the file
        self.errors = defaultdict(lambda: defaultdict(list))  # sheet -> row -> [(column, message)]
        self.sheet_errors = defaultdict(list)  # sheet -> [message]
        self.selection_lookups = {key: xt.selection_lookup(key) for key in xt.SELECTION_ZH}
        self._match_sheets(frames)
        self.row_count = sum(len(rows) for rows in self.rows.values())
        # built by validate(), used by create_records()
        self.partner_groups = {}  # resident row -> group id
        self.group_partner = {}  # group id -> existing partner id
        self.group_values = {}

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------
    def _match_sheets(self, frames):
        by_name = {}
        for sheet in xt.SHEETS:
            by_name[sheet.name.lower()] = sheet
            by_name[sheet.name_zh] = sheet
        found = False
        for name, frame in frames.items():
            sheet = by_name.get(str(name).strip().lower())
            if not sheet or sheet.key in self.sheet_names:
                continue
            found = True
            self.sheet_names[sheet.key] = name
            self._read_sheet(sheet, frame)
        if not found:
            raise UserError(
                self.env._(
                    "The workbook has none of the sheets %s: download the template and fill it in.",
                    ", ".join(sheet.name for sheet in xt.SHEETS),
                )
            )
        if not any(self.rows.values()):
            raise UserError(self.env._("The workbook has no rows to import."))

    def _header_lookup(self, sheet):
        lookup = {}
        for column in sheet.columns:
            for text in (column.key, column.label, column.label_zh):
                lookup[self._norm_header(text)] = column.key
        return lookup

    @staticmethod
    def _norm_header(text):
        return re.sub(r"\s+", " ", str(text)).strip().strip("*").strip().lower()

    def _read_sheet(self, sheet, frame):
        records = list(frame.itertuples(index=False, name=None))
        self.rows[sheet.key] = []
        if not records:
            self.columns[sheet.key] = {}
            return
        lookup = self._header_lookup(sheet)
        columns = {}
        for index, header in enumerate(records[0]):
            if _is_empty(header):
                continue
            norm = self._norm_header(header)
            key = lookup.get(norm)
            if key is None:
                # "Code / 编码" or a two-line "Code\n编码" header
                parts = [p for p in re.split(r"[/\n]", str(header)) if p.strip()]
                key = next(
                    (lookup[self._norm_header(p)] for p in parts if self._norm_header(p) in lookup), None
                )
            if key is None:
                continue  # extra columns (such as the Errors column of a report) are ignored
            if key in columns:
                self.sheet_errors[sheet.key].append(self.env._("Column %s appears twice.", header))
                continue
            columns[key] = index
        self.columns[sheet.key] = columns
        missing = [c.label for c in sheet.columns if c.required and c.key not in columns]
        if missing:
            self.sheet_errors[sheet.key].append(
                self.env._("Required columns are missing: %s.", ", ".join(missing))
            )
        parsers = [(column, columns[column.key]) for column in sheet.columns if column.key in columns]
        for offset, record in enumerate(records[1:], start=2):
            if all(_is_empty(v) for v in record):
                continue
            values = {}
            for column, index in parsers:
                raw = record[index] if index < len(record) else None
                if _is_empty(raw):
                    values[column.key] = None
                    if column.required:
                        self.error(sheet.key, offset, column.key, self.env._("%s is required.", column.label))
                    continue
                value, message = self._parse(column, raw)
                if message:
                    self.error(sheet.key, offset, column.key, message)
                values[column.key] = value
            for column in sheet.columns:
                values.setdefault(column.key, None)
            self.rows[sheet.key].append((offset, values))

    def error(self, sheet_key, row, column_key, message):
        self.errors[sheet_key][row].append((column_key, message))

    def has_error(self, sheet_key, row, *column_keys):
        errors = self.errors[sheet_key].get(row)
        if not errors:
            return False
        return not column_keys or any(col in column_keys for col, _msg in errors)

    # ------------------------------------------------------------------
    # Cell parsing: (value, error message)
    # ------------------------------------------------------------------
    def _parse(self, column, raw):
        return getattr(self, f"_parse_{column.kind}")(column, raw)

    def _parse_char(self, column, raw):
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, datetime):
            raw = raw.date().isoformat()
        return str(raw).strip(), None

    def _parse_int(self, column, raw):
        if isinstance(raw, bool):
            raw = int(raw)
        if isinstance(raw, int):
            return raw, None
        if isinstance(raw, float) and raw.is_integer():
            return int(raw), None
        if isinstance(raw, str) and INT_RE.match(raw.strip()):
            return int(float(raw.strip())), None
        return None, self.env._(
            "%(column)s must be a whole number, not “%(value)s”.", column=column.label, value=raw
        )

    def _parse_float(self, column, raw):
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return float(raw), None
        if isinstance(raw, str) and FLOAT_RE.match(raw.strip().replace(",", "")):
            return float(raw.strip().replace(",", "")), None
        return None, self.env._(
            "%(column)s must be a number, not “%(value)s”.", column=column.label, value=raw
        )

    def _parse_date(self, column, raw):
        if isinstance(raw, datetime):
            return raw.date(), None
        if isinstance(raw, date):
            return raw, None
        if isinstance(raw, str):
            text = raw.strip()
            for fmt in DATE_FORMATS:
                try:
                    return datetime.strptime(text, fmt).date(), None
                except ValueError:
                    continue
        return None, self.env._(
            "%(column)s must be a date (YYYY-MM-DD), not “%(value)s”.", column=column.label, value=raw
        )

    def _parse_bool(self, column, raw):
        if isinstance(raw, bool):
            return raw, None
        text = str(int(raw) if isinstance(raw, float) and raw.is_integer() else raw).strip().lower()
        if text in TRUE_WORDS:
            return True, None
        if text in FALSE_WORDS:
            return False, None
        return None, self.env._(
            "%(column)s must be yes or no (是/否), not “%(value)s”.", column=column.label, value=raw
        )

    def _parse_selection(self, column, raw):
        code = self.selection_lookups[column.selection].get(str(raw).strip().lower())
        if code:
            return code, None
        return None, self.env._(
            "“%(value)s” is not a valid %(column)s. Use one of: %(allowed)s.",
            value=raw,
            column=column.label,
            allowed=", ".join(xt.selection_values(column.selection)),
        )

    def _parse_id_card(self, column, raw):
        if not isinstance(raw, str):
            return None, self.env._(
                "ID card number “%s” was stored as a number, which loses digits: enter it as text.", raw
            )
        value = raw.strip().upper()
        if not re.fullmatch(r"\d{17}[\dX]", value):
            return None, self.env._("ID card number “%s” must be 17 digits followed by a digit or X.", raw)
        try:
            datetime.strptime(value[6:14], "%Y%m%d")
        except ValueError:
            return None, self.env._("ID card number “%s” holds no valid birth date.", raw)
        check = ID_CHECK[sum(int(c) * w for c, w in zip(value[:17], ID_WEIGHTS, strict=True)) % 11]
        if value[17] != check:
            return None, self.env._("ID card number “%s” has a wrong check digit.", raw)
        return value, None

    def _parse_mobile(self, column, raw):
        text = str(int(raw)) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else str(raw)
        digits = re.sub(r"[\s\-()]", "", text)
        if digits.startswith("+86"):
            digits = digits[3:]
        elif digits.startswith("86") and len(digits) == 13:
            digits = digits[2:]
        if not MOBILE_RE.match(digits):
            return None, self.env._("“%s” is not a valid mobile number (11 digits starting with 1).", raw)
        return digits, None

    def _parse_phone(self, column, raw):
        text = (
            str(int(raw)) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else str(raw).strip()
        )
        if not PHONE_RE.match(text):
            return None, self.env._("“%s” is not a valid phone number.", raw)
        return text, None

    def _parse_email(self, column, raw):
        text = str(raw).strip()
        if not email_normalize(text):
            return None, self.env._("“%s” is not a valid email address.", raw)
        return text, None

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------
    @property
    def error_count(self):
        return sum(len(messages) for rows in self.errors.values() for messages in rows.values()) + sum(
            len(messages) for messages in self.sheet_errors.values()
        )

    def validate(self):
        self._validate_estates()
        self._validate_buildings()
        self._validate_units()
        self._validate_residents()

    def _validate_estates(self):
        rows = self.rows.get("estates", [])
        self.db_estates = {
            e["code"]: e["id"]
            for e in self.env["property.estate"]
            .with_context(active_test=False)
            .search_read([("company_id", "=", self.company.id)], ["code"])
        }
        self.file_estates = {}
        for row, v in rows:
            code = v["code"]
            if code:
                if code in self.file_estates:
                    self.error(
                        "estates",
                        row,
                        "code",
                        self.env._(
                            "Estate code %(code)s is already on row %(row)s.",
                            code=code,
                            row=self.file_estates[code],
                        ),
                    )
                elif code in self.db_estates:
                    self.error("estates", row, "code", self.env._("Estate %s already exists in Odoo.", code))
                else:
                    self.file_estates[code] = row
            if v["latitude"] is not None and not -90 <= v["latitude"] <= 90:
                self.error("estates", row, "latitude", self.env._("The latitude must be between -90 and 90."))
            if v["longitude"] is not None and not -180 <= v["longitude"] <= 180:
                self.error(
                    "estates", row, "longitude", self.env._("The longitude must be between -180 and 180.")
                )
            if v["total_area"] is not None and v["total_area"] < 0:
                self.error("estates", row, "total_area", self.env._("The total area cannot be negative."))

    def _validate_buildings(self):
        estate_codes = {eid: code for code, eid in self.db_estates.items()}
        # full code (estate-building) -> {id, floors_above, floors_below}
        self.db_buildings = {}
        for b in (
            self.env["property.building"]
            .with_context(active_test=False)
            .search_read(
                [("company_id", "=", self.company.id)],
                ["code", "estate_id", "floors_above", "floors_below"],
                load=None,
            )
        ):
            self.db_buildings[f"{estate_codes.get(b['estate_id'])}-{b['code']}"] = b
        self.file_buildings = {}  # full code -> (row, values)
        for row, v in self.rows.get("buildings", []):
            estate = v["estate_code"]
            if estate and estate not in self.file_estates and estate not in self.db_estates:
                self.error(
                    "buildings",
                    row,
                    "estate_code",
                    self.env._("Estate %s is neither in the Estates sheet nor in Odoo.", estate),
                )
            if estate and v["code"]:
                full = f"{estate}-{v['code']}"
                if full in self.file_buildings:
                    self.error(
                        "buildings",
                        row,
                        "code",
                        self.env._(
                            "Building %(code)s is already on row %(row)s.",
                            code=full,
                            row=self.file_buildings[full][0],
                        ),
                    )
                elif full in self.db_buildings:
                    self.error(
                        "buildings", row, "code", self.env._("Building %s already exists in Odoo.", full)
                    )
                else:
                    self.file_buildings[full] = (row, v)
            if v["floors_above"] is not None and v["floors_above"] < 1:
                self.error(
                    "buildings",
                    row,
                    "floors_above",
                    self.env._("A building has at least one floor above ground."),
                )
            for key, message in (
                ("floors_below", self.env._("Floors below ground cannot be negative.")),
                ("elevator_count", self.env._("The number of elevators cannot be negative.")),
            ):
                if v[key] is not None and v[key] < 0:
                    self.error("buildings", row, key, message)

    def _building_floors(self, full):
        """(lowest, highest) floor of a building of the file or the database, None if unknown."""
        if full in self.file_buildings:
            row, v = self.file_buildings[full]
            if self.has_error("buildings", row, "floors_above", "floors_below") or v["floors_above"] is None:
                return None
            return -(v["floors_below"] or 0), v["floors_above"]
        building = self.db_buildings.get(full)
        return (-building["floors_below"], building["floors_above"]) if building else None

    def _validate_units(self):
        rows = self.rows.get("units", [])
        resident_codes = {v["unit_code"] for _r, v in self.rows.get("residents", []) if v["unit_code"]}
        db_building_ids = {
            self.db_buildings[v["building_code"]]["id"]
            for _r, v in rows
            if v["building_code"] in self.db_buildings
        }
        Unit = self.env["property.unit"].with_context(active_test=False)
        # units of the file's database buildings (duplicates) and the units residents point at
        domain = [
            ("company_id", "=", self.company.id),
            "|",
            ("building_id", "in", list(db_building_ids)),
            ("code", "in", list(resident_codes)),
        ]
        self.db_units = {}  # code -> id
        db_numbers = set()  # (building id, number)
        for u in Unit.search_read(domain, ["code", "building_id", "number"], load=None):
            self.db_units[u["code"]] = u["id"]
            db_numbers.add((u["building_id"], u["number"]))
        self.file_units = {}  # unit code -> row
        for row, v in rows:
            full = v["building_code"]
            known = full in self.file_buildings or full in self.db_buildings
            if full and not known:
                self.error(
                    "units",
                    row,
                    "building_code",
                    self.env._("Building %s is neither in the Buildings sheet nor in Odoo.", full),
                )
            if full and v["number"]:
                code = f"{full}-{v['number']}"
                if code in self.file_units:
                    self.error(
                        "units",
                        row,
                        "number",
                        self.env._(
                            "Unit %(code)s is already on row %(row)s.", code=code, row=self.file_units[code]
                        ),
                    )
                elif full in self.db_buildings and (self.db_buildings[full]["id"], v["number"]) in db_numbers:
                    self.error("units", row, "number", self.env._("Unit %s already exists in Odoo.", code))
                elif known:
                    self.file_units[code] = row
            floor = v["floor"]
            if floor is not None:
                floors = self._building_floors(full) if known else None
                if floor == 0:
                    self.error(
                        "units",
                        row,
                        "floor",
                        self.env._(
                            "There is no floor 0: use 1 for the ground floor, -1 for the first basement."
                        ),
                    )
                elif floors and not floors[0] <= floor <= floors[1]:
                    self.error(
                        "units",
                        row,
                        "floor",
                        self.env._(
                            "Floor %(floor)s is outside building %(building)s (floors %(low)s to %(high)s).",
                            floor=floor,
                            building=full,
                            low=floors[0] or 1,
                            high=floors[1],
                        ),
                    )
            gross, inner = v["gross_area"], v["inner_area"]
            if gross is not None and gross < 0:
                self.error("units", row, "gross_area", self.env._("The gross area cannot be negative."))
            if inner is not None and inner < 0:
                self.error("units", row, "inner_area", self.env._("The inner area cannot be negative."))
            elif inner is not None and inner > (gross or 0.0):
                self.error(
                    "units",
                    row,
                    "inner_area",
                    self.env._(
                        "The inner area (%(inner)s) cannot exceed the gross area (%(gross)s).",
                        inner=inner,
                        gross=gross or 0.0,
                    ),
                )

    def _validate_residents(self):
        rows = self.rows.get("residents", [])
        if not rows:
            return
        for row, v in rows:
            code = v["unit_code"]
            if code and code not in self.file_units and code not in self.db_units:
                self.error(
                    "residents",
                    row,
                    "unit_code",
                    self.env._("Unit %s is neither in the Units sheet nor in Odoo.", code),
                )
            if v["share"] is not None and not 0 <= v["share"] <= 100:
                self.error("residents", row, "share", self.env._("A share is between 0 and 100%."))
            if v["date_start"] and v["date_end"] and v["date_end"] < v["date_start"]:
                self.error("residents", row, "date_end", self.env._("The end date is before the start date."))
        self._group_residents(rows)
        self._check_occupancies(rows)

    def _group_residents(self, rows):
        """One partner per person: rows with the same ID card number, or the same name and
        mobile, are linked (union-find); each group is matched against existing partners."""
        parent = {}

        def find(key):
            while parent.setdefault(key, key) != key:
                parent[key] = parent[parent[key]]
                key = parent[key]
            return key

        def union(a, b):
            parent[find(a)] = find(b)

        row_keys = {}
        for row, v in rows:
            keys = []
            if v["id_card_number"]:
                keys.append(("id", v["id_card_number"]))
            if v["name"] and v["mobile"]:
                keys.append(("nm", v["name"], v["mobile"]))
            if not keys:
                keys.append(("row", row))
            for key in keys[1:]:
                union(keys[0], key)
            row_keys[row] = keys[0]
        groups = defaultdict(list)
        for row, v in rows:
            group = find(row_keys[row])
            self.partner_groups[row] = group
            groups[group].append((row, v))
        # a person has one ID card number and one name
        for group, members in groups.items():
            first_id = next(((r, v["id_card_number"]) for r, v in members if v["id_card_number"]), None)
            first_name = members[0]
            values = {}
            for row, v in members:
                if first_id and v["id_card_number"] and v["id_card_number"] != first_id[1]:
                    self.error(
                        "residents",
                        row,
                        "id_card_number",
                        self.env._(
                            "Same name and mobile as row %(row)s, but another ID card number.",
                            row=first_id[0],
                        ),
                    )
                if v["name"] and first_name[1]["name"] and v["name"] != first_name[1]["name"]:
                    self.error(
                        "residents",
                        row,
                        "name",
                        self.env._(
                            "Same ID card number as row %(row)s, but another name (%(name)s).",
                            row=first_name[0],
                            name=first_name[1]["name"],
                        ),
                    )
                for key in ("name", "mobile", "phone", "email", "id_card_number"):
                    if v[key] and not values.get(key):
                        values[key] = v[key]
            self.group_values[group] = values
        # existing partners: by ID card number first, then by name and mobile
        Partner = self.env["res.partner"].with_context(active_test=False)
        id_cards = [
            vals["id_card_number"] for vals in self.group_values.values() if vals.get("id_card_number")
        ]
        by_id_card = {}
        if id_cards:
            for p in Partner.search_read(
                [("id_card_number", "in", id_cards)], ["id_card_number"], order="id"
            ):
                by_id_card.setdefault(p["id_card_number"], p["id"])
        mobiles = [vals["mobile"] for vals in self.group_values.values() if vals.get("mobile")]
        by_name_mobile = {}
        if mobiles:
            names = list(
                {
                    vals["name"]
                    for vals in self.group_values.values()
                    if vals.get("mobile") and vals.get("name")
                }
            )
            for p in Partner.search_read(
                [("mobile", "in", mobiles), ("name", "in", names)], ["name", "mobile"], order="id"
            ):
                by_name_mobile.setdefault((p["name"], p["mobile"]), p["id"])
        for group, vals in self.group_values.items():
            partner_id = by_id_card.get(vals.get("id_card_number")) or by_name_mobile.get(
                (vals.get("name"), vals.get("mobile"))
            )
            if partner_id:
                self.group_partner[group] = partner_id

    def _check_occupancies(self, rows):
        """Occupancy rules per unit, over the file's rows and the unit's existing occupancies:
        no duplicate, one owner and one primary contact at a time, shares up to 100%."""
        by_unit = defaultdict(list)
        for row, v in rows:
            if (
                v["unit_code"]
                and v["role"]
                and v["date_start"]
                and not self.has_error(
                    "residents", row, "unit_code", "role", "date_start", "date_end", "share"
                )
            ):
                by_unit[v["unit_code"]].append(
                    {
                        "row": row,
                        "partner": ("file", self.partner_groups[row]),
                        "role": v["role"],
                        "share": v["share"] or 0.0,
                        "start": v["date_start"],
                        "end": v["date_end"],
                        "primary": bool(v["is_primary_contact"]),
                    }
                )
        db_unit_ids = {self.db_units[code]: code for code in by_unit if code in self.db_units}
        if db_unit_ids:
            partner_groups = defaultdict(list)
            for group, partner_id in self.group_partner.items():
                partner_groups[partner_id].append(group)
            for occ in (
                self.env["property.occupancy"]
                .with_context(active_test=False)
                .search_read(
                    [("unit_id", "in", list(db_unit_ids))],
                    [
                        "unit_id",
                        "partner_id",
                        "role",
                        "share",
                        "date_start",
                        "date_end",
                        "is_primary_contact",
                    ],
                    load=None,
                )
            ):
                groups = partner_groups.get(occ["partner_id"])
                by_unit[db_unit_ids[occ["unit_id"]]].append(
                    {
                        "row": None,
                        "partner": ("file", groups[0]) if groups else ("db", occ["partner_id"]),
                        "role": occ["role"],
                        "share": occ["share"] or 0.0,
                        "start": occ["date_start"],
                        "end": occ["date_end"] or None,
                        "primary": occ["is_primary_contact"],
                    }
                )
        for unit, occupancies in by_unit.items():
            # existing occupancies first: the file's rows are the ones to blame
            occupancies.sort(key=lambda o: (o["row"] is not None, o["row"] or 0))
            seen = {}
            for occ in occupancies:
                key = (occ["partner"], occ["role"], occ["start"])
                if key in seen and occ["row"]:
                    where = self.env._("row %s", seen[key]["row"]) if seen[key]["row"] else self.env._("Odoo")
                    self.error(
                        "residents",
                        occ["row"],
                        "unit_code",
                        self.env._(
                            "Duplicate: the same person, unit, role and start date are already on %s.", where
                        ),
                    )
                    occ["duplicate"] = True
                else:
                    seen.setdefault(key, occ)
            kept = [o for o in occupancies if not o.get("duplicate")]
            if len(kept) < 2:
                continue
            for i, occ in enumerate(kept):
                if not occ["row"]:
                    continue
                for other in kept[:i]:
                    if not _overlap(occ["start"], occ["end"], other["start"], other["end"]):
                        continue
                    where = self.env._("row %s", other["row"]) if other["row"] else self.env._("Odoo")
                    if occ["role"] == "owner" and other["role"] == "owner":
                        self.error(
                            "residents",
                            occ["row"],
                            "role",
                            self.env._(
                                "Unit %(unit)s already has an owner for this period (%(where)s): one owner at a "
                                "time, use co-owners for shared ownership.",
                                unit=unit,
                                where=where,
                            ),
                        )
                    if occ["primary"] and other["primary"]:
                        self.error(
                            "residents",
                            occ["row"],
                            "is_primary_contact",
                            self.env._(
                                "Unit %(unit)s already has a primary contact for this period (%(where)s).",
                                unit=unit,
                                where=where,
                            ),
                        )
            owning = [o for o in kept if o["role"] in OWNING_ROLES]
            for day in sorted({o["start"] for o in owning}):
                active = [o for o in owning if o["start"] <= day and (not o["end"] or o["end"] >= day)]
                total = sum(o["share"] for o in active)
                if total > 100.0001:
                    for occ in active:
                        if occ["row"] and occ["share"]:
                            self.error(
                                "residents",
                                occ["row"],
                                "share",
                                self.env._(
                                    "The owner and co-owner shares of unit %(unit)s add up to %(total)s%% on "
                                    "%(day)s: at most 100%%.",
                                    unit=unit,
                                    total=round(total, 2),
                                    day=day,
                                ),
                            )
                    break

    # ------------------------------------------------------------------
    # Writing: batches in dependency order (the caller holds the savepoint)
    # ------------------------------------------------------------------
    def create_records(self):
        env = self.env(
            context=dict(
                self.env.context,
                tracking_disable=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
                mail_notrack=True,
            )
        )

        timer = time.perf_counter()
        timings = []

        def lap(step):
            nonlocal timer
            now = time.perf_counter()
            timings.append(f"{step} {now - timer:.1f}s")
            timer = now

        def clean(values, keys):
            return {k: values[k] for k in keys if values.get(k) is not None}

        estate_keys = [c.key for c in xt.ESTATES.columns]
        estates = env["property.estate"].create(
            [
                {**clean(v, estate_keys), "company_id": self.company.id}
                for _r, v in self.rows.get("estates", [])
            ]
        )
        estate_ids = dict(self.db_estates, **{e.code: e.id for e in estates})
        lap("estates")

        building_keys = [c.key for c in xt.BUILDINGS.columns if c.key != "estate_code"]
        building_rows = self.rows.get("buildings", [])
        buildings = env["property.building"].create(
            [
                {**clean(v, building_keys), "estate_id": estate_ids[v["estate_code"]]}
                for _r, v in building_rows
            ]
        )
        building_ids = {full: b["id"] for full, b in self.db_buildings.items()}
        building_ids.update(
            {
                f"{v['estate_code']}-{v['code']}": b.id
                for (_r, v), b in zip(building_rows, buildings, strict=True)
            }
        )
        lap("buildings")

        unit_keys = [c.key for c in xt.UNITS.columns if c.key != "building_code"]
        unit_rows = self.rows.get("units", [])
        units = env["property.unit"].create(
            [{**clean(v, unit_keys), "building_id": building_ids[v["building_code"]]} for _r, v in unit_rows]
        )
        env.flush_all()
        unit_ids = dict(self.db_units)
        unit_ids.update(
            {f"{v['building_code']}-{v['number']}": u.id for (_r, v), u in zip(unit_rows, units, strict=True)}
        )
        lap("units")

        resident_rows = self.rows.get("residents", [])
        new_groups = [g for g in dict.fromkeys(self.partner_groups.values()) if g not in self.group_partner]
        # The wizard is for property managers (ACL); the contact-creation right is not part of
        # the property groups, so residents are created as superuser (the audit log keeps the uid).
        partners = self._create_audited(
            env["res.partner"].sudo(),
            [{key: value for key, value in self.group_values[g].items() if value} for g in new_groups],
            # no salesperson: given, it spares a per-record compute that only copies the
            # salesperson of a parent company, which residents don't have
            unlogged={"user_id": False},
        )
        env.flush_all()
        lap("residents")
        partner_ids = dict(self.group_partner)
        partner_ids.update({g: p.id for g, p in zip(new_groups, partners, strict=True)})
        occupancy_keys = ("role", "share", "date_start", "date_end")
        occupancies = self._create_audited(
            env["property.occupancy"],
            [
                {
                    **clean(v, occupancy_keys),
                    "unit_id": unit_ids[v["unit_code"]],
                    "partner_id": partner_ids[self.partner_groups[row]],
                    "is_primary_contact": bool(v["is_primary_contact"]),
                    "is_payer": bool(v["is_payer"]),
                }
                for row, v in resident_rows
            ],
        )
        env.flush_all()
        lap("occupancies")
        _logger.info("Property import written: %s", ", ".join(timings))
        return {
            "estate_count": len(estates),
            "building_count": len(buildings),
            "unit_count": len(units),
            "partner_count": len(partners),
            "partner_matched_count": len(set(self.group_partner.values())),
            "occupancy_count": len(occupancies),
        }

    def _create_audited(self, model, vals_list, unlogged=None):
        """``model.create(vals_list)``, with the audit trail written in bulk.

        OCA auditlog logs a create record by record (one ``auditlog.log`` and its lines
        through the ORM, some 3 ms a record: two thirds of a 10,000-unit migration). Where its
        "fast" create log applies, the records are created through the unpatched create and
        the very same log rows (one log per record, one line per value given) are inserted
        with two INSERT statements: the ORM cannot keep up with some 200,000 log lines.

        ``unlogged`` values are added to every record's values, but not to its log."""
        unlogged = unlogged or {}
        model_class = type(model)
        patched = model_class.create
        if not vals_list or not (
            getattr(model_class, "auditlog_ruled_create", False) and hasattr(patched, "origin")
        ):
            return model.create([{**unlogged, **vals} for vals in vals_list])
        rule = (
            self.env["auditlog.rule"]
            .sudo()
            .search(
                [
                    ("model_id.model", "=", model._name),
                    ("state", "=", "subscribed"),
                    ("log_create", "=", True),
                ],
                limit=1,
            )
        )
        if not rule or rule.log_type != "fast":
            # full logs read the records back: leave them to auditlog
            return model.create([{**unlogged, **vals} for vals in vals_list])
        vals_list = rule._update_vals_list(vals_list)
        logged = [dict(vals) for vals in vals_list]
        records = patched.origin(
            model.with_context(auditlog_disabled=True), [{**unlogged, **vals} for vals in vals_list]
        )
        if self.env.user in rule.users_to_exclude_ids:
            return records
        from odoo.addons.auditlog.models.rule import FIELDS_BLACKLIST

        excluded = set(rule.fields_to_exclude_ids.mapped("name")) | set(FIELDS_BLACKLIST)
        model_id = rule.model_id.id
        field_info = {}
        for fname in {f for vals in logged for f in vals} - excluded:
            field = rule._get_field(model_id, fname)
            if field:
                field_info[fname] = field
        names, res_ids = [], []
        for record, vals in zip(records, logged, strict=True):
            if any(f in field_info for f in vals):
                names.append((record.display_name or "")[:64])
                res_ids.append(record.id)
        if not res_ids:
            return records
        uid, now = self.env.uid, self.env.cr.now()
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO auditlog_log (name, model_id, model_name, model_model, res_id, user_id, method,
                                      log_type, http_request_id, http_session_id,
                                      create_uid, create_date, write_uid, write_date)
            SELECT t.name, %(model_id)s, %(model_name)s, %(model)s, t.res_id, %(uid)s, 'create',
                   'fast', %(request)s, %(session)s, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(names)s::varchar[], %(res_ids)s::int[]) AS t(name, res_id)
            RETURNING id, res_id
            """,
                model_id=model_id,
                model_name=rule.model_id.name,
                model=model._name,
                uid=uid,
                now=now,
                request=self.env["auditlog.http.request"].sudo().current_http_request() or None,
                session=self.env["auditlog.http.session"].sudo().current_http_session() or None,
                names=_pg_array(names),
                res_ids=_pg_array(res_ids),
            )
        )
        log_ids = {res_id: log_id for log_id, res_id in self.env.cr.fetchall()}
        lines = ([], [], [], [], [])
        for record, vals in zip(records, logged, strict=True):
            for fname, value in vals.items():
                field = field_info.get(fname)
                if not field:
                    continue
                for column, item in zip(
                    lines,
                    (
                        field["id"],
                        log_ids[record.id],
                        None if value is None or value is False else str(value),
                        field["name"],
                        field["field_description"],
                    ),
                    strict=True,
                ):
                    column.append(item)
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO auditlog_log_line (field_id, log_id, new_value, new_value_text, field_name,
                                           field_description, create_uid, create_date, write_uid, write_date)
            SELECT t.field_id, t.log_id, t.value, t.value, t.name, t.description, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(fields)s::int[], %(logs)s::int[], %(values)s::text[], %(names)s::varchar[],
                          %(descriptions)s::varchar[]) AS t(field_id, log_id, value, name, description)
            """,
                uid=uid,
                now=now,
                fields=_pg_array(lines[0]),
                logs=_pg_array(lines[1]),
                values=_pg_array(lines[2]),
                names=_pg_array(lines[3]),
                descriptions=_pg_array(lines[4]),
            )
        )
        return records

    # ------------------------------------------------------------------
    # Error report
    # ------------------------------------------------------------------
    def summary_lines(self):
        lines = []
        for sheet in xt.SHEETS:
            if sheet.key not in self.sheet_names:
                continue
            rows = self.errors.get(sheet.key, {})
            count = sum(len(m) for m in rows.values()) + len(self.sheet_errors.get(sheet.key, []))
            lines.append((self.sheet_names[sheet.key], len(self.rows[sheet.key]), len(rows), count))
        return lines

    def summary_text(self):
        text = [
            self.env._(
                "%(sheet)s: %(errors)s errors in %(bad)s of %(rows)s rows",
                sheet=name,
                errors=count,
                bad=bad,
                rows=rows,
            )
            for name, rows, bad, count in self.summary_lines()
        ]
        for sheet in xt.SHEETS:
            text += [f"{self.sheet_names[sheet.key]}: {m}" for m in self.sheet_errors.get(sheet.key, [])]
        return "\n".join(text)

    def error_report(self, content):
        """The uploaded workbook, each bad cell filled red with a comment giving the reasons,
        an Errors column on each sheet and an Error Summary sheet first."""
        import openpyxl
        from openpyxl.comments import Comment
        from openpyxl.styles import Font, PatternFill

        with warnings.catch_warnings():
            # openpyxl warns about Excel extensions it drops (e.g. x14 data validations):
            # the report is a copy to correct, not the reference
            warnings.simplefilter("ignore", UserWarning)
            workbook = openpyxl.load_workbook(io.BytesIO(content))
        red = PatternFill("solid", fgColor="FFC7CE")
        bold = Font(bold=True, color="9C0006")
        for sheet in xt.SHEETS:
            if sheet.key not in self.sheet_names:
                continue
            worksheet = workbook[self.sheet_names[sheet.key]]
            error_col = next(
                (cell.column for cell in worksheet[1] if str(cell.value or "").strip() == xt.ERRORS_HEADER),
                None,
            )
            if error_col:  # a report uploaded again: start its Errors column afresh
                for (cell,) in worksheet.iter_rows(min_row=2, min_col=error_col, max_col=error_col):
                    cell.value = None
            else:
                error_col = worksheet.max_column + 1
            header = worksheet.cell(1, error_col, xt.ERRORS_HEADER)
            header.font = bold
            header.fill = red
            worksheet.column_dimensions[header.column_letter].width = 80
            if self.sheet_errors.get(sheet.key):
                header.comment = Comment("\n".join(self.sheet_errors[sheet.key]), "Odoo")
            columns = self.columns.get(sheet.key, {})
            for row, errors in self.errors.get(sheet.key, {}).items():
                by_cell = defaultdict(list)
                for column_key, message in errors:
                    if column_key in columns:
                        by_cell[columns[column_key] + 1].append(message)
                for col, messages in by_cell.items():
                    cell = worksheet.cell(row, col)
                    cell.fill = red
                    cell.comment = Comment("\n".join(messages), "Odoo", width=300, height=120)
                errors_cell = worksheet.cell(row, error_col, "\n".join(m for _c, m in errors))
                errors_cell.font = bold
        if "Error Summary" in workbook.sheetnames:
            del workbook["Error Summary"]
        summary = workbook.create_sheet("Error Summary", 0)
        summary.append(
            [self.env._("Sheet"), self.env._("Rows"), self.env._("Rows with errors"), self.env._("Errors")]
        )
        for cell in summary[1]:
            cell.font = Font(bold=True)
        for line in self.summary_lines():
            summary.append(list(line))
        bad_rows = sum(line[2] for line in self.summary_lines())
        summary.append([self.env._("Total"), self.row_count, bad_rows, self.error_count])
        for sheet in xt.SHEETS:
            for message in self.sheet_errors.get(sheet.key, []):
                summary.append([self.sheet_names[sheet.key], message])
        summary.column_dimensions["A"].width = 20
        summary.column_dimensions["B"].width = 60
        workbook.active = 0
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
