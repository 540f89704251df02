import { transferSyntax } from "../transfer-syntax";
/**
 * The compressed transfer syntaxes that radlab decodes (PS3.5 Section 8.2 and Annexes A.4, G), with
 * the names that error messages use.
 */

/** Transfer syntax UIDs of the compressed (encapsulated) pixel encodings radlab decodes. */
export const TS = Object.freeze({
  /** RLE Lossless (PS3.5 Annex G). */
  RLE_LOSSLESS: "1.2.840.10008.1.2.5",
  /** JPEG Baseline (Process 1): 8-bit lossy DCT. */
  JPEG_BASELINE: "1.2.840.10008.1.2.4.50",
  /** JPEG Extended (Process 2 & 4): 8- or 12-bit lossy DCT. */
  JPEG_EXTENDED: "1.2.840.10008.1.2.4.51",
  /** JPEG Lossless, Non-Hierarchical (Process 14). */
  JPEG_LOSSLESS: "1.2.840.10008.1.2.4.57",
  /** JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1]). */
  JPEG_LOSSLESS_SV1: "1.2.840.10008.1.2.4.70",
  /** JPEG-LS Lossless Image Compression. */
  JPEG_LS_LOSSLESS: "1.2.840.10008.1.2.4.80",
  /** JPEG-LS Lossy (Near-Lossless) Image Compression. */
  JPEG_LS_NEAR_LOSSLESS: "1.2.840.10008.1.2.4.81",
  /** JPEG 2000 Image Compression (Lossless Only). */
  JPEG_2000_LOSSLESS: "1.2.840.10008.1.2.4.90",
  /** JPEG 2000 Image Compression. */
  JPEG_2000: "1.2.840.10008.1.2.4.91",
  /** High-Throughput JPEG 2000 Image Compression (Lossless Only). */
  HTJ2K_LOSSLESS: "1.2.840.10008.1.2.4.201",
  /** High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only). */
  HTJ2K_LOSSLESS_RPCL: "1.2.840.10008.1.2.4.202",
  /** High-Throughput JPEG 2000 Image Compression. */
  HTJ2K: "1.2.840.10008.1.2.4.203",
});

/**
 * The compressed transfer syntaxes that {@link decoderFor} has a decoder for, in the order of PS3.5.
 *
 * @example
 * ```ts
 * import { COMPRESSED_TRANSFER_SYNTAXES } from "@radlab/kernel";
 * COMPRESSED_TRANSFER_SYNTAXES.includes("1.2.840.10008.1.2.4.90"); // true
 * ```
 */
export const COMPRESSED_TRANSFER_SYNTAXES: readonly string[] = Object.freeze([
  TS.JPEG_BASELINE,
  TS.JPEG_EXTENDED,
  TS.JPEG_LOSSLESS,
  TS.JPEG_LOSSLESS_SV1,
  TS.JPEG_LS_LOSSLESS,
  TS.JPEG_LS_NEAR_LOSSLESS,
  TS.JPEG_2000_LOSSLESS,
  TS.JPEG_2000,
  TS.HTJ2K_LOSSLESS,
  TS.HTJ2K_LOSSLESS_RPCL,
  TS.HTJ2K,
  TS.RLE_LOSSLESS,
]);

/**
 * A transfer syntax's name and UID for messages, as in `JPEG 2000 Image Compression (1.2.840.10008.1.2.4.91)`.
 *
 * @param uid - a transfer syntax UID; unknown UIDs are returned as they are.
 */
export function describeTransferSyntax(uid: string): string {
  const name = transferSyntax(uid)?.name;
  return name === undefined ? uid : `${name} (${uid})`;
}
