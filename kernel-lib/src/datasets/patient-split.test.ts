import { describe, expect, it } from "vitest";
import type { PatientSplitSpec } from "./dataset-spec";
import { splitByPatient, type SplitMember } from "./patient-split";

const SPEC: PatientSplitSpec = {
  kind: "patient-stratified",
  fractions: { train: 0.75, test: 0.25 },
  stratifyBy: "label",
  seed: 3,
};

/** 40 patients, 1 to 4 images each, half of them positive. */
const MEMBERS: SplitMember[] = Array.from({ length: 40 }, (_, p) =>
  Array.from({ length: 1 + (p % 4) }, (_, i) => ({
    sha256: `${p}-${i}`,
    patientId: `P${p}`,
    stratum: p % 2 === 0 ? "pos" : "neg",
  })),
).flat();

describe("splitByPatient", () => {
  it("keeps each patient in one split and each stratum near its fractions of images", () => {
    const splits = splitByPatient(MEMBERS, SPEC);
    const byPatient = new Map<string, Set<string>>();
    for (const m of MEMBERS)
      byPatient.set(m.patientId, (byPatient.get(m.patientId) ?? new Set()).add(splits.get(m.sha256) ?? ""));
    expect([...byPatient.values()].every((s) => s.size === 1)).toBe(true);
    for (const stratum of ["pos", "neg"]) {
      const images = MEMBERS.filter((m) => m.stratum === stratum);
      const train = images.filter((m) => splits.get(m.sha256) === "train").length;
      // 50 images per stratum: 37.5 is the share; a patient holds at most 4.
      expect(Math.abs(train - 0.75 * images.length)).toBeLessThanOrEqual(2);
    }
  });

  it("does not depend on the order of the members, and does on the seed", () => {
    const a = splitByPatient(MEMBERS, SPEC);
    const b = splitByPatient([...MEMBERS].reverse(), SPEC);
    expect([...b].sort()).toEqual([...a].sort());
    const other = splitByPatient(MEMBERS, { ...SPEC, seed: 4 });
    expect([...other].sort()).not.toEqual([...a].sort());
  });

  it("keeps inherited patients where they were and places new ones around them", () => {
    const inherited = new Map<string, string>(
      Array.from({ length: 20 }, (_, p) => [`P${p}`, p < 10 ? "test" : "train"]),
    );
    const splits = splitByPatient(MEMBERS, SPEC, inherited);
    for (const m of MEMBERS) {
      const kept = inherited.get(m.patientId);
      if (kept !== undefined) expect(splits.get(m.sha256)).toBe(kept);
    }
    // Ten of the twenty inherited patients are in test already: every new patient goes to train
    // until train reaches its share.
    const newInTest = MEMBERS.filter((m) => !inherited.has(m.patientId) && splits.get(m.sha256) === "test");
    expect(newInTest).toEqual([]);
  });

  it("refuses fractions that do not sum to 1 and splits the fractions do not name", () => {
    expect(() => splitByPatient(MEMBERS, { ...SPEC, fractions: { train: 0.7, test: 0.2 } })).toThrow(
      'Split fractions {"train":0.7,"test":0.2} must be positive and sum to 1 (they sum to 0.8999999999999999).',
    );
    expect(() => splitByPatient(MEMBERS, SPEC, new Map([["P1", "validation"]]))).toThrow(
      'Patient P1 is inherited in split "validation", which the fractions do not name (test, train).',
    );
    expect(() => splitByPatient(MEMBERS, { ...SPEC, seed: 1.5 })).toThrow(
      "The split seed must be an integer, not 1.5.",
    );
  });
});
