import { RadlabError, type RadlabErrorOptions } from "../core/radlab-error";

/**
 * Why talking to a PACS failed:
 * - `http-status`: the server answered with a status that is not a success (see `status`, `bodyExcerpt`);
 * - `unauthorized`: 401 or 403, the credentials were missing, wrong or not allowed;
 * - `network`: the connection failed (refused, reset, DNS, TLS);
 * - `timeout`: no answer within the configured time;
 * - `aborted`: the caller's `AbortSignal` fired;
 * - `multipart`: a `multipart/related` body that cannot be split into parts;
 * - `bad-response`: a body that is not what the standard says (JSON expected, DICOM expected, ...);
 * - `dimse`: a DIMSE association or operation failed (see `status`);
 * - `enrollment`: the enrollment list is malformed (see {@link PacsError.issues});
 * - `manifest`: the pull manifest in the output folder is unreadable or belongs to another pull;
 * - `bad-argument`: an argument out of range (a date that is not `YYYYMMDD`, a page size below 1);
 * - `not-private-network`: the test PACS was asked to start outside a private network namespace;
 * - `orthanc`: the test Orthanc could not be started, loaded or stopped.
 */
export type PacsErrorCode =
  | "http-status"
  | "unauthorized"
  | "network"
  | "timeout"
  | "aborted"
  | "multipart"
  | "bad-response"
  | "dimse"
  | "enrollment"
  | "manifest"
  | "bad-argument"
  | "not-private-network"
  | "orthanc";

/** One problem found in an enrollment list; every problem of a file is reported at once. */
export interface EnrollmentIssue {
  /** `bad-header`, `bad-row`, `empty-value`, `bad-value`, `duplicate-id` or `conflicting-research-id`. */
  readonly code: "bad-header" | "bad-row" | "empty-value" | "bad-value" | "duplicate-id" | "conflicting-research-id";
  /** The 1-based line of the CSV file. */
  readonly line: number;
  /** The column involved, when there is one. */
  readonly column?: string;
  readonly message: string;
}

/** Options of {@link PacsError}: the common evidence plus what a PACS exchange leaves behind. */
export interface PacsErrorOptions extends RadlabErrorOptions {
  /** The URL requested (credentials are never part of it), or `host:port` for DIMSE. */
  readonly url?: string;
  /** The HTTP status, or the DIMSE status word. */
  readonly status?: number;
  /** The first bytes of the response body, as text (at most 500 characters). */
  readonly bodyExcerpt?: string;
  /** For the enrollment list: every problem found. */
  readonly issues?: readonly EnrollmentIssue[];
}

/**
 * An error searching, retrieving or pulling from a PACS, or running the test PACS. Besides the
 * common evidence (`file`, `rule`, ...) it carries the {@link PacsError.url}, the
 * {@link PacsError.status} and an excerpt of the body the server sent, so the failure can be
 * diagnosed without re-running it.
 *
 * @example
 * ```ts
 * import { PacsError, searchStudies, dicomWebConnection } from "@radlab/kernel";
 * const pacs = dicomWebConnection({ baseUrl: "http://127.0.0.1:8042/dicom-web" });
 * try {
 *   await searchStudies(pacs, { PatientID: "12345" });
 * } catch (error) {
 *   if (error instanceof PacsError && error.code === "unauthorized") console.error(error.status, error.url);
 * }
 * ```
 */
export class PacsError extends RadlabError {
  declare readonly code: PacsErrorCode;
  /** The URL requested, or `host:port` for DIMSE. */
  readonly url: string | undefined;
  /** The HTTP status or DIMSE status word. */
  readonly status: number | undefined;
  /** The start of the body the server sent, as text. */
  readonly bodyExcerpt: string | undefined;
  /** Every problem found in an enrollment list (empty for other codes). */
  readonly issues: readonly EnrollmentIssue[];

  constructor(code: PacsErrorCode, message: string, options: PacsErrorOptions = {}) {
    const { url, status, bodyExcerpt, issues, ...rest } = options;
    super(code, message, rest);
    this.url = url;
    this.status = status;
    this.bodyExcerpt = bodyExcerpt;
    this.issues = Object.freeze([...(issues ?? [])]);
  }
}

/** Text of the first bytes of a body, for error evidence. */
export function excerpt(bytes: Uint8Array, max = 500): string {
  const text = Buffer.from(bytes.subarray(0, max)).toString("utf8");
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ".");
}
