import type { JpegTurboModule } from "@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs";
import { DecodeFailure, defineFrameDecoder, describeThrown } from "./decode-error";
import type { DecodedFrame, FrameDecoder, FrameInfo } from "./frame-codec";
import { decodeJpegDct } from "./jpeg-dct";
import {
  checkEndMarker,
  jpegHoldsYcbcr,
  libjpegAssumesYcbcr,
  readJpegHeader,
  withAdobeTransform,
  type JpegHeader,
} from "./jpeg-markers";
import { checkFrameInfo, checkGeometry, toSamples } from "./samples";
import { TS } from "./transfer-syntaxes";
import { WasmModule } from "./wasm-module";

const TURBO = "libjpeg-turbo (WASM)";
const DCT = "radlab 12-bit DCT (TypeScript)";

const turbo = new WasmModule<JpegTurboModule>(
  TURBO,
  async () => (await import("@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs")).default,
);

/**
 * Decodes a frame of JPEG Baseline (1.2.840.10008.1.2.4.50, PS3.5 A.4.1) with libjpeg-turbo. A
 * YCbCr frame comes back as RGB and the result's photometric interpretation says `RGB`; whether
 * a frame is YCbCr follows its Adobe or JFIF marker, else (0028,0004) Photometric Interpretation
 * (YBR_FULL, YBR_FULL_422), as in DCMTK. Frames of 12-bit precision, though not baseline, are
 * decoded as JPEG Extended. `decode` rejects with a `RadlabError` of code `pixel-decode` when the
 * frame is damaged or does not match the Image Pixel module.
 *
 * @example
 * ```ts
 * import { jpegBaselineDecoder } from "@radlab/kernel";
 * const { samples, photometricInterpretation } = await jpegBaselineDecoder.decode(frameBytes, frameInfo);
 * ```
 */
export const jpegBaselineDecoder: FrameDecoder = defineFrameDecoder(TS.JPEG_BASELINE, TURBO, decodeJpegFrame);

/**
 * Decodes a frame of JPEG Extended (1.2.840.10008.1.2.4.51, PS3.5 A.4.1): 8-bit frames with
 * libjpeg-turbo, 12-bit frames with radlab's sequential-DCT decoder (libjpeg-turbo's WASM build
 * has no 12-bit support). Colour handling is that of {@link jpegBaselineDecoder}.
 *
 * @example
 * ```ts
 * import { jpegExtendedDecoder } from "@radlab/kernel";
 * const { samples } = await jpegExtendedDecoder.decode(frameBytes, frameInfo); // Uint16Array for 12-bit CT
 * ```
 */
export const jpegExtendedDecoder: FrameDecoder = defineFrameDecoder(
  TS.JPEG_EXTENDED,
  `${TURBO} for 8-bit, ${DCT} for 12-bit`,
  decodeJpegFrame,
);

async function decodeJpegFrame(frame: Uint8Array, info: FrameInfo): Promise<DecodedFrame> {
  checkFrameInfo(info);
  checkEndMarker(frame);
  const header = readJpegHeader(frame);
  if (header.frameMarker === 0xffc3) {
    throw new DecodeFailure("the frame is lossless JPEG (SOF3), not DCT", {
      hint: "Set (0002,0010) Transfer Syntax UID to 1.2.840.10008.1.2.4.57 or .70 (JPEG Lossless).",
    });
  }
  // Checked before decoding, so that a damaged frame header cannot make a decoder allocate gigabytes.
  checkGeometry({ width: header.width, height: header.height, components: header.componentIds.length }, info);
  return header.precision > 8 ? decodeWithRadlabDct(frame, info, header) : decodeWithTurbo(frame, info, header);
}

async function decodeWithTurbo(frame: Uint8Array, info: FrameInfo, header: JpegHeader): Promise<DecodedFrame> {
  // The WASM build offers no colour-space setting, so an Adobe marker tells libjpeg what to do
  // when its own guess differs from radlab's (an RGB frame with components 1, 2, 3 and no markers).
  const ycbcr = jpegHoldsYcbcr(header, info.photometricInterpretation);
  const stream =
    info.samplesPerPixel === 3 && ycbcr !== libjpegAssumesYcbcr(header) ? withAdobeTransform(frame, ycbcr) : frame;
  const samples = await turbo.decode(
    (module) => new module.JPEGDecoder(),
    stream,
    (thrown) => `libjpeg-turbo rejected the data (it threw ${describeThrown(thrown)})`,
    (decoder) => {
      const found = decoder.getFrameInfo();
      checkGeometry({ width: found.width, height: found.height, components: found.componentCount }, info);
      return toSamples(decoder.getDecodedBuffer(), 1, "interleaved", info);
    },
  );
  return { samples, photometricInterpretation: outputPhotometric(header, info) };
}

/**
 * Decodes a JPEG frame with radlab's sequential-DCT decoder and converts YCbCr to RGB as
 * {@link jpegBaselineDecoder} does. Used for 12-bit frames; exported for tests, which also run it
 * on 8-bit frames to compare with libjpeg and DCMTK (not part of the public API).
 *
 * @param frame - a sequential-DCT JPEG stream.
 * @param info - the frame's Image Pixel module.
 * @param header - the stream's markers, when already read.
 * @throws DecodeFailure (naming the radlab decoder) when the frame cannot be decoded.
 */
export function decodeWithRadlabDct(frame: Uint8Array, info: FrameInfo, header = readJpegHeader(frame)): DecodedFrame {
  try {
    const image = decodeJpegDct(frame);
    checkGeometry({ width: image.width, height: image.height, components: image.components }, info);
    const ycbcr = info.samplesPerPixel === 3 && jpegHoldsYcbcr(header, info.photometricInterpretation);
    const values = ycbcr ? ycbcrToRgb(image.samples, image.precision) : image.samples;
    // 8-bit precision samples are bytes, so that Bits Allocated 8 holds them.
    const samples =
      image.precision <= 8
        ? toSamples(Uint8Array.from(values), 1, "interleaved", info)
        : toSamples(values, 2, "interleaved", info);
    return { samples, photometricInterpretation: outputPhotometric(header, info) };
  } catch (error) {
    if (error instanceof DecodeFailure && error.codec === undefined) {
      throw new DecodeFailure(error.message, { codec: DCT, cause: error, ...(error.hint ? { hint: error.hint } : {}) });
    }
    throw error;
  }
}

/**
 * The photometric interpretation of the decoded samples: RGB after a YCbCr conversion; YBR_FULL
 * for YBR_FULL_422 frames left unconverted (decoded samples are never subsampled).
 */
function outputPhotometric(header: JpegHeader, info: FrameInfo): string {
  if (info.samplesPerPixel !== 3) return info.photometricInterpretation;
  if (jpegHoldsYcbcr(header, info.photometricInterpretation)) return "RGB";
  return info.photometricInterpretation === "YBR_FULL_422" ? "YBR_FULL" : info.photometricInterpretation;
}

/** YCbCr (JFIF / DICOM YBR_FULL, PS3.3 C.7.6.3.1.2) to RGB, for samples of `precision` bits. */
function ycbcrToRgb(samples: Uint16Array, precision: number): Uint16Array {
  const out = new Uint16Array(samples.length);
  const center = 1 << (precision - 1);
  const max = (1 << precision) - 1;
  const clamp = (value: number) => {
    const rounded = Math.round(value);
    return rounded < 0 ? 0 : rounded > max ? max : rounded;
  };
  for (let i = 0; i + 2 < samples.length; i += 3) {
    const y = samples[i] ?? 0;
    const cb = (samples[i + 1] ?? 0) - center;
    const cr = (samples[i + 2] ?? 0) - center;
    out[i] = clamp(y + 1.402 * cr);
    out[i + 1] = clamp(y - 0.344136 * cb - 0.714136 * cr);
    out[i + 2] = clamp(y + 1.772 * cb);
  }
  return out;
}
