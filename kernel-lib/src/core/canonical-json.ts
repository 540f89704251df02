import { createHash } from "node:crypto";
import { RadlabError } from "./radlab-error";

/** A value that {@link canonicalJson} writes: JSON's data model, with finite numbers only. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** One value that has no canonical JSON form, and where it sits. */
export interface CanonicalJsonIssue {
  /**
   * What is wrong: `undefined`, `non-finite-number`, `bigint`, `function`, `symbol`,
   * `not-plain-object` (a Date, Map, class instance...), `sparse-array` or `cycle`.
   */
  readonly code: string;
  /** Where in the value, as keys and indices from the root. */
  readonly path: readonly (string | number)[];
  /** A sentence describing the problem. */
  readonly message: string;
}

/**
 * Thrown by {@link canonicalJson} when a value holds something JSON cannot represent exactly.
 * Every such place is listed in {@link CanonicalJsonError.issues}; `evidence.path` is the first.
 */
export class CanonicalJsonError extends RadlabError {
  readonly issues: readonly CanonicalJsonIssue[];

  constructor(issues: readonly CanonicalJsonIssue[]) {
    const lines = issues.map((issue) => `  ${formatJsonPath(issue.path)}: ${issue.message}`);
    super("canonical-json", `The value has no canonical JSON form (${issues.length} issue(s)):\n${lines.join("\n")}`, {
      path: formatJsonPath(issues[0]?.path ?? []),
      hint: "Use only plain objects, arrays, strings, finite numbers, booleans and null; write dates as ISO strings and omit absent fields instead of setting them to undefined.",
    });
    this.issues = Object.freeze(
      issues.map((issue) => Object.freeze({ ...issue, path: Object.freeze([...issue.path]) })),
    );
  }
}

/** A path as `$.augment[2].name`, with `$["odd key"]` for keys that are not identifiers. */
function formatJsonPath(path: readonly (string | number)[]): string {
  return (
    "$" +
    path
      .map((part) =>
        typeof part === "number"
          ? `[${part}]`
          : /^[A-Za-z_$][\w$]*$/.test(part)
            ? `.${part}`
            : `[${JSON.stringify(part)}]`,
      )
      .join("")
  );
}

function describe(value: unknown): string {
  if (value === null) return "null";
  const prototype: unknown = Object.getPrototypeOf(value);
  const name =
    typeof prototype === "object" && prototype !== null && "constructor" in prototype
      ? (prototype.constructor as { name?: unknown }).name
      : undefined;
  return typeof name === "string" && name !== "" ? `a ${name}` : "an object with a custom prototype";
}

/**
 * Writes a value as canonical JSON: object keys sorted (by UTF-16 code units), no whitespace,
 * numbers and strings as `JSON.stringify` writes them. For JSON data this is the JSON
 * Canonicalization Scheme (RFC 8785), so equal data always gives equal text and equal hashes,
 * whatever order its keys were written in.
 *
 * Nothing is dropped or converted silently: `undefined` (also as an object field or a sparse
 * array's hole), `NaN`, `Infinity`, bigints, functions, symbols, cycles and objects other than
 * plain objects and arrays (`Date`, `Map`, class instances) are errors. `-0` is written `0`, as
 * JSON has no negative zero.
 *
 * @param value - plain data: objects, arrays, strings, finite numbers, booleans, null.
 * @returns The canonical JSON text.
 * @throws {@link CanonicalJsonError} `canonical-json`, listing every value that has no JSON form.
 * @example
 * ```ts
 * import { canonicalJson } from "@radlab/kernel";
 * canonicalJson({ split: { seed: 7, test: 0.2 }, dataset: "cxr" }); // '{"dataset":"cxr","split":{"seed":7,"test":0.2}}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  const issues: CanonicalJsonIssue[] = [];
  const open = new Set<object>();
  const write = (v: unknown, path: (string | number)[]): string => {
    const issue = (code: string, message: string): string => {
      issues.push({ code, path: [...path], message });
      return "null";
    };
    switch (typeof v) {
      case "string":
        return JSON.stringify(v);
      case "boolean":
        return v ? "true" : "false";
      case "number":
        return Number.isFinite(v) ? JSON.stringify(v) : issue("non-finite-number", `${v} is not a JSON number.`);
      case "undefined":
        return issue("undefined", "undefined has no JSON form (omit the field instead).");
      case "bigint":
        return issue("bigint", `The bigint ${v}n has no JSON form (write it as a string or a safe integer).`);
      case "function":
        return issue("function", "A function has no JSON form.");
      case "symbol":
        return issue("symbol", "A symbol has no JSON form.");
    }
    if (v === null) return "null";
    const object = v as object;
    if (open.has(object)) return issue("cycle", "The value contains itself (a cycle).");
    open.add(object);
    try {
      if (Array.isArray(object)) {
        const items: string[] = [];
        for (let i = 0; i < object.length; i++) {
          if (i in object) {
            items.push(write(object[i], [...path, i]));
          } else {
            issues.push({ code: "sparse-array", path: [...path, i], message: "The array has a hole here." });
            items.push("null");
          }
        }
        return `[${items.join(",")}]`;
      }
      const prototype: unknown = Object.getPrototypeOf(object);
      if (prototype !== Object.prototype && prototype !== null) {
        return issue("not-plain-object", `${describe(object)} is not plain data.`);
      }
      if (Object.getOwnPropertySymbols(object).length > 0) {
        issue("symbol", "The object has symbol keys, which JSON cannot hold.");
      }
      const record = object as Record<string, unknown>;
      const fields = Object.keys(record)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${write(record[key], [...path, key])}`);
      return `{${fields.join(",")}}`;
    } finally {
      open.delete(object);
    }
  };
  const text = write(value, []);
  if (issues.length > 0) throw new CanonicalJsonError(issues);
  return text;
}

/**
 * The SHA-256 of a value's {@link canonicalJson} text (UTF-8), in lowercase hex: a name for
 * plain data that does not depend on key order, used for run parameters and dataset manifests.
 *
 * @param value - plain data, as accepted by {@link canonicalJson}.
 * @returns 64 lowercase hex digits.
 * @throws {@link CanonicalJsonError} `canonical-json` when the value has no canonical JSON form.
 * @example
 * ```ts
 * import { sha256OfCanonical } from "@radlab/kernel";
 * sha256OfCanonical({ b: 1, a: 2 }) === sha256OfCanonical({ a: 2, b: 1 }); // true
 * ```
 */
export function sha256OfCanonical(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value), "utf8").digest("hex");
}
