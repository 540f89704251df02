import { confusionMatrix, type ConfusionMatrix } from "./confusion-matrix";
import { EvaluationError } from "./evaluation-error";
import {
  checkLength,
  checkMatrix,
  checkNotEmpty,
  checkScores,
  resolveClasses,
  resolvePositive,
  type ClassLabel,
} from "./evaluation-input";

/**
 * A ratio whose denominator can be 0: `sensitivity` (no positive samples), `specificity` (no
 * negative samples), `precision` (nothing predicted positive), `npv` (nothing predicted
 * negative), `f1` (no positive samples and nothing predicted positive).
 */
export type RatioMetric = "sensitivity" | "specificity" | "precision" | "npv" | "f1";

/**
 * How well a classifier finds one class (the positive class) against all the others. A ratio
 * whose denominator is 0 is reported as 0, as scikit-learn does by default (`zero_division="warn"`),
 * and listed in {@link BinaryMetrics.undefinedMetrics} in place of scikit-learn's warning.
 */
export interface BinaryMetrics<L extends ClassLabel = ClassLabel> {
  /** The positive class; every other class counts as negative. */
  readonly positive: L;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly trueNegatives: number;
  readonly falseNegatives: number;
  /** The positive samples (`truePositives + falseNegatives`), scikit-learn's `support`. */
  readonly support: number;
  /** The negative samples (`trueNegatives + falsePositives`). */
  readonly negatives: number;
  /** Every sample. */
  readonly total: number;
  /** `(TP + TN) / total`. */
  readonly accuracy: number;
  /** `TP / (TP + FN)`: recall, the true-positive rate. */
  readonly sensitivity: number;
  /** `TN / (TN + FP)`: the true-negative rate. */
  readonly specificity: number;
  /** `TP / (TP + FP)`: the positive predictive value. */
  readonly precision: number;
  /** `TN / (TN + FN)`: the negative predictive value. */
  readonly npv: number;
  /** `2 TP / (2 TP + FP + FN)`, the harmonic mean of precision and sensitivity. */
  readonly f1: number;
  /**
   * The mean of sensitivity and specificity, over those that are defined: with only positive (or
   * only negative) samples it is the sensitivity (or specificity) alone, as scikit-learn's
   * `balanced_accuracy_score` on two classes.
   */
  readonly balancedAccuracy: number;
  /** The ratios whose denominator was 0 and that are therefore reported as 0. */
  readonly undefinedMetrics: readonly RatioMetric[];
}

/** A {@link BinaryMetrics} computed from probabilities, with the threshold used. */
export interface ThresholdedBinaryMetrics<L extends ClassLabel = ClassLabel> extends BinaryMetrics<L> {
  /** A sample is predicted positive when its probability is at least this. */
  readonly threshold: number;
}

/** Options of {@link binaryMetrics}. */
export interface BinaryMetricsOptions<L extends ClassLabel> {
  /**
   * The positive class. Default `1` when the labels are numbers in {0, 1} or {-1, 1}; otherwise
   * required. It must occur among the labels, or among `classes` when those are given.
   */
  readonly positive?: L;
  /** Every class (default: the labels that occur); every label must be one of them. */
  readonly classes?: readonly L[];
}

/** Options of {@link binaryMetricsAtThreshold}. */
export interface ThresholdOptions<L extends ClassLabel> extends BinaryMetricsOptions<L> {
  /** A sample is predicted positive when its probability is at least this (default 0.5). */
  readonly threshold?: number;
}

/**
 * Accuracy, sensitivity, specificity, precision, negative predictive value, F1 and balanced
 * accuracy for one class against the rest (one-vs-rest when there are more than two classes).
 *
 * @param truth - the true class of each sample.
 * @param predicted - the predicted class of each sample, in the same order.
 * @param options - the positive class (and optionally every class).
 * @throws {@link EvaluationError} `evaluation-length`, `evaluation-empty`, `evaluation-label` for
 *   bad labels, `evaluation-positive` when the positive class is unknown or cannot be inferred.
 * @example
 * ```ts
 * import { binaryMetrics } from "@radlab/kernel";
 * const m = binaryMetrics([0, 0, 1, 1, 1], [0, 1, 1, 1, 0]);
 * m.sensitivity; // 0.6666666666666666
 * m.specificity; // 0.5
 * ```
 */
export function binaryMetrics<L extends ClassLabel>(
  truth: readonly L[],
  predicted: readonly L[],
  options: BinaryMetricsOptions<L> = {},
): BinaryMetrics<L> {
  const matrix = confusionMatrix(truth, predicted, options.classes === undefined ? {} : { classes: options.classes });
  return binaryMetricsFromConfusionMatrix(matrix, options.positive);
}

/**
 * {@link binaryMetrics} from a confusion matrix, for one class against the rest.
 *
 * @param matrix - counts `[true][predicted]`.
 * @param positive - the positive class (default `1` for classes in {0, 1} or {-1, 1}).
 * @throws {@link EvaluationError} `evaluation-positive` when the positive class is not a class of
 *   the matrix or cannot be inferred.
 * @example
 * ```ts
 * import { binaryMetricsFromConfusionMatrix, confusionMatrixFromCounts } from "@radlab/kernel";
 * const cm = confusionMatrixFromCounts(["normal", "effusion"], [[81, 13], [12, 91]]);
 * binaryMetricsFromConfusionMatrix(cm, "effusion").sensitivity; // 0.883495145631068
 * ```
 */
export function binaryMetricsFromConfusionMatrix<L extends ClassLabel>(
  matrix: ConfusionMatrix<L>,
  positive?: L,
): BinaryMetrics<L> {
  const p = resolvePositive(matrix.classes, positive);
  const i = matrix.classes.indexOf(p);
  const tp = matrix.counts[i]?.[i] ?? 0;
  const support = (matrix.counts[i] ?? []).reduce((a, b) => a + b, 0);
  const predictedPositive = matrix.counts.reduce((a, row) => a + (row[i] ?? 0), 0);
  return fromCounts(p, tp, predictedPositive - tp, matrix.total - support - predictedPositive + tp, support - tp);
}

/**
 * {@link binaryMetrics} from the predicted probability of the positive class: a sample is predicted
 * positive when its probability is at least the threshold (the convention of the thresholds of
 * {@link rocCurve}; scikit-learn's `LogisticRegression.predict` uses `> 0.5`, which differs only
 * for a probability of exactly 0.5).
 *
 * @param truth - the true class of each sample.
 * @param probabilities - the probability of the positive class for each sample.
 * @param options - the positive class and the threshold (default 0.5).
 * @throws {@link EvaluationError} as {@link binaryMetrics}, `evaluation-score` for a probability
 *   outside [0, 1], `evaluation-options` for a threshold outside [0, 1].
 * @example
 * ```ts
 * import { binaryMetricsAtThreshold } from "@radlab/kernel";
 * binaryMetricsAtThreshold([0, 1, 1], [0.2, 0.4, 0.9], { threshold: 0.3 }).sensitivity; // 1
 * ```
 */
export function binaryMetricsAtThreshold<L extends ClassLabel>(
  truth: readonly L[],
  probabilities: readonly number[],
  options: ThresholdOptions<L> = {},
): ThresholdedBinaryMetrics<L> {
  checkLength(truth, "truth", probabilities, "probabilities");
  checkNotEmpty(truth, "truth");
  checkScores(probabilities, "probabilities", true);
  const threshold = options.threshold ?? 0.5;
  if (!(threshold >= 0 && threshold <= 1)) {
    throw new EvaluationError("evaluation-options", `The threshold ${threshold} is not in [0, 1].`, {
      path: "threshold",
      hint: "Pass a probability, for example { threshold: 0.5 }.",
    });
  }
  const classes = resolveClasses({ truth }, options.classes);
  const positive = resolvePositive(classes, options.positive);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  truth.forEach((label, s) => {
    const predictedPositive = (probabilities[s] as number) >= threshold;
    if (label === positive) {
      if (predictedPositive) tp++;
      else fn++;
    } else if (predictedPositive) fp++;
    else tn++;
  });
  return Object.freeze({ ...fromCounts(positive, tp, fp, tn, fn), threshold });
}

/**
 * The fraction of samples whose predicted class is the true class.
 *
 * @throws {@link EvaluationError} `evaluation-length`, `evaluation-empty`, `evaluation-label`.
 * @example
 * ```ts
 * import { accuracy } from "@radlab/kernel";
 * accuracy(["a", "b", "b", "c"], ["a", "b", "c", "c"]); // 0.75
 * ```
 */
export function accuracy<L extends ClassLabel>(truth: readonly L[], predicted: readonly L[]): number {
  return confusionMatrix(truth, predicted).accuracy;
}

/**
 * The mean of each class's sensitivity (recall), over the classes that occur in the truth:
 * scikit-learn's `balanced_accuracy_score` (which also ignores classes that are only predicted).
 *
 * @throws {@link EvaluationError} `evaluation-length`, `evaluation-empty`, `evaluation-label`.
 * @example
 * ```ts
 * import { balancedAccuracy } from "@radlab/kernel";
 * balancedAccuracy([0, 0, 0, 1], [0, 0, 0, 0]); // 0.5
 * ```
 */
export function balancedAccuracy<L extends ClassLabel>(truth: readonly L[], predicted: readonly L[]): number {
  return classificationReport(truth, predicted).balancedAccuracy;
}

/** One class's row of a {@link ClassificationReport}: that class against the rest. */
export interface ClassMetrics<L extends ClassLabel = ClassLabel> {
  readonly class: L;
  /** `TP / (TP + FP)`. */
  readonly precision: number;
  /** `TP / (TP + FN)`: recall. */
  readonly sensitivity: number;
  /** `TN / (TN + FP)`. */
  readonly specificity: number;
  readonly f1: number;
  /** The samples of this class in the truth. */
  readonly support: number;
  /** The ratios whose denominator was 0, reported as 0. */
  readonly undefinedMetrics: readonly RatioMetric[];
}

/** An average of the per-class rows of a {@link ClassificationReport}. */
export interface AveragedMetrics {
  readonly precision: number;
  readonly sensitivity: number;
  readonly specificity: number;
  readonly f1: number;
  /** The samples averaged over (every sample). */
  readonly support: number;
}

/**
 * The per-class metrics of a classifier with their averages, as scikit-learn's
 * `classification_report` (with `zero_division=0`), plus each class's specificity.
 */
export interface ClassificationReport<L extends ClassLabel = ClassLabel> {
  readonly classes: readonly L[];
  /** One row per class, in the order of {@link ClassificationReport.classes}. */
  readonly perClass: readonly ClassMetrics<L>[];
  readonly accuracy: number;
  /** The mean sensitivity over the classes present in the truth ({@link balancedAccuracy}). */
  readonly balancedAccuracy: number;
  /** The unweighted mean over every class, including classes with no samples (`macro avg`). */
  readonly macro: AveragedMetrics;
  /** The mean weighted by each class's support (`weighted avg`). */
  readonly weighted: AveragedMetrics;
  /** The counts the report was computed from. */
  readonly confusion: ConfusionMatrix<L>;
}

/** Options of {@link classificationReport}. */
export interface ClassificationReportOptions<L extends ClassLabel> {
  /**
   * The classes, in report order (default: every label that occurs, sorted). A class with no
   * samples and no predictions gets a row of 0s and lowers the macro average, as in scikit-learn.
   */
  readonly classes?: readonly L[];
}

/**
 * Precision, sensitivity (recall), specificity, F1 and support for every class, with the
 * accuracy, the balanced accuracy and the macro and weighted averages.
 *
 * @throws {@link EvaluationError} `evaluation-length`, `evaluation-empty`, `evaluation-label`.
 * @example
 * ```ts
 * import { classificationReport } from "@radlab/kernel";
 * const report = classificationReport(["a", "a", "b", "c"], ["a", "b", "b", "c"]);
 * report.macro.f1; // 0.7777777777777777
 * ```
 */
export function classificationReport<L extends ClassLabel>(
  truth: readonly L[],
  predicted: readonly L[],
  options: ClassificationReportOptions<L> = {},
): ClassificationReport<L> {
  const matrix = confusionMatrix(truth, predicted, options.classes === undefined ? {} : { classes: options.classes });
  return classificationReportFromConfusionMatrix(matrix);
}

/**
 * {@link classificationReport} from a confusion matrix.
 *
 * @example
 * ```ts
 * import { classificationReportFromConfusionMatrix, confusionMatrixFromCounts } from "@radlab/kernel";
 * const cm = confusionMatrixFromCounts(["normal", "effusion"], [[81, 13], [12, 91]]);
 * classificationReportFromConfusionMatrix(cm).accuracy; // 0.8730964467005076
 * ```
 */
export function classificationReportFromConfusionMatrix<L extends ClassLabel>(
  matrix: ConfusionMatrix<L>,
): ClassificationReport<L> {
  const perClass = matrix.classes.map((c): ClassMetrics<L> => {
    const m = binaryMetricsFromConfusionMatrix(matrix, c);
    return Object.freeze({
      class: c,
      precision: m.precision,
      sensitivity: m.sensitivity,
      specificity: m.specificity,
      f1: m.f1,
      support: m.support,
      undefinedMetrics: Object.freeze(m.undefinedMetrics.filter((u) => u !== "npv")),
    });
  });
  const average = (weight: (row: ClassMetrics<L>) => number): AveragedMetrics => {
    const total = perClass.reduce((a, row) => a + weight(row), 0);
    const mean = (key: "precision" | "sensitivity" | "specificity" | "f1") =>
      total === 0 ? 0 : perClass.reduce((a, row) => a + row[key] * weight(row), 0) / total;
    return Object.freeze({
      precision: mean("precision"),
      sensitivity: mean("sensitivity"),
      specificity: mean("specificity"),
      f1: mean("f1"),
      support: matrix.total,
    });
  };
  const present = perClass.filter((row) => row.support > 0);
  return Object.freeze({
    classes: matrix.classes,
    perClass: Object.freeze(perClass),
    accuracy: matrix.accuracy,
    balancedAccuracy: present.reduce((a, row) => a + row.sensitivity, 0) / present.length,
    macro: average(() => 1),
    weighted: average((row) => row.support),
    confusion: matrix,
  });
}

/**
 * The class with the highest probability for each sample (the first one on a tie, as numpy's
 * `argmax`).
 *
 * @param probabilities - one row per sample, one column per class.
 * @param classes - the class of each column.
 * @throws {@link EvaluationError} `evaluation-length` when a row's length differs from the number
 *   of classes, `evaluation-score` for a value that is not finite.
 * @example
 * ```ts
 * import { argmaxPredictions } from "@radlab/kernel";
 * argmaxPredictions([[0.2, 0.8], [0.5, 0.5]], ["normal", "effusion"]); // ["effusion", "normal"]
 * ```
 */
export function argmaxPredictions<L extends ClassLabel>(
  probabilities: readonly (readonly number[])[],
  classes: readonly L[],
): L[] {
  const checked = resolveClasses({}, classes);
  const columns = checkMatrix(probabilities, probabilities.length, "probabilities");
  if (probabilities.length > 0 && columns !== checked.length) {
    throw new EvaluationError(
      "evaluation-length",
      `probabilities has ${columns} column(s) but there are ${checked.length} classes.`,
      { path: "probabilities[0]", hint: "Give one column per class, in the order of classes." },
    );
  }
  return probabilities.map((row, s) => {
    checkScores(row, `probabilities[${s}]`, false);
    let best = 0;
    for (let j = 1; j < row.length; j++) if ((row[j] as number) > (row[best] as number)) best = j;
    return checked[best] as L;
  });
}

function fromCounts<L extends ClassLabel>(
  positive: L,
  tp: number,
  fp: number,
  tn: number,
  fn: number,
): BinaryMetrics<L> {
  const undefinedMetrics: RatioMetric[] = [];
  const ratio = (metric: RatioMetric, n: number, d: number) => {
    if (d > 0) return n / d;
    undefinedMetrics.push(metric);
    return 0;
  };
  const sensitivity = ratio("sensitivity", tp, tp + fn);
  const specificity = ratio("specificity", tn, tn + fp);
  const precision = ratio("precision", tp, tp + fp);
  const npv = ratio("npv", tn, tn + fn);
  const f1 = ratio("f1", 2 * tp, 2 * tp + fp + fn);
  const defined = [...(tp + fn > 0 ? [sensitivity] : []), ...(tn + fp > 0 ? [specificity] : [])];
  const total = tp + fp + tn + fn;
  return Object.freeze({
    positive,
    truePositives: tp,
    falsePositives: fp,
    trueNegatives: tn,
    falseNegatives: fn,
    support: tp + fn,
    negatives: tn + fp,
    total,
    accuracy: (tp + tn) / total,
    sensitivity,
    specificity,
    precision,
    npv,
    f1,
    balancedAccuracy: defined.reduce((a, b) => a + b, 0) / defined.length,
    undefinedMetrics: Object.freeze(undefinedMetrics),
  });
}
