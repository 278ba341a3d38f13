from collections import defaultdict
from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .property_equipment_history import ASSET_STATES
from .property_equipment_inspection import INSPECTION_STATES

CRITICALITIES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]
INSPECTION_STATE_RANK = {False: 0, "valid": 1, "expiring": 2, "expired": 3}
LOCATION_FIELDS = ("estate_id", "building_id", "unit_id", "floor", "location")


class MaintenanceEquipment(models.Model):
    _name = "maintenance.equipment"
    _inherit = ["maintenance.equipment", "property.location.mixin"]

    floor = fields.Integer(
        tracking=True, help="Floor of the building; negative for basements, 0 for the roof/outside."
    )
    location = fields.Char(string="Room / Area", tracking=True)
    manufacturer = fields.Char(tracking=True)
    install_date = fields.Date(
        tracking=True, help="Put into service on this date; MTBF and age-based plans start here."
    )
    service_partner_id = fields.Many2one(
        "res.partner", string="Service Company", tracking=True, help="Maintenance contractor (维保单位)."
    )
    service_contract_ref = fields.Char(string="Service Contract")
    service_contract_end = fields.Date(tracking=True)
    criticality = fields.Selection(CRITICALITIES, default="medium", required=True, tracking=True)
    asset_state = fields.Selection(
        ASSET_STATES,
        string="Lifecycle State",
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    product_id = fields.Many2one(
        "product.product",
        check_company=True,
        help="Storable product, tracked by serial number, under which the equipment is bought and stocked.",
    )
    lot_id = fields.Many2one("stock.lot", string="Lot/Serial", readonly=True, copy=False, check_company=True)
    purchase_order_id = fields.Many2one("purchase.order", readonly=True, copy=False)
    scrap_id = fields.Many2one("stock.scrap", readonly=True, copy=False)
    retire_reason = fields.Text(string="Retirement / Scrap Reason", readonly=True, copy=False)
    history_ids = fields.One2many("property.equipment.history", "equipment_id")
    inspection_ids = fields.One2many("property.equipment.inspection", "equipment_id", string="Inspections")
    inspection_state = fields.Selection(
        INSPECTION_STATES,
        compute="_compute_inspection_state",
        store=True,
        index=True,
        help="The worst state of the equipment's current statutory certificates.",
    )
    inspection_expiry_date = fields.Date(
        compute="_compute_inspection_state", store=True, string="Next Certificate Expiry"
    )
    counter_reading_ids = fields.One2many(
        "property.equipment.counter.reading", "equipment_id", string="Counter Readings"
    )
    running_hours = fields.Float(compute="_compute_counters", store=True, digits=(16, 2))
    cycle_count = fields.Float(string="Cycles", compute="_compute_counters", store=True, digits=(16, 0))
    failure_count = fields.Integer(compute="_compute_reliability", string="Failures")
    mtbf_hours = fields.Float(
        compute="_compute_reliability",
        string="MTBF (hours)",
        digits=(16, 1),
        help="Operating hours / failures.",
    )
    mttr_hours = fields.Float(
        compute="_compute_reliability", string="MTTR (hours)", digits=(16, 1), help="Repair hours / repairs."
    )

    @api.depends("inspection_ids.state", "inspection_ids.is_superseded", "inspection_ids.expiry_date")
    def _compute_inspection_state(self):
        for equipment in self:
            current = equipment.inspection_ids.filtered(lambda i: not i.is_superseded)
            state = max(
                (i.state for i in current), key=lambda s: INSPECTION_STATE_RANK.get(s, 0), default=False
            )
            equipment.inspection_state = state
            equipment.inspection_expiry_date = min(current.mapped("expiry_date"), default=False)

    @api.depends("counter_reading_ids.value", "counter_reading_ids.date", "counter_reading_ids.counter_type")
    def _compute_counters(self):
        for equipment in self:
            values = {}
            for reading in equipment.counter_reading_ids.sorted(lambda r: (r.date, r.id)):
                values[reading.counter_type] = reading.value
            equipment.running_hours = values.get("running_hours", 0.0)
            equipment.cycle_count = values.get("cycles", 0.0)

    def _get_counter_value(self, counter_type):
        self.ensure_one()
        return self.running_hours if counter_type == "running_hours" else self.cycle_count

    @api.depends(
        "maintenance_ids.failure_date", "maintenance_ids.repair_end_date", "install_date", "scrap_date"
    )
    @api.depends_context("date")
    def _compute_reliability(self):
        figures = self._get_reliability_figures()
        for equipment in self:
            values = figures.get(equipment.id, {})
            equipment.failure_count = values.get("failure_count", 0)
            equipment.mtbf_hours = values.get("mtbf", 0.0)
            equipment.mttr_hours = values.get("mttr", 0.0)

    def _get_reliability_figures(self, date_to=None):
        """MTBF and MTTR per equipment, in hours, from its corrective requests.

        - observation window: from the in-service date (install date, else effective date) to the
          scrap date, else ``date_to`` (default: now);
        - a failure is a corrective request with a failure date; its repair lasts from the failure
          date to the repair end date (requests not repaired yet count as failures, not as repairs);
        - operating hours = window hours - repair hours; MTBF = operating hours / failures;
          MTTR = repair hours / repairs.

        The same definition drives the SQL view ``property.asset.reliability.report``.
        """
        now = date_to or fields.Datetime.now()
        requests = self.env["maintenance.request"].search(
            [
                ("equipment_id", "in", self.ids),
                ("maintenance_type", "=", "corrective"),
                ("failure_date", "!=", False),
            ]
        )
        by_equipment = defaultdict(lambda: self.env["maintenance.request"])
        for request in requests:
            by_equipment[request.equipment_id.id] |= request
        result = {}
        for equipment in self:
            start_date = equipment.install_date or equipment.effective_date
            start = datetime.combine(start_date, time.min) if start_date else now
            end = datetime.combine(equipment.scrap_date, time.min) if equipment.scrap_date else now
            mine = by_equipment[equipment.id]
            repaired = mine.filtered("repair_end_date")
            repair_hours = sum(
                (r.repair_end_date - r.failure_date).total_seconds() / 3600.0 for r in repaired
            )
            operating = max((end - start).total_seconds() / 3600.0 - repair_hours, 0.0)
            result[equipment.id] = {
                "failure_count": len(mine),
                "repair_count": len(repaired),
                "operating_hours": operating,
                "repair_hours": repair_hours,
                "mtbf": operating / len(mine) if mine else 0.0,
                "mttr": repair_hours / len(repaired) if repaired else 0.0,
            }
        return result

    @api.constrains("estate_id", "company_id")
    def _check_estate_company(self):
        for equipment in self:
            if (
                equipment.estate_id
                and equipment.company_id
                and equipment.estate_id.company_id != equipment.company_id
            ):
                raise ValidationError(
                    self.env._("Equipment %s must belong to the company of its estate.", equipment.name)
                )

    @api.onchange("estate_id")
    def _onchange_estate_id_company(self):
        if self.estate_id:
            self.company_id = self.estate_id.company_id

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        if not self.env.su and any(e.asset_state not in ("draft",) and e.history_ids for e in self):
            raise UserError(
                self.env._(
                    "Equipment with a lifecycle history cannot be deleted: retire or scrap it instead."
                )
            )

    # ------------------------------------------------------------------
    # Lifecycle: purchase -> receipt (serial) -> installation -> moves -> retirement / scrap
    # ------------------------------------------------------------------
    def _check_asset_manager(self):
        if not self.env.su and not self.env.user.has_group("property_base.group_property_manager"):
            raise AccessError(self.env._("Only property managers can run equipment lifecycle operations."))

    def _check_asset_state(self, allowed, operation):
        self._check_asset_manager()
        labels = dict(self._fields["asset_state"]._description_selection(self.env))
        for equipment in self:
            if equipment.asset_state not in allowed:
                raise UserError(
                    self.env._(
                        "%(equipment)s cannot be %(operation)s: it is %(state)s.",
                        equipment=equipment.display_name,
                        operation=operation,
                        state=labels[equipment.asset_state],
                    )
                )

    def _location_label(self):
        self.ensure_one()
        parts = [self.estate_id.name, self.building_id.name, self.unit_id.code]
        if self.floor:
            parts.append(self.env._("Floor %s", self.floor))
        parts.append(self.location)
        return " / ".join(p for p in parts if p)

    def _asset_transition(self, operation, to_state, note=False, extra=None, from_location=False):
        """Write the new state and log the step in the history (plus chatter tracking)."""
        self.ensure_one()
        from_state = self.asset_state
        self.sudo().write({"asset_state": to_state, **(extra or {})})
        self.env["property.equipment.history"].sudo().create(
            {
                "equipment_id": self.id,
                "operation": operation,
                "from_state": from_state,
                "to_state": to_state,
                "estate_id": self.estate_id.id,
                "building_id": self.building_id.id,
                "unit_id": self.unit_id.id,
                "floor": self.floor,
                "location": self.location,
                "from_location": from_location,
                "user_id": self.env.user.id,
                "note": note,
                "purchase_order_id": self.purchase_order_id.id,
                "scrap_id": self.scrap_id.id,
            }
        )

    def action_asset_purchase(self):
        """Create and confirm a purchase order of the equipment's product from its vendor."""
        self.ensure_one()
        self._check_asset_state(("draft",), self.env._("purchased"))
        if not self.product_id or not self.partner_id:
            raise UserError(
                self.env._("Set the product and the vendor of %s before purchasing it.", self.name)
            )
        if self.product_id.tracking != "serial" or not self.product_id.is_storable:
            raise UserError(
                self.env._(
                    "Product %s must be storable and tracked by serial number.", self.product_id.display_name
                )
            )
        order = (
            self.env["purchase.order"]
            .sudo()
            .create(
                {
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id or self.env.company.id,
                    "origin": self.name,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product_id.id,
                                "name": self.name,
                                "product_qty": 1.0,
                                "price_unit": self.cost or self.product_id.standard_price,
                            }
                        )
                    ],
                }
            )
        )
        order.button_confirm()
        self._asset_transition("purchase", "ordered", note=order.name, extra={"purchase_order_id": order.id})
        return True

    def action_asset_receive(self):
        """Receive the ordered equipment into the estate's stock under its serial number."""
        self.ensure_one()
        self._check_asset_state(("ordered",), self.env._("received"))
        if not self.serial_no:
            raise UserError(self.env._("Enter the serial number of %s before receiving it.", self.name))
        pickings = self.purchase_order_id.sudo().picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        move = pickings.move_ids.filtered(lambda m: m.product_id == self.product_id and m.state != "cancel")[
            :1
        ]
        if not move:
            raise UserError(self.env._("No receipt is waiting for %s.", self.name))
        picking = move.picking_id
        if self.estate_id:
            picking.location_dest_id = self.estate_id._get_spare_part_location()
        move.move_line_ids.unlink()
        self.env["stock.move.line"].sudo().create(
            {
                "move_id": move.id,
                "picking_id": picking.id,
                "product_id": self.product_id.id,
                "product_uom_id": self.product_id.uom_id.id,
                "lot_name": self.serial_no,
                "quantity": 1.0,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
            }
        )
        move.picked = True
        picking.with_context(skip_backorder=True, picking_ids_not_to_backorder=picking.ids).button_validate()
        if picking.state != "done":
            raise UserError(self.env._("The receipt %s could not be validated.", picking.name))
        lot = move.move_line_ids.lot_id[:1]
        self._asset_transition("receive", "in_stock", note=picking.name, extra={"lot_id": lot.id})
        return True

    def action_asset_register_in_use(self):
        """Register equipment that was already installed before it entered the ledger."""
        self.ensure_one()
        self._check_asset_state(("draft",), self.env._("registered as in use"))
        self._check_location_values({})
        self._asset_transition(
            "register",
            "in_use",
            note=self.env._("Registered as already in use"),
            extra={"install_date": self.install_date or fields.Date.context_today(self)},
        )
        return True

    def _asset_stock_location(self):
        """The internal location where the equipment's serial number is, if any."""
        self.ensure_one()
        if not self.lot_id:
            return self.env["stock.location"]
        quant = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("lot_id", "=", self.lot_id.id),
                    ("quantity", ">", 0),
                    ("location_id.usage", "=", "internal"),
                ],
                limit=1,
            )
        )
        return quant.location_id

    def _asset_move_stock(self, destination, name):
        """Move the serial number from its internal location to ``destination`` (done)."""
        source = self._asset_stock_location()
        if not source:
            return self.env["stock.move"]
        move = (
            self.env["stock.move"]
            .sudo()
            .create(
                {
                    "name": name,
                    "product_id": self.product_id.id,
                    "product_uom_qty": 1.0,
                    "product_uom": self.product_id.uom_id.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "company_id": self.company_id.id or self.env.company.id,
                    "origin": self.name,
                }
            )
        )
        move._action_confirm()
        move.move_line_ids.unlink()
        self.env["stock.move.line"].sudo().create(
            {
                "move_id": move.id,
                "product_id": self.product_id.id,
                "product_uom_id": self.product_id.uom_id.id,
                "lot_id": self.lot_id.id,
                "quantity": 1.0,
                "location_id": source.id,
                "location_dest_id": destination.id,
            }
        )
        move.picked = True
        move._action_done()
        return move

    def _check_location_values(self, values):
        values = {k: v for k, v in (values or {}).items() if k in LOCATION_FIELDS}
        estate = (
            self.env["property.estate"].browse(values.get("estate_id")) if values.get("estate_id") else None
        )
        if not (estate or self.estate_id or values.get("building_id") or values.get("unit_id")):
            raise UserError(self.env._("Choose the estate where %s is installed.", self.name))
        return values

    def action_asset_install(self, location_values=None, date=None, note=False):
        """Install the received equipment at its location: it leaves stock and is in use."""
        self.ensure_one()
        self._check_asset_state(("in_stock",), self.env._("installed"))
        location_values = self._check_location_values(location_values)
        self.sudo().write(location_values)
        self._asset_move_stock(
            self.env.ref("property_asset.stock_location_installed_equipment"),
            self.env._("Installation of %s", self.name),
        )
        date = date or fields.Date.context_today(self)
        self._asset_transition(
            "install",
            "in_use",
            note=note,
            extra={"install_date": self.install_date or date, "assign_date": date},
        )
        return True

    def action_asset_move(self, location_values=None, note=False):
        """Move equipment in use to another location; the move is logged."""
        self.ensure_one()
        self._check_asset_state(("in_use",), self.env._("moved"))
        location_values = self._check_location_values(location_values)
        before = self._location_label()
        self.sudo().write(location_values)
        if self._location_label() == before:
            raise UserError(self.env._("%s is already at this location.", self.name))
        self._asset_transition("move", "in_use", note=note, from_location=before)
        return True

    def action_asset_retire(self, reason, date=None):
        """Take equipment out of service for good (a retirement record, no stock involved)."""
        self.ensure_one()
        self._check_asset_state(("in_use",), self.env._("retired"))
        if not reason:
            raise UserError(self.env._("Give the reason why %s is retired.", self.name))
        date = date or fields.Date.context_today(self)
        self._asset_transition(
            "retire", "retired", note=reason, extra={"retire_reason": reason, "scrap_date": date}
        )
        self._get_plans_to_archive().write({"active": False})
        return True

    def action_asset_scrap(self, reason, date=None):
        """Scrap equipment: through a stock scrap while its serial number is in stock, otherwise
        (retired equipment) as a plain record."""
        self.ensure_one()
        self._check_asset_state(("in_stock", "retired"), self.env._("scrapped"))
        if not reason:
            raise UserError(self.env._("Give the reason why %s is scrapped.", self.name))
        date = date or self.scrap_date or fields.Date.context_today(self)
        extra = {"retire_reason": reason, "scrap_date": date}
        location = self._asset_stock_location()
        if location:
            scrap = (
                self.env["stock.scrap"]
                .sudo()
                .create(
                    {
                        "product_id": self.product_id.id,
                        "product_uom_id": self.product_id.uom_id.id,
                        "lot_id": self.lot_id.id,
                        "scrap_qty": 1.0,
                        "location_id": location.id,
                        "company_id": location.company_id.id or self.company_id.id,
                        "origin": self.name,
                    }
                )
            )
            scrap.do_scrap()
            extra["scrap_id"] = scrap.id
        self._asset_transition("scrap", "scrapped", note=reason, extra=extra)
        self._get_plans_to_archive().write({"active": False})
        return True

    def _get_plans_to_archive(self):
        return self.env["maintenance.plan"].sudo().search([("equipment_id", "in", self.ids)])

    def action_open_lifecycle_wizard(self):
        self.ensure_one()
        operation = self.env.context.get("lifecycle_operation")
        allowed = {
            "install": ("in_stock",),
            "move": ("in_use",),
            "retire": ("in_use",),
            "scrap": ("in_stock", "retired"),
        }
        self._check_asset_state(allowed.get(operation, ()), operation or "")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Equipment Lifecycle"),
            "res_model": "property.equipment.lifecycle.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_equipment_id": self.id, "default_operation": operation},
        }

    def action_view_inspections(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "property_asset.property_equipment_inspection_action"
        )
        action["domain"] = [("equipment_id", "=", self.id)]
        action["context"] = {"default_equipment_id": self.id}
        return action

    def action_view_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "property_asset.property_equipment_history_action"
        )
        action["domain"] = [("equipment_id", "=", self.id)]
        return action

    def _compute_match_serial(self):
        # a technician opens the equipment without Inventory rights: no lot of his to match
        # (Odoo's compute reads stock.lot and would refuse him the form)
        if "stock.lot" in self.env and not self.env["stock.lot"].has_access("read"):
            self.match_serial = False
            return
        super()._compute_match_serial()

    # ------------------------------------------------------------------
    # Preventive maintenance: usage- and age-based plans next to OCA's time-based ones
    # ------------------------------------------------------------------
    def _create_new_request(self, mtn_plan):
        if mtn_plan.trigger_type == "time":
            return super()._create_new_request(mtn_plan)
        if not self or mtn_plan.equipment_id != self or self.asset_state in ("retired", "scrapped"):
            return self.env["maintenance.request"]
        due = mtn_plan._get_next_due()
        if not due:
            return self.env["maintenance.request"]
        due_date, due_usage = due
        if due_date > fields.Date.context_today(self) + relativedelta(days=mtn_plan.lead_days):
            return self.env["maintenance.request"]
        Request = self.env["maintenance.request"].with_context(
            mail_activity_quick_update=mtn_plan.skip_notify_follower_on_requests,
            mail_auto_subscribe_no_notify=mtn_plan.skip_notify_follower_on_requests,
        )
        if Request.search_count(
            [
                ("maintenance_plan_id", "=", mtn_plan.id),
                ("equipment_id", "=", self.id),
                ("plan_due_date", "=", due_date),
            ]
        ):
            return self.env["maintenance.request"]
        vals = self._prepare_request_from_plan(mtn_plan, due_date)
        vals["plan_due_usage"] = due_usage
        return Request.create(vals)

    def _prepare_request_from_plan(self, maintenance_plan, next_maintenance_date):
        vals = super()._prepare_request_from_plan(maintenance_plan, next_maintenance_date)
        # named in the company's language, not in the cron's (OCA's name is English only)
        company = self.env["res.company"].browse(vals.get("company_id"))
        env = self.with_context(lang=company._property_lang()).env
        vals["name"] = env._(
            "Preventive Maintenance (%(kind)s) - %(description)s",
            kind=maintenance_plan.with_env(env).maintenance_kind_id.name or env._("Unspecified kind"),
            description=self.name if self else maintenance_plan.with_env(env).name,
        )
        vals["plan_due_date"] = next_maintenance_date
        if maintenance_plan.checklist_line_ids:
            vals["checklist_line_ids"] = [
                Command.create(line)
                for line in maintenance_plan.checklist_line_ids._prepare_request_line_values()
            ]
        return vals

    @api.model
    def _cron_generate_requests(self):
        """OCA's job covers time plans (interval > 0); usage and age plans are added here."""
        res = super()._cron_generate_requests()
        plans = (
            self.env["maintenance.plan"]
            .sudo()
            .search(
                [
                    ("trigger_type", "in", ("usage", "age")),
                    ("interval", "<=", 0),
                    ("equipment_id.active", "=", True),
                ]
            )
        )
        for plan in plans:
            plan.equipment_id._create_new_request(plan)
        return res
