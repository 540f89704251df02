import * as fs from "node:fs";
import * as path from "node:path";
import * as dcmjs from "dcmjs";
import type { DecodedFrame, FrameInfo } from "../frame-codec";

/** ../shared/data/dicom, beside the repository. */
export const DICOM_DATA = path.resolve(__dirname, "../../../../../../shared/data/dicom");

dcmjs.log.setLevel("error");

/** A test file's Image Pixel module, transfer syntax and frames. */
export interface Fixture {
  readonly file: string;
  readonly transferSyntax: string;
  readonly info: FrameInfo;
  /**
   * Encapsulated frames (fragments joined), or native frames' bytes as stored (little endian);
   * native 1-bit frames are unpacked to one byte (0 or 1) a pixel.
   */
  readonly frames: readonly Uint8Array[];
}

const ENCAPSULATED = /^1\.2\.840\.10008\.1\.2\.(4\.|5$)/;

/**
 * Reads a file under DICOM_DATA with dcmjs. Files that start with their meta group (no preamble,
 * as pydicom's JLSL_RGB_* are) get a preamble and a group length first.
 */
export function readFixture(relative: string): Fixture {
  const file = path.join(DICOM_DATA, relative);
  const bytes = withPreamble(fs.readFileSync(file));
  const parsed = dcmjs.data.DicomMessage.readFile(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  );
  const first = (tag: string): unknown => parsed.dict[tag]?.Value?.[0];
  const number = (tag: string, fallback?: number): number => {
    const value = first(tag) ?? fallback;
    if (value === undefined) throw new Error(`${relative}: no ${tag}`);
    return Number(value);
  };
  const transferSyntax = String(parsed.meta["00020010"]?.Value?.[0] ?? "");
  const info: FrameInfo = {
    rows: number("00280010"),
    columns: number("00280011"),
    samplesPerPixel: number("00280002"),
    bitsAllocated: number("00280100"),
    bitsStored: number("00280101"),
    pixelRepresentation: number("00280103") === 1 ? 1 : 0,
    photometricInterpretation: String(first("00280004")),
    planarConfiguration: number("00280006", 0) === 1 ? 1 : 0,
  };
  const frameCount = number("00280008", 1);
  const values = (parsed.dict["7FE00010"]?.Value ?? []).map((value) => new Uint8Array(value as ArrayBuffer));
  const frames = ENCAPSULATED.test(transferSyntax)
    ? groupFragments(values, frameCount)
    : splitNative(values[0] ?? new Uint8Array(0), info, frameCount);
  return { file: relative, transferSyntax, info, frames };
}

function withPreamble(bytes: Buffer): Buffer {
  if (bytes.toString("latin1", 128, 132) === "DICM") return bytes;
  let offset = 0;
  while (bytes.readUInt16LE(offset) === 0x0002) {
    const vr = bytes.toString("latin1", offset + 4, offset + 6);
    offset += ["OB", "OW", "SQ", "UN", "UT"].includes(vr)
      ? 12 + bytes.readUInt32LE(offset + 8)
      : 8 + bytes.readUInt16LE(offset + 6);
  }
  const groupLength = Buffer.alloc(12);
  groupLength.writeUInt16LE(0x0002, 0);
  groupLength.write("UL", 4, "latin1");
  groupLength.writeUInt16LE(4, 6);
  groupLength.writeUInt32LE(offset, 8);
  return Buffer.concat([Buffer.alloc(128), Buffer.from("DICM", "latin1"), groupLength, bytes]);
}

/** dcmjs returns fragments: one per frame, or several to join (a new frame starts with SOI or SOC). */
function groupFragments(fragments: Uint8Array[], frameCount: number): Uint8Array[] {
  if (fragments.length === frameCount) return fragments;
  if (frameCount === 1) return [Buffer.concat(fragments)];
  const frames: Uint8Array[][] = [];
  for (const fragment of fragments) {
    const starts = fragment[0] === 0xff && (fragment[1] === 0xd8 || fragment[1] === 0x4f);
    const current = frames[frames.length - 1];
    if (starts || current === undefined) frames.push([fragment]);
    else current.push(fragment);
  }
  if (frames.length !== frameCount) throw new Error(`found ${frames.length} frames, expected ${frameCount}`);
  return frames.map((parts) => new Uint8Array(Buffer.concat(parts)));
}

function splitNative(data: Uint8Array, info: FrameInfo, frameCount: number): Uint8Array[] {
  if (info.bitsAllocated === 1) {
    // 1-bit frames are packed back to back, least significant bit first (PS3.5 8.1.1): unpack them.
    const pixels = info.rows * info.columns;
    return Array.from({ length: frameCount }, (_, f) =>
      Uint8Array.from({ length: pixels }, (_, i) => ((data[(f * pixels + i) >> 3] ?? 0) >> ((f * pixels + i) & 7)) & 1),
    );
  }
  const size = (info.rows * info.columns * info.samplesPerPixel * info.bitsAllocated) / 8;
  return Array.from({ length: frameCount }, (_, i) => data.slice(i * size, (i + 1) * size));
}

/** A native (little-endian) frame's samples, typed as a decoder returns them. */
export function nativeSamples(fixture: Fixture, index: number): DecodedFrame["samples"] {
  const bytes = fixture.frames[index];
  if (bytes === undefined) throw new Error(`${fixture.file} has no frame ${index}`);
  const copy = bytes.slice();
  if (fixture.info.bitsAllocated <= 8) return copy;
  const signed = fixture.info.pixelRepresentation === 1;
  if (fixture.info.bitsAllocated === 32) {
    return signed ? new Int32Array(copy.buffer, 0, copy.length / 4) : new Uint32Array(copy.buffer, 0, copy.length / 4);
  }
  return signed ? new Int16Array(copy.buffer, 0, copy.length / 2) : new Uint16Array(copy.buffer, 0, copy.length / 2);
}

/** The largest absolute difference, the mean absolute difference and the first differing index. */
export interface Difference {
  readonly max: number;
  readonly mean: number;
  readonly firstAt: number | undefined;
}

/** Compares two sample arrays element by element (they must have the same length). */
export function difference(actual: ArrayLike<number>, expected: ArrayLike<number>): Difference {
  if (actual.length !== expected.length) throw new Error(`lengths differ: ${actual.length} vs ${expected.length}`);
  let max = 0;
  let sum = 0;
  let firstAt: number | undefined;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs((actual[i] ?? 0) - (expected[i] ?? 0));
    if (d > 0 && firstAt === undefined) firstAt = i;
    if (d > max) max = d;
    sum += d;
  }
  return { max, mean: actual.length === 0 ? 0 : sum / actual.length, firstAt };
}
