import { describe, expect, it } from "vitest";
import { tablePayloadSchema } from "./table-payload";
import { PayloadValidationError } from "./validation";

const valid = {
  version: 1,
  columns: [
    { name: "finding", type: "string" },
    { name: "images", type: "number" },
  ],
  rows: [
    ["Effusion", 61],
    ["Pneumothorax", null],
  ],
  totalRows: 10,
  caption: "Findings",
};

describe("tablePayloadSchema", () => {
  it("accepts a valid payload given as an object or as a JSON string", () => {
    expect(tablePayloadSchema.safeParse(valid)).toEqual({ ok: true, value: valid });
    expect(tablePayloadSchema.safeParse(JSON.stringify(valid))).toEqual({ ok: true, value: valid });
    expect(tablePayloadSchema.is(valid)).toBe(true);
    expect(tablePayloadSchema.mimeType).toBe("application/vnd.radlab.table+json");
  });

  it("collects every issue with its path instead of stopping at the first", () => {
    const result = tablePayloadSchema.safeParse({
      version: 2,
      columns: [
        { name: 3, type: "date" },
        { name: "n", type: "number" },
      ],
      rows: [["a"], ["b", "not a number"], "row"],
      totalRows: 1.5,
    });
    expect(result).toEqual({
      ok: false,
      issues: [
        { code: "expected-one-of", path: ["version"], message: "expected one of 1, got the number 2" },
        { code: "expected-string", path: ["columns", 0, "name"], message: "expected a string, got the number 3" },
        {
          code: "expected-one-of",
          path: ["columns", 0, "type"],
          message: 'expected one of "number", "string", "boolean", "mixed", "empty", got a string ("date")',
        },
        { code: "row-length", path: ["rows", 0], message: "expected 2 cells, got 1" },
        { code: "cell-type", path: ["rows", 1, 1], message: 'cell does not fit column type "number": "not a number"' },
        { code: "expected-array", path: ["rows", 2], message: 'expected an array, got a string ("row")' },
        { code: "expected-integer", path: ["totalRows"], message: "expected an integer, got 1.5" },
      ],
    });
  });

  it("checks cells against their column type and totalRows against the rows sent", () => {
    const result = tablePayloadSchema.safeParse({
      version: 1,
      columns: [
        { name: "n", type: "number" },
        { name: "none", type: "empty" },
      ],
      rows: [
        ["7", null],
        [7, 0],
      ],
      totalRows: 1,
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues).toEqual([
      { code: "cell-type", path: ["rows", 0, 0], message: 'cell does not fit column type "number": "7"' },
      { code: "cell-type", path: ["rows", 1, 1], message: 'cell does not fit column type "empty": 0' },
      { code: "too-small", path: ["totalRows"], message: "totalRows 1 is less than the 2 rows sent" },
    ]);
  });

  it("reports a string that is not JSON", () => {
    const result = tablePayloadSchema.safeParse("{version: 1");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => [i.code, i.path])).toEqual([["invalid-json", []]]);
  });

  it("parse throws a PayloadValidationError listing every issue", () => {
    expect(() => tablePayloadSchema.parse(null)).toThrow(PayloadValidationError);
    try {
      tablePayloadSchema.parse({ version: 1, columns: [], rows: [] });
    } catch (error) {
      expect(error).toBeInstanceOf(PayloadValidationError);
      const e = error as PayloadValidationError;
      expect(e.code).toBe("payload-invalid");
      expect(e.mimeType).toBe("application/vnd.radlab.table+json");
      expect(e.message.split("\n").slice(0, 2)).toEqual([
        "Invalid application/vnd.radlab.table+json payload (1 issue(s)):",
        "  totalRows: expected a finite number, got nothing",
      ]);
    }
    expect.assertions(5);
  });

  it("is() rejects strings, so a guard never claims a string is a payload", () => {
    expect(tablePayloadSchema.is(JSON.stringify(valid))).toBe(false);
  });
});
