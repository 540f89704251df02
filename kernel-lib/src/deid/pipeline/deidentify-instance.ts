import type { DicomDataset } from "../../dicom/dataset";
import { DeidError } from "../header/deid-error";
import { deidentifyHeader, type InstanceAudit } from "../header/deidentify-header";
import type { PhiValue } from "../header/phi-values";
import type { DeidProfile } from "../header/profile";
import type { ReidentificationKey } from "../header/reidentification-key";
import { scanForPhi, type PhiFinding } from "../header/scan-for-phi";
import { needsBurnedInScan } from "../pixels/burned-in-selection";
import {
  cleanBurnedInPhi,
  type BurnedInPhiResult,
  type FramePreview,
  type MaskBox,
} from "../pixels/clean-burned-in-phi";
import type { TextReader } from "../pixels/ocr-types";
import type { Enrollment } from "../../pacs/enrollment";

/** What {@link deidentifyInstance} needs beyond the dataset. */
export interface InstanceDeidOptions {
  readonly profile: DeidProfile;
  /** The re-identification key: research IDs, UIDs and date offsets are recorded in it. */
  readonly key: ReidentificationKey;
  /**
   * The enrollment list (`readEnrollmentFile`): research IDs by original Patient ID or by Accession
   * Number. When given, an instance that is not on it is quarantined.
   */
  readonly enrollment?: Enrollment;
  /**
   * Reads burned-in text (an OCR pool shared across instances). Required for instances that may
   * carry burned-in text; without it they are quarantined rather than passed unchecked.
   */
  readonly reader?: TextReader;
  /** Scan the pixels of every image, not only text-burning modalities (see `cleanBurnedInPhi`). */
  readonly scanAllPixels?: boolean;
  /** Do everything in memory and return before/after previews; the result is never stored. */
  readonly dryRun?: boolean;
}

/** Why an instance was quarantined (a stable code) and what was found (never the PHI itself). */
export type QuarantineCode =
  | "not-enrolled"
  | "enrollment-conflict"
  | "header-phi-remains"
  | "burned-in-phi"
  | "burned-in-unchecked"
  | "deid-failed";

/** The outcome of {@link deidentifyInstance}. */
export type InstanceOutcome =
  | {
      readonly status: "passed";
      /** The de-identified dataset, verified: no original value in its header, no PHI left in its pixels. */
      readonly dataset: DicomDataset;
      readonly audit: InstanceAudit;
      /** What happened to the pixels: not scanned (and why), scanned clean, or masked. */
      readonly pixels: PixelOutcome;
      /** Before/after images of masked frames (dry run only). */
      readonly previews?: readonly FramePreview[];
    }
  | {
      readonly status: "quarantined";
      readonly code: QuarantineCode;
      /** Why, without any PHI value: element paths, rule names and counts. */
      readonly reason: string;
      /** Header elements that still hold an original value (header-phi-remains). */
      readonly findings: readonly PhiFinding[];
      readonly audit?: InstanceAudit;
      readonly pixels?: PixelOutcome;
      /** The full pixel result, for review in a notebook (its reasons quote OCR text: PHI). */
      readonly pixelDetail?: BurnedInPhiResult;
    };

/** The pixel step's summary. */
export interface PixelOutcome {
  readonly verdict: "not-scanned" | "clean" | "masked" | "quarantine";
  readonly reason: string;
  readonly boxes: readonly MaskBox[];
}

/**
 * De-identifies one instance and verifies the result before anything may keep it: header
 * de-identification by the profile (PS3.15 Annex E), burned-in text found by OCR and masked,
 * then the gate: every string of the output header is searched for the original identifying
 * values, and masked pixels were read again. Anything found, any error, or an instance that may
 * carry burned-in text with no OCR reader or a profile without Clean Pixel Data, gives
 * `quarantined` with a reason (fails closed). The input dataset is never changed.
 *
 * @example
 * ```ts
 * import { BASIC_PROFILE, ReidentificationKey, createOcrPool, deidentifyInstance, readDicomFile } from "@radlab/kernel";
 * const reader = await createOcrPool();
 * const outcome = await deidentifyInstance(readDicomFile("us.dcm"), {
 *   profile: { ...BASIC_PROFILE, options: ["clean-pixel-data"] },
 *   key: ReidentificationKey.create(),
 *   reader,
 * });
 * if (outcome.status === "quarantined") console.log(outcome.code, outcome.reason);
 * await reader.terminate();
 * ```
 */
export async function deidentifyInstance(ds: DicomDataset, options: InstanceDeidOptions): Promise<InstanceOutcome> {
  const enrolled = enrollmentFor(ds, options.enrollment);
  if (enrolled === null) {
    const by = options.enrollment?.key === "AccessionNumber" ? "Accession Number" : "Patient ID";
    return quarantine("not-enrolled", `the instance's ${by} is not on the enrollment list`);
  }
  let header: ReturnType<typeof deidentifyHeader>;
  try {
    header = deidentifyHeader(ds, options.profile, {
      key: options.key,
      ...(enrolled === undefined ? {} : { enrollment: enrolled }),
    });
  } catch (error) {
    if (error instanceof DeidError && error.code === "enrollment-conflict") {
      return quarantine("enrollment-conflict", firstLine(error));
    }
    if (error instanceof DeidError && error.code === "patient-not-enrolled") {
      return quarantine("not-enrolled", "the patient is not on the enrollment list");
    }
    return quarantine("deid-failed", `header de-identification failed: ${firstLine(error)}`);
  }
  const { audit, phiValues } = header;

  const pixels = await pixelStep(header.dataset, phiValues, options);
  if (pixels.result?.verdict === "quarantine" || pixels.outcome.verdict === "quarantine") {
    return {
      ...quarantine(pixels.code ?? "burned-in-phi", pixels.outcome.reason),
      audit,
      pixels: pixels.outcome,
      ...(pixels.result === undefined ? {} : { pixelDetail: pixels.result }),
    };
  }
  const output = pixels.result?.dataset ?? header.dataset;
  const findings = scanForPhi(output, phiValues);
  if (findings.length > 0) {
    const where = findings
      .slice(0, 5)
      .map((f) => `${f.path} (${f.kind} from ${f.source})`)
      .join("; ");
    return {
      status: "quarantined",
      code: "header-phi-remains",
      reason: `${findings.length} element(s) of the output still hold an original identifying value: ${where}${findings.length > 5 ? "; ..." : ""}`,
      findings,
      audit,
      pixels: pixels.outcome,
    };
  }
  return {
    status: "passed",
    dataset: output,
    audit,
    pixels: pixels.outcome,
    ...(pixels.result?.previews === undefined ? {} : { previews: pixels.result.previews }),
  };
}

async function pixelStep(
  ds: DicomDataset,
  phiValues: readonly PhiValue[],
  options: InstanceDeidOptions,
): Promise<{ outcome: PixelOutcome; result?: BurnedInPhiResult; code?: QuarantineCode }> {
  const decision = needsBurnedInScan(ds);
  const scan = decision.scan || (options.scanAllPixels === true && !decision.reason.startsWith("no pixel data"));
  if (!scan) return { outcome: { verdict: "not-scanned", reason: decision.reason, boxes: [] } };
  if (!options.profile.options.includes("clean-pixel-data")) {
    return {
      code: "burned-in-unchecked",
      outcome: {
        verdict: "quarantine",
        reason: `${decision.reason}, and the profile "${options.profile.name}" has no clean-pixel-data option: add it to mask burned-in text`,
        boxes: [],
      },
    };
  }
  if (options.reader === undefined) {
    return {
      code: "burned-in-unchecked",
      outcome: {
        verdict: "quarantine",
        reason: `${decision.reason}, and no OCR reader was given to check it`,
        boxes: [],
      },
    };
  }
  const result = await cleanBurnedInPhi(ds, {
    reader: options.reader,
    phiValues,
    scan: options.scanAllPixels === true ? "always" : "when-needed",
    ...(options.dryRun === true ? { dryRun: true } : {}),
  });
  if (result.verdict === "quarantine") {
    // The pixel module's reason quotes the OCR text it found; the outcome keeps rules and counts only.
    const rules = [...new Set(result.residual.map((f) => f.rule))].join(", ");
    const reason =
      result.residual.length > 0
        ? `${result.residual.length} burned-in PHI finding(s) remain after masking (${rules})`
        : `burned-in text could not be checked or masked (${result.reason.split(":")[0] ?? "error"})`;
    return { result, code: "burned-in-phi", outcome: { verdict: "quarantine", reason, boxes: result.boxes } };
  }
  return {
    result,
    outcome: {
      verdict: result.verdict,
      reason:
        result.verdict === "masked"
          ? `${result.boxes.length} region(s) masked in ${new Set(result.boxes.map((b) => b.frame)).size} frame(s), verified by a second OCR pass`
          : result.reason,
      boxes: result.boxes,
    },
  };
}

/**
 * The enrollment map to give header de-identification: `undefined` without an enrollment list,
 * `null` when the instance's patient is on neither list.
 */
function enrollmentFor(
  ds: DicomDataset,
  enrollment: Enrollment | undefined,
): ReadonlyMap<string, string> | null | undefined {
  if (enrollment === undefined) return undefined;
  let byValue = ENROLLMENT_MAPS.get(enrollment);
  if (byValue === undefined) {
    byValue = new Map(enrollment.rows.map((row) => [row.value, row.researchId]));
    ENROLLMENT_MAPS.set(enrollment, byValue);
  }
  const patientId = ds.string("PatientID")?.trim() ?? "";
  const value = enrollment.key === "PatientID" ? patientId : (ds.string("AccessionNumber")?.trim() ?? "");
  const researchId = value === "" ? undefined : byValue.get(value);
  return researchId === undefined ? null : new Map([[patientId, researchId]]);
}

const ENROLLMENT_MAPS = new WeakMap<Enrollment, ReadonlyMap<string, string>>();

function quarantine(code: QuarantineCode, reason: string): InstanceOutcome {
  return { status: "quarantined", code, reason, findings: [] };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}
