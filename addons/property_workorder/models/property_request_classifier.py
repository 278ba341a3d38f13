import base64
import hashlib
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import classifier

_logger = logging.getLogger(__name__)
# Unpickled pipelines, by attachment checksum: loading one takes ~0.1 s, predicting ~1 ms.
_MODEL_CACHE = {}
DEFAULT_THRESHOLD = 0.5


class PropertyRequestClassifier(models.Model):
    """A trained request classifier: the pickled pipelines and how well they did.

    One record per training; the newest active one is used. The pickle is only ever written by
    ``_train`` and the model is restricted to managers (ACL and field groups), because loading
    a pickle runs code."""

    _name = "property.request.classifier"
    _description = "Request Classifier"
    _order = "create_date desc, id desc"

    name = fields.Char(required=True, default=lambda self: fields.Datetime.now().strftime("%Y-%m-%d %H:%M"))
    active = fields.Boolean(default=True)
    model_file = fields.Binary(attachment=True, readonly=True, copy=False)
    model_checksum = fields.Char(readonly=True, copy=False)
    category_accuracy = fields.Float(digits=(5, 4), readonly=True)
    priority_accuracy = fields.Float(digits=(5, 4), readonly=True)
    starter_count = fields.Integer(string="Starter Samples", readonly=True)
    confirmed_count = fields.Integer(string="Staff-confirmed Samples", readonly=True)
    train_count = fields.Integer(string="Training Split", readonly=True)
    test_count = fields.Integer(string="Held-out Split", readonly=True)

    @api.model
    def _get_confidence_threshold(self):
        value = self.env["ir.config_parameter"].sudo().get_param("property_workorder.classifier_threshold")
        try:
            return float(value) if value else DEFAULT_THRESHOLD
        except ValueError:
            return DEFAULT_THRESHOLD

    @api.model
    def _get_training_rows(self):
        """Starter set + every request whose category staff set or confirmed (their
        overrides included), labelled with its category code and priority."""
        rows = classifier.load_starter_rows()
        confirmed = (
            self.env["property.request"]
            .sudo()
            .search_read(
                [
                    ("is_category_confirmed", "=", True),
                    ("category_id", "!=", False),
                    ("description", "!=", False),
                ],
                ["description", "category_id", "priority"],
            )
        )
        codes = dict(
            self.env["property.request.category"]
            .sudo()
            .with_context(active_test=False)
            .search([])
            .mapped(lambda c: (c.id, c.code))
        )
        extra = [(r["description"], codes[r["category_id"][0]], r["priority"]) for r in confirmed]
        return rows, extra

    @api.model
    def _train(self):
        starter, confirmed = self._get_training_rows()
        result = classifier.train(starter + confirmed)
        data = classifier.dumps(result)
        record = self.sudo().create(
            {
                "model_file": base64.b64encode(data),
                "model_checksum": hashlib.sha256(data).hexdigest(),
                "category_accuracy": result["category_accuracy"],
                "priority_accuracy": result["priority_accuracy"],
                "starter_count": len(starter),
                "confirmed_count": len(confirmed),
                "train_count": result["train_size"],
                "test_count": result["test_size"],
            }
        )
        (self.sudo().search([("id", "!=", record.id)])).write({"active": False})
        _logger.info(
            "Request classifier trained on %s samples: category accuracy %.3f, priority accuracy %.3f (held-out %s)",
            len(starter) + len(confirmed),
            result["category_accuracy"],
            result["priority_accuracy"],
            result["test_size"],
        )
        return record

    @api.model
    def _cron_retrain(self):
        self._train()
        return True

    def action_retrain(self):
        if not self.env.user.has_group("property_base.group_property_manager"):
            raise UserError(self.env._("Only managers can retrain the classifier."))
        record = self._train()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": record.id,
            "view_mode": "form",
        }

    @api.model
    def _get_models(self):
        record = self.sudo().search([], limit=1)
        if not record or not record.model_checksum:
            return None
        models_ = _MODEL_CACHE.get(record.model_checksum)
        if models_ is None:
            data = base64.b64decode(record.model_file)
            if hashlib.sha256(data).hexdigest() != record.model_checksum:
                _logger.error("Request classifier %s: checksum mismatch, not loaded", record.id)
                return None
            models_ = classifier.loads(data)
            _MODEL_CACHE.clear()
            _MODEL_CACHE[record.model_checksum] = models_
        return models_

    @api.model
    def _predict(self, texts):
        """[(category_code, confidence, priority, priority_confidence)] or None without a model."""
        models_ = self._get_models()
        if models_ is None:
            return None
        return classifier.predict(models_, texts)
