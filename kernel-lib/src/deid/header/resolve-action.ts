import {
  CONFIDENTIALITY_PROFILE_ROWS,
  type BasicProfileAction,
  type ConfidentialityProfileRow,
} from "./confidentiality-profile.generated";
import type { DeidAction, DeidOption } from "./profile";

/** The action chosen for one attribute, and the rule that chose it (kept in the audit). */
export interface ResolvedAction {
  readonly action: DeidAction;
  /** For example `E.1-1 basic X/Z -> Z`, `E.1-1 retain-uids K`, `override: needed for the cohort`. */
  readonly rule: string;
  /** The option that chose the action, when one did. */
  readonly option?: DeidOption;
}

/**
 * The single action a Basic Profile code stands for when the IOD is not known (PS3.15 E.3.1):
 * the choice that conforms whatever the attribute's Type is. X/Z -> Z (Type 2 needs it present,
 * Type 3 may be empty), X/D, X/Z/D and Z/D -> D (Type 1 needs a value), X/Z/U* -> U (a sequence of
 * references is kept and the UIDs inside it replaced; every other attribute inside is processed by its
 * own row).
 *
 * @example
 * ```ts
 * import { conservativeAction } from "@radlab/kernel";
 * conservativeAction("X/Z/D"); // "D"
 * ```
 */
export function conservativeAction(code: BasicProfileAction): DeidAction {
  switch (code) {
    case "X/Z":
      return "Z";
    case "X/D":
    case "X/Z/D":
    case "Z/D":
      return "D";
    case "X/Z/U*":
      return "U";
    default:
      return code;
  }
}

/**
 * Resolves one row of Table E.1-1 for a set of options: an option column that applies replaces the
 * Basic Profile action; when two apply (Allergies: Retain Patient Characteristics C and Clean
 * Descriptors C; Device UID: Retain UIDs K and Retain Device Identity K), C wins over K because
 * cleaning is the more conservative of the two.
 *
 * @example
 * ```ts
 * import { resolveRowAction, tableRow } from "@radlab/kernel";
 * resolveRowAction(tableRow(0x0020000d)!, ["retain-uids"]).action; // "K"
 * ```
 */
export function resolveRowAction(row: ConfidentialityProfileRow, options: readonly DeidOption[]): ResolvedAction {
  let chosen: ResolvedAction | undefined;
  for (const option of options) {
    const action = (row.options as Partial<Record<string, "K" | "C">>)[option];
    if (action === undefined) continue;
    if (chosen === undefined || (action === "C" && chosen.action === "K"))
      chosen = { action, option, rule: `E.1-1 ${option} ${action}` };
  }
  if (chosen !== undefined) return chosen;
  const action = conservativeAction(row.basic);
  return { action, rule: action === row.basic ? `E.1-1 basic ${action}` : `E.1-1 basic ${row.basic} -> ${action}` };
}

const byTag = new Map<number, ConfidentialityProfileRow>();
let curves: ConfidentialityProfileRow | undefined;
let overlayData: ConfidentialityProfileRow | undefined;
let overlayComments: ConfidentialityProfileRow | undefined;
let privateRow: ConfidentialityProfileRow | undefined;
for (const row of CONFIDENTIALITY_PROFILE_ROWS) {
  if (row.tag === "50xxxxxx") curves = row;
  else if (row.tag === "60xx3000") overlayData = row;
  else if (row.tag === "60xx4000") overlayComments = row;
  else if (row.tag === "private") privateRow = row;
  else byTag.set(parseInt(row.tag, 16) >>> 0, row);
}
if (curves === undefined || overlayData === undefined || overlayComments === undefined || privateRow === undefined)
  throw new Error("confidentiality-profile.generated.ts lacks the curve, overlay or private rows");

/** The pattern rows of Table E.1-1 (curves, overlays, private attributes). */
export const PATTERN_ROWS = Object.freeze({ curves, overlayData, overlayComments, private: privateRow });

/**
 * The row of Table E.1-1 that governs a tag: an exact row, the curve row for any (50xx,xxxx), the
 * overlay rows for (60xx,3000) and (60xx,4000), the private row for odd groups; `undefined` when
 * the table does not list the attribute.
 *
 * @example
 * ```ts
 * import { tableRow } from "@radlab/kernel";
 * tableRow(0x00100010)?.basic; // "Z" (Patient's Name)
 * tableRow(0x60023000)?.name; // "Overlay Data"
 * ```
 */
export function tableRow(tag: number): ConfidentialityProfileRow | undefined {
  const exact = byTag.get(tag >>> 0);
  if (exact !== undefined) return exact;
  const group = tag >>> 16;
  if (group % 2 === 1) return PATTERN_ROWS.private;
  if ((group & 0xff01) === 0x5000) return PATTERN_ROWS.curves;
  if ((group & 0xff01) === 0x6000) {
    const element = tag & 0xffff;
    if (element === 0x3000) return PATTERN_ROWS.overlayData;
    if (element === 0x4000) return PATTERN_ROWS.overlayComments;
  }
  return undefined;
}
