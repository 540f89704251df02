import { tagHex, toTag, type TagInput } from "../dicom/tag";

/** One attribute in the DICOM JSON model (PS3.18 Annex F.2). */
export interface DicomJsonAttribute {
  readonly vr: string;
  readonly Value?: readonly unknown[];
  readonly BulkDataURI?: string;
  readonly InlineBinary?: string;
}

/** A dataset in the DICOM JSON model: attributes keyed by 8 upper-case hex digits (`0020000D`). */
export type DicomJsonObject = Readonly<Record<string, DicomJsonAttribute>>;

/** Checks the shape of a DICOM JSON dataset (every key a tag, every value an object with a `vr`). */
export function isDicomJsonObject(value: unknown): value is DicomJsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return Object.entries(value).every(
    ([key, attribute]) =>
      /^[0-9A-Fa-f]{8}$/.test(key) &&
      typeof attribute === "object" &&
      attribute !== null &&
      typeof (attribute as { vr?: unknown }).vr === "string",
  );
}

/**
 * A search match (QIDO-RS or C-FIND) as a read-only dataset with VR-aware accessors, so callers
 * never index the JSON by hand. Person names read as their alphabetic group.
 *
 * @example
 * ```ts
 * import { DicomJsonDataset } from "@radlab/kernel";
 * const match = new DicomJsonDataset({ "0020000D": { vr: "UI", Value: ["1.2.3"] } });
 * match.string("StudyInstanceUID"); // "1.2.3"
 * ```
 */
export class DicomJsonDataset {
  /** The dataset as the server sent it (frozen). */
  readonly json: DicomJsonObject;

  constructor(json: DicomJsonObject) {
    this.json = Object.freeze({ ...json });
  }

  /** Every value of the attribute as text (numbers formatted, person names as their alphabetic group). */
  strings(tag: TagInput): string[] {
    const attribute = this.json[tagHex(toTag(tag))];
    return (attribute?.Value ?? []).flatMap((value) => {
      if (value === null || value === undefined) return [];
      if (typeof value === "object") {
        const alphabetic = (value as { Alphabetic?: unknown }).Alphabetic;
        return typeof alphabetic === "string" ? [alphabetic] : [];
      }
      return [String(value)];
    });
  }

  /** The first value as text, or `undefined` when the attribute is absent or empty. */
  string(tag: TagInput): string | undefined {
    return this.strings(tag)[0];
  }

  /** The first value as a number, or `undefined` when absent, empty or not numeric. */
  number(tag: TagInput): number | undefined {
    const text = this.string(tag);
    if (text === undefined || text.trim() === "") return undefined;
    const n = Number(text);
    return Number.isFinite(n) ? n : undefined;
  }
}
