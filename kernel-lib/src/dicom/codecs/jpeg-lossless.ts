import { DecodeFailure, defineFrameDecoder } from "./decode-error";
import type { DecodedFrame, FrameDecoder, FrameInfo } from "./frame-codec";
import { checkEndMarker, readJpegHeader } from "./jpeg-markers";
import { checkFrameInfo, checkGeometry, toSamples } from "./samples";
import { TS } from "./transfer-syntaxes";

const NAME = "jpeg-lossless-decoder-js";

/**
 * Decodes a frame of JPEG Lossless, Non-Hierarchical (Process 14) (1.2.840.10008.1.2.4.57, PS3.5
 * A.4.3), any predictor, with `@cornerstonejs/jpeg-lossless-decoder-js`. Samples are returned as
 * coded (no colour conversion); signed data is sign-extended from (0028,0101) Bits Stored.
 * `decode` rejects with a `RadlabError` of code `pixel-decode` when the frame is damaged or does not
 * match the Image Pixel module.
 *
 * @example
 * ```ts
 * import { jpegLosslessDecoder } from "@radlab/kernel";
 * const { samples } = await jpegLosslessDecoder.decode(frameBytes, frameInfo);
 * ```
 */
export const jpegLosslessDecoder: FrameDecoder = defineFrameDecoder(TS.JPEG_LOSSLESS, NAME, decodeLosslessFrame);

/**
 * Decodes a frame of JPEG Lossless, First-Order Prediction (Process 14 [Selection Value 1])
 * (1.2.840.10008.1.2.4.70), as {@link jpegLosslessDecoder} does.
 *
 * @example
 * ```ts
 * import { jpegLosslessSv1Decoder } from "@radlab/kernel";
 * const { samples } = await jpegLosslessSv1Decoder.decode(frameBytes, frameInfo);
 * ```
 */
export const jpegLosslessSv1Decoder: FrameDecoder = defineFrameDecoder(TS.JPEG_LOSSLESS_SV1, NAME, decodeLosslessFrame);

async function decodeLosslessFrame(frame: Uint8Array, info: FrameInfo): Promise<DecodedFrame> {
  checkFrameInfo(info);
  checkEndMarker(frame);
  const header = readJpegHeader(frame);
  if (header.frameMarker !== 0xffc3) {
    throw new DecodeFailure(`the frame is not lossless JPEG (its frame marker is SOF${header.frameMarker - 0xffc0})`, {
      hint: "Check (0002,0010) Transfer Syntax UID: DCT frames are JPEG Baseline (.50) or Extended (.51).",
    });
  }
  checkGeometry({ width: header.width, height: header.height, components: header.componentIds.length }, info);
  // The package is an ES module with a CommonJS build; import() picks the right one in Node and vitest.
  const { Decoder } = await import("@cornerstonejs/jpeg-lossless-decoder-js");
  const decoder = new Decoder();
  const copy = frame.slice();
  const values = decoder.decode(copy.buffer, 0, copy.length);
  return {
    samples: toSamples(values, values instanceof Uint8Array ? 1 : 2, "interleaved", info),
    photometricInterpretation: info.photometricInterpretation,
  };
}
