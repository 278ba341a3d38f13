import contextlib
import json
import re
from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class PropertyTestCommon(TransactionCase):
    """Two estates with a building and units each, residents, and one user per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.estate_a = cls.env["property.estate"].create({"name": "翠湖花园", "code": "A"})
        cls.estate_b = cls.env["property.estate"].create({"name": "锦悦府", "code": "B"})
        cls.building_a = cls.env["property.building"].create(
            {
                "estate_id": cls.estate_a.id,
                "code": "3",
                "name": "3号楼",
                "floors_above": 18,
                "floors_below": 2,
                "elevator_count": 2,
            }
        )
        cls.building_b = cls.env["property.building"].create(
            {"estate_id": cls.estate_b.id, "code": "1", "name": "1幢", "floors_above": 6}
        )
        cls.unit_a = cls.env["property.unit"].create(
            {
                "building_id": cls.building_a.id,
                "floor": 5,
                "number": "0502",
                "gross_area": 89.0,
                "inner_area": 72.5,
            }
        )
        cls.unit_a2 = cls.env["property.unit"].create(
            {
                "building_id": cls.building_a.id,
                "floor": 5,
                "number": "0503",
                "gross_area": 120.0,
                "inner_area": 98.0,
            }
        )
        cls.unit_b = cls.env["property.unit"].create(
            {
                "building_id": cls.building_b.id,
                "floor": 1,
                "number": "0101",
                "gross_area": 100.0,
                "inner_area": 80.0,
            }
        )
        cls.owner = cls.env["res.partner"].create(
            {"name": "张伟", "mobile": "13812341234", "phone": "0571-88886666"}
        )
        cls.owner_b = cls.env["res.partner"].create({"name": "李娜", "mobile": "13900001111"})
        cls.occupancy = cls.env["property.occupancy"].create(
            {
                "unit_id": cls.unit_a.id,
                "partner_id": cls.owner.id,
                "role": "owner",
                "share": 100,
                "date_start": date(2020, 1, 1),
                "is_primary_contact": True,
            }
        )
        cls.occupancy_b = cls.env["property.occupancy"].create(
            {
                "unit_id": cls.unit_b.id,
                "partner_id": cls.owner_b.id,
                "role": "owner",
                "share": 100,
                "date_start": date(2021, 6, 1),
            }
        )
        cls.owner.sudo().id_card_number = "110105199001011232"

        def user(login, group, estates=None):
            u = new_test_user(cls.env, login=login, groups=group, name=login)
            if estates is not None:
                u.property_estate_ids = estates
            return u

        cls.user_frontdesk = user("t_frontdesk", "property_base.group_property_front_desk", cls.estate_a)
        cls.user_technician = user("t_technician", "property_base.group_property_technician", cls.estate_a)
        cls.user_guard = user("t_guard", "property_base.group_property_security", cls.estate_a)
        cls.user_accountant = user("t_accountant", "property_base.group_property_accountant", cls.estate_a)
        cls.user_manager = user("t_manager", "property_base.group_property_manager")
        cls.user_admin = user("t_padmin", "property_base.group_property_admin")
        cls.user_internal = user("t_internal", "base.group_user")
        cls.user_resident = new_test_user(
            cls.env, login="t_resident", groups="base.group_portal", name="张伟", partner_id=cls.owner.id
        )

    def use_chinese(self, users, modules):
        """``users`` work in Chinese, with the terms of ``modules`` loaded, for this test only
        (the other tests read the messages the system writes in English)."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["property_base", *modules], ["zh_CN"])
        users.lang = "zh_CN"


class AttackerMixin:
    """What an attacker with a staff login tries, as helpers shared by every addon's tests.

    ``assert_no_pii_leak``: every field holding a personal number, on every model of the
    registry that has one, through every read path, for each user: not one full number.
    ``assert_estate_isolated``: every model with an estate, as each user: not one record of
    another estate."""

    STAFF_ROLES = ("user_frontdesk", "user_technician", "user_accountant", "user_guard")
    ESTATE_FIELDS = ("estate_id", "property_estate_id")

    @staticmethod
    def _digits(text):
        return re.sub(r"[\s\-()+]", "", text)

    def assert_no_full_number(self, data, numbers, where=""):
        text = self._digits(json.dumps(data, default=str, ensure_ascii=False))
        for number in numbers:
            self.assertNotIn(self._digits(number), text, f"full number {number} leaked: {where}")

    def pii_samples(self, limit=20):
        """{model: records} holding stored personal numbers in the database."""
        samples = {}
        for name in self.env.registry:
            model = self.env[name].sudo().with_context(active_test=False)
            if model._abstract or not model._auto:
                continue
            for fname in model._property_pii_field_names():
                field = model._fields[fname]
                if field.store and field.type in ("char", "text"):
                    records = model.search([(fname, "!=", False)], limit=limit)
                    samples[name] = samples.get(name, model.browse()) | records
        return {name: records for name, records in samples.items() if records}

    def pii_numbers(self, records, user):
        """The full numbers of ``records`` that ``user`` must never see."""
        numbers = set()
        for fname in records._property_pii_field_names():
            field = records._fields[fname]
            if field.store and field.type in ("char", "text"):
                to_mask = records.browse(records.with_user(user)._property_pii_to_mask_ids(fname))
                numbers.update(
                    value for value in to_mask.mapped(fname) if value and len(re.sub(r"\D", "", value)) >= 7
                )
        return sorted(numbers)

    def assert_no_pii_leak(self, users, samples=None):
        """Every path, for every user, on every model with personal numbers: none in full."""
        samples = samples if samples is not None else self.pii_samples()
        self.assertTrue(samples, "no personal number to attack")
        # the strongest attacker below manager: allowed to export
        users.groups_id = [(4, self.env.ref("base.group_allow_export").id)]
        for user in users:
            for name, records in samples.items():
                numbers = self.pii_numbers(records, user)
                if not numbers:
                    continue
                model = self.env[name].with_user(user)
                for fname in model._property_pii_field_names():
                    with self.subTest(user=user.login, model=name, field=fname):
                        self._attack_field(model, fname, numbers)

    def _attack_field(self, model, fname, numbers):
        where = f"{model._name}.{fname} as {model.env.user.login}"
        field = model._fields[fname]
        try:
            records = model.search([], limit=50)
        except AccessError:
            return  # no access to the model at all
        # read paths
        for call in (
            lambda: records.read([fname]),
            lambda: records.web_read({fname: {}}),
            lambda: model.search_read([], [fname], limit=50),
            lambda: model.web_search_read([], {fname: {}}, limit=50),
            lambda: records.export_data([fname]),
            lambda: [records.browse(r.id).copy_data() for r in records[:5]],
            lambda: model.name_search("", limit=50) if (model._rec_name or model._rec_names_search) else [],
        ):
            with contextlib.suppress(AccessError):
                self.assert_no_full_number(call(), numbers, where)
        for record in records[:5]:
            with contextlib.suppress(AccessError):
                self.assert_no_full_number(record.onchange({}, [], {fname: {}}), numbers, f"onchange {where}")
        # oracle paths: refused
        if field.store or field.search:
            for domain in ([(fname, "=like", "1%")], [(fname, "ilike", "1")], [(fname, "in", numbers)]):
                with self.assertRaises(AccessError, msg=f"search {domain} {where}"):
                    model.search_count(domain)
        if field.store:
            with self.assertRaises(AccessError, msg=f"order {where}"):
                model.search([], order=fname, limit=1)
            for groupby, aggregates in (([fname], ["__count"]), ([], [f"{fname}:array_agg"])):
                with self.assertRaises(AccessError, msg=f"read_group {groupby} {aggregates} {where}"):
                    model.read_group([], aggregates, groupby, lazy=False)
            with self.assertRaises(AccessError, msg=f"web_read_group {where}"):
                model.web_read_group([], ["__count"], [fname])

    def assert_estate_isolated(self, users, estate, skip=()):
        """No model with an estate shows ``users`` a record of ``estate``; returns the models checked."""
        checked = set()
        for name in self.env.registry:
            Model = self.env[name].sudo().with_context(active_test=False)
            if Model._abstract or not Model._auto or Model._transient or name in skip:
                continue
            for fname in self.ESTATE_FIELDS:
                field = Model._fields.get(fname)
                if not (
                    field
                    and field.store
                    and field.type == "many2one"
                    and field.comodel_name == "property.estate"
                ):
                    continue
                ids = Model.search([(fname, "=", estate.id)]).ids
                if not ids:
                    continue
                checked.add(name)
                for user in users:
                    with self.subTest(user=user.login, model=name):
                        self._attack_estate(Model.with_user(user).sudo(False), ids)
        return checked

    def _attack_estate(self, model, ids):
        where = f"{model._name} as {model.env.user.login}"
        try:
            self.assertFalse(model.search([("id", "in", ids)]), where)
        except AccessError:
            return  # no access to the model at all
        self.assertEqual(model.search_count([("id", "in", ids)]), 0, where)
        groups = model.read_group([("id", "in", ids)], ["__count"], [], lazy=False)
        self.assertEqual(sum(g["__count"] for g in groups), 0, where)
        with self.assertRaises(AccessError, msg=f"read {where}"):
            model.browse(ids).read(["display_name"])
