import * as fs from "node:fs";
import { Client, log as dimseLog, responses, type requests } from "dcmjs-dimse";
import { PacsError } from "./pacs-error";

// dcmjs-dimse logs every association to the console; radlab reports through errors and progress.
dimseLog.setLevel("silent");

/** A DICOM application entity to talk DIMSE with (PS3.7, PS3.8). */
export interface DimsePeer {
  readonly host: string;
  readonly port: number;
  /** The PACS's AE title (Called AE). */
  readonly calledAet: string;
  /** Our AE title (Calling AE); the PACS must know it for C-FIND, C-GET and C-MOVE. */
  readonly callingAet: string;
  /** Milliseconds for connecting, association and each PDU (default 30 000). */
  readonly timeoutMs?: number;
  /** DICOM TLS (PS3.15 Annex B): the CA file that signed the PACS's certificate. */
  readonly tls?: { readonly caFile?: string };
}

/** `host:port (AE)`, for error evidence. */
export function peerLabel(peer: DimsePeer): string {
  return `${peer.host}:${peer.port} (${peer.calledAet})`;
}

type DimseRequest = requests.Request;
type CStoreHandler = (dataset: unknown, reply: (status: number) => void) => void;

/**
 * Opens one association, sends the requests, and resolves when it is released. Rejections,
 * network errors and aborts become {@link PacsError}s naming the peer.
 */
export function runAssociation(
  peer: DimsePeer,
  requestsToSend: readonly DimseRequest[],
  options: {
    readonly signal?: AbortSignal;
    readonly onStore?: CStoreHandler;
    readonly failure?: () => PacsError | undefined;
  } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    const url = peerLabel(peer);
    let failure: PacsError | undefined;
    client.on("associationRejected", (why: unknown) => {
      failure ??= new PacsError(
        "dimse",
        `${url} rejected the association from ${peer.callingAet}: ${JSON.stringify(why)}.`,
        {
          url,
          hint: `Check the AE titles, and that the PACS lists ${peer.callingAet} (with this host and port) among its known modalities.`,
        },
      );
    });
    client.on("networkError", (error: unknown) => {
      const code = (error as { code?: string }).code;
      const timedOut = /timeout/i.test(String(error));
      failure ??= timedOut
        ? new PacsError("timeout", `${url} did not answer within ${peer.timeoutMs ?? 30_000} ms.`, {
            url,
            cause: error,
            hint: `Some PACS (Orthanc among them) stay silent when they refuse a request: check that the PACS lists ${peer.callingAet} among its modalities, and its log.`,
          })
        : new PacsError("network", `DIMSE connection to ${url} failed: ${code ?? String(error)}.`, {
            url,
            cause: error,
            hint: "Check the host, the DICOM port and the firewall between here and the PACS.",
          });
    });
    client.on(
      "associationAccepted",
      (association: { getAcceptedPresentationContextFromRequest(r: DimseRequest): unknown }) => {
        const refused = requestsToSend.filter(
          (r) => association.getAcceptedPresentationContextFromRequest(r) === undefined,
        );
        if (refused.length === 0) return;
        failure ??= new PacsError(
          "dimse",
          `${url} accepted the association from ${peer.callingAet} but refused the service (SOP Class ${refused[0]?.getAffectedSopClassUid() ?? refused[0]?.getRequestedSopClassUid()}).`,
          {
            url,
            hint: `Ask the PACS administrator to allow ${peer.callingAet} this service (C-FIND, C-GET or C-MOVE).`,
          },
        );
        client.abort();
      },
    );
    client.on("closed", () => {
      const late = failure ?? options.failure?.();
      if (late !== undefined) reject(late);
      else resolve();
    });
    if (options.onStore !== undefined) {
      const onStore = options.onStore;
      client.on("cStoreRequest", (request: requests.CStoreRequest, callback: (response: unknown) => void) => {
        onStore(request.getDataset(), (status) => {
          const response = responses.CStoreResponse.fromRequest(request);
          response.setStatus(status);
          callback(response);
        });
      });
    }
    options.signal?.addEventListener(
      "abort",
      () => {
        failure ??= new PacsError("aborted", `The DIMSE exchange with ${url} was aborted.`, { url });
        try {
          client.abort();
        } catch {
          // not connected yet: the association never opened
        }
      },
      { once: true },
    );
    for (const request of requestsToSend) client.addRequest(request);
    const timeout = peer.timeoutMs ?? 30_000;
    let ca: Buffer | undefined;
    if (peer.tls?.caFile !== undefined) ca = fs.readFileSync(peer.tls.caFile);
    client.send(peer.host, peer.port, peer.callingAet, peer.calledAet, {
      connectTimeout: timeout,
      associationTimeout: timeout,
      pduTimeout: timeout,
      ...(peer.tls === undefined
        ? {}
        : { securityOptions: { ...(ca === undefined ? {} : { ca }), rejectUnauthorized: true } }),
    });
  });
}
