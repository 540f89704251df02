import { describe, expect, it } from "vitest";
import { delongAuc, multiLabelAuc, oneVsRestAuc, rocAuc, rocCurve, trapezoidArea } from "./roc";
import {
  CLASSES_C,
  PROBABILITIES_C,
  SCORES_A,
  SCORES_A2,
  SCORES_D,
  SCORES_E,
  TRUTH_A,
  TRUTH_A2,
  TRUTH_C,
  TRUTH_D,
  TRUTH_E,
} from "./test-support/reference-data";
import { thrown } from "./test-support/thrown";

/** The Mann-Whitney AUC by brute force over every pair, ties counting 1/2: an independent check. */
function pairwiseAuc(truth: readonly number[], scores: readonly number[]): number {
  let twice = 0;
  let pairs = 0;
  truth.forEach((t, i) => {
    if (t !== 1) return;
    truth.forEach((u, j) => {
      if (u === 1) return;
      const x = scores[i] as number;
      const y = scores[j] as number;
      twice += x > y ? 2 : x === y ? 1 : 0;
      pairs++;
    });
  });
  return twice / (2 * pairs);
}

describe("rocCurve", () => {
  it("matches scikit-learn 1.9.1 roc_curve(drop_intermediate=False) point by point, with tied scores", () => {
    const roc = rocCurve(TRUTH_A, SCORES_A);
    // roc_curve(truth_a, score_a, drop_intermediate=False), scikit-learn 1.9.1
    expect(roc.fpr).toEqual([0, 0, 0, 0.2, 0.6, 0.6, 0.8, 1, 1]);
    expect(roc.tpr).toEqual([
      0, 0.14285714285714285, 0.2857142857142857, 0.42857142857142855, 0.5714285714285714, 0.8571428571428571,
      0.8571428571428571, 0.8571428571428571, 1,
    ]);
    expect(roc.thresholds).toEqual([Number.POSITIVE_INFINITY, 0.9, 0.8, 0.6, 0.4, 0.35, 0.2, 0.1, 0.05]);
    expect([roc.positives, roc.negatives]).toEqual([7, 5]);
  });

  it("drops collinear points as roc_curve(drop_intermediate=True), keeping the area", () => {
    const a = rocCurve(TRUTH_A, SCORES_A, { dropIntermediate: true });
    // roc_curve(truth_a, score_a, drop_intermediate=True), scikit-learn 1.9.1
    expect(a.fpr).toEqual([0, 0, 0, 0.2, 0.6, 0.6, 1, 1]);
    expect(a.thresholds).toEqual([Number.POSITIVE_INFINITY, 0.9, 0.8, 0.6, 0.4, 0.35, 0.1, 0.05]);
    const full = rocCurve(TRUTH_A2, SCORES_A2);
    const dropped = rocCurve(TRUTH_A2, SCORES_A2, { dropIntermediate: true });
    // roc_curve(truth_a2, score_a2, drop_intermediate=False / True), scikit-learn 1.9.1
    expect(full.fpr).toEqual([0, 0, 0, 0, 0.25, 0.5, 0.75, 0.75, 1]);
    expect(full.tpr).toEqual([0, 0.25, 0.5, 0.75, 0.75, 0.75, 0.75, 1, 1]);
    expect(dropped.fpr).toEqual([0, 0, 0, 0.75, 0.75, 1]);
    expect(dropped.tpr).toEqual([0, 0.25, 0.75, 0.75, 1, 1]);
    expect(dropped.thresholds).toEqual([Number.POSITIVE_INFINITY, 0.9, 0.7, 0.4, 0.3, 0.2]);
    expect(dropped.auc).toBe(full.auc);
    expect(trapezoidArea(dropped.fpr, dropped.tpr)).toBe(0.8125); // roc_auc_score(truth_a2, score_a2)
  });

  it("has the exact Mann-Whitney AUC, within one unit in the last place of roc_auc_score", () => {
    // roc_auc_score, scikit-learn 1.9.1: A 0.6142857142857143 (43/70), A2 0.8125, E 0.8802083333333333.
    // E's exact value 676/768 rounds to ...334; scikit-learn's trapezoid sum lands one ulp below.
    expect(rocAuc(TRUTH_A, SCORES_A)).toBe(43 / 70);
    expect(rocAuc(TRUTH_A, SCORES_A)).toBe(0.6142857142857143);
    expect(rocAuc(TRUTH_A2, SCORES_A2)).toBe(0.8125);
    expect(rocAuc(TRUTH_E, SCORES_E)).toBe(676 / 768);
    expect(Math.abs(rocAuc(TRUTH_E, SCORES_E) - 0.8802083333333333)).toBeLessThanOrEqual(Number.EPSILON);
    expect(rocAuc(TRUTH_E, SCORES_E)).toBe(pairwiseAuc(TRUTH_E, SCORES_E));
    expect(trapezoidArea(rocCurve(TRUTH_E, SCORES_E).fpr, rocCurve(TRUTH_E, SCORES_E).tpr)).toBeCloseTo(676 / 768, 15);
  });

  it("does not depend on sample order, and takes string labels with a positive class", () => {
    const order = TRUTH_E.map((_, i) => (i * 17) % TRUTH_E.length);
    expect(
      rocAuc(
        order.map((i) => TRUTH_E[i] as number),
        order.map((i) => SCORES_E[i] as number),
      ),
    ).toBe(676 / 768);
    const named = TRUTH_A.map((t) => (t === 1 ? "effusion" : "normal"));
    expect(rocCurve(named, SCORES_A, { positive: "effusion" })).toEqual(rocCurve(TRUTH_A, SCORES_A));
  });

  it("refuses a single class, missing positive classes and non-finite scores", () => {
    const single = thrown(() => rocAuc([1, 1, 1], [0.2, 0.7, 0.9]));
    expect([single.code, single.evidence.path, single.message.split("\n")[0]]).toEqual([
      "evaluation-single-class",
      "truth",
      "The ROC curve needs positive and negative samples; there are 3 positive (1) and 0 negative.",
    ]);
    expect(thrown(() => rocAuc(["a", "b"], [0.2, 0.7])).code).toBe("evaluation-positive");
    const inf = thrown(() => rocAuc([0, 1], [0.2, Number.POSITIVE_INFINITY]));
    expect([inf.code, inf.evidence.path]).toEqual(["evaluation-score", "scores[1]"]);
  });
});

describe("trapezoidArea", () => {
  it("integrates increasing and decreasing x as sklearn.metrics.auc", () => {
    expect(trapezoidArea([0, 0.5, 1], [0, 1, 1])).toBe(0.75);
    expect(trapezoidArea([1, 0.5, 0], [1, 1, 0])).toBe(0.75);
    expect(thrown(() => trapezoidArea([0, 1, 0.5], [0, 1, 1])).code).toBe("evaluation-score");
    expect(thrown(() => trapezoidArea([0], [0])).code).toBe("evaluation-length");
  });
});

describe("delongAuc", () => {
  it("matches DeLong's variance computed from its definition (placement values over every pair)", () => {
    // sklearn-reference.py (numpy 2.4.6, scipy 1.17.1 norm.ppf): A variance 0.03071428571428571,
    // 95% [0.27079239007334716, 0.9577790384980815], 90% [0.3260170294420394, 0.9025543991293892].
    const a = delongAuc(TRUTH_A, SCORES_A);
    expect(a.auc).toBe(43 / 70);
    expect(a.variance).toBeCloseTo(0.03071428571428571, 15);
    expect(a.standardError).toBe(Math.sqrt(a.variance));
    expect(a.lower).toBeCloseTo(0.27079239007334716, 14);
    expect(a.upper).toBeCloseTo(0.9577790384980815, 14);
    expect([a.confidence, a.positives, a.negatives]).toEqual([0.95, 7, 5]);
    const a90 = delongAuc(TRUTH_A, SCORES_A, { confidence: 0.9 });
    expect(a90.lower).toBeCloseTo(0.3260170294420394, 14);
    expect(a90.upper).toBeCloseTo(0.9025543991293892, 14);
  });

  it("handles many ties and clips the interval at 1", () => {
    // sklearn-reference.py, dataset E: variance 0.0031259435386473433, 95% [0.7706264763517662,
    // 0.9897901903149006], 99% [0.7361933613354349, 1.0 (clipped)].
    const e = delongAuc(TRUTH_E, SCORES_E);
    expect(e.auc).toBe(rocAuc(TRUTH_E, SCORES_E));
    expect(e.variance).toBeCloseTo(0.0031259435386473433, 16);
    expect(e.lower).toBeCloseTo(0.7706264763517662, 14);
    expect(e.upper).toBeCloseTo(0.9897901903149006, 14);
    const e99 = delongAuc(TRUTH_E, SCORES_E, { confidence: 0.99 });
    expect(e99.lower).toBeCloseTo(0.7361933613354349, 14);
    expect(e99.upper).toBe(1);
  });

  it("gives a zero-width interval for a perfect separation and refuses fewer than two of a class", () => {
    const perfect = delongAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]);
    expect([perfect.auc, perfect.variance, perfect.lower, perfect.upper]).toEqual([1, 0, 1, 1]);
    const few = thrown(() => delongAuc([0, 0, 1], [0.1, 0.2, 0.8]));
    expect([few.code, few.message.split("\n")[0]]).toEqual([
      "evaluation-too-few",
      "DeLong's interval needs at least 2 positive and 2 negative samples; there are 1 and 2.",
    ]);
    const level = thrown(() => delongAuc(TRUTH_A, SCORES_A, { confidence: 95 }));
    expect([level.code, level.evidence.path]).toEqual(["evaluation-options", "confidence"]);
  });
});

describe("multiLabelAuc and oneVsRestAuc", () => {
  it("match roc_auc_score on an indicator matrix (average=None, macro, weighted)", () => {
    const result = multiLabelAuc(TRUTH_D, SCORES_D, { classes: ["Effusion", "Nodule", "Mass"] });
    // roc_auc_score(truth_d, score_d, average=None / "macro" / "weighted"), scikit-learn 1.9.1
    expect(result.perClass.map((c) => c.class)).toEqual(["Effusion", "Nodule", "Mass"]);
    // Mass is exactly 39/42 (19.5 of 21 pairs), which rounds to ...286; scikit-learn's sum gives ...285.
    expect(result.perClass.map((c) => c.auc)).toEqual([0.9791666666666666, 1, 39 / 42]);
    expect(Math.abs((result.perClass[2]?.auc ?? 0) - 0.9285714285714285)).toBeLessThanOrEqual(Number.EPSILON);
    expect(result.perClass.map((c) => [c.positives, c.negatives])).toEqual([
      [4, 6],
      [4, 6],
      [3, 7],
    ]);
    expect(result.macro).toBeCloseTo(0.9692460317460316, 15);
    expect(result.weighted).toBeCloseTo(0.972943722943723, 15);
  });

  it('match roc_auc_score(multi_class="ovr") on the 3-class dataset', () => {
    const result = oneVsRestAuc(TRUTH_C, PROBABILITIES_C, { classes: CLASSES_C });
    // scikit-learn 1.9.1: per class 0.89, 0.8636363636363636, 0.8518518518518517 (exactly 23/27,
    // which rounds to ...519); macro 0.8684960718294051, weighted 0.8677104377104377.
    expect(result.perClass.map((c) => c.auc)).toEqual([0.89, 0.8636363636363636, 23 / 27]);
    expect(Math.abs((result.perClass[2]?.auc ?? 0) - 0.8518518518518517)).toBeLessThanOrEqual(2 * Number.EPSILON);
    expect(result.macro).toBeCloseTo(0.8684960718294051, 15);
    expect(result.weighted).toBeCloseTo(0.8677104377104377, 15);
  });

  it("names every label whose AUC is undefined, and checks the matrices", () => {
    const single = thrown(() =>
      multiLabelAuc(
        [
          [1, 0, 1],
          [1, 1, 1],
        ],
        [
          [0.2, 0.3, 0.4],
          [0.5, 0.6, 0.7],
        ],
        { classes: ["Effusion", "Nodule", "Hernia"] },
      ),
    );
    expect([single.code, single.message.split("\n")[0]]).toEqual([
      "evaluation-single-class",
      'The AUC is not defined for "Effusion", "Hernia": every sample has the same truth.',
    ]);
    const value = thrown(() => multiLabelAuc([[2], [0]], [[0.1], [0.2]], { classes: ["Effusion"] }));
    expect([value.code, value.evidence.path]).toEqual(["evaluation-label", "truth[0][0]"]);
    const rows = thrown(() => multiLabelAuc([[1], [0]], [[0.1]], { classes: ["Effusion"] }));
    expect([rows.code, rows.evidence.path]).toEqual(["evaluation-length", "scores"]);
    const names = thrown(() => multiLabelAuc([[1], [0]], [[0.1], [0.2]], { classes: ["Effusion", "Nodule"] }));
    expect([names.code, names.evidence.path]).toEqual(["evaluation-length", "classes"]);
    const unknown = thrown(() =>
      oneVsRestAuc(
        ["a", "d"],
        [
          [0.5, 0.5],
          [0.5, 0.5],
        ],
        { classes: ["a", "b"] },
      ),
    );
    expect([unknown.code, unknown.evidence.path]).toEqual(["evaluation-label", "truth[1]"]);
    const width = thrown(() =>
      oneVsRestAuc(
        ["a", "b"],
        [
          [0.5, 0.5],
          [0.5, 0.5],
        ],
        { classes: ["a", "b", "c"] },
      ),
    );
    expect([width.code, width.evidence.path, width.message.split("\n")[0]]).toEqual([
      "evaluation-length",
      "probabilities[0]",
      "probabilities has 2 column(s) but there are 3 classes.",
    ]);
  });
});
