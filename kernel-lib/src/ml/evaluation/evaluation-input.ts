import { EvaluationError } from "./evaluation-error";

/** A class label: a finite number or a string. One input never mixes the two kinds. */
export type ClassLabel = number | string;

/**
 * Orders class labels as scikit-learn's `np.unique` does: numbers ascending, strings by UTF-16
 * code unit (the same as code point order outside the astral planes).
 *
 * @example
 * ```ts
 * [10, 2, 1].sort(compareLabels); // [1, 2, 10]
 * ```
 */
export function compareLabels(a: ClassLabel, b: ClassLabel): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Formats a label for an error message: strings quoted, numbers as they are.
 *
 * @example
 * ```ts
 * formatLabel("effusion"); // "\"effusion\""
 * ```
 */
export function formatLabel(label: ClassLabel): string {
  return typeof label === "string" ? JSON.stringify(label) : String(label);
}

/**
 * Checks that every label is a finite number or a string, and that numbers and strings are not
 * mixed (scikit-learn refuses the mix too).
 *
 * @param name - the argument's name, used in `evidence.path`.
 * @throws {@link EvaluationError} `evaluation-label`.
 * @example
 * ```ts
 * checkLabels([0, 1, 1], "truth"); // passes
 * checkLabels([0, "1"], "truth"); // throws: labels of both kinds
 * ```
 */
export function checkLabels(labels: readonly unknown[], name: string): void {
  let kind: string | undefined;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    const ok = typeof label === "string" || (typeof label === "number" && Number.isFinite(label));
    if (!ok) {
      throw new EvaluationError("evaluation-label", `${name}[${i}] is ${String(label)}, not a class label.`, {
        path: `${name}[${i}]`,
        hint: "Use finite numbers (0, 1, 2, ...) or strings as class labels.",
      });
    }
    if (kind === undefined) kind = typeof label;
    else if (typeof label !== kind) {
      throw new EvaluationError(
        "evaluation-label",
        `${name}[${i}] is the ${typeof label} ${formatLabel(label)}, but earlier labels are ${kind}s.`,
        { path: `${name}[${i}]`, hint: "Use one kind of label throughout: all numbers or all strings." },
      );
    }
  }
}

/**
 * Checks that a parallel input has the length of the reference input.
 *
 * @throws {@link EvaluationError} `evaluation-length`.
 * @example
 * ```ts
 * checkLength([0, 1], "truth", [0.2, 0.9], "scores"); // passes
 * ```
 */
export function checkLength(
  reference: readonly unknown[],
  referenceName: string,
  other: readonly unknown[],
  otherName: string,
): void {
  if (reference.length !== other.length) {
    throw new EvaluationError(
      "evaluation-length",
      `${otherName} has ${other.length} element(s) but ${referenceName} has ${reference.length}.`,
      {
        path: otherName,
        hint: `Pass one element of ${otherName} for each element of ${referenceName}, in the same order.`,
      },
    );
  }
}

/**
 * Checks that there is at least one sample.
 *
 * @throws {@link EvaluationError} `evaluation-empty`.
 * @example
 * ```ts
 * checkNotEmpty([0, 1], "truth"); // passes
 * ```
 */
export function checkNotEmpty(values: readonly unknown[], name: string): void {
  if (values.length === 0) {
    throw new EvaluationError("evaluation-empty", `${name} is empty: there is nothing to evaluate.`, {
      path: name,
      hint: "Pass at least one sample (check the split or the filter that produced the input).",
    });
  }
}

/**
 * The classes of an evaluation: the given ones (checked: no duplicates, every label among them),
 * or else every label that occurs, sorted with {@link compareLabels}. Unlike scikit-learn, which
 * silently drops samples whose label is not in `labels`, an unknown label is an error: a
 * misspelt class must not shrink the evaluation unnoticed.
 *
 * @param lists - the label inputs, by name (for example `{ truth, predicted }`).
 * @throws {@link EvaluationError} `evaluation-label` for a duplicate class or a label outside `classes`.
 * @example
 * ```ts
 * resolveClasses({ truth: ["b", "a"], predicted: ["a", "c"] }, undefined); // ["a", "b", "c"]
 * ```
 */
export function resolveClasses<L extends ClassLabel>(
  lists: Readonly<Record<string, readonly L[]>>,
  classes: readonly L[] | undefined,
): readonly L[] {
  let first: { name: string; kind: string } | undefined;
  for (const [name, list] of Object.entries(lists)) {
    checkLabels(list, name);
    if (list.length === 0) continue;
    const kind = typeof list[0];
    if (first === undefined) first = { name, kind };
    else if (kind !== first.kind) {
      throw new EvaluationError("evaluation-label", `${name} holds ${kind}s but ${first.name} holds ${first.kind}s.`, {
        path: `${name}[0]`,
        hint: 'Use one kind of label throughout: 1 and "1" are different classes.',
      });
    }
  }
  if (classes === undefined) {
    const all = new Set<L>();
    for (const list of Object.values(lists)) for (const label of list) all.add(label);
    return [...all].sort(compareLabels);
  }
  checkLabels(classes, "classes");
  const known = new Set<L>();
  classes.forEach((c, i) => {
    if (known.has(c)) {
      throw new EvaluationError("evaluation-label", `classes[${i}] repeats the class ${formatLabel(c)}.`, {
        path: `classes[${i}]`,
        hint: "List each class once.",
      });
    }
    known.add(c);
  });
  for (const [name, list] of Object.entries(lists)) {
    const i = list.findIndex((label) => !known.has(label));
    const label = list[i];
    if (label !== undefined) {
      throw new EvaluationError(
        "evaluation-label",
        `${name}[${i}] is ${formatLabel(label)}, which is not one of the classes (${classes.map(formatLabel).join(", ")}).`,
        { path: `${name}[${i}]`, hint: "Add the label to classes, or fix the label (check its spelling and type)." },
      );
    }
  }
  return [...classes];
}

/**
 * The positive class of a binary evaluation. When it is not given it is inferred as scikit-learn
 * does: `1` when every label is a number in {0, 1} or in {-1, 1}; otherwise it must be given.
 * A given positive class must occur among `known` (the labels seen, or the declared classes), so
 * that a misspelt class does not silently turn every sample negative.
 *
 * @throws {@link EvaluationError} `evaluation-positive`.
 * @example
 * ```ts
 * resolvePositive([0, 1, 1], undefined); // 1
 * resolvePositive(["normal", "effusion"], "effusion"); // "effusion"
 * ```
 */
export function resolvePositive<L extends ClassLabel>(known: readonly L[], positive: L | undefined): L {
  const labels = new Set<L>(known);
  if (positive === undefined) {
    const numeric = [...labels].every((l) => typeof l === "number");
    const binary01 = [...labels].every((l) => l === 0 || l === 1);
    const binaryPm = [...labels].every((l) => l === -1 || l === 1);
    if (numeric && (binary01 || binaryPm)) return 1 as L;
    throw new EvaluationError(
      "evaluation-positive",
      `Cannot tell which class is positive among ${[...labels].sort(compareLabels).map(formatLabel).join(", ")}.`,
      { rule: "positive defaults to 1 only for labels in {0, 1} or {-1, 1}", hint: "Pass { positive: <label> }." },
    );
  }
  if (!labels.has(positive)) {
    throw new EvaluationError(
      "evaluation-positive",
      `The positive class ${formatLabel(positive)} is not among the labels (${[...labels].sort(compareLabels).map(formatLabel).join(", ")}).`,
      {
        path: "positive",
        hint: 'Check the spelling and type of positive (1 and "1" differ); pass classes when it is truly absent from the data.',
      },
    );
  }
  return positive;
}

/**
 * Checks scores: every value finite and, for probabilities, within [0, 1].
 *
 * @throws {@link EvaluationError} `evaluation-score`.
 * @example
 * ```ts
 * checkScores([0.1, 0.9], "probabilities", true); // passes
 * ```
 */
export function checkScores(scores: readonly number[], name: string, probabilities: boolean): void {
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (typeof s !== "number" || !Number.isFinite(s)) {
      throw new EvaluationError("evaluation-score", `${name}[${i}] is ${String(s)}, not a finite number.`, {
        path: `${name}[${i}]`,
        hint: "Remove or fix the sample (a NaN usually comes from a failed prediction or a division by zero).",
      });
    }
    if (probabilities && (s < 0 || s > 1)) {
      throw new EvaluationError("evaluation-score", `${name}[${i}] is ${s}, not a probability in [0, 1].`, {
        path: `${name}[${i}]`,
        hint: "Pass probabilities (apply the sigmoid or softmax to logits first).",
      });
    }
  }
}

/**
 * Checks a matrix given as rows: `rows` rows, all of one length, returned.
 *
 * @throws {@link EvaluationError} `evaluation-length` for a wrong number of rows, `evaluation-score`
 *   for a ragged or empty row.
 * @example
 * ```ts
 * checkMatrix([[0.2, 0.8], [0.6, 0.4]], 2, "probabilities"); // 2 columns
 * ```
 */
export function checkMatrix(matrix: readonly (readonly unknown[])[], rows: number, name: string): number {
  if (matrix.length !== rows) {
    throw new EvaluationError(
      "evaluation-length",
      `${name} has ${matrix.length} row(s) but there are ${rows} sample(s).`,
      {
        path: name,
        hint: `Pass one row of ${name} per sample.`,
      },
    );
  }
  const columns = matrix[0]?.length ?? 0;
  for (let i = 0; i < matrix.length; i++) {
    const length = matrix[i]?.length;
    if (length !== columns || columns === 0) {
      throw new EvaluationError(
        "evaluation-score",
        `${name}[${i}] has ${String(length)} column(s); every row needs the same, non-zero number.`,
        { path: `${name}[${i}]`, hint: `Give every row of ${name} one value per class.` },
      );
    }
  }
  return columns;
}
