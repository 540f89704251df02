import { readFileSync } from "node:fs";
import { parseCsvLine } from "../core/csv-field";
import { escapeHtml } from "../display/html";
import { DisplayableValue, type MimeBundle } from "../display/mime-bundle";
import { table } from "../display/table";
import { RadiomicsError } from "./radiomics-error";

/** One row of an IBSI reference table (for example IBSI-1's `reference_values.csv`). */
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

/**
 * Reads an IBSI reference table (columns `family`, `feature`, `reference value`, `tolerance`,
 * `tag`), keeping the rows that have a reference value.
 *
 * @throws {@link RadiomicsError} `input` naming a missing column.
 *
 * @example
 * ```ts
 * import { readIbsiReferences } from "@radlab/kernel";
 * const refs = readIbsiReferences("../shared/data/radiomics/ibsi1-digital-phantom/reference_values.csv");
 * refs.length; // 419
 * ```
 */
export function readIbsiReferences(file: string): IbsiReference[] {
  const text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  const [head, ...lines] = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const columns = parseCsvLine(head ?? "");
  for (const required of ["family", "feature", "reference value", "tolerance", "tag"]) {
    if (!columns.includes(required)) {
      throw new RadiomicsError("input", `${file}: has no "${required}" column (it has ${columns.join(", ")})`, {
        file,
        path: required,
        hint: "Use the IBSI reference table as published (reference_values.csv).",
      });
    }
  }
  const at = (row: string[], name: string): string => row[columns.indexOf(name)] ?? "";
  return lines
    .map(parseCsvLine)
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
 * Whether a computed value matches an IBSI reference: within the published tolerance, or
 * within half a unit of the reference's last printed digit, whichever is larger (IBSI-1 prints
 * values to 3 significant digits and gives tolerance 0 for the digital phantom).
 *
 * @example
 * ```ts
 * import { matchesReference } from "@radlab/kernel";
 * matchesReference(2.1486, { family: "Statistics", feature: "Mean", tag: "stat_mean", value: 2.15, text: "2.15", tolerance: 0 }); // true
 * ```
 */
export function matchesReference(value: number, reference: IbsiReference): boolean {
  const text = reference.text.replace(/^-/, "");
  const exponent = /e(-?\d+)$/i.exec(text);
  const mantissa = text.replace(/e-?\d+$/i, "");
  const decimals = mantissa.includes(".") ? mantissa.split(".")[1]!.length : 0;
  let unit = 10 ** -decimals;
  if (exponent !== null) unit *= 10 ** Number(exponent[1]);
  else if (!mantissa.includes(".")) {
    // An integer printed to 3 significant digits (for example 1200) is rounded there.
    const digits = mantissa.replace(/^0+/, "").length;
    const trailing = /0*$/.exec(mantissa)![0].length;
    unit = digits > 3 ? 10 ** Math.min(trailing, digits - 3) : 1;
  }
  const allowance = Math.max(reference.tolerance, unit / 2) * (1 + 1e-9);
  return Number.isFinite(value) && Math.abs(value - reference.value) <= allowance;
}

/** One reference checked against a computed value. */
export interface ComplianceCheck extends IbsiReference {
  /** The computed value, `undefined` when the feature was not computed. */
  readonly computed: number | undefined;
  readonly matches: boolean;
}

/** How computed features compare with an IBSI reference table; create it with {@link ibsiCompliance}. */
export class ComplianceReport extends DisplayableValue {
  constructor(readonly checks: readonly ComplianceCheck[]) {
    super();
  }

  /** Checks of features that were computed. */
  get computed(): readonly ComplianceCheck[] {
    return this.checks.filter((c) => c.computed !== undefined);
  }

  /** Computed features that do not match their reference. */
  get mismatches(): readonly ComplianceCheck[] {
    return this.computed.filter((c) => !c.matches);
  }

  /** Matches and computed counts per family, in table order. */
  byFamily(): { family: string; matched: number; computed: number; references: number }[] {
    const out = new Map<string, { family: string; matched: number; computed: number; references: number }>();
    for (const c of this.checks) {
      const row = out.get(c.family) ?? { family: c.family, matched: 0, computed: 0, references: 0 };
      row.references++;
      if (c.computed !== undefined) row.computed++;
      if (c.matches) row.matched++;
      out.set(c.family, row);
    }
    return [...out.values()];
  }

  toMimeBundle(): MimeBundle {
    const matched = this.checks.filter((c) => c.matches).length;
    const caption = `IBSI compliance: ${matched} of ${this.computed.length} computed features match their reference (${this.checks.length} references)`;
    const bundle = table(this.byFamily(), { caption }).toMimeBundle();
    const bad = this.mismatches;
    if (bad.length === 0) return bundle;
    const html = `${String(bundle.data["text/html"] ?? "")}<p>${escapeHtml(`Mismatches: ${bad.map((c) => `${c.tag} ${c.computed} vs ${c.text} ± ${c.tolerance}`).join("; ")}`)}</p>`;
    return { ...bundle, data: { ...bundle.data, "text/html": html } };
  }
}

/**
 * Checks computed features against an IBSI reference table, feature by feature.
 *
 * @example
 * ```ts
 * import { extractFeatures, ibsiCompliance, readIbsiReferences, readNifti, maskFromLabel, IBSI_DIGITAL_PHANTOM } from "@radlab/kernel";
 * const dir = "../shared/data/radiomics/ibsi1-digital-phantom";
 * const image = await readNifti(`${dir}/nifti/image/phantom.nii.gz`);
 * const mask = maskFromLabel(await readNifti(`${dir}/nifti/mask/mask.nii.gz`));
 * const report = ibsiCompliance(extractFeatures(image, mask, IBSI_DIGITAL_PHANTOM).features, readIbsiReferences(`${dir}/reference_values.csv`));
 * report.mismatches.length; // 0
 * ```
 */
export function ibsiCompliance(
  features: Readonly<Record<string, number>>,
  references: readonly IbsiReference[],
): ComplianceReport {
  return new ComplianceReport(
    references.map((reference) => {
      const computed = features[reference.tag];
      return Object.freeze({
        ...reference,
        computed,
        matches: computed !== undefined && matchesReference(computed, reference),
      });
    }),
  );
}
