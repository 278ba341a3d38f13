"""Offline classification of Chinese request texts.

Two scikit-learn pipelines (category, priority), each a character n-gram TF-IDF followed by a
logistic regression. Character n-grams need no word segmentation, so no dictionary or model
hub is involved; jieba is not needed for this corpus (see readme). Everything here is plain
Python, importable without Odoo, so ``tools/generate_training_data.py`` and the tests share it.
"""

import csv
import io
import pickle
import warnings
from pathlib import Path

TRAINING_CSV = Path(__file__).resolve().parent.parent / "data" / "request_training.csv"
TEST_SIZE = 0.2
RANDOM_STATE = 42


def load_starter_rows(path=TRAINING_CSV):
    """The shipped starter set: a list of (text, category_code, priority)."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return [(r["text"], r["category"], r["priority"]) for r in csv.DictReader(handle)]


def evaluate_unseen_symptoms(path=TRAINING_CSV):
    """Category accuracy on symptoms never seen in training: the starter set is split by the
    symptom each sentence was built on (20 % of the symptoms held out). A harsher figure than
    the random held-out split, whose sentences share their symptoms with the training ones."""
    from sklearn.model_selection import GroupShuffleSplit

    with Path(path).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    texts = [r["text"] for r in rows]
    labels = [r["category"] for r in rows]
    split = GroupShuffleSplit(n_splits=1, test_size=TEST_SIZE, random_state=RANDOM_STATE)
    train_idx, test_idx = next(split.split(texts, labels, groups=[r["symptom"] for r in rows]))
    model = _fit([texts[i] for i in train_idx], [labels[i] for i in train_idx])
    return float(model.score([texts[i] for i in test_idx], [labels[i] for i in test_idx]))


def build_pipeline():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline(
        [
            ("tfidf", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1)),
            ("clf", LogisticRegression(C=10.0, max_iter=2000)),
        ]
    )


def _fit(texts, labels):
    # SciPy 1.14+ warns that sklearn 1.5's lbfgs call passes a deprecated option; the warning
    # is about their interplay, not about our data, and Odoo logs it as a WARNING.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return build_pipeline().fit(texts, labels)


def train(rows):
    """Train both pipelines on ``rows`` [(text, category, priority)].

    Accuracy is measured on a stratified held-out split (20%) by a model trained on the other
    80%; the returned models are then refitted on all rows. Returns a dict."""
    from sklearn.model_selection import train_test_split

    texts = [r[0] for r in rows]
    categories = [r[1] for r in rows]
    priorities = [str(r[2]) for r in rows]
    stratify = categories if min(categories.count(c) for c in set(categories)) >= 2 else None
    x_train, x_test, c_train, c_test, p_train, p_test = train_test_split(
        texts, categories, priorities, test_size=TEST_SIZE, random_state=RANDOM_STATE, stratify=stratify
    )
    category_eval = _fit(x_train, c_train)
    priority_eval = _fit(x_train, p_train)
    category_accuracy = float(category_eval.score(x_test, c_test))
    priority_accuracy = float(priority_eval.score(x_test, p_test))
    return {
        "category_model": _fit(texts, categories),
        "priority_model": _fit(texts, priorities),
        "category_accuracy": category_accuracy,
        "priority_accuracy": priority_accuracy,
        "train_size": len(x_train),
        "test_size": len(x_test),
    }


def dumps(result):
    buffer = io.BytesIO()
    pickle.dump({"category": result["category_model"], "priority": result["priority_model"]}, buffer)
    return buffer.getvalue()


def loads(data):
    # Only ever called on the attachment our own training wrote (managers only): see
    # property.request.classifier for the access rules that protect it.
    return pickle.loads(data)


def predict(models, texts):
    """[(category, category_confidence, priority, priority_confidence)] for ``texts``."""
    out = []
    cat_proba = models["category"].predict_proba(texts)
    pri_proba = models["priority"].predict_proba(texts)
    cat_classes = models["category"].classes_
    pri_classes = models["priority"].classes_
    for cat_row, pri_row in zip(cat_proba, pri_proba, strict=True):
        ci = int(cat_row.argmax())
        pi = int(pri_row.argmax())
        out.append((str(cat_classes[ci]), float(cat_row[ci]), str(pri_classes[pi]), float(pri_row[pi])))
    return out
