import { describe, expect, it } from "vitest";
import { FeatureTable, type FeatureRow } from "../feature-table";
import { testProvenance } from "../test-support/feature-rows";
import { thrown } from "../test-support/thrown";
import { featureRobustness } from "./feature-robustness";

/** Rows of subjects (patient ids) with one feature value each. */
function tableOf(subjects: readonly string[], columns: Readonly<Record<string, readonly number[]>>): FeatureTable {
  return new FeatureTable(
    subjects.map((patientId, r): FeatureRow => ({
      caseId: `${patientId}/${r}`,
      patientId,
      roi: "GTV",
      label: null,
      features: Object.fromEntries(Object.entries(columns).map(([name, values]) => [name, values[r]!])),
      provenance: testProvenance(),
      warnings: [],
    })),
  );
}

describe("featureRobustness", () => {
  it("gives Shrout and Fleiss' ICC(1,1) = 0.17 for their 6 targets x 4 judges example", () => {
    const ratings = [
      [9, 2, 5, 8],
      [6, 1, 3, 2],
      [8, 4, 6, 8],
      [7, 1, 2, 6],
      [10, 5, 6, 9],
      [6, 2, 4, 7],
    ];
    const subjects = ratings.flatMap((row, t) => row.map(() => `t${t}`));
    const view = featureRobustness(tableOf(subjects, { rating: ratings.flat() }));
    expect(view.rows[0]!.icc).toBeCloseTo(0.16574176840547544, 12);
    expect(view.rows[0]!.robust).toBe(false);
  });

  it("corrects for unequal group sizes (k0), sorts by ICC and flags robust features", () => {
    const subjects = ["a", "a", "a", "b", "b", "c", "c", "c", "c"];
    const view = featureRobustness(
      tableOf(subjects, {
        stable: [1.0, 1.2, 0.9, 3.0, 3.3, 5.0, 4.8, 5.1, 5.3],
        noise: [1, 5, 3, 2, 4, 1, 5, 3, 2],
        flat: [7, 7, 7, 7, 7, 7, 7, 7, 7],
      }),
    );
    expect(view.rows.map((r) => r.feature)).toEqual(["stable", "noise", "flat"]);
    expect(view.rows[0]!.icc).toBeCloseTo(0.9923345998164561, 12);
    expect(view.rows.map((r) => r.robust)).toEqual([true, false, false]);
    expect(view.rows[2]!.icc).toBeNaN();
    expect(view.toMimeBundle().data["text/plain"]).toContain(
      "1 of 3 features robust (ICC(1,1) >= 0.9) over 3 subjects",
    );
  });

  it("needs two subjects and a repeated one", () => {
    expect(thrown(() => featureRobustness(tableOf(["a", "b"], { f: [1, 2] }))).code).toBe("settings");
    expect(thrown(() => featureRobustness(tableOf(["a", "a"], { f: [1, 2] }))).message).toContain("1 subject(s)");
  });
});
