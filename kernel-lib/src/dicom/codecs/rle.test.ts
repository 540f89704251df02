import { describe, expect, it } from "vitest";
import { RadlabError } from "../../core/radlab-error";
import type { FrameInfo } from "./frame-codec";
import { rleLosslessDecoder } from "./rle";

/** An RLE frame (PS3.5 G.5): the 64-byte header, then the given segments one after the other. */
function rleFrame(segments: readonly (readonly number[])[], count = segments.length): Uint8Array {
  const header = new DataView(new ArrayBuffer(64));
  header.setUint32(0, count, true);
  let offset = 64;
  segments.forEach((segment, i) => {
    header.setUint32(4 + 4 * i, offset, true);
    offset += segment.length;
  });
  return new Uint8Array([...new Uint8Array(header.buffer), ...segments.flat()]);
}

const GREY8: FrameInfo = {
  rows: 2,
  columns: 4,
  samplesPerPixel: 1,
  bitsAllocated: 8,
  bitsStored: 8,
  pixelRepresentation: 0,
  photometricInterpretation: "MONOCHROME2",
  planarConfiguration: 0,
};

async function message(frame: Uint8Array, info: FrameInfo): Promise<string> {
  const error = await rleLosslessDecoder.decode(frame, info).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(RadlabError);
  expect((error as RadlabError).code).toBe("pixel-decode");
  return ((error as RadlabError).message.split("\n")[0] ?? "").replace(
    "Cannot decode a RLE Lossless (1.2.840.10008.1.2.5) frame with radlab RLE (TypeScript): ",
    "",
  );
}

describe("rleLosslessDecoder (PS3.5 Annex G)", () => {
  it("decodes literal runs, replicate runs and the -128 no-op (G.3.1)", async () => {
    // 2 literal bytes (header 1), 5 × 9 (header -4 = 252), no-op (128), 1 literal byte (header 0).
    const frame = rleFrame([[1, 10, 20, 252, 9, 128, 0, 30]]);
    const { samples, photometricInterpretation } = await rleLosslessDecoder.decode(frame, GREY8);
    expect(samples).toBeInstanceOf(Uint8Array);
    expect(Array.from(samples)).toEqual([10, 20, 9, 9, 9, 9, 9, 30]);
    expect(photometricInterpretation).toBe("MONOCHROME2");
  });

  it("ignores padding after a full segment, even inside the last run", async () => {
    const info = { ...GREY8, rows: 1 };
    const padded = rleFrame([[255, 7, 255, 8, 0]]); // 2 × 7, 2 × 8, then a pad byte
    expect(Array.from((await rleLosslessDecoder.decode(padded, info)).samples)).toEqual([7, 7, 8, 8]);
    const literalPad = rleFrame([[255, 7, 2, 8, 8, 0]]); // 2 × 7, then 3 literal bytes of which 1 is padding
    expect(Array.from((await rleLosslessDecoder.decode(literalPad, info)).samples)).toEqual([7, 7, 8, 8]);
  });

  it("unpacks 1-bit frames least significant bit first", async () => {
    const info: FrameInfo = { ...GREY8, rows: 1, columns: 10, bitsAllocated: 1, bitsStored: 1 };
    const frame = rleFrame([[1, 0b10000101, 0b10]]); // 2 literal bytes: bits 0, 2, 7 and 9 set
    const { samples } = await rleLosslessDecoder.decode(frame, info);
    expect(samples).toBeInstanceOf(Uint8Array);
    expect(Array.from(samples)).toEqual([1, 0, 1, 0, 0, 0, 0, 1, 0, 1]);
  });

  it("puts the most significant byte segment first and sign-extends from Bits Stored", async () => {
    const info: FrameInfo = {
      ...GREY8,
      rows: 1,
      columns: 3,
      bitsAllocated: 16,
      bitsStored: 12,
      pixelRepresentation: 1,
    };
    // Samples 0x0FFF (-1 in 12 bits), 0x0800 (-2048), 0x07FF (2047).
    const frame = rleFrame([
      [2, 0x0f, 0x08, 0x07],
      [2, 0xff, 0x00, 0xff],
    ]);
    const { samples } = await rleLosslessDecoder.decode(frame, info);
    expect(samples).toBeInstanceOf(Int16Array);
    expect(Array.from(samples)).toEqual([-1, -2048, 2047]);
    const unsigned = await rleLosslessDecoder.decode(frame, { ...info, pixelRepresentation: 0 });
    expect(unsigned.samples).toBeInstanceOf(Uint16Array);
    expect(Array.from(unsigned.samples)).toEqual([0x0fff, 0x0800, 0x07ff]);
  });

  it("assembles 32-bit samples from four segments and sign-extends them", async () => {
    const info: FrameInfo = {
      ...GREY8,
      rows: 1,
      columns: 2,
      bitsAllocated: 32,
      bitsStored: 32,
      pixelRepresentation: 1,
    };
    const frame = rleFrame([
      [1, 0xff, 0x01],
      [1, 0xff, 0x02],
      [1, 0xff, 0x03],
      [1, 0xfe, 0x04],
    ]);
    const { samples } = await rleLosslessDecoder.decode(frame, info);
    expect(samples).toBeInstanceOf(Int32Array);
    expect(Array.from(samples)).toEqual([-2, 0x01020304]);
    const unsigned = await rleLosslessDecoder.decode(frame, { ...info, pixelRepresentation: 0 });
    expect(unsigned.samples).toBeInstanceOf(Uint32Array);
    expect(Array.from(unsigned.samples)).toEqual([0xfffffffe, 0x01020304]);
  });

  it("interleaves colour planes whatever Planar Configuration says", async () => {
    const info: FrameInfo = {
      ...GREY8,
      rows: 1,
      columns: 2,
      samplesPerPixel: 3,
      photometricInterpretation: "RGB",
      planarConfiguration: 1,
    };
    const frame = rleFrame([
      [1, 255, 0],
      [1, 0, 255],
      [255, 128],
    ]);
    expect(Array.from((await rleLosslessDecoder.decode(frame, info)).samples)).toEqual([255, 0, 128, 0, 255, 128]);
  });

  it("rejects a header whose segment count does not fit the Image Pixel module", async () => {
    expect(await message(rleFrame([[3, 1, 2, 3, 4]]), { ...GREY8, bitsAllocated: 16 })).toBe(
      "the RLE header declares 1 segments; (0028,0002) Samples per Pixel × (0028,0100) Bits Allocated / 8 requires 2",
    );
  });

  it("rejects truncated, overrunning and misplaced segments", async () => {
    const info = { ...GREY8, rows: 1 };
    expect(await message(rleFrame([[3, 1, 2]]), info)).toBe(
      "RLE segment 1 ends after 0 of 4 bytes: the frame is truncated or damaged",
    );
    const misplaced = rleFrame([[255, 7, 255, 8]]);
    new DataView(misplaced.buffer).setUint32(4, 9000, true);
    expect(await message(misplaced, info)).toBe("RLE segment 1 starts at byte 9000, outside the 68-byte frame");
    expect(await message(new Uint8Array(10), info)).toBe("the frame has 10 bytes, fewer than the 64-byte RLE header");
  });
});
