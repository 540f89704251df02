import { readFileSync } from "node:fs";
import path from "node:path";
import { RadlabError } from "../../core/radlab-error";
import { readSegmentation, type Segmentation } from "../../curation/dicom-seg";
import { formatTag } from "../../dicom/tag";
import { RadiomicsError } from "../radiomics-error";
import { assertSameFrameOfReference } from "./frame-of-reference";
import { patientToIndex } from "./patient-to-index";
import { gridOf, type Mask, type Triple, type VoxelGrid } from "./volume";

/** How many items an error message lists before it says "and N more". */
const LISTED = 8;

/**
 * The grid a segmentation is placed on, with what a `readDicomSeries` volume adds: its frame of
 * reference (checked against the segmentation's) and the instance each slice came from (used for
 * frames without a plane position).
 */
export type SegmentationTarget = VoxelGrid & {
  readonly frameOfReferenceUid?: string;
  readonly slices?: readonly { readonly sopInstanceUid: string; readonly frame: number }[];
};

/** Options of {@link segmentationMask}. */
export interface SegmentationMaskOptions {
  /**
   * For FRACTIONAL segmentations only: a pixel is in when its value is at least this fraction of
   * (0062,000E) Maximum Fractional Value (default 0.5). Giving it for a BINARY segmentation is an error.
   */
  readonly fractionalThreshold?: number;
  /**
   * How far a frame may lie from the image's voxel centres, as a fraction of a voxel, and still be
   * placed on them (default 0.1: positions and spacings are decimal strings of limited precision).
   */
  readonly tolerance?: number;
}

/**
 * Places one segment of a DICOM Segmentation (PS3.3 A.51) on an image grid: each frame of the
 * segment goes where its (0020,0032) Image Position (Patient) in the Plane Position functional group
 * falls on the grid, which must be the image's own pixel grid (same orientation and pixel spacing,
 * whole-voxel offsets; cropped frames are allowed). Frames without a position are matched to slices
 * by their (0008,2112) Source Image Sequence, when `image` lists the instances of its slices (as a
 * `readDicomSeries` volume does). Several frames on one slice are united.
 *
 * @param file - A DICOM SEG file (BINARY or FRACTIONAL), read with `readSegmentation`.
 * @param image - The grid to place it on, usually the volume of the segmented series.
 * @param segment - (0062,0004) Segment Number, or (0062,0005) Segment Label (exact).
 * @param options - The fractional threshold and the position tolerance.
 * @returns A new mask on `image`'s grid.
 * @throws {@link RadiomicsError} `input` when the file cannot be read as a segmentation (the
 *   `SegmentationError` as `cause`) or the segment is unknown (naming the segments there are);
 *   `geometry` when the frames of reference differ, a frame is not on the image's pixel grid (other
 *   orientation or spacing, or between voxels), lies outside it, or cannot be matched to a slice;
 *   `empty-roi` when the segment has no frame or no pixel; `settings` for bad options.
 * @example
 * ```ts
 * import { readDicomSeries, segmentationMask } from "@radlab/kernel";
 * const ct = await readDicomSeries("liver-ct");
 * const liver = await segmentationMask("liver.dcm", ct, "Liver");
 * ```
 */
export async function segmentationMask(
  file: string,
  image: SegmentationTarget,
  segment: number | string,
  options: SegmentationMaskOptions = {},
): Promise<Mask> {
  const tolerance = options.tolerance ?? 0.1;
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance >= 0.5) {
    throw new RadiomicsError("settings", `tolerance must be a fraction of a voxel from 0 to 0.5, not ${tolerance}`, {
      path: "options.tolerance",
      hint: "Give how far frames may lie from voxel centres as a fraction of a voxel, for example 0.1.",
    });
  }
  const seg = await read(file);
  const name = path.basename(file);
  const threshold = fractionalThreshold(seg, options.fractionalThreshold, file);
  const chosen = seg.segments.find((s) => (typeof segment === "number" ? s.number === segment : s.label === segment));
  if (chosen === undefined) {
    throw new RadiomicsError(
      "input",
      `${name} has no segment ${typeof segment === "number" ? `number ${segment}` : `labelled "${segment}"`}; it holds ${seg.segments.map((s) => `${s.number} "${s.label}"`).join(", ")}`,
      {
        file,
        tag: formatTag(typeof segment === "number" ? "SegmentNumber" : "SegmentLabel"),
        hint: "Pass one of the segment numbers or labels listed.",
      },
    );
  }
  assertSameFrameOfReference(image.frameOfReferenceUid, seg.frameOfReferenceUid, name, {
    file,
    tag: formatTag("FrameOfReferenceUID"),
    hint: "Place the segmentation on the series it was made for (its (0008,1115) Referenced Series Sequence names it).",
  });
  const label = `segment ${chosen.number} "${chosen.label}"`;
  const frames = seg.frames.map((f, n) => ({ f, n })).filter(({ f }) => f.segment === chosen.number);
  if (frames.length === 0) {
    throw new RadiomicsError("empty-roi", `${name} has no frame for ${label}`, {
      file,
      hint: "The segment is described but has no pixels; pick another segment.",
    });
  }
  const [columns, rows, slices] = image.dims;
  const size = columns * rows;
  const data = new Uint8Array(size * slices);
  const placement = placeByPosition(seg, image, tolerance, name);
  let count = 0;
  let outside = 0;
  for (const { f, n } of frames) {
    const pixels = "mask" in f ? f.mask.data : f.values;
    const cut = "mask" in f ? 1 : threshold;
    let i0: number;
    let j0: number;
    let k: number;
    if (f.imagePositionPatient !== undefined) {
      [i0, j0, k] = placement(f.imagePositionPatient, n);
    } else {
      k = sliceOfSource(f.sourceImages, image, n, name);
      if (seg.columns !== columns || seg.rows !== rows) {
        throw new RadiomicsError(
          "geometry",
          `Frame ${n + 1} of ${name} is ${seg.columns} x ${seg.rows} pixels, the image slices ${columns} x ${rows}`,
          { file, hint: "A frame without a plane position must cover its source image exactly." },
        );
      }
      i0 = 0;
      j0 = 0;
    }
    const base = k * size;
    for (let r = 0; r < seg.rows; r++) {
      const j = j0 + r;
      const rowStart = r * seg.columns;
      for (let c = 0; c < seg.columns; c++) {
        if (pixels[rowStart + c]! < cut) continue;
        const i = i0 + c;
        if (i < 0 || i >= columns || j < 0 || j >= rows) {
          outside++;
          continue;
        }
        const at = base + i + j * columns;
        if (data[at] === 0) {
          data[at] = 1;
          count++;
        }
      }
    }
  }
  if (outside > 0) {
    throw new RadiomicsError(
      "geometry",
      `${outside} pixel(s) of ${label} of ${name} fall outside the image grid (${columns} x ${rows} x ${slices})`,
      { file, hint: "Place the segmentation on the whole series it was made for, not a cropped grid." },
    );
  }
  if (count === 0) {
    throw new RadiomicsError("empty-roi", `${label} of ${name} has no pixel inside`, {
      file,
      hint:
        seg.type === "FRACTIONAL"
          ? "Lower options.fractionalThreshold, or pick another segment."
          : "The segment's frames are empty; pick another segment.",
    });
  }
  return {
    ...gridOf(image),
    data,
    source: file,
  };
}

async function read(file: string): Promise<Segmentation> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new RadiomicsError(
      "input",
      `Cannot read ${file}: ${(error as { code?: string }).code === "ENOENT" ? "no such file" : String(error)}`,
      {
        file,
        hint: "Check the path; relative paths start from the notebook's folder.",
        cause: error,
      },
    );
  }
  try {
    return await readSegmentation(bytes, { file });
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    const hint = error instanceof RadlabError ? error.hint : undefined;
    const tag = error instanceof RadlabError ? error.evidence.tag : undefined;
    throw new RadiomicsError("input", `Cannot read ${file} as a segmentation: ${message}`, {
      file,
      ...(tag === undefined ? {} : { tag }),
      ...(hint === undefined ? {} : { hint }),
      cause: error,
    });
  }
}

/** The sample value from which a pixel is in: 1 for BINARY, the threshold times the maximum for FRACTIONAL. */
function fractionalThreshold(seg: Segmentation, threshold: number | undefined, file: string): number {
  if (seg.type === "BINARY") {
    if (threshold !== undefined) {
      throw new RadiomicsError(
        "settings",
        `${path.basename(file)} is a BINARY segmentation: fractionalThreshold does not apply`,
        {
          file,
          path: "options.fractionalThreshold",
          hint: "Leave fractionalThreshold out for BINARY segmentations.",
        },
      );
    }
    return 1;
  }
  const fraction = threshold ?? 0.5;
  if (!Number.isFinite(fraction) || fraction <= 0 || fraction > 1) {
    throw new RadiomicsError("settings", `fractionalThreshold must be in (0, 1], not ${fraction}`, {
      file,
      path: "options.fractionalThreshold",
      hint: "Give the fraction of the maximum fractional value from which a pixel is in, for example 0.5.",
    });
  }
  return Math.max(1, Math.ceil(fraction * seg.maximumFractionalValue - 1e-9));
}

/**
 * A function from a frame's position to the voxel indices of its first pixel, after checking once
 * that the segmentation's pixel grid is the image's (its row and column steps are one voxel along i
 * and j, within `tolerance` over the whole frame).
 */
function placeByPosition(
  seg: Segmentation,
  image: VoxelGrid,
  tolerance: number,
  name: string,
): (position: readonly [number, number, number], frame: number) => Triple {
  const toIndex = patientToIndex(image);
  let checked = false;
  return (position, frame) => {
    const o = seg.imageOrientationPatient;
    const ps = seg.pixelSpacing;
    if (o === undefined || ps === undefined) {
      throw new RadiomicsError(
        "input",
        `${name} gives frame positions but no ${o === undefined ? formatTag("ImageOrientationPatient") : formatTag("PixelSpacing")}`,
        {
          file: seg.file,
          tag: formatTag(o === undefined ? "PlaneOrientationSequence" : "PixelMeasuresSequence"),
          hint: "The segmentation is incomplete (PS3.3 C.8.20.1 requires both with a frame of reference); export it again.",
        },
      );
    }
    const [x, y, z] = position;
    const start = toIndex(x, y, z);
    if (!checked) {
      // The pixel (c, r) of a frame lies at position + c * columnSpacing * rowDirection + r * rowSpacing * columnDirection.
      const corner = (c: number, r: number) =>
        toIndex(
          x + c * ps[1] * o[0] + r * ps[0] * o[3],
          y + c * ps[1] * o[1] + r * ps[0] * o[4],
          z + c * ps[1] * o[2] + r * ps[0] * o[5],
        );
      const last = corner(seg.columns - 1, seg.rows - 1);
      const along = corner(seg.columns - 1, 0);
      const expected: [Triple, Triple][] = [
        [along, [start[0] + seg.columns - 1, start[1], start[2]]],
        [last, [start[0] + seg.columns - 1, start[1] + seg.rows - 1, start[2]]],
      ];
      const off = expected.some(([got, want]) => got.some((v, a) => Math.abs(v - want[a]!) > tolerance));
      if (off) {
        throw new RadiomicsError(
          "geometry",
          `The pixels of ${name} are not on the image's pixel grid: its orientation [${o.join(", ")}] and pixel spacing [${ps.join(", ")}] do not match the image's direction [${image.direction.map((v) => fmt(v)).join(", ")}] and spacing [${image.spacing.join(", ")}]`,
          {
            file: seg.file,
            tag: formatTag("ImageOrientationPatient"),
            hint: "Place the segmentation on the series it was made for, or resample the mask (as a label image) onto this grid.",
          },
        );
      }
      checked = true;
    }
    const whole = start.map(Math.round) as unknown as Triple;
    const between = start.some((v, a) => Math.abs(v - whole[a]!) > tolerance);
    if (between || whole[2] < 0 || whole[2] >= image.dims[2]) {
      throw new RadiomicsError(
        "geometry",
        `Frame ${frame + 1} of ${name} at [${position.join(", ")}] mm lies ${between ? "between the voxels" : "outside the slices"} of the image (at voxel [${start.map((v) => fmt(v)).join(", ")}]; k from 0 to ${image.dims[2] - 1})`,
        {
          file: seg.file,
          tag: formatTag("ImagePositionPatient"),
          hint: "Place the segmentation on the whole series it was made for (same slice positions); a resampled or cropped grid misses its frames.",
        },
      );
    }
    return whole;
  };
}

/** The slice of `image` a frame without position belongs to, by its source image. */
function sliceOfSource(
  sources: readonly { readonly sopInstanceUid: string; readonly frameNumbers?: readonly number[] }[],
  image: SegmentationTarget,
  frame: number,
  name: string,
): number {
  const slices = image.slices;
  if (slices === undefined) {
    if (image.dims[2] === 1) return 0;
    throw new RadiomicsError(
      "geometry",
      `Frame ${frame + 1} of ${name} has no plane position, and the image grid does not list the instances of its slices`,
      {
        hint: "Read the image with readDicomSeries, whose volume lists the instance of each slice, so frames can be matched by their source images.",
      },
    );
  }
  for (const source of sources) {
    const wanted = (source.frameNumbers?.[0] ?? 1) - 1;
    const k = slices.findIndex((s) => s.sopInstanceUid === source.sopInstanceUid && s.frame === wanted);
    if (k >= 0) return k;
  }
  const named = sources.map((s) => s.sopInstanceUid);
  throw new RadiomicsError(
    "geometry",
    `Frame ${frame + 1} of ${name} has no plane position and its source image${named.length === 1 ? "" : "s"} ${named.slice(0, LISTED).join(", ") || "(none)"} ${named.length === 1 ? "is" : "are"} not a slice of the image`,
    {
      tag: formatTag("SourceImageSequence"),
      hint: "Place the segmentation on the series it was derived from.",
    },
  );
}

function fmt(value: number): string {
  return String(Number(value.toFixed(3)));
}
