import { fuzzyTokenMatch, normaliseToken } from "./fuzzy-match";
import type { Box, OcrLine, OcrWord } from "./ocr-types";
import { personNameWords } from "./person-names";
import { withScreenDates } from "./screen-phi-values";
import { lookupKeyword } from "../../dicom/dictionary/dictionary";
import { formatTag } from "../../dicom/tag";
import type { PhiValue } from "../header/phi-values";
import { isTechnicalAnnotation } from "./technical-annotations";

/**
 * The rule that marked a word or region as PHI: a header value (`header-value`), a pattern
 * (`date`, `time`, `long-number`, `phone`, `alphanumeric-id`, `sex-marker`, `labelled-value`), a
 * person-name recogniser (`person-name` from compromise, `banner-name` for the words before a sex
 * marker in a patient banner), or a manufacturer region template (`region-template`).
 */
export type PhiRule =
  | "header-value"
  | "date"
  | "time"
  | "long-number"
  | "phone"
  | "alphanumeric-id"
  | "sex-marker"
  | "labelled-value"
  | "person-name"
  | "banner-name"
  | "region-template";

/**
 * One piece of PHI found in text read from the pixels (an OCR word, or a template region), with the
 * rule and evidence that found it. (Header findings are {@link PhiFinding}s of {@link scanForPhi}.)
 */
export interface TextPhiFinding {
  /** The text read (for a template, its label). */
  readonly text: string;
  /** Where, in the frame's pixel coordinates. */
  readonly box: Box;
  readonly frame: number;
  /** The OCR line and word it was read as (`-1` for a template region). */
  readonly line: number;
  readonly word: number;
  readonly rule: PhiRule;
  /** Why, for the audit record: for example `matches (0010,0010) Patient Name "MARY" (exact)`. */
  readonly reason: string;
}

/** Options of {@link findTextPhi}. */
export interface FindTextPhiOptions {
  /**
   * Original identifying values to look for (header values and those given by the caller); dates
   * (`YYYYMMDD`) are also looked for in their screen forms ({@link withScreenDates}).
   */
  readonly phiValues: readonly PhiValue[];
  /** The frame the lines were read from (copied into each finding); default 0. */
  readonly frame?: number;
}

interface LinePattern {
  readonly rule: PhiRule;
  readonly pattern: RegExp;
  readonly what: string;
}

const MONTH = "(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?";

/** Patterns run over a whole line, so that values OCR split into several words are still found. */
const LINE_PATTERNS: readonly LinePattern[] = [
  {
    rule: "date",
    what: "a numeric date",
    pattern: /(?<![\w.])\d{1,4}\s?[./-]\s?\d{1,2}\s?[./-]\s?\d{2,4}(?![\w.]*\d)/gi,
  },
  {
    rule: "date",
    what: "a date with a month name",
    pattern: new RegExp(`\\b\\d{1,2}[-\\s.]?${MONTH}[-\\s.,]*\\d{2,4}\\b`, "gi"),
  },
  {
    rule: "date",
    what: "a date with a month name",
    pattern: new RegExp(`\\b${MONTH}\\s\\d{1,2},?\\s\\d{2,4}\\b`, "gi"),
  },
  {
    rule: "date",
    what: "a compact date",
    pattern: /(?<!\d)(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)/g,
  },
  { rule: "time", what: "a time of day", pattern: /(?<![\w.])\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]\.?M\.?)?(?!\w)/gi },
  {
    rule: "phone",
    what: "a telephone number",
    pattern: /(?<!\w)(?:\+?\d{1,3}[\s.-])?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}(?!\w)/g,
  },
];

const LABELS = new Set([
  "DOB",
  "DOB:",
  "BIRTH:",
  "MRN",
  "MRN:",
  "ID:",
  "PID:",
  "ACC:",
  "ACC#",
  "ACCESSION",
  "NAME:",
  "PATIENT:",
]);

/**
 * Confidence (0-100) a word needs before the name and label rules trust it: OCR of image content
 * yields short low-confidence fragments (`Ea`, `Rin`) that an NLP tagger takes for names. Header
 * values and patterns apply at any confidence.
 */
const NAME_CONFIDENCE = 70;
const LABEL_CONFIDENCE = 60;

const SEX_MARKER = /^(?:[[({][MFUO][\])}]?|[[({]?[MFUO][\])}]|[I|l1][MFUO][\])}]|[[({][MFUO][I|l1])$/;

/**
 * Finds PHI in the lines OCR read from one frame: header values matched fuzzily (see
 * {@link fuzzyTokenMatch}; whole values also across word breaks), dates in the common numeric and
 * month-name formats, times, telephone numbers, long digit strings (MRNs, accession numbers: 6
 * digits or more, OCR's letter-for-digit confusions allowed), IDs mixing letters and digits,
 * bracketed sex markers (`[M]`), the word after a label such as `DOB`, `MRN` or `ID`, and person
 * names from the compromise NLP library on each line. Words on the technical allow-list
 * ({@link isTechnicalAnnotation}) are not taken for names. Each word is reported once, with the
 * first rule that matched, in the order above.
 *
 * @example
 * ```ts
 * import { findTextPhi } from "@radlab/kernel";
 * const word = (text: string, left: number) => ({ text, confidence: 90, box: { left, top: 0, width: 40, height: 10 } });
 * const line = { text: "DOB: 08/29/1951 MI 0.6", box: { left: 0, top: 0, width: 200, height: 10 }, words: [word("DOB:", 0), word("08/29/1951", 50), word("MI", 100), word("0.6", 150)] };
 * findTextPhi([line], { phiValues: [] }).map((f) => `${f.text}: ${f.rule}`); // ["08/29/1951: date"]
 * ```
 */
export function findTextPhi(lines: readonly OcrLine[], options: FindTextPhiOptions): TextPhiFinding[] {
  const frame = options.frame ?? 0;
  const phiValues = withScreenDates(options.phiValues);
  const tokens = headerTokens(phiValues);
  const wholeValues = phiValues
    .map((v) => ({ value: v, norm: normaliseToken(v.value) }))
    .filter((v) => v.norm.length >= 6);
  const findings: TextPhiFinding[] = [];
  lines.forEach((line, lineIndex) => {
    const words = line.words;
    const marked = new Map<number, { rule: PhiRule; reason: string }>();
    const mark = (index: number, rule: PhiRule, reason: string) => {
      if (!marked.has(index)) marked.set(index, { rule, reason });
    };
    // 1. Header values, word by word, then whole values across word breaks.
    words.forEach((word, i) => {
      for (const token of tokens) {
        const how = fuzzyTokenMatch(word.text, token.text);
        if (how === undefined) continue;
        if (how !== "exact" && isTechnicalAnnotation(word.text)) continue;
        mark(i, "header-value", `matches ${token.source} "${token.text}" (${how})`);
        break;
      }
    });
    if (wholeValues.length > 0) {
      const { text, owner } = normalisedLine(words);
      for (const { value, norm } of wholeValues) {
        for (let at = text.indexOf(norm); at >= 0; at = text.indexOf(norm, at + 1)) {
          for (const i of new Set(owner.slice(at, at + norm.length))) {
            mark(i, "header-value", `part of ${describeSource(value.source)} "${value.value}" read across words`);
          }
        }
      }
    }
    // 2. Patterns over the line text.
    const { text: lineText, spans } = spacedLine(words);
    for (const { rule, pattern, what } of LINE_PATTERNS) {
      for (const match of lineText.matchAll(pattern)) {
        const start = match.index ?? 0;
        const end = start + match[0].length;
        spans.forEach((span, i) => {
          if (span.start < end && span.end > start) mark(i, rule, `${what}: "${match[0]}"`);
        });
      }
    }
    words.forEach((word, i) => {
      const rule = wordPattern(word);
      if (rule !== undefined) mark(i, rule.rule, rule.reason);
      const label = word.text.toUpperCase().replace(/[^A-Z#:]/g, "");
      const next = words[i + 1];
      if (
        LABELS.has(label) &&
        word.confidence >= LABEL_CONFIDENCE &&
        next !== undefined &&
        next.confidence >= LABEL_CONFIDENCE &&
        // A value, not a one-letter field such as the sex after "DOB: 08/29/1951".
        (/\d/.test(next.text) || next.text.replace(/[^A-Za-z]/g, "").length >= 3) &&
        !LABELS.has(next.text.toUpperCase().replace(/[^A-Z#:]/g, ""))
      ) {
        mark(i + 1, "labelled-value", `follows the label "${word.text}"`);
      }
    });
    // 3. Names: the words before a sex marker in a banner, then compromise's person names.
    const marker = words.findIndex((w) => SEX_MARKER.test(w.text));
    if (marker > 0) {
      for (let i = marker - 1; i >= Math.max(0, marker - 4); i--) {
        const w = words[i];
        if (
          w === undefined ||
          w.confidence < LABEL_CONFIDENCE ||
          !/^[A-Za-z][A-Za-z'-]+[.,]?$/.test(w.text) ||
          isTechnicalAnnotation(w.text)
        ) {
          break;
        }
        mark(i, "banner-name", `precedes the sex marker "${words[marker]?.text ?? ""}" in a patient banner`);
      }
    }
    const names = personNameWords(line.text);
    words.forEach((word, i) => {
      const bare = word.text.toUpperCase().replace(/[^A-Z'-]/g, "");
      if (
        bare.length >= 3 &&
        word.confidence >= NAME_CONFIDENCE &&
        /^[A-Za-z][A-Za-z'-]+[.,]?$/.test(word.text) &&
        names.has(bare) &&
        !isTechnicalAnnotation(word.text)
      ) {
        mark(i, "person-name", `tagged as a person's name by compromise in "${line.text}"`);
      }
    });
    for (const [i, { rule, reason }] of [...marked].sort((a, b) => a[0] - b[0])) {
      const word = words[i];
      if (word !== undefined)
        findings.push({ text: word.text, box: word.box, frame, line: lineIndex, word: i, rule, reason });
    }
  });
  return findings;
}

function wordPattern(word: OcrWord): { rule: PhiRule; reason: string } | undefined {
  const text = word.text.replace(/^[^\w[({|]+|[^\w\])}|]+$/g, "");
  if (SEX_MARKER.test(text)) return { rule: "sex-marker", reason: `a bracketed sex marker: "${word.text}"` };
  if (isTechnicalAnnotation(word.text)) return undefined;
  const alnum = text.replace(/[^A-Za-z0-9]/g, "");
  const digits = (alnum.match(/\d/g) ?? []).length;
  // OCR reads 0 as O, 1 as I or l, 5 as S inside digit strings.
  const digitLike = (alnum.match(/[\dOoIlS]/g) ?? []).length;
  if (alnum.length >= 6 && digits >= 5 && digitLike === alnum.length && !/[.:/]/.test(text)) {
    return { rule: "long-number", reason: `a long digit string (MRN, accession number): "${word.text}"` };
  }
  const letters = alnum.length - digits;
  if (/^[A-Za-z0-9-]+$/.test(text) && alnum.length >= 6 && digits >= 4 && letters >= 1) {
    return { rule: "alphanumeric-id", reason: `an identifier mixing letters and digits: "${word.text}"` };
  }
  return undefined;
}

interface HeaderToken {
  readonly text: string;
  readonly source: string;
}

function headerTokens(values: readonly PhiValue[]): HeaderToken[] {
  const out: HeaderToken[] = [];
  const seen = new Set<string>();
  for (const value of values) {
    const parts = [value.value, ...value.value.split(/[\^=,\s]+/)];
    const source = describeSource(value.source);
    for (const part of parts) {
      const norm = normaliseToken(part);
      // One- and two-letter parts (initials, `M`) would match everywhere.
      if (norm.length < 3 || seen.has(norm)) continue;
      seen.add(norm);
      out.push({ text: part, source });
    }
  }
  return out;
}

/** A value's source for a reason: a keyword as `(0010,0010) Patient's Name`, anything else as given. */
function describeSource(source: string): string {
  const entry = lookupKeyword(source);
  return entry === undefined ? source : formatTag(entry.tag);
}

/** The words joined by single spaces, with each word's character span. */
function spacedLine(words: readonly OcrWord[]): { text: string; spans: { start: number; end: number }[] } {
  let text = "";
  const spans = words.map((w) => {
    if (text !== "") text += " ";
    const start = text.length;
    text += w.text;
    return { start, end: text.length };
  });
  return { text, spans };
}

/** The words normalised and concatenated, with the index of the word owning each character. */
function normalisedLine(words: readonly OcrWord[]): { text: string; owner: number[] } {
  let text = "";
  const owner: number[] = [];
  words.forEach((w, i) => {
    const n = normaliseToken(w.text);
    text += n;
    for (let k = 0; k < n.length; k++) owner.push(i);
  });
  return { text, owner };
}
