import type { DataFrame } from "danfojs";
import { sha256OfCanonical } from "../core/canonical-json";
import { csvField } from "../core/csv-field";
import { DisplayableValue, type MimeBundle } from "../display/mime-bundle";
import { table } from "../display/table";
import { toDataFrame } from "../store/data-frame";
import type { RadiomicsProvenance } from "./extract";
import { RadiomicsError } from "./radiomics-error";

/** The columns of a feature row before the features, in order. */
export const PROVENANCE_COLUMNS: readonly string[] = Object.freeze([
  "case_id",
  "patient_id",
  "roi",
  "label",
  "settings_hash",
  "software",
  "mask_voxels",
  "intensity_voxels",
  "spacing_x",
  "spacing_y",
  "spacing_z",
  "grey_levels",
]);

/** One image and ROI of a batch: who it is and its features. */
export interface FeatureRow {
  readonly caseId: string;
  readonly patientId: string;
  readonly roi: string;
  /** The case's class (for example `malignant`), when the batch was given labels. */
  readonly label: string | null;
  readonly features: Readonly<Record<string, number>>;
  readonly provenance: RadiomicsProvenance;
  readonly warnings: readonly string[];
}

/** A case the batch could not compute, with the reason; the rest of the batch goes on. */
export interface FeatureFailure {
  readonly caseId: string;
  readonly patientId: string;
  readonly roi: string;
  readonly code: string;
  readonly message: string;
}

/**
 * The features of a batch: one row per patient and ROI, provenance columns first
 * ({@link PROVENANCE_COLUMNS}), then one column per feature in a fixed order; and the cases that
 * failed, with their reasons. `display(table)` shows it; `toDataFrame()` gives danfo.js for
 * analysis; `toCsv()` a file for R or pandas.
 */
export class FeatureTable extends DisplayableValue {
  /** Feature names in column order (the first row's order; every row has the same names). */
  readonly featureNames: readonly string[];

  constructor(
    readonly rows: readonly FeatureRow[],
    readonly failures: readonly FeatureFailure[] = [],
  ) {
    super();
    this.featureNames = Object.freeze(Object.keys(rows[0]?.features ?? {}));
    for (const row of rows) {
      const names = Object.keys(row.features);
      if (names.length !== this.featureNames.length || names.some((n, i) => n !== this.featureNames[i])) {
        throw new RadiomicsError(
          "settings",
          `Case ${row.caseId} has different feature columns from case ${rows[0]!.caseId}`,
          {
            path: "rows",
            hint: "Extract every case of one table with the same settings.",
          },
        );
      }
    }
  }

  /** Rows as flat records: provenance columns then features. */
  records(): Record<string, string | number | null>[] {
    return this.rows.map((row) => ({
      case_id: row.caseId,
      patient_id: row.patientId,
      roi: row.roi,
      label: row.label,
      settings_hash: row.provenance.settingsHash,
      software: row.provenance.software,
      mask_voxels: row.provenance.maskVoxels,
      intensity_voxels: row.provenance.intensityVoxels,
      spacing_x: row.provenance.spacing[0],
      spacing_y: row.provenance.spacing[1],
      spacing_z: row.provenance.spacing[2],
      grey_levels: row.provenance.greyLevels,
      ...row.features,
    }));
  }

  /** The values of one feature, row by row. @throws {@link RadiomicsError} `settings` for an unknown feature. */
  column(feature: string): number[] {
    if (!this.featureNames.includes(feature)) {
      const near = this.featureNames
        .filter((n) => n.toLowerCase().includes(feature.toLowerCase().slice(0, 6)))
        .slice(0, 5);
      throw new RadiomicsError("settings", `No feature named "${feature}" in this table`, {
        path: "feature",
        hint:
          near.length > 0
            ? `Did you mean ${near.join(", ")}?`
            : `The table has ${this.featureNames.length} features, for example ${this.featureNames.slice(0, 3).join(", ")}.`,
      });
    }
    return this.rows.map((row) => row.features[feature]!);
  }

  /** The content hash of the table (rows and features, not timings): its identity in lineage. */
  hash(): string {
    return sha256OfCanonical(
      this.records().map((record) =>
        Object.fromEntries(
          Object.entries(record)
            .filter(([key]) => key !== "software")
            .map(([key, v]) => [key, typeof v === "number" && !Number.isFinite(v) ? null : v]),
        ),
      ),
    );
  }

  /** A danfo.js DataFrame of {@link FeatureTable.records}. */
  toDataFrame(): DataFrame {
    return toDataFrame(this.records(), [...PROVENANCE_COLUMNS, ...this.featureNames]);
  }

  /** CSV text: a header line, then one line per row (full precision; NaN as empty). */
  toCsv(): string {
    const columns = [...PROVENANCE_COLUMNS, ...this.featureNames];
    const lines = [columns.map(csvField).join(",")];
    for (const record of this.records()) {
      lines.push(
        columns
          .map((c) => {
            const v = record[c];
            return v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v))
              ? ""
              : csvField(String(v));
          })
          .join(","),
      );
    }
    return `${lines.join("\n")}\n`;
  }

  toMimeBundle(): MimeBundle {
    const caption = `${this.rows.length} case(s) x ${this.featureNames.length} features${this.failures.length > 0 ? `; ${this.failures.length} failed (see .failures)` : ""}`;
    return table(this.records(), { caption }).toMimeBundle();
  }
}
