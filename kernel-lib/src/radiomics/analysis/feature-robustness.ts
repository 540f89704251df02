import { DisplayableValue, type MimeBundle } from "../../display/mime-bundle";
import { table } from "../../display/table";
import type { FeatureTable } from "../feature-table";
import { RadiomicsError } from "../radiomics-error";

/** How one feature varies between subjects against within them. */
export interface FeatureRobustness {
  readonly feature: string;
  /** ICC(1,1): one-way random effects, single measurement; 1 means all variation is between subjects. */
  readonly icc: number;
  readonly robust: boolean;
}

/** Options of {@link featureRobustness}. */
export interface FeatureRobustnessOptions {
  /** What a subject is (default `patient`: rows with the same patient id are repeated measurements of one subject). */
  readonly by?: "patient" | "case";
  /** The ICC a feature needs to count as robust (default 0.9, as Zwanenburg et al. 2019). */
  readonly threshold?: number;
  readonly features?: readonly string[];
}

/**
 * The intraclass correlation ICC(1,1) of each feature over repeated measurements of the same
 * subjects, for example ROI perturbations (`perturbMask`) or test-retest scans: features whose
 * values change more within a subject than between subjects are not worth modelling. Unequal
 * group sizes use the usual k0 correction. `NaN` when a feature is constant.
 *
 * @throws {@link RadiomicsError} `settings` with fewer than 2 subjects or no subject measured twice.
 *
 * @example
 * ```ts
 * import { featureRobustness } from "@radlab/kernel";
 * const robust = featureRobustness(table).rows.filter((r) => r.robust).map((r) => r.feature);
 * ```
 */
export function featureRobustness(
  features: FeatureTable,
  options: FeatureRobustnessOptions = {},
): FeatureRobustnessView {
  const threshold = options.threshold ?? 0.9;
  const subjectOf = features.rows.map((r) => ((options.by ?? "patient") === "patient" ? r.patientId : r.caseId));
  const subjects = [...new Set(subjectOf)];
  const sizes = subjects.map((s) => subjectOf.filter((t) => t === s).length);
  if (subjects.length < 2 || sizes.every((n) => n < 2)) {
    throw new RadiomicsError(
      "settings",
      `An ICC needs at least 2 subjects, one of them measured twice; the table has ${subjects.length} subject(s) of sizes ${sizes.join(", ")}`,
      {
        path: "table.rows",
        hint: "Add repeated measurements of each patient (ROI perturbations or test-retest scans).",
      },
    );
  }
  const n = subjectOf.length;
  const g = subjects.length;
  const k0 = (n - sizes.reduce((a, m) => a + m * m, 0) / n) / (g - 1);
  const index = new Map(subjects.map((s, i) => [s, i]));
  const rows = (options.features ?? features.featureNames).map((feature) => {
    const values = features.column(feature);
    const sums = new Float64Array(g);
    for (let r = 0; r < n; r++) sums[index.get(subjectOf[r]!)!]! += values[r]!;
    const grand = values.reduce((a, v) => a + v, 0) / n;
    let between = 0;
    let within = 0;
    for (let s = 0; s < g; s++) between += sizes[s]! * (sums[s]! / sizes[s]! - grand) ** 2;
    for (let r = 0; r < n; r++) {
      const s = index.get(subjectOf[r]!)!;
      within += (values[r]! - sums[s]! / sizes[s]!) ** 2;
    }
    const msb = between / (g - 1);
    const msw = within / (n - g);
    const icc = msb + (k0 - 1) * msw === 0 ? Number.NaN : (msb - msw) / (msb + (k0 - 1) * msw);
    return { feature, icc, robust: icc >= threshold };
  });
  rows.sort(
    (a, b) =>
      (Number.isNaN(a.icc) ? 1 : Number.isNaN(b.icc) ? -1 : b.icc - a.icc) || a.feature.localeCompare(b.feature),
  );
  return new FeatureRobustnessView(rows, threshold, g);
}

/** ICC(1,1) per feature; create it with {@link featureRobustness}. */
export class FeatureRobustnessView extends DisplayableValue {
  constructor(
    readonly rows: readonly FeatureRobustness[],
    readonly threshold: number,
    readonly subjects: number,
  ) {
    super();
  }

  toMimeBundle(): MimeBundle {
    const robust = this.rows.filter((r) => r.robust).length;
    return table(
      this.rows.map((r) => ({
        feature: r.feature,
        icc: Number.isFinite(r.icc) ? Number(r.icc.toFixed(4)) : null,
        robust: r.robust,
      })),
      {
        caption: `${robust} of ${this.rows.length} features robust (ICC(1,1) >= ${this.threshold}) over ${this.subjects} subjects`,
      },
    ).toMimeBundle();
  }
}
