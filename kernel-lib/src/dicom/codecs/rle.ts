import { DecodeFailure, defineFrameDecoder } from "./decode-error";
import type { DecodedFrame, FrameDecoder, FrameInfo } from "./frame-codec";
import { checkFrameInfo, toSamples } from "./samples";
import { TS } from "./transfer-syntaxes";

/** The RLE header: the number of segments and 15 segment offsets, each a little-endian uint32 (G.5). */
const HEADER_BYTES = 64;
const MAX_SEGMENTS = 15;

/**
 * Decodes a frame of RLE Lossless (1.2.840.10008.1.2.5, PS3.5 Annex G). Each sample's bytes are
 * a segment of their own, most significant byte first, colour planes one after the other; the
 * result is interleaved (R,G,B,R,G,B...) whatever (0028,0006) Planar Configuration says, and
 * signed data is sign-extended from (0028,0101) Bits Stored. A 1-bit frame is one segment of
 * packed bits (least significant bit first, as native data, PS3.5 8.1.1) and comes back one byte,
 * 0 or 1, a pixel. `decode` rejects with a `RadlabError` of code `pixel-decode` when the header or
 * a segment is damaged, or when (0028,0100) Bits Allocated is not 1, 8, 16 or 32.
 *
 * @example
 * ```ts
 * import { rleLosslessDecoder } from "@radlab/kernel";
 * const { samples } = await rleLosslessDecoder.decode(frameBytes, frameInfo);
 * ```
 */
export const rleLosslessDecoder: FrameDecoder = defineFrameDecoder(
  TS.RLE_LOSSLESS,
  "radlab RLE (TypeScript)",
  decodeRleFrame,
);

function decodeRleFrame(frame: Uint8Array, info: FrameInfo): DecodedFrame {
  checkFrameInfo(info);
  if (info.bitsAllocated === 1) return decodeRleBits(frame, info);
  const pixels = info.rows * info.columns;
  const bytesPerSample = info.bitsAllocated / 8;
  const expected = info.samplesPerPixel * bytesPerSample;
  const offsets = readHeader(frame, expected);
  // Planes in segment order: for each sample, its most significant byte first (G.2).
  const planes = new Uint8Array(pixels * expected);
  for (let segment = 0; segment < expected; segment++) {
    const start = offsets[segment] ?? 0;
    const end = offsets[segment + 1] ?? frame.length;
    decodeSegment(frame, start, end, planes.subarray(segment * pixels, (segment + 1) * pixels), segment);
  }
  // Reassemble little-endian bytes, interleaved by pixel, for toSamples.
  const bytes = new Uint8Array(pixels * expected);
  const spp = info.samplesPerPixel;
  for (let sample = 0; sample < spp; sample++) {
    for (let byte = 0; byte < bytesPerSample; byte++) {
      const plane = planes.subarray((sample * bytesPerSample + byte) * pixels);
      const littleEndianByte = bytesPerSample - 1 - byte;
      for (let p = 0; p < pixels; p++) {
        bytes[(p * spp + sample) * bytesPerSample + littleEndianByte] = plane[p] ?? 0;
      }
    }
  }
  return {
    samples: toSamples(bytes, bytesPerSample === 4 ? 4 : bytesPerSample === 2 ? 2 : 1, "interleaved", info),
    photometricInterpretation: info.photometricInterpretation,
  };
}

/** A 1-bit frame: one segment holding the frame's bits packed into bytes, least significant bit first. */
function decodeRleBits(frame: Uint8Array, info: FrameInfo): DecodedFrame {
  const pixels = info.rows * info.columns;
  const offsets = readHeader(frame, 1);
  const packed = new Uint8Array(Math.ceil(pixels / 8));
  decodeSegment(frame, offsets[0] ?? HEADER_BYTES, frame.length, packed, 0);
  const samples = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) samples[i] = ((packed[i >> 3] ?? 0) >> (i & 7)) & 1;
  return { samples, photometricInterpretation: info.photometricInterpretation };
}

/** Reads the RLE header and returns the segment offsets, checked against the frame. */
function readHeader(frame: Uint8Array, expected: number): number[] {
  if (frame.length < HEADER_BYTES) {
    throw new DecodeFailure(`the frame has ${frame.length} bytes, fewer than the 64-byte RLE header`);
  }
  const view = new DataView(frame.buffer, frame.byteOffset, HEADER_BYTES);
  const count = view.getUint32(0, true);
  if (count !== expected) {
    throw new DecodeFailure(
      `the RLE header declares ${count} segments; (0028,0002) Samples per Pixel × (0028,0100) Bits Allocated / 8 ` +
        `requires ${expected}`,
      count >= 1 && count <= MAX_SEGMENTS
        ? { hint: "Correct (0028,0002) Samples per Pixel or (0028,0100) Bits Allocated to match the RLE data." }
        : {},
    );
  }
  const offsets: number[] = [];
  for (let i = 0; i < count; i++) offsets.push(view.getUint32(4 + 4 * i, true));
  offsets.forEach((offset, i) => {
    const previous = i === 0 ? HEADER_BYTES : (offsets[i - 1] ?? 0);
    if (offset < previous || offset > frame.length || (i === 0 && offset !== HEADER_BYTES)) {
      throw new DecodeFailure(`RLE segment ${i + 1} starts at byte ${offset}, outside the ${frame.length}-byte frame`);
    }
  });
  return offsets;
}

/**
 * Decodes one PackBits segment (G.3.1) into `out`, which it must fill. What is left once `out` is
 * full, even inside the last run, is padding: encoders pad segments to an even length, and some
 * (those of pydicom's 1-bit test files) code the pad byte as a literal.
 */
function decodeSegment(frame: Uint8Array, start: number, end: number, out: Uint8Array, segment: number): void {
  let read = start;
  let written = 0;
  const truncated = () =>
    new DecodeFailure(
      `RLE segment ${segment + 1} ends after ${written} of ${out.length} bytes: the frame is truncated or damaged`,
    );
  while (written < out.length) {
    if (read >= end) throw truncated();
    const header = frame[read++] ?? 0;
    if (header < 128) {
      const count = header + 1; // copy the next n + 1 bytes literally
      if (read + count > end) throw truncated();
      const kept = Math.min(count, out.length - written);
      out.set(frame.subarray(read, read + kept), written);
      read += count;
      written += kept;
    } else if (header > 128) {
      const count = 257 - header; // repeat the next byte -n + 1 times
      if (read >= end) throw truncated();
      const kept = Math.min(count, out.length - written);
      out.fill(frame[read++] ?? 0, written, written + kept);
      written += kept;
    }
    // header 128 (-128) is a no-op.
  }
}
