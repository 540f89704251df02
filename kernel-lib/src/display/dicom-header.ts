import type { DicomDataset, DicomElement } from "../dicom/dataset";
import { lookupTag } from "../dicom/dictionary/dictionary";
import { formatTag } from "../dicom/tag";
import { table, type Table } from "./table";

/** Options of {@link dicomHeader}. */
export interface DicomHeaderOptions {
  /** Characters of a value shown before it is cut with `…` (default 80). */
  readonly maxValueLength?: number;
  /** Include the File Meta Information group (0002,xxxx) (default true). */
  readonly includeMeta?: boolean;
}

/**
 * The header of a dataset as a table: tag, keyword, VR and value of every top-level element
 * (sequences summarised by their item count, binary values by their size). It shows what the
 * file holds, identifying data included: use it on de-identified data or your own files.
 *
 * @example
 * ```ts
 * import { dicomHeader, display, readDicomFile } from "@radlab/kernel";
 * display(dicomHeader(readDicomFile("CT_small.dcm")));
 * ```
 */
export function dicomHeader(ds: DicomDataset, options: DicomHeaderOptions = {}): Table {
  const max = options.maxValueLength ?? 80;
  const clip = (text: string) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
  const rows: Record<string, unknown>[] = [];
  const add = (tag: number, element: DicomElement | undefined, vrFallback: string, valueText: string | undefined) => {
    rows.push({
      tag: formatTag(tag).slice(0, 11),
      keyword: (tag >>> 16) % 2 === 1 ? "(private)" : (lookupTag(tag)?.keyword ?? "(unknown)"),
      vr: element?.vr ?? vrFallback,
      value: clip(valueText ?? describeElement(element)),
    });
  };
  if (options.includeMeta !== false) {
    for (const [hex, raw] of Object.entries(ds.meta).sort(([a], [b]) => a.localeCompare(b))) {
      const tag = parseInt(hex, 16) >>> 0;
      add(
        tag,
        undefined,
        raw.vr,
        (raw.Value ?? []).map((v) => (v instanceof ArrayBuffer ? `${v.byteLength} bytes` : String(v))).join(" \\ "),
      );
    }
  }
  for (const tag of ds.tags()) add(tag, ds.element(tag), "UN", undefined);
  return table(rows, { caption: `${ds.file.split(/[\\/]/).pop() ?? ds.file}: ${rows.length} elements`, maxRows: 2000 });
}

/** One element's value as header tables show it (sequences by item count, binary values by size). */
export function describeElement(element: DicomElement | undefined): string {
  if (element === undefined) return "";
  if (element.vr === "SQ")
    return `(sequence of ${element.values.length} item${element.values.length === 1 ? "" : "s"})`;
  return element.values
    .map((v) => {
      if (typeof v === "string" || typeof v === "number") return String(v);
      if (v instanceof Uint8Array) return `(${v.byteLength} bytes)`;
      if ("alphabetic" in v) return [v.alphabetic, v.ideographic, v.phonetic].join("=").replace(/=+$/, "");
      return "…";
    })
    .join(" \\ ");
}
