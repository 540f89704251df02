import { ATTRIBUTE_ROWS, type Keyword } from "./attributes.generated";

/** A DICOM value representation (PS3.5 Table 6.2-1). */
export type VR =
  | "AE" | "AS" | "AT" | "CS" | "DA" | "DS" | "DT" | "FL" | "FD" | "IS" | "LO" | "LT" | "OB" | "OD"
  | "OF" | "OL" | "OV" | "OW" | "PN" | "SH" | "SL" | "SQ" | "SS" | "ST" | "SV" | "TM" | "UC" | "UI"
  | "UL" | "UN" | "UR" | "US" | "UT" | "UV"; // prettier-ignore

/** One attribute of the DICOM data dictionary (PS3.6). */
export interface DictionaryEntry {
  /** The tag as a number, `0xggggeeee`; for repeating groups (`60xx`) the first group (`6000`). */
  readonly tag: number;
  readonly keyword: Keyword;
  /** The allowed VRs; several for attributes such as `US or SS`, none where the standard gives none. */
  readonly vr: readonly VR[];
  /** The value multiplicity, for example `1`, `2`, `1-n`, `2-2n`. */
  readonly vm: string;
  readonly name: string;
  readonly retired: boolean;
  /** For repeating-group attributes (`60xx,3000`), the mask of the bits that identify the attribute. */
  readonly mask: number;
}

const byKeyword = new Map<string, DictionaryEntry>();
const byTag = new Map<number, DictionaryEntry>();
const repeating: DictionaryEntry[] = [];

for (const [hex, keyword, vr, vm, name, retired] of ATTRIBUTE_ROWS) {
  const mask = parseInt(hex.replace(/[0-9A-F]/g, "F").replace(/X/g, "0"), 16) >>> 0;
  const entry: DictionaryEntry = Object.freeze({
    tag: parseInt(hex.replace(/X/g, "0"), 16) >>> 0,
    // The generator writes the Keyword union from the same rows.
    keyword: keyword as Keyword,
    vr: Object.freeze(vr === "" ? [] : (vr.split("|") as VR[])),
    vm,
    name,
    retired: retired === 1,
    mask,
  });
  byKeyword.set(keyword, entry);
  if (mask === 0xffffffff) byTag.set(entry.tag, entry);
  else repeating.push(entry);
}

/**
 * Looks up an attribute by keyword, exactly as PS3.6 spells it (`PatientName`, not `patientName`).
 *
 * @returns The entry, or `undefined` for an unknown keyword.
 * @example
 * ```ts
 * import { lookupKeyword } from "@radlab/kernel";
 * lookupKeyword("PatientName")?.tag; // 0x00100010
 * ```
 */
export function lookupKeyword(keyword: string): DictionaryEntry | undefined {
  return byKeyword.get(keyword);
}

/**
 * Looks up an attribute by tag, including repeating groups (`(6002,3000)` is Overlay Data).
 * Private tags (odd groups) are not in the standard dictionary.
 *
 * @example
 * ```ts
 * import { lookupTag } from "@radlab/kernel";
 * lookupTag(0x60023000)?.keyword; // "OverlayData"
 * ```
 */
export function lookupTag(tag: number): DictionaryEntry | undefined {
  const exact = byTag.get(tag >>> 0);
  if (exact !== undefined) return exact;
  for (const entry of repeating) if ((tag & entry.mask) >>> 0 === entry.tag) return entry;
  return undefined;
}

/** Every keyword of the dictionary, for suggestions and validation. */
export function allKeywords(): IterableIterator<string> {
  return byKeyword.keys();
}
