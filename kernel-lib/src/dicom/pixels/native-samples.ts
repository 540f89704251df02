import type { ImagePixelInfo } from "./image-pixel-info";
import type { PixelSamples } from "./pixel-frame";

/** Bytes one native frame occupies (PS3.5 8.1.1; 1-bit data is packed, frames are not padded). */
export function nativeFrameLength(info: ImagePixelInfo): number {
  const samples = info.rows * info.columns * info.samplesPerPixel;
  return info.bitsAllocated === 1 ? Math.ceil(samples / 8) : (samples * info.bitsAllocated) / 8;
}

/**
 * Turns the bytes of one native frame into samples: masked to Bits Stored, sign-extended when
 * Pixel Representation is 1, byte-swapped for big endian, and interleaved when stored planar.
 */
export function nativeSamples(bytes: Uint8Array, info: ImagePixelInfo, littleEndian: boolean): PixelSamples {
  const count = info.rows * info.columns * info.samplesPerPixel;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const signed = info.pixelRepresentation === 1;
  const shift = 32 - info.bitsStored;
  const fix = (v: number) =>
    signed ? (v << shift) >> shift : info.bitsStored >= 32 ? v >>> 0 : v & ((1 << info.bitsStored) - 1);
  let out: PixelSamples;
  switch (info.bitsAllocated) {
    case 1:
      out = unpackBits(bytes, 0, count);
      break;
    case 8: {
      if (info.bitsStored === 8 && !signed) out = bytes.slice(0, count);
      else {
        const a = signed ? new Int8Array(count) : new Uint8Array(count);
        for (let i = 0; i < count; i++) a[i] = fix(bytes[i] ?? 0);
        out = a;
      }
      break;
    }
    case 16: {
      // Copy the bytes once, swap them natively for big endian, then view them as 16-bit samples.
      const copy = Buffer.alloc(count * 2); // never pooled, so aligned for a 16-bit view
      copy.set(bytes.subarray(0, count * 2));
      if (!littleEndian) copy.swap16();
      const a = signed
        ? new Int16Array(copy.buffer, copy.byteOffset, count)
        : new Uint16Array(copy.buffer, copy.byteOffset, count);
      if (info.bitsStored < 16) for (let i = 0; i < count; i++) a[i] = fix(a[i] ?? 0);
      out = a;
      break;
    }
    case 32: {
      if (info.pixelDataKeyword === "FloatPixelData") {
        const a = new Float32Array(count);
        for (let i = 0; i < count; i++) a[i] = view.getFloat32(4 * i, littleEndian);
        out = a;
      } else {
        const a = signed ? new Int32Array(count) : new Uint32Array(count);
        for (let i = 0; i < count; i++) a[i] = fix(view.getUint32(4 * i, littleEndian) | 0);
        out = a;
      }
      break;
    }
    case 64: {
      const a = new Float64Array(count);
      for (let i = 0; i < count; i++) a[i] = view.getFloat64(8 * i, littleEndian);
      out = a;
      break;
    }
    default:
      throw new RangeError(`Bits Allocated ${info.bitsAllocated} is not 1, 8, 16, 32 or 64`);
  }
  return info.samplesPerPixel === 3 && info.planarConfiguration === 1 ? interleave(out, info.rows * info.columns) : out;
}

/** R…R G…G B…B to R,G,B,R,G,B. */
export function interleave<T extends PixelSamples>(planar: T, pixels: number): T {
  const out = new (planar.constructor as new (n: number) => T)(pixels * 3);
  for (let i = 0; i < pixels; i++) {
    out[3 * i] = planar[i] ?? 0;
    out[3 * i + 1] = planar[pixels + i] ?? 0;
    out[3 * i + 2] = planar[2 * pixels + i] ?? 0;
  }
  return out;
}

/** Unpacks `count` 1-bit samples starting at bit `firstBit` (least significant bit first, PS3.5 D.2). */
export function unpackBits(bytes: Uint8Array, firstBit: number, count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const bit = firstBit + i;
    out[i] = ((bytes[bit >> 3] ?? 0) >> (bit & 7)) & 1;
  }
  return out;
}
