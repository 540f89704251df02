import { RadlabError, type RadlabErrorOptions } from "../../core/radlab-error";

/** One problem found while validating a {@link DeidProfile}: a stable code, where it is, and what is wrong. */
export interface ProfileIssue {
  readonly code:
    | "invalid-field"
    | "unknown-option"
    | "conflicting-options"
    | "unknown-keyword"
    | "invalid-tag"
    | "unknown-action"
    | "action-not-allowed"
    | "duplicate-override"
    | "private-override"
    | "safe-private-without-option"
    | "option-without-allow-list";
  /** A path into the profile, for example `overrides[2].tag`. */
  readonly path: string;
  readonly message: string;
}

/**
 * Why de-identification refused to go on (it fails closed):
 * - `invalid-profile`: the {@link DeidProfile} did not validate; {@link DeidError.issues} lists every problem.
 * - `patient-not-enrolled`: an enrollment map was given and the instance's patient is not in it.
 * - `enrollment-conflict`: the re-identification key already gives this patient another research ID.
 * - `reid-key-wrong-key`: the re-identification key file was encrypted with another key.
 * - `reid-key-tampered`: the file's authentication tag does not match (changed or corrupted).
 * - `reid-key-format`: the file is not a radlab re-identification key, or an encryption key is malformed.
 * - `reid-key-missing-key`: no encryption key was given (file or `RADLAB_DEID_KEY`).
 * - `reid-key-location`: the key would be written inside an output folder or over an existing file.
 */
export type DeidErrorCode =
  | "invalid-profile"
  | "patient-not-enrolled"
  | "enrollment-conflict"
  | "reid-key-wrong-key"
  | "reid-key-tampered"
  | "reid-key-format"
  | "reid-key-missing-key"
  | "reid-key-location";

/** An error of header de-identification or of the re-identification key, with its evidence. */
export class DeidError extends RadlabError {
  declare readonly code: DeidErrorCode;
  /** For `invalid-profile`: every problem found, not only the first. */
  readonly issues: readonly ProfileIssue[];

  constructor(
    code: DeidErrorCode,
    message: string,
    options: RadlabErrorOptions & { readonly issues?: readonly ProfileIssue[] } = {},
  ) {
    const { issues, ...rest } = options;
    super(code, message, rest);
    this.issues = Object.freeze([...(issues ?? [])]);
  }
}
