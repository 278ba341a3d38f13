"""Elevator failure prediction: the risk of a fault in the next 7 days.

Model: scikit-learn logistic regression (standardised features, balanced class weights) on
seven features an operator can compute from the telemetry and the maintenance history:

================================  =========================================================
``door_cycles_7d``                door cycles in the last 7 days (``cycles`` counter delta)
``fault_count_30d``               fault events in the last 30 days
``days_since_maintenance``        days since the last finished maintenance request
``vibration_mean_7d`` / ``_max``  vibration (mm/s RMS) over the last 7 days
``motor_temp_mean_7d``            motor temperature (°C) over the last 7 days
``age_years``                     age of the elevator (from its effective date)
================================  =========================================================

Data: the simulated data set ``data/elevator_failure_dataset.csv.gz`` (weekly snapshots of
120 elevators over two years, see ``tools/generate_elevator_dataset.py``). Evaluation: the
model is trained on the snapshots before day ``CUTOFF_DAY`` and evaluated on the later,
held-out period; :func:`evaluate` returns precision and recall at ``HIGH_RISK``. The model
used for scoring is trained on the whole data set once per process.

The score is a ranking of risk, not a calibrated probability (balanced class weights inflate
it): "high" (≥ ``HIGH_RISK``) is the level at which precision and recall are reported and at
which a preventive maintenance request is suggested.
"""

import csv
import gzip
import io
import threading
import warnings
from pathlib import Path

import numpy as np

DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "elevator_failure_dataset.csv.gz"
FEATURES = [
    "door_cycles_7d",
    "fault_count_30d",
    "days_since_maintenance",
    "vibration_mean_7d",
    "vibration_max_7d",
    "motor_temp_mean_7d",
    "age_years",
]
LABEL = "fault_next_7d"
CUTOFF_DAY = 480  # train on the first 16 months, evaluate on the last 8
HIGH_RISK = 0.6
MEDIUM_RISK = 0.4
MODEL_VERSION = "logreg-1"

_lock = threading.Lock()
_model = None


def load_dataset(path=DATA_PATH):
    with gzip.open(path, "rb") as raw, io.TextIOWrapper(raw, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    X = np.array([[float(row[name]) for name in FEATURES] for row in rows])
    y = np.array([int(row[LABEL]) for row in rows])
    days = np.array([int(row["day"]) for row in rows])
    return X, y, days


def train(X, y):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(class_weight="balanced", max_iter=1000))
    with warnings.catch_warnings():
        # scikit-learn 1.5 passes an option SciPy deprecates: not ours to fix
        warnings.simplefilter("ignore", DeprecationWarning)
        model.fit(X, y)
    return model


def evaluate(threshold=HIGH_RISK, path=DATA_PATH):
    """Train on the early period, evaluate on the held-out later period."""
    from sklearn.metrics import precision_score, recall_score, roc_auc_score

    X, y, days = load_dataset(path)
    early = days < CUTOFF_DAY
    model = train(X[early], y[early])
    scores = model.predict_proba(X[~early])[:, 1]
    predicted = (scores >= threshold).astype(int)
    return {
        "train_rows": int(early.sum()),
        "test_rows": int((~early).sum()),
        "test_positives": int(y[~early].sum()),
        "precision": float(precision_score(y[~early], predicted, zero_division=0)),
        "recall": float(recall_score(y[~early], predicted, zero_division=0)),
        "roc_auc": float(roc_auc_score(y[~early], scores)),
        "base_rate": float(y[~early].mean()),
    }


def get_model():
    global _model  # noqa: PLW0603 - one fitted model per process, trained on first use
    with _lock:
        if _model is None:
            X, y, _days = load_dataset()
            _model = train(X, y)
        return _model


def score(feature_rows):
    """Risk scores for a list of {feature: value} dicts."""
    if not feature_rows:
        return []
    X = np.array([[float(row.get(name) or 0.0) for name in FEATURES] for row in feature_rows])
    return [float(s) for s in get_model().predict_proba(X)[:, 1]]


def risk_level(value):
    return "high" if value >= HIGH_RISK else "medium" if value >= MEDIUM_RISK else "low"
