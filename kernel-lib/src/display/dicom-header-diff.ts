import type { DicomDataset } from "../dicom/dataset";
import { lookupTag } from "../dicom/dictionary/dictionary";
import { formatTag } from "../dicom/tag";
import { describeElement } from "./dicom-header";
import { table, type Table } from "./table";

/** Options of {@link dicomHeaderDiff}. */
export interface DicomHeaderDiffOptions {
  /** Characters of a value shown before it is cut with `…` (default 60). */
  readonly maxValueLength?: number;
  /** Show only the elements that changed (default false: every element, as a review slide does). */
  readonly changedOnly?: boolean;
  readonly caption?: string;
}

/** How an element differs between the two headers. */
export type HeaderChange = "removed" | "emptied" | "replaced" | "added" | "kept";

/**
 * Two headers side by side, element by element (top level, File Meta Information excluded): the
 * value before, the value after, and what changed: the before/after view of de-identification.
 * The "before" column shows the original values: use it on test data or in a secure review.
 *
 * @example
 * ```ts
 * import { dicomHeaderDiff, display, readDicomFile } from "@radlab/kernel";
 * display(dicomHeaderDiff(readDicomFile("pulled/us.dcm"), readDicomFile("research/S001/.../x.dcm")));
 * ```
 */
export function dicomHeaderDiff(
  before: DicomDataset,
  after: DicomDataset,
  options: DicomHeaderDiffOptions = {},
): Table {
  const max = options.maxValueLength ?? 60;
  const clip = (text: string) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
  const tags = [...new Set([...before.tags(), ...after.tags()])].sort((a, b) => a - b);
  const rows = tags.flatMap((tag) => {
    const was = before.element(tag);
    const now = after.element(tag);
    const beforeText = was === undefined ? "" : describeElement(was);
    const afterText = now === undefined ? "" : describeElement(now);
    const change: HeaderChange =
      was === undefined
        ? "added"
        : now === undefined
          ? "removed"
          : beforeText === afterText
            ? "kept"
            : afterText === ""
              ? "emptied"
              : "replaced";
    if (options.changedOnly === true && change === "kept") return [];
    return [
      {
        tag: formatTag(tag).slice(0, 11),
        keyword: (tag >>> 16) % 2 === 1 ? "(private)" : (lookupTag(tag)?.keyword ?? "(unknown)"),
        before: clip(beforeText),
        after: clip(afterText),
        change,
      },
    ];
  });
  const counts = (["removed", "emptied", "replaced", "added", "kept"] as const)
    .map((c) => `${rows.filter((r) => r.change === c).length} ${c}`)
    .join(", ");
  return table(rows, {
    caption: options.caption ?? `Header before and after: ${counts}`,
    columns: ["tag", "keyword", "before", "after", "change"],
    maxRows: 2000,
  });
}
