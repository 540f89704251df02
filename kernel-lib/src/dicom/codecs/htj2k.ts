import type { OpenJphModule } from "@cornerstonejs/codec-openjph/wasmjs";
import { DecodeFailure, defineFrameDecoder, describeThrown } from "./decode-error";
import type { DecodedFrame, FrameDecoder, FrameInfo } from "./frame-codec";
import { j2kOutputPhotometric } from "./jpeg-2000";
import { checkEndMarker } from "./jpeg-markers";
import { checkFrameInfo, checkGeometry, toSamples } from "./samples";
import { TS } from "./transfer-syntaxes";
import { WasmModule } from "./wasm-module";

const NAME = "OpenJPH (WASM)";

const openjph = new WasmModule<OpenJphModule>(
  NAME,
  async () => (await import("@cornerstonejs/codec-openjph/wasmjs")).default,
);

async function decodeHtj2kFrame(frame: Uint8Array, info: FrameInfo): Promise<DecodedFrame> {
  checkFrameInfo(info);
  checkEndMarker(frame);
  const samples = await openjph.decode(
    (module) => new module.HTJ2KDecoder(),
    frame,
    (thrown) => `OpenJPH rejected the data (it threw ${describeThrown(thrown)})`,
    (decoder) => {
      // OpenJPH reports failures through its last error message, not an exception.
      const error = decoder.getLastErrorMessage();
      const found = decoder.getFrameInfo();
      if (error !== "" || found.width === 0 || found.componentCount === 0) {
        throw new DecodeFailure(`OpenJPH could not read the codestream${openjph.diagnostics() || ` (${error})`}`);
      }
      checkGeometry({ width: found.width, height: found.height, components: found.componentCount }, info);
      return toSamples(decoder.getDecodedBuffer(), found.bitsPerSample > 8 ? 2 : 1, "interleaved", info);
    },
  );
  return { samples, photometricInterpretation: j2kOutputPhotometric(info) };
}

/**
 * Decodes a frame of High-Throughput JPEG 2000 Image Compression (Lossless Only)
 * (1.2.840.10008.1.2.4.201, PS3.5 A.4.4) with OpenJPH. Colour and sign are handled as in
 * {@link jpeg2000LosslessDecoder}. `decode` rejects with a `RadlabError` of code `pixel-decode`
 * when the frame is damaged or does not match the Image Pixel module.
 *
 * @example
 * ```ts
 * import { htj2kLosslessDecoder } from "@radlab/kernel";
 * const { samples } = await htj2kLosslessDecoder.decode(frameBytes, frameInfo);
 * ```
 */
export const htj2kLosslessDecoder: FrameDecoder = defineFrameDecoder(TS.HTJ2K_LOSSLESS, NAME, decodeHtj2kFrame);

/**
 * Decodes a frame of High-Throughput JPEG 2000 with RPCL Options (Lossless Only)
 * (1.2.840.10008.1.2.4.202) with OpenJPH, as {@link htj2kLosslessDecoder} does.
 *
 * @example
 * ```ts
 * import { htj2kLosslessRpclDecoder } from "@radlab/kernel";
 * const { samples } = await htj2kLosslessRpclDecoder.decode(frameBytes, frameInfo);
 * ```
 */
export const htj2kLosslessRpclDecoder: FrameDecoder = defineFrameDecoder(
  TS.HTJ2K_LOSSLESS_RPCL,
  NAME,
  decodeHtj2kFrame,
);

/**
 * Decodes a frame of High-Throughput JPEG 2000 Image Compression (1.2.840.10008.1.2.4.203),
 * lossless or lossy, with OpenJPH, as {@link htj2kLosslessDecoder} does.
 *
 * @example
 * ```ts
 * import { htj2kDecoder } from "@radlab/kernel";
 * const { samples } = await htj2kDecoder.decode(frameBytes, frameInfo);
 * ```
 */
export const htj2kDecoder: FrameDecoder = defineFrameDecoder(TS.HTJ2K, NAME, decodeHtj2kFrame);
