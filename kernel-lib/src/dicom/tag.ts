import { RadlabError } from "../core/radlab-error";
import type { Keyword } from "./dictionary/attributes.generated";
import { allKeywords, lookupKeyword, lookupTag } from "./dictionary/dictionary";
import { editDistance } from "../core/edit-distance";

/**
 * A DICOM tag as accepted by radlab: a number `0xggggeeee`, a `[group, element]` pair, or a
 * dictionary keyword. Keywords are checked by the compiler (a misspelt keyword does not compile)
 * and again at run time for values that come from files.
 */
export type TagInput = number | readonly [number, number] | Keyword;

/**
 * Normalises a tag given as a number, a `[group, element]` pair or a keyword to a number.
 *
 * @throws {@link RadlabError} `unknown-keyword` for a keyword that is not in PS3.6 (with the closest
 *   keywords as a hint), and `invalid-tag` for numbers outside 32 bits.
 * @example
 * ```ts
 * import { toTag } from "@radlab/kernel";
 * toTag("PatientName") === toTag([0x0010, 0x0010]); // true, both 0x00100010
 * ```
 */
export function toTag(input: TagInput): number {
  if (typeof input === "number") {
    if (!Number.isInteger(input) || input < 0 || input > 0xffffffff) {
      throw new RadlabError(
        "invalid-tag",
        `${input} is not a DICOM tag (expected a whole number 0x00000000-0xFFFFFFFF).`,
      );
    }
    return input >>> 0;
  }
  if (Array.isArray(input)) {
    const [group, element] = input as readonly [number, number];
    if (![group, element].every((n) => Number.isInteger(n) && n >= 0 && n <= 0xffff)) {
      throw new RadlabError(
        "invalid-tag",
        `[${group}, ${element}] is not a DICOM tag (expected two numbers 0x0000-0xFFFF).`,
      );
    }
    return ((group << 16) | element) >>> 0;
  }
  const entry = lookupKeyword(input as string);
  if (entry === undefined) {
    const suggestions = closestKeywords(input as string, 3);
    throw new RadlabError("unknown-keyword", `"${input as string}" is not a DICOM keyword (PS3.6).`, {
      rule: String(input),
      hint:
        suggestions.length > 0
          ? `Did you mean ${suggestions.map((s) => `"${s}"`).join(", ")}? Keywords are case-sensitive.`
          : "Use the keyword exactly as PS3.6 spells it, for example PatientName.",
    });
  }
  return entry.tag;
}

/** The tag as 8 upper-case hex digits, `00100010`: the key of the DICOM JSON model and of dcmjs. */
export function tagHex(tag: number): string {
  return (tag >>> 0).toString(16).toUpperCase().padStart(8, "0");
}

/** Parses `(0010,0010)`, `0010,0010` or `00100010` into a tag number, or `undefined`. */
export function parseTagString(text: string): number | undefined {
  const match = /^\(?([0-9A-Fa-f]{4}),?([0-9A-Fa-f]{4})\)?$/.exec(text.trim());
  return match === null ? undefined : parseInt(`${match[1]}${match[2]}`, 16) >>> 0;
}

/**
 * Names a tag the way radlab's messages do: `(0010,0010) Patient's Name`; private tags are
 * `(0009,1001) private`, unknown public tags just `(gggg,eeee)`.
 */
export function formatTag(input: TagInput): string {
  const tag = toTag(input);
  const hex = tagHex(tag);
  const base = `(${hex.slice(0, 4)},${hex.slice(4)})`;
  if ((tag >>> 16) % 2 === 1) return `${base} private`;
  const entry = lookupTag(tag);
  return entry === undefined ? base : `${base} ${entry.name}`;
}

/** The keywords closest to `text` by edit distance (case-insensitive), for "did you mean" hints. */
export function closestKeywords(text: string, count: number): string[] {
  const lower = text.toLowerCase();
  const scored: [number, string][] = [];
  for (const keyword of allKeywords()) {
    const distance = editDistance(lower, keyword.toLowerCase(), 4);
    if (distance <= 4) scored.push([distance, keyword]);
  }
  return scored
    .sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]))
    .slice(0, count)
    .map(([, k]) => k);
}
