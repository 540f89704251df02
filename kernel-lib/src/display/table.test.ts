import { describe, expect, it } from "vitest";
import { RadlabError } from "../core/radlab-error";
import { tablePayloadSchema } from "./contract/table-payload";
import { inferColumnType, table, toTableCell } from "./table";

describe("toTableCell", () => {
  it("keeps numbers, strings and booleans, and maps everything else to a cell", () => {
    expect(toTableCell(1.5)).toBe(1.5);
    expect(toTableCell("PA")).toBe("PA");
    expect(toTableCell(false)).toBe(false);
    expect(toTableCell(undefined)).toBeNull();
    expect(toTableCell(Number.NaN)).toBeNull();
    expect(toTableCell(Number.POSITIVE_INFINITY)).toBeNull();
    expect(toTableCell(12n)).toBe(12);
    expect(toTableCell(2n ** 64n)).toBe("18446744073709551616");
    expect(toTableCell(new Date(Date.UTC(2017, 1, 3)))).toBe("2017-02-03T00:00:00.000Z");
    expect(toTableCell(new Date(Number.NaN))).toBeNull();
    expect(toTableCell(new Uint16Array(4))).toBe("<Uint16Array of 8 bytes>");
    expect(toTableCell({ a: [1, 2] })).toBe('{"a":[1,2]}');
  });
});

describe("inferColumnType", () => {
  it("decides from every cell, not the first", () => {
    expect(inferColumnType([null, 1, 2])).toBe("number");
    expect(inferColumnType([1, "2"])).toBe("mixed");
    expect(inferColumnType([null, null])).toBe("empty");
    expect(inferColumnType([])).toBe("empty");
    expect(inferColumnType([true, null])).toBe("boolean");
  });
});

describe("table", () => {
  const rows = [
    { finding: "Effusion", images: 61, note: null },
    { finding: "Pneumothorax <b>", images: 29, extra: true },
  ];

  it("builds a payload that satisfies the contract, with columns in order of first appearance", () => {
    const t = table(rows, { caption: "Findings" });
    expect(t.payload).toEqual({
      version: 1,
      columns: [
        { name: "finding", type: "string" },
        { name: "images", type: "number" },
        { name: "note", type: "empty" },
        { name: "extra", type: "boolean" },
      ],
      rows: [
        ["Effusion", 61, null, null],
        ["Pneumothorax <b>", 29, null, true],
      ],
      totalRows: 2,
      caption: "Findings",
    });
    expect(tablePayloadSchema.safeParse(t.toMimeBundle().data["application/vnd.radlab.table+json"]).ok).toBe(true);
  });

  it("carries escaped HTML and aligned text fallbacks", () => {
    const bundle = table(rows, { columns: ["finding", "images"] }).toMimeBundle();
    expect(bundle.data["text/html"]).toBe(
      '<table class="radlab-table"><thead><tr><th>finding</th><th>images</th></tr></thead><tbody>' +
        '<tr><td>Effusion</td><td style="text-align:right">61</td></tr>' +
        '<tr><td>Pneumothorax &lt;b&gt;</td><td style="text-align:right">29</td></tr></tbody></table>',
    );
    expect(bundle.data["text/plain"]).toBe(
      ["finding           images", "Effusion              61", "Pneumothorax <b>      29"].join("\n"),
    );
  });

  it("sends at most maxRows rows and says how many there are", () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ i }));
    const t = table(many, { maxRows: 22 });
    expect(t.payload.rows.length).toBe(22);
    expect(t.payload.totalRows).toBe(25);
    const text = t.toMimeBundle().data["text/plain"] as string;
    expect(text.split("\n").length).toBe(1 + 20 + 1);
    expect(text.endsWith("(20 of 25 rows)")).toBe(true);
    expect(t.toMimeBundle().data["text/html"]).toContain("<p>Showing 22 of 25 rows.</p>");
  });

  it("rejects a bad row limit and unknown columns with a typed error", () => {
    expect(() => table(rows, { maxRows: 0 })).toThrow(RadlabError);
    expect(() => table(rows, { maxRows: 0 })).toThrow("maxRows must be a positive integer, got 0.");
    expect(() => table(rows, { columns: ["finding", "age"] })).toThrow(
      'No column named "age".\nHow to fix: Choose from: finding, images, note, extra.',
    );
  });

  it("shows its text fallback when inspected, as tslab prints a cell's last value", async () => {
    const { inspect } = await import("node:util");
    expect(inspect(table([{ a: 1 }]))).toBe("a\n1");
  });
});
