import { describe, expect, it } from "vitest";
import { confusionMatrixFromCounts } from "./confusion-matrix";
import {
  accuracy,
  argmaxPredictions,
  balancedAccuracy,
  binaryMetrics,
  binaryMetricsAtThreshold,
  binaryMetricsFromConfusionMatrix,
  classificationReport,
  classificationReportFromConfusionMatrix,
} from "./metrics";
import { CLASSES_C, PREDICTED_C, PROBABILITIES_C, SCORES_A, TRUTH_A, TRUTH_C } from "./test-support/reference-data";
import { thrown } from "./test-support/thrown";

describe("binaryMetricsAtThreshold", () => {
  it("matches scikit-learn 1.9.1 at threshold 0.5 on dataset A", () => {
    // scikit-learn 1.9.1 on (score_a >= 0.5): confusion_matrix [[4, 1], [4, 3]], recall_score,
    // recall_score(pos_label=0), precision_score, precision_score(pos_label=0), f1_score,
    // balanced_accuracy_score, accuracy_score.
    expect(binaryMetricsAtThreshold(TRUTH_A, SCORES_A)).toEqual({
      positive: 1,
      threshold: 0.5,
      truePositives: 3,
      falsePositives: 1,
      trueNegatives: 4,
      falseNegatives: 4,
      support: 7,
      negatives: 5,
      total: 12,
      accuracy: 0.5833333333333334,
      sensitivity: 0.42857142857142855,
      specificity: 0.8,
      precision: 0.75,
      npv: 0.5,
      f1: 0.5454545454545454,
      balancedAccuracy: 0.6142857142857143,
      undefinedMetrics: [],
    });
  });

  it("calls a probability equal to the threshold positive (scores of 0.35 at threshold 0.35)", () => {
    // scikit-learn 1.9.1 on (score_a >= 0.35): confusion_matrix [[2, 3], [1, 6]].
    const m = binaryMetricsAtThreshold(TRUTH_A, SCORES_A, { threshold: 0.35 });
    expect([m.trueNegatives, m.falsePositives, m.falseNegatives, m.truePositives]).toEqual([2, 3, 1, 6]);
    expect([m.accuracy, m.sensitivity, m.specificity, m.precision, m.npv, m.f1, m.balancedAccuracy]).toEqual([
      0.6666666666666666, 0.8571428571428571, 0.4, 0.6666666666666666, 0.6666666666666666, 0.75, 0.6285714285714286,
    ]);
  });

  it("takes string labels with an explicit positive class", () => {
    const truth = TRUTH_A.map((t) => (t === 1 ? "effusion" : "normal"));
    const m = binaryMetricsAtThreshold(truth, SCORES_A, { positive: "effusion" });
    expect([m.positive, m.truePositives, m.falsePositives, m.balancedAccuracy]).toEqual([
      "effusion",
      3,
      1,
      0.6142857142857143,
    ]);
  });

  it("rejects probabilities and thresholds outside [0, 1]", () => {
    const p = thrown(() => binaryMetricsAtThreshold([0, 1], [0.2, 1.7]));
    expect([p.code, p.evidence.path, p.message.split("\n")[0]]).toEqual([
      "evaluation-score",
      "probabilities[1]",
      "probabilities[1] is 1.7, not a probability in [0, 1].",
    ]);
    const nan = thrown(() => binaryMetricsAtThreshold([0, 1], [Number.NaN, 0.5]));
    expect([nan.code, nan.evidence.path]).toEqual(["evaluation-score", "probabilities[0]"]);
    const t = thrown(() => binaryMetricsAtThreshold([0, 1], [0.2, 0.7], { threshold: 50 }));
    expect([t.code, t.evidence.path]).toEqual(["evaluation-options", "threshold"]);
  });
});

describe("binaryMetrics", () => {
  it("reports 0 for specificity when every sample is positive, and says so (scikit-learn 1.9.1 warns)", () => {
    // scikit-learn 1.9.1, truth [1, 1, 1, 1], predicted [1, 0, 1, 1], zero_division=0:
    // specificity = recall_score(pos_label=0) = 0.0 ("Recall is ill-defined"), balanced accuracy 0.75.
    expect(binaryMetrics([1, 1, 1, 1], [1, 0, 1, 1])).toEqual({
      positive: 1,
      truePositives: 3,
      falsePositives: 0,
      trueNegatives: 0,
      falseNegatives: 1,
      support: 4,
      negatives: 0,
      total: 4,
      accuracy: 0.75,
      sensitivity: 0.75,
      specificity: 0,
      precision: 1,
      npv: 0,
      f1: 0.8571428571428571,
      balancedAccuracy: 0.75,
      undefinedMetrics: ["specificity"],
    });
  });

  it("reports 0 for sensitivity when every sample is negative", () => {
    // scikit-learn 1.9.1, truth [0, 0, 0], predicted [0, 1, 0]: recall 0.0 (ill-defined), precision 0.0,
    // f1 0.0, specificity 0.6666666666666666, npv 1.0, balanced accuracy 0.6666666666666666.
    const m = binaryMetrics([0, 0, 0], [0, 1, 0]);
    expect([m.sensitivity, m.precision, m.f1, m.specificity, m.npv, m.balancedAccuracy]).toEqual([
      0, 0, 0, 0.6666666666666666, 1, 0.6666666666666666,
    ]);
    expect(m.undefinedMetrics).toEqual(["sensitivity"]);
  });

  it("treats every other class as negative when there are more than two", () => {
    const m = binaryMetrics(TRUTH_C, PREDICTED_C, { positive: "effusion" });
    // scikit-learn 1.9.1 classification_report: effusion precision 0.6, recall 0.6, support 5;
    // recall_score(truth == "effusion", pred == "effusion", pos_label=False) = 0.8.
    expect([m.precision, m.sensitivity, m.specificity, m.support, m.negatives]).toEqual([0.6, 0.6, 0.8, 5, 10]);
  });

  it("needs the positive class for labels other than {0, 1} and {-1, 1}, and rejects one that does not occur", () => {
    expect(binaryMetrics([-1, 1, 1], [-1, -1, 1]).positive).toBe(1);
    const missing = thrown(() => binaryMetrics(["a", "b"], ["a", "a"]));
    expect([missing.code, missing.message.split("\n")[0]]).toEqual([
      "evaluation-positive",
      'Cannot tell which class is positive among "a", "b".',
    ]);
    const typo = thrown(() => binaryMetrics(["normal", "effusion"], ["normal", "normal"], { positive: "Effusion" }));
    expect([typo.code, typo.evidence.path, typo.message.split("\n")[0]]).toEqual([
      "evaluation-positive",
      "positive",
      'The positive class "Effusion" is not among the labels ("effusion", "normal").',
    ]);
    // A positive class absent from the data is accepted when declared among the classes.
    expect(binaryMetrics([0, 0], [0, 0], { positive: 2, classes: [0, 2] }).undefinedMetrics).toEqual([
      "sensitivity",
      "precision",
      "f1",
    ]);
  });
});

describe("classificationReport", () => {
  it("matches scikit-learn 1.9.1 classification_report on the 3-class dataset, plus specificity", () => {
    const report = classificationReport(TRUTH_C, PREDICTED_C);
    // classification_report(truth_c, pred_c, output_dict=True, zero_division=0), scikit-learn 1.9.1;
    // specificity from recall_score(truth == c, pred == c, pos_label=False).
    expect(report.perClass).toEqual([
      {
        class: "effusion",
        precision: 0.6,
        sensitivity: 0.6,
        specificity: 0.8,
        f1: 0.6,
        support: 5,
        undefinedMetrics: [],
      },
      {
        class: "nodule",
        precision: 0.5,
        sensitivity: 0.5,
        specificity: 0.8181818181818182,
        f1: 0.5,
        support: 4,
        undefinedMetrics: [],
      },
      {
        class: "normal",
        precision: 0.6666666666666666,
        sensitivity: 0.6666666666666666,
        specificity: 0.7777777777777778,
        f1: 0.6666666666666666,
        support: 6,
        undefinedMetrics: [],
      },
    ]);
    expect(report.accuracy).toBe(0.6);
    expect(report.balancedAccuracy).toBe(0.5888888888888889); // balanced_accuracy_score
    expect([report.macro.precision, report.macro.sensitivity, report.macro.f1, report.macro.support]).toEqual([
      0.5888888888888889, 0.5888888888888889, 0.5888888888888889, 15,
    ]);
    expect([report.weighted.precision, report.weighted.sensitivity, report.weighted.f1]).toEqual([0.6, 0.6, 0.6]);
    // Not in scikit-learn: the mean of the three specificities above.
    expect(report.macro.specificity).toBe((0.8 + 0.8181818181818182 + 0.7777777777777778) / 3);
  });

  it("counts a declared class without samples in the macro average, as scikit-learn 1.9.1 does", () => {
    const report = classificationReport(TRUTH_C, PREDICTED_C, { classes: [...CLASSES_C, "pneumothorax"] });
    // classification_report(..., labels=[..., "pneumothorax"], zero_division=0): macro 0.44166666666666665,
    // weighted 0.6; the empty class is 0 everywhere.
    expect([report.macro.precision, report.macro.sensitivity, report.macro.f1]).toEqual([
      0.44166666666666665, 0.44166666666666665, 0.44166666666666665,
    ]);
    expect([report.weighted.precision, report.weighted.f1]).toEqual([0.6, 0.6]);
    expect(report.perClass[3]).toEqual({
      class: "pneumothorax",
      precision: 0,
      sensitivity: 0,
      specificity: 1,
      f1: 0,
      support: 0,
      undefinedMetrics: ["sensitivity", "precision", "f1"],
    });
    // Balanced accuracy ignores classes absent from the truth (balanced_accuracy_score).
    expect(report.balancedAccuracy).toBe(0.5888888888888889);
  });

  it("summarises the teaching exercise's confusion matrix", () => {
    const cm = confusionMatrixFromCounts(
      ["negative", "positive"],
      [
        [81, 13],
        [12, 91],
      ],
    );
    const report = classificationReportFromConfusionMatrix(cm);
    expect(report.accuracy).toBe(172 / 197);
    expect(report.perClass.map((c) => c.sensitivity)).toEqual([81 / 94, 91 / 103]);
    const m = binaryMetricsFromConfusionMatrix(cm, "positive");
    expect([m.sensitivity, m.specificity, m.precision, m.npv]).toEqual([91 / 103, 81 / 94, 91 / 104, 81 / 93]);
  });
});

describe("accuracy, balancedAccuracy, argmaxPredictions", () => {
  it("agree with scikit-learn 1.9.1", () => {
    expect(accuracy(TRUTH_C, PREDICTED_C)).toBe(0.6);
    expect(balancedAccuracy(TRUTH_C, PREDICTED_C)).toBe(0.5888888888888889);
    // scikit-learn 1.9.1, truth [1, 1, 1, 1], predicted [1, 0, 1, 1]: balanced_accuracy_score = 0.75.
    expect(balancedAccuracy([1, 1, 1, 1], [1, 0, 1, 1])).toBe(0.75);
    // np.argmax(proba_c, axis=1) mapped to the classes: the predictions of dataset C.
    expect(argmaxPredictions(PROBABILITIES_C, CLASSES_C)).toEqual(PREDICTED_C);
  });

  it("breaks argmax ties towards the first class and checks the matrix", () => {
    expect(
      argmaxPredictions(
        [
          [0.5, 0.5],
          [0.3, 0.7],
        ],
        ["normal", "effusion"],
      ),
    ).toEqual(["normal", "effusion"]);
    const width = thrown(() => argmaxPredictions([[0.2, 0.3, 0.5]], ["a", "b"]));
    expect([width.code, width.evidence.path]).toEqual(["evaluation-length", "probabilities[0]"]);
    const ragged = thrown(() => argmaxPredictions([[0.2, 0.8], [1]], ["a", "b"]));
    expect([ragged.code, ragged.evidence.path]).toEqual(["evaluation-score", "probabilities[1]"]);
    const nan = thrown(() => argmaxPredictions([[0.2, Number.NaN]], ["a", "b"]));
    expect([nan.code, nan.evidence.path]).toEqual(["evaluation-score", "probabilities[0][1]"]);
  });
});
