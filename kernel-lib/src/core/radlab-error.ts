/**
 * The evidence a radlab error carries, so that a user (or a test) can see exactly what failed
 * and where, without parsing the message.
 */
export interface ErrorEvidence {
  /** The file that was being read or written. */
  readonly file?: string;
  /** The DICOM tag involved, written as `(0002,0010) Transfer Syntax UID`. */
  readonly tag?: string;
  /** A byte offset into {@link ErrorEvidence.file}. */
  readonly offset?: number;
  /** The rule (profile row, validation rule, ...) that was applied. */
  readonly rule?: string;
  /** A path into a structured value, for example `columns[2].name`. */
  readonly path?: string;
}

/** Options accepted by {@link RadlabError} and its subclasses. */
export interface RadlabErrorOptions extends ErrorEvidence {
  /** How to fix the problem, in one sentence addressed to the user. */
  readonly hint?: string;
  /** The underlying error, kept as the standard `cause`. */
  readonly cause?: unknown;
}

/**
 * The base class of every error radlab throws on purpose.
 *
 * Each error has a stable machine-readable {@link RadlabError.code}, the evidence that led to it
 * ({@link RadlabError.evidence}) and, where there is one, a {@link RadlabError.hint} that says how to
 * fix it. The hint is also appended to the message so that it shows in a notebook traceback.
 *
 * @example
 * ```ts
 * import { RadlabError } from "@radlab/kernel";
 * const error = new RadlabError("example", "Cannot read scan.dcm", {
 *   file: "scan.dcm",
 *   hint: "Check that the file is a DICOM Part 10 file.",
 * });
 * error.message; // "Cannot read scan.dcm\nHow to fix: Check that the file is a DICOM Part 10 file."
 * ```
 */
export class RadlabError extends Error {
  /** A stable identifier of the kind of failure, for example `payload-invalid`. */
  readonly code: string;
  /** How to fix the problem, when radlab knows. */
  readonly hint: string | undefined;
  /** What was being processed when the error happened. */
  readonly evidence: ErrorEvidence;

  constructor(code: string, message: string, options: RadlabErrorOptions = {}) {
    const { hint, cause, ...evidence } = options;
    super(
      hint === undefined ? message : `${message}\nHow to fix: ${hint}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = new.target.name;
    this.code = code;
    this.hint = hint;
    this.evidence = Object.freeze({ ...evidence });
  }
}
