import { describe, expect, it } from "vitest";
import { aggregateByPatient } from "./patient-aggregation";
import { rocAuc } from "./roc";
import { PATIENTS_G, PROBABILITIES_G, TRUTH_G } from "./test-support/reference-data";
import { thrown } from "./test-support/thrown";

// Reference values from sklearn-reference.py (numpy 2.4.6 mean / max / median per patient,
// scikit-learn 1.9.1 roc_auc_score on the patient-level arrays).
describe("aggregateByPatient", () => {
  it("averages image probabilities and marks a patient positive when any image is (the defaults)", () => {
    const patients = aggregateByPatient(PATIENTS_G, TRUTH_G, PROBABILITIES_G);
    expect(patients).toEqual({
      patientIds: ["p1", "p2", "p3", "p4", "p5", "p6", "p7"],
      truth: [1, 1, 1, 1, 1, 0, 0],
      probabilities: [0.65, 0.4, 0.44999999999999996, 0.3, 0.45, 0.32499999999999996, 0.5],
      imageCounts: [2, 2, 2, 3, 1, 2, 1],
      positiveImages: [1, 2, 1, 1, 1, 0, 0],
      rules: { probability: "mean", truth: "any" },
    });
    expect(rocAuc(patients.truth, patients.probabilities)).toBe(0.5); // roc_auc_score: 0.5
  });

  it("takes the maximum or the median", () => {
    const max = aggregateByPatient(PATIENTS_G, TRUTH_G, PROBABILITIES_G, { probability: "max" });
    expect(max.probabilities).toEqual([0.9, 0.5, 0.7, 0.6, 0.45, 0.35, 0.5]);
    expect(rocAuc(max.truth, max.probabilities)).toBe(0.85); // roc_auc_score: 0.85
    const median = aggregateByPatient(PATIENTS_G, TRUTH_G, PROBABILITIES_G, { probability: "median" });
    expect(median.probabilities).toEqual([0.65, 0.4, 0.44999999999999996, 0.2, 0.45, 0.32499999999999996, 0.5]);
  });

  it("votes by majority, a tie counting as positive", () => {
    const patients = aggregateByPatient(PATIENTS_G, TRUTH_G, PROBABILITIES_G, { truth: "majority" });
    // p1 and p3 have 1 positive image of 2 (a tie: positive); p4 has 1 of 3 (negative).
    expect(patients.truth).toEqual([1, 1, 1, 0, 1, 0, 0]);
    // roc_auc_score gives 0.7500000000000001 from its trapezoid sum; the exact value is 12/16.
    expect(rocAuc(patients.truth, patients.probabilities)).toBe(0.75);
  });

  it("requires agreement under the same rule and names the first patient that disagrees", () => {
    const agreed = aggregateByPatient(["b", "a", "b"], ["yes", "no", "yes"], [0.8, 0.1, 0.6], {
      truth: "same",
      positive: "yes",
    });
    expect([agreed.patientIds, agreed.truth, agreed.probabilities]).toEqual([
      ["a", "b"],
      [0, 1],
      [0.1, 0.7],
    ]);
    const error = thrown(() => aggregateByPatient(PATIENTS_G, TRUTH_G, PROBABILITIES_G, { truth: "same" }));
    expect([error.code, error.evidence.path, error.message.split("\n")[0]]).toEqual([
      "evaluation-patient-truth",
      "patientIds[1]",
      "The images of patient p1 disagree: 1 of 2 are positive.",
    ]);
  });

  it("does not depend on the order of the images", () => {
    const order = PATIENTS_G.map((_, i) => (i * 5) % PATIENTS_G.length);
    const shuffled = aggregateByPatient(
      order.map((i) => PATIENTS_G[i] as string),
      order.map((i) => TRUTH_G[i] as number),
      order.map((i) => PROBABILITIES_G[i] as number),
      { probability: "max" },
    );
    expect(shuffled).toEqual(aggregateByPatient(PATIENTS_G, TRUTH_G, PROBABILITIES_G, { probability: "max" }));
  });

  it("rejects bad IDs, probabilities, lengths and rules", () => {
    const id = thrown(() => aggregateByPatient(["p1", ""], [0, 1], [0.1, 0.2]));
    expect([id.code, id.evidence.path]).toEqual(["evaluation-label", "patientIds[1]"]);
    const p = thrown(() => aggregateByPatient(["p1", "p2"], [0, 1], [0.1, 2.5]));
    expect([p.code, p.evidence.path]).toEqual(["evaluation-score", "probabilities[1]"]);
    const length = thrown(() => aggregateByPatient(["p1", "p2"], [0, 1], [0.1]));
    expect([length.code, length.evidence.path]).toEqual(["evaluation-length", "probabilities"]);
    const rule = thrown(() => aggregateByPatient(["p1"], [1], [0.1], { probability: "mode" as never }));
    expect([rule.code, rule.evidence.path, rule.message.split("\n")[0]]).toEqual([
      "evaluation-options",
      "probability",
      'Unknown probability rule "mode".',
    ]);
    expect(thrown(() => aggregateByPatient(["p1"], [1], [0.1], { truth: "all" as never })).evidence.path).toBe("truth");
    expect(thrown(() => aggregateByPatient(["p1"], ["yes"], [0.1])).code).toBe("evaluation-positive");
  });
});
