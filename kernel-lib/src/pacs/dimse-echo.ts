import { constants, requests } from "dcmjs-dimse";
import { peerLabel, runAssociation, type DimsePeer } from "./dimse-association";
import { PacsError } from "./pacs-error";

/**
 * Verifies that a DICOM peer answers (C-ECHO, PS3.7 §9.1.5) and returns the round-trip time.
 *
 * @returns Milliseconds from connecting to the release of the association.
 * @throws {@link PacsError} `network` when nothing answers, `dimse` when the association is
 *   rejected or the status is not Success.
 * @example
 * ```ts
 * import { dimseEcho } from "@radlab/kernel";
 * const ms = await dimseEcho({ host: "127.0.0.1", port: 4242, calledAet: "ORTHANC", callingAet: "RADLAB" });
 * ```
 */
export async function dimseEcho(peer: DimsePeer, options: { readonly signal?: AbortSignal } = {}): Promise<number> {
  const started = performance.now();
  const request = new requests.CEchoRequest();
  let status: number | undefined;
  request.on("response", (response: { getStatus(): number }) => {
    status = response.getStatus();
  });
  await runAssociation(peer, [request], {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    failure: () =>
      status === constants.Status.Success
        ? undefined
        : new PacsError("dimse", `C-ECHO to ${peerLabel(peer)} answered status ${status ?? "none"}.`, {
            url: peerLabel(peer),
            ...(status === undefined ? {} : { status }),
            hint: "The peer accepted the association but not the Verification SOP Class.",
          }),
  });
  return performance.now() - started;
}
