import path from "node:path";
import { RadlabError } from "../../core/radlab-error";
import type { DicomDataset } from "../../dicom/dataset";
import { readDicomFile } from "../../dicom/read";
import { formatTag } from "../../dicom/tag";
import { RadiomicsError } from "../radiomics-error";
import { assertSameFrameOfReference } from "./frame-of-reference";
import { patientToIndex } from "./patient-to-index";
import { fillPolygons } from "./polygon-fill";
import { gridOf, type Mask, type VoxelGrid } from "./volume";

/** (0008,0016) SOP Class UID of RT Structure Set Storage (PS3.4 B.5). */
const RT_STRUCTURE_SET_STORAGE = "1.2.840.10008.5.1.4.1.1.481.3";

/** How many items an error message lists before it says "and N more". */
const LISTED = 8;

/** One ROI of an RT Structure Set (PS3.3 C.8.8.5, C.8.8.6, C.8.8.8). */
export interface RtStructRoi {
  /** (3006,0022) ROI Number. */
  readonly number: number;
  /** (3006,0026) ROI Name. */
  readonly name: string;
  /** (3006,0024) Referenced Frame of Reference UID. */
  readonly frameOfReferenceUid?: string;
  /** (3006,00A4) RT ROI Interpreted Type from (3006,0080) RT ROI Observations Sequence, for example `ORGAN` or `GTV`. */
  readonly interpretedType?: string;
  /** How many items the ROI has in (3006,0040) Contour Sequence. */
  readonly contourCount: number;
  /** The distinct (3006,0042) Contour Geometric Types of its contours, for example `["CLOSED_PLANAR"]`. */
  readonly geometricTypes: readonly string[];
}

/** Options of {@link readRtStructMask}. */
export interface RtStructMaskOptions {
  /**
   * How far a contour may lie from the nearest slice centre, as a fraction of the slice spacing
   * (default 0.1). A contour farther from every slice was drawn on another grid and is refused.
   */
  readonly sliceTolerance?: number;
}

/**
 * The ROIs of an RT Structure Set: (3006,0020) Structure Set ROI Sequence joined with the
 * (3006,0039) ROI Contour and (3006,0080) RT ROI Observations sequences by ROI number.
 *
 * @param file - An RT Structure Set file (modality RTSTRUCT).
 * @returns The ROIs in the order of the Structure Set ROI Sequence.
 * @throws {@link RadiomicsError} `input` when the file cannot be read or is not an RT Structure Set.
 * @example
 * ```ts
 * import { listRtStructRois } from "@radlab/kernel";
 * listRtStructRois("../shared/data/dicom/pydicom/test_files/rtstruct.dcm").map((r) => r.name);
 * // ["patient", "Isocenter 1", "Isocenter 2"]
 * ```
 */
export function listRtStructRois(file: string): RtStructRoi[] {
  return rois(readStructureSet(file));
}

/**
 * Rasterises one ROI of an RT Structure Set onto an image grid, as radiomics needs it: each closed
 * planar contour (PS3.3 C.8.8.6) is moved from patient coordinates (LPS mm) to voxel indices with the
 * grid's origin, spacing and direction, put on the slice it lies on, and filled with the even-odd rule
 * together with the other contours of that slice, so inner contours cut holes. A voxel is in when its
 * centre is inside (centres exactly on an edge follow the half-open rule of `fillPolygons`). Parts of
 * contours outside the grid within the slice plane are clipped.
 *
 * @param file - An RT Structure Set file.
 * @param image - The grid to draw on, usually the volume of the referenced series from
 *   `readDicomSeries`; when it carries `frameOfReferenceUid`, the ROI's frame of reference must match.
 * @param roi - (3006,0026) ROI Name (exact) or (3006,0022) ROI Number.
 * @param options - The tolerance on contour positions between slices.
 * @returns A new mask on `image`'s grid.
 * @throws {@link RadiomicsError} `input` when the file is not an RT Structure Set, the ROI is unknown
 *   (naming the ROIs there are), has only point or open contours, or a contour is malformed;
 *   `geometry` when the frames of reference differ, a contour is not parallel to the slices, or lies
 *   on no slice of the grid (naming the contours and their positions); `empty-roi` when no voxel
 *   centre is inside; `settings` for a bad tolerance.
 * @example
 * ```ts
 * import { readDicomSeries, readRtStructMask } from "@radlab/kernel";
 * const ct = await readDicomSeries("ct-folder");
 * const gtv = await readRtStructMask("ct-folder-rtstruct.dcm", ct, "GTV");
 * ```
 */
export async function readRtStructMask(
  file: string,
  image: VoxelGrid & { readonly frameOfReferenceUid?: string },
  roi: string | number,
  options: RtStructMaskOptions = {},
): Promise<Mask> {
  const tolerance = options.sliceTolerance ?? 0.1;
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance >= 0.5) {
    throw new RadiomicsError("settings", `sliceTolerance must be a fraction from 0 to 0.5, not ${tolerance}`, {
      path: "options.sliceTolerance",
      hint: "Give how far a contour may lie from a slice centre as a fraction of the slice spacing, for example 0.1.",
    });
  }
  const ds = readStructureSet(file);
  const all = rois(ds);
  const chosen = all.find((r) => (typeof roi === "number" ? r.number === roi : r.name === roi.trim()));
  if (chosen === undefined) {
    const similar = typeof roi === "string" ? all.filter((r) => r.name.toLowerCase() === roi.trim().toLowerCase()) : [];
    throw new RadiomicsError(
      "input",
      `${path.basename(file)} has no ROI ${typeof roi === "number" ? `number ${roi}` : `named "${roi}"`}; it holds ${all.map((r) => `${r.number} "${r.name}"`).join(", ") || "no ROI"}`,
      {
        file,
        tag: formatTag(typeof roi === "number" ? "ROINumber" : "ROIName"),
        hint:
          similar.length > 0
            ? `Names are matched exactly: did you mean "${similar[0]!.name}"?`
            : "Pass one of the ROI names or numbers listed (listRtStructRois lists them).",
      },
    );
  }
  assertSameFrameOfReference(image.frameOfReferenceUid, chosen.frameOfReferenceUid, `ROI "${chosen.name}"`, {
    file,
    tag: formatTag("ReferencedFrameOfReferenceUID"),
    hint: "Draw the structure set on the series it was made for (its (3006,0010) Referenced Frame of Reference Sequence names it).",
  });
  const contours = contoursOf(ds, chosen.number);
  const name = `ROI ${chosen.number} "${chosen.name}"`;
  if (contours.length === 0) {
    throw new RadiomicsError("empty-roi", `${name} of ${path.basename(file)} has no contours`, {
      file,
      tag: formatTag("ContourSequence"),
      hint: "The ROI was defined but never drawn; pick another ROI.",
    });
  }
  const notClosed = contours.filter((c) => c.type !== "CLOSED_PLANAR");
  if (notClosed.length > 0) {
    const types = [...new Set(notClosed.map((c) => c.type))].join(", ");
    throw new RadiomicsError(
      notClosed.length === contours.length ? "input" : "unsupported",
      `${name} of ${path.basename(file)} has ${notClosed.length} of ${contours.length} contour(s) of type ${types}, which enclose no area: ${describeList(notClosed.map((c) => `contour ${c.label}`))}`,
      {
        file,
        tag: formatTag("ContourGeometricType"),
        hint:
          notClosed.length === contours.length
            ? "Points and open contours (isocentres, markers, lines) cannot be a radiomics mask; pick an ROI with CLOSED_PLANAR contours."
            : "Remove the point and open contours of the ROI, or pick an ROI with CLOSED_PLANAR contours only.",
      },
    );
  }
  const toIndex = patientToIndex(image);
  const [columns, rows, slices] = image.dims;
  const bySlice = new Map<number, Float64Array[]>();
  const offSlice: string[] = [];
  const oblique: string[] = [];
  for (const contour of contours) {
    const points = contour.points;
    const n = points.length / 3;
    if (!Number.isInteger(n) || n < 3) {
      throw new RadiomicsError(
        "input",
        `Contour ${contour.label} of ${name} has ${points.length} values in ${formatTag("ContourData")}; a closed planar contour needs at least 3 points of 3 coordinates`,
        { file, tag: formatTag("ContourData"), hint: "The structure set is damaged; export it again." },
      );
    }
    const polygon = new Float64Array(2 * n);
    let kMin = Infinity;
    let kMax = -Infinity;
    let kSum = 0;
    for (let p = 0; p < n; p++) {
      const [i, j, k] = toIndex(points[3 * p]!, points[3 * p + 1]!, points[3 * p + 2]!);
      polygon[2 * p] = i;
      polygon[2 * p + 1] = j;
      kMin = Math.min(kMin, k);
      kMax = Math.max(kMax, k);
      kSum += k;
    }
    const mean = kSum / n;
    if (kMax - kMin > 2 * tolerance) {
      oblique.push(`contour ${contour.label} (from k = ${fmt(kMin)} to ${fmt(kMax)})`);
      continue;
    }
    const k = Math.round(mean);
    if (Math.abs(mean - k) > tolerance || k < 0 || k >= slices) {
      const at = `${fmt(points[0]!)}, ${fmt(points[1]!)}, ${fmt(points[2]!)}`;
      offSlice.push(`contour ${contour.label} at k = ${fmt(mean)} (first point ${at} mm)`);
      continue;
    }
    const list = bySlice.get(k);
    if (list === undefined) bySlice.set(k, [polygon]);
    else list.push(polygon);
  }
  if (oblique.length > 0) {
    throw new RadiomicsError(
      "geometry",
      `${oblique.length} contour(s) of ${name} are not parallel to the slices of the image: ${describeList(oblique)}`,
      {
        file,
        tag: formatTag("ContourData"),
        hint: "The contours were drawn on images of another orientation; read the series the structure set references.",
      },
    );
  }
  if (offSlice.length > 0) {
    throw new RadiomicsError(
      "geometry",
      `${offSlice.length} of ${contours.length} contour(s) of ${name} lie on no slice of the image (k from 0 to ${slices - 1}, within ${tolerance} of a slice centre): ${describeList(offSlice)}`,
      {
        file,
        tag: formatTag("ContourData"),
        hint: "Draw the structure set on the series it was made for (same slice positions); a grid resampled or cropped along k misses its contours.",
      },
    );
  }
  const size = columns * rows;
  const data = new Uint8Array(size * slices);
  let count = 0;
  for (const [k, polygons] of bySlice) {
    const filled = fillPolygons(polygons, columns, rows);
    data.set(filled, k * size);
    for (let p = 0; p < size; p++) count += filled[p]!;
  }
  if (count === 0) {
    throw new RadiomicsError(
      "empty-roi",
      `No voxel centre of the image lies inside ${name}: its ${contours.length} contour(s) fall outside the image within their slices`,
      { file, hint: "Check that the structure set belongs to this image." },
    );
  }
  return {
    ...gridOf(image),
    data,
    source: file,
  };
}

interface Contour {
  /** (3006,0048) Contour Number, or the item's position when absent. */
  readonly label: string;
  readonly type: string;
  readonly points: readonly number[];
}

function readStructureSet(file: string): DicomDataset {
  let ds: DicomDataset;
  try {
    ds = readDicomFile(file);
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    const hint = error instanceof RadlabError ? error.hint : undefined;
    throw new RadiomicsError("input", `Cannot read ${file}: ${message}`, {
      file,
      ...(hint === undefined ? {} : { hint }),
      cause: error,
    });
  }
  const sopClass = ds.string("SOPClassUID")?.trim() ?? "";
  if (sopClass !== RT_STRUCTURE_SET_STORAGE && !ds.has("StructureSetROISequence")) {
    throw new RadiomicsError(
      "input",
      `${file} is not an RT Structure Set: ${formatTag("SOPClassUID")} is ${sopClass || "absent"} (modality ${ds.string("Modality")?.trim() || "absent"})`,
      {
        file,
        tag: formatTag("SOPClassUID"),
        hint: `Pass an RT Structure Set (modality RTSTRUCT, SOP class ${RT_STRUCTURE_SET_STORAGE}).`,
      },
    );
  }
  return ds;
}

function rois(ds: DicomDataset): RtStructRoi[] {
  const contourItems = ds.sequence("ROIContourSequence");
  const observations = ds.sequence("RTROIObservationsSequence");
  return ds.sequence("StructureSetROISequence").map((item) => {
    const number = item.number("ROINumber") ?? NaN;
    const contours = contourItems
      .filter((c) => c.number("ReferencedROINumber") === number)
      .flatMap((c) => c.sequence("ContourSequence"));
    const frameOfReferenceUid = nonEmpty(item.string("ReferencedFrameOfReferenceUID"));
    const interpretedType = nonEmpty(
      observations.find((o) => o.number("ReferencedROINumber") === number)?.string("RTROIInterpretedType"),
    );
    return {
      number,
      name: item.string("ROIName")?.trim() ?? "",
      ...(frameOfReferenceUid === undefined ? {} : { frameOfReferenceUid }),
      ...(interpretedType === undefined ? {} : { interpretedType }),
      contourCount: contours.length,
      geometricTypes: [...new Set(contours.map((c) => c.string("ContourGeometricType")?.trim() ?? ""))],
    };
  });
}

function contoursOf(ds: DicomDataset, roiNumber: number): Contour[] {
  return ds
    .sequence("ROIContourSequence")
    .filter((c) => c.number("ReferencedROINumber") === roiNumber)
    .flatMap((c) => c.sequence("ContourSequence"))
    .map((item, n) => ({
      label: String(item.number("ContourNumber") ?? `#${n + 1}`),
      type: item.string("ContourGeometricType")?.trim() ?? "",
      points: item.numbers("ContourData"),
    }));
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

function describeList(items: readonly string[]): string {
  const shown = items.slice(0, LISTED).join(", ");
  return items.length > LISTED ? `${shown} and ${items.length - LISTED} more` : shown;
}

function fmt(value: number): string {
  return String(Number(value.toFixed(3)));
}
