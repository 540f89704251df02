import { RadlabError, type RadlabErrorOptions } from "../core/radlab-error";

/**
 * Why a DICOM file could not be read: `file-not-found`, `not-dicom` (no DICOM structure at all),
 * `dicom-truncated` (the file ends inside an element), `dicom-parse` (another malformation),
 * `unsupported-transfer-syntax`, `no-pixel-data`, `pixel-module` (inconsistent Image Pixel module),
 * `pixel-decode` (a codec failed), `vr-mismatch` (an accessor that does not fit the element's VR).
 */
export type DicomErrorCode =
  | "file-not-found"
  | "not-dicom"
  | "dicom-truncated"
  | "dicom-parse"
  | "unsupported-transfer-syntax"
  | "no-pixel-data"
  | "pixel-module"
  | "pixel-decode"
  | "vr-mismatch";

/** An error reading, decoding or writing DICOM; `evidence` names the file and, where known, the tag and byte offset. */
export class DicomError extends RadlabError {
  declare readonly code: DicomErrorCode;

  constructor(code: DicomErrorCode, message: string, options: RadlabErrorOptions = {}) {
    super(code, message, options);
  }
}
