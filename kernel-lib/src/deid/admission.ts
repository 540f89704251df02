import type { DicomDataset } from "../dicom/dataset";

/**
 * How data that comes into the research store claims to be free of identifying information.
 * This is the single door into the store: until radlab's de-identification lands, only these two
 * declarations open it, and each admitted instance records which one did.
 *
 * - `deidentified-at-source`: the data was de-identified before it reached radlab (the NIH chest
 *   X-rays). Verified: (0012,0062) Patient Identity Removed must be `YES`.
 * - `attested`: a person states why the data holds no real patient (public test data with fake
 *   names). The statement is stored with every instance it admitted.
 * - `radlab-deid`: the output of radlab's de-identification (`deidentifyFolder`): admitted only when
 *   the file's exact bytes (its SHA-256) are listed in the run's manifest as having passed the
 *   verification gate, and its header says so (Patient Identity Removed YES, code 113100).
 */
export type AdmissionDeclaration =
  | { readonly kind: "deidentified-at-source"; readonly source: string }
  | {
      readonly kind: "radlab-deid";
      /** SHA-256 of every output file that passed, from the manifest. */
      readonly passed: ReadonlySet<string>;
      /** Where the manifest came from, recorded with each instance. */
      readonly manifest: string;
    }
  | { readonly kind: "attested"; readonly attestation: string };

/** The outcome of {@link admit}: admitted with the text recorded in the store, or refused with a reason. */
export type Admission =
  | { readonly admitted: true; readonly admittedBy: string }
  | {
      readonly admitted: false;
      readonly code: "not-deidentified" | "invalid-declaration" | "not-in-manifest";
      readonly reason: string;
    };

/**
 * Decides whether an instance may enter the research store (fails closed).
 *
 * @example
 * ```ts
 * import { admit } from "@radlab/kernel";
 * admit(ds, { kind: "deidentified-at-source", source: "NIH Clinical Center" });
 * ```
 */
export function admit(ds: DicomDataset, declaration: AdmissionDeclaration, sha256?: string): Admission {
  if (declaration.kind === "attested") {
    const text = declaration.attestation.trim();
    if (text.length < 20) {
      return {
        admitted: false,
        code: "invalid-declaration",
        reason: "an attestation must say in at least 20 characters why the data identifies no real patient",
      };
    }
    return { admitted: true, admittedBy: `attested: ${text}` };
  }
  const removed = ds.string("PatientIdentityRemoved")?.trim().toUpperCase();
  if (removed !== "YES") {
    return {
      admitted: false,
      code: "not-deidentified",
      reason: `(0012,0062) Patient Identity Removed is ${removed === undefined ? "absent" : `"${removed}"`}, not YES: de-identify it before it enters the store`,
    };
  }
  const method = ds.strings("DeidentificationMethod").join("; ") || "method not stated";
  if (declaration.kind === "radlab-deid") {
    if (sha256 === undefined || !declaration.passed.has(sha256)) {
      return {
        admitted: false,
        code: "not-in-manifest",
        reason: `these bytes (SHA-256 ${sha256?.slice(0, 12) ?? "unknown"}…) are not listed as having passed de-identification in ${declaration.manifest}: de-identify the original again`,
      };
    }
    const codes = ds.sequence("DeidentificationMethodCodeSequence").map((item) => item.string("CodeValue"));
    if (!codes.includes("113100")) {
      return {
        admitted: false,
        code: "not-deidentified",
        reason:
          "(0012,0064) De-identification Method Code Sequence lacks 113100 (Basic Application Confidentiality Profile)",
      };
    }
    return { admitted: true, admittedBy: `radlab de-identification (${declaration.manifest}): ${method}` };
  }
  return { admitted: true, admittedBy: `de-identified at source (${declaration.source}): ${method}` };
}
