import type * as dcmjs from "dcmjs";
import { toUint8 } from "../../dicom/dataset";
import { lookupTag, type VR } from "../../dicom/dictionary/dictionary";
import { concatBytes } from "../../dicom/bytes";

/** VRs whose values are text in the DICOM JSON model (PN apart). */
export const TEXT_VRS: ReadonlySet<string> = new Set([
  "AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "SH", "ST", "TM", "UC", "UI", "UR", "UT",
]); // prettier-ignore

/** VRs of free text, where identifying words hide (PS3.15 E.3.5 Clean Descriptors). */
export const FREE_TEXT_VRS: ReadonlySet<string> = new Set(["LO", "LT", "ST", "UT", "UC", "SH", "PN"]);

export const BINARY_VRS: ReadonlySet<string> = new Set(["OB", "OD", "OF", "OL", "OV", "OW", "UN"]);

/**
 * The VR to treat an element by: its own, except for VR UN (PS3.5 6.2.2), where the dictionary's VR
 * of the tag is used, so that de-identification goes by tag and not by how a file happened to encode
 * it. `undefined` for a UN element whose tag is not in the dictionary.
 */
export function effectiveVr(tag: number, element: dcmjs.DcmjsElement): VR | undefined {
  if (element.vr !== "UN") return element.vr as VR;
  if ((tag >>> 16) % 2 === 1) return "UN";
  const vr = lookupTag(tag)?.vr[0];
  return vr;
}

/**
 * The values of an element as strings: text as it is, person names as `Alphabetic=Ideographic=Phonetic`
 * (trailing empty groups dropped), numbers in decimal, and the bytes of a UN element of a text VR
 * decoded (Latin-1) and split at backslashes. Binary values give no strings.
 */
export function stringValues(element: dcmjs.DcmjsElement, vr: string): string[] {
  const values = element.Value ?? [];
  if (element.vr === "UN" && vr !== "UN") {
    if (!TEXT_VRS.has(vr) && vr !== "PN") return [];
    const bytes = concat(values);
    if (bytes.byteLength === 0) return [];
    return latin1(bytes)
      .split("\\")
      .map((s) => s.replace(/[\0 ]+$/, "").replace(/^ +/, ""));
  }
  if (vr === "PN") return values.map(personNameText);
  if (BINARY_VRS.has(vr) || vr === "SQ") return [];
  return values.filter((v) => v !== null && v !== undefined).map((v) => String(v));
}

/** The alphabetic, ideographic and phonetic groups of a PN value. */
export function personNameGroups(value: unknown): string[] {
  if (typeof value === "string") return value.split("=");
  const v = (value ?? {}) as { Alphabetic?: unknown; Ideographic?: unknown; Phonetic?: unknown };
  return [v.Alphabetic, v.Ideographic, v.Phonetic].map((g) => (typeof g === "string" ? g : ""));
}

function personNameText(value: unknown): string {
  return personNameGroups(value).join("=").replace(/=+$/, "");
}

/** A PN value for the DICOM JSON model from `Alphabetic=Ideographic=Phonetic` text. */
export function personName(text: string): { Alphabetic: string; Ideographic?: string; Phonetic?: string } {
  const [alphabetic = "", ideographic = "", phonetic = ""] = text.split("=");
  return {
    Alphabetic: alphabetic,
    ...(ideographic === "" ? {} : { Ideographic: ideographic }),
    ...(phonetic === "" ? {} : { Phonetic: phonetic }),
  };
}

/** The bytes of an element's binary values, concatenated. */
export function concat(values: readonly unknown[]): Uint8Array {
  return concatBytes(values.flatMap((v) => (Array.isArray(v) ? v : [v])).map(toUint8));
}

export function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.byteLength; i += 4096)
    text += String.fromCharCode(...bytes.subarray(i, Math.min(i + 4096, bytes.byteLength)));
  return text;
}

const DUMMY_TEXT = "ANONYMIZED";
const BINARY_DUMMY_BYTES: Readonly<Record<string, number>> = { OB: 2, OW: 2, OF: 4, OL: 4, OD: 8, OV: 8, UN: 2 };

/**
 * A non-zero-length dummy value consistent with the VR (PS3.15 E.3.1 action D). UIDs and sequences
 * are not dummies: the engine replaces UIDs consistently and keeps sequences, cleaning their items.
 */
export function dummyValues(vr: string): unknown[] {
  switch (vr) {
    case "PN":
      return [{ Alphabetic: DUMMY_TEXT }];
    case "DA":
      return ["19000101"];
    case "DT":
      return ["19000101000000"];
    case "TM":
      return ["000000"];
    case "AS":
      return ["000Y"];
    case "UR":
      return ["urn:x-radlab:anonymized"];
    case "DS":
    case "IS":
    case "FL":
    case "FD":
    case "SL":
    case "SS":
    case "UL":
    case "US":
    case "SV":
    case "UV":
    case "AT":
      return [0];
    default: {
      const bytes = BINARY_DUMMY_BYTES[vr];
      if (bytes !== undefined) return [new ArrayBuffer(bytes)];
      return [DUMMY_TEXT];
    }
  }
}

/** Placeholder values that identify nobody; never reported as PHI. */
export const PLACEHOLDERS: ReadonlySet<string> = new Set([
  DUMMY_TEXT, "ANONYMOUS", "ANON", "ANONYMIZED ANONYMIZED", "UNKNOWN", "NONE", "NULL", "REMOVED", "N A", "NA",
]); // prettier-ignore
