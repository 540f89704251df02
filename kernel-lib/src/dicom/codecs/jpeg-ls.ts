import type { CharlsModule } from "@cornerstonejs/codec-charls/decodewasmjs";
import { defineFrameDecoder, describeThrown } from "./decode-error";
import type { DecodedFrame, FrameDecoder, FrameInfo } from "./frame-codec";
import { checkEndMarker } from "./jpeg-markers";
import { checkFrameInfo, checkGeometry, toSamples } from "./samples";
import { TS } from "./transfer-syntaxes";
import { WasmModule } from "./wasm-module";

const NAME = "CharLS (WASM)";

const charls = new WasmModule<CharlsModule>(
  NAME,
  async () => (await import("@cornerstonejs/codec-charls/decodewasmjs")).default,
);

/**
 * Decodes a frame of JPEG-LS Lossless (1.2.840.10008.1.2.4.80, PS3.5 A.4.3) with CharLS. Colour
 * frames come back interleaved whatever the interleave mode of the scan; signed data is
 * sign-extended from (0028,0101) Bits Stored. `decode` rejects with a `RadlabError` of code
 * `pixel-decode` when the frame is damaged or does not match the Image Pixel module.
 *
 * @example
 * ```ts
 * import { jpegLsLosslessDecoder } from "@radlab/kernel";
 * const { samples } = await jpegLsLosslessDecoder.decode(frameBytes, frameInfo);
 * ```
 */
export const jpegLsLosslessDecoder: FrameDecoder = defineFrameDecoder(TS.JPEG_LS_LOSSLESS, NAME, decodeJpegLsFrame);

/**
 * Decodes a frame of JPEG-LS Lossy (Near-Lossless) (1.2.840.10008.1.2.4.81) with CharLS, as
 * {@link jpegLsLosslessDecoder} does.
 *
 * @example
 * ```ts
 * import { jpegLsNearLosslessDecoder } from "@radlab/kernel";
 * const { samples } = await jpegLsNearLosslessDecoder.decode(frameBytes, frameInfo);
 * ```
 */
export const jpegLsNearLosslessDecoder: FrameDecoder = defineFrameDecoder(
  TS.JPEG_LS_NEAR_LOSSLESS,
  NAME,
  decodeJpegLsFrame,
);

async function decodeJpegLsFrame(frame: Uint8Array, info: FrameInfo): Promise<DecodedFrame> {
  checkFrameInfo(info);
  // CharLS takes seconds to reject a truncated stream, so truncation is caught first.
  checkEndMarker(frame);
  const describe = (thrown: unknown, module: CharlsModule) => {
    if (typeof thrown !== "number") return describeThrown(thrown);
    try {
      return module.getExceptionMessage(thrown);
    } catch {
      return `CharLS threw exception ${thrown}`;
    }
  };
  const samples = await charls.decode(
    (module) => new module.JpegLSDecoder(),
    frame,
    describe,
    (decoder) => {
      const found = decoder.getFrameInfo();
      checkGeometry({ width: found.width, height: found.height, components: found.componentCount }, info);
      // Interleave mode 0 (none) leaves the components one after the other.
      const layout = decoder.getInterleaveMode() === 0 ? "planar" : "interleaved";
      return toSamples(decoder.getDecodedBuffer(), found.bitsPerSample > 8 ? 2 : 1, layout, info);
    },
  );
  return { samples, photometricInterpretation: info.photometricInterpretation };
}
