import { createHash } from "node:crypto";
import { RadlabError } from "../core/radlab-error";
import type { PatientSplitSpec } from "./dataset-spec";

/** One instance to place: its patient and its value in the stratifying label set. */
export interface SplitMember {
  readonly sha256: string;
  readonly patientId: string;
  /** The instance's value in the stratifying set (several values joined with `|`), or `""`. */
  readonly stratum: string;
}

/**
 * Assigns whole patients to splits, stratified by label and seeded: within each stratum (a
 * patient's most frequent label, ties to the first in sort order) patients are taken in the order
 * of SHA-256 of the seed and patient ID, each to the split furthest below its fraction of the
 * stratum's instances. So the fractions hold for images, not only for patients, even when a few
 * patients have dozens of images. The result depends only on the members, the spec and the
 * inherited assignments, never on input order or machine.
 *
 * @param inherited - patients already assigned (a parent version's split): they keep their split,
 *   and new patients fill each stratum towards the fractions.
 * @returns Each instance's split, by content hash.
 * @throws {@link RadlabError} `dataset-split` when the fractions are not positive or do not sum to 1.
 * @example
 * ```ts
 * const splits = splitByPatient(members, { kind: "patient-stratified", fractions: { train: 0.8, validation: 0.2 }, stratifyBy: "label", seed: 1 });
 * ```
 */
export function splitByPatient(
  members: readonly SplitMember[],
  spec: PatientSplitSpec,
  inherited: ReadonlyMap<string, string> = new Map(),
): Map<string, string> {
  const names = Object.keys(spec.fractions).sort();
  const fractions = names.map((n) => spec.fractions[n] ?? 0);
  const total = fractions.reduce((a, b) => a + b, 0);
  if (names.length === 0 || fractions.some((f) => !(f > 0)) || Math.abs(total - 1) > 1e-9) {
    throw new RadlabError(
      "dataset-split",
      `Split fractions ${JSON.stringify(spec.fractions)} must be positive and sum to 1 (they sum to ${total}).`,
      {
        hint: "For example { train: 0.8, validation: 0.2 }.",
      },
    );
  }
  if (!Number.isInteger(spec.seed)) {
    throw new RadlabError("dataset-split", `The split seed must be an integer, not ${spec.seed}.`);
  }
  for (const [patient, split] of inherited) {
    if (!names.includes(split)) {
      throw new RadlabError(
        "dataset-split",
        `Patient ${patient} is inherited in split "${split}", which the fractions do not name (${names.join(", ")}).`,
        {
          hint: "Keep the parent version's split names, or derive without inheriting.",
        },
      );
    }
  }
  // A patient's stratum: the most frequent value among its instances.
  const votes = new Map<string, Map<string, number>>();
  for (const m of members) {
    const counts = votes.get(m.patientId) ?? new Map<string, number>();
    counts.set(m.stratum, (counts.get(m.stratum) ?? 0) + 1);
    votes.set(m.patientId, counts);
  }
  const strata = new Map<string, string[]>();
  for (const [patient, counts] of votes) {
    const [stratum] = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0] ?? [""];
    const list = strata.get(stratum) ?? [];
    list.push(patient);
    strata.set(stratum, list);
  }
  const sizes = new Map<string, number>();
  for (const m of members) sizes.set(m.patientId, (sizes.get(m.patientId) ?? 0) + 1);
  const assignment = new Map<string, string>();
  for (const patients of strata.values()) {
    const instances = patients.reduce((a, p) => a + (sizes.get(p) ?? 0), 0);
    const filled = names.map(() => 0);
    for (const p of patients) {
      const kept = inherited.get(p);
      if (kept === undefined) continue;
      assignment.set(p, kept);
      filled[names.indexOf(kept)] += sizes.get(p) ?? 0;
    }
    // New patients in seeded order, each to the split furthest below its share of the stratum's
    // instances (ties to the first split name).
    const ordered = patients
      .filter((p) => !inherited.has(p))
      .map((p) => ({ p, key: createHash("sha256").update(`${spec.seed}\u0000${p}`).digest("hex") }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const { p } of ordered) {
      let best = 0;
      let deficit = -Infinity;
      for (let i = 0; i < names.length; i++) {
        const d = (fractions[i] ?? 0) * instances - (filled[i] ?? 0);
        if (d > deficit) [best, deficit] = [i, d];
      }
      assignment.set(p, names[best] ?? "");
      filled[best] += sizes.get(p) ?? 0;
    }
  }
  return new Map(members.map((m) => [m.sha256, assignment.get(m.patientId) ?? ""]));
}
