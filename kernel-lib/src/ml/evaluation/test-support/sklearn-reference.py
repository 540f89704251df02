"""Reference values for the evaluation tests, computed by scikit-learn (and scipy for the normal
quantile). Not part of the library: run it to re-derive the numbers pasted into *.test.ts.

    python3 -m venv /tmp/skvenv && /tmp/skvenv/bin/pip install scikit-learn numpy
    /tmp/skvenv/bin/python kernel-lib/src/ml/evaluation/test-support/sklearn-reference.py

DeLong's variance has no scikit-learn implementation; it is computed here from its definition
(DeLong, DeLong & Clarke-Pearson 1988, placement values over every positive/negative pair, O(mn)),
independently of the fast midrank algorithm the TypeScript code uses.
"""

import json
import warnings

import numpy as np
import scipy
import sklearn
from scipy.stats import norm
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    classification_report,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
    roc_curve,
)

warnings.simplefilter("ignore")
out = {"versions": {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}}


def floats(a):
    return [float(x) for x in np.asarray(a).ravel()] if np.ndim(a) == 1 else [floats(r) for r in a]


def binary(truth, pred):
    truth, pred = np.asarray(truth), np.asarray(pred)
    return {
        "confusion": confusion_matrix(truth, pred, labels=[0, 1]).tolist(),
        "accuracy": accuracy_score(truth, pred),
        "sensitivity": recall_score(truth, pred, pos_label=1, zero_division=0),
        "specificity": recall_score(truth, pred, pos_label=0, zero_division=0),
        "precision": precision_score(truth, pred, pos_label=1, zero_division=0),
        "npv": precision_score(truth, pred, pos_label=0, zero_division=0),
        "f1": f1_score(truth, pred, pos_label=1, zero_division=0),
        "balancedAccuracy": balanced_accuracy_score(truth, pred),
    }


def delong(truth, scores, confidence=0.95):
    truth, scores = np.asarray(truth), np.asarray(scores, dtype=float)
    x, y = scores[truth == 1], scores[truth == 0]
    psi = (x[:, None] > y[None, :]).astype(float) + 0.5 * (x[:, None] == y[None, :])
    auc = psi.mean()
    v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
    var = v10.var(ddof=1) / len(x) + v01.var(ddof=1) / len(y)
    z = norm.ppf(1 - (1 - confidence) / 2)
    se = np.sqrt(var)
    return {"auc": auc, "variance": var, "lower": max(0.0, auc - z * se), "upper": min(1.0, auc + z * se)}


# A: binary with tied scores (ties within and across classes).
truth_a = [0, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1]
score_a = [0.1, 0.4, 0.35, 0.8, 0.4, 0.35, 0.9, 0.2, 0.6, 0.6, 0.4, 0.05]
fpr, tpr, thr = roc_curve(truth_a, score_a, drop_intermediate=False)
fpr_d, tpr_d, thr_d = roc_curve(truth_a, score_a, drop_intermediate=True)
out["A"] = {
    "rocFull": {"fpr": floats(fpr), "tpr": floats(tpr), "thresholds": [None if np.isinf(t) else float(t) for t in thr]},
    "rocDropped": {"fpr": floats(fpr_d), "tpr": floats(tpr_d), "thresholds": [None if np.isinf(t) else float(t) for t in thr_d]},
    "auc": roc_auc_score(truth_a, score_a),
    "at0.5": binary(truth_a, (np.asarray(score_a) >= 0.5).astype(int)),
    "at0.35": binary(truth_a, (np.asarray(score_a) >= 0.35).astype(int)),
    "delong95": delong(truth_a, score_a),
    "delong90": delong(truth_a, score_a, 0.9),
}

# A2: runs of one class give collinear points, which drop_intermediate removes.
truth_a2 = [1, 1, 1, 0, 0, 0, 1, 0]
score_a2 = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2]
fpr, tpr, thr = roc_curve(truth_a2, score_a2, drop_intermediate=False)
fpr_d, tpr_d, thr_d = roc_curve(truth_a2, score_a2, drop_intermediate=True)
out["A2"] = {
    "rocFull": {"fpr": floats(fpr), "tpr": floats(tpr), "thresholds": [None if np.isinf(t) else float(t) for t in thr]},
    "rocDropped": {"fpr": floats(fpr_d), "tpr": floats(tpr_d), "thresholds": [None if np.isinf(t) else float(t) for t in thr_d]},
    "auc": roc_auc_score(truth_a2, score_a2),
}

# B: one class only in the truth (specificity or sensitivity has no denominator).
out["B"] = {"allPositive": binary([1, 1, 1, 1], [1, 0, 1, 1]), "allNegative": binary([0, 0, 0], [0, 1, 0])}

# C: three classes, string labels.
truth_c = ["normal", "normal", "normal", "normal", "normal", "effusion", "effusion", "effusion", "effusion",
           "nodule", "nodule", "nodule", "normal", "effusion", "nodule"]
pred_c = ["normal", "normal", "effusion", "normal", "nodule", "effusion", "effusion", "normal", "effusion",
          "nodule", "normal", "nodule", "normal", "nodule", "effusion"]
# Columns: effusion, nodule, normal (sorted). Rows sum to 1.
proba_c = [
    [0.1, 0.1, 0.8], [0.2, 0.1, 0.7], [0.5, 0.2, 0.3], [0.3, 0.2, 0.5], [0.2, 0.5, 0.3],
    [0.7, 0.2, 0.1], [0.6, 0.3, 0.1], [0.3, 0.2, 0.5], [0.5, 0.2, 0.3], [0.2, 0.6, 0.2],
    [0.2, 0.3, 0.5], [0.1, 0.8, 0.1], [0.1, 0.3, 0.6], [0.3, 0.4, 0.3], [0.4, 0.3, 0.3],
]
labels_c = ["effusion", "nodule", "normal"]
report = classification_report(truth_c, pred_c, output_dict=True, zero_division=0)
out["C"] = {
    "confusion": confusion_matrix(truth_c, pred_c).tolist(),
    "normTrue": floats(confusion_matrix(truth_c, pred_c, normalize="true")),
    "normPred": floats(confusion_matrix(truth_c, pred_c, normalize="pred")),
    "normAll": floats(confusion_matrix(truth_c, pred_c, normalize="all")),
    "report": report,
    "specificity": {
        c: recall_score([t == c for t in truth_c], [p == c for p in pred_c], pos_label=False) for c in labels_c
    },
    "balancedAccuracy": balanced_accuracy_score(truth_c, pred_c),
    "ovrMacro": roc_auc_score(truth_c, proba_c, multi_class="ovr", average="macro", labels=labels_c),
    "ovrWeighted": roc_auc_score(truth_c, proba_c, multi_class="ovr", average="weighted", labels=labels_c),
    "ovrPerClass": [roc_auc_score([t == c for t in truth_c], [p[i] for p in proba_c]) for i, c in enumerate(labels_c)],
    "argmax": [labels_c[i] for i in np.argmax(proba_c, axis=1)],
}
# C with a class absent from truth and predictions: a zero row and column.
labels_c4 = ["effusion", "nodule", "normal", "pneumothorax"]
out["C4"] = {
    "normTrue": floats(confusion_matrix(truth_c, pred_c, labels=labels_c4, normalize="true")),
    "normPred": floats(confusion_matrix(truth_c, pred_c, labels=labels_c4, normalize="pred")),
    "report": classification_report(truth_c, pred_c, labels=labels_c4, output_dict=True, zero_division=0),
}

# D: multi-label indicator matrix, three findings, ties in scores.
truth_d = [[1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 1], [0, 0, 0], [1, 0, 1], [0, 1, 1], [0, 0, 0], [1, 0, 0], [0, 1, 0]]
score_d = [[0.9, 0.2, 0.1], [0.3, 0.7, 0.2], [0.6, 0.6, 0.3], [0.2, 0.1, 0.8], [0.4, 0.3, 0.3],
           [0.6, 0.2, 0.3], [0.1, 0.6, 0.7], [0.3, 0.4, 0.1], [0.4, 0.1, 0.2], [0.2, 0.5, 0.3]]
out["D"] = {
    "perClass": floats(roc_auc_score(truth_d, score_d, average=None)),
    "macro": roc_auc_score(truth_d, score_d, average="macro"),
    "weighted": roc_auc_score(truth_d, score_d, average="weighted"),
}

# E: 40 samples with many ties (scores rounded to one decimal), for DeLong's interval.
rng = np.random.default_rng(7)
truth_e = rng.integers(0, 2, 40)
score_e = np.round(truth_e * 0.8 + rng.normal(0, 0.6, 40), 1)
out["E"] = {
    "truth": truth_e.tolist(),
    "scores": floats(score_e),
    "auc": roc_auc_score(truth_e, score_e),
    "delong95": delong(truth_e, score_e),
    "delong99": delong(truth_e, score_e, 0.99),
}

# F: the standard normal quantile (scipy.stats.norm.ppf) in each branch of AS241.
out["F"] = {str(p): float(norm.ppf(p)) for p in [0.975, 0.95, 0.995, 0.3, 0.01, 1e-10, 1e-300]}

# G: image-level predictions aggregated to patients.
patients_g = ["p3", "p1", "p1", "p2", "p3", "p2", "p4", "p4", "p4", "p5", "p6", "p6", "p7"]
truth_g = [0, 1, 0, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0]
proba_g = [0.2, 0.9, 0.4, 0.3, 0.7, 0.5, 0.1, 0.6, 0.2, 0.45, 0.3, 0.35, 0.5]
ids = sorted(set(patients_g))
groups = {p: [i for i, q in enumerate(patients_g) if q == p] for p in ids}
mean = [float(np.mean([proba_g[i] for i in groups[p]])) for p in ids]
mx = [float(np.max([proba_g[i] for i in groups[p]])) for p in ids]
med = [float(np.median([proba_g[i] for i in groups[p]])) for p in ids]
any_t = [int(any(truth_g[i] for i in groups[p])) for p in ids]
maj_t = [int(2 * sum(truth_g[i] for i in groups[p]) >= len(groups[p])) for p in ids]
out["G"] = {
    "patients": ids,
    "mean": mean,
    "max": mx,
    "median": med,
    "anyTruth": any_t,
    "majorityTruth": maj_t,
    "aucMeanAny": roc_auc_score(any_t, mean),
    "aucMaxAny": roc_auc_score(any_t, mx),
    "aucMeanMajority": roc_auc_score(maj_t, mean),
    "aucMedianMajority": roc_auc_score(maj_t, med),
}

# Exact AUCs as fractions (twice the Mann-Whitney U over 2mn), to pin the correctly rounded value.
def exact(truth, scores):
    truth, scores = np.asarray(truth), np.asarray(scores, dtype=float)
    x, y = scores[truth == 1], scores[truth == 0]
    twice_u = int(2 * (x[:, None] > y[None, :]).sum() + (x[:, None] == y[None, :]).sum())
    return f"{twice_u} / {2 * len(x) * len(y)}"


out["exact"] = {"A": exact(truth_a, score_a), "A2": exact(truth_a2, score_a2), "E": exact(truth_e, score_e)}

print(json.dumps(out, indent=1))
