import type * as dcmjs from "dcmjs";
import { concatBytes } from "./bytes";

const ESC = "\u001b";
const TEXT_VRS = new Set(["SH", "LO", "ST", "LT", "UT", "UC", "PN"]);

/** windows-1252 (WHATWG "latin1", dcmjs's default decoder) code points back to their bytes. */
const LATIN1_BYTES = (() => {
  const map = new Map<number, number>();
  const decoded = new TextDecoder("latin1").decode(Uint8Array.from({ length: 256 }, (_, i) => i));
  for (let i = 0; i < decoded.length; i++) map.set(decoded.charCodeAt(i), i);
  return map;
})();

/** The code elements of ISO 2022 escape sequences used by DICOM (PS3.3 C.12.1.1.2, PS3.5 6.1.2.5). */
const ESCAPES: readonly [string, (bytes: Uint8Array) => string][] = [
  [
    `${ESC}$B`,
    (b) => new TextDecoder("iso-2022-jp").decode(concatBytes([bytesOf(`${ESC}$B`), b, bytesOf(`${ESC}(B`)])),
  ],
  [
    `${ESC}$@`,
    (b) => new TextDecoder("iso-2022-jp").decode(concatBytes([bytesOf(`${ESC}$@`), b, bytesOf(`${ESC}(B`)])),
  ],
  [`${ESC}$(D`, (b) => new TextDecoder("euc-jp").decode(jisX0212ToEucJp(b))],
  [`${ESC}$)C`, (b) => new TextDecoder("euc-kr").decode(b)],
  [`${ESC}$)A`, (b) => new TextDecoder("gbk").decode(b)],
  [`${ESC})I`, (b) => new TextDecoder("shift_jis").decode(b)],
  [`${ESC}(J`, (b) => new TextDecoder("shift_jis").decode(b)],
  [`${ESC}(B`, (b) => new TextDecoder("latin1").decode(b)],
  [`${ESC}-A`, (b) => new TextDecoder("iso-8859-1").decode(b)],
  [`${ESC}-B`, (b) => new TextDecoder("iso-8859-2").decode(b)],
  [`${ESC}-C`, (b) => new TextDecoder("iso-8859-3").decode(b)],
  [`${ESC}-D`, (b) => new TextDecoder("iso-8859-4").decode(b)],
  [`${ESC}-L`, (b) => new TextDecoder("iso-8859-5").decode(b)],
  [`${ESC}-G`, (b) => new TextDecoder("iso-8859-6").decode(b)],
  [`${ESC}-F`, (b) => new TextDecoder("iso-8859-7").decode(b)],
  [`${ESC}-H`, (b) => new TextDecoder("iso-8859-8").decode(b)],
  [`${ESC}-M`, (b) => new TextDecoder("iso-8859-9").decode(b)],
  [`${ESC}-T`, (b) => new TextDecoder("windows-874").decode(b)],
];

/**
 * Decodes text that still holds ISO 2022 escape sequences (dcmjs decodes only one character set),
 * segment by segment: each escape selects the code element of the bytes that follow it. Text
 * without escapes is returned as it is.
 *
 * @example
 * ```ts
 * decodeIso2022("\u001b$B;3ED\u001b(B"); // "山田"
 * ```
 */
export function decodeIso2022(text: string): string {
  if (!text.includes(ESC)) return text;
  let out = "";
  let decoder: ((bytes: Uint8Array) => string) | null = null;
  let i = 0;
  while (i < text.length) {
    const escape = text.startsWith(ESC, i) ? ESCAPES.find(([seq]) => text.startsWith(seq, i)) : undefined;
    if (escape !== undefined) {
      decoder = escape[1];
      i += escape[0].length;
      continue;
    }
    const next = text.indexOf(ESC, i + 1);
    const end = next < 0 ? text.length : next;
    const segment = text.slice(i, end);
    out += decoder === null ? segment : decodeSegment(segment, decoder);
    i = end;
  }
  return out;
}

/** Segment characters back to bytes (they were decoded one byte per character), then decoded properly. */
function decodeSegment(segment: string, decoder: (bytes: Uint8Array) => string): string {
  const bytes: number[] = [];
  for (const ch of segment) {
    const byte = LATIN1_BYTES.get(ch.codePointAt(0) ?? 0);
    if (byte === undefined) return segment; // already decoded by dcmjs (for example shift_jis katakana)
    bytes.push(byte);
  }
  return decoder(Uint8Array.from(bytes));
}

/**
 * Decodes ISO 2022 escape sequences left in the text elements of a dcmjs dataset, in place,
 * recursing into sequences. Used when dcmjs refused the dataset's Specific Character Set
 * (0008,0005) for having several values.
 */
export function decodeSpecificCharacterSets(dict: dcmjs.DcmjsDict): void {
  for (const element of Object.values(dict)) {
    const values = element.Value;
    if (values === undefined) continue;
    if (element.vr === "SQ") {
      for (const item of values)
        if (item !== null && typeof item === "object") decodeSpecificCharacterSets(item as dcmjs.DcmjsDict);
    } else if (element.vr === "PN") {
      element.Value = values.map((v) => {
        if (v === null || typeof v !== "object") return typeof v === "string" ? decodeIso2022(v) : v;
        const name = v as Record<string, unknown>;
        return Object.fromEntries(
          Object.entries(name).map(([k, part]) => [k, typeof part === "string" ? decodeIso2022(part) : part]),
        );
      });
    } else if (TEXT_VRS.has(element.vr)) {
      element.Value = values.map((v) => (typeof v === "string" ? decodeIso2022(v) : v));
    }
  }
}

function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** JIS X 0212 two-byte codes (GL) to EUC-JP (0x8F prefix, high bit set). */
function jisX0212ToEucJp(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i + 1 < bytes.length; i += 2) out.push(0x8f, (bytes[i] ?? 0) | 0x80, (bytes[i + 1] ?? 0) | 0x80);
  return Uint8Array.from(out);
}
