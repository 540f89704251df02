import { DecodeFailure } from "./decode-error";

/** What the markers before the first scan of a JPEG (ISO/IEC 10918-1) stream say. */
export interface JpegHeader {
  /** The start-of-frame marker, 0xFFC0 (baseline) to 0xFFCF. */
  readonly frameMarker: number;
  /** Sample precision P: 8 or 12 for DCT processes, 2 to 16 for lossless. */
  readonly precision: number;
  readonly width: number;
  readonly height: number;
  /** Component identifiers C_i, in frame order. */
  readonly componentIds: readonly number[];
  /** Whether an APP0 JFIF marker is present. */
  readonly jfif: boolean;
  /** The Adobe APP14 marker's colour transform (0 none, 1 YCbCr, 2 YCCK), when present. */
  readonly adobeTransform: number | undefined;
}

/**
 * Reads the markers from SOI up to the first SOS.
 *
 * @param data - a JPEG stream (ISO/IEC 10918-1 Annex B syntax).
 * @throws DecodeFailure when the data does not start with SOI or has no frame header.
 */
export function readJpegHeader(data: Uint8Array): JpegHeader {
  if (data[0] !== 0xff || data[1] !== 0xd8) {
    throw new DecodeFailure("the frame does not start with a JPEG start-of-image marker (FFD8)");
  }
  let offset = 2;
  let jfif = false;
  let adobeTransform: number | undefined;
  let frame: Omit<JpegHeader, "jfif" | "adobeTransform"> | undefined;
  while (offset + 4 <= data.length) {
    if (data[offset] !== 0xff) throw new DecodeFailure(`no JPEG marker at byte ${offset} of the frame`);
    const marker = 0xff00 | (data[offset + 1] ?? 0);
    if (marker === 0xffff) {
      offset += 1; // fill byte
      continue;
    }
    const length = ((data[offset + 2] ?? 0) << 8) | (data[offset + 3] ?? 0);
    const body = offset + 4;
    if (marker === 0xffda) break;
    if (isStartOfFrame(marker)) {
      const count = data[body + 5] ?? 0;
      const componentIds: number[] = [];
      for (let i = 0; i < count; i++) componentIds.push(data[body + 6 + 3 * i] ?? 0);
      frame = {
        frameMarker: marker,
        precision: data[body] ?? 0,
        height: ((data[body + 1] ?? 0) << 8) | (data[body + 2] ?? 0),
        width: ((data[body + 3] ?? 0) << 8) | (data[body + 4] ?? 0),
        componentIds,
      };
    } else if (marker === 0xffe0 && ascii(data, body, 5) === "JFIF\0") {
      jfif = true;
    } else if (marker === 0xffee && ascii(data, body, 5) === "Adobe") {
      adobeTransform = data[body + 11];
    }
    offset += 2 + length;
  }
  if (frame === undefined)
    throw new DecodeFailure("the JPEG stream has no start-of-frame marker before its first scan");
  return { ...frame, jfif, adobeTransform };
}

/** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xffc0 && marker <= 0xffcf && marker !== 0xffc4 && marker !== 0xffc8 && marker !== 0xffcc;
}

function ascii(data: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...data.subarray(offset, offset + length));
}

/**
 * Whether libjpeg will convert a 3-component frame from YCbCr to RGB, as jdapimin.c decides: a
 * JFIF marker means YCbCr, an Adobe marker's transform 0 means RGB, component identifiers
 * `R`,`G`,`B` mean RGB, anything else YCbCr.
 *
 * @param header - the stream's markers, from {@link readJpegHeader}.
 */
export function libjpegAssumesYcbcr(header: JpegHeader): boolean {
  if (header.componentIds.length !== 3) return false;
  if (header.jfif) return true;
  if (header.adobeTransform !== undefined) return header.adobeTransform !== 0;
  const [a, b, c] = header.componentIds;
  return !(a === 0x52 && b === 0x47 && c === 0x42);
}

/**
 * Whether a 3-component frame holds YCbCr that decoding must convert to RGB. The stream's own
 * markers decide (Adobe APP14 transform, then JFIF); without them (0028,0004) Photometric
 * Interpretation decides, as DCMTK and pydicom do: YBR_FULL and YBR_FULL_422 are converted, RGB
 * is left as it is. Only when neither says do the component identifiers decide, as in libjpeg.
 *
 * @param header - the stream's markers, from {@link readJpegHeader}.
 * @param photometric - (0028,0004) Photometric Interpretation.
 */
export function jpegHoldsYcbcr(header: JpegHeader, photometric: string): boolean {
  if (header.componentIds.length !== 3) return false;
  if (header.adobeTransform !== undefined) return header.adobeTransform !== 0;
  if (header.jfif) return true;
  if (photometric.startsWith("YBR_")) return true;
  if (photometric === "RGB") return false;
  return libjpegAssumesYcbcr(header);
}

/**
 * A copy of a JPEG stream with an Adobe APP14 marker after SOI, whose transform flag (1 YCbCr,
 * 0 none) makes libjpeg convert colour, or not, as `ycbcr` says.
 *
 * @param data - a JPEG stream without JFIF or Adobe marker.
 * @param ycbcr - whether libjpeg is to convert YCbCr to RGB.
 */
export function withAdobeTransform(data: Uint8Array, ycbcr: boolean): Uint8Array {
  // FFEE, length 14, "Adobe", version 100, flags0 0, flags1 0, transform.
  const marker = [0xff, 0xee, 0x00, 0x0e, 0x41, 0x64, 0x6f, 0x62, 0x65, 0x00, 0x64, 0, 0, 0, 0, ycbcr ? 1 : 0];
  const out = new Uint8Array(data.length + marker.length);
  out.set(data.subarray(0, 2));
  out.set(marker, 2);
  out.set(data.subarray(2), 2 + marker.length);
  return out;
}

/** How many bytes after the end marker may be padding (0x00 or 0xFF) before the data counts as damaged. */
const MAX_TRAILING_PADDING = 32;

/**
 * Checks that a JPEG, JPEG-LS or JPEG 2000 codestream ends with its end marker (EOI or EOC, both
 * FFD9), allowing padding bytes after it. Catches truncated frames before a codec runs: some decode
 * truncated data without complaint, and CharLS (WASM) takes seconds to reject it.
 *
 * @param data - the frame, as it came out of the encapsulated Pixel Data.
 * @throws DecodeFailure when the marker is missing.
 */
export function checkEndMarker(data: Uint8Array): void {
  const last = data.length - 2;
  for (let i = last; i >= 0 && i >= last - MAX_TRAILING_PADDING; i--) {
    if (data[i] === 0xff && data[i + 1] === 0xd9) return;
    const byte = data[i + 1];
    if (byte !== 0x00 && byte !== 0xff) break;
  }
  throw new DecodeFailure(
    `the frame (${data.length} bytes) does not end with an end-of-image marker (FFD9): it is truncated or damaged`,
  );
}
