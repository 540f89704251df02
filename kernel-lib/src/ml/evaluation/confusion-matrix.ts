import { EvaluationError } from "./evaluation-error";
import { checkLabels, checkLength, checkNotEmpty, resolveClasses, type ClassLabel } from "./evaluation-input";

/**
 * Counts of a classifier's decisions: `counts[i][j]` is the number of samples whose true class is
 * `classes[i]` and whose predicted class is `classes[j]` (rows are the truth, columns the
 * prediction, as in scikit-learn's `confusion_matrix`).
 */
export interface ConfusionMatrix<L extends ClassLabel = ClassLabel> {
  /** The classes, in the order of the rows and columns. */
  readonly classes: readonly L[];
  /** `counts[true][predicted]`. */
  readonly counts: readonly (readonly number[])[];
  /** The number of samples. */
  readonly total: number;
  /** The samples on the diagonal (predicted class = true class). */
  readonly correct: number;
  /** `correct / total`. */
  readonly accuracy: number;
}

/** Options of {@link confusionMatrix}. */
export interface ConfusionMatrixOptions<L extends ClassLabel> {
  /**
   * The classes, in the order wanted for the rows and columns (default: every label in the truth
   * or the predictions, sorted). Every label must be one of them: unlike scikit-learn, samples
   * with other labels are an error rather than dropped.
   */
  readonly classes?: readonly L[];
}

/**
 * How {@link normalizeConfusionMatrix} divides the counts, as scikit-learn's
 * `confusion_matrix(normalize=...)`: `true` by each row's sum (each row then sums to 1; the
 * diagonal is each class's recall), `pred` by each column's sum (the diagonal is each class's
 * precision), `all` by the total.
 */
export type ConfusionNormalization = "true" | "pred" | "all";

/**
 * Counts how often each true class was predicted as each class.
 *
 * @param truth - the true class of each sample.
 * @param predicted - the predicted class of each sample, in the same order.
 * @param options - the classes and their order.
 * @returns A frozen {@link ConfusionMatrix}.
 * @throws {@link EvaluationError} `evaluation-length` when the inputs differ in length,
 *   `evaluation-empty` when there are no samples, `evaluation-label` for an invalid label or a
 *   label outside `classes`.
 * @example
 * ```ts
 * import { confusionMatrix } from "@radlab/kernel";
 * const cm = confusionMatrix(["normal", "effusion", "normal"], ["normal", "normal", "normal"], {
 *   classes: ["normal", "effusion"],
 * });
 * cm.counts; // [[2, 0], [1, 0]]
 * cm.accuracy; // 0.6666666666666666
 * ```
 */
export function confusionMatrix<L extends ClassLabel>(
  truth: readonly L[],
  predicted: readonly L[],
  options: ConfusionMatrixOptions<L> = {},
): ConfusionMatrix<L> {
  checkLength(truth, "truth", predicted, "predicted");
  checkNotEmpty(truth, "truth");
  const classes = resolveClasses({ truth, predicted }, options.classes);
  const index = new Map<L, number>(classes.map((c, i) => [c, i]));
  const counts = classes.map(() => classes.map(() => 0));
  for (let s = 0; s < truth.length; s++) {
    const row = counts[index.get(truth[s] as L) as number] as number[];
    const j = index.get(predicted[s] as L) as number;
    row[j] = (row[j] ?? 0) + 1;
  }
  return freeze(classes, counts);
}

/**
 * A confusion matrix from counts already tallied, for example ones reported in a paper or by
 * another tool.
 *
 * @param classes - the classes of the rows and columns.
 * @param counts - `counts[true][predicted]`: a square matrix of non-negative integers.
 * @throws {@link EvaluationError} `evaluation-label` for invalid or duplicate classes,
 *   `evaluation-score` when the matrix is not square or holds something other than counts,
 *   `evaluation-empty` when every count is 0.
 * @example
 * ```ts
 * import { confusionMatrixFromCounts } from "@radlab/kernel";
 * confusionMatrixFromCounts(["negative", "positive"], [[81, 13], [12, 91]]).accuracy; // 0.8730964467005076
 * ```
 */
export function confusionMatrixFromCounts<L extends ClassLabel>(
  classes: readonly L[],
  counts: readonly (readonly number[])[],
): ConfusionMatrix<L> {
  checkNotEmpty(classes, "classes");
  const checked = resolveClasses({}, classes);
  if (counts.length !== classes.length) {
    throw new EvaluationError(
      "evaluation-score",
      `counts has ${counts.length} row(s) but there are ${classes.length} classes.`,
      { path: "counts", hint: "Give one row per true class and one column per predicted class." },
    );
  }
  counts.forEach((row, i) => {
    if (row.length !== classes.length) {
      throw new EvaluationError(
        "evaluation-score",
        `counts[${i}] has ${row.length} column(s) but there are ${classes.length} classes.`,
        { path: `counts[${i}]`, hint: "Give one row per true class and one column per predicted class." },
      );
    }
    row.forEach((n, j) => {
      if (!Number.isSafeInteger(n) || n < 0) {
        throw new EvaluationError("evaluation-score", `counts[${i}][${j}] is ${n}, not a count.`, {
          path: `counts[${i}][${j}]`,
          hint: "Counts are non-negative whole numbers; normalise afterwards with normalizeConfusionMatrix.",
        });
      }
    });
  });
  const cm = freeze(checked, counts);
  if (cm.total === 0) {
    throw new EvaluationError("evaluation-empty", "Every count is 0: there is nothing to evaluate.", {
      path: "counts",
      hint: "Pass the counts of at least one sample.",
    });
  }
  return cm;
}

/**
 * Divides a confusion matrix's counts by the row sums, the column sums or the total, exactly as
 * scikit-learn's `confusion_matrix(normalize=...)`. A row or column with no samples gives 0s,
 * not NaN: scikit-learn does the same (`np.nan_to_num`, silently, in scikit-learn 1.9.1), and
 * 0 keeps the value a number that tables and plots can show.
 *
 * @param matrix - a confusion matrix of counts.
 * @param by - what to divide by.
 * @returns A new matrix of fractions, `[true][predicted]`.
 * @throws {@link EvaluationError} `evaluation-options` for an unknown normalisation.
 * @example
 * ```ts
 * import { confusionMatrixFromCounts, normalizeConfusionMatrix } from "@radlab/kernel";
 * const cm = confusionMatrixFromCounts([0, 1], [[3, 1], [0, 0]]);
 * normalizeConfusionMatrix(cm, "true"); // [[0.75, 0.25], [0, 0]]
 * ```
 */
export function normalizeConfusionMatrix(matrix: ConfusionMatrix, by: ConfusionNormalization): number[][] {
  const k = matrix.classes.length;
  const cell = (i: number, j: number) => matrix.counts[i]?.[j] ?? 0;
  const rowSums = matrix.counts.map((row) => row.reduce((a, b) => a + b, 0));
  const columnSums = matrix.classes.map((_, j) => matrix.counts.reduce((a, row) => a + (row[j] ?? 0), 0));
  const divide = (n: number, d: number) => (d === 0 ? 0 : n / d);
  const range = Array.from({ length: k }, (_, i) => i);
  switch (by) {
    case "true":
      return range.map((i) => range.map((j) => divide(cell(i, j), rowSums[i] ?? 0)));
    case "pred":
      return range.map((i) => range.map((j) => divide(cell(i, j), columnSums[j] ?? 0)));
    case "all":
      return range.map((i) => range.map((j) => divide(cell(i, j), matrix.total)));
    default:
      throw new EvaluationError("evaluation-options", `Unknown normalisation ${JSON.stringify(by)}.`, {
        path: "by",
        hint: 'Use "true" (rows sum to 1), "pred" (columns sum to 1) or "all" (the matrix sums to 1).',
      });
  }
}

function freeze<L extends ClassLabel>(
  classes: readonly L[],
  counts: readonly (readonly number[])[],
): ConfusionMatrix<L> {
  checkLabels(classes, "classes");
  const rows = counts.map((row) => Object.freeze([...row]));
  const total = rows.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0);
  const correct = rows.reduce((a, row, i) => a + (row[i] ?? 0), 0);
  return Object.freeze({
    classes: Object.freeze([...classes]),
    counts: Object.freeze(rows),
    total,
    correct,
    accuracy: total === 0 ? 0 : correct / total,
  });
}
