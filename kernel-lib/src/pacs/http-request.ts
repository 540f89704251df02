import * as http from "node:http";
import * as https from "node:https";
import type { DicomWebConnection } from "./dicomweb-connection";
import { excerpt, PacsError } from "./pacs-error";

/** A successful (2xx) response whose body has not been read yet. */
export interface HttpResponse {
  readonly url: string;
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** The body stream; the caller must consume or destroy it. */
  readonly body: http.IncomingMessage;
}

const httpAgent = new http.Agent({ keepAlive: true });
const httpsAgents = new WeakMap<DicomWebConnection, https.Agent>();

function agentFor(connection: DicomWebConnection, url: URL): http.Agent {
  if (url.protocol === "http:") return httpAgent;
  let agent = httpsAgents.get(connection);
  if (agent === undefined) {
    agent = new https.Agent({ keepAlive: true, ...(connection.ca === undefined ? {} : { ca: connection.ca }) });
    httpsAgents.set(connection, agent);
  }
  return agent;
}

function authorization(connection: DicomWebConnection): string | undefined {
  const auth = connection.auth;
  if (auth === undefined) return undefined;
  if (auth.kind === "basic") return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
  return `Bearer ${auth.token}`;
}

/** Wraps any failure of a request or of reading its body as a {@link PacsError}. */
export function asPacsError(error: unknown, url: string, signal?: AbortSignal): PacsError {
  if (error instanceof PacsError) return error;
  if (signal?.aborted === true || (error as { name?: string }).name === "AbortError") {
    return new PacsError("aborted", `The request to ${url} was aborted.`, { url, cause: error });
  }
  const code = (error as { code?: string }).code;
  return new PacsError("network", `Cannot reach ${url}: ${code ?? String(error)}.`, {
    url,
    cause: error,
    hint:
      code === "ECONNREFUSED"
        ? "Check the host and port of the DICOMweb server, and that it is running."
        : code !== undefined && /CERT|SSL|TLS|SELF_SIGNED/.test(code)
          ? "Give the certificate authority of the server with caFile."
          : "Check the network path to the server; the request is retried with backoff before this error.",
  });
}

async function readCapped(body: http.IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    if (size < max) chunks.push(buffer.subarray(0, max - size));
    size += buffer.length;
  }
  return Buffer.concat(chunks);
}

function hintFor(status: number): string {
  if (status === 401)
    return "Check the username and password (Basic) or the token (bearer) given to dicomWebConnection.";
  if (status === 403)
    return "The credentials were accepted but this user may not read these data; ask the PACS administrator.";
  if (status === 404) return "Check the DICOMweb root URL and the UIDs; the resource does not exist on this server.";
  if (status === 406) return "The server cannot send this media type; it may not support WADO-RS multipart retrieval.";
  if (status >= 500) return "The server failed; the request was retried with backoff. Look at the server's log.";
  return "Look at the body excerpt for the server's explanation.";
}

function once(
  connection: DicomWebConnection,
  url: URL,
  accept: string,
  signal: AbortSignal | undefined,
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: accept };
    const auth = authorization(connection);
    if (auth !== undefined) headers.Authorization = auth;
    const lib = url.protocol === "https:" ? https : http;
    const request = lib.request(url, { method: "GET", headers, agent: agentFor(connection, url) });
    // Abort by hand rather than with the `signal` option: that one can destroy a finished
    // response later and raise an unhandled AbortError.
    // Destroyed without an error object: readers see a premature close and, the signal being
    // aborted, report `aborted` (see asPacsError).
    const onAbort = () => request.destroy();
    const detach = () => signal?.removeEventListener("abort", onAbort);
    if (signal?.aborted === true) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    request.on("close", detach);
    request.setTimeout(connection.timeoutMs, () => {
      request.destroy(
        new PacsError("timeout", `No answer from ${url.href} within ${connection.timeoutMs} ms.`, {
          url: url.href,
          hint: "Raise timeoutMs in dicomWebConnection, or check the server's load.",
        }),
      );
    });
    request.on("response", (response) => {
      // Errors surface through whoever reads the body; this keeps a late one from going unhandled.
      response.on("error", () => undefined);
      response.on("end", detach);
      resolve(response);
    });
    request.on("error", reject);
    request.end();
  });
}

function retryable(error: PacsError): boolean {
  return error.code === "network" || error.code === "timeout" || (error.status !== undefined && error.status >= 500);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(new PacsError("aborted", "Aborted while waiting to retry."));
      },
      { once: true },
    );
  });
}

/**
 * GETs `path` (relative to the connection's root, with its query) and returns the response once
 * the status is 2xx. Network errors, timeouts, 429 and 5xx answers are retried with exponential
 * backoff; other statuses fail at once with the body excerpt as evidence.
 */
export async function dicomWebGet(
  connection: DicomWebConnection,
  path: string,
  accept: string,
  signal?: AbortSignal,
): Promise<HttpResponse> {
  const url = new URL(`${connection.baseUrl}/${path.replace(/^\/+/, "")}`);
  let lastError: PacsError | undefined;
  for (let attempt = 0; attempt <= connection.retries; attempt++) {
    if (attempt > 0) await sleep(connection.retryDelayMs * 2 ** (attempt - 1), signal);
    if (signal?.aborted === true) throw asPacsError(signal.reason, url.href, signal);
    let response: http.IncomingMessage;
    try {
      response = await once(connection, url, accept, signal);
    } catch (error) {
      lastError = asPacsError(error, url.href, signal);
      if (lastError.code === "aborted" || !retryable(lastError)) throw lastError;
      continue;
    }
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) return { url: url.href, status, headers: response.headers, body: response };
    let body = Buffer.alloc(0);
    try {
      body = await readCapped(response, 4096);
    } catch {
      // The status already says what went wrong; an unreadable error body adds nothing.
    }
    const unauthorized = status === 401 || status === 403;
    lastError = new PacsError(
      unauthorized ? "unauthorized" : "http-status",
      `${url.href} answered ${status} ${response.statusMessage ?? ""}`.trimEnd() + ".",
      { url: url.href, status, bodyExcerpt: excerpt(body), hint: hintFor(status) },
    );
    if (!(status === 429 || retryable(lastError))) throw lastError;
  }
  throw lastError ?? new PacsError("network", `No attempt was made to reach ${url.href}.`, { url: url.href });
}

/** Reads a JSON body (QIDO-RS answers `application/dicom+json`); 204 No Content is an empty list. */
export async function readJson(response: HttpResponse, signal?: AbortSignal): Promise<unknown> {
  if (response.status === 204) {
    response.body.resume();
    return [];
  }
  let bytes: Buffer;
  try {
    bytes = await readCapped(response.body, Number.MAX_SAFE_INTEGER);
  } catch (error) {
    throw asPacsError(error, response.url, signal);
  }
  if (bytes.length === 0) return [];
  try {
    return JSON.parse(bytes.toString("utf8")) as unknown;
  } catch (cause) {
    throw new PacsError("bad-response", `${response.url} did not answer JSON.`, {
      url: response.url,
      status: response.status,
      bodyExcerpt: excerpt(bytes),
      cause,
      hint: "Check that the URL is the server's DICOMweb root (QIDO-RS answers application/dicom+json).",
    });
  }
}
