import type { PixelFrame } from "../../dicom/pixels/pixel-frame";
import type { GreyImage } from "./ocr-types";

/**
 * Renders a decoded frame to 8-bit greyscale for OCR. Colour frames take the brightest channel of
 * each pixel (coloured annotation text stays bright, where a luminance average would dim pure blue
 * or red text). Greyscale frames are scaled linearly from their stored minimum to maximum, which
 * keeps text drawn at the extreme value crisp whatever the window; MONOCHROME1 is inverted so that
 * the image looks as displayed.
 *
 * @example
 * ```ts
 * import { frameToGrey } from "@radlab/kernel";
 * const grey = frameToGrey({ rows: 1, columns: 2, samplesPerPixel: 1, photometricInterpretation: "MONOCHROME2", samples: new Uint16Array([0, 4095]) });
 * grey.pixels; // Uint8Array [0, 255]
 * ```
 */
export function frameToGrey(frame: PixelFrame): GreyImage {
  const n = frame.rows * frame.columns;
  const out = new Uint8Array(n);
  const s = frame.samples;
  if (frame.samplesPerPixel === 3) {
    let max = 0;
    for (let i = 0; i < s.length; i++) if ((s[i] ?? 0) > max) max = s[i] ?? 0;
    const scale = max > 255 ? 255 / max : 1;
    for (let i = 0; i < n; i++) {
      out[i] = Math.max(s[3 * i] ?? 0, s[3 * i + 1] ?? 0, s[3 * i + 2] ?? 0) * scale;
    }
    return { width: frame.columns, height: frame.rows, pixels: out };
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = s[i] ?? 0;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max > min ? max - min : 1;
  const invert = frame.photometricInterpretation === "MONOCHROME1";
  for (let i = 0; i < n; i++) {
    const g = Math.round((((s[i] ?? 0) - min) * 255) / range);
    out[i] = invert ? 255 - g : g;
  }
  return { width: frame.columns, height: frame.rows, pixels: out };
}
