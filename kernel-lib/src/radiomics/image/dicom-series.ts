import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { RadlabError } from "../../core/radlab-error";
import type { DicomDataset } from "../../dicom/dataset";
import type { Keyword } from "../../dicom/dictionary/attributes.generated";
import { decodeFrame } from "../../dicom/pixels/decode-frame";
import { modalityValues } from "../../dicom/pixels/lut";
import { readDicomFile } from "../../dicom/read";
import { formatTag } from "../../dicom/tag";
import { RadiomicsError } from "../radiomics-error";
import type { Triple, Volume } from "./volume";

/** (0008,0016) SOP Class UID of Segmentation Storage: not an image to stack (read it with `segmentationMask`). */
const SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";

/** Two slice positions closer than this (mm, along the slice normal) are the same position. */
const DUPLICATE_MM = 1e-3;

/** Orientation cosines of two slices may differ by this much and still be one orientation. */
const ORIENTATION_TOLERANCE = 1e-3;

/** Pixel spacings of two slices may differ by this fraction and still be one spacing. */
const PIXEL_SPACING_TOLERANCE = 1e-4;

/** Slice gaps that differ from the median by more than this fraction (and less than the tolerance) are reported in `warnings`. */
const GAP_NOTE = 1e-3;

/** How many items an error message lists before it says "and N more". */
const LISTED = 8;

/** One slice of a {@link DicomSeriesVolume}: where its pixels came from and where it lies. */
export interface DicomSlice {
  /** The file the slice was read from. */
  readonly file: string;
  /** The frame of that file, counted from 0 (0 for single-frame images). */
  readonly frame: number;
  /** (0008,0018) SOP Instance UID of the file. */
  readonly sopInstanceUid: string;
  /** (0020,0032) Image Position (Patient): the centre of the slice's first pixel, LPS mm. */
  readonly position: Triple;
  /** (0028,1053) Rescale Slope applied to the slice (1 when absent or when a Modality LUT was applied). */
  readonly rescaleSlope: number;
  /** (0028,1052) Rescale Intercept applied to the slice (0 when absent or when a Modality LUT was applied). */
  readonly rescaleIntercept: number;
}

/** A file of a folder that {@link readDicomSeries} did not read, and why. */
export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

/**
 * A DICOM image series as a {@link Volume}: voxel `(i, j, k)` is column `i`, row `j` of slice `k`,
 * slices in ascending order along the slice normal (the cross product of the row and column
 * directions of (0020,0037) Image Orientation (Patient)).
 */
export interface DicomSeriesVolume extends Volume {
  /** The folder, or the first file of the series. */
  readonly source: string;
  /** (0020,000E) Series Instance UID. */
  readonly seriesInstanceUid: string;
  /** (0020,0052) Frame of Reference UID; absent when the files have none. */
  readonly frameOfReferenceUid?: string;
  /** (0008,0060) Modality, for example `CT`. */
  readonly modality: string;
  /**
   * The unit of the values: `HU` for CT, (0054,1001) Units for PET (for example `BQML`),
   * otherwise (0028,1054) Rescale Type when given, else the empty string (stored values).
   */
  readonly units: string;
  /** The slices by `k`. */
  readonly slices: readonly DicomSlice[];
  /** What was accepted but deserves a look (assumed geometry, small spacing irregularities). */
  readonly warnings: readonly string[];
  /** Files of the folder that were not read (not DICOM, not an image, another series). Empty for a file list. */
  readonly skipped: readonly SkippedFile[];
}

/** Options of {@link readDicomSeries}. */
export interface ReadDicomSeriesOptions {
  /** Read only this (0020,000E) Series Instance UID, when the files or the folder hold several series. */
  readonly seriesInstanceUid?: string;
  /**
   * How far a gap between two adjacent slices may differ from the median gap, as a fraction of the
   * median gap (default 0.01). Larger differences (a missing slice, a variable-spacing scan) are
   * refused, since a {@link Volume} has one slice spacing.
   */
  readonly spacingTolerance?: number;
}

/** What the header of one frame says about its geometry and values. */
interface FrameHeader {
  readonly file: string;
  readonly frame: number;
  /** Frames in the file (1 for single-frame images). */
  readonly frameCount: number;
  readonly sopInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly seriesDescription: string;
  readonly modality: string;
  readonly frameOfReferenceUid: string | undefined;
  readonly rows: number;
  readonly columns: number;
  readonly samplesPerPixel: number;
  readonly position: Triple | undefined;
  readonly orientation: readonly number[] | undefined;
  readonly pixelSpacing: readonly [number, number] | undefined;
  readonly spacingBetweenSlices: number | undefined;
  readonly sliceThickness: number | undefined;
  readonly slope: number;
  readonly intercept: number;
  readonly modalityLut: boolean;
  readonly units: string;
}

/**
 * Reads one DICOM image series into a {@link Volume} on its true geometry: slices sorted by
 * (0020,0032) Image Position (Patient) projected on the slice normal (the cross product of the rows
 * of (0020,0037) Image Orientation (Patient), PS3.3 C.7.6.2.1.1), spacing from (0028,0030) Pixel
 * Spacing (column spacing along `i`, row spacing along `j`) and the measured distance between slice
 * positions, origin at the first slice's position, direction from the orientation (columns: row
 * direction, column direction, normal). Values are modality values (PS3.3 C.11.1): (0028,1053)
 * Rescale Slope and (0028,1052) Rescale Intercept applied per slice in double precision (Hounsfield
 * units for CT), or the (0028,3000) Modality LUT Sequence when the file has one.
 *
 * Enhanced (multi-frame) images are read frame by frame from their functional groups (PS3.3
 * C.7.6.16): (0020,9113) Plane Position, (0020,9116) Plane Orientation, (0028,9110) Pixel Measures
 * and (0028,9145) Pixel Value Transformation, per frame or shared. A single-frame image without
 * the Image Plane module (a radiograph) becomes a one-slice grid at the origin with the identity
 * direction, which `warnings` says.
 *
 * @param input - A folder (every file in it, not recursive; files that are not DICOM images are
 *   listed in `skipped`), one file (for example an enhanced multi-frame image), or a list of files
 *   (each must be a DICOM image).
 * @param options - Pick a series; the tolerance on slice gaps.
 * @returns A new volume with the series' UIDs, units, slices and warnings.
 * @throws {@link RadiomicsError} `input` when a path does not exist or a file cannot be read or
 *   decoded (the DICOM error as `cause`), when the files hold several series (naming each UID and
 *   its files; pick one with `seriesInstanceUid`), when slices disagree in size, orientation, pixel
 *   spacing or frame of reference, when a slice has no position or two share one (naming the files);
 *   `geometry` when the slice gaps are not uniform (naming the slices and their gaps);
 *   `unsupported` for colour images and for slices not stacked along their normal (gantry tilt);
 *   `settings` for an empty file list or a bad tolerance.
 * @example
 * ```ts
 * import { readDicomSeries } from "@radlab/kernel";
 * const ct = await readDicomSeries("../shared/data/dicom/pydicom/test_files/dicomdirtests/98892001/CT5N");
 * ct.dims; // [16, 16, 5]
 * ct.spacing; // [0.488281, 0.488281, 2.5]
 * ct.units; // "HU"
 * ```
 */
export async function readDicomSeries(
  input: string | readonly string[],
  options: ReadDicomSeriesOptions = {},
): Promise<DicomSeriesVolume> {
  const tolerance = options.spacingTolerance ?? 0.01;
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance >= 0.5) {
    throw new RadiomicsError("settings", `spacingTolerance must be a fraction from 0 to 0.5, not ${tolerance}`, {
      path: "options.spacingTolerance",
      hint: "Give the allowed difference between slice gaps as a fraction of the median gap, for example 0.01.",
    });
  }
  const { files, folder } = listInput(input);
  const skipped: SkippedFile[] = [];
  const headers: FrameHeader[] = [];
  for (const file of files) {
    const found = readHeaders(file, folder !== undefined);
    if ("reason" in found) skipped.push(found);
    else headers.push(...found);
  }
  if (headers.length === 0) {
    throw new RadiomicsError("input", `${folder ?? files[0]} holds no DICOM image`, {
      file: folder ?? files[0] ?? "",
      hint:
        skipped.length === 0
          ? "Point at a folder of DICOM image files."
          : `Every file was skipped: ${describeList(skipped.map((s) => `${path.basename(s.file)} (${s.reason})`))}.`,
    });
  }
  const series = pickSeries(headers, options.seriesInstanceUid, folder, skipped);
  const warnings: string[] = [];
  const layout = stackSlices(series, tolerance, warnings);
  const data = await readValues(layout.order, layout.columns, layout.rows);
  const first = layout.order[0]!;
  const source = folder ?? first.file;
  return {
    dims: [layout.columns, layout.rows, layout.order.length],
    spacing: layout.spacing,
    origin: layout.origin,
    direction: layout.direction,
    data,
    source,
    seriesInstanceUid: first.seriesInstanceUid,
    ...(first.frameOfReferenceUid === undefined ? {} : { frameOfReferenceUid: first.frameOfReferenceUid }),
    modality: first.modality,
    units: first.units,
    slices: layout.order.map((h, k) => ({
      file: h.file,
      frame: h.frame,
      sopInstanceUid: h.sopInstanceUid,
      position: layout.positions[k]!,
      rescaleSlope: h.modalityLut ? 1 : h.slope,
      rescaleIntercept: h.modalityLut ? 0 : h.intercept,
    })),
    warnings,
    skipped,
  };
}

/** The files to read, and the folder they came from when the input is a folder. */
function listInput(input: string | readonly string[]): { files: readonly string[]; folder: string | undefined } {
  if (typeof input !== "string") {
    if (input.length === 0) {
      throw new RadiomicsError("settings", "readDicomSeries was given an empty list of files", {
        hint: "Pass the files of one series, or the folder that holds them.",
      });
    }
    return { files: input, folder: undefined };
  }
  let isFolder: boolean;
  try {
    isFolder = statSync(input).isDirectory();
  } catch (error) {
    throw new RadiomicsError("input", `${input} does not exist`, {
      file: input,
      hint: "Check the path; relative paths start from the notebook's folder.",
      cause: error,
    });
  }
  if (!isFolder) return { files: [input], folder: undefined };
  const files = readdirSync(input, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(input, entry.name))
    .sort();
  return { files, folder: input };
}

/**
 * The geometry and rescale of every frame of a file, read without its pixel data. In a folder,
 * files that are not DICOM images come back as skipped; in a file list they are errors.
 */
function readHeaders(file: string, lenient: boolean): FrameHeader[] | SkippedFile {
  let ds: DicomDataset;
  try {
    ds = readDicomFile(file, { headerOnly: true });
  } catch (error) {
    if (lenient) return { file, reason: error instanceof Error ? firstLine(error.message) : String(error) };
    throw wrapDicomError(error, file, "read");
  }
  const notImage = (reason: string, hint: string): SkippedFile => {
    if (lenient) return { file, reason };
    throw new RadiomicsError("input", `${file} is not an image to stack: ${reason}`, { file, hint });
  };
  if (ds.string("SOPClassUID")?.trim() === SEGMENTATION_STORAGE) {
    return notImage("a DICOM SEG", "Read segmentations with segmentationMask on the image's grid.");
  }
  if (!ds.has("Rows") || !ds.has("Columns")) {
    return notImage(
      `no ${formatTag("Rows")} (${ds.string("Modality")?.trim() || "no modality"})`,
      "Pass only image files; RT structure sets are read with readRtStructMask.",
    );
  }
  const frames = Math.max(1, Math.trunc(ds.number("NumberOfFrames") ?? 1));
  const perFrame = ds.sequence("PerFrameFunctionalGroupsSequence");
  const shared = ds.sequence("SharedFunctionalGroupsSequence")[0];
  const modality = ds.string("Modality")?.trim() ?? "";
  const topRescaleType = nonEmpty(ds.string("RescaleType"));
  const common = {
    file,
    frameCount: frames,
    sopInstanceUid: ds.string("SOPInstanceUID")?.trim() ?? "",
    seriesInstanceUid: ds.string("SeriesInstanceUID")?.trim() ?? "",
    seriesDescription: ds.string("SeriesDescription")?.trim() ?? "",
    modality,
    frameOfReferenceUid: nonEmpty(ds.string("FrameOfReferenceUID")),
    rows: ds.number("Rows") ?? 0,
    columns: ds.number("Columns") ?? 0,
    samplesPerPixel: ds.number("SamplesPerPixel") ?? 1,
    modalityLut: ds.sequence("ModalityLUTSequence")[0]?.has("LUTData") === true,
  };
  const out: FrameHeader[] = [];
  for (let frame = 0; frame < frames; frame++) {
    const item = perFrame[frame];
    const grouped = (sequence: Keyword, attribute: Keyword): number[] | undefined => {
      for (const group of [item, shared]) {
        const value = group?.sequence(sequence)[0];
        if (value?.has(attribute) === true) return value.numbers(attribute);
      }
      return undefined;
    };
    const groupedText = (sequence: Keyword, attribute: Keyword): string | undefined => {
      for (const group of [item, shared]) {
        const value = group?.sequence(sequence)[0];
        if (value?.has(attribute) === true) return nonEmpty(value.string(attribute));
      }
      return undefined;
    };
    const position = grouped("PlanePositionSequence", "ImagePositionPatient") ?? ds.numbers("ImagePositionPatient");
    const orientation =
      grouped("PlaneOrientationSequence", "ImageOrientationPatient") ?? ds.numbers("ImageOrientationPatient");
    const spacing = grouped("PixelMeasuresSequence", "PixelSpacing") ?? ds.numbers("PixelSpacing");
    const imagerSpacing = ds.numbers("ImagerPixelSpacing");
    const slope = grouped("PixelValueTransformationSequence", "RescaleSlope")?.[0] ?? ds.number("RescaleSlope") ?? 1;
    const intercept =
      grouped("PixelValueTransformationSequence", "RescaleIntercept")?.[0] ?? ds.number("RescaleIntercept") ?? 0;
    const rescaleType = groupedText("PixelValueTransformationSequence", "RescaleType") ?? topRescaleType;
    const pixelSpacing = spacing.length >= 2 ? spacing : imagerSpacing.length >= 2 ? imagerSpacing : undefined;
    out.push({
      ...common,
      frame,
      position: position.length === 3 ? [position[0]!, position[1]!, position[2]!] : undefined,
      orientation: orientation.length === 6 ? orientation : undefined,
      pixelSpacing: pixelSpacing === undefined ? undefined : [pixelSpacing[0]!, pixelSpacing[1]!],
      spacingBetweenSlices:
        grouped("PixelMeasuresSequence", "SpacingBetweenSlices")?.[0] ?? ds.number("SpacingBetweenSlices"),
      sliceThickness: grouped("PixelMeasuresSequence", "SliceThickness")?.[0] ?? ds.number("SliceThickness"),
      slope,
      intercept,
      units:
        modality === "CT"
          ? (rescaleType ?? "HU")
          : modality === "PT"
            ? (nonEmpty(ds.string("Units")) ?? rescaleType ?? "")
            : (rescaleType ?? ""),
    });
  }
  return out;
}

/** The frames of one series: the requested one, or the only one. */
function pickSeries(
  headers: readonly FrameHeader[],
  wanted: string | undefined,
  folder: string | undefined,
  skipped: SkippedFile[],
): FrameHeader[] {
  const bySeries = new Map<string, FrameHeader[]>();
  for (const h of headers) {
    const list = bySeries.get(h.seriesInstanceUid);
    if (list === undefined) bySeries.set(h.seriesInstanceUid, [h]);
    else list.push(h);
  }
  const describe = () =>
    [...bySeries.entries()]
      .map(([uid, list]) => {
        const files = [...new Set(list.map((h) => path.basename(h.file)))];
        const what = [list[0]?.modality, list[0]?.seriesDescription].filter((s) => s !== undefined && s !== "");
        return `${uid === "" ? "(no Series Instance UID)" : uid}${what.length > 0 ? ` [${what.join(", ")}]` : ""}: ${files.length} file(s) ${describeList(files)}`;
      })
      .join("; ");
  if (wanted !== undefined) {
    const chosen = bySeries.get(wanted);
    if (chosen === undefined) {
      throw new RadiomicsError(
        "input",
        `No file of ${folder ?? "the list"} belongs to series ${wanted}; it holds ${describe()}`,
        {
          ...(folder === undefined ? {} : { file: folder }),
          tag: formatTag("SeriesInstanceUID"),
          hint: "Pass one of the Series Instance UIDs listed.",
        },
      );
    }
    for (const [uid, list] of bySeries) {
      if (uid === wanted) continue;
      for (const file of new Set(list.map((h) => h.file))) skipped.push({ file, reason: `another series (${uid})` });
    }
    return chosen;
  }
  if (bySeries.size > 1) {
    throw new RadiomicsError(
      "input",
      `${folder === undefined ? "The files hold" : `${folder} holds`} ${bySeries.size} series, not one: ${describe()}`,
      {
        ...(folder === undefined ? {} : { file: folder }),
        tag: formatTag("SeriesInstanceUID"),
        hint: "Read one series at a time: pass options.seriesInstanceUid, or only the files of that series.",
      },
    );
  }
  return [...bySeries.values()][0] ?? [];
}

interface Layout {
  readonly order: readonly FrameHeader[];
  readonly positions: readonly Triple[];
  readonly columns: number;
  readonly rows: number;
  readonly spacing: Triple;
  readonly origin: Triple;
  readonly direction: readonly number[];
}

/** Checks that the frames make one regular stack, and lays them out along the slice normal. */
function stackSlices(frames: readonly FrameHeader[], tolerance: number, warnings: string[]): Layout {
  const first = frames[0]!;
  const label = frameLabel;
  const disagree = (what: string, tag: Keyword, value: (h: FrameHeader) => string, hint: string): void => {
    const groups = new Map<string, FrameHeader[]>();
    for (const h of frames) {
      const key = value(h);
      const list = groups.get(key);
      if (list === undefined) groups.set(key, [h]);
      else list.push(h);
    }
    if (groups.size <= 1) return;
    const listed = [...groups.entries()].map(([v, list]) => `${v} in ${describeList(list.map(label))}`).join("; ");
    throw new RadiomicsError("input", `The slices of series ${first.seriesInstanceUid} differ in ${what}: ${listed}`, {
      file: first.file,
      tag: formatTag(tag),
      hint,
    });
  };
  if (first.samplesPerPixel !== 1) {
    throw new RadiomicsError(
      "unsupported",
      `${first.file} is a colour image (${formatTag("SamplesPerPixel")} ${first.samplesPerPixel}); radiomics reads greyscale images`,
      { file: first.file, tag: formatTag("SamplesPerPixel"), hint: "Convert the image to greyscale first." },
    );
  }
  disagree(
    "size",
    "Rows",
    (h) => `${h.columns} x ${h.rows}`,
    "One volume needs slices of one size; pass only the files of one acquisition.",
  );
  disagree(
    "frame of reference",
    "FrameOfReferenceUID",
    (h) => h.frameOfReferenceUid ?? "(none)",
    "Slices in different frames of reference cannot be stacked; pass the files of one of them.",
  );
  const single = frames.length === 1;
  const missing = (pick: (h: FrameHeader) => unknown) => frames.filter((h) => pick(h) === undefined);
  if (!single) {
    for (const [pick, tag] of [
      [(h: FrameHeader) => h.position, "ImagePositionPatient"],
      [(h: FrameHeader) => h.orientation, "ImageOrientationPatient"],
    ] as const) {
      const without = missing(pick);
      if (without.length > 0) {
        throw new RadiomicsError(
          "input",
          `${without.length} of ${frames.length} slices have no ${formatTag(tag)}: ${describeList(without.map(label))}`,
          {
            file: without[0]!.file,
            tag: formatTag(tag),
            hint: "Slices are stacked by the Image Plane module (PS3.3 C.7.6.2), or for enhanced images by the Plane Position and Plane Orientation functional groups (C.7.6.16.2); these files lack it and cannot be placed.",
          },
        );
      }
    }
  }
  const withoutSpacing = missing((h) => h.pixelSpacing);
  if (withoutSpacing.length > 0) {
    throw new RadiomicsError(
      "input",
      `${withoutSpacing.length} of ${frames.length} slice(s) have no ${formatTag("PixelSpacing")}: ${describeList(withoutSpacing.map(label))}`,
      {
        file: withoutSpacing[0]!.file,
        tag: formatTag("PixelSpacing"),
        hint: "Radiomics needs the pixel size in mm; without (0028,0030) Pixel Spacing (or (0018,1164) Imager Pixel Spacing, or the Pixel Measures functional group) it is unknown.",
      },
    );
  }
  const o = first.orientation ?? [1, 0, 0, 0, 1, 0];
  const sameCosines = (a: readonly number[]) => a.every((v, n) => Math.abs(v - (o[n] ?? 0)) <= ORIENTATION_TOLERANCE);
  disagree(
    "orientation",
    "ImageOrientationPatient",
    (h) =>
      h.orientation === undefined || sameCosines(h.orientation) ? `[${o.join(", ")}]` : `[${h.orientation.join(", ")}]`,
    "The series mixes orientations (a localizer, for example); pass only the files of one orientation.",
  );
  const [rowSpacing, columnSpacing] = first.pixelSpacing!;
  disagree(
    "pixel spacing",
    "PixelSpacing",
    (h) => {
      const [r, c] = h.pixelSpacing!;
      const close = (a: number, b: number) => Math.abs(a - b) <= PIXEL_SPACING_TOLERANCE * Math.abs(b);
      return close(r, rowSpacing) && close(c, columnSpacing) ? `[${rowSpacing}, ${columnSpacing}]` : `[${r}, ${c}]`;
    },
    "One volume needs one pixel spacing; pass only the files of one reconstruction.",
  );
  if (!(rowSpacing > 0 && columnSpacing > 0)) {
    throw new RadiomicsError(
      "input",
      `${first.file} has ${formatTag("PixelSpacing")} [${rowSpacing}, ${columnSpacing}]`,
      {
        file: first.file,
        tag: formatTag("PixelSpacing"),
        hint: "Pixel spacing must be positive (row spacing, column spacing in mm).",
      },
    );
  }
  const row = unit([o[0]!, o[1]!, o[2]!]);
  const column = unit([o[3]!, o[4]!, o[5]!]);
  if (row === undefined || column === undefined || Math.abs(dot(row, column)) > ORIENTATION_TOLERANCE) {
    throw new RadiomicsError(
      "input",
      `${formatTag("ImageOrientationPatient")} [${o.join(", ")}] of ${first.file} is not two orthogonal unit vectors`,
      {
        file: first.file,
        tag: formatTag("ImageOrientationPatient"),
        hint: "The row and column direction cosines must be perpendicular (PS3.3 C.7.6.2.1.1); the file is damaged.",
      },
    );
  }
  const normal = unit(cross(row, column))!;
  // `+ 0` turns the -0 of cosines written "-0" into 0.
  const direction = [row[0], column[0], normal[0], row[1], column[1], normal[1], row[2], column[2], normal[2]].map(
    (v) => v + 0,
  );
  if (single) {
    if (first.position === undefined || first.orientation === undefined) {
      warnings.push(
        `${base(first.file)} has no Image Plane module (${formatTag("ImagePositionPatient")}, ${formatTag("ImageOrientationPatient")}): placed at the origin with the identity direction`,
      );
    }
    const thickness = first.spacingBetweenSlices ?? first.sliceThickness;
    if (thickness === undefined || !(thickness > 0)) {
      warnings.push(`one slice without ${formatTag("SliceThickness")}: its spacing along k is taken as 1 mm`);
    }
    const position = first.position ?? [0, 0, 0];
    return {
      order: frames,
      positions: [position],
      columns: first.columns,
      rows: first.rows,
      spacing: [columnSpacing, rowSpacing, thickness !== undefined && thickness > 0 ? thickness : 1],
      origin: position,
      direction,
    };
  }
  const along = frames.map((h) => ({ h, s: dot(h.position!, normal) })).sort((a, b) => a.s - b.s);
  const describeSlice = (k: number) => `slice ${k} (${label(along[k]!.h)}, ${mm(along[k]!.s)} mm)`;
  const duplicates: string[] = [];
  const gaps: number[] = [];
  for (let k = 1; k < along.length; k++) {
    const gap = along[k]!.s - along[k - 1]!.s;
    if (gap < DUPLICATE_MM)
      duplicates.push(`${label(along[k - 1]!.h)} and ${label(along[k]!.h)} at ${mm(along[k]!.s)} mm`);
    gaps.push(gap);
  }
  if (duplicates.length > 0) {
    throw new RadiomicsError(
      "input",
      `${duplicates.length} pair(s) of slices share a position along the slice normal: ${describeList(duplicates)}`,
      {
        file: first.file,
        tag: formatTag("ImagePositionPatient"),
        hint: "Two images at one position are two echoes, time points, stacks or acquisitions: pass only the files of one of them (see (0018,0086) Echo Number, (0020,0100) Temporal Position Identifier, (0020,0012) Acquisition Number), or remove the duplicate files.",
      },
    );
  }
  const median = [...gaps].sort((a, b) => a - b)[gaps.length >> 1]!;
  const irregular: string[] = [];
  for (let k = 1; k < along.length; k++) {
    const gap = gaps[k - 1]!;
    if (Math.abs(gap - median) <= tolerance * median) continue;
    const ratio = gap / median;
    const missingSlices = Math.round(ratio) - 1;
    const note =
      missingSlices >= 1 && Math.abs(ratio - Math.round(ratio)) <= tolerance * Math.round(ratio)
        ? ` (${Math.round(ratio)} x the usual gap: ${missingSlices} slice(s) missing?)`
        : "";
    irregular.push(`${mm(gap)} mm between ${describeSlice(k - 1)} and ${describeSlice(k)}${note}`);
  }
  if (irregular.length > 0) {
    throw new RadiomicsError(
      "geometry",
      `The slices of series ${first.seriesInstanceUid} are not evenly spaced: the usual gap is ${mm(median)} mm, but ${describeList(irregular)}`,
      {
        file: first.file,
        tag: formatTag("ImagePositionPatient"),
        hint: "Check that every file of the series is there (a missing file leaves a double gap); a scan with variable spacing must be resampled onto a uniform grid (for example with dcm2niix or SimpleITK) before radiomics. options.spacingTolerance sets how much gaps may differ.",
      },
    );
  }
  const minGap = Math.min(...gaps);
  const maxGap = Math.max(...gaps);
  const spacing = (along[along.length - 1]!.s - along[0]!.s) / (along.length - 1);
  if (maxGap - minGap > GAP_NOTE * median) {
    warnings.push(
      `slice gaps vary from ${mm(minGap)} to ${mm(maxGap)} mm; the volume uses their mean, ${mm(spacing)} mm`,
    );
  }
  const declared = first.spacingBetweenSlices;
  if (declared !== undefined && Math.abs(Math.abs(declared) - spacing) > 0.01 * spacing) {
    warnings.push(
      `${formatTag("SpacingBetweenSlices")} says ${declared} mm but the slice positions are ${mm(spacing)} mm apart; the positions are used`,
    );
  }
  // Slices must be stacked along their normal: a drift within the plane is a tilted gantry or a sheared stack.
  const inPlaneTolerance = 0.01 * Math.min(rowSpacing, columnSpacing);
  const origin = along[0]!.h.position!;
  for (let k = 1; k < along.length; k++) {
    const p = along[k]!.h.position!;
    const offset: Triple = [p[0] - origin[0], p[1] - origin[1], p[2] - origin[2]];
    const drift = Math.hypot(dot(offset, row), dot(offset, column));
    if (drift > inPlaneTolerance) {
      throw new RadiomicsError(
        "unsupported",
        `The slices of series ${first.seriesInstanceUid} are not stacked along their normal: ${describeSlice(k)} is offset ${mm(drift)} mm within the image plane from ${describeSlice(0)} (gantry tilt or a sheared stack)`,
        {
          file: along[k]!.h.file,
          tag: formatTag("ImagePositionPatient"),
          hint: "Resample the series onto a rectilinear grid first (dcm2niix corrects gantry tilt), then read the result.",
        },
      );
    }
  }
  return {
    order: along.map((a) => a.h),
    positions: along.map((a) => a.h.position!),
    columns: first.columns,
    rows: first.rows,
    spacing: [columnSpacing, rowSpacing, spacing],
    origin,
    direction,
  };
}

/** Decodes the frames in slice order into one array of modality values. */
async function readValues(order: readonly FrameHeader[], columns: number, rows: number): Promise<Float64Array> {
  const size = columns * rows;
  const data = new Float64Array(size * order.length);
  const byFile = new Map<string, number[]>();
  order.forEach((h, k) => {
    const list = byFile.get(h.file);
    if (list === undefined) byFile.set(h.file, [k]);
    else list.push(k);
  });
  for (const [file, slices] of byFile) {
    let ds: DicomDataset;
    try {
      ds = readDicomFile(file);
    } catch (error) {
      throw wrapDicomError(error, file, "read");
    }
    for (const k of slices) {
      const h = order[k]!;
      let values: ArrayLike<number>;
      try {
        const frame = await decodeFrame(ds, h.frame);
        if (frame.samplesPerPixel !== 1 || frame.samples.length !== size) {
          throw new RadiomicsError(
            "input",
            `Frame ${h.frame + 1} of ${file} decoded to ${frame.samples.length} samples (${frame.samplesPerPixel} per pixel), not ${columns} x ${rows}`,
            { file, tag: formatTag("PixelData"), hint: "The file's Image Pixel module disagrees with its pixel data." },
          );
        }
        values = h.modalityLut ? modalityValues(ds, frame) : frame.samples;
      } catch (error) {
        if (error instanceof RadiomicsError) throw error;
        throw wrapDicomError(error, file, `decode frame ${h.frame + 1} of`);
      }
      const offset = k * size;
      if (h.modalityLut) {
        for (let p = 0; p < size; p++) data[offset + p] = values[p]!;
      } else {
        const { slope, intercept } = h;
        for (let p = 0; p < size; p++) data[offset + p] = values[p]! * slope + intercept;
      }
    }
  }
  return data;
}

function wrapDicomError(error: unknown, file: string, action: string): RadiomicsError {
  const message = error instanceof Error ? firstLine(error.message) : String(error);
  const hint = error instanceof RadlabError ? error.hint : undefined;
  const tag = error instanceof RadlabError ? error.evidence.tag : undefined;
  return new RadiomicsError("input", `Cannot ${action} ${file}: ${message}`, {
    file,
    ...(tag === undefined ? {} : { tag }),
    ...(hint === undefined ? {} : { hint }),
    cause: error,
  });
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

function base(file: string): string {
  return path.basename(file);
}

/** A slice named for messages: its file, and its frame when the file has several. */
function frameLabel(h: FrameHeader): string {
  return h.frameCount > 1 ? `${base(h.file)} frame ${h.frame + 1}` : base(h.file);
}

/** Up to {@link LISTED} items, then how many more. */
function describeList(items: readonly string[]): string {
  const shown = items.slice(0, LISTED).join(", ");
  return items.length > LISTED ? `${shown} and ${items.length - LISTED} more` : shown;
}

function mm(value: number): string {
  return String(Number(value.toFixed(4)));
}

function dot(a: readonly number[], b: readonly number[]): number {
  return (a[0] ?? 0) * (b[0] ?? 0) + (a[1] ?? 0) * (b[1] ?? 0) + (a[2] ?? 0) * (b[2] ?? 0);
}

function cross(a: Triple, b: Triple): Triple {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function unit(v: Triple): Triple | undefined {
  const n = Math.hypot(v[0], v[1], v[2]);
  if (!(n > 0.5) || !Number.isFinite(n) || Math.abs(n - 1) > 0.01) return undefined;
  return [v[0] / n, v[1] / n, v[2] / n];
}
