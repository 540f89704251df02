import { DisplayableValue, type MimeBundle } from "../display/mime-bundle";
import type { ConfusionMatrix } from "./evaluation/confusion-matrix";
import { confusionMatrix } from "./evaluation/confusion-matrix";
import { binaryMetricsTable, confusionMatrixView, rocCurveView } from "./evaluation/evaluation-views";
import type { ClassLabel } from "./evaluation/evaluation-input";
import { binaryMetricsAtThreshold, type ThresholdedBinaryMetrics } from "./evaluation/metrics";
import { aggregateByPatient, type PatientLevelPredictions } from "./evaluation/patient-aggregation";
import { delongAuc, rocCurve, type DelongAuc, type RocCurve } from "./evaluation/roc";

/** A binary classifier's evaluation on one set: image level and, with patient IDs, patient level. */
export interface BinaryEvaluation<L extends ClassLabel = ClassLabel> {
  readonly metrics: ThresholdedBinaryMetrics<L>;
  readonly confusion: ConfusionMatrix<L>;
  readonly roc: RocCurve;
  readonly auc: DelongAuc;
  /** Per patient (probabilities averaged, a patient positive when any image is), or `null`. */
  readonly patient: {
    readonly predictions: PatientLevelPredictions;
    readonly metrics: ThresholdedBinaryMetrics<0 | 1>;
    readonly roc: RocCurve;
    readonly auc: DelongAuc;
  } | null;
}

/**
 * Evaluates a binary classifier's probabilities against the truth: accuracy, sensitivity,
 * specificity, precision, F1 at `threshold`, the confusion matrix, the ROC curve with AUC and
 * DeLong's 95 % interval; with `patientIds`, the same per patient (mean probability of a
 * patient's images; a patient is positive when any image is). Displays as the metrics table, the
 * ROC curve and the confusion matrix (counts, normalised by true class).
 *
 * @example
 * ```ts
 * const evaluation = evaluateBinary(["0_normal", "1_abnormal"], [0.2, 0.9], { classes: ["0_normal", "1_abnormal"], positive: "1_abnormal" });
 * evaluation.metrics.accuracy; // 1
 * display(evaluation);
 * ```
 */
export function evaluateBinary<L extends ClassLabel>(
  truth: readonly L[],
  probabilities: readonly number[],
  options: {
    readonly classes: readonly L[];
    readonly positive: L;
    readonly threshold?: number;
    readonly patientIds?: readonly string[];
  },
): BinaryEvaluationView<L> {
  const threshold = options.threshold ?? 0.5;
  const { classes, positive } = options;
  const negative = classes.find((c) => c !== positive) as L;
  const metrics = binaryMetricsAtThreshold(truth, probabilities, { classes, positive, threshold });
  const predicted = probabilities.map((p) => (p >= threshold ? positive : negative));
  const confusion = confusionMatrix(truth, predicted, { classes });
  const roc = rocCurve(truth, probabilities, { positive });
  const auc = delongAuc(truth, probabilities, { positive });
  let patient: BinaryEvaluation<L>["patient"] = null;
  if (options.patientIds !== undefined) {
    const predictions = aggregateByPatient(options.patientIds, truth, probabilities, {
      positive,
      probability: "mean",
      truth: "any",
    });
    patient = {
      predictions,
      metrics: binaryMetricsAtThreshold<0 | 1>(predictions.truth, predictions.probabilities, {
        classes: [0, 1],
        positive: 1,
        threshold,
      }),
      roc: rocCurve<0 | 1>(predictions.truth, predictions.probabilities, { positive: 1 }),
      auc: delongAuc<0 | 1>(predictions.truth, predictions.probabilities, { positive: 1 }),
    };
  }
  return new BinaryEvaluationView({ metrics, confusion, roc, auc, patient });
}

/** {@link BinaryEvaluation} with its display: metrics table, ROC curve and confusion matrix. */
export class BinaryEvaluationView<L extends ClassLabel = ClassLabel>
  extends DisplayableValue
  implements BinaryEvaluation<L>
{
  readonly metrics: ThresholdedBinaryMetrics<L>;
  readonly confusion: ConfusionMatrix<L>;
  readonly roc: RocCurve;
  readonly auc: DelongAuc;
  readonly patient: BinaryEvaluation<L>["patient"];

  constructor(evaluation: BinaryEvaluation<L>) {
    super();
    ({
      metrics: this.metrics,
      confusion: this.confusion,
      roc: this.roc,
      auc: this.auc,
      patient: this.patient,
    } = evaluation);
  }

  /** The parts as separate displayable values, to show one at a time. */
  views(): {
    metrics: DisplayableValue;
    roc: DisplayableValue;
    confusion: DisplayableValue;
    patientMetrics: DisplayableValue | null;
  } {
    const series = [{ name: "images", curve: this.roc, interval: this.auc }];
    if (this.patient !== null) series.push({ name: "patients", curve: this.patient.roc, interval: this.patient.auc });
    return {
      metrics: binaryMetricsTable(this.metrics, { caption: `Image level, threshold ${this.metrics.threshold}` }),
      roc: rocCurveView(series),
      confusion: confusionMatrixView(this.confusion, { normalize: "true" }),
      patientMetrics:
        this.patient === null
          ? null
          : binaryMetricsTable(this.patient.metrics, {
              caption: `Patient level (${this.patient.predictions.patientIds.length} patients, mean probability, positive if any image is)`,
            }),
    };
  }

  /** One HTML output holding every part (the SVGs inline), with a text fallback. */
  toMimeBundle(): MimeBundle {
    const v = this.views();
    const parts = [v.metrics, v.patientMetrics, v.roc, v.confusion]
      .filter((p): p is DisplayableValue => p !== null)
      .map((p) => p.toMimeBundle().data);
    const html = parts
      .map((d) => {
        const svg = d["image/svg+xml"];
        const table = d["text/html"];
        return `<div style="display:inline-block;vertical-align:top;margin:4px">${typeof svg === "string" ? svg : typeof table === "string" ? table : ""}</div>`;
      })
      .join("");
    const text = parts.map((d) => (typeof d["text/plain"] === "string" ? d["text/plain"] : "")).join("\n\n");
    return { data: { "text/html": `<div class="radlab-evaluation">${html}</div>`, "text/plain": text } };
  }
}
