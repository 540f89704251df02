import type { OpenJpegModule } from "@cornerstonejs/codec-openjpeg/decodewasmjs";
import { DecodeFailure, defineFrameDecoder, describeThrown } from "./decode-error";
import type { DecodedFrame, FrameDecoder, FrameInfo } from "./frame-codec";
import { checkEndMarker } from "./jpeg-markers";
import { checkFrameInfo, checkGeometry, toSamples } from "./samples";
import { TS } from "./transfer-syntaxes";
import { WasmModule } from "./wasm-module";

const NAME = "OpenJPEG (WASM)";

const openjpeg = new WasmModule<OpenJpegModule>(
  NAME,
  async () => (await import("@cornerstonejs/codec-openjpeg/decodewasmjs")).default,
);

/**
 * Decodes a frame of JPEG 2000 Image Compression (Lossless Only) (1.2.840.10008.1.2.4.90, PS3.5
 * A.4.4) with OpenJPEG. OpenJPEG applies the inverse multi-component transform, so YBR_RCT and
 * YBR_ICT frames come back as RGB and the result says so (PS3.5 8.2.4). Signed data is
 * sign-extended from (0028,0101) Bits Stored. `decode` rejects with a `RadlabError` of code
 * `pixel-decode` when the frame is damaged or does not match the Image Pixel module.
 *
 * @example
 * ```ts
 * import { jpeg2000LosslessDecoder } from "@radlab/kernel";
 * const { samples } = await jpeg2000LosslessDecoder.decode(frameBytes, frameInfo);
 * ```
 */
export const jpeg2000LosslessDecoder: FrameDecoder = defineFrameDecoder(TS.JPEG_2000_LOSSLESS, NAME, decodeJ2kFrame);

/**
 * Decodes a frame of JPEG 2000 Image Compression (1.2.840.10008.1.2.4.91), lossless or lossy, as
 * {@link jpeg2000LosslessDecoder} does.
 *
 * @example
 * ```ts
 * import { jpeg2000Decoder } from "@radlab/kernel";
 * const { samples } = await jpeg2000Decoder.decode(frameBytes, frameInfo);
 * ```
 */
export const jpeg2000Decoder: FrameDecoder = defineFrameDecoder(TS.JPEG_2000, NAME, decodeJ2kFrame);

async function decodeJ2kFrame(frame: Uint8Array, info: FrameInfo): Promise<DecodedFrame> {
  checkFrameInfo(info);
  checkEndMarker(frame);
  const samples = await openjpeg.decode(
    (module) => new module.J2KDecoder(),
    frame,
    (thrown) => `OpenJPEG rejected the data (it threw ${describeThrown(thrown)})`,
    (decoder) => {
      const found = decoder.getFrameInfo();
      // OpenJPEG reports a failed decode as an empty image, not an exception.
      if (found.width === 0 || found.componentCount === 0) {
        throw new DecodeFailure(`OpenJPEG could not read the codestream${openjpeg.diagnostics()}`);
      }
      checkGeometry({ width: found.width, height: found.height, components: found.componentCount }, info);
      return toSamples(decoder.getDecodedBuffer(), found.bitsPerSample > 8 ? 2 : 1, "interleaved", info);
    },
  );
  return { samples, photometricInterpretation: j2kOutputPhotometric(info) };
}

/**
 * The photometric interpretation of decoded JPEG 2000 samples: YBR_RCT and YBR_ICT describe the
 * codestream, whose decoded colour samples are RGB (PS3.5 8.2.4); anything else is unchanged.
 *
 * @param info - the frame's Image Pixel module.
 */
export function j2kOutputPhotometric(info: FrameInfo): string {
  const photometric = info.photometricInterpretation;
  return info.samplesPerPixel === 3 && (photometric === "YBR_RCT" || photometric === "YBR_ICT") ? "RGB" : photometric;
}
