import type * as dcmjs from "dcmjs";
import { createHash, randomUUID } from "node:crypto";
import { RadlabError, type RadlabErrorOptions } from "../core/radlab-error";
import { DicomDataset } from "../dicom/dataset";
import type { Keyword } from "../dicom/dictionary/attributes.generated";
import { lookupKeyword } from "../dicom/dictionary/dictionary";
import { decodeFrame } from "../dicom/pixels/decode-frame";
import { imagePixelInfo } from "../dicom/pixels/image-pixel-info";
import { readDicom } from "../dicom/read";
import { formatTag, tagHex } from "../dicom/tag";
import { EXPLICIT_VR_LITTLE_ENDIAN } from "../dicom/transfer-syntax";
import { writeDicom } from "../dicom/write";
import { RADLAB_IMPLEMENTATION_CLASS_UID } from "../dicom/write";
import type { Mask } from "./annotation";

/**
 * DICOM Segmentation objects (SEG, PS3.3 A.51 and C.8.20): masks over the frames of source images,
 * one frame per segment and source frame, described by the Segment Sequence and the functional
 * groups of the Multi-frame Functional Groups module (C.7.6.16).
 */

/** (0008,0016) SOP Class UID of Segmentation Storage (PS3.4 B.5). */
export const SEGMENTATION_STORAGE_SOP_CLASS_UID = "1.2.840.10008.5.1.4.1.1.66.4";

/** A coded concept from a Code Sequence (PS3.3 8.8): code value, coding scheme designator and meaning. */
export interface CodedConcept {
  /** (0008,0100) Code Value; (0008,0119) Long Code Value or (0008,0120) URN Code Value when it holds the code. */
  readonly value: string;
  /** (0008,0102) Coding Scheme Designator, for example `SCT` or `DCM`. */
  readonly scheme: string;
  /** (0008,0104) Code Meaning. */
  readonly meaning: string;
  /** (0008,0103) Coding Scheme Version. */
  readonly schemeVersion?: string;
}

/** (0062,0008) Segment Algorithm Type (PS3.3 C.8.20.2.3). */
export type SegmentAlgorithmType = "AUTOMATIC" | "SEMIAUTOMATIC" | "MANUAL";

/** One item of (0062,0002) Segment Sequence: the Segment Description macro (PS3.3 Table 10-32). */
export interface Segment {
  /** (0062,0004) Segment Number: 1 for the first segment, increasing by 1. */
  readonly number: number;
  /** (0062,0005) Segment Label. */
  readonly label: string;
  /** (0062,0006) Segment Description. */
  readonly description?: string;
  readonly algorithmType: SegmentAlgorithmType;
  /** (0062,0009) Segment Algorithm Name: required unless the algorithm type is `MANUAL`. */
  readonly algorithmName?: string;
  /** (0062,0003) Segmented Property Category Code Sequence, for example SCT 123037004 "Anatomical Structure". */
  readonly category: CodedConcept;
  /** (0062,000F) Segmented Property Type Code Sequence, for example SCT 10200004 "Liver". */
  readonly type: CodedConcept;
  /** (0062,000D) Recommended Display CIELab Value: L*, a*, b* scaled to 0-65535 (PS3.3 C.10.7.1.1). */
  readonly recommendedDisplayCIELab?: readonly [number, number, number];
}

/** An image a frame was derived from: one item of (0008,2112) Source Image Sequence. */
export interface SourceImageReference {
  /** (0008,1150) Referenced SOP Class UID. */
  readonly sopClassUid: string;
  /** (0008,1155) Referenced SOP Instance UID. */
  readonly sopInstanceUid: string;
  /** (0008,1160) Referenced Frame Number (1-based), for multi-frame sources; absent for single-frame ones. */
  readonly frameNumbers?: readonly number[];
  /**
   * (0028,135A) Spatial Locations Preserved: `YES` when the frame's pixels lie on the source's pixel
   * grid. Viewers and highdicom index a segmentation by its source frames only when it is `YES`.
   */
  readonly spatialLocationsPreserved?: "YES" | "NO" | "REORIENTED_ONLY";
}

/** A series the segmentation references: one item of (0008,1115) Referenced Series Sequence (PS3.3 C.12.2). */
export interface ReferencedSeries {
  /** (0020,000E) Series Instance UID. */
  readonly seriesInstanceUid: string;
  /** (0008,114A) Referenced Instance Sequence. */
  readonly instances: readonly { readonly sopClassUid: string; readonly sopInstanceUid: string }[];
}

/**
 * The Patient and General Study modules of a segmentation (PS3.3 C.7.1.1, C.7.2.1), copied from the
 * source images. Absent values are written empty (they are Type 2). Holds identifying data as the
 * source does.
 */
export interface SegmentationStudy {
  /** (0020,000D) Study Instance UID. */
  readonly studyInstanceUid: string;
  /** (0010,0010) Patient's Name, alphabetic group. */
  readonly patientName?: string;
  /** (0010,0020) Patient ID. */
  readonly patientId?: string;
  /** (0010,0030) Patient's Birth Date, `YYYYMMDD`. */
  readonly patientBirthDate?: string;
  /** (0010,0040) Patient's Sex. */
  readonly patientSex?: string;
  /** (0008,0020) Study Date, `YYYYMMDD`. */
  readonly studyDate?: string;
  /** (0008,0030) Study Time. */
  readonly studyTime?: string;
  /** (0020,0010) Study ID. */
  readonly studyId?: string;
  /** (0008,0050) Accession Number. */
  readonly accessionNumber?: string;
  /** (0008,0090) Referring Physician's Name, alphabetic group. */
  readonly referringPhysicianName?: string;
}

/** What every frame of a segmentation carries besides its pixels (from its functional groups). */
export interface SegmentationFrameBase {
  /** (0062,000B) Referenced Segment Number in (0062,000A) Segment Identification Sequence. */
  readonly segment: number;
  /** (0008,2112) Source Image Sequence in (0008,9124) Derivation Image Sequence; empty when the frame has none. */
  readonly sourceImages: readonly SourceImageReference[];
  /** (0020,0032) Image Position (Patient) in (0020,9113) Plane Position Sequence, in mm. */
  readonly imagePositionPatient?: readonly [number, number, number];
  /** (0020,9157) Dimension Index Values in (0020,9111) Frame Content Sequence; empty when absent. */
  readonly dimensionIndexValues: readonly number[];
}

/** A frame of a BINARY segmentation: the mask of one segment (1 inside). */
export interface BinarySegmentationFrame extends SegmentationFrameBase {
  readonly mask: Mask;
}

/** A frame of a FRACTIONAL segmentation: row-major values from 0 to the maximum fractional value. */
export interface FractionalSegmentationFrame extends SegmentationFrameBase {
  readonly values: Uint8Array;
}

/** What a segmentation holds whatever its type. */
export interface SegmentationBase {
  /** The file it was read from, or `(memory)`. */
  readonly file: string;
  /** (0008,0018) SOP Instance UID. */
  readonly sopInstanceUid: string;
  /** (0020,000E) Series Instance UID. */
  readonly seriesInstanceUid: string;
  readonly study: SegmentationStudy;
  /** (0020,0052) Frame of Reference UID; absent when the source images have none. */
  readonly frameOfReferenceUid?: string;
  /** (0028,0010) Rows. */
  readonly rows: number;
  /** (0028,0011) Columns. */
  readonly columns: number;
  /** (0070,0080) Content Label. */
  readonly contentLabel?: string;
  /** (0008,103E) Series Description. */
  readonly seriesDescription?: string;
  readonly segments: readonly Segment[];
  /** (0008,1115) Referenced Series Sequence. */
  readonly referencedSeries: readonly ReferencedSeries[];
  /** (0020,0037) Image Orientation (Patient) in (0020,9116) Plane Orientation Sequence. */
  readonly imageOrientationPatient?: readonly [number, number, number, number, number, number];
  /** (0028,0030) Pixel Spacing (row spacing, column spacing) in (0028,9110) Pixel Measures Sequence, in mm. */
  readonly pixelSpacing?: readonly [number, number];
  /** (0018,0050) Slice Thickness in (0028,9110) Pixel Measures Sequence, in mm. */
  readonly sliceThickness?: number;
  /** (0018,0088) Spacing Between Slices in (0028,9110) Pixel Measures Sequence, in mm. */
  readonly spacingBetweenSlices?: number;
  /** What the reader repaired to read the file (the DICOM reader's repairs included); empty for well-formed files. */
  readonly repairs: readonly string[];
}

/** A BINARY segmentation (one bit per pixel). */
export interface BinarySegmentation extends SegmentationBase {
  /** (0062,0001) Segmentation Type. */
  readonly type: "BINARY";
  readonly frames: readonly BinarySegmentationFrame[];
}

/** A FRACTIONAL segmentation (8 bits per pixel: a probability or an occupancy). */
export interface FractionalSegmentation extends SegmentationBase {
  /** (0062,0001) Segmentation Type. */
  readonly type: "FRACTIONAL";
  /** (0062,0010) Segmentation Fractional Type. */
  readonly fractionalType: "PROBABILITY" | "OCCUPANCY";
  /** (0062,000E) Maximum Fractional Value: the value that means 1.0. */
  readonly maximumFractionalValue: number;
  readonly frames: readonly FractionalSegmentationFrame[];
}

/** A segmentation as read from a file: BINARY or FRACTIONAL, told apart by `type`. */
export type Segmentation = BinarySegmentation | FractionalSegmentation;

/** Options of {@link readSegmentation}. */
export interface ReadSegmentationOptions {
  /** The file name used in messages and kept on the result (default `(memory)`). */
  readonly file?: string;
}

/** One frame to write: the mask of one segment, and what it was derived from. */
export interface SegmentationFrameInput {
  readonly segment: number;
  readonly mask: Mask;
  /** The source images of the frame; each must be listed in {@link SegmentationInput.referencedSeries}. */
  readonly sourceImages?: readonly SourceImageReference[];
  /** Required on every frame when {@link SegmentationInput.frameOfReferenceUid} is given, forbidden otherwise. */
  readonly imagePositionPatient?: readonly [number, number, number];
}

/**
 * What {@link writeSegmentation} writes as a BINARY segmentation. A {@link BinarySegmentation} read
 * by {@link readSegmentation} is one, so a segmentation can be read, edited and written again.
 */
export interface SegmentationInput {
  readonly study: SegmentationStudy;
  /**
   * (0020,0052) Frame of Reference UID of the source images. With it, `imageOrientationPatient`,
   * `pixelSpacing` and every frame's `imagePositionPatient` are required (PS3.3 Table A.51-2).
   */
  readonly frameOfReferenceUid?: string;
  readonly rows: number;
  readonly columns: number;
  readonly segments: readonly Segment[];
  readonly frames: readonly SegmentationFrameInput[];
  readonly referencedSeries?: readonly ReferencedSeries[];
  /** (0020,0037) Image Orientation (Patient), written in the shared Plane Orientation Sequence. */
  readonly imageOrientationPatient?: readonly [number, number, number, number, number, number];
  /** (0028,0030) Pixel Spacing in the shared Pixel Measures Sequence; needs `sliceThickness` too. */
  readonly pixelSpacing?: readonly [number, number];
  readonly sliceThickness?: number;
  readonly spacingBetweenSlices?: number;
  /** (0070,0080) Content Label: up to 16 of A-Z, 0-9, space and underscore (default `SEGMENTATION`). */
  readonly contentLabel?: string;
  /** (0070,0081) Content Description. */
  readonly contentDescription?: string;
  /** (0070,0084) Content Creator's Name. */
  readonly contentCreatorName?: string;
  /** (0008,103E) Series Description. */
  readonly seriesDescription?: string;
  /** (0020,0011) Series Number (default 1). */
  readonly seriesNumber?: number;
  /** (0020,0013) Instance Number (default 1). */
  readonly instanceNumber?: number;
}

/** The Enhanced General Equipment module (PS3.3 C.7.5.2) of a written segmentation. */
export interface SegmentationEquipment {
  /** (0008,0070) Manufacturer. */
  readonly manufacturer: string;
  /** (0008,1090) Manufacturer's Model Name. */
  readonly manufacturerModelName: string;
  /** (0018,1000) Device Serial Number. */
  readonly deviceSerialNumber: string;
  /** (0018,1020) Software Versions. */
  readonly softwareVersions: string;
}

/** Options of {@link writeSegmentation}; give all three UIDs-and-time options for byte-identical output. */
export interface WriteSegmentationOptions {
  /** (0020,000E) Series Instance UID; default a new `2.25.` UID from a random UUID (PS3.5 B.2). */
  readonly seriesInstanceUid?: string;
  /** (0008,0018) SOP Instance UID; default a new `2.25.` UID from a random UUID. */
  readonly sopInstanceUid?: string;
  /** (0008,0023) Content Date and (0008,0033) Content Time, written in UTC; default now. */
  readonly contentDateTime?: Date;
  /** Default manufacturer `radlab`, model `radlab`, serial number `0`, software `radlab dicom-seg`. */
  readonly equipment?: SegmentationEquipment;
}

/** What is wrong with a {@link SegmentationInput}, by kind. */
export type SegmentationIssueCode =
  | "no-frames"
  | "size"
  | "mask-size"
  | "mask-values"
  | "segment-numbers"
  | "segment"
  | "unknown-segment"
  | "code"
  | "uid"
  | "content-label"
  | "geometry"
  | "unlisted-source"
  | "duplicate-frame";

/** One problem found in a {@link SegmentationInput}: `path` points into it, for example `frames[2].mask`. */
export interface SegmentationIssue {
  readonly code: SegmentationIssueCode;
  readonly path: string;
  readonly message: string;
}

/** Options of {@link SegmentationError}. */
export interface SegmentationErrorOptions extends RadlabErrorOptions {
  /** Every problem found in an input to write (empty for errors reading a file). */
  readonly issues?: readonly SegmentationIssue[];
}

/**
 * Why a segmentation could not be read or written (code `dicom-seg`). Reading names the file and
 * the tag; writing lists every problem of the input in {@link SegmentationError.issues}.
 *
 * @example
 * ```ts
 * import { SegmentationError } from "@radlab/kernel";
 * const error = new SegmentationError("liver.dcm has no (0062,0002) Segment Sequence.", {
 *   file: "liver.dcm",
 *   tag: "(0062,0002) Segment Sequence",
 * });
 * error.code; // "dicom-seg"
 * ```
 */
export class SegmentationError extends RadlabError {
  declare readonly code: "dicom-seg";
  readonly issues: readonly SegmentationIssue[];

  constructor(message: string, options: SegmentationErrorOptions = {}) {
    const { issues = [], ...rest } = options;
    super("dicom-seg", message, rest);
    this.issues = Object.freeze([...issues]);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * Reads a DICOM Segmentation (PS3.3 A.51): the segments of (0062,0002) Segment Sequence and one
 * mask (BINARY) or array of values (FRACTIONAL) per frame, with the segment, source images, position
 * and dimension index values of its Per-Frame (5200,9230) or Shared (5200,9229) Functional Groups.
 * Every transfer syntax the DICOM reader decodes is read, including 1-bit frames that do not start
 * on a byte boundary (PS3.5 8.1.1). A file without (0028,0008) Number of Frames is read as one
 * frame; extra per-frame items are then ignored and listed in `repairs`.
 *
 * @param bytes - A DICOM Part 10 file.
 * @returns A new segmentation; the masks are new arrays the caller owns.
 * @throws {@link SegmentationError} (`dicom-seg`) naming the file and the tag: not a Segmentation
 *   Storage instance, an unsupported (0062,0001) Segmentation Type, a missing or malformed Segment
 *   Sequence or functional group, a frame count that does not match (0028,0008) Number of Frames,
 *   a frame referencing an unknown segment, or a frame that cannot be decoded (the DICOM error as
 *   `cause`). The DICOM reader's `DicomError` when the bytes are not DICOM.
 * @example
 * ```ts
 * import { readSegmentation } from "@radlab/kernel";
 * import { readFileSync } from "node:fs";
 * const seg = await readSegmentation(readFileSync("liver.dcm"), { file: "liver.dcm" });
 * seg.segments.map((s) => s.label); // ["Liver"]
 * seg.frames.length; // 3
 * ```
 */
export async function readSegmentation(
  bytes: Uint8Array,
  options: ReadSegmentationOptions = {},
): Promise<Segmentation> {
  const ds = readDicom(bytes, options.file === undefined ? {} : { file: options.file });
  const file = ds.file;
  const sopClass = ds.string("SOPClassUID")?.trim() ?? "";
  if (sopClass !== SEGMENTATION_STORAGE_SOP_CLASS_UID) {
    throw new SegmentationError(
      `${file} is not a segmentation: ${formatTag("SOPClassUID")} is ${sopClass === "" ? "absent" : sopClass}, not Segmentation Storage (${SEGMENTATION_STORAGE_SOP_CLASS_UID}).`,
      {
        file,
        tag: formatTag("SOPClassUID"),
        hint: "Read images with readDicom; readSegmentation reads DICOM SEG objects (modality SEG).",
      },
    );
  }
  const type = (ds.string("SegmentationType") ?? "").trim();
  if (type !== "BINARY" && type !== "FRACTIONAL") {
    throw new SegmentationError(
      `${file} has ${formatTag("SegmentationType")} ${type === "" ? "absent" : `"${type}"`}; radlab reads BINARY and FRACTIONAL segmentations.`,
      {
        file,
        tag: formatTag("SegmentationType"),
        hint:
          type === "LABELMAP"
            ? "Convert the label map to a BINARY segmentation (for example with highdicom) before reading it."
            : "The Segmentation Image module (PS3.3 C.8.20.2) requires BINARY, FRACTIONAL or LABELMAP.",
      },
    );
  }
  const segments = readSegments(ds);
  const info = pixelInfo(ds);
  const expectedBits = type === "BINARY" ? 1 : 8;
  if (info.bitsAllocated !== expectedBits) {
    throw new SegmentationError(
      `${file} is a ${type} segmentation with ${formatTag("BitsAllocated")} ${info.bitsAllocated}; it must be ${expectedBits} (PS3.3 C.8.20.2).`,
      { file, tag: formatTag("BitsAllocated") },
    );
  }
  const repairs = [...ds.repairs];
  const perFrame = ds.sequence("PerFrameFunctionalGroupsSequence");
  const shared = ds.sequence("SharedFunctionalGroupsSequence")[0];
  const frameCount = info.numberOfFrames;
  if (perFrame.length < frameCount || (perFrame.length > frameCount && ds.has("NumberOfFrames"))) {
    throw new SegmentationError(
      `${file} has ${perFrame.length} item(s) in ${formatTag("PerFrameFunctionalGroupsSequence")} but ${frameCount} frame(s) in ${formatTag("NumberOfFrames")}.`,
      {
        file,
        tag: formatTag("PerFrameFunctionalGroupsSequence"),
        hint: "Each frame needs exactly one per-frame functional groups item (PS3.3 C.7.6.16); the file is inconsistent.",
      },
    );
  }
  if (perFrame.length > frameCount) {
    repairs.push(
      `${formatTag("NumberOfFrames")} absent: read as 1 frame; ${perFrame.length - frameCount} extra item(s) of ${formatTag("PerFrameFunctionalGroupsSequence")} ignored`,
    );
  }
  const known = new Set(segments.map((s) => s.number));
  const fractional = type === "FRACTIONAL" ? fractionalParameters(ds) : undefined;
  const maximumFractionalValue = fractional?.maximumFractionalValue ?? 1;
  const frames: (SegmentationFrameBase & { samples: Uint8Array })[] = [];
  for (let i = 0; i < frameCount; i++) {
    const path = `PerFrameFunctionalGroupsSequence[${i}]`;
    const group = perFrame[i];
    const meta = readFrameMeta(ds, group, shared, path, known);
    const samples = await decodeSegmentationFrame(ds, i);
    const tooLarge = samples.findIndex((v) => v > maximumFractionalValue);
    if (tooLarge >= 0) {
      throw new SegmentationError(
        `Frame ${i + 1} of ${file} holds ${samples[tooLarge]} at pixel ${tooLarge}, above the largest value ${maximumFractionalValue} of a ${type} segmentation.`,
        { file, tag: formatTag("PixelData"), path },
      );
    }
    frames.push({ ...meta, samples });
  }
  const geometry = readGeometry(ds, perFrame.slice(0, frameCount), shared);
  const base = {
    file,
    sopInstanceUid: requiredString(ds, "SOPInstanceUID"),
    seriesInstanceUid: requiredString(ds, "SeriesInstanceUID"),
    study: segmentationStudyFrom(ds),
    ...optional("frameOfReferenceUid", nonEmpty(ds.string("FrameOfReferenceUID"))),
    rows: info.rows,
    columns: info.columns,
    ...optional("contentLabel", nonEmpty(ds.string("ContentLabel"))),
    ...optional("seriesDescription", nonEmpty(ds.string("SeriesDescription"))),
    segments,
    referencedSeries: readReferencedSeries(ds),
    ...geometry,
    repairs,
  };
  const strip = ({ samples: _samples, ...rest }: SegmentationFrameBase & { samples: Uint8Array }) => rest;
  if (fractional === undefined) {
    return {
      ...base,
      type: "BINARY",
      frames: frames.map((f) => ({ ...strip(f), mask: { rows: info.rows, columns: info.columns, data: f.samples } })),
    };
  }
  return {
    ...base,
    type: "FRACTIONAL",
    ...fractional,
    frames: frames.map((f) => ({ ...strip(f), values: f.samples })),
  };
}

/**
 * The Patient and General Study modules of a dataset, for example a source image of a segmentation
 * to write. Empty (Type 2) values are left out.
 *
 * @throws {@link SegmentationError} when (0020,000D) Study Instance UID is missing.
 * @example
 * ```ts
 * import { readDicomFile, segmentationStudyFrom } from "@radlab/kernel";
 * const study = segmentationStudyFrom(readDicomFile("CT_small.dcm"));
 * study.studyInstanceUid; // "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322"
 * ```
 */
export function segmentationStudyFrom(ds: DicomDataset): SegmentationStudy {
  return {
    studyInstanceUid: requiredString(ds, "StudyInstanceUID"),
    ...optional("patientName", nonEmpty(ds.string("PatientName"))),
    ...optional("patientId", nonEmpty(ds.string("PatientID"))),
    ...optional("patientBirthDate", nonEmpty(ds.string("PatientBirthDate"))),
    ...optional("patientSex", nonEmpty(ds.string("PatientSex"))),
    ...optional("studyDate", nonEmpty(ds.string("StudyDate"))),
    ...optional("studyTime", nonEmpty(ds.string("StudyTime"))),
    ...optional("studyId", nonEmpty(ds.string("StudyID"))),
    ...optional("accessionNumber", nonEmpty(ds.string("AccessionNumber"))),
    ...optional("referringPhysicianName", nonEmpty(ds.string("ReferringPhysicianName"))),
  };
}

function pixelInfo(ds: DicomDataset): ReturnType<typeof imagePixelInfo> {
  try {
    return imagePixelInfo(ds);
  } catch (error) {
    const evidence = error instanceof RadlabError ? error.evidence : {};
    throw new SegmentationError(
      `The pixel data of ${ds.file} cannot be laid out: ${error instanceof Error ? error.message : String(error)}`,
      { file: ds.file, ...(evidence.tag === undefined ? {} : { tag: evidence.tag }), cause: error },
    );
  }
}

async function decodeSegmentationFrame(ds: DicomDataset, index: number): Promise<Uint8Array> {
  let samples: unknown;
  try {
    samples = (await decodeFrame(ds, index)).samples;
  } catch (error) {
    throw new SegmentationError(
      `Frame ${index + 1} of ${ds.file} cannot be decoded: ${error instanceof Error ? error.message : String(error)}`,
      { file: ds.file, tag: formatTag("PixelData"), cause: error },
    );
  }
  if (!(samples instanceof Uint8Array)) {
    throw new SegmentationError(`Frame ${index + 1} of ${ds.file} decoded to samples wider than 8 bits.`, {
      file: ds.file,
      tag: formatTag("PixelData"),
    });
  }
  return samples;
}

function fractionalParameters(
  ds: DicomDataset,
): Pick<FractionalSegmentation, "fractionalType" | "maximumFractionalValue"> {
  const fractionalType = (ds.string("SegmentationFractionalType") ?? "").trim();
  if (fractionalType !== "PROBABILITY" && fractionalType !== "OCCUPANCY") {
    throw new SegmentationError(
      `${ds.file} has ${formatTag("SegmentationFractionalType")} ${fractionalType === "" ? "absent" : `"${fractionalType}"`}, not PROBABILITY or OCCUPANCY.`,
      { file: ds.file, tag: formatTag("SegmentationFractionalType") },
    );
  }
  const max = ds.number("MaximumFractionalValue");
  if (max === undefined || !Number.isInteger(max) || max < 1 || max > 255) {
    throw new SegmentationError(
      `${ds.file} is FRACTIONAL with ${formatTag("MaximumFractionalValue")} ${max === undefined ? "absent" : max}; it must be 1 to 255.`,
      { file: ds.file, tag: formatTag("MaximumFractionalValue") },
    );
  }
  return { fractionalType, maximumFractionalValue: max };
}

function readSegments(ds: DicomDataset): Segment[] {
  const file = ds.file;
  const items = ds.sequence("SegmentSequence");
  if (items.length === 0) {
    throw new SegmentationError(`${file} has no ${formatTag("SegmentSequence")}: its frames cannot be named.`, {
      file,
      tag: formatTag("SegmentSequence"),
      hint: "The Segmentation Image module (PS3.3 C.8.20.2) requires one item per segment; the file is not a valid SEG.",
    });
  }
  const seen = new Set<number>();
  return items.map((item, i) => {
    const path = `SegmentSequence[${i}]`;
    const number = item.number("SegmentNumber");
    if (number === undefined || !Number.isInteger(number) || number < 1) {
      throw missingIn(file, "SegmentNumber", path);
    }
    if (seen.has(number)) {
      throw new SegmentationError(`${file} has two segments numbered ${number} in ${formatTag("SegmentSequence")}.`, {
        file,
        tag: formatTag("SegmentNumber"),
        path,
      });
    }
    seen.add(number);
    const label = item.string("SegmentLabel");
    if (label === undefined) throw missingIn(file, "SegmentLabel", path);
    const algorithmType = (item.string("SegmentAlgorithmType") ?? "").trim();
    if (algorithmType !== "AUTOMATIC" && algorithmType !== "SEMIAUTOMATIC" && algorithmType !== "MANUAL") {
      throw new SegmentationError(
        `Segment ${number} of ${file} has ${formatTag("SegmentAlgorithmType")} ${algorithmType === "" ? "absent" : `"${algorithmType}"`}, not AUTOMATIC, SEMIAUTOMATIC or MANUAL.`,
        { file, tag: formatTag("SegmentAlgorithmType"), path },
      );
    }
    const algorithmName = item.strings("SegmentAlgorithmName");
    const cielab = item.numbers("RecommendedDisplayCIELabValue");
    return {
      number,
      label,
      ...optional("description", nonEmpty(item.string("SegmentDescription"))),
      algorithmType,
      ...optional("algorithmName", algorithmName.length === 0 ? undefined : algorithmName.join("\\")),
      category: readCode(item, "SegmentedPropertyCategoryCodeSequence", path),
      type: readCode(item, "SegmentedPropertyTypeCodeSequence", path),
      ...optional(
        "recommendedDisplayCIELab",
        cielab.length === 3 ? ([cielab[0], cielab[1], cielab[2]] as [number, number, number]) : undefined,
      ),
    };
  });
}

function readCode(item: DicomDataset, sequence: Keyword, path: string): CodedConcept {
  const code = item.sequence(sequence)[0];
  if (code === undefined) throw missingIn(item.file, sequence, path);
  const value = nonEmpty(code.string("CodeValue") ?? code.string("LongCodeValue") ?? code.string("URNCodeValue"));
  const scheme = nonEmpty(code.string("CodingSchemeDesignator"));
  const meaning = nonEmpty(code.string("CodeMeaning"));
  const codePath = `${path}.${sequence}[0]`;
  if (value === undefined) throw missingIn(item.file, "CodeValue", codePath);
  if (scheme === undefined) throw missingIn(item.file, "CodingSchemeDesignator", codePath);
  if (meaning === undefined) throw missingIn(item.file, "CodeMeaning", codePath);
  return {
    value,
    scheme,
    meaning,
    ...optional("schemeVersion", nonEmpty(code.string("CodingSchemeVersion"))),
  };
}

/** The first item of a functional group macro, from the frame's per-frame item or else the shared one. */
function groupItem(
  perFrame: DicomDataset | undefined,
  shared: DicomDataset | undefined,
  macro: Keyword,
): DicomDataset | undefined {
  return perFrame?.sequence(macro)[0] ?? shared?.sequence(macro)[0];
}

function readFrameMeta(
  ds: DicomDataset,
  perFrame: DicomDataset | undefined,
  shared: DicomDataset | undefined,
  path: string,
  known: ReadonlySet<number>,
): SegmentationFrameBase {
  const file = ds.file;
  const identification = groupItem(perFrame, shared, "SegmentIdentificationSequence");
  const numbers = identification?.numbers("ReferencedSegmentNumber") ?? [];
  const segment = numbers[0];
  if (segment === undefined) {
    throw new SegmentationError(
      `${path} of ${file} has no ${formatTag("ReferencedSegmentNumber")} in ${formatTag("SegmentIdentificationSequence")}, in its own or the shared functional groups.`,
      {
        file,
        tag: formatTag("SegmentIdentificationSequence"),
        path,
        hint: "Each frame of a SEG names its segment (PS3.3 C.8.20.3.1); the file is not a valid SEG.",
      },
    );
  }
  if (numbers.length > 1 || !known.has(segment)) {
    throw new SegmentationError(
      numbers.length > 1
        ? `${path} of ${file} references ${numbers.length} segments (${numbers.join(", ")}); a frame of a BINARY or FRACTIONAL segmentation has one.`
        : `${path} of ${file} references segment ${segment}, which is not in ${formatTag("SegmentSequence")} (${[...known].join(", ")}).`,
      { file, tag: formatTag("ReferencedSegmentNumber"), path },
    );
  }
  const sourceImages = (
    groupItem(perFrame, shared, "DerivationImageSequence")?.sequence("SourceImageSequence") ?? []
  ).map((source, j) => {
    const sourcePath = `${path}.DerivationImageSequence[0].SourceImageSequence[${j}]`;
    const frameNumbers = source.numbers("ReferencedFrameNumber");
    const preserved = nonEmpty(source.string("SpatialLocationsPreserved"));
    if (preserved !== undefined && !isSpatialLocationsPreserved(preserved)) {
      throw new SegmentationError(
        `${sourcePath} of ${file} has ${formatTag("SpatialLocationsPreserved")} "${preserved}", not YES, NO or REORIENTED_ONLY.`,
        { file, tag: formatTag("SpatialLocationsPreserved"), path: sourcePath },
      );
    }
    return {
      sopClassUid: requiredString(source, "ReferencedSOPClassUID", sourcePath),
      sopInstanceUid: requiredString(source, "ReferencedSOPInstanceUID", sourcePath),
      ...optional("frameNumbers", frameNumbers.length === 0 ? undefined : frameNumbers),
      ...optional("spatialLocationsPreserved", preserved),
    };
  });
  const position = groupItem(perFrame, shared, "PlanePositionSequence")?.numbers("ImagePositionPatient") ?? [];
  return {
    segment,
    sourceImages,
    ...optional(
      "imagePositionPatient",
      position.length === 3 ? ([position[0], position[1], position[2]] as [number, number, number]) : undefined,
    ),
    dimensionIndexValues: groupItem(perFrame, undefined, "FrameContentSequence")?.numbers("DimensionIndexValues") ?? [],
  };
}

function isSpatialLocationsPreserved(value: string): value is "YES" | "NO" | "REORIENTED_ONLY" {
  return value === "YES" || value === "NO" || value === "REORIENTED_ONLY";
}

/**
 * Orientation and pixel measures: from the shared functional groups, or from the per-frame ones
 * when every frame gives the same values (a value that differs between frames cannot be one field).
 */
function readGeometry(
  ds: DicomDataset,
  perFrame: readonly DicomDataset[],
  shared: DicomDataset | undefined,
): Pick<SegmentationBase, "imageOrientationPatient" | "pixelSpacing" | "sliceThickness" | "spacingBetweenSlices"> {
  const common = (macro: Keyword, attribute: Keyword): number[] | undefined => {
    const sharedValue = shared?.sequence(macro)[0]?.numbers(attribute);
    if (sharedValue !== undefined && sharedValue.length > 0) return sharedValue;
    const values = perFrame.map((item) => item.sequence(macro)[0]?.numbers(attribute) ?? []);
    const first = values[0];
    if (first === undefined || first.length === 0) return undefined;
    const index = values.findIndex((v) => v.join("\\") !== first.join("\\"));
    if (index >= 0) {
      throw new SegmentationError(
        `${formatTag(attribute)} differs between frame 1 and frame ${index + 1} of ${ds.file}; radlab reads segmentations whose frames share it.`,
        { file: ds.file, tag: formatTag(attribute), path: `PerFrameFunctionalGroupsSequence[${index}]` },
      );
    }
    return first;
  };
  const orientation = common("PlaneOrientationSequence", "ImageOrientationPatient");
  const spacing = common("PixelMeasuresSequence", "PixelSpacing");
  const thickness = common("PixelMeasuresSequence", "SliceThickness");
  const between = common("PixelMeasuresSequence", "SpacingBetweenSlices");
  return {
    ...optional(
      "imageOrientationPatient",
      orientation?.length === 6
        ? (orientation as unknown as readonly [number, number, number, number, number, number])
        : undefined,
    ),
    ...optional("pixelSpacing", spacing?.length === 2 ? (spacing as unknown as readonly [number, number]) : undefined),
    ...optional("sliceThickness", thickness?.[0]),
    ...optional("spacingBetweenSlices", between?.[0]),
  };
}

function readReferencedSeries(ds: DicomDataset): ReferencedSeries[] {
  return ds.sequence("ReferencedSeriesSequence").map((series, i) => {
    const path = `ReferencedSeriesSequence[${i}]`;
    return {
      seriesInstanceUid: requiredString(series, "SeriesInstanceUID", path),
      instances: series.sequence("ReferencedInstanceSequence").map((instance, j) => ({
        sopClassUid: requiredString(instance, "ReferencedSOPClassUID", `${path}.ReferencedInstanceSequence[${j}]`),
        sopInstanceUid: requiredString(
          instance,
          "ReferencedSOPInstanceUID",
          `${path}.ReferencedInstanceSequence[${j}]`,
        ),
      })),
    };
  });
}

function requiredString(ds: DicomDataset, keyword: Keyword, path?: string): string {
  const value = nonEmpty(ds.string(keyword));
  if (value === undefined) throw missingIn(ds.file, keyword, path);
  return value;
}

function missingIn(file: string, keyword: Keyword, path?: string): SegmentationError {
  return new SegmentationError(
    `${formatTag(keyword)} is missing or empty${path === undefined ? "" : ` in ${path}`} of ${file}.`,
    {
      file,
      tag: formatTag(keyword),
      ...(path === undefined ? {} : { path }),
      hint: "The attribute is required (Type 1) in a DICOM SEG (PS3.3 A.51); the file is not a valid SEG.",
    },
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.replace(/\0/g, "").trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

/** `{ [key]: value }`, or `{}` when the value is undefined (for optional properties under exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

// ---------------------------------------------------------------------------------------------
// Validating and writing

const UID = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+$/;
const CONTENT_LABEL = /^[A-Z0-9_ ]{1,16}$/;
const ALGORITHM_TYPES: ReadonlySet<string> = new Set(["AUTOMATIC", "SEMIAUTOMATIC", "MANUAL"]);

/**
 * Checks a segmentation to write and returns every problem found (empty when it can be written):
 * frame and mask sizes, mask values (0 or 1), segment numbering (1, 2, 3... PS3.3 C.8.20.2.5),
 * references to segments, codes, UIDs, the content label, the geometry that comes with a frame of
 * reference (PS3.3 Table A.51-2), source images listed in the referenced series, and duplicate frames.
 *
 * @example
 * ```ts
 * import { validateSegmentationInput } from "@radlab/kernel";
 * const issues = validateSegmentationInput({
 *   study: { studyInstanceUid: "1.2.3" },
 *   rows: 3,
 *   columns: 5,
 *   segments: [],
 *   frames: [],
 * });
 * issues.map((i) => i.code); // ["segment-numbers", "no-frames"]
 * ```
 */
export function validateSegmentationInput(input: SegmentationInput): SegmentationIssue[] {
  const issues: SegmentationIssue[] = [];
  const issue = (code: SegmentationIssueCode, path: string, message: string) => issues.push({ code, path, message });
  const checkUid = (uid: string, path: string) => {
    if (uid.length > 64 || !UID.test(uid)) issue("uid", path, `"${uid}" is not a UID (digits and dots, 64 at most).`);
  };
  for (const [key, value] of [
    ["rows", input.rows],
    ["columns", input.columns],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      issue("size", key, `${key} is ${value}; it must be a whole number from 1 to 65535.`);
    }
  }
  checkUid(input.study.studyInstanceUid, "study.studyInstanceUid");
  if (input.frameOfReferenceUid !== undefined) checkUid(input.frameOfReferenceUid, "frameOfReferenceUid");
  if (input.contentLabel !== undefined && !CONTENT_LABEL.test(input.contentLabel)) {
    issue(
      "content-label",
      "contentLabel",
      `"${input.contentLabel}" is not a Content Label: 1 to 16 of A-Z, 0-9, space and underscore (VR CS).`,
    );
  }
  input.segments.forEach((segment, i) => {
    const path = `segments[${i}]`;
    if (segment.number !== i + 1) {
      issue(
        "segment-numbers",
        `${path}.number`,
        `Segment ${i + 1} is numbered ${segment.number}; segment numbers start at 1 and increase by 1 (PS3.3 C.8.20.2.5).`,
      );
    }
    if (segment.label.trim() === "") issue("segment", `${path}.label`, "The segment label is empty.");
    if (!ALGORITHM_TYPES.has(segment.algorithmType)) {
      issue(
        "segment",
        `${path}.algorithmType`,
        `"${segment.algorithmType}" is not AUTOMATIC, SEMIAUTOMATIC or MANUAL.`,
      );
    } else if (segment.algorithmType !== "MANUAL" && (segment.algorithmName ?? "").trim() === "") {
      issue(
        "segment",
        `${path}.algorithmName`,
        `An ${segment.algorithmType} segment needs an algorithm name (0062,0009) (PS3.3 Table 10-32).`,
      );
    }
    for (const key of ["category", "type"] as const) {
      const code = segment[key];
      for (const part of ["value", "scheme", "meaning"] as const) {
        if (code[part].trim() === "") issue("code", `${path}.${key}.${part}`, `The ${key} code has an empty ${part}.`);
      }
    }
    const lab = segment.recommendedDisplayCIELab;
    if (lab !== undefined && !lab.every((v) => Number.isInteger(v) && v >= 0 && v <= 65535)) {
      issue("segment", `${path}.recommendedDisplayCIELab`, "CIELab values are whole numbers from 0 to 65535.");
    }
  });
  if (input.segments.length === 0) issue("segment-numbers", "segments", "A segmentation needs at least one segment.");
  if (input.frames.length === 0) issue("no-frames", "frames", "A segmentation needs at least one frame.");
  const hasGeometry = input.frameOfReferenceUid !== undefined;
  if (hasGeometry) {
    if (input.imageOrientationPatient === undefined) {
      issue(
        "geometry",
        "imageOrientationPatient",
        "A segmentation with a frame of reference needs the image orientation.",
      );
    }
    if (input.pixelSpacing === undefined) {
      issue("geometry", "pixelSpacing", "A segmentation with a frame of reference needs the pixel spacing.");
    }
  }
  if (input.pixelSpacing !== undefined && input.sliceThickness === undefined) {
    issue(
      "geometry",
      "sliceThickness",
      "Pixel spacing needs the slice thickness too (Pixel Measures macro, PS3.3 C.7.6.16.2.1; highdicom reads none without).",
    );
  }
  const listed = new Set(
    (input.referencedSeries ?? []).flatMap((s) => s.instances.map((i) => `${i.sopClassUid} ${i.sopInstanceUid}`)),
  );
  (input.referencedSeries ?? []).forEach((series, i) => {
    checkUid(series.seriesInstanceUid, `referencedSeries[${i}].seriesInstanceUid`);
    series.instances.forEach((instance, j) => {
      checkUid(instance.sopClassUid, `referencedSeries[${i}].instances[${j}].sopClassUid`);
      checkUid(instance.sopInstanceUid, `referencedSeries[${i}].instances[${j}].sopInstanceUid`);
    });
  });
  const numbers = new Set(input.segments.map((s) => s.number));
  const seen = new Map<string, number>();
  input.frames.forEach((frame, i) => {
    const path = `frames[${i}]`;
    if (!numbers.has(frame.segment)) {
      issue(
        "unknown-segment",
        `${path}.segment`,
        `Frame ${i} references segment ${frame.segment}, which is not in segments.`,
      );
    }
    const { mask } = frame;
    if (mask.rows !== input.rows || mask.columns !== input.columns || mask.data.length !== input.rows * input.columns) {
      issue(
        "mask-size",
        `${path}.mask`,
        `The mask is ${mask.columns}x${mask.rows} with ${mask.data.length} values; the segmentation is ${input.columns}x${input.rows} (${input.rows * input.columns} values).`,
      );
    } else {
      const bad = mask.data.findIndex((v) => v > 1);
      if (bad >= 0) {
        issue("mask-values", `${path}.mask.data[${bad}]`, `A mask holds 0 or 1; pixel ${bad} is ${mask.data[bad]}.`);
      }
    }
    if (hasGeometry && frame.imagePositionPatient === undefined) {
      issue(
        "geometry",
        `${path}.imagePositionPatient`,
        "Every frame needs its position when there is a frame of reference.",
      );
    }
    if (!hasGeometry && frame.imagePositionPatient !== undefined) {
      issue("geometry", `${path}.imagePositionPatient`, "A position needs frameOfReferenceUid (0020,0052).");
    }
    (frame.sourceImages ?? []).forEach((source, j) => {
      if (!listed.has(`${source.sopClassUid} ${source.sopInstanceUid}`)) {
        issue(
          "unlisted-source",
          `${path}.sourceImages[${j}]`,
          `Source image ${source.sopInstanceUid} is not listed in referencedSeries (0008,1115).`,
        );
      }
    });
    if (frame.imagePositionPatient !== undefined) {
      const key = `${frame.segment} ${frame.imagePositionPatient.join("\\")}`;
      const first = seen.get(key);
      if (first !== undefined) {
        issue(
          "duplicate-frame",
          path,
          `Frames ${first} and ${i} both hold segment ${frame.segment} at position ${frame.imagePositionPatient.join(", ")}.`,
        );
      } else seen.set(key, i);
    }
  });
  return issues;
}

const DEFAULT_EQUIPMENT: SegmentationEquipment = {
  manufacturer: "radlab",
  manufacturerModelName: "radlab",
  deviceSerialNumber: "0",
  softwareVersions: "radlab dicom-seg",
};

/**
 * Writes a BINARY DICOM Segmentation (Segmentation Storage, PS3.3 A.51) in Explicit VR Little
 * Endian: the Segment Sequence (0062,0002), Shared (5200,9229) and Per-Frame (5200,9230) Functional
 * Groups (Segment Identification, Derivation Image, Frame Content, Plane Position; Pixel Measures and
 * Plane Orientation shared), the Multi-frame Dimension module (dimensions: the referenced segment
 * number, then the image position when there is one) and the Common Instance Reference module.
 * Frames are written in the order given, one bit per pixel, packed across frame boundaries as PS3.5
 * 8.1.1 requires (a frame need not start on a byte). The input is not changed.
 *
 * @returns The bytes of a DICOM Part 10 file.
 * @throws {@link SegmentationError} (`dicom-seg`) listing every problem of the input in `issues`
 *   (see {@link validateSegmentationInput}).
 * @example
 * ```ts
 * import { readSegmentation, writeSegmentation } from "@radlab/kernel";
 * const bytes = writeSegmentation({
 *   study: { studyInstanceUid: "1.2.3" },
 *   rows: 3,
 *   columns: 5,
 *   segments: [{
 *     number: 1, label: "Nodule", algorithmType: "MANUAL",
 *     category: { value: "49755003", scheme: "SCT", meaning: "Morphologically Altered Structure" },
 *     type: { value: "27925004", scheme: "SCT", meaning: "Nodule" },
 *   }],
 *   frames: [{ segment: 1, mask: { rows: 3, columns: 5, data: new Uint8Array(15).fill(1) } }],
 * });
 * (await readSegmentation(bytes)).frames[0]?.mask.data.length; // 15
 * ```
 */
export function writeSegmentation(input: SegmentationInput, options: WriteSegmentationOptions = {}): Uint8Array {
  const issues = validateSegmentationInput(input);
  for (const key of ["seriesInstanceUid", "sopInstanceUid"] as const) {
    const uid = options[key];
    if (uid !== undefined && (uid.length > 64 || !UID.test(uid))) {
      issues.push({
        code: "uid",
        path: `options.${key}`,
        message: `"${uid}" is not a UID (digits and dots, 64 at most).`,
      });
    }
  }
  if (issues.length > 0) {
    throw new SegmentationError(
      `The segmentation cannot be written: ${issues.length} problem(s): ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      {
        path: issues[0]?.path ?? "",
        hint: "Fix each listed problem (error.issues holds them with their paths) and write again.",
        issues,
      },
    );
  }
  const sopInstanceUid = options.sopInstanceUid ?? newUid();
  const seriesInstanceUid = options.seriesInstanceUid ?? newUid();
  const when = options.contentDateTime ?? new Date();
  const equipment = options.equipment ?? DEFAULT_EQUIPMENT;
  const { study } = input;

  const dict: dcmjs.DcmjsDict = {};
  put(dict, "SpecificCharacterSet", ["ISO_IR 192"]);
  put(dict, "ImageType", ["DERIVED", "PRIMARY"]);
  put(dict, "SOPClassUID", [SEGMENTATION_STORAGE_SOP_CLASS_UID]);
  put(dict, "SOPInstanceUID", [sopInstanceUid]);
  put(dict, "StudyDate", text(study.studyDate));
  put(dict, "ContentDate", [dicomDate(when)]);
  put(dict, "StudyTime", text(study.studyTime));
  put(dict, "ContentTime", [dicomTime(when)]);
  put(dict, "AccessionNumber", text(study.accessionNumber));
  put(dict, "Modality", ["SEG"]);
  put(dict, "Manufacturer", [equipment.manufacturer]);
  put(dict, "ReferringPhysicianName", personName(study.referringPhysicianName));
  put(dict, "TimezoneOffsetFromUTC", ["+0000"]);
  if (input.seriesDescription !== undefined) put(dict, "SeriesDescription", [input.seriesDescription]);
  put(dict, "ManufacturerModelName", [equipment.manufacturerModelName]);
  if (input.referencedSeries !== undefined && input.referencedSeries.length > 0) {
    put(
      dict,
      "ReferencedSeriesSequence",
      input.referencedSeries.map((series) =>
        item([
          ["SeriesInstanceUID", [series.seriesInstanceUid]],
          [
            "ReferencedInstanceSequence",
            series.instances.map((instance) =>
              item([
                ["ReferencedSOPClassUID", [instance.sopClassUid]],
                ["ReferencedSOPInstanceUID", [instance.sopInstanceUid]],
              ]),
            ),
          ],
        ]),
      ),
    );
  }
  put(dict, "PatientName", personName(study.patientName));
  put(dict, "PatientID", text(study.patientId));
  put(dict, "PatientBirthDate", text(study.patientBirthDate));
  put(dict, "PatientSex", text(study.patientSex));
  put(dict, "DeviceSerialNumber", [equipment.deviceSerialNumber]);
  put(dict, "SoftwareVersions", [equipment.softwareVersions]);
  put(dict, "StudyInstanceUID", [study.studyInstanceUid]);
  put(dict, "SeriesInstanceUID", [seriesInstanceUid]);
  put(dict, "StudyID", text(study.studyId));
  put(dict, "SeriesNumber", [input.seriesNumber ?? 1]);
  put(dict, "InstanceNumber", [input.instanceNumber ?? 1]);
  // Type 2C in General Image (PS3.3 C.7.6.1): required, possibly empty, when frames have no orientation.
  if (input.imageOrientationPatient === undefined) put(dict, "PatientOrientation", []);
  if (input.frameOfReferenceUid !== undefined) {
    put(dict, "FrameOfReferenceUID", [input.frameOfReferenceUid]);
    put(dict, "PositionReferenceIndicator", []);
  }

  const positions = positionIndices(input);
  const dimensionOrganizationUid = derivedUid("dimension-organization", sopInstanceUid);
  const dimensions: [Keyword, Keyword, string][] = [
    ["ReferencedSegmentNumber", "SegmentIdentificationSequence", "ReferencedSegmentNumber"],
  ];
  if (positions !== undefined)
    dimensions.push(["ImagePositionPatient", "PlanePositionSequence", "ImagePositionPatient"]);
  put(dict, "DimensionOrganizationSequence", [item([["DimensionOrganizationUID", [dimensionOrganizationUid]]])]);
  put(
    dict,
    "DimensionIndexSequence",
    dimensions.map(([pointer, group, label]) =>
      item([
        ["DimensionOrganizationUID", [dimensionOrganizationUid]],
        ["DimensionIndexPointer", [tagOf(pointer)]],
        ["FunctionalGroupPointer", [tagOf(group)]],
        ["DimensionDescriptionLabel", [label]],
      ]),
    ),
  );

  put(dict, "SamplesPerPixel", [1]);
  put(dict, "PhotometricInterpretation", ["MONOCHROME2"]);
  put(dict, "NumberOfFrames", [input.frames.length]);
  put(dict, "Rows", [input.rows]);
  put(dict, "Columns", [input.columns]);
  put(dict, "BitsAllocated", [1]);
  put(dict, "BitsStored", [1]);
  put(dict, "HighBit", [0]);
  put(dict, "PixelRepresentation", [0]);
  put(dict, "LossyImageCompression", ["00"]);

  put(dict, "SegmentationType", ["BINARY"]);
  put(dict, "SegmentSequence", input.segments.map(segmentItem));
  put(dict, "ContentLabel", [input.contentLabel ?? "SEGMENTATION"]);
  put(dict, "ContentDescription", text(input.contentDescription));
  put(dict, "ContentCreatorName", personName(input.contentCreatorName));

  const sharedGroups: [Keyword, unknown[]][] = [];
  if (input.pixelSpacing !== undefined) {
    const measures: [Keyword, unknown[]][] = [["PixelSpacing", [...input.pixelSpacing]]];
    if (input.sliceThickness !== undefined) measures.push(["SliceThickness", [input.sliceThickness]]);
    if (input.spacingBetweenSlices !== undefined) measures.push(["SpacingBetweenSlices", [input.spacingBetweenSlices]]);
    sharedGroups.push(["PixelMeasuresSequence", [item(measures)]]);
  }
  if (input.imageOrientationPatient !== undefined) {
    sharedGroups.push([
      "PlaneOrientationSequence",
      [item([["ImageOrientationPatient", [...input.imageOrientationPatient]]])],
    ]);
  }
  put(dict, "SharedFunctionalGroupsSequence", [item(sharedGroups)]);
  put(
    dict,
    "PerFrameFunctionalGroupsSequence",
    input.frames.map((frame, i) => perFrameItem(frame, positions?.[i])),
  );
  const pixels = packFrames(
    input.frames.map((f) => f.mask.data),
    input.rows * input.columns,
  );
  dict[tagHex(tagOf("PixelData"))] = { vr: "OB", Value: [pixels.buffer] };

  const meta: dcmjs.DcmjsDict = {
    "00020001": { vr: "OB", Value: [new Uint8Array([0, 1]).buffer] },
    "00020002": { vr: "UI", Value: [SEGMENTATION_STORAGE_SOP_CLASS_UID] },
    "00020003": { vr: "UI", Value: [sopInstanceUid] },
    "00020010": { vr: "UI", Value: [EXPLICIT_VR_LITTLE_ENDIAN] },
    "00020012": { vr: "UI", Value: [RADLAB_IMPLEMENTATION_CLASS_UID] },
    "00020013": { vr: "SH", Value: ["RADLAB_SEG"] },
  };
  return writeDicom(new DicomDataset({ meta, dict }, { file: "(segmentation)", repairs: [], headerOnly: false }));
}

function segmentItem(segment: Segment): dcmjs.DcmjsDict {
  const elements: [Keyword, unknown[]][] = [
    ["SegmentedPropertyCategoryCodeSequence", [codeItem(segment.category)]],
    ["SegmentNumber", [segment.number]],
    ["SegmentLabel", [segment.label]],
  ];
  if (segment.description !== undefined) elements.push(["SegmentDescription", [segment.description]]);
  elements.push(["SegmentAlgorithmType", [segment.algorithmType]]);
  if (segment.algorithmName !== undefined) elements.push(["SegmentAlgorithmName", [segment.algorithmName]]);
  if (segment.recommendedDisplayCIELab !== undefined) {
    elements.push(["RecommendedDisplayCIELabValue", [...segment.recommendedDisplayCIELab]]);
  }
  elements.push(["SegmentedPropertyTypeCodeSequence", [codeItem(segment.type)]]);
  return item(elements);
}

function codeItem(code: CodedConcept): dcmjs.DcmjsDict {
  // Code values longer than 16 characters go to Long Code Value, URNs and URLs to URN Code Value (PS3.3 8.8).
  const valueKeyword: Keyword = /^(urn|https?):/i.test(code.value)
    ? "URNCodeValue"
    : code.value.length > 16
      ? "LongCodeValue"
      : "CodeValue";
  const elements: [Keyword, unknown[]][] = [
    [valueKeyword, [code.value]],
    ["CodingSchemeDesignator", [code.scheme]],
  ];
  if (code.schemeVersion !== undefined) elements.push(["CodingSchemeVersion", [code.schemeVersion]]);
  elements.push(["CodeMeaning", [code.meaning]]);
  return item(elements);
}

function perFrameItem(frame: SegmentationFrameInput, positionIndex: number | undefined): dcmjs.DcmjsDict {
  const groups: [Keyword, unknown[]][] = [];
  const sources = frame.sourceImages ?? [];
  if (sources.length > 0) {
    groups.push([
      "DerivationImageSequence",
      [
        item([
          [
            "SourceImageSequence",
            sources.map((source) => {
              const elements: [Keyword, unknown[]][] = [
                ["ReferencedSOPClassUID", [source.sopClassUid]],
                ["ReferencedSOPInstanceUID", [source.sopInstanceUid]],
              ];
              if (source.frameNumbers !== undefined) elements.push(["ReferencedFrameNumber", [...source.frameNumbers]]);
              if (source.spatialLocationsPreserved !== undefined) {
                elements.push(["SpatialLocationsPreserved", [source.spatialLocationsPreserved]]);
              }
              elements.push([
                "PurposeOfReferenceCodeSequence",
                [codeItem({ value: "121322", scheme: "DCM", meaning: "Source image for image processing operation" })],
              ]);
              return item(elements);
            }),
          ],
          ["DerivationCodeSequence", [codeItem({ value: "113076", scheme: "DCM", meaning: "Segmentation" })]],
        ]),
      ],
    ]);
  }
  const index = positionIndex === undefined ? [frame.segment] : [frame.segment, positionIndex];
  groups.push(["FrameContentSequence", [item([["DimensionIndexValues", index]])]]);
  if (frame.imagePositionPatient !== undefined) {
    groups.push(["PlanePositionSequence", [item([["ImagePositionPatient", [...frame.imagePositionPatient]]])]]);
  }
  groups.push(["SegmentIdentificationSequence", [item([["ReferencedSegmentNumber", [frame.segment]]])]]);
  return item(groups);
}

/**
 * The 1-based index of each frame's position along the slice normal (the cross product of the row
 * and column directions), equal positions sharing an index; `undefined` when frames have no position.
 */
function positionIndices(input: SegmentationInput): number[] | undefined {
  const positions = input.frames.map((f) => f.imagePositionPatient);
  if (positions.some((p) => p === undefined)) return undefined;
  const o = input.imageOrientationPatient ?? [1, 0, 0, 0, 1, 0];
  const normal = [o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]] as const;
  const keyOf = (p: readonly number[]) => p.join("\\");
  const distinct = new Map<string, readonly number[]>();
  for (const p of positions) if (p !== undefined) distinct.set(keyOf(p), p);
  const along = (p: readonly number[]) => (p[0] ?? 0) * normal[0] + (p[1] ?? 0) * normal[1] + (p[2] ?? 0) * normal[2];
  const order = [...distinct.entries()].sort((a, b) => along(a[1]) - along(b[1])).map(([key]) => key);
  const rank = new Map(order.map((key, i) => [key, i + 1]));
  return positions.map((p) => (p === undefined ? 0 : (rank.get(keyOf(p)) ?? 0)));
}

/** Packs 0/1 masks one bit per pixel, least significant bit first, frame after frame without padding (PS3.5 8.1.1, D.2); padded to an even length. */
function packFrames(masks: readonly Uint8Array[], pixelsPerFrame: number): Uint8Array {
  const bits = masks.length * pixelsPerFrame;
  const bytes = Math.ceil(bits / 8);
  const out = new Uint8Array(bytes + (bytes % 2));
  let bit = 0;
  for (const mask of masks) {
    for (let i = 0; i < pixelsPerFrame; i++, bit++) {
      if (mask[i] === 1) out[bit >> 3] = (out[bit >> 3] ?? 0) | (1 << (bit & 7));
    }
  }
  return out;
}

function put(dict: dcmjs.DcmjsDict, keyword: Keyword, values: readonly unknown[]): void {
  dict[tagHex(tagOf(keyword))] = { vr: vrOf(keyword), Value: [...values] };
}

function item(elements: readonly (readonly [Keyword, readonly unknown[]])[]): dcmjs.DcmjsDict {
  const out: dcmjs.DcmjsDict = {};
  for (const [keyword, values] of elements) put(out, keyword, values);
  return out;
}

function tagOf(keyword: Keyword): number {
  const entry = lookupKeyword(keyword);
  if (entry === undefined) throw new RangeError(`${keyword} is not in the DICOM dictionary`);
  return entry.tag;
}

function vrOf(keyword: Keyword): string {
  const vr = lookupKeyword(keyword)?.vr;
  if (vr === undefined || vr.length !== 1) throw new RangeError(`${keyword} has no single VR in the DICOM dictionary`);
  return vr[0] ?? "UN";
}

/** A Type 2 text value: the value, or empty. */
function text(value: string | undefined): string[] {
  return value === undefined ? [] : [value];
}

function personName(value: string | undefined): { Alphabetic: string }[] {
  return value === undefined ? [] : [{ Alphabetic: value }];
}

function dicomDate(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}`;
}

function dicomTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
}

/** A new UID under 2.25 from a random (version 4) UUID, as PS3.5 B.2 describes. */
function newUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replace(/-/g, "")}`).toString()}`;
}

/** A UID under 2.25 derived from another (a hash, so the same input gives the same UID). */
function derivedUid(purpose: string, from: string): string {
  const digest = createHash("sha256").update(`radlab-seg\u0000${purpose}\u0000${from}`).digest();
  digest[6] = ((digest[6] ?? 0) & 0x0f) | 0x80; // UUID version 8 (RFC 9562 5.8)
  digest[8] = ((digest[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  return `2.25.${BigInt(`0x${digest.subarray(0, 16).toString("hex")}`).toString()}`;
}
