import { describe, expect, it } from "vitest";
import { CanonicalJsonError, canonicalJson, sha256OfCanonical } from "./canonical-json";

function issuesOf(value: unknown): unknown {
  try {
    canonicalJson(value);
  } catch (error) {
    expect(error).toBeInstanceOf(CanonicalJsonError);
    return (error as CanonicalJsonError).issues;
  }
  throw new Error("canonicalJson accepted the value");
}

describe("canonicalJson", () => {
  it("sorts keys at every depth and writes no whitespace", () => {
    expect(canonicalJson({ split: { test: 0.2, seed: 7 }, dataset: "cxr", tags: ["b", "a"] })).toBe(
      '{"dataset":"cxr","split":{"seed":7,"test":0.2},"tags":["b","a"]}',
    );
    expect(canonicalJson([])).toBe("[]");
    expect(canonicalJson({})).toBe("{}");
    expect(canonicalJson(null)).toBe("null");
    expect(canonicalJson("x")).toBe('"x"');
    expect(canonicalJson(-0)).toBe("0");
  });

  it("matches the RFC 8785 example for numbers, strings and literals", () => {
    // RFC 8785 section 3.2.2's sample input, and its canonical form as printed in the RFC.
    const input = {
      // The RFC's input has more digits than a double holds, on purpose: the output is the nearest double.
      // eslint-disable-next-line no-loss-of-precision
      numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001],
      string: "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"/",
      literals: [null, true, false],
    };
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it("sorts keys by UTF-16 code units, as RFC 8785 section 3.2.3 requires", () => {
    const input = {
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis",
    };
    // The order of the text, not of a parsed object (whose integer-like keys always come first).
    const order = [...canonicalJson(input).matchAll(/"([^"]*)":"[^"]*"/g)].map((m) => m[1]);
    expect(order).toEqual(["\\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33"]);
  });

  it("gives the same text whatever order the keys were written in", () => {
    expect(canonicalJson({ b: 1, a: { y: [1, { d: 1, c: 2 }], x: null } })).toBe(
      canonicalJson({ a: { x: null, y: [1, { c: 2, d: 1 }] }, b: 1 }),
    );
    expect(canonicalJson(Object.create(null) as object)).toBe("{}");
  });

  it("rejects every value JSON cannot hold, with its path", () => {
    const self: Record<string, unknown> = { name: "loop" };
    self["again"] = self;
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [1, , 3];
    expect(
      issuesOf({
        a: undefined,
        b: [1, Number.NaN, Infinity],
        c: { when: new Date(0), f: () => 1 },
        "odd key": 10n,
        d: sparse,
        e: new Map(),
        s: Symbol("x"),
        self,
      }),
    ).toEqual([
      { code: "undefined", path: ["a"], message: "undefined has no JSON form (omit the field instead)." },
      { code: "non-finite-number", path: ["b", 1], message: "NaN is not a JSON number." },
      { code: "non-finite-number", path: ["b", 2], message: "Infinity is not a JSON number." },
      { code: "function", path: ["c", "f"], message: "A function has no JSON form." },
      { code: "not-plain-object", path: ["c", "when"], message: "a Date is not plain data." },
      { code: "sparse-array", path: ["d", 1], message: "The array has a hole here." },
      { code: "not-plain-object", path: ["e"], message: "a Map is not plain data." },
      {
        code: "bigint",
        path: ["odd key"],
        message: "The bigint 10n has no JSON form (write it as a string or a safe integer).",
      },
      { code: "symbol", path: ["s"], message: "A symbol has no JSON form." },
      { code: "cycle", path: ["self", "again"], message: "The value contains itself (a cycle)." },
    ]);
  });

  it("names the first bad path in the error's evidence and message", () => {
    let caught: unknown;
    try {
      canonicalJson({ augment: [{ angle: Number.NaN }], "x y": undefined });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CanonicalJsonError);
    const error = caught as CanonicalJsonError;
    expect(error.code).toBe("canonical-json");
    expect(error.evidence.path).toBe("$.augment[0].angle");
    expect(error.message.split("\n").slice(0, 3)).toEqual([
      "The value has no canonical JSON form (2 issue(s)):",
      "  $.augment[0].angle: NaN is not a JSON number.",
      '  $["x y"]: undefined has no JSON form (omit the field instead).',
    ]);
    expect(error.hint).toMatch(/^Use only plain objects/);
  });

  it("accepts a value shared twice without calling it a cycle", () => {
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: [shared] })).toBe('{"a":{"k":1},"b":[{"k":1}]}');
  });

  it("rejects symbol keys rather than dropping them", () => {
    expect(issuesOf({ [Symbol("hidden")]: 1, shown: 2 })).toEqual([
      { code: "symbol", path: [], message: "The object has symbol keys, which JSON cannot hold." },
    ]);
  });
});

describe("sha256OfCanonical", () => {
  it("hashes the canonical UTF-8 text (reference digests from Python's hashlib)", () => {
    // hashlib.sha256(b'{"a":2,"b":1}').hexdigest()
    expect(sha256OfCanonical({ b: 1, a: 2 })).toBe("d3626ac30a87e6f7a6428233b3c68299976865fa5508e4267c5415c76af7a772");
    // hashlib.sha256('{"name":"Pneumothorax","tags":["é","✓"]}'.encode()).hexdigest()
    expect(sha256OfCanonical({ tags: ["é", "✓"], name: "Pneumothorax" })).toBe(
      "9bcf9f3bfa55f0360af1b85b82b4e4b5800bda7aee101614abc04c5511b6d357",
    );
  });

  it("throws the canonical JSON error for values without a JSON form", () => {
    expect(() => sha256OfCanonical({ seed: undefined })).toThrow(CanonicalJsonError);
  });
});
