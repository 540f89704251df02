import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PNG } from "pngjs";
import { DicomDataset } from "../../../dicom/dataset";
import { readDicom, readDicomFile } from "../../../dicom/read";
import type { Box } from "../ocr-types";

/** ../shared/data, beside the repository. */
export const SHARED_DATA = path.resolve(__dirname, "../../../../../../shared/data");
export const PRESIDIO = path.join(SHARED_DATA, "burned-in/presidio");
export const ULTRASOUNDS = path.join(SHARED_DATA, "deid/samples/deid-data/deid_data/data/ultrasounds");

/** One presidio image with its ground-truth PHI word boxes, in the image's own pixel coordinates. */
export interface PresidioCase {
  readonly name: string;
  readonly ds: DicomDataset;
  readonly truth: readonly { readonly label: string; readonly box: Box }[];
}

/**
 * presidio's ground_truth.json gives boxes in the coordinates of the image padded by 25 pixels, as
 * presidio's redactor reads it: KAUFMAN is at x=1 of 2_ORIGINAL but listed at left 26, and every
 * box of the four images is offset the same way. The offset is removed here.
 */
const GROUND_TRUTH_PADDING = 25;

export function presidioCases(): PresidioCase[] {
  const truth = JSON.parse(
    fs.readFileSync(path.join(PRESIDIO, "docs/samples/python/sample_data/ground_truth.json"), "utf8"),
  ) as Record<string, { label: string; left: number; top: number; width: number; height: number }[]>;
  const boxes = (key: string) =>
    (truth[`sample_data/${key}.dcm`] ?? []).map((b) => ({
      label: b.label,
      box: {
        left: b.left - GROUND_TRUTH_PADDING,
        top: b.top - GROUND_TRUTH_PADDING,
        width: b.width,
        height: b.height,
      },
    }));
  const pngs = path.join(PRESIDIO, "presidio-image-redactor/tests/test_data/png_images");
  return [
    {
      name: "0_ORIGINAL (CR, RLE, MONOCHROME1)",
      ds: readDicomFile(path.join(PRESIDIO, "presidio-image-redactor/tests/test_data/0_ORIGINAL_compressed.dcm")),
      truth: boxes("0_ORIGINAL"),
    },
    { name: "1_ORIGINAL (PNG)", ds: pngDataset(path.join(pngs, "1_ORIGINAL.png")), truth: boxes("1_ORIGINAL") },
    {
      name: "2_ORIGINAL (CT, 16-bit)",
      ds: readDicomFile(path.join(PRESIDIO, "docs/samples/python/sample_data/2_ORIGINAL.dcm")),
      truth: boxes("2_ORIGINAL"),
    },
    { name: "3_ORIGINAL (PNG)", ds: pngDataset(path.join(pngs, "3_ORIGINAL.png")), truth: boxes("3_ORIGINAL") },
  ];
}

/**
 * A PNG wrapped in memory as an 8-bit Secondary Capture without any header PHI (the DICOMs of
 * presidio's images 1 and 3 are not in the data set): only pattern and name recognition can find
 * its text.
 */
export function pngDataset(file: string): DicomDataset {
  const png = PNG.sync.read(fs.readFileSync(file));
  const n = png.width * png.height;
  let grey = true;
  for (let i = 0; i < n && grey; i++)
    grey = png.data[4 * i] === png.data[4 * i + 1] && png.data[4 * i] === png.data[4 * i + 2];
  const pixels = new Uint8Array(grey ? n : 3 * n);
  for (let i = 0; i < n; i++) {
    if (grey) pixels[i] = png.data[4 * i] ?? 0;
    else for (let c = 0; c < 3; c++) pixels[3 * i + c] = png.data[4 * i + c] ?? 0;
  }
  const dict = {
    "00080016": { vr: "UI", Value: ["1.2.840.10008.5.1.4.1.1.7"] },
    "00080060": { vr: "CS", Value: ["OT"] },
    "00280002": { vr: "US", Value: [grey ? 1 : 3] },
    "00280004": { vr: "CS", Value: [grey ? "MONOCHROME2" : "RGB"] },
    "00280010": { vr: "US", Value: [png.height] },
    "00280011": { vr: "US", Value: [png.width] },
    "00280100": { vr: "US", Value: [8] },
    "00280101": { vr: "US", Value: [8] },
    "00280102": { vr: "US", Value: [7] },
    "00280103": { vr: "US", Value: [0] },
    "7FE00010": { vr: "OB", Value: [pixels.buffer] },
  };
  const meta = { "00020010": { vr: "UI", Value: ["1.2.840.10008.1.2.1"] } };
  return new DicomDataset({ meta, dict }, { file, repairs: [], headerOnly: false });
}

/** GREYSCALE_CINE.dcm unzipped into a temporary folder (outside the repository), read, and the folder removed. */
export function readCine(): DicomDataset {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "radlab-cine-"));
  try {
    execFileSync("unzip", ["-q", path.join(ULTRASOUNDS, "GREYSCALE_CINE.zip"), "-d", dir]);
    const bytes = fs.readFileSync(path.join(dir, "GREYSCALE_CINE.dcm"));
    return readDicom(bytes, { file: path.join(ULTRASOUNDS, "GREYSCALE_CINE.zip!GREYSCALE_CINE.dcm") });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The fraction of `box`'s area covered by the union of `masks`. */
export function coveredFraction(box: Box, masks: readonly Box[]): number {
  let covered = 0;
  for (let y = box.top; y < box.top + box.height; y++) {
    for (let x = box.left; x < box.left + box.width; x++) {
      if (masks.some((m) => x >= m.left && x < m.left + m.width && y >= m.top && y < m.top + m.height)) covered++;
    }
  }
  return covered / Math.max(1, box.width * box.height);
}

/** Pixels of the union of `masks` that lie in none of `truth`. */
export function maskedOutside(
  masks: readonly Box[],
  truth: readonly Box[],
  columns: number,
  rows: number,
): { outside: number; masked: number } {
  const grid = new Uint8Array(columns * rows);
  for (const m of masks)
    for (let y = m.top; y < m.top + m.height; y++) grid.fill(1, y * columns + m.left, y * columns + m.left + m.width);
  for (const t of truth) {
    for (let y = Math.max(0, t.top); y < Math.min(rows, t.top + t.height); y++) {
      for (let x = Math.max(0, t.left); x < Math.min(columns, t.left + t.width); x++)
        if (grid[y * columns + x] === 1) grid[y * columns + x] = 2;
    }
  }
  let outside = 0;
  let masked = 0;
  for (const v of grid) {
    if (v > 0) masked++;
    if (v === 1) outside++;
  }
  return { outside, masked };
}
