import type { PixelFrame, PixelSamples } from "../../dicom/pixels/pixel-frame";
import type { Box } from "./ocr-types";
import { PixelDeidError } from "./pixel-deid-error";

/**
 * Grows a box by `margin` pixels on every side, clipped to a `columns` x `rows` image.
 *
 * @example
 * ```ts
 * import { expandBox } from "@radlab/kernel";
 * expandBox({ left: 0, top: 5, width: 10, height: 10 }, 3, 100, 100); // { left: 0, top: 2, width: 13, height: 16 }
 * ```
 */
export function expandBox(box: Box, margin: number, columns: number, rows: number): Box {
  const left = Math.max(0, Math.floor(box.left - margin));
  const top = Math.max(0, Math.floor(box.top - margin));
  const right = Math.min(columns, Math.ceil(box.left + box.width + margin));
  const bottom = Math.min(rows, Math.ceil(box.top + box.height + margin));
  return { left, top, width: Math.max(0, right - left), height: Math.max(0, bottom - top) };
}

/**
 * Returns a copy of a decoded frame with every box filled with black as displayed: the frame's
 * lowest sample for MONOCHROME2, its highest for MONOCHROME1, 0 in every channel for RGB.
 * Samples are interleaved (as {@link decodeFrame} returns them, whatever the file's Planar
 * Configuration); greyscale and RGB, 8 and 16 bits, signed or not. The input is not changed.
 *
 * @throws {@link PixelDeidError} `mask-invalid` for a box outside the frame or with no area.
 * @example
 * ```ts
 * import { maskFrame } from "@radlab/kernel";
 * const frame = { rows: 2, columns: 2, samplesPerPixel: 1 as const, photometricInterpretation: "MONOCHROME2", samples: new Uint8Array([0, 9, 0, 9]) };
 * maskFrame(frame, [{ left: 1, top: 0, width: 1, height: 2 }]).samples; // Uint8Array [0, 0, 0, 0]
 * ```
 */
export function maskFrame(frame: PixelFrame, boxes: readonly Box[]): PixelFrame {
  const samples = frame.samples.slice() as PixelSamples;
  const spp = frame.samplesPerPixel;
  const fill = spp === 3 ? 0 : blackOf(frame);
  for (const b of boxes) {
    if (
      !(b.width > 0 && b.height > 0) ||
      b.left < 0 ||
      b.top < 0 ||
      b.left + b.width > frame.columns ||
      b.top + b.height > frame.rows
    ) {
      throw new PixelDeidError(
        "mask-invalid",
        `The box ${JSON.stringify(b)} does not lie inside the ${frame.columns}x${frame.rows} frame.`,
        { hint: "Clip boxes to the frame with expandBox." },
      );
    }
    for (let y = b.top; y < b.top + b.height; y++) {
      const start = (y * frame.columns + b.left) * spp;
      samples.fill(fill, start, start + b.width * spp);
    }
  }
  return { ...frame, samples };
}

function blackOf(frame: PixelFrame): number {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < frame.samples.length; i++) {
    const v = frame.samples[i] ?? 0;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min)) return 0;
  return frame.photometricInterpretation === "MONOCHROME1" ? max : min;
}
