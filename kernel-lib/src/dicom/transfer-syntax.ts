/** Transfer syntaxes radlab knows by name (PS3.6 Table A-1), with how their datasets are encoded. */
export interface TransferSyntax {
  readonly uid: string;
  readonly name: string;
  readonly explicitVR: boolean;
  readonly littleEndian: boolean;
  /** Pixel data in fragments (compressed), not native. */
  readonly encapsulated: boolean;
  readonly lossy: boolean;
}

const rows: readonly [string, string, boolean, boolean, boolean, boolean][] = [
  ["1.2.840.10008.1.2", "Implicit VR Little Endian", false, true, false, false],
  ["1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, true, false, false],
  ["1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, true, false, false],
  ["1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, false, false, false],
  ["1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", true, true, true, true],
  ["1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", true, true, true, true],
  ["1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", true, true, true, false],
  [
    "1.2.840.10008.1.2.4.70",
    "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])",
    true,
    true,
    true,
    false,
  ],
  ["1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression", true, true, true, false],
  ["1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression", true, true, true, true],
  ["1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", true, true, true, false],
  ["1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", true, true, true, true],
  ["1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)", true, true, true, false],
  [
    "1.2.840.10008.1.2.4.202",
    "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)",
    true,
    true,
    true,
    false,
  ],
  ["1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression", true, true, true, true],
  ["1.2.840.10008.1.2.5", "RLE Lossless", true, true, true, false],
  ["1.2.840.10008.1.2.8.1", "Deflated Image Frame Compression", true, true, true, false],
];

const byUid = new Map<string, TransferSyntax>(
  rows.map(([uid, name, explicitVR, littleEndian, encapsulated, lossy]) => [
    uid,
    Object.freeze({ uid, name, explicitVR, littleEndian, encapsulated, lossy }),
  ]),
);

/** The transfer syntaxes radlab reads, by UID. */
export const TRANSFER_SYNTAXES: ReadonlyMap<string, TransferSyntax> = byUid;

/** Looks up a transfer syntax by UID; unknown UIDs give `undefined`. */
export function transferSyntax(uid: string): TransferSyntax | undefined {
  return byUid.get(uid);
}

export const IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
export const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
export const EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";
export const DEFLATED_IMAGE_FRAME_COMPRESSION = "1.2.840.10008.1.2.8.1";
