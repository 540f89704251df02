import type { DicomDataset } from "../../dicom/dataset";

/** Modalities whose devices or workstations burn text into the pixels (PS3.3 C.7.6.1.1.6). */
export const TEXT_BURNING_MODALITIES: readonly string[] = Object.freeze(["US", "SC", "OT", "XA", "RF", "DX", "CR"]);

/** Image Type values and SOP classes that mark a screen capture or derived secondary capture. */
const SECONDARY_CAPTURE_SOP_PREFIX = "1.2.840.10008.5.1.4.1.1.7";

/** Whether an instance must be scanned for burned-in text, and why. */
export interface BurnedInDecision {
  readonly scan: boolean;
  /** One sentence naming the attributes that decided, for the audit record. */
  readonly reason: string;
}

/**
 * Decides whether an instance may carry burned-in text that must be found and masked: when
 * (0028,0301) Burned In Annotation is `YES`, or absent on a modality that burns text (US, SC, OT,
 * XA, RF), a DX/CR screen capture (Image Type `SECONDARY`, or a Secondary Capture SOP class), or
 * any Secondary Capture SOP class. `NO` is trusted (it is what {@link cleanBurnedInPhi} writes after
 * verification); a value other than YES or NO is scanned, to fail safe. An instance without pixel
 * data is never scanned.
 *
 * @example
 * ```ts
 * import { needsBurnedInScan, readDicomFile } from "@radlab/kernel";
 * needsBurnedInScan(readDicomFile("GREYSCALE_IMAGE.dcm"));
 * // { scan: true, reason: "(0028,0301) Burned In Annotation is YES" }
 * ```
 */
export function needsBurnedInScan(ds: DicomDataset): BurnedInDecision {
  if (!ds.has("PixelData") && !ds.has("FloatPixelData") && !ds.has("DoubleFloatPixelData")) {
    return { scan: false, reason: "no pixel data (7FE0,0010)" };
  }
  const burned = ds.string("BurnedInAnnotation")?.trim().toUpperCase();
  const modality = ds.string("Modality")?.trim().toUpperCase() ?? "";
  const sopClass = ds.string("SOPClassUID")?.trim() ?? "";
  const imageType = ds.strings("ImageType").map((v) => v.trim().toUpperCase());
  const secondaryCaptureSop = sopClass.startsWith(SECONDARY_CAPTURE_SOP_PREFIX);
  const projection = modality === "DX" || modality === "CR";
  const capture = projection
    ? secondaryCaptureSop || imageType.includes("SECONDARY")
    : TEXT_BURNING_MODALITIES.includes(modality) || secondaryCaptureSop;
  if (burned === "YES") return { scan: true, reason: "(0028,0301) Burned In Annotation is YES" };
  const what = projection
    ? `${modality} screen capture (${secondaryCaptureSop ? "Secondary Capture SOP class" : "Image Type SECONDARY"})`
    : secondaryCaptureSop
      ? `Secondary Capture SOP class ${sopClass}`
      : `modality ${modality}, which burns text`;
  if (burned === undefined || burned === "") {
    return capture
      ? { scan: true, reason: `(0028,0301) Burned In Annotation is absent on a ${what}` }
      : {
          scan: false,
          reason: `(0028,0301) Burned In Annotation is absent and modality ${modality || "(none)"} does not burn text`,
        };
  }
  if (burned === "NO") return { scan: false, reason: "(0028,0301) Burned In Annotation is NO" };
  return {
    scan: true,
    reason: `(0028,0301) Burned In Annotation has the invalid value "${burned}": scanned to fail safe`,
  };
}
