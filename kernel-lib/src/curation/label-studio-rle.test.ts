import { describe, expect, it } from "vitest";
import { brushToMask, decodeLabelStudioRle, encodeLabelStudioRle, maskToBrush } from "./label-studio-rle";
import { seededRandom } from "../core/seeded-random";

/** Bytes from a string of bits, most significant bit first, zero-padded to a whole byte. */
function bitsToBytes(bits: string): number[] {
  const clean = bits.replace(/\s+/g, "");
  const padded = clean.padEnd(Math.ceil(clean.length / 8) * 8, "0");
  return Array.from({ length: padded.length / 8 }, (_, i) => parseInt(padded.slice(i * 8, i * 8 + 8), 2));
}

/** A seeded mask of blobs and speckle (mulberry32), so literal and run chunks both occur. */
function seededMask(width: number, height: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const mask = new Uint8Array(width * height);
  const cx = width * random();
  const cy = height * random();
  const r = Math.min(width, height) * (0.1 + 0.3 * random());
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = (x - cx) ** 2 + (y - cy) ** 2 < r * r;
      mask[y * width + x] = inside !== random() < 0.05 ? 1 : 0;
    }
  }
  return mask;
}

describe("Label Studio brush RLE", () => {
  // Written by hand from the format (header, then a run chunk of three 0s and one of a single 255),
  // independently of the encoder.
  const handMade = bitsToBytes(
    "00000000000000000000000000000100" + // 4 values
      "00111" + // word size 8
      "0010 0011 0111 1111" + // run field sizes 3, 4, 8, 16
      "1 00 010 00000000" + // run, size index 0, length 3, value 0
      "1 00 000 11111111", // run, size index 0, length 1, value 255
  );

  it("decodes a stream written by hand from the format", () => {
    expect(handMade).toHaveLength(11);
    expect([...decodeLabelStudioRle(handMade)]).toEqual([0, 0, 0, 255]);
  });

  it("decodes literal chunks", () => {
    const bytes = bitsToBytes(
      "00000000000000000000000000000011 00111 0010001101111111 0 00 010 00000001 00000010 00000011",
    );
    expect([...decodeLabelStudioRle(bytes)]).toEqual([1, 2, 3]);
  });

  it("encodes runs of two or more as run chunks and a lone value as a literal chunk", () => {
    expect(encodeLabelStudioRle([0, 0, 0, 255])).toEqual(
      bitsToBytes(
        "00000000000000000000000000000100 00111 0010001101111111" +
          "1 00 010 00000000" + // run of three 0s
          "0 00 000 11111111", // literal chunk of one value, 255
      ),
    );
  });

  it("round-trips seeded masks exactly, through the RGBA canvas", () => {
    for (const [width, height, seed] of [
      [1, 1, 1],
      [7, 5, 2],
      [64, 64, 3],
      [300, 200, 4],
    ] as const) {
      const mask = seededMask(width, height, seed);
      const rle = maskToBrush(mask, width, height);
      expect([...brushToMask(rle, width, height)]).toEqual([...mask]);
    }
  });

  it("splits runs longer than the longest run field (2^16 values)", () => {
    const empty = new Uint8Array(512 * 512 * 4); // 1,048,576 zeros: 16 run chunks
    const rle = encodeLabelStudioRle(empty);
    const decoded = decodeLabelStudioRle(rle);
    expect(decoded.length).toBe(1_048_576);
    expect(decoded.every((v) => v === 0)).toBe(true);
    expect(rle.length).toBe(Math.ceil((32 + 5 + 16 + 16 * (1 + 2 + 16 + 8)) / 8));
  });

  it("round-trips arbitrary values with another word size", () => {
    const values = [0, 1023, 5, 5, 5, 7, 1000, 1000, 0];
    expect([...decodeLabelStudioRle(encodeLabelStudioRle(values, { wordSize: 10 }))]).toEqual(values);
  });

  it("fails on a stream cut short, naming the byte", () => {
    expect(() => decodeLabelStudioRle(handMade.slice(0, 8))).toThrowError(
      expect.objectContaining({ code: "label-studio-rle", evidence: { offset: 7 } }),
    );
  });

  it("fails on a value that is not a byte, naming its index", () => {
    expect(() => decodeLabelStudioRle([0, 0, 300])).toThrowError(
      expect.objectContaining({ code: "label-studio-rle", evidence: { path: "rle[2]" } }),
    );
  });

  it("fails when the canvas does not match the image size", () => {
    const rle = maskToBrush(new Uint8Array(6), 3, 2);
    expect(() => brushToMask(rle, 2, 2)).toThrowError(/holds 24 values, not the 16 of a 2 x 2 RGBA canvas/);
    expect(() => maskToBrush(new Uint8Array(5), 3, 2)).toThrowError(/holds 5 pixels, not the 6 of 3 x 2/);
    expect(() => encodeLabelStudioRle([256])).toThrowError(/Value 256 at index 0 does not fit in 8 bits/);
  });

  it("refuses a word size or run field size the header cannot hold", () => {
    expect(() => encodeLabelStudioRle([1], { wordSize: 33 })).toThrowError(
      /wordSize 33 and runSizes \[3, 4, 8, 16\] do not fit the format's header/,
    );
    expect(() => encodeLabelStudioRle([1], { runSizes: [3, 4, 8, 17] })).toThrowError(
      /wordSize 8 and runSizes \[3, 4, 8, 17\] do not fit/,
    );
  });

  it("checks a brush's declared size before decoding it", () => {
    // A header claiming 2^32 - 1 values and nothing after it: refused for the canvas, not decoded.
    const huge = bitsToBytes("1".repeat(32) + "00111" + "0010001101111111");
    expect(() => brushToMask(huge, 2, 2)).toThrowError(/holds 4294967295 values, not the 16 of a 2 x 2 RGBA canvas/);
  });
});
