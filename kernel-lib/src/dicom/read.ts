import * as dcmjs from "dcmjs";
import { readFileSync } from "node:fs";
import { DicomDataset } from "./dataset";
import { DicomError } from "./dicom-errors";
import { decodeSpecificCharacterSets } from "./charset";
import { markUnknownSequences, patchDcmjsSequences, sequenceRepairs } from "./dcmjs-sequences";
import {
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
  transferSyntax,
} from "./transfer-syntax";

// dcmjs logs its repairs (unknown VRs, short values) to the console; radlab reports through errors.
dcmjs.log.setLevel("silent");
dcmjs.log.getLogger("validation.dcmjs").setLevel("silent");
patchDcmjsSequences();

/** Options of {@link readDicom}. */
export interface ReadDicomOptions {
  /** The file name used in messages and kept on the dataset (default `(memory)`). */
  readonly file?: string;
  /** Stop before (7FE0,0010) Pixel Data: headers only, faster for indexing. */
  readonly headerOnly?: boolean;
}

const PREAMBLE = 128;
const LONG_VRS = new Set(["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UR", "UT", "UN", "SV", "UV"]);
const ALL_VRS = new Set([
  ...LONG_VRS,
  ...[
    "AE",
    "AS",
    "AT",
    "CS",
    "DA",
    "DS",
    "DT",
    "FL",
    "FD",
    "IS",
    "LO",
    "LT",
    "PN",
    "SH",
    "SL",
    "SS",
    "ST",
    "TM",
    "UI",
    "UL",
    "US",
  ],
]);

interface MetaElement {
  readonly tag: number;
  readonly bytes: Uint8Array;
}

/**
 * Reads a DICOM file from disk. See {@link readDicom}.
 *
 * @throws {@link DicomError} `file-not-found` when the path does not exist or is not a file.
 * @example
 * ```ts
 * import { readDicomFile } from "@radlab/kernel";
 * const ds = readDicomFile("../../shared/data/dicom/pydicom/test_files/CT_small.dcm");
 * ds.string("Modality"); // "CT"
 * ```
 */
export function readDicomFile(path: string, options: Omit<ReadDicomOptions, "file"> = {}): DicomDataset {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new DicomError(
      "file-not-found",
      `Cannot read ${path}: ${code === "ENOENT" ? "no such file" : String(error)}.`,
      {
        file: path,
        hint: "Check the path; relative paths start from the notebook's folder.",
        cause: error,
      },
    );
  }
  return readDicom(bytes, { ...options, file: path });
}

/**
 * Parses a DICOM Part 10 file, or a bare dataset without the 128-byte preamble and File Meta
 * Information (PS3.10 7.1): the encoding of a bare dataset is recognised from its first element, and
 * a missing (0002,0010) Transfer Syntax UID likewise. Every such repair is listed in
 * {@link DicomDataset.repairs}. Specific Character Set (0008,0005) is applied to text, including the
 * ISO 2022 code extensions used for Japanese and Korean (PS3.5 6.1.2.5).
 *
 * @throws {@link DicomError} `not-dicom`, `dicom-truncated` or `dicom-parse`, naming the file and,
 *   where known, the byte offset.
 * @example
 * ```ts
 * import { readDicom } from "@radlab/kernel";
 * import { readFileSync } from "node:fs";
 * const ds = readDicom(readFileSync("scan.dcm"), { file: "scan.dcm" });
 * ```
 */
export function readDicom(bytes: Uint8Array, options: ReadDicomOptions = {}): DicomDataset {
  const file = options.file ?? "(memory)";
  const { buffer, repairs, declaredTransferSyntax } = normalisePart10(bytes, file);
  const readOptions: dcmjs.ReadOptions = {
    ignoreErrors: false,
    untilTag: options.headerOnly === true ? "7FE00010" : null,
    includeUntilTagValue: false,
    // Values are views of this call's buffer, which nothing else holds.
    noCopy: true,
  };
  let parsed: dcmjs.DicomDict;
  sequenceRepairs.length = 0;
  try {
    parsed = dcmjs.data.DicomMessage.readFile(buffer, readOptions);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/multiple character sets|Unsupported character set/i.test(message)) {
      // dcmjs decodes one character set only: read the text as bytes (latin1) and decode it here.
      parsed = readWithCharsetFallback(buffer, readOptions, file);
    } else {
      throw parseError(error, file, bytes.byteLength);
    }
  }
  markUnknownSequences(parsed.dict);
  repairs.push(...sequenceRepairs.splice(0));
  // The pixel data stays in the declared transfer syntax when the dataset was read in another.
  if (declaredTransferSyntax !== undefined) parsed.meta["00020010"] = { vr: "UI", Value: [declaredTransferSyntax] };
  // dcmjs stops after the until-tag but keeps it: drop the pixel data a header-only read asked to skip.
  if (options.headerOnly === true) delete parsed.dict["7FE00010"];
  return new DicomDataset(parsed, { file, repairs, headerOnly: options.headerOnly === true });
}

function readWithCharsetFallback(buffer: ArrayBuffer, readOptions: dcmjs.ReadOptions, file: string): dcmjs.DicomDict {
  try {
    const parsed = dcmjs.data.DicomMessage.readFile(buffer, { ...readOptions, ignoreErrors: true });
    decodeSpecificCharacterSets(parsed.dict);
    return parsed;
  } catch (error) {
    if (error instanceof DicomError) throw error;
    throw parseError(error, file, buffer.byteLength);
  }
}

function parseError(error: unknown, file: string, size: number): DicomError {
  const message = error instanceof Error ? error.message : String(error);
  if (
    error instanceof RangeError ||
    /outside the bounds|out of range|beyond|end of (the )?(buffer|stream)|more than currently allocated|past end of input/i.test(
      message,
    )
  ) {
    return new DicomError(
      "dicom-truncated",
      `${file} is truncated: it ends (at ${size} bytes) inside a DICOM element.`,
      {
        file,
        offset: size,
        hint: "Copy or download the file again; the end of it is missing.",
        cause: error,
      },
    );
  }
  return new DicomError("dicom-parse", `Cannot parse ${file}: ${message}.`, {
    file,
    hint: "The file does not follow DICOM PS3.10; check that it is a complete DICOM file.",
    cause: error,
  });
}

/**
 * Returns a Part 10 buffer dcmjs can read: the file itself when it is well formed, otherwise the
 * dataset behind a synthetic preamble and File Meta Information group.
 */
function normalisePart10(
  bytes: Uint8Array,
  file: string,
): { buffer: ArrayBuffer; repairs: string[]; declaredTransferSyntax?: string } {
  const repairs: string[] = [];
  const hasMagic = bytes.byteLength >= 132 && ascii(bytes, PREAMBLE, 4) === "DICM";
  let metaStart: number;
  if (hasMagic) metaStart = PREAMBLE + 4;
  else if (bytes.byteLength >= 8 && u16le(bytes, 0) === 0x0002 && isVr(ascii(bytes, 4, 2))) {
    metaStart = 0;
    repairs.push("no 128-byte preamble and 'DICM' prefix before the File Meta Information: added");
  } else {
    const encoding = sniffEncoding(bytes, 0);
    if (encoding === null) {
      throw new DicomError(
        "not-dicom",
        `${file} is not a DICOM file: there is no 'DICM' marker at byte 128 and its first bytes are not a DICOM element.`,
        { file, offset: 0, hint: "Check that this is a DICOM file (not a PNG, ZIP or DICOMDIR export folder)." },
      );
    }
    repairs.push(
      `no File Meta Information (PS3.10 7.1): ${transferSyntax(encoding)?.name} assumed from the first element`,
    );
    return { buffer: assemble([transferSyntaxElement(encoding)], bytes.subarray(0)), repairs };
  }
  const meta = readMetaElements(bytes, metaStart, file);
  const declared = meta.elements.find((e) => e.tag === 0x00020010);
  const hasTransferSyntax = declared !== undefined;
  const hasGroupLength = meta.elements[0]?.tag === 0x00020000;
  const declaredValue = declared === undefined ? undefined : declaredUid(declared);
  const mismatch = declaredValue === undefined ? null : encodingMismatch(bytes, meta.end, declaredValue);
  if (mismatch !== null && declaredValue !== undefined) {
    repairs.push(mismatch.repair);
    const kept = meta.elements.filter((e) => e.tag !== 0x00020000 && e.tag !== 0x00020010);
    const elements = [...kept, transferSyntaxElement(mismatch.parseAs)].sort((a, b) => a.tag - b.tag);
    return { buffer: assemble(elements, bytes.subarray(meta.end)), repairs, declaredTransferSyntax: declaredValue };
  }
  if (metaStart === PREAMBLE + 4 && hasTransferSyntax && hasGroupLength)
    return { buffer: toArrayBuffer(bytes), repairs };
  if (!hasGroupLength) repairs.push("(0002,0000) File Meta Information Group Length missing: added");
  const elements = meta.elements.filter((e) => e.tag !== 0x00020000);
  if (!hasTransferSyntax) {
    const encoding = sniffEncoding(bytes, meta.end, true);
    if (encoding === null) {
      throw new DicomError(
        "dicom-parse",
        `${file} has no (0002,0010) Transfer Syntax UID and its dataset encoding cannot be recognised.`,
        {
          file,
          tag: "(0002,0010) Transfer Syntax UID",
          offset: meta.end,
        },
      );
    }
    repairs.push(
      `(0002,0010) Transfer Syntax UID missing: ${transferSyntax(encoding)?.name} assumed from the first element`,
    );
    elements.push(transferSyntaxElement(encoding));
    elements.sort((a, b) => a.tag - b.tag);
  }
  return { buffer: assemble(elements, bytes.subarray(meta.end)), repairs };
}

function declaredUid(element: MetaElement): string {
  return ascii(element.bytes, 8, element.bytes.byteLength - 8).replace(/[\0 ]+$/, "");
}

/**
 * Some writers declare one transfer syntax and encode the dataset in another (for example a JPEG
 * transfer syntax, which implies explicit VR, over an implicit VR dataset). dcmjs then stops after
 * the first element without an error; the encoding the bytes really use is parsed instead, and the
 * declared syntax kept for the pixel data.
 */
function encodingMismatch(bytes: Uint8Array, offset: number, uid: string): { parseAs: string; repair: string } | null {
  const declared = transferSyntax(uid);
  const actual = sniffEncoding(bytes, offset, true);
  if (declared === undefined || actual === null || uid === "1.2.840.10008.1.2.1.99") return null;
  const actualTs = transferSyntax(actual);
  if (
    actualTs === undefined ||
    (actualTs.explicitVR === declared.explicitVR && actualTs.littleEndian === declared.littleEndian)
  )
    return null;
  return {
    parseAs: actual,
    repair: `the dataset is encoded in ${actualTs.name} although (0002,0010) declares ${declared.name}: read as ${actualTs.name}`,
  };
}

/** Walks the File Meta Information group (always explicit VR little endian) from `start`. */
function readMetaElements(bytes: Uint8Array, start: number, file: string): { elements: MetaElement[]; end: number } {
  const elements: MetaElement[] = [];
  let offset = start;
  while (offset + 8 <= bytes.byteLength && u16le(bytes, offset) === 0x0002) {
    const tag = ((u16le(bytes, offset) << 16) | u16le(bytes, offset + 2)) >>> 0;
    const vr = ascii(bytes, offset + 4, 2);
    if (!isVr(vr)) {
      throw new DicomError(
        "dicom-parse",
        `${file}: File Meta Information element at byte ${offset} has no valid VR ("${vr}").`,
        {
          file,
          offset,
        },
      );
    }
    const long = LONG_VRS.has(vr);
    const headerLength = long ? 12 : 8;
    const length = long ? u32le(bytes, offset + 8) : u16le(bytes, offset + 6);
    const end = offset + headerLength + length;
    if (end > bytes.byteLength) {
      throw new DicomError(
        "dicom-truncated",
        `${file} is truncated inside its File Meta Information (byte ${offset}).`,
        {
          file,
          offset,
        },
      );
    }
    elements.push({ tag, bytes: bytes.subarray(offset, end) });
    offset = end;
  }
  return { elements, end: offset };
}

/**
 * Recognises the encoding of a dataset from its first element: explicit VR when two upper-case
 * letters of a known VR follow the tag, big endian when the group reads smaller that way.
 * Returns `null` when the bytes do not look like a DICOM element. With `knownDicom` (after a File
 * Meta Information group) any group is accepted.
 */
export function sniffEncoding(bytes: Uint8Array, offset: number, knownDicom = false): string | null {
  if (offset + 8 > bytes.byteLength) return null;
  const groupLE = u16le(bytes, offset);
  const groupBE = ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
  // At the start of an unknown file only standard groups count; after a File Meta Information group
  // the bytes are known to be DICOM, and test data uses odd groups such as (0001,0001) there.
  const plausible = (group: number) =>
    knownDicom ? group >= 0x0001 && group <= 0xfffc : group >= 0x0002 && group <= 0x7fe0 && group % 2 === 0;
  const explicit = isVr(ascii(bytes, offset + 4, 2));
  if (explicit) {
    if (plausible(groupLE) && (!plausible(groupBE) || groupLE <= groupBE)) return EXPLICIT_VR_LITTLE_ENDIAN;
    if (plausible(groupBE)) return EXPLICIT_VR_BIG_ENDIAN;
    return null;
  }
  const length = u32le(bytes, offset + 4);
  if (plausible(groupLE) && (length === 0xffffffff || offset + 8 + length <= bytes.byteLength))
    return IMPLICIT_VR_LITTLE_ENDIAN;
  return null;
}

function transferSyntaxElement(uid: string): MetaElement {
  const value = uid.length % 2 === 0 ? uid : `${uid}\0`;
  const out = new Uint8Array(8 + value.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0x0002, true);
  view.setUint16(2, 0x0010, true);
  out[4] = 0x55; // U
  out[5] = 0x49; // I
  view.setUint16(6, value.length, true);
  for (let i = 0; i < value.length; i++) out[8 + i] = value.charCodeAt(i);
  return { tag: 0x00020010, bytes: out };
}

/** Preamble + DICM + (0002,0000) group length + meta elements + dataset. */
function assemble(meta: readonly MetaElement[], dataset: Uint8Array): ArrayBuffer {
  const metaLength = meta.reduce((sum, e) => sum + e.bytes.byteLength, 0);
  const out = new Uint8Array(PREAMBLE + 4 + 12 + metaLength + dataset.byteLength);
  out.set([0x44, 0x49, 0x43, 0x4d], PREAMBLE);
  const view = new DataView(out.buffer);
  let offset = PREAMBLE + 4;
  view.setUint16(offset, 0x0002, true);
  view.setUint16(offset + 2, 0x0000, true);
  out[offset + 4] = 0x55; // U
  out[offset + 5] = 0x4c; // L
  view.setUint16(offset + 6, 4, true);
  view.setUint32(offset + 8, metaLength, true);
  offset += 12;
  for (const element of meta) {
    out.set(element.bytes, offset);
    offset += element.bytes.byteLength;
  }
  out.set(dataset, offset);
  return out.buffer;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return bytes.buffer;
  }
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function isVr(text: string): boolean {
  return ALL_VRS.has(text);
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  let text = "";
  for (let i = offset; i < offset + length && i < bytes.byteLength; i++) text += String.fromCharCode(bytes[i] ?? 0);
  return text;
}

function u16le(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8);
}

function u32le(bytes: Uint8Array, offset: number): number {
  return (u16le(bytes, offset) | (u16le(bytes, offset + 2) << 16)) >>> 0;
}
