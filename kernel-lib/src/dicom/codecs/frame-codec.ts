/**
 * The interface between the DICOM pixel module and the decoders of compressed transfer syntaxes.
 * A decoder turns the bytes of one encapsulated frame into native pixel samples.
 */

/** What a decoder needs to know about the frame, from the Image Pixel module (PS3.3 C.7.6.3). */
export interface FrameInfo {
  /** (0028,0010) Rows */
  readonly rows: number;
  /** (0028,0011) Columns */
  readonly columns: number;
  /** (0028,0002) Samples per Pixel: 1 or 3 */
  readonly samplesPerPixel: number;
  /** (0028,0100) Bits Allocated: 8 or 16 for most compressed frames; also 1 (RLE, JPEG 2000) and 32 (RLE) */
  readonly bitsAllocated: number;
  /** (0028,0101) Bits Stored */
  readonly bitsStored: number;
  /** (0028,0103) Pixel Representation: 0 unsigned, 1 two's complement */
  readonly pixelRepresentation: 0 | 1;
  /** (0028,0004) Photometric Interpretation as stored in the dataset */
  readonly photometricInterpretation: string;
  /** (0028,0006) Planar Configuration: 0 interleaved, 1 planar (only for samplesPerPixel 3) */
  readonly planarConfiguration: 0 | 1;
}

/** One decoded frame. */
export interface DecodedFrame {
  /**
   * Samples, colour-by-pixel (interleaved: R,G,B,R,G,B...) when samplesPerPixel is 3.
   * Uint8Array for 8-bit data; Uint16Array or Int16Array for 9..16-bit data (signed when
   * pixelRepresentation is 1). Also Uint8Array (one sample, 0 or 1, a pixel) for 1-bit data, and
   * Uint32Array or Int32Array for 32-bit data (RLE Lossless, for example RT Dose).
   */
  readonly samples: Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;
  /**
   * The photometric interpretation of `samples`. Decoders that convert colour (for example a JPEG
   * baseline YBR_FULL_422 frame decoded to RGB) say so here; otherwise it is the input's.
   */
  readonly photometricInterpretation: string;
}

/** A decoder for one or more transfer syntaxes. */
export interface FrameDecoder {
  /** The transfer syntax UIDs it decodes, for example `1.2.840.10008.1.2.4.50`. */
  readonly transferSyntaxes: readonly string[];
  /** A short name for messages and benchmarks, for example `libjpeg-turbo (WASM)`. */
  readonly name: string;
  /** Decodes one frame; rejects with a `RadlabError` (code `pixel-decode`) naming the codec and reason. */
  decode(frame: Uint8Array, info: FrameInfo): Promise<DecodedFrame>;
}
