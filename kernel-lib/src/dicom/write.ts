import * as dcmjs from "dcmjs";
import { existsSync, renameSync, writeFileSync } from "node:fs";
import { DicomDataset } from "./dataset";
import { DicomError } from "./dicom-errors";
import type { PixelFrame } from "./pixels/pixel-frame";
import { DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, EXPLICIT_VR_LITTLE_ENDIAN, transferSyntax } from "./transfer-syntax";
import { tagHex, toTag, type TagInput } from "./tag";

/** (0002,0012) Implementation Class UID of files radlab writes (de-identified instances, segmentations; PS3.10 7.1). */
export const RADLAB_IMPLEMENTATION_CLASS_UID = "2.25.147690250745199411826666871303074184789";

/**
 * Serialises a dataset as a DICOM Part 10 file in its own transfer syntax (a deflated dataset is
 * written as Explicit VR Little Endian, which dcmjs writes; the File Meta Information says so).
 * Values longer than their VR allows (a 25-character CS from a real ultrasound) are written as they
 * were read: radlab keeps what the file holds rather than refusing it.
 *
 * @example
 * ```ts
 * import { readDicom, readDicomFile, writeDicom } from "@radlab/kernel";
 * const copy = readDicom(writeDicom(readDicomFile("CT_small.dcm")));
 * ```
 */
export function writeDicom(ds: DicomDataset): Uint8Array {
  const meta = cloneDict(ds.meta);
  delete meta["00020000"]; // dcmjs writes the group length itself
  if (ds.transferSyntaxUid === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)
    meta["00020010"] = { vr: "UI", Value: [EXPLICIT_VR_LITTLE_ENDIAN] };
  const dict = new dcmjs.data.DicomDict(meta);
  // dcmjs may change the element objects it writes, never the bytes of binary values: the
  // structure is copied, pixel data and other binary values are shared (not copied per write).
  dict.dict = cloneDict(ds.dict, { shareBinary: true });
  try {
    return new Uint8Array(dict.write({ allowInvalidVRLength: true }));
  } catch (error) {
    throw new DicomError(
      "dicom-parse",
      `Cannot write ${ds.file}: ${error instanceof Error ? error.message : String(error)}.`,
      {
        file: ds.file,
        cause: error,
      },
    );
  }
}

/**
 * Writes a dataset to `path` atomically (a temporary file renamed into place), refusing to
 * overwrite an existing file: originals are never modified.
 *
 * @throws {@link DicomError} `dicom-parse` when `path` exists.
 */
export function writeDicomFile(ds: DicomDataset, path: string): void {
  if (existsSync(path)) {
    throw new DicomError("dicom-parse", `${path} exists; radlab does not overwrite DICOM files.`, {
      file: path,
      hint: "Write to a new path (originals are kept unchanged).",
    });
  }
  const temporary = `${path}.partial-${process.pid}`;
  writeFileSync(temporary, writeDicom(ds));
  renameSync(temporary, path);
}

/**
 * Returns a copy of the dataset with its pixel data replaced by `frames`, stored natively in Explicit
 * VR Little Endian, and the Image Pixel module made consistent with them: Samples per Pixel,
 * Photometric Interpretation (RGB for colour: palette tables removed), Planar Configuration 0,
 * Bits Allocated / Stored / High Bit, Pixel Representation and Number of Frames. When the source was
 * lossy-compressed, (0028,2110) Lossy Image Compression is set to `01` (PS3.3 C.7.6.1.1.5).
 * The input dataset is not changed. This is how masking writes edited pixels back.
 *
 * @throws {@link DicomError} `pixel-module` when frames differ in size or use float samples.
 */
export function replacePixelData(ds: DicomDataset, frames: readonly PixelFrame[]): DicomDataset {
  const first = frames[0];
  if (first === undefined)
    throw new DicomError("pixel-module", `No frames given to write into ${ds.file}.`, { file: ds.file });
  for (const f of frames) {
    if (
      f.rows !== first.rows ||
      f.columns !== first.columns ||
      f.samplesPerPixel !== first.samplesPerPixel ||
      f.samples.constructor !== first.samples.constructor
    ) {
      throw new DicomError(
        "pixel-module",
        `Frames written into ${ds.file} differ in size, samples per pixel or sample type.`,
        { file: ds.file },
      );
    }
  }
  const bits =
    first.samples instanceof Uint8Array || first.samples instanceof Int8Array
      ? 8
      : first.samples instanceof Uint16Array || first.samples instanceof Int16Array
        ? 16
        : 0;
  if (bits === 0) {
    throw new DicomError(
      "pixel-module",
      `radlab writes 8- or 16-bit integer pixels; got ${first.samples.constructor.name} for ${ds.file}.`,
      { file: ds.file },
    );
  }
  const signed = first.samples instanceof Int8Array || first.samples instanceof Int16Array;
  const bytesPerFrame = first.samples.byteLength;
  const pixels = new Uint8Array(bytesPerFrame * frames.length);
  frames.forEach((f, i) =>
    pixels.set(new Uint8Array(f.samples.buffer, f.samples.byteOffset, f.samples.byteLength), i * bytesPerFrame),
  );
  const dict = cloneDict(ds.dict);
  const set = (tag: TagInput, vr: string, value: unknown[]) => {
    dict[tagHex(toTag(tag))] = { vr, Value: value };
  };
  const remove = (tag: TagInput) => delete dict[tagHex(toTag(tag))];
  const storedBefore = ds.number("BitsStored") ?? bits;
  const bitsStored = Math.min(bits, storedBefore);
  set("SamplesPerPixel", "US", [first.samplesPerPixel]);
  set("PhotometricInterpretation", "CS", [first.photometricInterpretation]);
  set("Rows", "US", [first.rows]);
  set("Columns", "US", [first.columns]);
  set("BitsAllocated", "US", [bits]);
  set("BitsStored", "US", [bitsStored]);
  set("HighBit", "US", [bitsStored - 1]);
  set("PixelRepresentation", "US", [signed ? 1 : 0]);
  if (first.samplesPerPixel === 3) set("PlanarConfiguration", "US", [0]);
  else remove("PlanarConfiguration");
  if (frames.length > 1 || ds.has("NumberOfFrames")) set("NumberOfFrames", "IS", [frames.length]);
  if (first.photometricInterpretation === "RGB") {
    for (const c of ["Red", "Green", "Blue"] as const) {
      remove(`${c}PaletteColorLookupTableDescriptor`);
      remove(`${c}PaletteColorLookupTableData`);
      remove(`Segmented${c}PaletteColorLookupTableData`);
    }
  }
  if (transferSyntax(ds.transferSyntaxUid)?.lossy === true) set("LossyImageCompression", "CS", ["01"]);
  remove("FloatPixelData");
  remove("DoubleFloatPixelData");
  set("PixelData", bits === 8 ? "OB" : "OW", [pixels.buffer]);
  const meta = cloneDict(ds.meta);
  meta["00020010"] = { vr: "UI", Value: [EXPLICIT_VR_LITTLE_ENDIAN] };
  return new DicomDataset({ meta, dict }, { ...ds.source, repairs: [...ds.source.repairs] });
}

/**
 * A deep copy of a dcmjs dict: sequence items and person names cloned, buffers copied (or shared,
 * with `shareBinary`, for a copy that only a writer reads).
 */
export function cloneDict(dict: dcmjs.DcmjsDict, options: { readonly shareBinary?: boolean } = {}): dcmjs.DcmjsDict {
  const out: dcmjs.DcmjsDict = {};
  const share = options.shareBinary === true;
  for (const [key, element] of Object.entries(dict)) {
    const copy: dcmjs.DcmjsElement = { vr: element.vr };
    if (element.Value !== undefined) copy.Value = element.Value.map((v) => cloneValue(v, element.vr, share));
    if (element.InlineBinary !== undefined) copy.InlineBinary = element.InlineBinary;
    out[key] = copy;
  }
  return out;
}

function cloneValue(value: unknown, vr: string, shareBinary: boolean): unknown {
  if (value instanceof ArrayBuffer) return shareBinary ? value : value.slice(0);
  if (ArrayBuffer.isView(value)) {
    return shareBinary && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength
      ? value.buffer
      : value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
  }
  if (Array.isArray(value)) return value.map((v) => cloneValue(v, vr, shareBinary));
  if (value !== null && typeof value === "object") {
    if (vr === "SQ") return cloneDict(value as dcmjs.DcmjsDict, { shareBinary });
    return { ...(value as Record<string, unknown>) };
  }
  return value;
}
