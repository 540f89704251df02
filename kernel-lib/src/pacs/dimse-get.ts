import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { constants, requests, type Dataset } from "dcmjs-dimse";
import { peerLabel, runAssociation, type DimsePeer } from "./dimse-association";
import { adoptFile, type RetrievedInstance } from "./hashed-file";
import { PacsError } from "./pacs-error";

/** What to fetch with {@link dimseGet}: a study, or one series of it. */
export interface DimseGetTarget {
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid?: string;
}

/** Options of {@link dimseGet}. */
export interface DimseGetOptions {
  readonly signal?: AbortSignal;
  /** Called after each instance is on disk. */
  readonly onInstance?: (instance: RetrievedInstance) => void;
}

/** The outcome of a C-GET. */
export interface DimseGetResult {
  readonly instances: readonly RetrievedInstance[];
  /** Sub-operations the PACS reported as failed (for example an instance it could not transcode). */
  readonly failed: number;
  readonly warnings: number;
}

const SUCCESS_OR_WARNING = new Set([0x0000, 0xb000]);

function writeDataset(dataset: Dataset, file: string): Promise<void> {
  return new Promise((resolve, reject) => dataset.toFile(file, (error) => (error ? reject(error) : resolve())));
}

/**
 * Retrieves a study or a series with C-GET (PS3.4 C.4.3) over one association: the PACS sends
 * each instance back as a C-STORE on the same association, so no inbound port is needed. Each
 * instance is written as a DICOM Part 10 file `{folder}/{sha256}.dcm`.
 *
 * The storage SOP classes are proposed with Implicit and Explicit VR Little Endian, so the PACS
 * sends uncompressed data (it transcodes compressed instances, or reports them as failed when it
 * cannot). For the PACS's original bytes, use WADO-RS ({@link retrieveStudy}).
 *
 * @throws {@link PacsError} `network`, `aborted`, or `dimse` when the association is rejected or
 *   the final status is neither Success nor Warning.
 * @example
 * ```ts
 * import { dimseGet } from "@radlab/kernel";
 * const peer = { host: "127.0.0.1", port: 4242, calledAet: "ORTHANC", callingAet: "RADLAB" };
 * const { instances, failed } = await dimseGet(peer, { studyInstanceUid: "1.2.3" }, "/staging/pull-1");
 * ```
 */
export async function dimseGet(
  peer: DimsePeer,
  target: DimseGetTarget,
  folder: string,
  options: DimseGetOptions = {},
): Promise<DimseGetResult> {
  fs.mkdirSync(folder, { recursive: true });
  const request =
    target.seriesInstanceUid === undefined
      ? requests.CGetRequest.createStudyGetRequest(target.studyInstanceUid)
      : requests.CGetRequest.createSeriesGetRequest(target.studyInstanceUid, target.seriesInstanceUid);
  let finalStatus: number | undefined;
  let failed = 0;
  let warnings = 0;
  request.on("response", (response: { getStatus(): number; getFailures(): number; getWarnings(): number }) => {
    const status = response.getStatus();
    if (status !== constants.Status.Pending) {
      finalStatus = status;
      failed = response.getFailures() ?? 0;
      warnings = response.getWarnings() ?? 0;
    }
  });
  const instances: RetrievedInstance[] = [];
  const pending: Promise<void>[] = [];
  let storeError: unknown;
  const label = peerLabel(peer);
  await runAssociation(peer, [request], {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    onStore: (dataset, reply) => {
      const temp = path.join(folder, `.partial-${process.pid}-${randomBytes(6).toString("hex")}`);
      pending.push(
        writeDataset(dataset as Dataset, temp)
          .then(() => adoptFile(temp, folder, label))
          .then(
            (instance) => {
              instances.push(instance);
              options.onInstance?.(instance);
              reply(constants.Status.Success);
            },
            (error: unknown) => {
              storeError ??= error;
              reply(constants.Status.ProcessingFailure);
            },
          ),
      );
    },
    failure: () =>
      finalStatus !== undefined && SUCCESS_OR_WARNING.has(finalStatus)
        ? undefined
        : new PacsError(
            "dimse",
            `C-GET of ${target.seriesInstanceUid === undefined ? "study" : "series"} from ${label} ended with status ${finalStatus === undefined ? "none" : `0x${finalStatus.toString(16).toUpperCase()}`}.`,
            {
              url: label,
              ...(finalStatus === undefined ? {} : { status: finalStatus }),
              hint: "Check that the PACS allows C-GET from this AE title (its list of known modalities).",
            },
          ),
  });
  await Promise.all(pending);
  if (storeError !== undefined) {
    throw new PacsError("dimse", `An instance received from ${label} could not be written.`, {
      url: label,
      cause: storeError,
      hint: "Check free space and permissions in the output folder.",
    });
  }
  return Object.freeze({ instances, failed, warnings });
}
