import { EvaluationError } from "./evaluation-error";
import {
  checkLabels,
  checkLength,
  checkNotEmpty,
  checkScores,
  resolveClasses,
  resolvePositive,
  type ClassLabel,
} from "./evaluation-input";

/**
 * How a patient's image probabilities become one probability: `mean`, `max` (the patient is as
 * suspicious as their most suspicious image) or `median` (the mean of the two middle values for
 * an even count, as numpy's `median`).
 */
export type PatientProbabilityRule = "mean" | "max" | "median";

/**
 * How a patient's image labels become one label:
 * - `any`: positive when at least one image is positive (a finding seen once is present);
 * - `majority`: positive when at least half of the images are positive; a tie (1 of 2, 2 of 4)
 *   counts as positive, because missing a positive patient usually costs more than a false alarm;
 * - `same`: every image of a patient must have the same label (a patient-level diagnosis copied
 *   to each image); a disagreement is an error rather than a silent vote.
 */
export type PatientTruthRule = "any" | "majority" | "same";

/** Options of {@link aggregateByPatient}. */
export interface PatientAggregationOptions<L extends ClassLabel> {
  /** The positive class of the image labels (default `1` for labels in {0, 1} or {-1, 1}). */
  readonly positive?: L;
  /** How image probabilities are combined (default `mean`). */
  readonly probability?: PatientProbabilityRule;
  /** How image labels are combined (default `any`). */
  readonly truth?: PatientTruthRule;
}

/**
 * Patient-level truth and probabilities, in parallel arrays sorted by patient ID, ready for
 * {@link rocCurve}, {@link delongAuc} or {@link binaryMetricsAtThreshold} (the positive class is
 * `1`, the default there).
 */
export interface PatientLevelPredictions {
  /** The patients, sorted (by UTF-16 code unit), so the result does not depend on image order. */
  readonly patientIds: readonly string[];
  /** 1 for a positive patient, 0 for a negative one. */
  readonly truth: readonly (0 | 1)[];
  /** The combined probability of each patient. */
  readonly probabilities: readonly number[];
  /** How many images each patient has. */
  readonly imageCounts: readonly number[];
  /** How many of each patient's images are positive. */
  readonly positiveImages: readonly number[];
  /** The rules applied, so that the result can be reported with how it was made. */
  readonly rules: { readonly probability: PatientProbabilityRule; readonly truth: PatientTruthRule };
}

/**
 * Combines image-level predictions into patient-level ones, so that a patient with twenty images
 * counts once. Evaluate at patient level whenever a patient can have several images: image-level
 * metrics weight patients by their number of images, and correlated images of one patient make
 * intervals such as DeLong's too narrow.
 *
 * @param patientIds - the patient of each image.
 * @param truth - the true class of each image.
 * @param probabilities - the predicted probability of the positive class for each image.
 * @param options - the positive class and the two rules.
 * @throws {@link EvaluationError} `evaluation-length`, `evaluation-empty`, `evaluation-label`
 *   (also for an empty patient ID), `evaluation-positive`, `evaluation-score` for a probability
 *   outside [0, 1], `evaluation-options` for an unknown rule, and `evaluation-patient-truth`
 *   naming the first patient whose images disagree under the `same` rule.
 * @example
 * ```ts
 * import { aggregateByPatient, rocAuc } from "@radlab/kernel";
 * const patients = aggregateByPatient(["p2", "p1", "p1"], [0, 1, 0], [0.2, 0.9, 0.4], { probability: "max" });
 * patients.patientIds; // ["p1", "p2"]
 * patients.truth; // [1, 0]
 * patients.probabilities; // [0.9, 0.2]
 * rocAuc(patients.truth, patients.probabilities); // 1
 * ```
 */
export function aggregateByPatient<L extends ClassLabel>(
  patientIds: readonly string[],
  truth: readonly L[],
  probabilities: readonly number[],
  options: PatientAggregationOptions<L> = {},
): PatientLevelPredictions {
  checkLength(patientIds, "patientIds", truth, "truth");
  checkLength(patientIds, "patientIds", probabilities, "probabilities");
  checkNotEmpty(patientIds, "patientIds");
  checkLabels(patientIds, "patientIds");
  patientIds.forEach((id, i) => {
    if (typeof id !== "string" || id === "") {
      throw new EvaluationError("evaluation-label", `patientIds[${i}] is ${JSON.stringify(id)}, not a patient ID.`, {
        path: `patientIds[${i}]`,
        hint: "Give every image the (pseudonymised) ID of its patient as a non-empty string.",
      });
    }
  });
  checkScores(probabilities, "probabilities", true);
  const probabilityRule = options.probability ?? "mean";
  const truthRule = options.truth ?? "any";
  if (!["mean", "max", "median"].includes(probabilityRule)) {
    throw new EvaluationError("evaluation-options", `Unknown probability rule ${JSON.stringify(probabilityRule)}.`, {
      path: "probability",
      hint: 'Use "mean", "max" or "median".',
    });
  }
  if (!["any", "majority", "same"].includes(truthRule)) {
    throw new EvaluationError("evaluation-options", `Unknown truth rule ${JSON.stringify(truthRule)}.`, {
      path: "truth",
      hint: 'Use "any", "majority" or "same".',
    });
  }
  const positive = resolvePositive(resolveClasses({ truth }, undefined), options.positive);
  const groups = new Map<string, number[]>();
  patientIds.forEach((id, i) => {
    const group = groups.get(id);
    if (group === undefined) groups.set(id, [i]);
    else group.push(i);
  });
  const ids = [...groups.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const patientTruth: (0 | 1)[] = [];
  const patientProbabilities: number[] = [];
  const imageCounts: number[] = [];
  const positiveImages: number[] = [];
  for (const id of ids) {
    const images = groups.get(id) as number[];
    const positives = images.filter((i) => truth[i] === positive).length;
    if (truthRule === "same" && positives !== 0 && positives !== images.length) {
      throw new EvaluationError(
        "evaluation-patient-truth",
        `The images of patient ${id} disagree: ${positives} of ${images.length} are positive.`,
        {
          path: `patientIds[${images[0]}]`,
          rule: "same: every image of a patient has the patient's label",
          hint: 'Fix the labels, or choose truth: "any" or "majority" for image-level findings.',
        },
      );
    }
    const isPositive = truthRule === "majority" ? 2 * positives >= images.length : positives > 0;
    patientTruth.push(isPositive ? 1 : 0);
    patientProbabilities.push(
      combine(
        images.map((i) => probabilities[i] as number),
        probabilityRule,
      ),
    );
    imageCounts.push(images.length);
    positiveImages.push(positives);
  }
  return Object.freeze({
    patientIds: Object.freeze(ids),
    truth: Object.freeze(patientTruth),
    probabilities: Object.freeze(patientProbabilities),
    imageCounts: Object.freeze(imageCounts),
    positiveImages: Object.freeze(positiveImages),
    rules: Object.freeze({ probability: probabilityRule, truth: truthRule }),
  });
}

function combine(values: number[], rule: PatientProbabilityRule): number {
  if (rule === "max") return Math.max(...values);
  if (rule === "mean") return values.reduce((a, b) => a + b, 0) / values.length;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
