import type { FrameDecoder } from "./frame-codec";
import { htj2kDecoder, htj2kLosslessDecoder, htj2kLosslessRpclDecoder } from "./htj2k";
import { jpegBaselineDecoder, jpegExtendedDecoder } from "./jpeg";
import { jpeg2000Decoder, jpeg2000LosslessDecoder } from "./jpeg-2000";
import { jpegLosslessDecoder, jpegLosslessSv1Decoder } from "./jpeg-lossless";
import { jpegLsLosslessDecoder, jpegLsNearLosslessDecoder } from "./jpeg-ls";
import { rleLosslessDecoder } from "./rle";

export type { DecodedFrame, FrameDecoder, FrameInfo } from "./frame-codec";
export { COMPRESSED_TRANSFER_SYNTAXES } from "./transfer-syntaxes";
export {
  htj2kDecoder,
  htj2kLosslessDecoder,
  htj2kLosslessRpclDecoder,
  jpeg2000Decoder,
  jpeg2000LosslessDecoder,
  jpegBaselineDecoder,
  jpegExtendedDecoder,
  jpegLosslessDecoder,
  jpegLosslessSv1Decoder,
  jpegLsLosslessDecoder,
  jpegLsNearLosslessDecoder,
  rleLosslessDecoder,
};

const BY_TRANSFER_SYNTAX: ReadonlyMap<string, FrameDecoder> = new Map(
  [
    jpegBaselineDecoder,
    jpegExtendedDecoder,
    jpegLosslessDecoder,
    jpegLosslessSv1Decoder,
    jpegLsLosslessDecoder,
    jpegLsNearLosslessDecoder,
    jpeg2000LosslessDecoder,
    jpeg2000Decoder,
    htj2kLosslessDecoder,
    htj2kLosslessRpclDecoder,
    htj2kDecoder,
    rleLosslessDecoder,
  ].flatMap((decoder) => decoder.transferSyntaxes.map((uid) => [uid, decoder] as const)),
);

/**
 * The decoder for the frames of a compressed transfer syntax (PS3.5 Section 10 and Annex A.4).
 * WASM codecs are loaded on the first `decode` and then shared.
 *
 * @param transferSyntaxUid - the value of (0002,0010) Transfer Syntax UID, for example
 *   `1.2.840.10008.1.2.4.90`.
 * @returns the decoder, or `undefined` for native (uncompressed) and unsupported transfer syntaxes
 *   (see {@link COMPRESSED_TRANSFER_SYNTAXES}). Its `decode` rejects with a `RadlabError` of code
 *   `pixel-decode` naming the codec and the transfer syntax.
 *
 * @example
 * ```ts
 * import { decoderFor } from "@radlab/kernel";
 * const decoder = decoderFor("1.2.840.10008.1.2.5");
 * decoder?.name; // "radlab RLE (TypeScript)"
 * ```
 */
export function decoderFor(transferSyntaxUid: string): FrameDecoder | undefined {
  // UI values may keep their trailing NUL (or space) padding (PS3.5 6.2).
  return BY_TRANSFER_SYNTAX.get(transferSyntaxUid.replace(/[\0 ]+$/, ""));
}
