import nlp from "compromise";

/**
 * The words of a line that the `compromise` NLP library tags as part of a person's name (a first
 * name, a last name, or a person phrase), upper-cased. The text is given as read; all-capital
 * banner lines (`DAVIDSON DOUGLAS`) are tagged as well as mixed case.
 *
 * @example
 * ```ts
 * import { personNameWords } from "@radlab/kernel";
 * personNameWords("MARTIN CHAD [U] 01.01.2000"); // Set { "MARTIN", "CHAD" }
 * ```
 */
export function personNameWords(line: string): Set<string> {
  const out = new Set<string>();
  const doc = nlp(line);
  const add = (text: string) => {
    for (const part of text.split(/\s+/)) {
      const bare = part.toUpperCase().replace(/[^A-Z'-]/g, "");
      if (/[A-Z]{2,}/.test(bare)) out.add(bare);
    }
  };
  for (const phrase of doc.people().out("array") as string[]) add(phrase);
  for (const term of doc.match("(#FirstName|#LastName)").out("array") as string[]) add(term);
  return out;
}
