import { DicomDataset } from "../../dicom/dataset";
import { decodeFrame } from "../../dicom/pixels/decode-frame";
import { imagePixelInfo } from "../../dicom/pixels/image-pixel-info";
import type { PixelFrame } from "../../dicom/pixels/pixel-frame";
import { encodePng, renderFrame } from "../../dicom/pixels/render";
import { replacePixelData } from "../../dicom/write";
import { needsBurnedInScan, type BurnedInDecision } from "./burned-in-selection";
import type { PhiValue } from "../header/phi-values";
import { findTextPhi, type TextPhiFinding } from "./find-text-phi";
import { frameToGrey } from "./frame-to-grey";
import { expandBox, maskFrame } from "./mask-frame";
import { unionBox, type Box, type TextReader } from "./ocr-types";
import { DEFAULT_OCR_PREPARATION, readImageText, type OcrPreparation } from "./read-frame-text";
import { REGION_TEMPLATES } from "./region-templates.generated";
import { matchRegionTemplates, validateRegionTemplates, type RegionTemplate } from "./region-templates";
import { phiValuesFromHeader, withScreenDates } from "./screen-phi-values";

/** Options of {@link cleanBurnedInPhi}. */
export interface CleanBurnedInPhiOptions {
  /** Reads text from pixels: an {@link OcrPool} shared across images (or a test double). */
  readonly reader: TextReader;
  /**
   * Original identifying values: the `phiValues` of {@link deidentifyHeader}, which replaced them.
   * Dates are also looked for in their screen forms ({@link withScreenDates}); the values of the
   * instance's own header ({@link phiValuesFromHeader}) are always added.
   */
  readonly phiValues?: readonly PhiValue[];
  /** Region templates per manufacturer and model; default {@link REGION_TEMPLATES}. `[]` turns them off. */
  readonly templates?: readonly RegionTemplate[];
  /** Find, mask in memory and verify, but return previews instead of a dataset. Default false. */
  readonly dryRun?: boolean;
  /** Pixels added around every OCR word box before masking; default 4 plus a fifth of the word's height. */
  readonly margin?: number;
  /** How frames are prepared for OCR; default {@link DEFAULT_OCR_PREPARATION}. */
  readonly preparation?: OcrPreparation;
  /**
   * `when-needed` (default): scan only what {@link needsBurnedInScan} selects. `always`: scan every
   * image, for sources known to burn text into modalities that do not say so (CT or CR with a
   * patient banner and no Burned In Annotation).
   */
  readonly scan?: "when-needed" | "always";
}

/** A region masked in one frame, with the findings or template that put it there. */
export interface MaskBox {
  readonly frame: number;
  /** The region filled, margin included, in pixel coordinates. */
  readonly box: Box;
  readonly rule: TextPhiFinding["rule"];
  readonly reason: string;
}

/** Before and after images of one frame (PNG, 8-bit RGBA), for review. */
export interface FramePreview {
  readonly frame: number;
  readonly before: Uint8Array;
  readonly after: Uint8Array;
}

/**
 * The outcome of {@link cleanBurnedInPhi}:
 * - `clean`: nothing to mask (not a text-burning instance, or OCR found no PHI and no template
 *   applies);
 * - `masked`: PHI was masked and re-reading the masked pixels found none left;
 * - `quarantine`: PHI could not be removed or its removal could not be verified; `reason` says why.
 */
export interface BurnedInPhiResult {
  readonly verdict: "clean" | "masked" | "quarantine";
  readonly reason: string;
  /**
   * The dataset to keep: for `masked`, a new dataset with masked pixels (Explicit VR Little Endian,
   * uncompressed) and (0028,0301) Burned In Annotation `NO`; for `clean` after a scan, a copy with
   * Burned In Annotation `NO`; for `clean` without a scan, the input. Absent for `quarantine` and
   * in a dry run.
   */
  readonly dataset?: DicomDataset;
  readonly decision: BurnedInDecision;
  readonly boxes: readonly MaskBox[];
  /** PHI found before masking (OCR findings and template regions). */
  readonly findings: readonly TextPhiFinding[];
  /** PHI still found when the masked pixels were read again (empty unless quarantined). */
  readonly residual: readonly TextPhiFinding[];
  /** Before/after images of the frames that were masked (dry run only). */
  readonly previews?: readonly FramePreview[];
}

/**
 * Removes burned-in PHI from the pixels of one instance (ultrasound, screen captures) and proves
 * it is gone: decides whether to scan ({@link needsBurnedInScan}), reads every frame with OCR
 * ({@link readImageText}), finds PHI in the text ({@link findTextPhi}: header values, patterns,
 * names), adds the regions of matching manufacturer templates ({@link matchRegionTemplates}),
 * fills every region (with a margin) in every frame, then reads the masked frames again: any PHI
 * still found sends the instance to quarantine. Burned In Annotation is set to `NO` only after
 * that verification. The input dataset is never changed. Fails closed: an error while decoding,
 * reading or writing pixels gives `quarantine` with the error as the reason.
 *
 * @example
 * ```ts
 * import { cleanBurnedInPhi, createOcrPool, readDicomFile, writeDicomFile } from "@radlab/kernel";
 * const pool = await createOcrPool();
 * try {
 *   const result = await cleanBurnedInPhi(readDicomFile("RGB_IMAGE.dcm"), { reader: pool });
 *   if (result.verdict !== "quarantine" && result.dataset) writeDicomFile(result.dataset, "out/RGB_IMAGE.dcm");
 * } finally {
 *   await pool.terminate();
 * }
 * ```
 */
export async function cleanBurnedInPhi(ds: DicomDataset, options: CleanBurnedInPhiOptions): Promise<BurnedInPhiResult> {
  const selected = needsBurnedInScan(ds);
  const decision =
    options.scan === "always" && !selected.scan && !selected.reason.startsWith("no pixel data")
      ? { scan: true, reason: `scan requested for every image (${selected.reason})` }
      : selected;
  const base = { decision, boxes: [], findings: [], residual: [] };
  if (!decision.scan) {
    return options.dryRun === true
      ? { ...base, verdict: "clean", reason: decision.reason, previews: [] }
      : { ...base, verdict: "clean", reason: decision.reason, dataset: ds };
  }
  try {
    return await scanAndMask(ds, decision, options);
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { ...base, verdict: "quarantine", reason: `burned-in text could not be checked: ${message}` };
  }
}

async function scanAndMask(
  ds: DicomDataset,
  decision: BurnedInDecision,
  options: CleanBurnedInPhiOptions,
): Promise<BurnedInPhiResult> {
  const phiValues = withScreenDates([...(options.phiValues ?? []), ...phiValuesFromHeader(ds)]);
  const preparation = options.preparation ?? DEFAULT_OCR_PREPARATION;
  const templates = matchRegionTemplates(ds, validateRegionTemplates(options.templates ?? REGION_TEMPLATES));
  const info = imagePixelInfo(ds);
  const frameIndexes = Array.from({ length: info.numberOfFrames }, (_, i) => i);
  const frames = await Promise.all(frameIndexes.map((i) => decodeFrame(ds, i)));
  const read = (frame: PixelFrame, index: number) =>
    readImageText(options.reader, frameToGrey(frame), preparation).then((lines) =>
      findTextPhi(lines, { phiValues, frame: index }),
    );

  const ocrFindings = (await Promise.all(frames.map(read))).flat();
  const templateFindings: TextPhiFinding[] = frameIndexes.flatMap((frame) =>
    templates.flatMap((m) =>
      m.boxes.map((box) => ({
        text: m.template.label,
        box,
        frame,
        line: -1,
        word: -1,
        rule: "region-template" as const,
        reason: m.reason,
      })),
    ),
  );
  const findings = [...ocrFindings, ...templateFindings];
  const boxes: MaskBox[] = [
    ...wordRuns(ocrFindings).map((run) => {
      const box = unionBox(run.map((f) => f.box)) ?? { left: 0, top: 0, width: 0, height: 0 };
      return {
        frame: run[0]?.frame ?? 0,
        box: expandBox(box, options.margin ?? 4 + Math.ceil(box.height / 5), info.columns, info.rows),
        rule: run[0]?.rule ?? "header-value",
        reason: run.map((f) => `"${f.text}": ${f.reason}`).join("; "),
      };
    }),
    ...templateFindings.map((f) => ({ frame: f.frame, box: f.box, rule: f.rule, reason: f.reason })),
  ];
  const base = { decision, boxes, findings };

  if (boxes.length === 0) {
    const reason = `${decision.reason}; OCR of ${frames.length} frame(s) found no PHI and no region template applies`;
    return options.dryRun === true
      ? { ...base, residual: [], verdict: "clean", reason, previews: [] }
      : { ...base, residual: [], verdict: "clean", reason, dataset: withBurnedInNo(ds, ds) };
  }

  const masked = frames.map((frame, i) =>
    maskFrame(
      frame,
      boxes.filter((b) => b.frame === i && b.box.width > 0 && b.box.height > 0).map((b) => b.box),
    ),
  );
  const residual = (await Promise.all(masked.map(read))).flat();
  const summary = `${findings.length} finding(s) (${countRules(findings)}) masked in ${new Set(boxes.map((b) => b.frame)).size} of ${frames.length} frame(s)`;
  const previews =
    options.dryRun === true
      ? frameIndexes
          .filter((i) => boxes.some((b) => b.frame === i))
          .map((i) => ({ frame: i, before: png(ds, frames[i]), after: png(ds, masked[i]) }))
      : undefined;
  if (residual.length > 0) {
    const first = residual
      .slice(0, 3)
      .map((f) => `"${f.text}" in frame ${f.frame} (${f.rule}: ${f.reason})`)
      .join("; ");
    return {
      ...base,
      residual,
      verdict: "quarantine",
      reason: `${summary}, but reading the masked pixels still found ${residual.length} PHI finding(s): ${first}`,
      ...(previews === undefined ? {} : { previews }),
    };
  }
  const reason = `${summary}; the masked pixels were read again and no PHI was found`;
  if (previews !== undefined) return { ...base, residual, verdict: "masked", reason, previews };
  return { ...base, residual, verdict: "masked", reason, dataset: withBurnedInNo(replacePixelData(ds, masked), ds) };
}

/** A copy of `ds` whose (0028,0301) Burned In Annotation is NO (the dict is copied shallowly: values are shared, not changed). */
function withBurnedInNo(ds: DicomDataset, original: DicomDataset): DicomDataset {
  const dict = { ...ds.dict, "00280301": { vr: "CS", Value: ["NO"] } };
  return new DicomDataset({ meta: ds.meta, dict }, { ...original.source, repairs: [...original.source.repairs] });
}

function png(ds: DicomDataset, frame: PixelFrame | undefined): Uint8Array {
  return frame === undefined ? new Uint8Array(0) : encodePng(renderFrame(ds, frame, "auto"));
}

/**
 * Findings grouped into runs of consecutive words of one line, so that a run is masked as one box:
 * the gaps between the words of a name or a banner, and characters OCR left out of a word box
 * (the bracket of `[M]`), are covered too.
 */
function wordRuns(findings: readonly TextPhiFinding[]): TextPhiFinding[][] {
  const sorted = [...findings].sort((a, b) => a.frame - b.frame || a.line - b.line || a.word - b.word);
  const runs: TextPhiFinding[][] = [];
  for (const f of sorted) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    if (
      run !== undefined &&
      last !== undefined &&
      last.frame === f.frame &&
      last.line === f.line &&
      last.word + 1 === f.word
    ) {
      run.push(f);
    } else {
      runs.push([f]);
    }
  }
  return runs;
}

function countRules(findings: readonly TextPhiFinding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  return [...counts].map(([rule, n]) => `${rule} ${n}`).join(", ");
}
