import { describe, expect, it } from "vitest";
import type { FrameInfo } from "./frame-codec";
import { decodeWithRadlabDct, jpegBaselineDecoder, jpegExtendedDecoder } from "./jpeg";
import { decodeJpegDct } from "./jpeg-dct";
import { difference, nativeSamples, readFixture } from "./test-support/fixtures";

const segment = (marker: number, body: readonly number[]) => [
  0xff,
  marker,
  (body.length + 2) >> 8,
  (body.length + 2) & 0xff,
  ...body,
];

/**
 * A 16×8 greyscale JPEG of two blocks, written by hand. DC table: code 0 is category 1, code 10
 * category 0; AC table: code 0 is EOB; DC quantiser 8. Each block codes "DC difference +1, EOB"
 * (bits 010); with a restart interval of one block the predictor restarts at 0, so both blocks
 * decode to DC 1, one count above mid-grey after the IDCT.
 */
function twoBlockJpeg(precision: 8 | 12, entropy: readonly number[], restartInterval = 1): Uint8Array {
  return new Uint8Array([
    0xff,
    0xd8,
    ...segment(0xdb, [0x00, 8, ...new Array<number>(63).fill(1)]),
    ...segment(0xc0 + (precision === 8 ? 0 : 1), [precision, 0, 8, 0, 16, 1, 1, 0x11, 0]),
    ...segment(0xc4, [0x00, 1, 1, ...new Array<number>(14).fill(0), 0x01, 0x00]),
    ...segment(0xc4, [0x10, 1, ...new Array<number>(15).fill(0), 0x00]),
    ...(restartInterval > 0 ? segment(0xdd, [0, restartInterval]) : []),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...entropy,
    0xff,
    0xd9,
  ]);
}

// Each block padded to a byte (010 + 11111 = 0x5F), restart marker RST0 between them.
const WITH_RESTART = [0x5f, 0xff, 0xd0, 0x5f];

describe("decodeJpegDct", () => {
  it("resets the DC predictor at each restart marker (8- and 12-bit)", () => {
    const eight = decodeJpegDct(twoBlockJpeg(8, WITH_RESTART));
    expect(eight).toMatchObject({ width: 16, height: 8, precision: 8, components: 1 });
    expect(new Set(eight.samples)).toEqual(new Set([129]));
    const twelve = decodeJpegDct(twoBlockJpeg(12, WITH_RESTART));
    expect(twelve.precision).toBe(12);
    expect(new Set(twelve.samples)).toEqual(new Set([2049]));
    // Without restarts the second block codes difference 0 (bits 010 100, padded: 0x53).
    expect(new Set(decodeJpegDct(twoBlockJpeg(8, [0x53], 0)).samples)).toEqual(new Set([129]));
  });

  it("agrees with libjpeg-turbo on the same hand-written stream", async () => {
    const info: FrameInfo = {
      rows: 8,
      columns: 16,
      samplesPerPixel: 1,
      bitsAllocated: 8,
      bitsStored: 8,
      pixelRepresentation: 0,
      photometricInterpretation: "MONOCHROME2",
      planarConfiguration: 0,
    };
    const { samples } = await jpegBaselineDecoder.decode(twoBlockJpeg(8, WITH_RESTART), info);
    expect(new Set(samples)).toEqual(new Set([129]));
    const twelve = await jpegExtendedDecoder.decode(twoBlockJpeg(12, WITH_RESTART), {
      ...info,
      bitsAllocated: 16,
      bitsStored: 12,
    });
    expect(twelve.samples).toBeInstanceOf(Uint16Array);
    expect(new Set(twelve.samples)).toEqual(new Set([2049]));
  });

  it("rejects a missing restart marker and non-sequential frame types", () => {
    const missing = twoBlockJpeg(12, [0x5f, 0x5f]);
    expect(() => decodeJpegDct(missing)).toThrow(`a JPEG restart marker is missing at byte ${missing.length - 3}`);
    const progressive = twoBlockJpeg(8, WITH_RESTART);
    progressive[progressive.indexOf(0xc0, 2)] = 0xc2;
    expect(() => decodeJpegDct(progressive)).toThrow(
      "JPEG frame type SOF2 is not sequential Huffman-coded DCT (SOF0 or SOF1), which DICOM's JPEG Baseline and Extended syntaxes use",
    );
  });
});

// The 8-bit colour files through radlab's decoder instead of libjpeg-turbo, against DCMTK's
// decompression kept in the corpus (max and mean absolute difference). 4:4:4 and 4:2:2 frames match
// exactly; 4:2:0 chroma differs because libjpeg and DCMTK upsample it with a triangle filter and
// radlab replicates samples (12-bit colour JPEG, the only use of this path, is not met in practice).
const COLOUR: [string, string, number, number][] = [
  ["pydicom/test_files/SC_rgb_dcmtk_+eb+cr.dcm", "pydicom/pydicom-data/SC_rgb_dcmtk_ebcr_dcmd.dcm", 0, 0],
  ["pydicom/test_files/SC_rgb_dcmtk_+eb+cy+s4.dcm", "pydicom/pydicom-data/SC_rgb_dcmtk_ebcys4_dcmd.dcm", 0, 0],
  ["pydicom/test_files/SC_rgb_dcmtk_+eb+cy+s2.dcm", "pydicom/pydicom-data/SC_rgb_dcmtk_ebcys2_dcmd.dcm", 0, 0],
  // 4:2:0 (2×2 luma sampling): chroma differs at the image's colour band edges.
  ["pydicom/test_files/SC_rgb_dcmtk_+eb+cy+np.dcm", "pydicom/pydicom-data/SC_rgb_dcmtk_ebcynp_dcmd.dcm", 75, 2.515],
  ["pydicom/test_files/SC_rgb_dcmtk_+eb+cy+n1.dcm", "pydicom/pydicom-data/SC_rgb_dcmtk_ebcyn1_dcmd.dcm", 75, 2.515],
  ["pydicom/test_files/SC_rgb_dcmtk_+eb+cy+n2.dcm", "pydicom/pydicom-data/SC_rgb_dcmtk_ebcyn2_dcmd.dcm", 0, 0],
];

describe("decodeWithRadlabDct on 8-bit colour", () => {
  it.each(COLOUR)("%s vs %s: max %d, mean ≤ %s", (compressed, reference, max, mean) => {
    const fixture = readFixture(compressed);
    const frame = decodeWithRadlabDct(fixture.frames[0]!, fixture.info);
    expect(frame.photometricInterpretation).toBe("RGB");
    const d = difference(frame.samples, nativeSamples(readFixture(reference), 0));
    expect(d.max).toBe(max);
    expect(d.mean).toBeLessThanOrEqual(mean);
  });
});
