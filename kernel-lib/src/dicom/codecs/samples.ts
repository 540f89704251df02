import { DecodeFailure } from "./decode-error";
import type { DecodedFrame, FrameInfo } from "./frame-codec";

/** The sample arrays a {@link DecodedFrame} may hold. */
export type Samples = DecodedFrame["samples"];

const IMAGE_PIXEL_HINT =
  "Correct the Image Pixel module ((0028,0002) Samples per Pixel, (0028,0010) Rows, (0028,0011) Columns, " +
  "(0028,0100) Bits Allocated, (0028,0101) Bits Stored) so that it describes the compressed frames.";

/**
 * Checks the Image Pixel values that every decoder relies on (PS3.3 C.7.6.3).
 *
 * @param info - the frame's Image Pixel module.
 * @throws DecodeFailure when a value is out of range or not supported for compressed frames.
 */
export function checkFrameInfo(info: FrameInfo): void {
  const problems: string[] = [];
  if (!Number.isInteger(info.rows) || info.rows < 1) problems.push(`(0028,0010) Rows is ${info.rows}`);
  if (!Number.isInteger(info.columns) || info.columns < 1) problems.push(`(0028,0011) Columns is ${info.columns}`);
  if (info.samplesPerPixel !== 1 && info.samplesPerPixel !== 3) {
    problems.push(`(0028,0002) Samples per Pixel is ${info.samplesPerPixel}, not 1 or 3`);
  }
  if (![1, 8, 16, 32].includes(info.bitsAllocated)) {
    problems.push(
      `(0028,0100) Bits Allocated is ${info.bitsAllocated}; radlab decodes compressed frames of 1, 8, 16 or 32`,
    );
  } else if (info.bitsAllocated === 1 && info.samplesPerPixel !== 1) {
    problems.push(`(0028,0002) Samples per Pixel is ${info.samplesPerPixel} with Bits Allocated 1`);
  } else if (!Number.isInteger(info.bitsStored) || info.bitsStored < 1 || info.bitsStored > info.bitsAllocated) {
    problems.push(`(0028,0101) Bits Stored is ${info.bitsStored} with Bits Allocated ${info.bitsAllocated}`);
  }
  if (problems.length > 0) throw new DecodeFailure(problems.join("; "), { hint: IMAGE_PIXEL_HINT });
}

/** What a codec says about the image it decoded. */
export interface CodestreamGeometry {
  readonly width: number;
  readonly height: number;
  readonly components: number;
}

/**
 * Checks that the codestream's size and component count agree with the Image Pixel module.
 *
 * @param found - what the codec read from the codestream.
 * @param info - the frame's Image Pixel module.
 * @throws DecodeFailure naming both values when they differ.
 */
export function checkGeometry(found: CodestreamGeometry, info: FrameInfo): void {
  if (found.width === info.columns && found.height === info.rows && found.components === info.samplesPerPixel) return;
  throw new DecodeFailure(
    `the codestream holds ${found.width}×${found.height} pixels with ${found.components} component(s), ` +
      `but (0028,0011) Columns × (0028,0010) Rows is ${info.columns}×${info.rows} ` +
      `with (0028,0002) Samples per Pixel ${info.samplesPerPixel}`,
    { hint: IMAGE_PIXEL_HINT },
  );
}

/**
 * Builds a frame's samples from a codec's output.
 *
 * @param values - the codec's samples: bytes (`bytesPerSample` little-endian bytes a sample) or a
 *   Uint16Array / Int16Array of sample values.
 * @param bytesPerSample - 1, 2 or 4 when `values` holds bytes; ignored otherwise.
 * @param layout - `interleaved` (R,G,B,R,G,B...) or `planar` (all R, all G, all B).
 * @param info - the Image Pixel module; the result is Uint8Array for Bits Allocated 8 (and 1: one
 *   sample, 0 or 1, a pixel), Uint16Array for 16 and Uint32Array for 32, or Int16Array / Int32Array
 *   sign-extended from Bits Stored when Pixel Representation is 1. Signed 8-bit samples stay two's
 *   complement bytes in a Uint8Array, as they are stored natively.
 * @returns a new array of rows × columns × samples per pixel samples, interleaved by pixel.
 * @throws DecodeFailure when the codec returned too few samples, or wider samples than Bits Allocated.
 */
export function toSamples(
  values: Uint8Array | Uint8ClampedArray | Uint16Array | Int16Array,
  bytesPerSample: 1 | 2 | 4,
  layout: "interleaved" | "planar",
  info: FrameInfo,
): Samples {
  // Embind hands out WASM memory as Uint8ClampedArray; both byte array types hold bytes.
  const isBytes = !(values instanceof Uint16Array || values instanceof Int16Array);
  const width = isBytes ? bytesPerSample : 2;
  const count = info.rows * info.columns * info.samplesPerPixel;
  const available = Math.floor(values.length / (isBytes ? bytesPerSample : 1));
  if (available < count) {
    throw new DecodeFailure(`the codec returned ${available} samples; ${count} were expected`);
  }
  if (width * 8 > Math.max(info.bitsAllocated, 8)) {
    throw new DecodeFailure(
      `the codestream holds ${width * 8}-bit samples but (0028,0100) Bits Allocated is ${info.bitsAllocated}`,
      { hint: IMAGE_PIXEL_HINT },
    );
  }
  const read: (index: number) => number =
    !isBytes || bytesPerSample === 1
      ? (index) => values[index] ?? 0
      : bytesPerSample === 2
        ? (index) => (values[2 * index] ?? 0) | ((values[2 * index + 1] ?? 0) << 8)
        : (index) =>
            ((values[4 * index] ?? 0) |
              ((values[4 * index + 1] ?? 0) << 8) |
              ((values[4 * index + 2] ?? 0) << 16) |
              ((values[4 * index + 3] ?? 0) << 24)) >>>
            0;
  const out =
    info.bitsAllocated <= 8
      ? new Uint8Array(count)
      : info.bitsAllocated === 16
        ? new Uint16Array(count)
        : new Uint32Array(count);
  if (layout === "planar" && info.samplesPerPixel > 1) {
    const pixels = info.rows * info.columns;
    const spp = info.samplesPerPixel;
    for (let plane = 0; plane < spp; plane++) {
      for (let p = 0; p < pixels; p++) out[p * spp + plane] = read(plane * pixels + p);
    }
  } else {
    for (let i = 0; i < count; i++) out[i] = read(i);
  }
  if (info.pixelRepresentation === 0 || info.bitsAllocated === 1) return out;
  signExtendInPlace(out, info.bitsStored, info.bitsAllocated);
  if (out instanceof Uint16Array) return new Int16Array(out.buffer, out.byteOffset, out.length);
  if (out instanceof Uint32Array) return new Int32Array(out.buffer, out.byteOffset, out.length);
  return out;
}

/** Sign-extends two's complement values of `bitsStored` bits to the full `bitsAllocated` width. */
function signExtendInPlace(
  values: Uint8Array | Uint16Array | Uint32Array,
  bitsStored: number,
  bitsAllocated: number,
): void {
  if (bitsStored >= bitsAllocated) return;
  const shift = 32 - bitsStored;
  for (let i = 0; i < values.length; i++) values[i] = ((values[i] ?? 0) << shift) >> shift;
}
