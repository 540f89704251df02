import { RadlabError } from "../core/radlab-error";
import type { DicomDataset } from "../dicom/dataset";
import { parameterList, type Database } from "../store/database";
import type { Annotation } from "./annotation";
import {
  segmentationStudyFrom,
  type BinarySegmentation,
  type CodedConcept,
  type Segment,
  type SegmentationInput,
} from "./dicom-seg";
import type { StoredAnnotation } from "./label-sets";

/** A frame of a segmentation that names no stored instance. */
export interface UnmatchedFrame {
  /** The frame of the segmentation, counted from 0. */
  readonly frame: number;
  readonly segment: number;
  readonly reason: string;
}

/**
 * The masks of a DICOM SEG as annotations on the stored instances its frames were derived from
 * (each frame's Source Image Sequence, (0008,2112), by SOP Instance UID), one per frame and
 * segment, labelled with the segment's label. Apply them with `LabelSets.annotate` or
 * `applyImported`.
 *
 * @param labelSet - the masks label set the annotations go to.
 * @returns The annotations, and the frames whose source image is not in the store (with why).
 * @example
 * ```ts
 * const seg = await readSegmentation(readFileSync("lungs-seg.dcm"));
 * if (seg.type === "BINARY") {
 *   const { annotations } = await annotationsFromSegmentation(store.db, seg, { labelSet: "lungs" });
 *   await labels.annotate(annotations, { by: "ana", reason: "from lungs-seg.dcm" });
 * }
 * ```
 */
export async function annotationsFromSegmentation(
  db: Database,
  seg: BinarySegmentation,
  options: { readonly labelSet: string },
): Promise<{ annotations: Annotation[]; unmatched: UnmatchedFrame[] }> {
  const uids = [...new Set(seg.frames.flatMap((f) => f.sourceImages.map((s) => s.sopInstanceUid)))];
  const stored = new Map<string, string>();
  for (let i = 0; i < uids.length; i += 500) {
    const chunk = uids.slice(i, i + 500);
    const rows = await db.all(
      `SELECT sha256, sop_instance_uid FROM instances WHERE sop_instance_uid IN (${parameterList(chunk.length)})`,
      chunk,
    );
    for (const row of rows) stored.set(String(row["sop_instance_uid"]), String(row["sha256"]));
  }
  const labels = new Map(seg.segments.map((s) => [s.number, s.label]));
  const annotations: Annotation[] = [];
  const unmatched: UnmatchedFrame[] = [];
  seg.frames.forEach((frame, index) => {
    const label = labels.get(frame.segment) ?? String(frame.segment);
    if (frame.sourceImages.length === 0) {
      unmatched.push({ frame: index, segment: frame.segment, reason: "the frame names no source image (0008,2112)" });
      return;
    }
    for (const source of frame.sourceImages) {
      const sha256 = stored.get(source.sopInstanceUid);
      if (sha256 === undefined) {
        unmatched.push({
          frame: index,
          segment: frame.segment,
          reason: `source image ${source.sopInstanceUid} is not in the store`,
        });
        continue;
      }
      const sourceFrame = (source.frameNumbers?.[0] ?? 1) - 1;
      annotations.push({
        sha256,
        labelSet: options.labelSet,
        label,
        frame: sourceFrame,
        geometry: { kind: "mask", mask: frame.mask },
      });
    }
  });
  return { annotations, unmatched };
}

/** Options of {@link segmentationFromAnnotations}. */
export interface SegmentationFromAnnotationsOptions {
  /** Coded category and type of each label (default: Anatomical Structure / Tissue, SNOMED CT). */
  readonly codes?: Readonly<Record<string, { readonly category: CodedConcept; readonly type: CodedConcept }>>;
  readonly algorithmType?: Segment["algorithmType"];
  readonly contentLabel?: string;
  readonly seriesDescription?: string;
}

const ANATOMICAL_STRUCTURE: CodedConcept = { value: "91723000", scheme: "SCT", meaning: "Anatomical Structure" };
const TISSUE: CodedConcept = { value: "85756007", scheme: "SCT", meaning: "Tissue" };

/**
 * A DICOM SEG (input for `writeSegmentation`) from mask annotations on instances of one study:
 * one segment per label (numbered in label order), one frame per annotation, each referencing
 * its source image and frame, with the study, frame of reference, orientation, spacing and
 * positions of the source images.
 *
 * @param sources - each annotated instance's dataset, by content hash (`store.dataset(sha256)`).
 * @throws {@link RadlabError} `dicom-seg` when an annotation is not a mask, when a source is
 *   missing, or when the instances are of different studies or sizes.
 * @example
 * ```ts
 * const masks = await labels.annotations(sha256, { labelSet: "lungs" });
 * const input = segmentationFromAnnotations(masks, new Map([[sha256, await store.dataset(sha256)]]));
 * writeFileSync("lungs-seg.dcm", writeSegmentation(input));
 * ```
 */
export function segmentationFromAnnotations(
  annotations: readonly (Annotation | StoredAnnotation)[],
  sources: ReadonlyMap<string, DicomDataset>,
  options: SegmentationFromAnnotationsOptions = {},
): SegmentationInput {
  const problems: string[] = [];
  const masks = annotations.flatMap((a, i) => {
    if (a.geometry.kind !== "mask") {
      problems.push(`annotation ${i} is a ${a.geometry.kind}, not a mask`);
      return [];
    }
    if (!sources.has(a.sha256)) problems.push(`annotation ${i}: no source dataset for ${a.sha256.slice(0, 12)}…`);
    return [{ annotation: a, mask: a.geometry.mask }];
  });
  if (masks.length === 0) problems.push("no mask annotations were given");
  const first = sources.get(masks[0]?.annotation.sha256 ?? "");
  const study = first?.string("StudyInstanceUID");
  for (const { annotation, mask } of masks) {
    const ds = sources.get(annotation.sha256);
    if (ds === undefined) continue;
    if (ds.string("StudyInstanceUID") !== study)
      problems.push(`${annotation.sha256.slice(0, 12)}… is of another study`);
    if (mask.rows !== masks[0]?.mask.rows || mask.columns !== masks[0]?.mask.columns) {
      problems.push(
        `${annotation.sha256.slice(0, 12)}…'s mask is ${mask.columns} x ${mask.rows}, the first ${masks[0]?.mask.columns} x ${masks[0]?.mask.rows}`,
      );
    }
  }
  if (problems.length > 0 || first === undefined) {
    throw new RadlabError("dicom-seg", `These annotations cannot make one segmentation: ${problems.join("; ")}.`, {
      hint: "Give mask annotations of one study, with every source instance's dataset.",
    });
  }
  const labels = [...new Set(masks.map((m) => m.annotation.label))].sort();
  const segments: Segment[] = labels.map((label, i) => ({
    number: i + 1,
    label,
    algorithmType: options.algorithmType ?? "MANUAL",
    category: options.codes?.[label]?.category ?? ANATOMICAL_STRUCTURE,
    type: options.codes?.[label]?.type ?? TISSUE,
  }));
  const position = (ds: DicomDataset) => {
    const p = ds.numbers("ImagePositionPatient");
    return p.length === 3 ? { imagePositionPatient: [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0] as const } : {};
  };
  const orientation = first.numbers("ImageOrientationPatient");
  const spacing = first.numbers("PixelSpacing");
  const thickness = first.number("SliceThickness");
  const frameOfReference = first.string("FrameOfReferenceUID");
  const series = new Map<string, { sopClassUid: string; sopInstanceUid: string }[]>();
  const frames = masks.map(({ annotation, mask }) => {
    const ds = sources.get(annotation.sha256) as DicomDataset;
    const reference = {
      sopClassUid: ds.string("SOPClassUID") ?? "",
      sopInstanceUid: ds.string("SOPInstanceUID") ?? "",
    };
    const list = series.get(ds.string("SeriesInstanceUID") ?? "") ?? [];
    if (!list.some((r) => r.sopInstanceUid === reference.sopInstanceUid)) list.push(reference);
    series.set(ds.string("SeriesInstanceUID") ?? "", list);
    const multiFrame = (ds.number("NumberOfFrames") ?? 1) > 1;
    return {
      segment: labels.indexOf(annotation.label) + 1,
      mask,
      sourceImages: [{ ...reference, ...(multiFrame ? { frameNumbers: [annotation.frame + 1] } : {}) }],
      ...(frameOfReference === undefined ? {} : position(ds)),
    };
  });
  return {
    study: segmentationStudyFrom(first),
    ...(frameOfReference === undefined ? {} : { frameOfReferenceUid: frameOfReference }),
    rows: masks[0]?.mask.rows ?? 0,
    columns: masks[0]?.mask.columns ?? 0,
    segments,
    frames,
    referencedSeries: [...series].map(([seriesInstanceUid, instances]) => ({ seriesInstanceUid, instances })),
    ...(orientation.length === 6 && frameOfReference !== undefined
      ? { imageOrientationPatient: orientation as unknown as readonly [number, number, number, number, number, number] }
      : {}),
    ...(spacing.length === 2 && thickness !== undefined
      ? { pixelSpacing: [spacing[0] ?? 0, spacing[1] ?? 0] as const, sliceThickness: thickness }
      : {}),
    ...(options.contentLabel === undefined ? {} : { contentLabel: options.contentLabel }),
    ...(options.seriesDescription === undefined ? {} : { seriesDescription: options.seriesDescription }),
  };
}
