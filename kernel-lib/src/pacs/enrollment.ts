import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { PacsError, type EnrollmentIssue } from "./pacs-error";

/** The attribute an enrollment list is keyed by: one patient per row, or one study per row. */
export type EnrollmentKey = "PatientID" | "AccessionNumber";

/** One row of an enrollment list. */
export interface EnrollmentRow {
  /** The 1-based line in the CSV file. */
  readonly line: number;
  /** The attribute {@link EnrollmentRow.value} is matched against: (0010,0020) or (0008,0050). */
  readonly key: EnrollmentKey;
  /** The patient ID or accession number as the PACS knows it (identifying: staging only). */
  readonly value: string;
  /** The research ID the study coordinator assigned to this patient. */
  readonly researchId: string;
}

/** A parsed, checked enrollment list. */
export interface Enrollment {
  readonly key: EnrollmentKey;
  readonly rows: readonly EnrollmentRow[];
  /** SHA-256 of the CSV text, recorded in the pull manifest so a re-run with another list is refused. */
  readonly sha256: string;
}

/** The result of {@link safeParseEnrollment}. */
export type EnrollmentParseResult =
  | { readonly success: true; readonly enrollment: Enrollment }
  | { readonly success: false; readonly issues: readonly EnrollmentIssue[] };

const COLUMNS: Record<string, EnrollmentKey> = { patient_id: "PatientID", accession_number: "AccessionNumber" };
/** LO allows 64 characters, SH 16 (PS3.5 Table 6.2-1); neither allows a backslash or control characters. */
const MAX_LENGTH: Record<EnrollmentKey, number> = { PatientID: 64, AccessionNumber: 16 };
const RESEARCH_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Splits CSV text into records of fields with their line numbers (RFC 4180, quotes and CRLF). */
function records(text: string, issues: EnrollmentIssue[]): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let afterQuote = false;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0]?.trim() === "")) out.push({ line: recordLine, fields });
    fields = [];
    field = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          afterQuote = true;
        }
      } else {
        if (c === "\n") line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field.trim() === "") {
      quoted = true;
      field = "";
    } else if (c === ",") {
      fields.push(field);
      field = "";
      afterQuote = false;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      afterQuote = false;
      line++;
      recordLine = line;
    } else {
      if (afterQuote && c.trim() !== "") {
        issues.push({ code: "bad-row", line, message: `Line ${line}: text after a closing quote.` });
        afterQuote = false;
      }
      field += c;
    }
  }
  if (quoted)
    issues.push({ code: "bad-row", line: recordLine, message: `Line ${recordLine}: a quoted field is never closed.` });
  if (field !== "" || fields.length > 0) endRecord();
  return out;
}

/**
 * Parses and checks an enrollment list, collecting every problem: a CSV file with a header row
 * holding `research_id` and exactly one of `patient_id` or `accession_number`, then one row per
 * patient (or per study). Values are trimmed; quotes follow RFC 4180; blank lines are skipped.
 *
 * Checked: every row has the header's number of fields, no value is empty, IDs fit their VR
 * ((0010,0020) Patient ID LO ≤ 64, (0008,0050) Accession Number SH ≤ 16, no backslash or control
 * characters), research IDs are 1-64 of `A-Z a-z 0-9 . _ -`, an ID appears once
 * (`duplicate-id`, or `conflicting-research-id` when its rows disagree), and in a patient list a
 * research ID names one patient (`conflicting-research-id`).
 *
 * @example
 * ```ts
 * import { safeParseEnrollment } from "@radlab/kernel";
 * const result = safeParseEnrollment("patient_id,research_id\nPAT1,S001\nPAT1,S002\n");
 * if (!result.success) result.issues[0]?.code; // "conflicting-research-id"
 * ```
 */
export function safeParseEnrollment(text: string): EnrollmentParseResult {
  const issues: EnrollmentIssue[] = [];
  const rows: EnrollmentRow[] = [];
  const all = records(text.replace(/^\uFEFF/, ""), issues);
  const [header, ...body] = all;
  if (header === undefined) {
    return { success: false, issues: [{ code: "bad-header", line: 1, message: "The enrollment list is empty." }] };
  }
  const names = header.fields.map((f) => f.trim());
  const keyColumns = names.filter((n) => n in COLUMNS);
  const unknown = names.filter((n) => !(n in COLUMNS) && n !== "research_id");
  if (
    keyColumns.length !== 1 ||
    !names.includes("research_id") ||
    unknown.length > 0 ||
    new Set(names).size !== names.length
  ) {
    issues.push({
      code: "bad-header",
      line: header.line,
      message: `Line ${header.line}: the header must be research_id and one of patient_id or accession_number, not "${names.join(",")}".`,
    });
    return { success: false, issues };
  }
  const keyColumn = keyColumns[0] ?? "patient_id";
  const key = COLUMNS[keyColumn] ?? "PatientID";
  const keyIndex = names.indexOf(keyColumn);
  const researchIndex = names.indexOf("research_id");
  const byValue = new Map<string, EnrollmentRow>();
  const byResearchId = new Map<string, EnrollmentRow>();
  for (const record of body) {
    const { line, fields } = record;
    if (fields.length !== names.length) {
      issues.push({
        code: "bad-row",
        line,
        message: `Line ${line}: ${fields.length} fields, the header has ${names.length}.`,
      });
      continue;
    }
    const value = (fields[keyIndex] ?? "").trim();
    const researchId = (fields[researchIndex] ?? "").trim();
    let ok = true;
    for (const [column, v] of [
      [keyColumn, value],
      ["research_id", researchId],
    ] as const) {
      if (v === "") {
        issues.push({ code: "empty-value", line, column, message: `Line ${line}: ${column} is empty.` });
        ok = false;
      }
    }
    if (!ok) continue;
    // eslint-disable-next-line no-control-regex
    if (value.length > MAX_LENGTH[key] || /[\\\u0000-\u001f]/.test(value)) {
      issues.push({
        code: "bad-value",
        line,
        column: keyColumn,
        message: `Line ${line}: ${keyColumn} must be at most ${MAX_LENGTH[key]} characters without backslashes or control characters.`,
      });
      continue;
    }
    if (!RESEARCH_ID.test(researchId)) {
      issues.push({
        code: "bad-value",
        line,
        column: "research_id",
        message: `Line ${line}: research_id "${researchId}" must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.`,
      });
      continue;
    }
    const row: EnrollmentRow = Object.freeze({ line, key, value, researchId });
    const earlier = byValue.get(value);
    if (earlier !== undefined) {
      const conflicting = earlier.researchId !== researchId;
      issues.push({
        code: conflicting ? "conflicting-research-id" : "duplicate-id",
        line,
        column: keyColumn,
        message: conflicting
          ? `Line ${line}: ${keyColumn} already given research_id ${earlier.researchId} on line ${earlier.line}, here ${researchId}.`
          : `Line ${line}: ${keyColumn} repeats line ${earlier.line}.`,
      });
      continue;
    }
    const sameResearch = byResearchId.get(researchId);
    if (key === "PatientID" && sameResearch !== undefined) {
      issues.push({
        code: "conflicting-research-id",
        line,
        column: "research_id",
        message: `Line ${line}: research_id ${researchId} is already the research ID of another patient (line ${sameResearch.line}).`,
      });
      continue;
    }
    byValue.set(value, row);
    byResearchId.set(researchId, row);
    rows.push(row);
  }
  if (issues.length > 0) return { success: false, issues: issues.sort((a, b) => a.line - b.line) };
  const sha256 = createHash("sha256").update(text).digest("hex");
  return { success: true, enrollment: Object.freeze({ key, rows: Object.freeze(rows), sha256 }) };
}

/**
 * Parses and checks an enrollment list; see {@link safeParseEnrollment} for the format and checks.
 *
 * @param file Named in the error, when the text came from a file.
 * @throws {@link PacsError} `enrollment` with every problem in `issues` (each with its line) and
 *   the first few in the message.
 * @example
 * ```ts
 * import { parseEnrollment } from "@radlab/kernel";
 * const list = parseEnrollment("accession_number,research_id\nACC1,S001\nACC2,S001\n");
 * list.rows.length; // 2: a patient's two studies share the research ID
 * ```
 */
export function parseEnrollment(text: string, file?: string): Enrollment {
  const result = safeParseEnrollment(text);
  if (result.success) return result.enrollment;
  const shown = result.issues.slice(0, 5).map((i) => `  ${i.message}`);
  const more = result.issues.length > 5 ? [`  ... and ${result.issues.length - 5} more`] : [];
  throw new PacsError(
    "enrollment",
    [
      `The enrollment list${file === undefined ? "" : ` ${file}`} has ${result.issues.length} problem(s):`,
      ...shown,
      ...more,
    ].join("\n"),
    {
      ...(file === undefined ? {} : { file }),
      issues: result.issues,
      hint: "Fix the lines named and run again; nothing was pulled.",
    },
  );
}

/**
 * Reads and parses an enrollment list file (UTF-8, optional BOM); see {@link parseEnrollment}.
 *
 * @throws {@link PacsError} `enrollment` when the file cannot be read or has problems.
 * @example
 * ```ts
 * import { readEnrollmentFile } from "@radlab/kernel";
 * const list = readEnrollmentFile("/secure/trial-42/enrollment.csv");
 * ```
 */
export function readEnrollmentFile(file: string): Enrollment {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (cause) {
    throw new PacsError("enrollment", `Cannot read the enrollment list ${file}.`, {
      file,
      cause,
      hint: "Check the path of the CSV file.",
    });
  }
  return parseEnrollment(text, file);
}
