import { RadlabError, type RadlabErrorOptions } from "../../core/radlab-error";

/**
 * Why an evaluation could not be computed:
 * - `evaluation-length`: two parallel inputs (truth and predictions, truth and scores, ...) differ in length;
 * - `evaluation-empty`: there are no samples;
 * - `evaluation-label`: a label that is not a finite number or a string, labels of both kinds
 *   mixed, a label missing from the given classes, or duplicate classes;
 * - `evaluation-positive`: the positive class is not given and cannot be inferred, or is not a class;
 * - `evaluation-score`: a score that is not finite, a probability outside [0, 1], a ragged matrix;
 * - `evaluation-single-class`: a ROC curve or AUC needs both positive and negative samples;
 * - `evaluation-too-few`: DeLong's interval needs at least two positives and two negatives;
 * - `evaluation-patient-truth`: a patient's images disagree where they were required to agree;
 * - `evaluation-options`: an option outside its allowed values.
 */
export type EvaluationErrorCode =
  | "evaluation-length"
  | "evaluation-empty"
  | "evaluation-label"
  | "evaluation-positive"
  | "evaluation-score"
  | "evaluation-single-class"
  | "evaluation-too-few"
  | "evaluation-patient-truth"
  | "evaluation-options";

/**
 * An error evaluating a classifier. `evidence.path` names the offending input element, for
 * example `scores[3]` or `truth[0][2]`, and the hint says how to fix it.
 *
 * @example
 * ```ts
 * import { EvaluationError, rocAuc } from "@radlab/kernel";
 * try {
 *   rocAuc([1, 1, 1], [0.2, 0.7, 0.9]);
 * } catch (error) {
 *   if (error instanceof EvaluationError) error.code; // "evaluation-single-class"
 * }
 * ```
 */
export class EvaluationError extends RadlabError {
  declare readonly code: EvaluationErrorCode;

  constructor(code: EvaluationErrorCode, message: string, options: RadlabErrorOptions = {}) {
    super(code, message, options);
  }
}
