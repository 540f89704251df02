import { describe, expect, it } from "vitest";
import { confusionMatrix, confusionMatrixFromCounts, normalizeConfusionMatrix } from "./confusion-matrix";
import { PREDICTED_C, TRUTH_C } from "./test-support/reference-data";
import { thrown } from "./test-support/thrown";

describe("confusionMatrix", () => {
  it("counts [true][predicted] over sorted classes, as scikit-learn 1.9.1 confusion_matrix", () => {
    const cm = confusionMatrix(TRUTH_C, PREDICTED_C);
    expect(cm).toEqual({
      classes: ["effusion", "nodule", "normal"],
      // confusion_matrix(truth_c, pred_c), scikit-learn 1.9.1
      counts: [
        [3, 1, 1],
        [1, 2, 1],
        [1, 1, 4],
      ],
      total: 15,
      correct: 9,
      accuracy: 0.6,
    });
    expect(Object.isFrozen(cm.counts)).toBe(true);
    expect(Object.isFrozen(cm.counts[0])).toBe(true);
  });

  it("orders rows and columns as the classes given", () => {
    const cm = confusionMatrix(TRUTH_C, PREDICTED_C, { classes: ["normal", "effusion", "nodule"] });
    expect(cm.counts).toEqual([
      [4, 1, 1],
      [1, 3, 1],
      [1, 1, 2],
    ]);
  });

  it("keeps a declared class with no samples as a row and column of zeros", () => {
    const cm = confusionMatrix([0, 0, 1], [0, 1, 1], { classes: [0, 1, 2] });
    expect(cm.counts).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [0, 0, 0],
    ]);
  });

  it("does not modify its inputs", () => {
    const truth = ["b", "a"];
    const predicted = ["a", "a"];
    confusionMatrix(truth, predicted);
    expect(truth).toEqual(["b", "a"]);
    expect(predicted).toEqual(["a", "a"]);
  });

  it("rejects a label outside the classes instead of dropping the sample as scikit-learn does", () => {
    const error = thrown(() =>
      confusionMatrix(["normal", "efusion"], ["normal", "normal"], { classes: ["normal", "effusion"] }),
    );
    expect(error.code).toBe("evaluation-label");
    expect(error.evidence).toEqual({ path: "truth[1]" });
    expect(error.message).toBe(
      'truth[1] is "efusion", which is not one of the classes ("normal", "effusion").\n' +
        "How to fix: Add the label to classes, or fix the label (check its spelling and type).",
    );
  });

  it("rejects mismatched lengths, no samples, mixed or invalid labels and duplicate classes", () => {
    const length = thrown(() => confusionMatrix([0, 1], [0]));
    expect([length.code, length.evidence.path, length.message.split("\n")[0]]).toEqual([
      "evaluation-length",
      "predicted",
      "predicted has 1 element(s) but truth has 2.",
    ]);
    expect(thrown(() => confusionMatrix([], [])).code).toBe("evaluation-empty");
    const mixed = thrown(() => confusionMatrix([0, 1] as (number | string)[], ["0", "1"] as (number | string)[]));
    expect([mixed.code, mixed.evidence.path]).toEqual(["evaluation-label", "predicted[0]"]);
    const within = thrown(() => confusionMatrix([0, "1"] as (number | string)[], [0, 0] as (number | string)[]));
    expect([within.code, within.evidence.path]).toEqual(["evaluation-label", "truth[1]"]);
    const nan = thrown(() => confusionMatrix([0, Number.NaN], [0, 0]));
    expect([nan.code, nan.evidence.path, nan.message.split("\n")[0]]).toEqual([
      "evaluation-label",
      "truth[1]",
      "truth[1] is NaN, not a class label.",
    ]);
    const duplicate = thrown(() => confusionMatrix([0], [0], { classes: [0, 1, 0] }));
    expect([duplicate.code, duplicate.evidence.path]).toEqual(["evaluation-label", "classes[2]"]);
  });
});

describe("confusionMatrixFromCounts", () => {
  it("reproduces the teaching exercise: 81 and 91 on the diagonal, 13 and 12 off it, 197 images, 87.3%", () => {
    // The exercise reported the four numbers without their layout; accuracy does not depend on
    // which off-diagonal cell holds 13 and which 12, so both layouts are checked.
    for (const counts of [
      [
        [81, 13],
        [12, 91],
      ],
      [
        [81, 12],
        [13, 91],
      ],
    ]) {
      const cm = confusionMatrixFromCounts(["negative", "positive"], counts);
      expect(cm.total).toBe(197);
      expect(cm.correct).toBe(172);
      expect(cm.accuracy).toBe(172 / 197);
      expect((100 * cm.accuracy).toFixed(1)).toBe("87.3");
    }
  });

  it("rejects matrices that are not square matrices of counts, or hold no sample", () => {
    const rows = thrown(() => confusionMatrixFromCounts([0, 1], [[1, 2]]));
    expect([rows.code, rows.evidence.path]).toEqual(["evaluation-score", "counts"]);
    const columns = thrown(() => confusionMatrixFromCounts([0, 1], [[1, 2], [3]]));
    expect([columns.code, columns.evidence.path]).toEqual(["evaluation-score", "counts[1]"]);
    const fraction = thrown(() =>
      confusionMatrixFromCounts(
        [0, 1],
        [
          [1, 0.5],
          [0, 1],
        ],
      ),
    );
    expect([fraction.code, fraction.evidence.path, fraction.message.split("\n")[0]]).toEqual([
      "evaluation-score",
      "counts[0][1]",
      "counts[0][1] is 0.5, not a count.",
    ]);
    expect(
      thrown(() =>
        confusionMatrixFromCounts(
          [0, 1],
          [
            [1, -1],
            [0, 1],
          ],
        ),
      ).evidence.path,
    ).toBe("counts[0][1]");
    expect(
      thrown(() =>
        confusionMatrixFromCounts(
          [0, 1],
          [
            [0, 0],
            [0, 0],
          ],
        ),
      ).code,
    ).toBe("evaluation-empty");
    expect(
      thrown(() =>
        confusionMatrixFromCounts(
          ["a", "a"],
          [
            [1, 0],
            [0, 1],
          ],
        ),
      ).code,
    ).toBe("evaluation-label");
  });
});

describe("normalizeConfusionMatrix", () => {
  const cm = confusionMatrix(TRUTH_C, PREDICTED_C);

  it('divides by rows, columns or the total as confusion_matrix(normalize="true" | "pred" | "all")', () => {
    // scikit-learn 1.9.1: confusion_matrix(truth_c, pred_c, normalize=...)
    expect(normalizeConfusionMatrix(cm, "true")).toEqual([
      [0.6, 0.2, 0.2],
      [0.25, 0.5, 0.25],
      [0.16666666666666666, 0.16666666666666666, 0.6666666666666666],
    ]);
    expect(normalizeConfusionMatrix(cm, "pred")).toEqual([
      [0.6, 0.25, 0.16666666666666666],
      [0.2, 0.5, 0.16666666666666666],
      [0.2, 0.25, 0.6666666666666666],
    ]);
    expect(normalizeConfusionMatrix(cm, "all")).toEqual([
      [0.2, 0.06666666666666667, 0.06666666666666667],
      [0.06666666666666667, 0.13333333333333333, 0.06666666666666667],
      [0.06666666666666667, 0.06666666666666667, 0.26666666666666666],
    ]);
  });

  it("gives 0, not NaN, for a class without samples (scikit-learn 1.9.1 also gives 0)", () => {
    const withAbsent = confusionMatrix(TRUTH_C, PREDICTED_C, {
      classes: ["effusion", "nodule", "normal", "pneumothorax"],
    });
    // scikit-learn 1.9.1: confusion_matrix(..., labels=[..., "pneumothorax"], normalize="true" / "pred")
    expect(normalizeConfusionMatrix(withAbsent, "true")).toEqual([
      [0.6, 0.2, 0.2, 0],
      [0.25, 0.5, 0.25, 0],
      [0.16666666666666666, 0.16666666666666666, 0.6666666666666666, 0],
      [0, 0, 0, 0],
    ]);
    expect(normalizeConfusionMatrix(withAbsent, "pred")).toEqual([
      [0.6, 0.25, 0.16666666666666666, 0],
      [0.2, 0.5, 0.16666666666666666, 0],
      [0.2, 0.25, 0.6666666666666666, 0],
      [0, 0, 0, 0],
    ]);
  });

  it("rejects an unknown normalisation", () => {
    const error = thrown(() => normalizeConfusionMatrix(cm, "rows" as never));
    expect([error.code, error.evidence.path, error.message.split("\n")[0]]).toEqual([
      "evaluation-options",
      "by",
      'Unknown normalisation "rows".',
    ]);
  });
});
