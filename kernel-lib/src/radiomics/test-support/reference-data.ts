import { readFileSync } from "node:fs";
import path from "node:path";
import { parseCsvLine } from "../../core/csv-field";
import { matchesReference, readIbsiReferences, type IbsiReference } from "../ibsi-compliance";

/** ../shared/data/radiomics, beside the repository. */
export const RADIOMICS_DATA = path.resolve(__dirname, "../../../../../shared/data/radiomics");

/** The IBSI-1 digital phantom (5 x 4 x 4 voxels of 2 mm, 74-voxel ROI). */
export const IBSI_PHANTOM = Object.freeze({
  image: path.join(RADIOMICS_DATA, "ibsi1-digital-phantom/nifti/image/phantom.nii.gz"),
  mask: path.join(RADIOMICS_DATA, "ibsi1-digital-phantom/nifti/mask/mask.nii.gz"),
});

/** pyradiomics' test volumes (NRRD) and baselines. */
export const PYRADIOMICS_DATA = path.join(RADIOMICS_DATA, "pyradiomics/data");

/** The digital phantom's reference values that have a number (IBSI-1 `reference_values.csv`). */
export function ibsiReferences(): readonly IbsiReference[] {
  return readIbsiReferences(path.join(RADIOMICS_DATA, "ibsi1-digital-phantom/reference_values.csv"));
}

export { matchesReference };
export type { IbsiReference };

/** The rows of pyradiomics' `baseline_<featureClass>.csv`, and the column of `testCase`. */
function baselineTable(featureClass: string, testCase: string): { rows: string[][]; column: number } {
  const text = readFileSync(path.join(PYRADIOMICS_DATA, `baseline/baseline_${featureClass}.csv`), "utf8");
  const rows = text
    .split(/\r?\n/)
    .filter((l) => l !== "")
    .map(parseCsvLine);
  const column = rows[0]!.indexOf(testCase);
  if (column < 0) throw new Error(`baseline_${featureClass}.csv has no column ${testCase}`);
  return { rows, column };
}

/** A pyradiomics baseline column: feature name (without `original_`) to value. */
export function pyradiomicsBaseline(featureClass: string, testCase: string): ReadonlyMap<string, number> {
  const { rows, column } = baselineTable(featureClass, testCase);
  const out = new Map<string, number>();
  for (const row of rows.slice(1)) {
    if (row[0]!.startsWith("original_")) out.set(row[0]!.slice("original_".length), Number(row[column]));
  }
  return out;
}

/** A diagnostics row of a pyradiomics baseline column, for example `diagnostics_Configuration_Settings`. */
export function pyradiomicsDiagnostic(featureClass: string, name: string, testCase: string): string {
  const { rows, column } = baselineTable(featureClass, testCase);
  const row = rows.find((r) => r[0] === name);
  if (row === undefined) throw new Error(`baseline_${featureClass}.csv has no row ${name}`);
  return row[column]!;
}
