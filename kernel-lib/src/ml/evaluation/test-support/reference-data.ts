/**
 * The fixed datasets of the evaluation tests, shared by the tests of each file. The same values
 * are in `sklearn-reference.py`, which computed the expected results with scikit-learn 1.9.1
 * (numpy 2.4.6, scipy 1.17.1).
 */

/** A: binary, with tied scores within and across classes. 7 positives, 5 negatives. */
export const TRUTH_A = [0, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1];
export const SCORES_A = [0.1, 0.4, 0.35, 0.8, 0.4, 0.35, 0.9, 0.2, 0.6, 0.6, 0.4, 0.05];

/** A2: runs of one class, whose collinear points drop_intermediate removes. */
export const TRUTH_A2 = [1, 1, 1, 0, 0, 0, 1, 0];
export const SCORES_A2 = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2];

/** C: three classes with string labels; probability columns are effusion, nodule, normal. */
export const TRUTH_C = [
  "normal",
  "normal",
  "normal",
  "normal",
  "normal",
  "effusion",
  "effusion",
  "effusion",
  "effusion",
  "nodule",
  "nodule",
  "nodule",
  "normal",
  "effusion",
  "nodule",
];
export const PREDICTED_C = [
  "normal",
  "normal",
  "effusion",
  "normal",
  "nodule",
  "effusion",
  "effusion",
  "normal",
  "effusion",
  "nodule",
  "normal",
  "nodule",
  "normal",
  "nodule",
  "effusion",
];
export const PROBABILITIES_C = [
  [0.1, 0.1, 0.8],
  [0.2, 0.1, 0.7],
  [0.5, 0.2, 0.3],
  [0.3, 0.2, 0.5],
  [0.2, 0.5, 0.3],
  [0.7, 0.2, 0.1],
  [0.6, 0.3, 0.1],
  [0.3, 0.2, 0.5],
  [0.5, 0.2, 0.3],
  [0.2, 0.6, 0.2],
  [0.2, 0.3, 0.5],
  [0.1, 0.8, 0.1],
  [0.1, 0.3, 0.6],
  [0.3, 0.4, 0.3],
  [0.4, 0.3, 0.3],
];
export const CLASSES_C = ["effusion", "nodule", "normal"];

/** D: a multi-label indicator matrix (three findings) and scores with ties. */
export const TRUTH_D = [
  [1, 0, 0],
  [0, 1, 0],
  [1, 1, 0],
  [0, 0, 1],
  [0, 0, 0],
  [1, 0, 1],
  [0, 1, 1],
  [0, 0, 0],
  [1, 0, 0],
  [0, 1, 0],
];
export const SCORES_D = [
  [0.9, 0.2, 0.1],
  [0.3, 0.7, 0.2],
  [0.6, 0.6, 0.3],
  [0.2, 0.1, 0.8],
  [0.4, 0.3, 0.3],
  [0.6, 0.2, 0.3],
  [0.1, 0.6, 0.7],
  [0.3, 0.4, 0.1],
  [0.4, 0.1, 0.2],
  [0.2, 0.5, 0.3],
];

/** E: 40 samples (numpy default_rng(7)), scores rounded to one decimal so that ties abound. */
export const TRUTH_E = [
  1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
  1,
];
export const SCORES_E = [
  -0.3, 0.7, 0.0, 1.0, 0.9, 0.7, -0.7, -0.3, -0.0, 0.1, -0.9, 0.5, 0.2, -0.5, 0.6, 0.3, -0.0, 1.3, -0.4, -0.1, 0.9, 0.0,
  -0.7, 0.0, 1.6, -0.9, 1.3, 0.1, -0.4, 2.0, 1.3, 0.1, 0.8, 1.1, 0.7, 1.2, 0.8, 1.2, 0.9, 0.4,
];

/** G: image-level predictions of 7 patients (image order shuffled on purpose). */
export const PATIENTS_G = ["p3", "p1", "p1", "p2", "p3", "p2", "p4", "p4", "p4", "p5", "p6", "p6", "p7"];
export const TRUTH_G = [0, 1, 0, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0];
export const PROBABILITIES_G = [0.2, 0.9, 0.4, 0.3, 0.7, 0.5, 0.1, 0.6, 0.2, 0.45, 0.3, 0.35, 0.5];
