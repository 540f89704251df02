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
 */
export type AdmissionDeclaration =
  | { readonly kind: "deidentified-at-source"; readonly source: string }
  | { readonly kind: "attested"; readonly attestation: string };

/** The outcome of {@link admit}: admitted with the text recorded in the store, or refused with a reason. */
export type Admission =
  | { readonly admitted: true; readonly admittedBy: string }
  | { readonly admitted: false; readonly code: "not-deidentified" | "invalid-declaration"; readonly reason: string };

/**
 * Decides whether an instance may enter the research store (fails closed).
 *
 * @example
 * ```ts
 * import { admit } from "@radlab/kernel";
 * admit(ds, { kind: "deidentified-at-source", source: "NIH Clinical Center" });
 * ```
 */
export function admit(ds: DicomDataset, declaration: AdmissionDeclaration): Admission {
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
  return { admitted: true, admittedBy: `de-identified at source (${declaration.source}): ${method}` };
}
