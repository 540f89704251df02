import { editDistance } from "../core/edit-distance";
import { CT_WINDOW_PRESETS } from "../dicom/pixels/lut";
import { deepFreeze } from "./deep-freeze";
import { PIPELINE_STEP_KINDS, type Pipeline } from "./pipeline";
import { TransformSpecError, type TransformIssue } from "./transform-spec-error";

/** The result of {@link safeParsePipeline}. */
export type PipelineParse =
  | { readonly success: true; readonly pipeline: Pipeline }
  | { readonly success: false; readonly issues: readonly TransformIssue[] };

/** The largest side {@link ResizeStep} accepts. */
const MAX_SIZE = 16384;

type Issue = (code: TransformIssue["code"], path: string, message: string) => void;

/** Reads and checks the fields of one object, collecting issues. */
class Fields {
  private readonly seen = new Set<string>(["kind"]);

  constructor(
    readonly record: Readonly<Record<string, unknown>>,
    private readonly path: string,
    private readonly issue: Issue,
  ) {}

  at(key: string): string {
    return this.path === "" ? key : `${this.path}.${key}`;
  }

  /** The field's value, or `undefined` after a `missing` issue. */
  get(key: string): unknown {
    this.seen.add(key);
    const value = Object.hasOwn(this.record, key) ? this.record[key] : undefined;
    if (value === undefined) this.issue("missing", this.at(key), `${key} is required.`);
    return value;
  }

  /** A finite number in `[min, max]` (or `(min, max]` with `above`), an integer with `integer`. */
  number(key: string, min: number, max: number, options: { integer?: boolean; above?: boolean } = {}): void {
    const value = this.get(key);
    if (value === undefined) return;
    const what = options.integer === true ? "an integer" : "a number";
    if (typeof value !== "number" || !Number.isFinite(value)) {
      this.issue("type", this.at(key), `${key} must be ${what}; it is ${describe(value)}.`);
      return;
    }
    const tooLow = options.above === true ? value <= min : value < min;
    if ((options.integer === true && !Number.isInteger(value)) || tooLow || value > max) {
      const lower = options.above === true ? `above ${min}` : max === Infinity ? `of at least ${min}` : `from ${min}`;
      const range = min === -Infinity ? "" : max === Infinity ? ` ${lower}` : ` ${lower} to ${max}`;
      this.issue("range", this.at(key), `${key} must be ${what}${range}; it is ${value}.`);
    }
  }

  /** One of `allowed`; a string outside it is `enum` (or `code`), another value `type`. */
  oneOf<T extends string>(key: string, allowed: readonly T[], code: TransformIssue["code"] = "enum"): T | undefined {
    const value = this.get(key);
    if (value === undefined) return undefined;
    if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
    this.issue(
      typeof value === "string" ? code : "type",
      this.at(key),
      `${key} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}; it is ${describe(value)}${didYouMean(value, allowed)}.`,
    );
    return undefined;
  }

  /** Reports every field that was not read, naming the fields that are allowed here. */
  rejectOthers(context: string, extraAllowed: readonly string[] = []): void {
    const allowed = [...new Set([...this.seen, ...extraAllowed])];
    for (const key of Object.keys(this.record)) {
      if (allowed.includes(key)) continue;
      const fields = allowed.filter((a) => a !== "kind");
      this.issue(
        "unknown-key",
        this.at(key),
        `${context} has no field ${key}${didYouMean(key, fields)}; its fields are ${fields.length === 0 ? "none" : fields.join(", ")}.`,
      );
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return String(value);
  if (typeof value === "object") {
    const name: unknown = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor
      ?.name;
    return typeof name === "string" && name !== "Object" ? `a ${name}` : "an object";
  }
  return `a ${typeof value}`;
}

function didYouMean(value: unknown, candidates: readonly string[]): string {
  if (typeof value !== "string") return "";
  const near = candidates.find((c) => editDistance(c.toLowerCase(), value.toLowerCase(), 2) <= 2);
  return near === undefined ? "" : ` (did you mean ${JSON.stringify(near)}?)`;
}

/** A plain object (not an array, Date, Map or class instance), whose fields are all its own. */
function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Checks one step's parameters; returns its kind, or `undefined` when the kind is unknown. */
function checkStep(fields: Fields, issue: Issue): string | undefined {
  const kind = fields.oneOf("kind", PIPELINE_STEP_KINDS, "unknown-kind");
  switch (kind) {
    case undefined:
      return undefined;
    case "decode":
      fields.number("frame", 0, Infinity, { integer: true });
      fields.rejectOthers("A decode step");
      break;
    case "window": {
      const source = fields.oneOf("source", ["values", "preset", "file", "auto"] as const);
      if (source === "values") {
        fields.number("center", -Infinity, Infinity);
        fields.number("width", 1, Infinity);
      } else if (source === "preset") {
        fields.oneOf("preset", Object.keys(CT_WINDOW_PRESETS));
      }
      // With an unreadable source, any variant's fields may be meant: report only the source.
      fields.rejectOthers(
        source === undefined ? "A window step" : `A window step with source ${JSON.stringify(source)}`,
        source === undefined ? ["center", "width", "preset"] : [],
      );
      break;
    }
    case "grayscale":
      fields.rejectOthers("A grayscale step");
      break;
    case "resize": {
      const size = fields.get("size");
      if (
        size !== undefined &&
        !(
          Array.isArray(size) &&
          size.length === 2 &&
          size.every((n) => typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= MAX_SIZE)
        )
      ) {
        issue(
          Array.isArray(size) ? "range" : "type",
          fields.at("size"),
          `size must be [rows, columns], two integers from 1 to ${MAX_SIZE}; it is ${Array.isArray(size) ? JSON.stringify(size) : describe(size)}.`,
        );
      }
      fields.oneOf("method", ["area", "bilinear"] as const);
      const fit = fields.oneOf("fit", ["stretch", "pad"] as const);
      if (fit === "pad") fields.number("padValue", -Infinity, Infinity);
      if (fit === "stretch" && Object.hasOwn(fields.record, "padValue")) {
        issue(
          "unknown-key",
          fields.at("padValue"),
          'padValue applies only with fit "pad"; remove it or use fit "pad".',
        );
      }
      fields.rejectOthers("A resize step", ["padValue"]);
      break;
    }
    case "normalise": {
      const method = fields.oneOf("method", ["minmax", "zscore", "fixed"] as const);
      if (method === "fixed") {
        fields.number("mean", -Infinity, Infinity);
        fields.number("std", 0, Infinity, { above: true });
      }
      fields.rejectOthers(
        method === undefined ? "A normalise step" : `A normalise step with method ${JSON.stringify(method)}`,
        method === undefined ? ["mean", "std"] : [],
      );
      break;
    }
    case "augment":
      fields.number("seed", 0, 0xffffffff, { integer: true });
      fields.number("flipHorizontal", 0, 1);
      fields.number("rotationDegrees", 0, 180);
      fields.number("translation", 0, 0.5);
      fields.number("brightness", 0, Infinity);
      fields.number("contrast", 0, 1);
      fields.rejectOthers("An augment step");
      break;
  }
  return kind;
}

/**
 * Checks a pipeline given as data (for example parsed JSON) and returns a frozen copy, collecting
 * every issue rather than stopping at the first: a wrong `kind`, a missing or misspelled
 * parameter (with the nearest name), a value of the wrong type or outside its range, a step where
 * it cannot work (`decode` only first; `window` before any `grayscale`, `normalise`, `augment` or
 * second `window`). Paths read like `steps[2].size`.
 *
 * @returns `{ success: true, pipeline }`, or `{ success: false, issues }` listing every problem.
 * @example
 * ```ts
 * import { safeParsePipeline } from "@radlab/kernel";
 * const result = safeParsePipeline({ kind: "pipeline", name: "x", steps: [{ kind: "resize", size: [0, 64], method: "area", fit: "stretch" }] });
 * if (!result.success) result.issues[0]?.path; // "steps[0].size"
 * ```
 */
export function safeParsePipeline(input: unknown): PipelineParse {
  const issues: TransformIssue[] = [];
  const issue: Issue = (code, path, message) => issues.push({ code, path, message });
  if (!isRecord(input)) {
    return {
      success: false,
      issues: [
        {
          code: "not-object",
          path: "",
          message: `A pipeline is an object { kind: "pipeline", name, steps }; this is ${describe(input)}.`,
        },
      ],
    };
  }
  const top = new Fields(input, "", issue);
  const kind = top.get("kind");
  if (kind !== undefined && kind !== "pipeline") {
    issue("unknown-kind", "kind", `kind must be "pipeline"; it is ${describe(kind)}.`);
  }
  const name = top.get("name");
  if (name !== undefined && (typeof name !== "string" || !/^[A-Za-z0-9_.-]+$/.test(name))) {
    issue(
      typeof name === "string" ? "format" : "type",
      "name",
      `name must be letters, digits, "_", "." and "-"; it is ${describe(name)}.`,
    );
  }
  const steps = top.get("steps");
  top.rejectOthers("A pipeline");
  if (steps !== undefined && !Array.isArray(steps)) {
    issue("type", "steps", `steps must be an array of steps; it is ${describe(steps)}.`);
  }
  const kinds: (string | undefined)[] = [];
  for (const [i, step] of (Array.isArray(steps) ? steps : []).entries()) {
    const path = `steps[${i}]`;
    if (!isRecord(step)) {
      issue("not-object", path, `A step is an object { kind, ...parameters }; this is ${describe(step)}.`);
      kinds.push(undefined);
      continue;
    }
    const kind = checkStep(new Fields(step, path, issue), issue);
    if (kind === "decode" && i > 0) {
      issue("order", path, "decode reads a DICOM dataset: it can only be the first step.");
    }
    if (kind === "window") {
      const changed = new Set(["grayscale", "normalise", "augment", "window"]);
      let before = i - 1;
      while (before >= 0 && !changed.has(kinds[before] ?? "")) before--;
      if (before >= 0) {
        issue(
          "order",
          path,
          `window reads modality values, but steps[${before}] (${kinds[before]}) has already changed them: put window before any grayscale, normalise or augment step, and use one window.`,
        );
      }
    }
    kinds.push(kind);
  }
  if (issues.length > 0) return { success: false, issues };
  // Every field has been checked to be JSON data, so a JSON round trip is an exact deep copy.
  return { success: true, pipeline: deepFreeze(JSON.parse(JSON.stringify(input)) as Pipeline) };
}

/**
 * Like {@link safeParsePipeline}, but throws.
 *
 * @returns The pipeline, deep-frozen (a copy; the input is not changed).
 * @throws {@link TransformSpecError} `transform-spec`, listing every issue.
 * @example
 * ```ts
 * import { parsePipeline } from "@radlab/kernel";
 * const pipeline = parsePipeline(JSON.parse(readFileSync("cxr-224.json", "utf8")));
 * ```
 */
export function parsePipeline(input: unknown): Pipeline {
  const result = safeParsePipeline(input);
  if (!result.success) throw new TransformSpecError(result.issues);
  return result.pipeline;
}
