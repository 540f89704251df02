import type { RadiomicsProvenance } from "../extract";
import { FeatureTable, type FeatureRow } from "../feature-table";

/** Provenance of a hand-made feature row; `change` overrides fields. */
export function testProvenance(change: Partial<RadiomicsProvenance> = {}): RadiomicsProvenance {
  return {
    settingsHash: "5e771265",
    convention: "pyradiomics",
    software: "@radlab/kernel 0.1.0",
    imageSource: null,
    maskSource: null,
    maskVoxels: 10,
    intensityVoxels: 10,
    spacing: [1, 1, 1],
    greyLevels: 8,
    seconds: {},
    ...change,
  };
}

/**
 * A table with one row per label (case `c1`, `c2`, ...); `columns` holds each feature's values in
 * row order.
 */
export function featureTableOf(
  labels: readonly (string | null)[],
  columns: Readonly<Record<string, readonly number[]>>,
): FeatureTable {
  const rows = labels.map((label, r): FeatureRow => ({
    caseId: `c${r + 1}`,
    patientId: `p${r + 1}`,
    roi: "GTV",
    label,
    features: Object.fromEntries(Object.entries(columns).map(([name, values]) => [name, values[r]!])),
    provenance: testProvenance(),
    warnings: [],
  }));
  return new FeatureTable(rows);
}
