import type * as dcmjs from "dcmjs";
import { lookupTag, type VR } from "./dictionary/dictionary";
import { concatBytes } from "./bytes";
import { parseDicomDate, parseDicomTime, type DicomDate, type DicomTime } from "./date-time";
import { DicomError } from "./dicom-errors";
import { formatTag, tagHex, toTag, type TagInput } from "./tag";

/** A person name split into its component groups (PS3.5 6.2.1). */
export interface PersonName {
  readonly alphabetic: string;
  readonly ideographic: string;
  readonly phonetic: string;
}

/** One element: its tag, VR and values, typed by VR. */
export interface DicomElement {
  readonly tag: number;
  readonly vr: VR;
  /** Strings for text VRs, numbers for numeric VRs (DS and IS too), person names for PN, bytes for OB/OW/UN... */
  readonly values: readonly (string | number | PersonName | Uint8Array | DicomDataset)[];
}

const TEXT_VRS = new Set(["AE", "AS", "CS", "DA", "DT", "LO", "LT", "SH", "ST", "TM", "UC", "UI", "UR", "UT"]);
const NUMERIC_VRS = new Set(["DS", "IS", "FL", "FD", "SL", "SS", "UL", "US", "SV", "UV", "AT"]);
const BINARY_VRS = new Set(["OB", "OD", "OF", "OL", "OV", "OW", "UN"]);

/** Context a dataset keeps from reading. */
export interface DatasetSource {
  /** The file it was read from, or `(memory)`. */
  readonly file: string;
  /** What the reader had to repair to read it (missing meta header, missing transfer syntax...). */
  readonly repairs: readonly string[];
  /** Whether reading stopped before the pixel data. */
  readonly headerOnly: boolean;
}

/**
 * A parsed DICOM dataset. Accessors take a {@link TagInput} (keyword, number or group/element pair)
 * and return values typed by the element's VR; each `x` accessor has an `xOrThrow` twin that
 * throws a {@link DicomError} naming the file and the tag when the element is absent.
 *
 * @example
 * ```ts
 * import { readDicomFile } from "@radlab/kernel";
 * const ds = readDicomFile("../../shared/data/dicom/pydicom/test_files/CT_small.dcm");
 * ds.numbers("PixelSpacing"); // [0.661468, 0.661468]
 * ds.personName("PatientName")?.alphabetic; // "CompressedSamples^CT1"
 * ```
 */
export class DicomDataset {
  /** The File Meta Information group (0002,xxxx); empty for sequence items. */
  readonly meta: dcmjs.DcmjsDict;
  /** The dataset as dcmjs holds it (DICOM JSON model shape). Treat as read-only. */
  readonly dict: dcmjs.DcmjsDict;
  readonly source: DatasetSource;

  constructor(parsed: { meta: dcmjs.DcmjsDict; dict: dcmjs.DcmjsDict }, source: DatasetSource) {
    this.meta = parsed.meta;
    this.dict = parsed.dict;
    this.source = source;
  }

  /** The file this dataset was read from. */
  get file(): string {
    return this.source.file;
  }

  /** What the reader repaired to read the file (empty for well-formed files). */
  get repairs(): readonly string[] {
    return this.source.repairs;
  }

  /** (0002,0010) Transfer Syntax UID from the File Meta Information. */
  get transferSyntaxUid(): string {
    const value = this.meta["00020010"]?.Value?.[0];
    return typeof value === "string" ? value.replace(/\0/g, "").trim() : "";
  }

  /** Whether the element is present (possibly empty). */
  has(tag: TagInput): boolean {
    return this.raw(tag) !== undefined;
  }

  /** The tags present, in ascending order. */
  tags(): number[] {
    return Object.keys(this.dict)
      .map((hex) => parseInt(hex, 16) >>> 0)
      .sort((a, b) => a - b);
  }

  /** The element with VR-typed values, or `undefined` when absent. */
  element(tag: TagInput): DicomElement | undefined {
    const t = toTag(tag);
    const raw = this.raw(t);
    if (raw === undefined) return undefined;
    const vr = raw.vr as VR;
    return { tag: t, vr, values: this.valuesOf(raw, vr) };
  }

  /** The first value of a text element (AE, CS, DA, LO, UI...; PN gives the alphabetic group). */
  string(tag: TagInput): string | undefined {
    return this.strings(tag)[0];
  }

  /** {@link DicomDataset.string}, throwing when the element is absent or empty. */
  stringOrThrow(tag: TagInput): string {
    return this.orThrow(tag, this.string(tag));
  }

  /** Every value of a text element; empty when absent. */
  strings(tag: TagInput): string[] {
    const raw = this.raw(tag);
    if (raw === undefined) return [];
    if (raw.vr === "PN") return this.personNames(tag).map((p) => p.alphabetic);
    this.expectVr(tag, raw.vr, TEXT_VRS, "a text");
    return (raw.Value ?? []).map((v) => (v === null || v === undefined ? "" : String(v)));
  }

  /** The first value of a numeric element (US, SS, UL, FL, FD, DS, IS...). */
  number(tag: TagInput): number | undefined {
    return this.numbers(tag)[0];
  }

  /** {@link DicomDataset.number}, throwing when the element is absent or empty. */
  numberOrThrow(tag: TagInput): number {
    return this.orThrow(tag, this.number(tag));
  }

  /** Every value of a numeric element; empty when absent. DS and IS are parsed to numbers. */
  numbers(tag: TagInput): number[] {
    const raw = this.raw(tag);
    if (raw === undefined) return [];
    this.expectVr(tag, raw.vr, NUMERIC_VRS, "a numeric");
    return (raw.Value ?? []).filter((v) => v !== null && v !== "").map((v) => Number(v));
  }

  /** The first value of a DA element as a calendar date; `undefined` when absent or not a valid date. */
  date(tag: TagInput): DicomDate | undefined {
    const raw = this.raw(tag);
    if (raw === undefined) return undefined;
    this.expectVr(tag, raw.vr, new Set(["DA"]), "a date (DA)");
    const text = this.strings(tag)[0];
    return text === undefined ? undefined : parseDicomDate(text);
  }

  /** The first value of a TM element as a time of day; `undefined` when absent or not a valid time. */
  time(tag: TagInput): DicomTime | undefined {
    const raw = this.raw(tag);
    if (raw === undefined) return undefined;
    this.expectVr(tag, raw.vr, new Set(["TM"]), "a time (TM)");
    const text = this.strings(tag)[0];
    return text === undefined ? undefined : parseDicomTime(text);
  }

  /** The first person name of a PN element. */
  personName(tag: TagInput): PersonName | undefined {
    return this.personNames(tag)[0];
  }

  /** Every person name of a PN element. */
  personNames(tag: TagInput): PersonName[] {
    const raw = this.raw(tag);
    if (raw === undefined) return [];
    this.expectVr(tag, raw.vr, new Set(["PN"]), "a person name (PN)");
    return (raw.Value ?? []).map(toPersonName);
  }

  /** The items of a sequence (SQ) element, as datasets; empty when absent. */
  sequence(tag: TagInput): DicomDataset[] {
    const raw = this.raw(tag);
    if (raw === undefined) return [];
    this.expectVr(tag, raw.vr, new Set(["SQ"]), "a sequence (SQ)");
    return (raw.Value ?? []).map(
      (item) => new DicomDataset({ meta: {}, dict: (item ?? {}) as dcmjs.DcmjsDict }, this.source),
    );
  }

  /** The bytes of a binary element (OB, OW, OF, UN...), fragments concatenated. */
  bytes(tag: TagInput): Uint8Array | undefined {
    const raw = this.raw(tag);
    if (raw === undefined) return undefined;
    this.expectVr(tag, raw.vr, BINARY_VRS, "a binary");
    return concatBuffers(raw.Value ?? []);
  }

  /** The raw dcmjs element (for the pixel module and writers). */
  raw(tag: TagInput): dcmjs.DcmjsElement | undefined {
    const t = toTag(tag);
    return this.dict[tagHex(t)];
  }

  private valuesOf(raw: dcmjs.DcmjsElement, vr: VR): DicomElement["values"] {
    const values = raw.Value ?? [];
    if (vr === "PN") return values.map(toPersonName);
    if (vr === "SQ")
      return values.map((item) => new DicomDataset({ meta: {}, dict: item as dcmjs.DcmjsDict }, this.source));
    if (BINARY_VRS.has(vr)) return [concatBuffers(values)];
    if (NUMERIC_VRS.has(vr)) return values.filter((v) => v !== null && v !== "").map(Number);
    return values.map((v) => (v === null || v === undefined ? "" : String(v)));
  }

  private expectVr(tag: TagInput, vr: string, allowed: ReadonlySet<string>, what: string): void {
    if (allowed.has(vr)) return;
    throw new DicomError("vr-mismatch", `${formatTag(tag)} in ${this.file} has VR ${vr}, not ${what} VR.`, {
      file: this.file,
      tag: formatTag(tag),
      hint: `Use the accessor for VR ${vr}${expectedVrs(tag)}.`,
    });
  }

  private orThrow<T>(tag: TagInput, value: T | undefined): T {
    if (value !== undefined && value !== "") return value;
    throw new DicomError("dicom-parse", `${formatTag(tag)} is missing or empty in ${this.file}.`, {
      file: this.file,
      tag: formatTag(tag),
    });
  }
}

function expectedVrs(tag: TagInput): string {
  const entry = lookupTag(toTag(tag));
  return entry === undefined || entry.vr.length === 0 ? "" : ` (the dictionary gives ${entry.vr.join(" or ")})`;
}

function toPersonName(value: unknown): PersonName {
  if (typeof value === "string") {
    const [alphabetic = "", ideographic = "", phonetic = ""] = value.split("=");
    return { alphabetic, ideographic, phonetic };
  }
  const v = (value ?? {}) as { Alphabetic?: string; Ideographic?: string; Phonetic?: string };
  return { alphabetic: v.Alphabetic ?? "", ideographic: v.Ideographic ?? "", phonetic: v.Phonetic ?? "" };
}

/** Concatenates ArrayBuffers / typed arrays (dcmjs gives fragments or one buffer) into one Uint8Array. */
export function concatBuffers(parts: readonly unknown[]): Uint8Array {
  return concatBytes(parts.flatMap((p) => (Array.isArray(p) ? p : [p])).map(toUint8));
}

/** Views an ArrayBuffer or typed array as bytes (no copy). */
export function toUint8(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return new Uint8Array(0);
}
