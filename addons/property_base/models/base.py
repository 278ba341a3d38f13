"""PIPL: one mechanism for every field that holds a resident's phone or ID-card number.

A model lists such fields in ``_property_pii_fields`` (declarations of the same model add up;
related fields that point at one are covered too). For everyone but property managers
(and superuser code), on every path where data leaves the server:

- values are masked (``138****1234``) in ``read``/``web_read``/``search_read`` (hence the
  web client and the mail store), ``export_data``, ``onchange`` results, ``copy_data`` and
  the display name of records named by such a field;
- searching, sorting, grouping or aggregating by such a field raises ``AccessError``: a
  domain like ``('mobile', '=like', '139%')`` would otherwise recover a number in a few dozen
  ``search_count`` calls, and grouping by it would list the numbers themselves;
- the recordset helpers that read fields by name (``mapped``, ``filtered``, ``sorted``...)
  refuse such a field when called over RPC.

A record is not masked for the person it belongs to (``_property_pii_partner_field``, or
``_property_pii_records_to_mask``). Business code (sending an SMS, dialling, matching an
import) keeps the real values: it reads fields as attributes, or with ``sudo()``.
"""

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from ..tools.pii import is_masked, mask_id_card, mask_text, reveals_only

# recordset helpers that take field names and have no use over RPC
RECORDSET_HELPERS = ("mapped", "filtered", "filtered_domain", "sorted", "grouped")


def _remote_method():
    """Name of the model method the current RPC request calls, '' for another request,
    None outside a request (scripts, crons, tests)."""
    try:
        params = request.params if request else None
    except (AttributeError, RuntimeError):
        return None
    if params is None:
        return None
    if request.httprequest.path.startswith("/xmlrpc"):
        return "*"  # the method is in the XML body: assume the worst
    if params.get("service") == "object":  # /jsonrpc execute_kw(db, uid, password, model, method, ...)
        args = params.get("args") or []
        return args[4] if len(args) > 4 and isinstance(args[4], str) else ""
    method = params.get("method")
    return method if isinstance(method, str) else ""


class Base(models.AbstractModel):
    _inherit = "base"

    # Fields holding a resident's phone, mobile or ID-card number
    _property_pii_fields = ()
    # Many2one to the person the numbers belong to: they see their own numbers in full
    _property_pii_partner_field = None

    # ------------------------------------------------------------------
    # What is personal data, and who sees it in full
    # ------------------------------------------------------------------
    def _setup_complete(self):
        res = super()._setup_complete()
        type(self)._property_pii_names = None  # fields may have changed: computed again on use
        return res

    @api.model
    def _property_pii_declared(self):
        names = set()
        for klass in type(self).__mro__:
            names.update(klass.__dict__.get("_property_pii_fields", ()))
        return names

    @api.model
    def _property_pii_field_names(self):
        """Names of this model's personal-number fields: declared, or related to one."""
        cls = type(self)
        names = cls.__dict__.get("_property_pii_names")
        if names is None:
            declared = self._property_pii_declared()
            names = frozenset(
                name
                for name, field in self._fields.items()
                if name in declared or self._property_pii_is_related(field)
            )
            cls._property_pii_names = names
        return names

    @api.model
    def _property_pii_is_related(self, field):
        for __ in range(8):  # related fields chain at most a few hops
            if not field.related or not field.related_field:
                return False
            field = field.related_field
            if field.name in self.env[field.model_name]._property_pii_declared():
                return True
        return False

    @api.model
    def _property_pii_is_clear(self):
        """Whether the current user sees personal numbers in full: managers and superuser code."""
        return self.env.su or self.env.user.has_group("property_base.group_property_manager")

    def _property_pii_records_to_mask(self):
        """The records of ``self`` whose numbers the current user sees masked: all but their own."""
        fname = self._property_pii_partner_field
        if not fname:
            return self
        own = self.env.user.partner_id
        return self.browse(record.id for record in self.sudo() if record[fname] != own)

    def _property_pii_to_mask_ids(self, fname):
        """Ids of ``self`` whose ``fname`` the current user sees masked. A field related to
        another model's number follows that record's owner (a user's mobile is its partner's,
        a company's phone is not a resident's)."""
        field = self._fields[fname]
        if fname in self._property_pii_declared() or not field.related:
            return set(self._property_pii_records_to_mask()._ids)
        path = field.related.split(".") if isinstance(field.related, str) else list(field.related)
        targets = {}
        for record in self.sudo():
            target = record
            for name in path[:-1]:
                target = target[name][:1]
            targets[record.id] = target.id
        target_model = self.env[field.related_field.model_name]
        if path[-1] not in target_model._fields:
            return set(self._ids)
        hidden = target_model.browse({t for t in targets.values() if t})._property_pii_to_mask_ids(path[-1])
        return {record_id for record_id, target_id in targets.items() if target_id in hidden}

    @api.model
    def _property_pii_mask_value(self, fname, value):
        if not isinstance(value, str):
            return value
        if "id_card" in fname:
            return mask_id_card(value)
        return mask_text(value)

    @api.model
    def _property_pii_path_field(self, path, sep="."):
        """(model, field name) of the first personal-number field on ``path``, or None."""
        model = self
        for name in path.split(sep):
            field = model._fields.get(name)
            if field is None:
                return None
            if name in model._property_pii_field_names():
                return model, name
            if not field.relational:
                return None
            model = model.env[field.comodel_name]
        return None

    @api.model
    def _property_pii_refuse(self, model, fname):
        raise AccessError(
            self.env._(
                "%(field)s of %(model)s is personal data: you may not search, sort or group by it.",
                field=model._fields[fname]._description_string(self.env),
                model=model._description,
            )
        )

    # ------------------------------------------------------------------
    # Reading: read, web_read, search_read, export, onchange, copy, display name
    # ------------------------------------------------------------------
    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        pii = self._property_pii_field_names()
        masked = [fname for fname in fnames if fname in pii]
        if masked and result and not self._property_pii_is_clear():
            for fname in masked:
                to_mask = self._property_pii_to_mask_ids(fname)
                for values in result:
                    if values["id"] in to_mask:
                        values[fname] = self._property_pii_mask_value(fname, values[fname])
        return result

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        if self._property_pii_is_clear():
            return result
        columns = []
        for index, path in enumerate(fields_to_export):
            hit = self._property_pii_path_field(path, sep="/")
            if not hit:
                continue
            model, fname = hit
            # a field of the exported records themselves: only when some are not the user's own
            if model._name != self._name or "/" in path or self._property_pii_to_mask_ids(fname):
                columns.append((index, fname))
        if columns:
            for row in result.get("datas", []):
                for index, fname in columns:
                    row[index] = self._property_pii_mask_value(fname, row[index])
        return result

    def onchange(self, values, field_names, fields_spec):
        result = super().onchange(values, field_names, fields_spec)
        if result.get("value") and not self._property_pii_is_clear():
            self._property_pii_mask_changes(result["value"], values)
        return result

    @api.model
    def _property_pii_mask_changes(self, changes, given=None):
        """Mask an onchange result, except the values the user typed in (perhaps reformatted)."""
        pii = self._property_pii_field_names()
        for fname, value in changes.items():
            field = self._fields.get(fname)
            if field is None:
                continue
            if fname in pii:
                if not reveals_only(value, (given or {}).get(fname)):
                    changes[fname] = self._property_pii_mask_value(fname, value)
            elif field.type == "many2one" and isinstance(value, dict):
                self.env[field.comodel_name]._property_pii_mask_changes(value)
            elif field.type in ("one2many", "many2many") and isinstance(value, list):
                comodel = self.env[field.comodel_name]
                for command in value:
                    if (
                        isinstance(command, (list, tuple))
                        and len(command) == 3
                        and isinstance(command[2], dict)
                    ):
                        comodel._property_pii_mask_changes(command[2])

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        pii = self._property_pii_field_names()
        if pii and not self._property_pii_is_clear():
            # a copy is nobody's own record: it must not carry someone's number out in clear
            for fname in pii & (set(vals_list[0]) if vals_list else set()) - set(default or ()):
                to_mask = self._property_pii_to_mask_ids(fname)
                for record, vals in zip(self, vals_list, strict=True):
                    if record.id in to_mask:
                        vals[fname] = False
        return vals_list

    def _compute_display_name(self):
        res = super()._compute_display_name()
        # records named by a number: display names are also computed as superuser (many2one
        # values), so they are always masked; business code reads the field itself
        if self._rec_name and self._rec_name in self._property_pii_field_names():
            for record in self:
                record.display_name = self._property_pii_mask_value(self._rec_name, record.display_name)
        return res

    # ------------------------------------------------------------------
    # Writing a masked value back would destroy the real number
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if self._property_pii_field_names():
            for vals in vals_list:
                self._property_pii_check_not_masked(vals)
        return super().create(vals_list)

    def write(self, vals):
        if self._property_pii_field_names():
            self._property_pii_check_not_masked(vals)
        return super().write(vals)

    @api.model
    def _property_pii_check_not_masked(self, vals):
        for fname in self._property_pii_field_names() & set(vals):
            if is_masked(vals[fname]):
                raise UserError(
                    self.env._(
                        "%s holds a masked value (****): enter the full number, or leave the field unchanged.",
                        self._fields[fname]._description_string(self.env),
                    )
                )

    # ------------------------------------------------------------------
    # Searching, sorting and grouping: no oracle
    # ------------------------------------------------------------------
    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if domain and not self.env.su:
            self._property_pii_check_domain(domain)
        return super()._search(domain, offset=offset, limit=limit, order=order)

    @api.model
    def _property_pii_check_domain(self, domain):
        clear = None
        for leaf in domain:
            if not isinstance(leaf, (list, tuple)) or len(leaf) != 3 or not isinstance(leaf[0], str):
                continue
            left, operator, value = leaf
            if operator in ("=", "!=") and value is False:
                continue  # "is set" says nothing about the number
            hit = self._property_pii_path_field(left)
            if hit:
                if clear is None:
                    clear = self._property_pii_is_clear()
                if not clear:
                    self._property_pii_refuse(*hit)

    def _condition_to_sql(self, alias, fname, operator, value, query):
        # paths the ORM joins without a sub-search (auto_join, _inherits) end here
        if (
            fname in self._property_pii_field_names()
            and not (operator in ("=", "!=") and value is False)
            and not self._property_pii_is_clear()
        ):
            self._property_pii_refuse(self, fname)
        return super()._condition_to_sql(alias, fname, operator, value, query)

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        fname = field_name.split(".", 1)[0]
        if fname in self._property_pii_field_names() and not self._property_pii_is_clear():
            self._property_pii_refuse(self, fname)
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    def _read_group_groupby(self, groupby_spec, query):
        fname = groupby_spec.split(":", 1)[0].split(".", 1)[0]
        if fname in self._property_pii_field_names() and not self._property_pii_is_clear():
            self._property_pii_refuse(self, fname)
        return super()._read_group_groupby(groupby_spec, query)

    def _read_group_select(self, aggregate_spec, query):
        fname = aggregate_spec.split(":", 1)[0].split(".", 1)[0]
        if fname in self._property_pii_field_names() and not self._property_pii_is_clear():
            self._property_pii_refuse(self, fname)
        return super()._read_group_select(aggregate_spec, query)

    # ------------------------------------------------------------------
    # Recordset helpers over RPC (e.g. ``mapped`` called on res.partner ids with 'mobile')
    # ------------------------------------------------------------------
    def _property_pii_check_remote(self, method, func):
        if not isinstance(func, str) or self.env.su:
            return
        remote = _remote_method()
        if remote not in (method, "*"):
            return
        hit = self._property_pii_path_field(func)
        if hit and not self._property_pii_is_clear():
            self._property_pii_refuse(*hit)

    def mapped(self, func):
        self._property_pii_check_remote("mapped", func)
        return super().mapped(func)

    def filtered(self, func):
        self._property_pii_check_remote("filtered", func)
        return super().filtered(func)

    def sorted(self, key=None, reverse=False):
        self._property_pii_check_remote("sorted", key)
        return super().sorted(key=key, reverse=reverse)

    def grouped(self, key):
        self._property_pii_check_remote("grouped", key)
        return super().grouped(key)

    def filtered_domain(self, domain):
        if _remote_method() in ("filtered_domain", "*") and not self.env.su:
            self._property_pii_check_domain(domain)
        return super().filtered_domain(domain)
