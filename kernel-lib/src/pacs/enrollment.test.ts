import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { parseEnrollment, readEnrollmentFile, safeParseEnrollment } from "./enrollment";
import { PacsError } from "./pacs-error";

describe("enrollment list", () => {
  test("parses a patient list with BOM, CRLF, quotes, padding and blank lines", () => {
    const list = parseEnrollment('\uFEFFpatient_id,research_id\r\n"98890234", S001\r\n\r\n"77,654033",S002\r\n');
    expect(list.key).toBe("PatientID");
    expect(list.rows).toEqual([
      { line: 2, key: "PatientID", value: "98890234", researchId: "S001" },
      { line: 4, key: "PatientID", value: "77,654033", researchId: "S002" },
    ]);
    expect(list.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test("an accession list may give one research ID to several studies", () => {
    const list = parseEnrollment("research_id,accession_number\nS001,ACC1\nS001,ACC2\n");
    expect(list.rows.map((r) => [r.key, r.value, r.researchId])).toEqual([
      ["AccessionNumber", "ACC1", "S001"],
      ["AccessionNumber", "ACC2", "S001"],
    ]);
  });

  test("collects every problem with its line", () => {
    const result = safeParseEnrollment(
      [
        "patient_id,research_id",
        "P1,S001", // 2 ok
        "P2", // 3 field count
        ",S003", // 4 empty id
        "P1,S001", // 5 duplicate
        "P1,S009", // 6 conflicting
        "P7,S001", // 7 research id of another patient
        "P8,bad id!", // 8 bad research id
        `${"9".repeat(65)},S010`, // 9 too long for LO
        "P\\10,S011", // 10 backslash
      ].join("\n"),
    );
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues.map((i) => [i.line, i.code, i.column])).toEqual([
      [3, "bad-row", undefined],
      [4, "empty-value", "patient_id"],
      [5, "duplicate-id", "patient_id"],
      [6, "conflicting-research-id", "patient_id"],
      [7, "conflicting-research-id", "research_id"],
      [8, "bad-value", "research_id"],
      [9, "bad-value", "patient_id"],
      [10, "bad-value", "patient_id"],
    ]);
    expect(result.issues[3]?.message).toBe("Line 6: patient_id already given research_id S001 on line 2, here S009.");
  });

  test("bad headers, empty files and unclosed quotes", () => {
    const codes = (text: string) => {
      const r = safeParseEnrollment(text);
      return r.success ? [] : r.issues.map((i) => `${i.line}:${i.code}`);
    };
    expect(codes("")).toEqual(["1:bad-header"]);
    expect(codes("patient,research_id\nP1,S1\n")).toEqual(["1:bad-header"]);
    expect(codes("patient_id,accession_number,research_id\nP1,A1,S1\n")).toEqual(["1:bad-header"]);
    expect(codes("patient_id\nP1\n")).toEqual(["1:bad-header"]);
    expect(codes('patient_id,research_id\n"P1,S1\n')).toEqual(["2:bad-row", "2:bad-row"]);
  });

  test("parseEnrollment throws a PacsError carrying the file and every issue", () => {
    const text = "patient_id,research_id\nP1,S1\nP1,S1\nP2,\n";
    let error: unknown;
    try {
      parseEnrollment(text, "trial.csv");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PacsError);
    const e = error as PacsError;
    expect(e.code).toBe("enrollment");
    expect(e.evidence.file).toBe("trial.csv");
    expect(e.issues.map((i) => i.line)).toEqual([3, 4]);
    expect(e.message).toBe(
      [
        "The enrollment list trial.csv has 2 problem(s):",
        "  Line 3: patient_id repeats line 2.",
        "  Line 4: research_id is empty.",
        "How to fix: Fix the lines named and run again; nothing was pulled.",
      ].join("\n"),
    );
  });

  test("readEnrollmentFile reads a file and names a missing one", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "radlab-enrol-"));
    const file = path.join(dir, "list.csv");
    fs.writeFileSync(file, "accession_number,research_id\nA1,S1\n");
    expect(readEnrollmentFile(file).rows).toHaveLength(1);
    expect(() => readEnrollmentFile(path.join(dir, "missing.csv"))).toThrow(
      expect.objectContaining({ code: "enrollment", evidence: { file: path.join(dir, "missing.csv") } }),
    );
    fs.rmSync(dir, { recursive: true });
  });
});
