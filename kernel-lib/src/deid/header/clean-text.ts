import type { PhiMatcher } from "./phi-values";

const DATE_PATTERNS = [
  /(?<!\d)\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}(?!\d)/g, // 08/29/1951, 2017-03-02, 29.08.51
  /(?<!\d)(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)/g, // 19510829
];
const LONG_NUMBER = /(?<!\d)\d{7,}(?!\d)/g; // MRNs, accession and phone numbers

/**
 * Cleans free text (action C of Clean Descriptors, Clean Structured Content and the retain options
 * whose column says C): removes every occurrence of the instance's own identifying values, dates in
 * the usual written forms and, in long text (LT, ST, UT, UC), runs of 7 or more digits. What a
 * recogniser of names would find beyond the header's own values is not removed: a limitation the
 * verification gate's OCR/NLP checks cover for burned-in text.
 *
 * @example
 * ```ts
 * import { cleanText, phiMatchers } from "@radlab/kernel";
 * const m = phiMatchers([{ value: "SIMPSON", kind: "person-name", source: "PatientName" }]);
 * cleanText("Simpson follow-up 03/02/2017", m, "LO"); // "follow-up"
 * ```
 */
export function cleanText(text: string, matchers: readonly PhiMatcher[], vr: string): string {
  let out = text;
  for (const m of matchers) if (m.phi.kind !== "uid") out = m.remove(out);
  for (const pattern of DATE_PATTERNS) out = out.replace(pattern, "");
  if (vr === "LT" || vr === "ST" || vr === "UT" || vr === "UC") out = out.replace(LONG_NUMBER, "");
  if (out === text) return text;
  return out.replace(/[ \t]{2,}/g, " ").trim();
}
