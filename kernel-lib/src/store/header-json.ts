import type * as dcmjs from "dcmjs";

/**
 * The header of a dataset in the DICOM JSON model shape (PS3.18 F.2), for the store's `header`
 * column: every element, sequences recursively, binary values replaced by their byte count.
 */
export function headerJson(dict: dcmjs.DcmjsDict): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [tag, element] of Object.entries(dict)) {
    if (tag === "7FE00010" || tag === "7FE00008" || tag === "7FE00009") {
      out[tag] = { vr: element.vr, bytes: byteCount(element.Value ?? []) };
      continue;
    }
    const values = element.Value ?? [];
    if (element.vr === "SQ") out[tag] = { vr: "SQ", Value: values.map((item) => headerJson(item as dcmjs.DcmjsDict)) };
    else if (values.some((v) => v instanceof ArrayBuffer || ArrayBuffer.isView(v)))
      out[tag] = { vr: element.vr, bytes: byteCount(values) };
    else out[tag] = { vr: element.vr, Value: values };
  }
  return out;
}

function byteCount(values: readonly unknown[]): number {
  return values.reduce<number>(
    (n, v) =>
      n + (v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? v.byteLength : Array.isArray(v) ? byteCount(v) : 0),
    0,
  );
}
