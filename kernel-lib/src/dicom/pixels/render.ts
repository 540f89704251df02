import type { DicomDataset } from "../dataset";
import {
  applyWindow,
  autoWindow,
  CT_WINDOW_PRESETS,
  fileVoiLut,
  fileWindows,
  modalityValues,
  type CtWindowPreset,
  type WindowLevel,
} from "./lut";
import type { PixelFrame } from "./pixel-frame";
import { encodePngPixels } from "./png";

/**
 * How to choose the window of a greyscale image: a CT preset name, explicit values, `file` (the
 * file's VOI LUT Sequence, else its first Window Center/Width, else auto) or `auto`.
 */
export type WindowChoice = CtWindowPreset | WindowLevel | "file" | "auto";

/** An 8-bit RGBA image ready for display, with the window that produced it. */
export interface RenderedImage {
  readonly width: number;
  readonly height: number;
  /** width x height x 4 bytes. */
  readonly rgba: Uint8ClampedArray;
  /** The window applied (greyscale), or `null` for colour images. */
  readonly window: WindowLevel | null;
}

/**
 * Renders a decoded frame to 8-bit RGBA: modality LUT, VOI window (default: the file's first
 * preset, else auto), MONOCHROME1 inverted; colour frames scaled to 8 bits.
 *
 * @example
 * ```ts
 * import { decodeFrame, readDicomFile, renderFrame } from "@radlab/kernel";
 * const ds = readDicomFile("CT_small.dcm");
 * const image = renderFrame(ds, await decodeFrame(ds), "abdomen");
 * ```
 */
export function renderFrame(ds: DicomDataset, frame: PixelFrame, choice: WindowChoice = "file"): RenderedImage {
  const pixels = frame.rows * frame.columns;
  const rgba = new Uint8ClampedArray(pixels * 4);
  if (frame.samplesPerPixel === 3) {
    const max = Math.max(255, maxSample(frame.samples));
    const scale = max > 255 ? 255 / max : 1;
    for (let i = 0; i < pixels; i++) {
      rgba[4 * i] = (frame.samples[3 * i] ?? 0) * scale;
      rgba[4 * i + 1] = (frame.samples[3 * i + 1] ?? 0) * scale;
      rgba[4 * i + 2] = (frame.samples[3 * i + 2] ?? 0) * scale;
      rgba[4 * i + 3] = 255;
    }
    return { width: frame.columns, height: frame.rows, rgba, window: null };
  }
  const values = modalityValues(ds, frame);
  const invert = frame.photometricInterpretation === "MONOCHROME1";
  const voiLut = choice === "file" ? fileVoiLut(ds) : null;
  if (voiLut !== null) {
    for (let i = 0; i < pixels; i++) {
      const g = voiLut(values[i] ?? 0);
      const v = invert ? 255 - g : g;
      rgba.set([v, v, v, 255], 4 * i);
    }
    return {
      width: frame.columns,
      height: frame.rows,
      rgba,
      window: { center: Number.NaN, width: Number.NaN, label: "VOI LUT" },
    };
  }
  const window =
    typeof choice === "object"
      ? choice
      : choice === "auto"
        ? autoWindow(values)
        : choice === "file"
          ? (fileWindows(ds)[0] ?? autoWindow(values))
          : CT_WINDOW_PRESETS[choice];
  const grey = applyWindow(values, window, invert);
  for (let i = 0; i < pixels; i++) {
    const g = grey[i] ?? 0;
    rgba[4 * i] = g;
    rgba[4 * i + 1] = g;
    rgba[4 * i + 2] = g;
    rgba[4 * i + 3] = 255;
  }
  return { width: frame.columns, height: frame.rows, rgba, window };
}

function maxSample(samples: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < samples.length; i++) if ((samples[i] ?? 0) > max) max = samples[i] ?? 0;
  return max;
}

/** Encodes a rendered image as PNG (RGBA, 8 bits). */
export function encodePng(image: RenderedImage): Uint8Array {
  return encodePngPixels(image.width, image.height, 4, image.rgba);
}
