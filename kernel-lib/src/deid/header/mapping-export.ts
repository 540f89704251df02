import type { ReidentificationKey } from "./reidentification-key";

/**
 * The UID mapping file the TCIA MIDI-B validation script reads (`uid_mapping_file`): a CSV with
 * the header `id_old,id_new` and one row per replaced UID (CBIIT/MIDI_validation_script reads it with
 * pandas, columns `id_old` and `id_new`). It re-identifies: keep it with the key, not the data.
 *
 * @example
 * ```ts
 * import { ReidentificationKey, exportUidMappingCsv } from "@radlab/kernel";
 * const key = ReidentificationKey.create();
 * key.replaceUid("1.2.3");
 * exportUidMappingCsv(key).split("\n")[0]; // "id_old,id_new"
 * ```
 */
export function exportUidMappingCsv(key: ReidentificationKey): string {
  return csv(key.uids());
}

/**
 * The patient ID mapping file of the MIDI-B validation script (`patid_mapping_file`): `id_old,id_new`,
 * original Patient ID -> research ID, one row per patient.
 *
 * @example
 * ```ts
 * import { ReidentificationKey, exportPatientIdMappingCsv } from "@radlab/kernel";
 * const key = ReidentificationKey.create();
 * key.patient("MRN-1");
 * exportPatientIdMappingCsv(key); // "id_old,id_new\nMRN-1,S001\n"
 * ```
 */
export function exportPatientIdMappingCsv(key: ReidentificationKey): string {
  return csv(key.patients().map((p) => [p.original, p.researchId] as const));
}

function csv(rows: readonly (readonly [string, string])[]): string {
  return ["id_old,id_new", ...rows.map(([a, b]) => `${cell(a)},${cell(b)}`)].join("\n") + "\n";
}

/** RFC 4180 quoting. */
function cell(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}
