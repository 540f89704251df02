export { BACKEND_NAMES, BackendSelection, describeBackend, selectBackend } from "./backend";
export type { BackendAttempt, BackendDescription, BackendName, SelectBackendOptions } from "./backend";
export {
  registeredWasmGradientKernels,
  registerWasmGradientKernels,
  WASM_GRADIENT_KERNELS,
} from "./wasm-gradient-kernels";
export type { WasmGradientKernel, WasmGradientKernelRegistration } from "./wasm-gradient-kernels";
export { buildModel, headOutput } from "./model-spec";
export type { Head, ModelSpec } from "./model-spec";
export { loadModel, saveModel } from "./saved-model";
export type { ModelCard } from "./saved-model";
export { seededPermutation, trainModel } from "./train";
export type { TrainingData, TrainOptions, TrainResult } from "./train";
export { TrainingCurves } from "./training-curves";
export type { EpochRecord } from "./training-curves";
export { prepareSplit } from "./prepare";
export type { PreparedSplit, PrepareOptions } from "./prepare";
export { predictDatasets, predictionsCsv, predictStored } from "./predict";
export type { Prediction } from "./predict";
export { BinaryEvaluationView, evaluateBinary } from "./evaluate-binary";
export type { BinaryEvaluation } from "./evaluate-binary";
export { confusionMatrix, confusionMatrixFromCounts, normalizeConfusionMatrix } from "./evaluation/confusion-matrix";
export type { ConfusionMatrix, ConfusionMatrixOptions, ConfusionNormalization } from "./evaluation/confusion-matrix";
export {
  accuracy,
  argmaxPredictions,
  balancedAccuracy,
  binaryMetrics,
  binaryMetricsAtThreshold,
  binaryMetricsFromConfusionMatrix,
  classificationReport,
  classificationReportFromConfusionMatrix,
} from "./evaluation/metrics";
export type {
  AveragedMetrics,
  BinaryMetrics,
  BinaryMetricsOptions,
  ClassificationReport,
  ClassificationReportOptions,
  ClassMetrics,
  RatioMetric,
  ThresholdedBinaryMetrics,
  ThresholdOptions,
} from "./evaluation/metrics";
export { delongAuc, multiLabelAuc, oneVsRestAuc, rocAuc, rocCurve, trapezoidArea } from "./evaluation/roc";
export type { ClassAuc, DelongAuc, PerClassAuc, RocCurve } from "./evaluation/roc";
export { aggregateByPatient } from "./evaluation/patient-aggregation";
export type {
  PatientAggregationOptions,
  PatientLevelPredictions,
  PatientProbabilityRule,
  PatientTruthRule,
} from "./evaluation/patient-aggregation";
export {
  binaryMetricsTable,
  classificationReportTable,
  ConfusionMatrixView,
  confusionMatrixView,
  RocCurveView,
  rocCurveView,
} from "./evaluation/evaluation-views";
export type {
  ConfusionMatrixViewOptions,
  MetricsTableOptions,
  RocCurveViewOptions,
  RocSeries,
} from "./evaluation/evaluation-views";
export { EvaluationError } from "./evaluation/evaluation-error";
export type { EvaluationErrorCode } from "./evaluation/evaluation-error";
export type { ClassLabel } from "./evaluation/evaluation-input";
