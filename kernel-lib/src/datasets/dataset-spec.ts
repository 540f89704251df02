import type { SqlValue } from "../store/database";

/**
 * Which instances a dataset holds: a query over the store that returns a `sha256` column (any
 * other columns are ignored). `store.catalog()...toSql()` gives one.
 */
export interface Selection {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/**
 * A patient-level split: every instance of a patient lands in the same split, patients are
 * stratified by their label in `stratifyBy`, and the order within a stratum comes from `seed`.
 */
export interface PatientSplitSpec {
  readonly kind: "patient-stratified";
  /** Split name to fraction of patients; fractions sum to 1 (for example `{ train: 0.8, validation: 0.2 }`). */
  readonly fractions: Readonly<Record<string, number>>;
  /** The label set whose values form the strata (a patient's stratum is its most frequent value). */
  readonly stratifyBy: string;
  readonly seed: number;
}

/**
 * A dataset as data: a named selection, the label sets it carries, and its split. Plain and
 * frozen, so it can be hashed into the version, stored and diffed.
 *
 * @example
 * ```ts
 * const spec: DatasetSpec = {
 *   kind: "dataset",
 *   name: "cxr-finding",
 *   selection: store.catalog().where("modality", "=", "DX").select("sha256").toSql(),
 *   labelSets: ["label"],
 *   split: { kind: "patient-stratified", fractions: { train: 0.8, validation: 0.2 }, stratifyBy: "label", seed: 7 },
 * };
 * ```
 */
export interface DatasetSpec {
  readonly kind: "dataset";
  /** Letters, digits, `_`, `.` and `-`. */
  readonly name: string;
  readonly selection: Selection;
  /** Label sets whose values (and regions) each member carries, frozen in the version. */
  readonly labelSets: readonly string[];
  readonly split: PatientSplitSpec;
}
