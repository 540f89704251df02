import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { RadlabError } from "../../core/radlab-error";
import type { DecodedFrame, FrameDecoder, FrameInfo } from "./frame-codec";
import {
  COMPRESSED_TRANSFER_SYNTAXES,
  decoderFor,
  htj2kDecoder,
  htj2kLosslessDecoder,
  htj2kLosslessRpclDecoder,
  jpeg2000LosslessDecoder,
  jpegBaselineDecoder,
  jpegExtendedDecoder,
  jpegLosslessDecoder,
  jpegLsLosslessDecoder,
  rleLosslessDecoder,
} from "./index";
import { difference, nativeSamples, readFixture, type Fixture } from "./test-support/fixtures";

const P = "pydicom/test_files/";
const D = "pydicom/pydicom-data/";
const MULTI = "dicomparser/encapsulated/multi-frame/";
const SINGLE = "dicomparser/encapsulated/single-frame/";

/** Decodes every frame of a fixture with the decoder for its transfer syntax. */
async function decodeAll(fixture: Fixture, info: FrameInfo = fixture.info): Promise<DecodedFrame[]> {
  const decoder = decoderFor(fixture.transferSyntax);
  if (decoder === undefined) throw new Error(`no decoder for ${fixture.transferSyntax}`);
  const out: DecodedFrame[] = [];
  for (const frame of fixture.frames) out.push(await decoder.decode(frame, info));
  return out;
}

/** SHA-256 of the frames' samples, little-endian, one frame after the other. */
function sha256(frames: readonly DecodedFrame[]): string {
  const hash = createHash("sha256");
  for (const { samples } of frames) hash.update(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
  return hash.digest("hex");
}

/** The samples of pixel (row, column), as pydicom's arr[row, column] lists them. */
function pixel(frame: DecodedFrame, info: FrameInfo, row: number, column: number): number[] {
  const start = (row * info.columns + column) * info.samplesPerPixel;
  return Array.from(frame.samples.subarray(start, start + info.samplesPerPixel));
}

/** The first sample of each pixel in rows `from` to `to` (exclusive) of `column`. */
function columnValues(frame: DecodedFrame, info: FrameInfo, from: number, to: number, column: number): number[] {
  return Array.from({ length: to - from }, (_, i) => pixel(frame, info, from + i, column)[0] ?? Number.NaN);
}

describe("decoderFor", () => {
  it("has one decoder for each compressed transfer syntax, bound to that syntax", () => {
    expect(COMPRESSED_TRANSFER_SYNTAXES).toEqual([
      "1.2.840.10008.1.2.4.50",
      "1.2.840.10008.1.2.4.51",
      "1.2.840.10008.1.2.4.57",
      "1.2.840.10008.1.2.4.70",
      "1.2.840.10008.1.2.4.80",
      "1.2.840.10008.1.2.4.81",
      "1.2.840.10008.1.2.4.90",
      "1.2.840.10008.1.2.4.91",
      "1.2.840.10008.1.2.4.201",
      "1.2.840.10008.1.2.4.202",
      "1.2.840.10008.1.2.4.203",
      "1.2.840.10008.1.2.5",
    ]);
    expect(
      COMPRESSED_TRANSFER_SYNTAXES.map((uid) => [uid, decoderFor(uid)?.transferSyntaxes, decoderFor(uid)?.name]),
    ).toEqual([
      ["1.2.840.10008.1.2.4.50", ["1.2.840.10008.1.2.4.50"], "libjpeg-turbo (WASM)"],
      [
        "1.2.840.10008.1.2.4.51",
        ["1.2.840.10008.1.2.4.51"],
        "libjpeg-turbo (WASM) for 8-bit, radlab 12-bit DCT (TypeScript) for 12-bit",
      ],
      ["1.2.840.10008.1.2.4.57", ["1.2.840.10008.1.2.4.57"], "jpeg-lossless-decoder-js"],
      ["1.2.840.10008.1.2.4.70", ["1.2.840.10008.1.2.4.70"], "jpeg-lossless-decoder-js"],
      ["1.2.840.10008.1.2.4.80", ["1.2.840.10008.1.2.4.80"], "CharLS (WASM)"],
      ["1.2.840.10008.1.2.4.81", ["1.2.840.10008.1.2.4.81"], "CharLS (WASM)"],
      ["1.2.840.10008.1.2.4.90", ["1.2.840.10008.1.2.4.90"], "OpenJPEG (WASM)"],
      ["1.2.840.10008.1.2.4.91", ["1.2.840.10008.1.2.4.91"], "OpenJPEG (WASM)"],
      ["1.2.840.10008.1.2.4.201", ["1.2.840.10008.1.2.4.201"], "OpenJPH (WASM)"],
      ["1.2.840.10008.1.2.4.202", ["1.2.840.10008.1.2.4.202"], "OpenJPH (WASM)"],
      ["1.2.840.10008.1.2.4.203", ["1.2.840.10008.1.2.4.203"], "OpenJPH (WASM)"],
      ["1.2.840.10008.1.2.5", ["1.2.840.10008.1.2.5"], "radlab RLE (TypeScript)"],
    ]);
  });

  it("returns undefined for native and unknown syntaxes and accepts UI padding", () => {
    expect(decoderFor("1.2.840.10008.1.2.1")).toBeUndefined();
    expect(decoderFor("1.2.840.10008.1.2")).toBeUndefined();
    expect(decoderFor("1.2.840.10008.1.2.4.100")).toBeUndefined(); // MPEG2: not a frame codec
    expect(decoderFor("1.2.840.10008.1.2.5\0")).toBe(rleLosslessDecoder);
    expect(decoderFor("1.2.840.10008.1.2.4.201")).toBe(htj2kLosslessDecoder);
    expect(Object.isFrozen(jpegLsLosslessDecoder)).toBe(true);
  });
});

// Compressed file, uncompressed member of the same set, expected sample type, expected photometric.
const LOSSLESS: [string, string, string, string][] = [
  [P + "MR_small_RLE.dcm", P + "MR_small.dcm", "Int16Array", "MONOCHROME2"],
  [D + "emri_small_RLE.dcm", D + "emri_small.dcm", "Uint16Array", "MONOCHROME2"],
  [P + "SC_rgb_rle.dcm", D + "SC_rgb.dcm", "Uint8Array", "RGB"],
  [P + "SC_rgb_rle_16bit_2frame.dcm", D + "SC_rgb_16bit_2frame.dcm", "Uint16Array", "RGB"],
  [P + "SC_rgb_rle_32bit_2frame.dcm", D + "SC_rgb_32bit_2frame.dcm", "Uint32Array", "RGB"],
  [P + "rtdose_rle.dcm", P + "rtdose.dcm", "Uint32Array", "MONOCHROME2"],
  [D + "OBXXXX1A_rle_2frame.dcm", D + "OBXXXX1A_2frame.dcm", "Uint8Array", "PALETTE COLOR"],
  [
    MULTI + "CT0012.not_fragmented_bot_rle.dcm",
    MULTI + "CT0012.explicit_little_endian.dcm",
    "Uint16Array",
    "MONOCHROME2",
  ],
  [
    MULTI + "CT0012.fragmented_no_bot_jpeg_lossless.57.dcm",
    MULTI + "CT0012.explicit_little_endian.dcm",
    "Uint16Array",
    "MONOCHROME2",
  ],
  [
    MULTI + "CT0012.fragmented_no_bot_jpeg_lossless.70.dcm",
    MULTI + "CT0012.explicit_little_endian.dcm",
    "Uint16Array",
    "MONOCHROME2",
  ],
  [P + "SC_rgb_jpeg_gdcm.dcm", D + "SC_rgb.dcm", "Uint8Array", "RGB"],
  [P + "MR_small_jpeg_ls_lossless.dcm", P + "MR_small.dcm", "Int16Array", "MONOCHROME2"],
  [D + "emri_small_jpeg_ls_lossless.dcm", D + "emri_small.dcm", "Uint16Array", "MONOCHROME2"],
  [
    MULTI + "CT0012.fragmented_no_bot_jpeg_ls.80.dcm",
    MULTI + "CT0012.explicit_little_endian.dcm",
    "Uint16Array",
    "MONOCHROME2",
  ],
  [
    SINGLE + "CT1_UNC.fragmented_bot_jpeg_ls.80.dcm",
    SINGLE + "CT1_UNC.explicit_little_endian.dcm",
    "Int16Array",
    "MONOCHROME2",
  ],
  [P + "MR_small_jp2klossless.dcm", P + "MR_small.dcm", "Int16Array", "MONOCHROME2"],
  [D + "emri_small_jpeg_2k_lossless.dcm", D + "emri_small.dcm", "Uint16Array", "MONOCHROME2"],
  [D + "693_J2KR.dcm", D + "693_UNCR.dcm", "Int16Array", "MONOCHROME2"],
  [D + "MR2_J2KR.dcm", D + "MR2_UNCR.dcm", "Uint16Array", "MONOCHROME2"],
  [D + "US1_J2KR.dcm", D + "US1_UNCR.dcm", "Uint8Array", "RGB"], // YBR_RCT decodes to RGB
  // 1-bit segmentation frames, one byte (0 or 1) a pixel; 510 × 510 frames are not byte aligned.
  [D + "liver_rle.dcm", D + "liver.dcm", "Uint8Array", "MONOCHROME2"],
  [D + "liver_nonbyte_aligned_rle.dcm", D + "liver_nonbyte_aligned.dcm", "Uint8Array", "MONOCHROME2"],
  [D + "liver_j2k.dcm", D + "liver.dcm", "Uint8Array", "MONOCHROME2"],
  [D + "liver_nonbyte_aligned_j2k.dcm", D + "liver_nonbyte_aligned.dcm", "Uint8Array", "MONOCHROME2"],
];

describe("lossless syntaxes decode exactly to the uncompressed member of their set", () => {
  it.each(LOSSLESS)("%s equals %s", async (compressed, reference, type, photometric) => {
    const fixture = readFixture(compressed);
    const expected = readFixture(reference);
    const frames = await decodeAll(fixture);
    expect(frames).toHaveLength(expected.frames.length);
    frames.forEach((frame, i) => {
      expect(frame.samples.constructor.name).toBe(type);
      expect(frame.photometricInterpretation).toBe(photometric);
      expect(difference(frame.samples, nativeSamples(expected, i))).toEqual({ max: 0, mean: 0, firstAt: undefined });
    });
  });
});

// Lossy files and another toolkit's decompression of them, kept in the corpus (DCMTK's dcmdjpeg
// for the *_dcmd files, GDCM for the J2KI/UNCI pairs): the same codec family must give the same samples.
const PEER_DECOMPRESSED: [string, string][] = [
  [P + "SC_rgb_dcmtk_+eb+cr.dcm", D + "SC_rgb_dcmtk_ebcr_dcmd.dcm"],
  [P + "SC_rgb_dcmtk_+eb+cy+n1.dcm", D + "SC_rgb_dcmtk_ebcyn1_dcmd.dcm"],
  [P + "SC_rgb_dcmtk_+eb+cy+n2.dcm", D + "SC_rgb_dcmtk_ebcyn2_dcmd.dcm"],
  [P + "SC_rgb_dcmtk_+eb+cy+np.dcm", D + "SC_rgb_dcmtk_ebcynp_dcmd.dcm"],
  [P + "SC_rgb_dcmtk_+eb+cy+s2.dcm", D + "SC_rgb_dcmtk_ebcys2_dcmd.dcm"],
  [P + "SC_rgb_dcmtk_+eb+cy+s4.dcm", D + "SC_rgb_dcmtk_ebcys4_dcmd.dcm"],
  [D + "US1_J2KI.dcm", D + "US1_UNCI.dcm"],
  [P + "693_J2KI.dcm", D + "693_UNCI.dcm"],
  [D + "MR2_J2KI.dcm", D + "MR2_UNCI.dcm"],
  [P + "JPEG2000.dcm", D + "JPEG2000_UNC.dcm"],
  [P + "SC_rgb_gdcm_KY.dcm", D + "SC_rgb_gdcm2k_uncompressed.dcm"],
];

describe("lossy syntaxes decode exactly as the corpus's own decompressed copies", () => {
  it.each(PEER_DECOMPRESSED)("%s equals %s", async (compressed, reference) => {
    const fixture = readFixture(compressed);
    const expected = readFixture(reference);
    const [frame] = await decodeAll(fixture);
    expect(frame?.photometricInterpretation).toBe(expected.info.photometricInterpretation);
    expect(difference(frame?.samples ?? [], nativeSamples(expected, 0))).toEqual({
      max: 0,
      mean: 0,
      firstAt: undefined,
    });
  });
});

// SHA-256 of DCMTK 3.6.7's decompression of each file (Debian's dcmtk package: dcmdjpeg, dcmdjpls
// and dcmdrle with default options, so YCbCr becomes RGB when (0028,0004) says YBR): all frames,
// samples little-endian, signed samples sign-extended from Bits Stored. Computed once, by hand.
const DCMTK_SHA256: [string, string, string][] = [
  [
    MULTI + "CT0012.fragmented_no_bot_jpeg_baseline.51.dcm",
    "a62ceec7a17af3ceae9deb9f93b71437e52a6ab04897266acaade66ea8cd6987",
    "MONOCHROME2",
  ],
  [P + "JPGExtended.dcm", "d30242775a414c01d616447854ebe3f2b20259822894bcd6891f879bcdcbf313", "MONOCHROME2"],
  // Same stream with an invalid scan end (Se 0, not 63), which sequential DCT ignores.
  [P + "JPEG-lossy.dcm", "d30242775a414c01d616447854ebe3f2b20259822894bcd6891f879bcdcbf313", "MONOCHROME2"],
  [
    MULTI + "IM00001.fragmented_no_bot_jpeg_baseline.50.dcm",
    "7d6d588609c9885637c23f13696135d11d75941daea66ca29ff8a6d6f1c3ed7b",
    "RGB",
  ],
  [P + "examples_ybr_color.dcm", "7275d2af634281c85c40fbcf718602d3fca910641c0502c003af015186875e36", "RGB"],
  [P + "SC_rgb_jpeg_dcmtk.dcm", "ddb100d8f45a7fbf420e8ce5d1b376a5479f068c5109daac31eb982f662d228f", "RGB"],
  [P + "SC_rgb_jpeg_lossy_gdcm.dcm", "e42f7896adb9411aa7b29aa29acf7499c654c6ab484348287539f953271356f4", "RGB"],
  [P + "SC_rgb_small_odd_jpeg.dcm", "f750a80478763f97d94bbd9caeaee3dd1e16794fe9a95da34a991bfb7c42d4f5", "RGB"],
  // RGB with no JFIF or Adobe marker: no colour conversion (libjpeg alone would convert).
  [P + "SC_jpeg_no_color_transform.dcm", "be7aa556b206ac445bc4125d24213bfac8832980138d54ece2b90be6e3d63d74", "RGB"],
  [P + "SC_jpeg_no_color_transform_2.dcm", "334275c10bc60e8050888482dd5bdd6f094bb11c37d8d88a8fd4d62ed0b39c8d", "RGB"],
  [
    D + "JPGLosslessP14SV1_1s_1f_8b.dcm",
    "36e27e4f1e87a7d50407463323ddc3736736ecff35eb4e4a4c1b74646938835d",
    "MONOCHROME2",
  ],
  [D + "JPEG-LL.dcm", "a6e9d32143339d3f5748b5520aa4e6c6ffb3550b6f71fdf17bdb2ebb44bc2611", "MONOCHROME2"],
  [D + "bad_sequence.dcm", "ef7120ddfc77c166ecdc5ffb99715deff8be9f3e7c0409021c0e06b962d2a61a", "MONOCHROME2"],
  [D + "JLSL_16_15_1_1F.dcm", "bb0a20c386271e836966f81064e1b439a2951b1faa35b48ddbd34e11fb926b6c", "MONOCHROME2"],
  [D + "JLSL_RGB_ILV0.dcm", "ed1fce22a62e4194dd75dd98e7c04aa6978a2858108714876a615c5d5d3c7dff", "RGB"],
  [D + "JLSL_RGB_ILV1.dcm", "ed1fce22a62e4194dd75dd98e7c04aa6978a2858108714876a615c5d5d3c7dff", "RGB"],
  [D + "JLSL_RGB_ILV2.dcm", "ed1fce22a62e4194dd75dd98e7c04aa6978a2858108714876a615c5d5d3c7dff", "RGB"],
  [D + "JLSN_RGB_ILV0.dcm", "646fdbe8c1803837e525e3532235b754281a119da35c05cb592f49aca41e7a27", "RGB"],
  [P + "JPEGLSNearLossless_08.dcm", "9eb46aa86c342094f826affc35703f71b425ba4ef229fe1711adcf1bb3ca458f", "MONOCHROME2"],
  [P + "JPEGLSNearLossless_16.dcm", "f929318278115ce952d85c011f752634e266720680e807bd03bf97ded3f0d3e4", "MONOCHROME2"],
  [
    MULTI + "CT0012.fragmented_no_bot_jpeg_ls.81.dcm",
    "280666ecce17e0beb242abfd0b6a403d8505af6cc7bb5ab9212d56bc42f036d3",
    "MONOCHROME2",
  ],
  [P + "SC_rgb_jls_lossy_line.dcm", "bd5344c0a46bc6c0869921680aa72c1ee344be34079d9b9c5b421336f24d798f", "RGB"],
  [D + "OBXXXX1A_rle.dcm", "48abdc16b5064b61cf5960f7056756fc97f4547186e88b3bbcc1ebc2a66e6ca7", "PALETTE COLOR"],
];

describe("JPEG, JPEG-LS and RLE frames decode exactly as DCMTK decodes them", () => {
  it.each(DCMTK_SHA256)("%s", async (file, expected, photometric) => {
    const frames = await decodeAll(readFixture(file));
    expect(sha256(frames)).toBe(expected);
    expect(new Set(frames.map((frame) => frame.photometricInterpretation))).toEqual(new Set([photometric]));
  });
});

// Values published in pydicom's tests (tests/pixels/pixels_reference.py), as arr[row, column].
describe("decoded samples match pydicom's published reference values", () => {
  it("JPEG Extended 12-bit (JPGExtended.dcm)", async () => {
    const fixture = readFixture(P + "JPGExtended.dcm");
    const [frame] = await decodeAll(fixture);
    expect(frame?.samples).toBeInstanceOf(Uint16Array);
    expect(pixel(frame!, fixture.info, 420, 140)).toEqual([244]);
    expect(pixel(frame!, fixture.info, 230, 120)).toEqual([95]);
  });

  it("JPEG Lossless SV1, 8-bit and signed 16-bit", async () => {
    const eight = readFixture(D + "JPGLosslessP14SV1_1s_1f_8b.dcm");
    const [frame8] = await decodeAll(eight);
    expect(frame8?.samples).toBeInstanceOf(Uint8Array);
    expect(Array.from({ length: 8 }, (_, i) => pixel(frame8!, eight.info, 300, 512 + i)[0])).toEqual([
      26, 26, 25, 22, 19, 16, 14, 15,
    ]);
    const signed = readFixture(D + "JPEG-LL.dcm");
    const [frame16] = await decodeAll(signed);
    expect(frame16?.samples).toBeInstanceOf(Int16Array);
    expect(Array.from({ length: 8 }, (_, i) => pixel(frame16!, signed.info, 400, 124 + i)[0])).toEqual([
      60, 58, 61, 68, 59, 65, 64, 67,
    ]);
  });

  it("JPEG-LS: 7 of 8 bits, signed 15 of 16 bits, planar-interleaved RGB, near-lossless", async () => {
    const seven = readFixture(D + "JLSL_08_07_0_1F.dcm");
    const [frame7] = await decodeAll(seven);
    expect(columnValues(frame7!, seven.info, 59, 69, 58)).toEqual([55, 53, 58, 85, 109, 123, 116, 102, 98, 89]);
    const signed = readFixture(D + "JLSL_16_15_1_1F.dcm");
    const [frame15] = await decodeAll(signed);
    expect(frame15?.samples).toBeInstanceOf(Int16Array);
    expect(columnValues(frame15!, signed.info, 59, 65, 58)).toEqual([-2073, -2629, -1167, 5566, 11808, 15604]);
    const planar = readFixture(D + "JLSL_RGB_ILV0.dcm");
    const [rgb] = await decodeAll(planar);
    expect([124, 125, 126, 127].map((row) => pixel(rgb!, planar.info, row, 40))).toEqual([
      [115, 109, 91],
      [109, 105, 100],
      [100, 111, 94],
      [192, 53, 172],
    ]);
    const near = readFixture(P + "JPEGLSNearLossless_16.dcm");
    const [frameNear] = await decodeAll(near);
    expect(columnValues(frameNear!, near.info, 0, 41, 0).filter((_, i) => i % 5 === 0)).toEqual([
      65535, 32765, 16385, 4095, 1025, 255, 65, 15, 5,
    ]);
  });

  it("JPEG 2000 with a JP2 header and YBR_RCT (GDCMJ2K_TextGBR.dcm)", async () => {
    const fixture = readFixture(P + "GDCMJ2K_TextGBR.dcm");
    const [frame] = await decodeAll(fixture);
    expect(frame?.photometricInterpretation).toBe("RGB");
    expect(pixel(frame!, fixture.info, 45, 140)).toEqual([223, 32, 32]);
    expect(pixel(frame!, fixture.info, 46, 140)).toEqual([255, 0, 0]);
    expect(pixel(frame!, fixture.info, 350, 195)).toEqual([128, 128, 128]);
  });

  it("HTJ2K lossless and lossy RGB", async () => {
    const lossless = readFixture(D + "HTJ2KLossless_08_RGB.dcm");
    const [exact] = await decodeAll(lossless);
    expect([295, 296, 297, 298].map((column) => pixel(exact!, lossless.info, 160, column))).toEqual([
      [90, 38, 1],
      [94, 40, 1],
      [97, 42, 5],
      [173, 122, 59],
    ]);
    const lossy = readFixture(D + "HTJ2K_08_RGB.dcm");
    const [approximate] = await decodeAll(lossy);
    expect([295, 296, 297, 298].map((column) => pixel(approximate!, lossy.info, 160, column))).toEqual([
      [91, 37, 2],
      [94, 40, 1],
      [97, 42, 5],
      [174, 123, 59],
    ]);
  });
});

describe("HTJ2K", () => {
  it("OpenJPH decodes the lossless frame exactly as OpenJPEG does (peer run)", async () => {
    const fixture = readFixture(D + "HTJ2KLossless_08_RGB.dcm");
    const frame = fixture.frames[0]!;
    const ours = await htj2kLosslessDecoder.decode(frame, fixture.info);
    const peer = await jpeg2000LosslessDecoder.decode(frame, fixture.info);
    expect(ours.samples).toBeInstanceOf(Uint8Array);
    expect(ours.samples).toHaveLength(480 * 640 * 3);
    expect(difference(ours.samples, peer.samples)).toEqual({ max: 0, mean: 0, firstAt: undefined });
    // The RPCL syntax is the same codestream family with a fixed progression order.
    const rpcl = await htj2kLosslessRpclDecoder.decode(frame, fixture.info);
    expect(difference(rpcl.samples, ours.samples)).toEqual({ max: 0, mean: 0, firstAt: undefined });
  });

  it("the lossy frame agrees with OpenJPEG's decode within 1 count (irreversible wavelet rounding)", async () => {
    const fixture = readFixture(D + "HTJ2K_08_RGB.dcm");
    const frame = fixture.frames[0]!;
    const ours = await htj2kDecoder.decode(frame, fixture.info);
    const peer = await decoderFor("1.2.840.10008.1.2.4.91")!.decode(frame, fixture.info);
    const d = difference(ours.samples, peer.samples);
    expect(d.max).toBe(1);
    expect(d.mean).toBeLessThanOrEqual(0.001); // 678 of 921,600 samples differ
  });

  it("the lossy frame stays within 4 counts (mean 0.45) of the lossless one", async () => {
    const lossless = readFixture(D + "HTJ2KLossless_08_RGB.dcm");
    const lossy = readFixture(D + "HTJ2K_08_RGB.dcm");
    const exact = await htj2kLosslessDecoder.decode(lossless.frames[0]!, lossless.info);
    const approximate = await htj2kDecoder.decode(lossy.frames[0]!, lossy.info);
    const d = difference(approximate.samples, exact.samples);
    expect(d.max).toBe(4);
    expect(d.mean).toBeCloseTo(0.4493, 4);
  });
});

// Lossy frames against the original they were compressed from. The tolerance is the measured
// maximum absolute difference (exact) and mean absolute difference (rounded up to 0.001);
// near-lossless JPEG-LS is bounded by its NEAR parameter (2 or 3 here).
const LOSSY: [string, string, number, number][] = [
  [MULTI + "CT0012.fragmented_no_bot_jpeg_ls.81.dcm", MULTI + "CT0012.explicit_little_endian.dcm", 2, 0.634],
  [P + "SC_rgb_jls_lossy_line.dcm", D + "SC_rgb.dcm", 2, 0.701],
  [P + "SC_rgb_jls_lossy_sample.dcm", D + "SC_rgb.dcm", 2, 0.701],
  [D + "JLSN_RGB_ILV0.dcm", D + "JLSL_RGB_ILV2.dcm", 3, 1.436],
  [P + "SC_rgb_jpeg_dcmtk.dcm", D + "SC_rgb.dcm", 6, 0.567],
  [MULTI + "IM00001.fragmented_no_bot_jpeg_baseline.50.dcm", MULTI + "IM00001.implicit_little_endian.dcm", 37, 2.289],
  [P + "JPGExtended.dcm", D + "JPEG-LL.dcm", 36, 2.278],
];

describe("lossy syntaxes stay within the stated tolerance of the original", () => {
  it.each(LOSSY)("%s vs %s: max %d, mean ≤ %s", async (compressed, original, max, mean) => {
    const fixture = readFixture(compressed);
    const reference = readFixture(original);
    const frame = (await decodeAll(fixture))[0]!;
    const expected =
      decoderFor(reference.transferSyntax) === undefined
        ? nativeSamples(reference, 0)
        : (await decodeAll(reference))[0]!.samples;
    const d = difference(frame.samples, expected);
    expect(d.max).toBe(max);
    expect(d.mean).toBeLessThanOrEqual(mean);
    expect(d.mean).toBeGreaterThan(0);
  });
});

/** Awaits a rejection and returns the RadlabError, failing the test otherwise. */
async function rejection(promise: Promise<unknown>): Promise<RadlabError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(RadlabError);
  const radlab = error as RadlabError;
  expect(radlab.code).toBe("pixel-decode");
  expect(radlab.evidence).toEqual({ tag: "(7FE0,0010) Pixel Data" });
  expect(radlab.cause).toBeDefined();
  return radlab;
}

function firstLine(error: Error): string {
  return error.message.split("\n")[0] ?? "";
}

describe("damaged frames reject with RadlabError pixel-decode", () => {
  it.each<[string, FrameDecoder, string]>([
    [
      P + "MR_small_jpeg_ls_lossless.dcm",
      jpegLsLosslessDecoder,
      "JPEG-LS Lossless Image Compression (1.2.840.10008.1.2.4.80) frame with CharLS (WASM)",
    ],
    [
      P + "MR_small_jp2klossless.dcm",
      jpeg2000LosslessDecoder,
      "JPEG 2000 Image Compression (Lossless Only) (1.2.840.10008.1.2.4.90) frame with OpenJPEG (WASM)",
    ],
    [
      D + "HTJ2KLossless_08_RGB.dcm",
      htj2kLosslessDecoder,
      "High-Throughput JPEG 2000 Image Compression (Lossless Only) (1.2.840.10008.1.2.4.201) frame with OpenJPH (WASM)",
    ],
    [
      P + "SC_rgb_dcmtk_+eb+cy+np.dcm",
      jpegBaselineDecoder,
      "JPEG Baseline (Process 1) (1.2.840.10008.1.2.4.50) frame with libjpeg-turbo (WASM)",
    ],
    [
      D + "JPEG-LL.dcm",
      decoderFor("1.2.840.10008.1.2.4.70")!,
      "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1]) (1.2.840.10008.1.2.4.70) frame with jpeg-lossless-decoder-js",
    ],
  ])("a truncated frame of %s", async (file, decoder, what) => {
    const fixture = readFixture(file);
    const frame = fixture.frames[0]!;
    const half = frame.subarray(0, frame.length >> 1);
    const error = await rejection(decoder.decode(half, fixture.info));
    expect(firstLine(error)).toBe(
      `Cannot decode a ${what}: the frame (${half.length} bytes) does not end with an end-of-image marker (FFD9): it is truncated or damaged`,
    );
    expect(error.hint).toMatch(/^Check that \(0002,0010\) Transfer Syntax UID matches/);
  });

  it("a 12-bit JPEG Extended frame cut inside its entropy-coded data", async () => {
    const fixture = readFixture(P + "JPGExtended.dcm");
    const frame = fixture.frames[0]!;
    const cut = new Uint8Array([...frame.subarray(0, 3000), 0xff, 0xd9]);
    const error = await rejection(jpegExtendedDecoder.decode(cut, fixture.info));
    expect(firstLine(error)).toBe(
      "Cannot decode a JPEG Extended (Process 2 & 4) (1.2.840.10008.1.2.4.51) frame with radlab 12-bit DCT (TypeScript): " +
        "the entropy-coded data ends before the last block (marker FFD9 at byte 3000)",
    );
  });

  it("codec errors inside a complete-looking frame carry the codec's own message", async () => {
    const jls = readFixture(P + "MR_small_jpeg_ls_lossless.dcm");
    const damaged = jls.frames[0]!.slice();
    damaged.fill(0x00, 2, 40); // overwrite the frame header, keep SOI and EOI
    const jlsError = await rejection(jpegLsLosslessDecoder.decode(damaged, jls.info));
    expect(firstLine(jlsError)).toBe(
      "Cannot decode a JPEG-LS Lossless Image Compression (1.2.840.10008.1.2.4.80) frame with CharLS (WASM): " +
        "Invalid JPEG-LS stream: the leading start byte (0xFF) for a JPEG marker was not found",
    );
    expect(typeof jlsError.cause).toBe("number"); // the C++ exception CharLS threw

    const j2k = readFixture(P + "MR_small_jp2klossless.dcm");
    const broken = j2k.frames[0]!.slice();
    broken.fill(0xff, 4, 40); // the SIZ marker segment
    const j2kError = await rejection(jpeg2000LosslessDecoder.decode(broken, j2k.info));
    expect(firstLine(j2kError)).toMatch(
      /^Cannot decode a JPEG 2000 Image Compression \(Lossless Only\) \(1\.2\.840\.10008\.1\.2\.4\.90\) frame with OpenJPEG \(WASM\): OpenJPEG could not read the codestream \(OpenJPEG \(WASM\) said: \[ERROR\] /,
    );
  });

  it("a frame that disagrees with the Image Pixel module", async () => {
    const fixture = readFixture(P + "MR_small_jp2klossless.dcm");
    const error = await rejection(jpeg2000LosslessDecoder.decode(fixture.frames[0]!, { ...fixture.info, columns: 32 }));
    expect(firstLine(error)).toBe(
      "Cannot decode a JPEG 2000 Image Compression (Lossless Only) (1.2.840.10008.1.2.4.90) frame with OpenJPEG (WASM): " +
        "the codestream holds 64×64 pixels with 1 component(s), but (0028,0011) Columns × (0028,0010) Rows is 32×64 " +
        "with (0028,0002) Samples per Pixel 1",
    );
    expect(error.hint).toMatch(/^Correct the Image Pixel module/);
  });

  it("a DCT frame under a lossless JPEG syntax, and the reverse", async () => {
    const dct = readFixture(P + "JPGExtended.dcm");
    const error = await rejection(jpegLosslessDecoder.decode(dct.frames[0]!, dct.info));
    expect(firstLine(error)).toBe(
      "Cannot decode a JPEG Lossless, Non-Hierarchical (Process 14) (1.2.840.10008.1.2.4.57) frame with " +
        "jpeg-lossless-decoder-js: the frame is not lossless JPEG (its frame marker is SOF1)",
    );
    const lossless = readFixture(D + "JPEG-LL.dcm");
    const reverse = await rejection(jpegBaselineDecoder.decode(lossless.frames[0]!, lossless.info));
    expect(firstLine(reverse)).toBe(
      "Cannot decode a JPEG Baseline (Process 1) (1.2.840.10008.1.2.4.50) frame with libjpeg-turbo (WASM): " +
        "the frame is lossless JPEG (SOF3), not DCT",
    );
  });

  it("Bits Allocated that no compressed frame can have", async () => {
    const rgb = readFixture(P + "SC_rgb_rle.dcm");
    const error = await rejection(rleLosslessDecoder.decode(rgb.frames[0]!, { ...rgb.info, bitsAllocated: 12 }));
    expect(firstLine(error)).toBe(
      "Cannot decode a RLE Lossless (1.2.840.10008.1.2.5) frame with radlab RLE (TypeScript): " +
        "(0028,0100) Bits Allocated is 12; radlab decodes compressed frames of 1, 8, 16 or 32",
    );
    expect(error.hint).toMatch(/^Correct the Image Pixel module/);
  });
});

describe("concurrency", () => {
  it("decodes frames of several codecs at once", async () => {
    const files = [P + "MR_small_jpeg_ls_lossless.dcm", P + "MR_small_jp2klossless.dcm", P + "MR_small_RLE.dcm"];
    const reference = nativeSamples(readFixture(P + "MR_small.dcm"), 0);
    const results = await Promise.all(
      files.flatMap((file) => {
        const fixture = readFixture(file);
        return [0, 1, 2].map(() => decoderFor(fixture.transferSyntax)!.decode(fixture.frames[0]!, fixture.info));
      }),
    );
    for (const result of results) expect(difference(result.samples, reference).max).toBe(0);
  });
});
