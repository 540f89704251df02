import type { DicomWebConnection } from "./dicomweb-connection";
import { HashedFileWriter, type RetrievedInstance } from "./hashed-file";
import { asPacsError, dicomWebGet } from "./http-request";
import { MultipartParser, parseMultipartContentType } from "./multipart";
import { PacsError } from "./pacs-error";
import { searchInstances } from "./qido";

/**
 * What WADO-RS asks for: DICOM Part 10 instances in a multipart body, in the transfer syntax they
 * are stored in (`transfer-syntax=*`, PS3.18 §8.7.3.5.2), so nothing is transcoded on the way.
 */
export const WADO_ACCEPT = 'multipart/related; type="application/dicom"; transfer-syntax=*';

/** Options of the WADO-RS retrieves. */
export interface RetrieveOptions {
  readonly signal?: AbortSignal;
  /**
   * When a study or series retrieve fails part-way (status, network, broken multipart), list its
   * instances with QIDO-RS and fetch the missing ones one by one (default true).
   */
  readonly fallback?: boolean;
  /** SOP Instance UIDs already held: the per-instance fallback does not fetch them again. */
  readonly skip?: ReadonlySet<string>;
  /** Called after each instance is safely on disk (awaited: back-pressure for the caller). */
  readonly onInstance?: (instance: RetrievedInstance) => void | Promise<void>;
}

/** One instance that could not be retrieved even one by one. */
export interface RetrieveFailure {
  readonly sopInstanceUid: string;
  readonly error: PacsError;
}

/** The outcome of a study or series retrieve. */
export interface RetrieveResult {
  readonly instances: readonly RetrievedInstance[];
  /** Set when the bulk retrieve failed and instances were fetched one by one; the first error. */
  readonly fallbackReason: PacsError | undefined;
  readonly failures: readonly RetrieveFailure[];
}

/** Streams a WADO-RS multipart answer to `{folder}/{sha256}.dcm` files, one per part. */
async function streamMultipart(
  connection: DicomWebConnection,
  resource: string,
  folder: string,
  options: RetrieveOptions,
  received: RetrievedInstance[],
): Promise<void> {
  const response = await dicomWebGet(connection, resource, WADO_ACCEPT, options.signal);
  const contentType = response.headers["content-type"] ?? "";
  let parser: MultipartParser;
  try {
    const parsed = parseMultipartContentType(contentType);
    if (parsed.type !== undefined && parsed.type !== "application/dicom") {
      throw new PacsError("bad-response", `${response.url} sent parts of type ${parsed.type}.`, {
        url: response.url,
        status: response.status,
        hint: "WADO-RS instance retrieval must answer application/dicom parts.",
      });
    }
    parser = new MultipartParser(parsed.boundary);
  } catch (error) {
    response.body.destroy();
    throw error instanceof PacsError
      ? new PacsError(error.code, error.message, { url: response.url, status: response.status, cause: error })
      : error;
  }
  let writer: HashedFileWriter | undefined;
  const handle = async (events: ReturnType<MultipartParser["push"]>) => {
    for (const event of events) {
      if (event.kind === "part-start") {
        const type = event.headers["content-type"];
        if (type !== undefined && !type.toLowerCase().startsWith("application/dicom")) {
          throw new PacsError("bad-response", `Part ${event.index + 1} of ${response.url} is ${type}.`, {
            url: response.url,
            status: response.status,
            hint: "Each part of a WADO-RS answer must be application/dicom.",
          });
        }
        writer = new HashedFileWriter(folder);
      } else if (event.kind === "part-data") writer?.write(event.bytes);
      else if (writer !== undefined) {
        const instance = writer.finish(response.url);
        writer = undefined;
        received.push(instance);
        await options.onInstance?.(instance);
      }
    }
  };
  try {
    for await (const chunk of response.body) await handle(parser.push(chunk as Buffer));
    await handle(parser.end());
  } catch (error) {
    writer?.discard();
    response.body.destroy();
    const wrapped = asPacsError(error, response.url, options.signal);
    if (wrapped.code === "multipart" && wrapped.url === undefined) {
      throw new PacsError("multipart", wrapped.message, {
        url: response.url,
        status: response.status,
        ...(wrapped.bodyExcerpt === undefined ? {} : { bodyExcerpt: wrapped.bodyExcerpt }),
        ...(wrapped.evidence.offset === undefined ? {} : { offset: wrapped.evidence.offset }),
        ...(wrapped.hint === undefined ? {} : { hint: wrapped.hint }),
        cause: wrapped,
      });
    }
    throw wrapped;
  }
}

function uidPath(...uids: string[]): string {
  const names = ["studies", "series", "instances"];
  return uids.map((uid, i) => `${names[i]}/${encodeURIComponent(uid)}`).join("/");
}

async function retrieveMany(
  connection: DicomWebConnection,
  uids: [string] | [string, string],
  folder: string,
  options: RetrieveOptions,
): Promise<RetrieveResult> {
  const received: RetrievedInstance[] = [];
  try {
    await streamMultipart(connection, uidPath(...uids), folder, options, received);
    return Object.freeze({ instances: received, fallbackReason: undefined, failures: [] });
  } catch (error) {
    const reason = asPacsError(error, connection.baseUrl, options.signal);
    if (options.fallback === false || reason.code === "aborted" || reason.code === "unauthorized") throw reason;
    const have = new Set([...(options.skip ?? []), ...received.map((i) => i.sopInstanceUid)]);
    const listed = await searchInstances(
      connection,
      { StudyInstanceUID: uids[0], ...(uids[1] === undefined ? {} : { SeriesInstanceUID: uids[1] }) },
      { includeFields: ["SeriesInstanceUID", "SOPInstanceUID"], ...(options.signal ? { signal: options.signal } : {}) },
    );
    const failures: RetrieveFailure[] = [];
    for (const match of listed) {
      const series = match.string("SeriesInstanceUID");
      const sop = match.string("SOPInstanceUID");
      if (series === undefined || sop === undefined || have.has(sop)) continue;
      try {
        const instance = await retrieveInstance(connection, uids[0], series, sop, folder, options);
        received.push(instance);
        have.add(sop);
      } catch (instanceError) {
        const failure = asPacsError(instanceError, connection.baseUrl, options.signal);
        if (failure.code === "aborted" || failure.code === "unauthorized") throw failure;
        failures.push({ sopInstanceUid: sop, error: failure });
      }
    }
    return Object.freeze({ instances: received, fallbackReason: reason, failures });
  }
}

/**
 * Retrieves every instance of a study (WADO-RS `GET {root}/studies/{uid}`, PS3.18 §10.4) into
 * `folder`, streaming each part to a file named by its SHA-256; the study is never held in
 * memory. If the bulk answer fails part-way, the missing instances are fetched one by one
 * (`fallback`, default on).
 *
 * The files are the PACS's own bytes: they still identify the patient. Keep `folder` in a staging
 * area and pass the files through de-identification (`deid/`) before anything reaches the store.
 *
 * @returns The instances on disk, the reason for a fallback and the instances that failed.
 * @throws {@link PacsError} `unauthorized` and `aborted` at once; other errors only when
 *   `fallback` is false or the instance list itself cannot be fetched.
 * @example
 * ```ts
 * import { dicomWebConnection, retrieveStudy } from "@radlab/kernel";
 * const pacs = dicomWebConnection({ baseUrl: "http://127.0.0.1:8042/dicom-web" });
 * const { instances, failures } = await retrieveStudy(pacs, "1.2.3", "/staging/pull-1");
 * instances.length; failures.length;
 * ```
 */
export function retrieveStudy(
  connection: DicomWebConnection,
  studyInstanceUid: string,
  folder: string,
  options: RetrieveOptions = {},
): Promise<RetrieveResult> {
  return retrieveMany(connection, [studyInstanceUid], folder, options);
}

/**
 * Retrieves every instance of a series (WADO-RS `GET {root}/studies/{uid}/series/{uid}`); as
 * {@link retrieveStudy}.
 *
 * @throws {@link PacsError} as {@link retrieveStudy}.
 * @example
 * ```ts
 * import { dicomWebConnection, retrieveSeries } from "@radlab/kernel";
 * const pacs = dicomWebConnection({ baseUrl: "http://127.0.0.1:8042/dicom-web" });
 * const { instances } = await retrieveSeries(pacs, "1.2.3", "1.2.3.4", "/staging/pull-1");
 * ```
 */
export function retrieveSeries(
  connection: DicomWebConnection,
  studyInstanceUid: string,
  seriesInstanceUid: string,
  folder: string,
  options: RetrieveOptions = {},
): Promise<RetrieveResult> {
  return retrieveMany(connection, [studyInstanceUid, seriesInstanceUid], folder, options);
}

/**
 * Retrieves one instance (WADO-RS `GET {root}/studies/{uid}/series/{uid}/instances/{uid}`) to
 * `{folder}/{sha256}.dcm`.
 *
 * @throws {@link PacsError} `unauthorized`, `http-status` (404 for an unknown UID), `network`,
 *   `timeout`, `aborted`, `multipart`, or `bad-response` when the answer holds no instance or
 *   another instance than the one asked for.
 * @example
 * ```ts
 * import { dicomWebConnection, retrieveInstance } from "@radlab/kernel";
 * const pacs = dicomWebConnection({ baseUrl: "http://127.0.0.1:8042/dicom-web" });
 * const instance = await retrieveInstance(pacs, "1.2.3", "1.2.3.4", "1.2.3.4.5", "/staging/pull-1");
 * instance.sha256;
 * ```
 */
export async function retrieveInstance(
  connection: DicomWebConnection,
  studyInstanceUid: string,
  seriesInstanceUid: string,
  sopInstanceUid: string,
  folder: string,
  options: Pick<RetrieveOptions, "signal" | "onInstance"> = {},
): Promise<RetrievedInstance> {
  const received: RetrievedInstance[] = [];
  const resource = uidPath(studyInstanceUid, seriesInstanceUid, sopInstanceUid);
  await streamMultipart(connection, resource, folder, options, received);
  const instance = received.find((i) => i.sopInstanceUid === sopInstanceUid);
  if (received.length !== 1 || instance === undefined) {
    throw new PacsError(
      "bad-response",
      `${connection.baseUrl}/${resource} sent ${received.length} instances, not the one asked for.`,
      {
        url: `${connection.baseUrl}/${resource}`,
        hint: "The server's WADO-RS answer is wrong; report it to the vendor.",
      },
    );
  }
  return instance;
}
