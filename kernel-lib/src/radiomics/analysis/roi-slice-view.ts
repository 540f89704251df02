import { encodePngPixels } from "../../dicom/pixels/png";
import { escapeHtml } from "../../display/html";
import { DisplayableValue, type MimeBundle } from "../../display/mime-bundle";
import type { Mask, Volume } from "../image/volume";
import { assertSameGrid } from "../image/volume";
import { RadiomicsError } from "../radiomics-error";

/** Options of {@link roiSlice}. */
export interface RoiSliceOptions {
  /** The slice (k) to draw (default: the slice with the most ROI voxels). */
  readonly slice?: number;
  /** Window centre and width in image units (default: the 1st to 99th percentile of the slice). */
  readonly window?: { readonly center: number; readonly width: number };
  /** A caption (default: the slice and the ROI's voxel count in it). */
  readonly caption?: string;
  /** Pixels per voxel, at least 1 (default: enough to make the image about 384 pixels wide). */
  readonly zoom?: number;
}

/** A slice of an image with its ROI outlined; create it with {@link roiSlice}. */
export class RoiSliceView extends DisplayableValue {
  constructor(
    readonly png: Uint8Array,
    readonly width: number,
    readonly height: number,
    readonly caption: string,
  ) {
    super();
  }

  toMimeBundle(): MimeBundle {
    const base64 = Buffer.from(this.png).toString("base64");
    return {
      data: {
        "image/png": base64,
        "text/html": `<figure style="margin:0"><img src="data:image/png;base64,${base64}" width="${this.width}" height="${this.height}" alt="${escapeHtml(this.caption)}" style="image-rendering:pixelated"/><figcaption>${escapeHtml(this.caption)}</figcaption></figure>`,
        "text/plain": this.caption,
      },
      metadata: { "image/png": { width: this.width, height: this.height } },
    };
  }
}

/**
 * Draws one slice of an image in grey with the ROI's outline in red (the ROI voxels that touch a
 * voxel outside it), so that you can see what the features describe before trusting them.
 *
 * @throws {@link RadiomicsError} `geometry` when the mask is on another grid, `settings` for a
 *   slice outside the volume.
 *
 * @example
 * ```ts
 * import { display, maskFromLabel, readNrrd, roiSlice } from "@radlab/kernel";
 * const image = readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd");
 * const mask = maskFromLabel(readNrrd("../shared/data/radiomics/pyradiomics/data/brain1_label.nrrd"));
 * display(roiSlice(image, mask));
 * ```
 */
export function roiSlice(image: Volume, mask: Mask, options: RoiSliceOptions = {}): RoiSliceView {
  assertSameGrid(image, mask);
  const [nx, ny, nz] = image.dims;
  const plane = nx * ny;
  let k = options.slice;
  if (k === undefined) {
    let best = -1;
    k = 0;
    for (let z = 0; z < nz; z++) {
      let count = 0;
      for (let n = z * plane; n < (z + 1) * plane; n++) if (mask.data[n] !== 0) count++;
      if (count > best) {
        best = count;
        k = z;
      }
    }
  }
  if (!Number.isInteger(k) || k < 0 || k >= nz) {
    throw new RadiomicsError("settings", `Slice ${k} is outside the volume (0 to ${nz - 1})`, {
      path: "slice",
      hint: `Pick a slice from 0 to ${nz - 1}.`,
    });
  }
  const values = image.data.subarray(k * plane, (k + 1) * plane);
  let center: number;
  let width: number;
  if (options.window !== undefined) ({ center, width } = options.window);
  else {
    const sorted = Float64Array.from(values).sort();
    const lo = sorted[Math.floor(0.01 * (sorted.length - 1))]!;
    const hi = sorted[Math.ceil(0.99 * (sorted.length - 1))]!;
    center = (lo + hi) / 2;
    width = Math.max(hi - lo, 1e-9);
  }
  const zoom = options.zoom ?? Math.max(1, Math.round(384 / Math.max(nx, ny)));
  const width_ = nx * zoom;
  const height = ny * zoom;
  const rgba = new Uint8Array(width_ * height * 4);
  const inRoi = (i: number, j: number): boolean =>
    i >= 0 && j >= 0 && i < nx && j < ny && mask.data[k! * plane + i + nx * j] !== 0;
  let roiVoxels = 0;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const grey = Math.round(Math.min(1, Math.max(0, (values[i + nx * j]! - (center - width / 2)) / width)) * 255);
      const inside = inRoi(i, j);
      if (inside) roiVoxels++;
      const edge = inside && (!inRoi(i - 1, j) || !inRoi(i + 1, j) || !inRoi(i, j - 1) || !inRoi(i, j + 1));
      const [r, g, b] = edge ? [230, 30, 30] : inside ? [Math.min(255, grey + 40), grey, grey] : [grey, grey, grey];
      for (let y = j * zoom; y < (j + 1) * zoom; y++) {
        for (let x = i * zoom; x < (i + 1) * zoom; x++) {
          const o = (y * width_ + x) * 4;
          rgba[o] = r;
          rgba[o + 1] = g;
          rgba[o + 2] = b;
          rgba[o + 3] = 255;
        }
      }
    }
  }
  const caption =
    options.caption ??
    `Slice ${k} of ${nz}: ${roiVoxels} ROI voxel(s) outlined; window ${Number(center.toPrecision(4))} ± ${Number((width / 2).toPrecision(4))}`;
  return new RoiSliceView(encodePngPixels(width_, height, 4, rgba), width_, height, caption);
}
