import { readFileSync } from "node:fs";
import path from "node:path";

/** ../shared/data/radiomics, beside the repository. */
export const RADIOMICS_DATA = path.resolve(__dirname, "../../../../../shared/data/radiomics");

/** The IBSI-1 digital phantom (5 x 4 x 4 voxels of 2 mm, 74-voxel ROI). */
export const IBSI_PHANTOM = Object.freeze({
  image: path.join(RADIOMICS_DATA, "ibsi1-digital-phantom/nifti/image/phantom.nii.gz"),
  mask: path.join(RADIOMICS_DATA, "ibsi1-digital-phantom/nifti/mask/mask.nii.gz"),
});

/** pyradiomics' test volumes (NRRD) and baselines. */
export const PYRADIOMICS_DATA = path.join(RADIOMICS_DATA, "pyradiomics/data");

/** One row of the IBSI-1 reference table for the digital phantom. */
export interface IbsiReference {
  readonly family: string;
  readonly feature: string;
  /** The IBSI tag, for example `cm_joint_max_3D_avg`. */
  readonly tag: string;
  readonly value: number;
  /** The value as printed (its last digit sets the rounding allowance). */
  readonly text: string;
  readonly tolerance: number;
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === "," && !quoted) {
      out.push(field);
      field = "";
    } else field += ch;
  }
  out.push(field);
  return out;
}

/** The digital phantom's reference values that have a number (IBSI-1 `reference_values.csv`). */
export function ibsiReferences(): readonly IbsiReference[] {
  const text = readFileSync(path.join(RADIOMICS_DATA, "ibsi1-digital-phantom/reference_values.csv"), "utf8").replace(
    /^\uFEFF/,
    "",
  );
  const [head, ...lines] = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const columns = splitCsvLine(head!);
  const at = (row: string[], name: string): string => row[columns.indexOf(name)] ?? "";
  return lines
    .map(splitCsvLine)
    .filter((row) => at(row, "reference value") !== "")
    .map((row) => ({
      family: at(row, "family"),
      feature: at(row, "feature"),
      tag: at(row, "tag"),
      value: Number(at(row, "reference value")),
      text: at(row, "reference value"),
      tolerance: Number(at(row, "tolerance") || 0),
    }));
}

/**
 * Whether a computed value matches an IBSI reference: within the published tolerance, or, where
 * the tolerance is 0, equal once rounded to the reference's printed digits (half a unit of its
 * last digit; 3 significant digits in IBSI-1).
 */
export function matchesReference(value: number, reference: IbsiReference): boolean {
  const text = reference.text.replace(/^-/, "");
  const exponent = /e(-?\d+)$/i.exec(text);
  const mantissa = text.replace(/e-?\d+$/i, "");
  const decimals = mantissa.includes(".") ? mantissa.split(".")[1]!.length : 0;
  let unit = 10 ** -decimals;
  if (exponent !== null) unit *= 10 ** Number(exponent[1]);
  else if (!mantissa.includes(".")) {
    // An integer printed to 3 significant digits (for example 1200 or 567) is rounded there.
    const digits = mantissa.replace(/^0+/, "").length;
    const trailing = /0*$/.exec(mantissa)![0].length;
    unit = digits > 3 ? 10 ** Math.min(trailing, digits - 3) : 1;
  }
  const allowance = Math.max(reference.tolerance, unit / 2) * (1 + 1e-9);
  return Number.isFinite(value) && Math.abs(value - reference.value) <= allowance;
}

/** A pyradiomics baseline column: feature name (without `original_`) to value. */
export function pyradiomicsBaseline(featureClass: string, testCase: string): ReadonlyMap<string, number> {
  const text = readFileSync(path.join(PYRADIOMICS_DATA, `baseline/baseline_${featureClass}.csv`), "utf8");
  const rows = text
    .split(/\r?\n/)
    .filter((l) => l !== "")
    .map(splitCsvLine);
  const column = rows[0]!.indexOf(testCase);
  if (column < 0) throw new Error(`baseline_${featureClass}.csv has no column ${testCase}`);
  const out = new Map<string, number>();
  for (const row of rows.slice(1)) {
    if (row[0]!.startsWith("original_")) out.set(row[0]!.slice("original_".length), Number(row[column]));
  }
  return out;
}
