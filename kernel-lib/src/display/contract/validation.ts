import { RadlabError } from "../../core/radlab-error";

/** One problem found by a validator. Validators collect all of them instead of stopping at the first. */
export interface ValidationIssue {
  /** A stable identifier of the problem, for example `expected-number`. */
  readonly code: string;
  /** Where in the value the problem is, as a path of keys and indices. */
  readonly path: readonly (string | number)[];
  /** A sentence describing the problem. */
  readonly message: string;
}

/** The result of a `safeParse…` function: the typed value, or every issue found. */
export type SafeParseResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/** Formats an issue path as `columns[2].name`; the empty path is `(root)`. */
export function formatIssuePath(path: readonly (string | number)[]): string {
  if (path.length === 0) return "(root)";
  return path.map((part, index) => (typeof part === "number" ? `[${part}]` : index === 0 ? part : `.${part}`)).join("");
}

/**
 * Thrown by the `parse…` functions of the display contract when a payload does not match its schema.
 * Every issue found is in {@link PayloadValidationError.issues}.
 */
export class PayloadValidationError extends RadlabError {
  readonly mimeType: string;
  readonly issues: readonly ValidationIssue[];

  constructor(mimeType: string, issues: readonly ValidationIssue[]) {
    const lines = issues.map((issue) => `  ${formatIssuePath(issue.path)}: ${issue.message}`);
    super("payload-invalid", `Invalid ${mimeType} payload (${issues.length} issue(s)):\n${lines.join("\n")}`, {
      rule: mimeType,
      hint: "Create the payload with the @radlab/kernel function that emits this MIME type, of the same version as the extension.",
    });
    this.mimeType = mimeType;
    this.issues = Object.freeze([...issues]);
  }
}

/**
 * Collects validation issues while checking an unknown value field by field.
 * Each check records an issue and returns `false` when the value does not fit.
 */
export class IssueCollector {
  readonly issues: ValidationIssue[] = [];

  add(code: string, path: readonly (string | number)[], message: string): false {
    this.issues.push({ code, path: [...path], message });
    return false;
  }

  record(value: unknown, path: readonly (string | number)[]): value is Record<string, unknown> {
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return true;
    return this.add("expected-object", path, `expected an object, got ${describe(value)}`);
  }

  array(value: unknown, path: readonly (string | number)[]): value is unknown[] {
    if (Array.isArray(value)) return true;
    return this.add("expected-array", path, `expected an array, got ${describe(value)}`);
  }

  string(value: unknown, path: readonly (string | number)[]): value is string {
    if (typeof value === "string") return true;
    return this.add("expected-string", path, `expected a string, got ${describe(value)}`);
  }

  number(
    value: unknown,
    path: readonly (string | number)[],
    bounds: { readonly min?: number; readonly integer?: boolean } = {},
  ): value is number {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return this.add("expected-number", path, `expected a finite number, got ${describe(value)}`);
    }
    if (bounds.integer === true && !Number.isInteger(value)) {
      return this.add("expected-integer", path, `expected an integer, got ${value}`);
    }
    if (bounds.min !== undefined && value < bounds.min) {
      return this.add("too-small", path, `expected a number >= ${bounds.min}, got ${value}`);
    }
    return true;
  }

  oneOf<T extends string | number>(
    value: unknown,
    allowed: readonly T[],
    path: readonly (string | number)[],
  ): value is T {
    if ((allowed as readonly unknown[]).includes(value)) return true;
    return this.add(
      "expected-one-of",
      path,
      `expected one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${describe(value)}`,
    );
  }
}

/** Describes a value's type for an issue message: `a string ("abc")`, `null`, `an array`. */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string")
    return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  if (typeof value === "number") return `the number ${value}`;
  return `a ${typeof value}`;
}

/** A payload schema of the display contract: its MIME type and its parse / safeParse / guard functions. */
export interface PayloadSchema<T> {
  /** The MIME type the payload travels under. */
  readonly mimeType: string;
  /**
   * Validates a payload given as a JSON string (as tslab sends it) or as an already parsed value.
   * Never throws.
   */
  safeParse(data: unknown): SafeParseResult<T>;
  /** Like {@link PayloadSchema.safeParse} but throws {@link PayloadValidationError}. */
  parse(data: unknown): T;
  /** A type guard for already parsed values. */
  is(value: unknown): value is T;
}

/**
 * Defines a payload schema from a checking function that reports issues into a collector.
 * The check must return `true` only when it recorded no issue.
 */
export function definePayloadSchema<T>(
  mimeType: string,
  check: (value: unknown, issues: IssueCollector) => value is T,
): PayloadSchema<T> {
  const safeParse = (data: unknown): SafeParseResult<T> => {
    const decoded = decodeJson(data);
    if (!decoded.ok) return decoded;
    const value = decoded.value;
    const issues = new IssueCollector();
    if (check(value, issues) && issues.issues.length === 0) return { ok: true, value };
    if (issues.issues.length === 0) issues.add("invalid", [], "the payload does not match its schema");
    return { ok: false, issues: issues.issues };
  };
  return Object.freeze({
    mimeType,
    safeParse,
    parse(data: unknown): T {
      const result = safeParse(data);
      if (!result.ok) throw new PayloadValidationError(mimeType, result.issues);
      return result.value;
    },
    is(value: unknown): value is T {
      return typeof value !== "string" && safeParse(value).ok;
    },
  });
}

/** Parses a JSON string (as tslab sends payloads); any other value is returned as it is. */
function decodeJson(data: unknown): SafeParseResult<unknown> {
  if (typeof data !== "string") return { ok: true, value: data };
  try {
    return { ok: true, value: JSON.parse(data) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, issues: [{ code: "invalid-json", path: [], message: `not valid JSON: ${reason}` }] };
  }
}
