import type { DicomDataset } from "../../dicom/dataset";
import type { Keyword } from "../../dicom/dictionary/attributes.generated";
import { lookupKeyword } from "../../dicom/dictionary/dictionary";
import { formatTag } from "../../dicom/tag";
import type { Box } from "./ocr-types";
import { PixelDeidError } from "./pixel-deid-error";

/**
 * One test of a template on a header attribute, as pydicom/deid writes them: `contains` (a
 * case-insensitive regular expression searched in each value), `equals` (case-insensitive, `|`
 * separating alternatives), their negations, `missing`, `present`, `empty`. `join` is how the test
 * combines with what came before: conditions are read left to right without precedence, as
 * deid's `evaluate_group` does.
 */
export interface TemplateCondition {
  readonly join: "and" | "or" | null;
  readonly test: "contains" | "notcontains" | "equals" | "notequals" | "missing" | "present" | "empty";
  readonly keyword: Keyword;
  readonly value?: string;
}

/**
 * Regions where a device burns in PHI, for the instances its conditions select (by Modality,
 * Manufacturer, Manufacturer Model Name, Rows and Columns, Image Type...). Plain data.
 */
export interface RegionTemplate {
  readonly label: string;
  /** Where the rule comes from, for example `deid.dicom line 140`. */
  readonly source: string;
  readonly conditions: readonly TemplateCondition[];
  /** Regions in pixel coordinates (left, top, width, height). */
  readonly boxes: readonly Box[];
}

/** A rule of the source that could not become a template, with the reason. */
export interface SkippedRegionRule {
  readonly label: string;
  readonly source: string;
  readonly reason: string;
}

/** A template that selected an instance, with its boxes clipped to the image. */
export interface TemplateMatch {
  readonly template: RegionTemplate;
  readonly boxes: readonly Box[];
  /** The conditions that held, for the audit record. */
  readonly reason: string;
}

/**
 * Checks templates before use (fails closed): every keyword must be in the data dictionary, every
 * `contains` value a valid regular expression, every box a positive area.
 *
 * @throws {@link PixelDeidError} `template-invalid`, naming the template, its source and the fault.
 * @example
 * ```ts
 * import { REGION_TEMPLATES, validateRegionTemplates } from "@radlab/kernel";
 * validateRegionTemplates(REGION_TEMPLATES); // returns the same array
 * ```
 */
export function validateRegionTemplates(templates: readonly RegionTemplate[]): readonly RegionTemplate[] {
  for (const t of templates) {
    const fail = (what: string, hint: string) => {
      throw new PixelDeidError("template-invalid", `Region template "${t.label}" (${t.source}): ${what}.`, {
        rule: t.label,
        hint,
      });
    };
    if (t.conditions.length === 0) fail("it has no conditions, so it would apply to every image", "Add conditions.");
    for (const c of t.conditions) {
      if (lookupKeyword(c.keyword) === undefined) {
        fail(
          `"${c.keyword}" is not a DICOM keyword`,
          "Spell the attribute as in PS3.6 (for example ManufacturerModelName).",
        );
      }
      if ((c.test === "contains" || c.test === "notcontains") && c.value !== undefined) {
        try {
          new RegExp(c.value, "i");
        } catch {
          fail(`"${c.value}" is not a valid regular expression`, "Escape special characters.");
        }
      }
    }
    for (const b of t.boxes) {
      if (![b.left, b.top, b.width, b.height].every(Number.isFinite) || b.width <= 0 || b.height <= 0) {
        fail(`the box ${JSON.stringify(b)} has no area`, "Give left, top, width and height in pixels.");
      }
    }
  }
  return templates;
}

/**
 * The templates whose conditions hold for an instance, with their boxes clipped to its
 * Rows x Columns. Conditions read the top-level header only, as deid's filters do.
 *
 * @example
 * ```ts
 * import { matchRegionTemplates, readDicomFile, REGION_TEMPLATES } from "@radlab/kernel";
 * matchRegionTemplates(readDicomFile("RGB_IMAGE.dcm"), REGION_TEMPLATES).map((m) => m.template.label);
 * // ["SIEMMENS (CTP)"]
 * ```
 */
export function matchRegionTemplates(ds: DicomDataset, templates: readonly RegionTemplate[]): TemplateMatch[] {
  const rows = ds.number("Rows") ?? 0;
  const columns = ds.number("Columns") ?? 0;
  const out: TemplateMatch[] = [];
  for (const template of templates) {
    let result = false;
    let first = true;
    for (const c of template.conditions) {
      const value = holds(ds, c);
      if (first || c.join === null) result = first ? value : result && value;
      else result = c.join === "and" ? result && value : result || value;
      first = false;
    }
    if (!result) continue;
    const boxes = template.boxes.flatMap((b) => {
      const left = Math.max(0, b.left);
      const top = Math.max(0, b.top);
      const right = Math.min(columns, b.left + b.width);
      const bottom = Math.min(rows, b.top + b.height);
      return right > left && bottom > top ? [{ left, top, width: right - left, height: bottom - top }] : [];
    });
    const reason = template.conditions
      .map(
        (c) =>
          `${c.join === null ? "" : `${c.join} `}${formatTag(c.keyword)} ${c.test}${c.value === undefined ? "" : ` "${c.value}"`}`,
      )
      .join(" ");
    out.push({ template, boxes, reason: `template "${template.label}" (${template.source}): ${reason}` });
  }
  return out;
}

function holds(ds: DicomDataset, c: TemplateCondition): boolean {
  const values = headerStrings(ds, c.keyword);
  switch (c.test) {
    case "missing":
      return values === undefined;
    case "present":
      return values !== undefined;
    case "empty":
      return values !== undefined && values.every((v) => v.trim() === "");
    case "contains":
    case "notcontains": {
      const pattern = new RegExp(c.value ?? "", "i");
      const found = values !== undefined && [...values, values.join("\\")].some((v) => pattern.test(v.trim()));
      return c.test === "contains" ? found : !found;
    }
    case "equals":
    case "notequals": {
      const wanted = (c.value ?? "").split("|").map((v) => v.trim().toLowerCase());
      const found = values !== undefined && values.some((v) => wanted.includes(v.trim().toLowerCase()));
      return c.test === "equals" ? found : !found;
    }
  }
}

/** The values of a top-level attribute as strings; `undefined` when absent. */
function headerStrings(ds: DicomDataset, keyword: Keyword): string[] | undefined {
  const element = ds.element(keyword);
  if (element === undefined) return undefined;
  return element.values.flatMap((v) => {
    if (typeof v === "string") return [v];
    if (typeof v === "number") return [String(v)];
    if (v instanceof Uint8Array) return [];
    if ("alphabetic" in v) return [v.alphabetic];
    return [];
  });
}
