import * as fs from "node:fs";
import { PacsError } from "./pacs-error";

/**
 * How to authenticate to a DICOMweb server: HTTP Basic (RFC 7617) or a bearer token (RFC 6750,
 * for example an OAuth2 access token from the hospital's identity provider).
 */
export type DicomWebAuth =
  | { readonly kind: "basic"; readonly username: string; readonly password: string }
  | { readonly kind: "bearer"; readonly token: string };

/** Options of {@link dicomWebConnection}. */
export interface DicomWebConnectionOptions {
  /** The DICOMweb root, for example `https://pacs.example.org/dicom-web` (no credentials in it). */
  readonly baseUrl: string;
  readonly auth?: DicomWebAuth;
  /** A PEM file of the certificate authorities to trust for `https` (default: Node's bundled CAs). */
  readonly caFile?: string;
  /** Milliseconds without any byte from the server before a request fails with `timeout` (default 30 000). */
  readonly timeoutMs?: number;
  /** How many times a request is repeated after a network error, a timeout or a 5xx status (default 3). */
  readonly retries?: number;
  /** The first pause before a retry, doubled at each further attempt (default 250 ms). */
  readonly retryDelayMs?: number;
}

/** A validated, frozen DICOMweb endpoint: what every QIDO-RS and WADO-RS function takes first. */
export interface DicomWebConnection {
  /** The root URL without a trailing slash. */
  readonly baseUrl: string;
  readonly auth: DicomWebAuth | undefined;
  /** The trusted certificate authorities read from `caFile`, when one was given. */
  readonly ca: Buffer | undefined;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
}

/**
 * Checks and freezes the description of a DICOMweb server (PS3.18): the root URL, the
 * authentication, the TLS trust and the timeout and retry policy.
 *
 * @throws {@link PacsError} `network` when the URL is not `http:` or `https:`, contains
 *   credentials, or the CA file cannot be read; `bad-argument` for a number out of range.
 * @example
 * ```ts
 * import { dicomWebConnection } from "@radlab/kernel";
 * const pacs = dicomWebConnection({
 *   baseUrl: "https://pacs.example.org/dicom-web",
 *   auth: { kind: "bearer", token: process.env.PACS_TOKEN ?? "" },
 *   caFile: "/etc/ssl/hospital-ca.pem",
 * });
 * ```
 */
export function dicomWebConnection(options: DicomWebConnectionOptions): DicomWebConnection {
  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch (cause) {
    throw new PacsError("network", `"${options.baseUrl}" is not a URL.`, {
      cause,
      hint: "Give the DICOMweb root as an absolute URL, for example http://127.0.0.1:8042/dicom-web.",
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new PacsError("network", `DICOMweb needs an http: or https: URL, not ${url.protocol}.`, {
      url: options.baseUrl,
      hint: "Use the server's http:// or https:// DICOMweb root.",
    });
  }
  if (url.username !== "" || url.password !== "") {
    throw new PacsError("network", "The DICOMweb URL contains credentials.", {
      url: `${url.protocol}//${url.host}${url.pathname}`,
      hint: "Remove user:password@ from the URL and pass them as auth: { kind: 'basic', ... }, so they never appear in logs or errors.",
    });
  }
  let ca: Buffer | undefined;
  if (options.caFile !== undefined) {
    try {
      ca = fs.readFileSync(options.caFile);
    } catch (cause) {
      throw new PacsError("network", `Cannot read the CA file ${options.caFile}.`, {
        file: options.caFile,
        cause,
        hint: "Give the path of a PEM file holding the certificate of the authority that signed the server's certificate.",
      });
    }
  }
  const positive = (value: number | undefined, fallback: number, name: string, min: number): number => {
    const v = value ?? fallback;
    if (!Number.isInteger(v) || v < min) {
      throw new PacsError("bad-argument", `${name} must be a whole number >= ${min}, not ${v}.`, { rule: name });
    }
    return v;
  };
  return Object.freeze({
    baseUrl: url.toString().replace(/\/+$/, ""),
    auth: options.auth === undefined ? undefined : Object.freeze({ ...options.auth }),
    ca,
    timeoutMs: positive(options.timeoutMs, 30_000, "timeoutMs", 1),
    retries: positive(options.retries, 3, "retries", 0),
    retryDelayMs: positive(options.retryDelayMs, 250, "retryDelayMs", 0),
  });
}
