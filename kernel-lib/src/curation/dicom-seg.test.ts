import type * as dcmjs from "dcmjs";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { readDicom } from "../dicom/read";
import { DICOM_DATA } from "../dicom/test-support/corpus";
import { writeDicom } from "../dicom/write";
import type { Mask } from "./annotation";
import {
  type BinarySegmentation,
  type Segment,
  type Segmentation,
  type SegmentationInput,
  SegmentationError,
  readSegmentation,
  segmentationStudyFrom,
  validateSegmentationInput,
  writeSegmentation,
} from "./dicom-seg";

const PYDICOM_DATA = path.join(DICOM_DATA, "pydicom/pydicom-data");
const TEST_FILES = path.join(DICOM_DATA, "pydicom/test_files");
const LIVER = path.join(PYDICOM_DATA, "liver.dcm");

async function read(file: string): Promise<BinarySegmentation> {
  return binary(await readSegmentation(fs.readFileSync(file), { file }));
}

async function readBytes(bytes: Uint8Array): Promise<BinarySegmentation> {
  return binary(await readSegmentation(bytes));
}

function binary(seg: Segmentation): BinarySegmentation {
  if (seg.type !== "BINARY") throw new Error(`${seg.file} is ${seg.type}`);
  return seg;
}

/** The first 16 hex digits of the SHA-256 of a mask's bytes (one byte, 0 or 1, per pixel). */
function digest(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex").slice(0, 16);
}

function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Frames with each mask's bytes replaced by their full SHA-256: equal exactly when the bytes are (and fast to compare). */
function comparable<F extends { readonly mask: Mask }>(frames: readonly F[]): unknown[] {
  return frames.map((f) => ({
    ...f,
    mask: { ...f.mask, data: sha256(f.mask.data) },
  }));
}

/** A copy of an object without some of its properties. */
function without<T extends object, K extends keyof T>(value: T, ...keys: K[]): Omit<T, K> {
  const copy: Partial<T> = { ...value };
  for (const key of keys) delete copy[key];
  return copy as Omit<T, K>;
}

function count(data: Uint8Array): number {
  return data.reduce((n, v) => n + v, 0);
}

/** liver.dcm with its dataset edited, written again (Explicit VR Little Endian). */
function editedLiver(edit: (dict: dcmjs.DcmjsDict) => void): Uint8Array {
  const ds = readDicom(fs.readFileSync(LIVER), { file: LIVER });
  edit(ds.dict);
  return writeDicom(ds);
}

async function failure(promise: Promise<unknown>): Promise<SegmentationError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof SegmentationError)) throw new Error(`expected a SegmentationError, got ${String(error)}`);
  return error;
}

function thrown(run: () => unknown): SegmentationError {
  try {
    run();
  } catch (error) {
    if (error instanceof SegmentationError) return error;
    throw error;
  }
  throw new Error("expected a SegmentationError");
}

const CT = "1.2.840.10008.5.1.4.1.1.2";
const SOURCE_PREFIX = "1.2.392.200103.20080913.113635.2.2009.6.22.21.43.10";

// Independent figures, from pydicom 3.0.2 (`ds.pixel_array`, with pylibjpeg-openjpeg for JPEG 2000)
// on liver.dcm, liver_expb.dcm, liver_j2k.dcm, liver_1frame.dcm and the nonbyte_aligned equivalents,
// and for the deflate and RLE files (which pydicom 3.0 cannot decode at 1 bit) by inflating / PackBits-
// decoding pydicom's encapsulated frames by hand and unpacking the bits least significant first:
// foreground pixels per frame 36233, 35645, 35220 (107098 in all) in every file, and the SHA-256 (first
// 16 hex digits) of each frame's 0/1 bytes below. The 510 x 510 masks are the 512 x 512 ones cropped
// to their first 510 rows and columns (numpy: (a[:, :510, :510] == b).all()).
const FOREGROUND = [36233, 35645, 35220];
const DIGESTS_512 = ["e036a07b502fdfd1", "3478bdb213cf9846", "0673ae15a18b058e"];
const DIGESTS_510 = ["58317fad9a9ddeea", "a894d3db8b8d6b84", "df615a5433ff41e4"];

const LIVER_SEGMENT: Segment = {
  number: 1,
  label: "Liver",
  algorithmType: "SEMIAUTOMATIC",
  algorithmName: "SlicerEditor",
  category: { value: "T-D0050", scheme: "SRT", meaning: "Tissue" },
  type: { value: "T-62000", scheme: "SRT", meaning: "Liver" },
  recommendedDisplayCIELab: [41661, 41167, 40792],
};

describe("readSegmentation on pydicom's liver SEG files", () => {
  it("reads liver.dcm: one segment, three frames, their references, positions and exact masks", async () => {
    const seg = await read(LIVER);
    expect(seg.type).toBe("BINARY");
    expect([seg.rows, seg.columns, seg.frames.length]).toEqual([512, 512, 3]);
    expect(seg.segments).toEqual([LIVER_SEGMENT]);
    expect(seg.frames.map((f) => count(f.mask.data))).toEqual(FOREGROUND);
    expect(seg.frames.map((f) => digest(f.mask.data))).toEqual(DIGESTS_512);
    expect(seg.frames.map((f) => [f.mask.rows, f.mask.columns, f.mask.data.length])).toEqual([
      [512, 512, 262144],
      [512, 512, 262144],
      [512, 512, 262144],
    ]);
    expect(seg.frames.map(({ mask: _mask, ...rest }) => rest)).toEqual(
      [23433, 23432, 23431].map((n, i) => ({
        segment: 1,
        sourceImages: [{ sopClassUid: CT, sopInstanceUid: `${SOURCE_PREFIX}.${n}.1` }],
        imagePositionPatient: [-235.2, -226.8, -128.69 + i],
        dimensionIndexValues: [1, i + 1],
      })),
    );
    expect({ ...seg, frames: undefined, segments: undefined }).toEqual({
      file: LIVER,
      type: "BINARY",
      sopInstanceUid: "1.2.276.0.7230010.3.1.4.0.42154.1458337731.665796",
      seriesInstanceUid: "1.2.276.0.7230010.3.1.3.0.42154.1458337731.665795",
      study: {
        studyInstanceUid: "1.2.392.200103.20080913.113635.0.2009.6.22.21.43.10.22941.1",
        patientName: "JANCT000",
        patientId: "99000",
        patientSex: "M",
        studyDate: "20030417",
        studyTime: "104607",
        studyId: "1",
        accessionNumber: "03086212",
      },
      frameOfReferenceUid: "1.2.392.200103.20080913.113635.3.2009.6.22.21.44.34.23882.1",
      rows: 512,
      columns: 512,
      contentLabel: "QIICR QIN IOWA",
      seriesDescription: "Liver Segmentation",
      referencedSeries: [
        {
          seriesInstanceUid: "1.2.392.200103.20080913.113635.1.2009.6.22.21.43.10.23430.1",
          instances: [23433, 23432, 23431].map((n) => ({ sopClassUid: CT, sopInstanceUid: `${SOURCE_PREFIX}.${n}.1` })),
        },
      ],
      imageOrientationPatient: [1, 0, 0, 0, 1, 0],
      pixelSpacing: [0.810547, 0.810547],
      sliceThickness: 1,
      spacingBetweenSlices: 1,
      repairs: [],
    });
  });

  it.each(["liver_expb.dcm", "liver_rle.dcm", "liver_deflate.dcm", "liver_j2k.dcm"])(
    "decodes %s to exactly the masks, segments and frame references of liver.dcm",
    async (name) => {
      const reference = await read(LIVER);
      const seg = await read(path.join(PYDICOM_DATA, name));
      expect(seg.frames.map((f) => digest(f.mask.data))).toEqual(DIGESTS_512);
      expect(comparable(seg.frames)).toEqual(comparable(reference.frames));
      expect(seg.segments).toEqual(reference.segments);
      expect(seg.referencedSeries).toEqual(reference.referencedSeries);
    },
  );

  it.each([
    "liver_nonbyte_aligned.dcm",
    "liver_nonbyte_aligned_rle.dcm",
    "liver_nonbyte_aligned_deflate.dcm",
    "liver_nonbyte_aligned_j2k.dcm",
  ])("decodes %s (510 x 510, frames not byte-aligned) to liver.dcm's masks cropped to 510 x 510", async (name) => {
    const reference = await read(LIVER);
    const seg = await read(path.join(PYDICOM_DATA, name));
    expect([seg.rows, seg.columns, seg.frames.length]).toEqual([510, 510, 3]);
    expect(seg.segments).toEqual([LIVER_SEGMENT]);
    expect(seg.frames.map((f) => count(f.mask.data))).toEqual(FOREGROUND);
    expect(seg.frames.map((f) => digest(f.mask.data))).toEqual(DIGESTS_510);
    const cropped = reference.frames.map((f) => {
      const out = new Uint8Array(510 * 510);
      for (let y = 0; y < 510; y++) out.set(f.mask.data.subarray(y * 512, y * 512 + 510), y * 510);
      return out;
    });
    expect(seg.frames.map((f) => sha256(f.mask.data))).toEqual(cropped.map(sha256));
    expect(seg.frames.map((f) => f.segment)).toEqual([1, 1, 1]);
  });

  it.each(["liver_1frame.dcm", "liver_expb_1frame.dcm"])(
    "reads %s (no Number of Frames, three per-frame items) as liver.dcm's first frame, saying so",
    async (name) => {
      const reference = await read(LIVER);
      const seg = await read(path.join(TEST_FILES, name));
      expect(comparable(seg.frames)).toEqual(comparable(reference.frames.slice(0, 1)));
      expect(seg.repairs).toEqual([
        "(0028,0008) Number of Frames absent: read as 1 frame; 2 extra item(s) of (5200,9230) Per-Frame Functional Groups Sequence ignored",
      ]);
    },
  );

  it("reads a FRACTIONAL segmentation's values and maximum", async () => {
    const reference = await read(LIVER);
    const probabilities = new Uint8Array(3 * 512 * 512);
    reference.frames.forEach((f, i) => f.mask.data.forEach((v, p) => (probabilities[i * 512 * 512 + p] = v * 200)));
    const bytes = editedLiver((dict) => {
      dict["00620001"] = { vr: "CS", Value: ["FRACTIONAL"] };
      dict["00620010"] = { vr: "CS", Value: ["PROBABILITY"] };
      dict["0062000E"] = { vr: "US", Value: [200] };
      dict["00280100"] = { vr: "US", Value: [8] };
      dict["00280101"] = { vr: "US", Value: [8] };
      dict["00280102"] = { vr: "US", Value: [7] };
      dict["7FE00010"] = { vr: "OB", Value: [probabilities.buffer] };
    });
    const seg = await readSegmentation(bytes);
    if (seg.type !== "FRACTIONAL") throw new Error("expected FRACTIONAL");
    expect([seg.fractionalType, seg.maximumFractionalValue, seg.file]).toEqual(["PROBABILITY", 200, "(memory)"]);
    expect(seg.frames.map((f) => sha256(f.values))).toEqual(
      [0, 1, 2].map((i) => sha256(probabilities.subarray(i * 262144, (i + 1) * 262144))),
    );
    expect(seg.frames.map((f) => f.values.reduce((n, v) => n + v, 0))).toEqual(FOREGROUND.map((n) => n * 200));
  });
});

describe("readSegmentation failures", () => {
  it("refuses an image that is not a segmentation, naming the SOP class", async () => {
    const file = path.join(TEST_FILES, "CT_small.dcm");
    const error = await failure(readSegmentation(fs.readFileSync(file), { file }));
    expect([error.code, error.evidence]).toEqual(["dicom-seg", { file, tag: "(0008,0016) SOP Class UID" }]);
    expect(error.message).toBe(
      `${file} is not a segmentation: (0008,0016) SOP Class UID is 1.2.840.10008.5.1.4.1.1.2, not Segmentation Storage (1.2.840.10008.5.1.4.1.1.66.4).\n` +
        "How to fix: Read images with readDicom; readSegmentation reads DICOM SEG objects (modality SEG).",
    );
  });

  it("refuses a file without (0062,0002) Segment Sequence", async () => {
    const bytes = editedLiver((dict) => delete dict["00620002"]);
    const error = await failure(readSegmentation(bytes, { file: "no-segments.dcm" }));
    expect(error.evidence).toEqual({ file: "no-segments.dcm", tag: "(0062,0002) Segment Sequence" });
    expect(error.message).toBe(
      "no-segments.dcm has no (0062,0002) Segment Sequence: its frames cannot be named.\n" +
        "How to fix: The Segmentation Image module (PS3.3 C.8.20.2) requires one item per segment; the file is not a valid SEG.",
    );
  });

  it("refuses a per-frame functional groups count that does not match Number of Frames", async () => {
    const bytes = editedLiver((dict) => dict["52009230"]?.Value?.pop());
    const error = await failure(readSegmentation(bytes, { file: "short.dcm" }));
    expect(error.evidence).toEqual({ file: "short.dcm", tag: "(5200,9230) Per-Frame Functional Groups Sequence" });
    expect(error.message).toBe(
      "short.dcm has 2 item(s) in (5200,9230) Per-Frame Functional Groups Sequence but 3 frame(s) in (0028,0008) Number of Frames.\n" +
        "How to fix: Each frame needs exactly one per-frame functional groups item (PS3.3 C.7.6.16); the file is inconsistent.",
    );
  });

  it("refuses a frame that references a segment the Segment Sequence does not define", async () => {
    const bytes = editedLiver((dict) => {
      const frame = dict["52009230"]?.Value?.[1] as dcmjs.DcmjsDict;
      frame["0062000A"] = { vr: "SQ", Value: [{ "0062000B": { vr: "US", Value: [2] } }] };
    });
    const error = await failure(readSegmentation(bytes, { file: "seg2.dcm" }));
    expect([error.message, error.evidence]).toEqual([
      "PerFrameFunctionalGroupsSequence[1] of seg2.dcm references segment 2, which is not in (0062,0002) Segment Sequence (1).",
      { file: "seg2.dcm", tag: "(0062,000B) Referenced Segment Number", path: "PerFrameFunctionalGroupsSequence[1]" },
    ]);
  });

  it("refuses a LABELMAP segmentation with a hint, and a missing Type 1 segment attribute by name", async () => {
    const labelmap = await failure(
      readSegmentation(editedLiver((dict) => (dict["00620001"] = { vr: "CS", Value: ["LABELMAP"] }))),
    );
    expect(labelmap.message).toBe(
      '(memory) has (0062,0001) Segmentation Type "LABELMAP"; radlab reads BINARY and FRACTIONAL segmentations.\n' +
        "How to fix: Convert the label map to a BINARY segmentation (for example with highdicom) before reading it.",
    );
    const unlabelled = await failure(
      readSegmentation(editedLiver((dict) => delete (dict["00620002"]?.Value?.[0] as dcmjs.DcmjsDict)["00620005"])),
    );
    expect([unlabelled.message.split("\n")[0], unlabelled.evidence]).toEqual([
      "(0062,0005) Segment Label is missing or empty in SegmentSequence[0] of (memory).",
      { file: "(memory)", tag: "(0062,0005) Segment Label", path: "SegmentSequence[0]" },
    ]);
  });

  it("refuses a BINARY segmentation whose Bits Allocated is not 1, and a fractional value above the maximum", async () => {
    const eightBits = await failure(
      readSegmentation(editedLiver((dict) => (dict["00280100"] = { vr: "US", Value: [8] }))),
    );
    expect([eightBits.message, eightBits.evidence.tag]).toEqual([
      "(memory) is a BINARY segmentation with (0028,0100) Bits Allocated 8; it must be 1 (PS3.3 C.8.20.2).",
      "(0028,0100) Bits Allocated",
    ]);
    const values = new Uint8Array(3 * 512 * 512);
    values[262144 + 7] = 101;
    const above = await failure(
      readSegmentation(
        editedLiver((dict) => {
          dict["00620001"] = { vr: "CS", Value: ["FRACTIONAL"] };
          dict["00620010"] = { vr: "CS", Value: ["OCCUPANCY"] };
          dict["0062000E"] = { vr: "US", Value: [100] };
          dict["00280100"] = { vr: "US", Value: [8] };
          dict["00280101"] = { vr: "US", Value: [8] };
          dict["00280102"] = { vr: "US", Value: [7] };
          dict["7FE00010"] = { vr: "OB", Value: [values.buffer] };
        }),
      ),
    );
    expect([above.message, above.evidence.path]).toEqual([
      "Frame 2 of (memory) holds 101 at pixel 7, above the largest value 100 of a FRACTIONAL segmentation.",
      "PerFrameFunctionalGroupsSequence[1]",
    ]);
  });

  it("reports truncated pixel data as the frame that cannot be decoded, with the DICOM error as cause", async () => {
    const bytes = editedLiver((dict) => {
      const pixels = new Uint8Array(dict["7FE00010"]?.Value?.[0] as ArrayBuffer);
      dict["7FE00010"] = { vr: "OB", Value: [pixels.slice(0, 40000).buffer] };
    });
    const error = await failure(readSegmentation(bytes, { file: "cut.dcm" }));
    expect(error.message.split(":")[0]).toBe("Frame 2 of cut.dcm cannot be decoded");
    expect(error.evidence).toEqual({ file: "cut.dcm", tag: "(7FE0,0010) Pixel Data" });
    expect((error.cause as { code?: string }).code).toBe("pixel-module");
  });
});

/** A 5 x 3 mask from 15 characters, row by row ("1" inside). */
function mask(bits: string): Mask {
  return { rows: 3, columns: 5, data: Uint8Array.from(bits, (c) => (c === "1" ? 1 : 0)) };
}

const NODULE: Segment = {
  number: 1,
  label: "Nodule",
  algorithmType: "MANUAL",
  category: { value: "49755003", scheme: "SCT", meaning: "Morphologically Altered Structure" },
  type: { value: "27925004", scheme: "SCT", meaning: "Nodule" },
};
const VESSEL: Segment = {
  number: 2,
  label: "Vessel",
  description: "Pulmonary vessel, é",
  algorithmType: "AUTOMATIC",
  algorithmName: "radlab-threshold",
  category: { value: "91723000", scheme: "SCT", meaning: "Anatomical Structure" },
  type: { value: "urn:radlab:vessel", scheme: "99RADLAB", meaning: "Vessel", schemeVersion: "1" },
  recommendedDisplayCIELab: [1, 2, 65535],
};
const source = (n: number) => ({ sopClassUid: CT, sopInstanceUid: `1.2.3.4.${n}` });
const SOURCE_1 = { ...source(1), spatialLocationsPreserved: "YES" } as const;
const SOURCE_2_FRAME_1 = { ...source(2), frameNumbers: [1] };
const SMALL: SegmentationInput = {
  study: { studyInstanceUid: "1.2.3", patientName: "Doe^Jane", patientId: "P1", studyDate: "20240102" },
  frameOfReferenceUid: "1.2.3.9",
  rows: 3,
  columns: 5,
  segments: [NODULE, VESSEL],
  frames: [
    { segment: 1, mask: mask("100000000000001"), sourceImages: [SOURCE_1], imagePositionPatient: [0, 0, 2] },
    { segment: 1, mask: mask("011111111111110"), sourceImages: [source(2)], imagePositionPatient: [0, 0, 1] },
    { segment: 2, mask: mask("110000000000011"), sourceImages: [SOURCE_2_FRAME_1], imagePositionPatient: [0, 0, 1] },
  ],
  referencedSeries: [{ seriesInstanceUid: "1.2.3.4", instances: [source(1), source(2)] }],
  imageOrientationPatient: [1, 0, 0, 0, 1, 0],
  pixelSpacing: [0.5, 0.75],
  sliceThickness: 1.25,
  contentLabel: "NODULES",
  seriesDescription: "Nodules",
};
const UIDS = {
  seriesInstanceUid: "2.25.1",
  sopInstanceUid: "2.25.2",
  contentDateTime: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
};

// Peer checks of the writer, run once by hand on files it wrote (SMALL, SMALL without a frame of
// reference, and liver.dcm, liver_rle.dcm, liver_nonbyte_aligned.dcm / _j2k.dcm read and written
// again): dicom3tools' dciodvfy reports no error for the Segmentation IOD (only the source's own
// warnings: retired PN form, SRT codes); pydicom 3.0.2's pixel_array gives back exactly the masks
// written (the 5 x 3 frames too, so the packing across byte boundaries agrees); highdicom 0.28.2's
// segread reads every one, and its get_volume / get_pixels_by_source_instance give 107098 liver pixels.
describe("writeSegmentation", () => {
  it("round-trips 5 x 3 frames (15 bits each) with segments, references and positions exactly", async () => {
    const seg = await readBytes(writeFile(SMALL));
    expect(seg.frames.map((f) => f.mask)).toEqual(SMALL.frames.map((f) => f.mask));
    expect(seg.segments).toEqual([NODULE, VESSEL]);
    expect(seg.frames.map(({ mask: _mask, ...rest }) => rest)).toEqual([
      { segment: 1, sourceImages: [SOURCE_1], imagePositionPatient: [0, 0, 2], dimensionIndexValues: [1, 2] },
      { segment: 1, sourceImages: [source(2)], imagePositionPatient: [0, 0, 1], dimensionIndexValues: [1, 1] },
      { segment: 2, sourceImages: [SOURCE_2_FRAME_1], imagePositionPatient: [0, 0, 1], dimensionIndexValues: [2, 1] },
    ]);
    expect({ ...seg, frames: undefined, segments: undefined, file: undefined }).toEqual({
      type: "BINARY",
      sopInstanceUid: "2.25.2",
      seriesInstanceUid: "2.25.1",
      study: SMALL.study,
      frameOfReferenceUid: "1.2.3.9",
      rows: 3,
      columns: 5,
      contentLabel: "NODULES",
      seriesDescription: "Nodules",
      referencedSeries: SMALL.referencedSeries,
      imageOrientationPatient: [1, 0, 0, 0, 1, 0],
      pixelSpacing: [0.5, 0.75],
      sliceThickness: 1.25,
      repairs: [],
    });
  });

  it("packs the bits of all frames back to back, least significant bit first, padded to an even length", () => {
    const ds = readDicom(writeFile(SMALL));
    // Written by hand: the 45 bits 100000000000001 011111111111110 110000000000011 in order, each
    // byte read from its last bit to its first (bit 0 is the first pixel).
    const bits = "100000000000001" + "011111111111110" + "110000000000011";
    const expected = [0, 1, 2, 3, 4, 5].map((b) =>
      parseInt([...bits.padEnd(48, "0").slice(b * 8, b * 8 + 8)].reverse().join(""), 2),
    );
    expect([...(ds.bytes("PixelData") ?? [])]).toEqual(expected);
    expect(expected).toEqual([0x01, 0x40, 0xff, 0xdf, 0x00, 0x18]);
    expect([
      ds.string("SOPClassUID"),
      ds.transferSyntaxUid,
      ds.number("NumberOfFrames"),
      ds.number("BitsAllocated"),
    ]).toEqual(["1.2.840.10008.5.1.4.1.1.66.4", "1.2.840.10008.1.2.1", 3, 1]);
    expect([
      ds.string("Modality"),
      ds.string("SegmentationType"),
      ds.strings("ImageType"),
      ds.string("ContentDate"),
      ds.string("ContentTime"),
    ]).toEqual(["SEG", "BINARY", ["DERIVED", "PRIMARY"], "20240102", "030405"]);
    const dimensions = ds
      .sequence("DimensionIndexSequence")
      .map((d) => [d.numbers("DimensionIndexPointer"), d.numbers("FunctionalGroupPointer")]);
    expect(dimensions).toEqual([
      [[0x0062000b], [0x0062000a]],
      [[0x00200032], [0x00209113]],
    ]);
  });

  it("writes the same bytes for the same input, UIDs and time; new 2.25 UIDs otherwise", () => {
    expect(Buffer.from(writeFile(SMALL)).equals(Buffer.from(writeFile(SMALL)))).toBe(true);
    const a = readDicom(writeSegmentation(SMALL));
    const b = readDicom(writeSegmentation(SMALL));
    const uids = [a, b].map((ds) => [ds.string("SeriesInstanceUID") ?? "", ds.string("SOPInstanceUID") ?? ""]);
    expect(uids.flat().every((uid) => /^2\.25\.[1-9][0-9]*$/.test(uid) && uid.length <= 64)).toBe(true);
    expect(new Set(uids.flat()).size).toBe(4);
  });

  it("writes frames without a frame of reference: no positions, the segment as the only dimension", async () => {
    const flat: SegmentationInput = {
      ...without(SMALL, "frameOfReferenceUid", "imageOrientationPatient"),
      frames: SMALL.frames.map((frame) => without(frame, "imagePositionPatient")),
    };
    const seg = await readBytes(writeFile(flat));
    expect(seg.frames.map((f) => [f.segment, f.dimensionIndexValues, f.imagePositionPatient])).toEqual([
      [1, [1], undefined],
      [1, [1], undefined],
      [2, [2], undefined],
    ]);
    expect([seg.frameOfReferenceUid, seg.imageOrientationPatient, seg.pixelSpacing]).toEqual([
      undefined,
      undefined,
      [0.5, 0.75],
    ]);
    expect(seg.frames.map((f) => f.mask)).toEqual(SMALL.frames.map((f) => f.mask));
  });

  it("round-trips liver.dcm: read, write, read gives identical masks, segments and references", async () => {
    const original = await read(LIVER);
    const again = await readBytes(writeFile(original));
    expect(comparable(again.frames)).toEqual(comparable(original.frames));
    expect(again.frames.map((f) => digest(f.mask.data))).toEqual(DIGESTS_512);
    expect(again.segments).toEqual(original.segments);
    const keep = (s: BinarySegmentation) => ({
      ...s,
      frames: undefined,
      file: undefined,
      sopInstanceUid: undefined,
      seriesInstanceUid: undefined,
    });
    expect(keep(again)).toEqual(keep(original));
    expect([again.sopInstanceUid, again.seriesInstanceUid]).toEqual(["2.25.2", "2.25.1"]);
  });

  it("takes the study of a source image with segmentationStudyFrom", () => {
    const ct = readDicom(fs.readFileSync(path.join(TEST_FILES, "CT_small.dcm")));
    expect(segmentationStudyFrom(ct)).toMatchObject({
      studyInstanceUid: "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322",
      patientName: "CompressedSamples^CT1",
      patientId: "1CT1",
    });
  });
});

function writeFile(input: SegmentationInput): Uint8Array {
  return writeSegmentation(input, UIDS);
}

describe("writeSegmentation failures", () => {
  it("refuses a mask of the wrong size, naming the frame, with every other problem too", () => {
    const input: SegmentationInput = {
      ...SMALL,
      frames: [
        { ...SMALL.frames[0]!, mask: { rows: 3, columns: 4, data: new Uint8Array(12) } },
        { ...SMALL.frames[1]!, segment: 3 },
        {
          ...SMALL.frames[2]!,
          mask: { rows: 3, columns: 5, data: Uint8Array.of(...new Array<number>(14).fill(0), 2) },
          sourceImages: [source(7)],
        },
      ],
    };
    const error = thrown(() => writeSegmentation(input));
    expect(error.issues).toEqual([
      {
        code: "mask-size",
        path: "frames[0].mask",
        message: "The mask is 4x3 with 12 values; the segmentation is 5x3 (15 values).",
      },
      {
        code: "unknown-segment",
        path: "frames[1].segment",
        message: "Frame 1 references segment 3, which is not in segments.",
      },
      { code: "mask-values", path: "frames[2].mask.data[14]", message: "A mask holds 0 or 1; pixel 14 is 2." },
      {
        code: "unlisted-source",
        path: "frames[2].sourceImages[0]",
        message: "Source image 1.2.3.4.7 is not listed in referencedSeries (0008,1115).",
      },
    ]);
    expect([error.code, error.evidence]).toEqual(["dicom-seg", { path: "frames[0].mask" }]);
    expect(error.message.split("\n")).toEqual([
      "The segmentation cannot be written: 4 problem(s): frames[0].mask: The mask is 4x3 with 12 values; the segmentation is 5x3 (15 values).; " +
        "frames[1].segment: Frame 1 references segment 3, which is not in segments.; " +
        "frames[2].mask.data[14]: A mask holds 0 or 1; pixel 14 is 2.; " +
        "frames[2].sourceImages[0]: Source image 1.2.3.4.7 is not listed in referencedSeries (0008,1115).",
      "How to fix: Fix each listed problem (error.issues holds them with their paths) and write again.",
    ]);
  });

  it("lists segment numbering, algorithm name, content label, UID and geometry problems", () => {
    const issues = validateSegmentationInput({
      ...without(SMALL, "pixelSpacing", "spacingBetweenSlices"),
      study: { studyInstanceUid: "1.2.03" },
      contentLabel: "nodules",
      segments: [NODULE, { ...VESSEL, number: 3, algorithmName: " " }],
      frames: [SMALL.frames[0]!, { ...SMALL.frames[0]! }, { segment: 1, mask: mask("000000000000000") }],
    });
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ["uid", "study.studyInstanceUid"],
      ["content-label", "contentLabel"],
      ["segment-numbers", "segments[1].number"],
      ["segment", "segments[1].algorithmName"],
      ["geometry", "pixelSpacing"],
      ["duplicate-frame", "frames[1]"],
      ["geometry", "frames[2].imagePositionPatient"],
    ]);
    expect(issues[2]?.message).toBe(
      "Segment 2 is numbered 3; segment numbers start at 1 and increase by 1 (PS3.3 C.8.20.2.5).",
    );
    expect(validateSegmentationInput(SMALL)).toEqual([]);
    expect(validateSegmentationInput(without(SMALL, "sliceThickness"))).toEqual([
      {
        code: "geometry",
        path: "sliceThickness",
        message:
          "Pixel spacing needs the slice thickness too (Pixel Measures macro, PS3.3 C.7.6.16.2.1; highdicom reads none without).",
      },
    ]);
    expect(thrown(() => writeSegmentation(SMALL, { sopInstanceUid: "not a uid" })).issues).toEqual([
      {
        code: "uid",
        path: "options.sopInstanceUid",
        message: '"not a uid" is not a UID (digits and dots, 64 at most).',
      },
    ]);
  });
});
