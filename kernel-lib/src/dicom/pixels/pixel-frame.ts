/** Pixel samples of one frame, as decoded. */
export type PixelSamples =
  Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/**
 * One decoded frame: samples interleaved by pixel (R,G,B,R,G,B for colour), colour already
 * converted to RGB (YBR and PALETTE COLOR), greyscale as stored (before the modality LUT).
 */
export interface PixelFrame {
  readonly rows: number;
  readonly columns: number;
  readonly samplesPerPixel: 1 | 3;
  /** `MONOCHROME1`, `MONOCHROME2` or `RGB`. */
  readonly photometricInterpretation: string;
  readonly samples: PixelSamples;
}
