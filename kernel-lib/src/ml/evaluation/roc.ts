import { EvaluationError } from "./evaluation-error";
import {
  checkLabels,
  checkLength,
  checkMatrix,
  checkNotEmpty,
  checkScores,
  formatLabel,
  resolveClasses,
  resolvePositive,
  type ClassLabel,
} from "./evaluation-input";
import { normalQuantile } from "./normal-quantile";

/**
 * A receiver operating characteristic curve, point by point as scikit-learn's `roc_curve`: point
 * `i` is the false- and true-positive rate when samples with a score `>= thresholds[i]` are
 * called positive. The first point is (0, 0) at threshold `Infinity` (scikit-learn >= 1.3).
 */
export interface RocCurve {
  /** False-positive rates (1 - specificity), non-decreasing, from 0 to 1. */
  readonly fpr: readonly number[];
  /** True-positive rates (sensitivity), non-decreasing, from 0 to 1. */
  readonly tpr: readonly number[];
  /** The score thresholds, decreasing; the first is `Infinity` (which `JSON.stringify` writes as `null`). */
  readonly thresholds: readonly number[];
  /** The positive samples. */
  readonly positives: number;
  /** The negative samples. */
  readonly negatives: number;
  /**
   * The area under the curve, computed from integer counts and divided once, so it is the exact
   * Mann-Whitney statistic `U / (positives * negatives)` (a tie between a positive and a negative
   * counts 1/2) correctly rounded. scikit-learn's `roc_auc_score`, a floating-point trapezoid sum,
   * can differ from it in the last bit.
   */
  readonly auc: number;
}

/** Options of {@link rocCurve}. */
export interface RocCurveOptions<L extends ClassLabel> {
  /** The positive class (default `1` for labels in {0, 1} or {-1, 1}; otherwise required). */
  readonly positive?: L;
  /**
   * Drop points that lie on a straight segment between their neighbours, as scikit-learn's
   * `drop_intermediate=True` (its default). Default `false` here: every threshold is kept, so the
   * curve can be read for any operating point. The area is the same either way.
   */
  readonly dropIntermediate?: boolean;
}

/** Options of {@link rocAuc}. */
export interface RocAucOptions<L extends ClassLabel> {
  /** The positive class (default `1` for labels in {0, 1} or {-1, 1}; otherwise required). */
  readonly positive?: L;
}

/**
 * The ROC curve of scores for one class, exactly as scikit-learn's `roc_curve` (samples with
 * tied scores move the curve together, in one diagonal step).
 *
 * @param truth - the true class of each sample.
 * @param scores - a score for each sample, higher meaning more likely positive (probabilities,
 *   logits, ...).
 * @param options - the positive class; whether to drop collinear points.
 * @throws {@link EvaluationError} `evaluation-length`, `evaluation-empty`, `evaluation-label`,
 *   `evaluation-positive`, `evaluation-score` for a score that is not finite, and
 *   `evaluation-single-class` when there are no positive or no negative samples (scikit-learn
 *   returns NaN rates with a warning there; its `roc_auc_score` raises).
 * @example
 * ```ts
 * import { rocCurve } from "@radlab/kernel";
 * const roc = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * roc.fpr; // [0, 0, 0.5, 0.5, 1]
 * roc.tpr; // [0, 0.5, 0.5, 1, 1]
 * roc.thresholds; // [Infinity, 0.8, 0.4, 0.35, 0.1]
 * roc.auc; // 0.75
 * ```
 */
export function rocCurve<L extends ClassLabel>(
  truth: readonly L[],
  scores: readonly number[],
  options: RocCurveOptions<L> = {},
): RocCurve {
  const { isPositive, positives, negatives } = binarize(truth, scores, options.positive);
  // Samples in decreasing score; a threshold is each distinct score (scikit-learn's _binary_clf_curve).
  const order = scores.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number) || a - b);
  let tps = [0];
  let fps = [0];
  let thresholds = [Number.POSITIVE_INFINITY];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const s = order[k] as number;
    if (isPositive[s]) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[s]) {
      tps.push(tp);
      fps.push(fp);
      thresholds.push(scores[s] as number);
    }
  }
  // Twice the trapezoid area in counts: an integer, exact while below 2^53.
  let twiceArea = 0;
  for (let i = 1; i < tps.length; i++) {
    twiceArea += ((fps[i] as number) - (fps[i - 1] as number)) * ((tps[i] as number) + (tps[i - 1] as number));
  }
  if (options.dropIntermediate === true && tps.length > 3) {
    // scikit-learn tests the second differences of the curve before prepending (0, 0).
    const keep = [0, 1];
    for (let i = 2; i < tps.length - 1; i++) {
      const d2 = (v: number[]) => (v[i + 1] as number) - 2 * (v[i] as number) + (v[i - 1] as number);
      if (d2(fps) !== 0 || d2(tps) !== 0) keep.push(i);
    }
    keep.push(tps.length - 1);
    tps = keep.map((i) => tps[i] as number);
    fps = keep.map((i) => fps[i] as number);
    thresholds = keep.map((i) => thresholds[i] as number);
  }
  return Object.freeze({
    fpr: Object.freeze(fps.map((f) => f / negatives)),
    tpr: Object.freeze(tps.map((t) => t / positives)),
    thresholds: Object.freeze(thresholds),
    positives,
    negatives,
    auc: twiceArea / (2 * positives * negatives),
  });
}

/**
 * The area under the ROC curve, equal to scikit-learn's `roc_auc_score` for binary labels (to the
 * last bit or within one; see {@link RocCurve.auc}): the probability that a random positive
 * scores above a random negative, ties counting 1/2.
 *
 * @throws {@link EvaluationError} as {@link rocCurve}.
 * @example
 * ```ts
 * import { rocAuc } from "@radlab/kernel";
 * rocAuc(["normal", "effusion", "effusion"], [0.3, 0.3, 0.9], { positive: "effusion" }); // 0.75
 * ```
 */
export function rocAuc<L extends ClassLabel>(
  truth: readonly L[],
  scores: readonly number[],
  options: RocAucOptions<L> = {},
): number {
  return rocCurve(truth, scores, options).auc;
}

/**
 * The area under a piecewise-linear curve by the trapezoidal rule, as scikit-learn's
 * `sklearn.metrics.auc`: `x` must be monotonic (increasing or decreasing); a decreasing `x` gives
 * the same positive area.
 *
 * @throws {@link EvaluationError} `evaluation-length` when `x` and `y` differ in length or have
 *   fewer than 2 points, `evaluation-score` for a value that is not finite or an `x` that is not
 *   monotonic.
 * @example
 * ```ts
 * import { trapezoidArea } from "@radlab/kernel";
 * trapezoidArea([0, 0.5, 1], [0, 1, 1]); // 0.75
 * ```
 */
export function trapezoidArea(x: readonly number[], y: readonly number[]): number {
  checkLength(x, "x", y, "y");
  if (x.length < 2) {
    throw new EvaluationError("evaluation-length", `A curve needs at least 2 points, got ${x.length}.`, {
      path: "x",
      hint: "Pass the points of the curve, for example a RocCurve's fpr and tpr.",
    });
  }
  checkScores(x, "x", false);
  checkScores(y, "y", false);
  const increasing = x.every((v, i) => i === 0 || v >= (x[i - 1] as number));
  const decreasing = x.every((v, i) => i === 0 || v <= (x[i - 1] as number));
  if (!increasing && !decreasing) {
    throw new EvaluationError("evaluation-score", "x is neither increasing nor decreasing.", {
      path: "x",
      hint: "Sort the points by x first.",
    });
  }
  let area = 0;
  for (let i = 1; i < x.length; i++) {
    area += (((x[i] as number) - (x[i - 1] as number)) * ((y[i] as number) + (y[i - 1] as number))) / 2;
  }
  return increasing ? area : -area;
}

/** The AUC with its variance and confidence interval by DeLong's method, from {@link delongAuc}. */
export interface DelongAuc {
  /** The AUC (equal to {@link RocCurve.auc}). */
  readonly auc: number;
  /** DeLong's estimate of the variance of the AUC. */
  readonly variance: number;
  /** The square root of {@link DelongAuc.variance}. */
  readonly standardError: number;
  /** The confidence level of the interval, for example 0.95. */
  readonly confidence: number;
  /** The lower end of the interval, clipped at 0. */
  readonly lower: number;
  /** The upper end of the interval, clipped at 1. */
  readonly upper: number;
  readonly positives: number;
  readonly negatives: number;
}

/** Options of {@link delongAuc}. */
export interface DelongAucOptions<L extends ClassLabel> {
  /** The positive class (default `1` for labels in {0, 1} or {-1, 1}; otherwise required). */
  readonly positive?: L;
  /** The confidence level of the interval, strictly between 0 and 1 (default 0.95). */
  readonly confidence?: number;
}

/**
 * The AUC with a confidence interval by DeLong's method (DeLong, DeLong & Clarke-Pearson,
 * Biometrics 44:837-845, 1988), computed in O(n log n) with midranks (Sun & Xu, IEEE Signal
 * Processing Letters 21:1389-1393, 2014). The interval is `auc ± z * standardError` with `z` the
 * normal quantile of `(1 + confidence) / 2`, clipped to [0, 1] (as R's pROC `ci.auc(method =
 * "delong")`). With a perfect separation the variance is 0 and the interval is the point.
 *
 * @throws {@link EvaluationError} as {@link rocCurve}; `evaluation-too-few` with fewer than 2
 *   positive or 2 negative samples (the variance needs two of each); `evaluation-options` for a
 *   confidence outside (0, 1).
 * @example
 * ```ts
 * import { delongAuc } from "@radlab/kernel";
 * const { auc, lower, upper } = delongAuc([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.9]);
 * auc; // 0.8888888888888888
 * ```
 */
export function delongAuc<L extends ClassLabel>(
  truth: readonly L[],
  scores: readonly number[],
  options: DelongAucOptions<L> = {},
): DelongAuc {
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) {
    throw new EvaluationError("evaluation-options", `The confidence level ${confidence} is not between 0 and 1.`, {
      path: "confidence",
      hint: "Pass a level such as 0.95 for a 95% interval.",
    });
  }
  const { isPositive, positives: m, negatives: n } = binarize(truth, scores, options.positive);
  if (m < 2 || n < 2) {
    throw new EvaluationError(
      "evaluation-too-few",
      `DeLong's interval needs at least 2 positive and 2 negative samples; there are ${m} and ${n}.`,
      { rule: "DeLong variance (sample variance of placement values)", hint: "Evaluate on more samples." },
    );
  }
  const x = scores.filter((_, i) => isPositive[i]);
  const y = scores.filter((_, i) => !isPositive[i]);
  const tx = midranks(x);
  const ty = midranks(y);
  const tz = midranks([...x, ...y]);
  // Twice the rank sum is an integer: the AUC below is exact and equals rocCurve's.
  let twiceRankSum = 0;
  for (let i = 0; i < m; i++) twiceRankSum += 2 * (tz[i] as number);
  const auc = (twiceRankSum - m * (m + 1)) / (2 * m * n);
  // Placement values: the fraction of negatives below each positive, of positives above each negative.
  const v10 = x.map((_, i) => ((tz[i] as number) - (tx[i] as number)) / n);
  const v01 = y.map((_, j) => 1 - ((tz[m + j] as number) - (ty[j] as number)) / m);
  const variance = sampleVariance(v10) / m + sampleVariance(v01) / n;
  const standardError = Math.sqrt(variance);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  return Object.freeze({
    auc,
    variance,
    standardError,
    confidence,
    lower: Math.max(0, auc - z * standardError),
    upper: Math.min(1, auc + z * standardError),
    positives: m,
    negatives: n,
  });
}

/** The AUC of one class in a {@link PerClassAuc}. */
export interface ClassAuc<L extends ClassLabel = ClassLabel> {
  readonly class: L;
  readonly auc: number;
  readonly positives: number;
  readonly negatives: number;
}

/** Per-class AUCs with their averages, from {@link multiLabelAuc} or {@link oneVsRestAuc}. */
export interface PerClassAuc<L extends ClassLabel = ClassLabel> {
  /** One entry per class, in the order given. */
  readonly perClass: readonly ClassAuc<L>[];
  /** The unweighted mean of the per-class AUCs (scikit-learn's `average="macro"`). */
  readonly macro: number;
  /** The mean weighted by each class's positives (`average="weighted"`). */
  readonly weighted: number;
}

/** Options of {@link multiLabelAuc}. */
export interface MultiLabelAucOptions<L extends ClassLabel> {
  /** The name of each column (each finding), in column order. */
  readonly classes: readonly L[];
}

/**
 * The AUC of each label of a multi-label classifier (several findings per image, each scored
 * independently) and their macro and weighted means, as scikit-learn's `roc_auc_score` on an
 * indicator matrix with `average=None`, `"macro"` and `"weighted"`.
 *
 * @param truth - one row per sample, one 0/1 column per label.
 * @param scores - one row per sample, one score per label.
 * @throws {@link EvaluationError} `evaluation-length` and `evaluation-score` for mismatched or
 *   ragged matrices, `evaluation-label` for a truth value other than 0 or 1 or for invalid
 *   classes, `evaluation-single-class` naming every label with no positive or no negative sample
 *   (scikit-learn raises there too; drop those labels).
 * @example
 * ```ts
 * import { multiLabelAuc } from "@radlab/kernel";
 * const result = multiLabelAuc(
 *   [[1, 0], [0, 1], [1, 1], [0, 0]],
 *   [[0.9, 0.2], [0.3, 0.7], [0.6, 0.6], [0.4, 0.3]],
 *   { classes: ["Effusion", "Nodule"] },
 * );
 * result.macro; // 1
 * ```
 */
export function multiLabelAuc<L extends ClassLabel>(
  truth: readonly (readonly number[])[],
  scores: readonly (readonly number[])[],
  options: MultiLabelAucOptions<L>,
): PerClassAuc<L> {
  checkNotEmpty(truth, "truth");
  const classes = resolveClasses({}, options.classes);
  const columns = checkMatrix(truth, truth.length, "truth");
  checkMatrix(scores, truth.length, "scores");
  if (columns !== classes.length || (scores[0]?.length ?? 0) !== classes.length) {
    throw new EvaluationError(
      "evaluation-length",
      `truth has ${columns} column(s) and scores ${scores[0]?.length ?? 0}, but there are ${classes.length} classes.`,
      { path: "classes", hint: "Give one class name per column, in column order." },
    );
  }
  truth.forEach((row, s) =>
    row.forEach((v, j) => {
      if (v !== 0 && v !== 1) {
        throw new EvaluationError("evaluation-label", `truth[${s}][${j}] is ${String(v)}, not 0 or 1.`, {
          path: `truth[${s}][${j}]`,
          hint: "Mark each label present (1) or absent (0).",
        });
      }
    }),
  );
  scores.forEach((row, s) => checkScores(row, `scores[${s}]`, false));
  const columnTruth = classes.map((_, j) => truth.map((row) => row[j] as number));
  const degenerate = classes.filter((_, j) => {
    const positives = (columnTruth[j] as number[]).reduce((a, b) => a + b, 0);
    return positives === 0 || positives === truth.length;
  });
  if (degenerate.length > 0) {
    throw new EvaluationError(
      "evaluation-single-class",
      `The AUC is not defined for ${degenerate.map(formatLabel).join(", ")}: every sample has the same truth.`,
      {
        path: "truth",
        rule: "AUC needs positive and negative samples",
        hint: "Leave those labels out of the evaluation, or evaluate on a larger set.",
      },
    );
  }
  const perClass = classes.map((c, j) => {
    const curve = rocCurve(
      columnTruth[j] as number[],
      scores.map((row) => row[j] as number),
      { positive: 1 },
    );
    return Object.freeze({ class: c, auc: curve.auc, positives: curve.positives, negatives: curve.negatives });
  });
  return averaged(perClass);
}

/** Options of {@link oneVsRestAuc}. */
export interface OneVsRestAucOptions<L extends ClassLabel> {
  /** The class of each probability column, in column order. */
  readonly classes: readonly L[];
}

/**
 * The one-vs-rest AUC of each class of a multiclass classifier, with the macro and weighted
 * means, as scikit-learn's `roc_auc_score(multi_class="ovr")`. scikit-learn also requires each
 * row of probabilities to sum to 1; this function accepts any scores.
 *
 * @param truth - the true class of each sample.
 * @param probabilities - one row per sample, one column per class.
 * @throws {@link EvaluationError} as {@link multiLabelAuc}; `evaluation-label` for a true class
 *   outside `classes`.
 * @example
 * ```ts
 * import { oneVsRestAuc } from "@radlab/kernel";
 * oneVsRestAuc(["a", "b", "c", "a"], [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.3, 0.3, 0.4], [0.5, 0.4, 0.1]], {
 *   classes: ["a", "b", "c"],
 * }).macro; // 1
 * ```
 */
export function oneVsRestAuc<L extends ClassLabel>(
  truth: readonly L[],
  probabilities: readonly (readonly number[])[],
  options: OneVsRestAucOptions<L>,
): PerClassAuc<L> {
  checkNotEmpty(truth, "truth");
  const classes = resolveClasses({ truth }, options.classes);
  const columns = checkMatrix(probabilities, truth.length, "probabilities");
  if (columns !== classes.length) {
    throw new EvaluationError(
      "evaluation-length",
      `probabilities has ${columns} column(s) but there are ${classes.length} classes.`,
      { path: "probabilities[0]", hint: "Give one column per class, in the order of classes." },
    );
  }
  const indicator = truth.map((t) => classes.map((c) => (c === t ? 1 : 0)));
  return multiLabelAuc(indicator, probabilities, { classes });
}

function averaged<L extends ClassLabel>(perClass: readonly ClassAuc<L>[]): PerClassAuc<L> {
  const positives = perClass.reduce((a, c) => a + c.positives, 0);
  return Object.freeze({
    perClass: Object.freeze(perClass),
    macro: perClass.reduce((a, c) => a + c.auc, 0) / perClass.length,
    weighted: perClass.reduce((a, c) => a + c.auc * c.positives, 0) / positives,
  });
}

function binarize<L extends ClassLabel>(
  truth: readonly L[],
  scores: readonly number[],
  positive: L | undefined,
): { isPositive: boolean[]; positives: number; negatives: number } {
  checkLength(truth, "truth", scores, "scores");
  checkNotEmpty(truth, "truth");
  checkLabels(truth, "truth");
  checkScores(scores, "scores", false);
  const p = resolvePositive(truth, positive);
  const isPositive = truth.map((t) => t === p);
  const positives = isPositive.filter(Boolean).length;
  const negatives = truth.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new EvaluationError(
      "evaluation-single-class",
      `The ROC curve needs positive and negative samples; there are ${positives} positive (${formatLabel(p)}) and ${negatives} negative.`,
      {
        path: "truth",
        rule: "AUC needs positive and negative samples",
        hint: "Evaluate on a set with both classes (a patient-level split can leave a rare class out of a fold).",
      },
    );
  }
  return { isPositive, positives, negatives };
}

/** 1-based ranks, ties sharing the mean of their ranks. */
function midranks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Array<number>(values.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1] as number] === values[order[i] as number]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k] as number] = rank;
    i = j + 1;
  }
  return ranks;
}

function sampleVariance(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
}
