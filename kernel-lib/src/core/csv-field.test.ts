import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { csvField, parseCsvLine, readCsvRecords } from "./csv-field";

describe("csvField", () => {
  it("quotes a field with a comma, quote or line break, doubling its quotes, and leaves others as they are", () => {
    expect(["plain", "a,b", 'say "hi"', "two\nlines", "cr\r", ""].map(csvField)).toEqual([
      "plain",
      '"a,b"',
      '"say ""hi"""',
      '"two\nlines"',
      '"cr\r"',
      "",
    ]);
  });

  it("is undone by parseCsvLine for fields without line breaks", () => {
    const fields = ["plain", "a,b", 'say "hi"', "", '"'];
    expect(parseCsvLine(fields.map(csvField).join(","))).toEqual(fields);
  });
});

describe("readCsvRecords", () => {
  it("reads a header and records, skipping a byte-order mark and blank lines", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "radlab-csv-"));
    try {
      const file = path.join(dir, "labels.csv");
      writeFileSync(file, '\uFEFFfile,label\r\na.png,"No Finding"\r\n\r\nb.png,"Effusion, Mass"\r\n');
      expect(readCsvRecords(file)).toEqual([
        { file: "a.png", label: "No Finding" },
        { file: "b.png", label: "Effusion, Mass" },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
