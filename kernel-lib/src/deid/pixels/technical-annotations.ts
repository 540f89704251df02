/**
 * Words that ultrasound (and other) devices burn in to describe acquisition, not the patient:
 * safety indices (MI, TIs, TIb, TIc), frame rate, gain, dynamic range, compound and persistence
 * settings, units, modes and probe names (C5-1, L12-5, 6C1, S5-1, EPIQ). Listed so that the person
 * name recogniser does not mask them needlessly; a word that matches a header value or a PHI pattern
 * (a date, an ID) is masked whatever this list says.
 */
export const TECHNICAL_WORDS: ReadonlySet<string> = new Set(
  [
    "MI",
    "TI",
    "TIS",
    "TIB",
    "TIC",
    "FR",
    "GN",
    "DR",
    "C",
    "P",
    "DB",
    "CM",
    "MM",
    "HZ",
    "KHZ",
    "MHZ",
    "FPS",
    "BPM",
    "RES",
    "GEN",
    "PEN",
    "HGEN",
    "DYN",
    "MED",
    "LOW",
    "HIGH",
    "THI",
    "HD",
    "HAR",
    "CW",
    "PW",
    "CF",
    "PD",
    "PWR",
    "WF",
    "PRF",
    "SV",
    "ANG",
    "FOCUS",
    "DEPTH",
    "GAIN",
    "COMP",
    "MAP",
    "PERSIST",
    "SCAN",
    "MODE",
    "ZOOM",
    "FREEZE",
    "AUTO",
    "ADV",
    "XRES",
    "SONOCT",
    "ICOMPOUND",
    "SIEMENS",
    "PHILIPS",
    "GE",
    "TOSHIBA",
    "CANON",
    "ACUSON",
    "EPIQ",
    "LOGIQ",
    "VOLUSON",
    "AFFINITI",
    "SAG",
    "TRV",
    "TRANS",
    "LONG",
    "RT",
    "LT",
    "RIGHT",
    "LEFT",
    "MID",
    "UPPER",
    "LOWER",
    "POLE",
    "LIVER",
    "KIDNEY",
    "RENAL",
    "GENERAL",
    "BREAST",
    "THYROID",
    "ABDOMEN",
    "PELVIS",
    "CAROTID",
    "CARDIAC",
    "VASCULAR",
    "OB",
    "GYN",
    "PORTABLE",
    "UPRIGHT",
    "SEMIUPRIGHT",
    "SUPINE",
    "AP",
    "PA",
    "LAT",
  ].map((w) => w.toUpperCase()),
);

const TECHNICAL_PATTERNS: readonly RegExp[] = [
  // Safety indices and settings with values: TIS0.0, TIB:0.5, MI 0.6, Gn 50, DR60, 20dB/DR60.
  /^(TI[SBC]?|MI|GN|DR|FR|C|P|G|PRF|WF|SV)[:=]?\d+(\.\d+)?$/i,
  /^\d+(\.\d+)?\s?(CM|MM|HZ|KHZ|MHZ|DB|%|FPS|BPM|S|MS|CM\/S|M\/S|KPA)$/i,
  /^\d+DB\/DR\d+$/i,
  // Probe names: C5-1, L12-5, S5-1, 6C1, 9L4, C1-6-D, eL18-4.
  /^[A-Z]{1,3}\d{1,2}-\d{1,2}(-[A-Z])?$/i,
  /^\d{1,2}[A-Z]{1,2}\d{1,2}$/i,
  // Modes and maps: 2D, 3D, 4D, M3, MapE/ST2, H4.00.
  /^[234]D([-—]\d+%)?$/i,
  /^[A-Z]\d(\.\d+)?$/i,
  /^MAP[A-Z]?\/[A-Z]+\d*$/i,
];

/**
 * Whether a word is a known technical annotation (see {@link TECHNICAL_WORDS}).
 *
 * @example
 * ```ts
 * import { isTechnicalAnnotation } from "@radlab/kernel";
 * isTechnicalAnnotation("TIB:0.5"); // true
 * isTechnicalAnnotation("L12-5"); // true
 * isTechnicalAnnotation("MARY"); // false
 * ```
 */
export function isTechnicalAnnotation(word: string): boolean {
  const trimmed = word.replace(/^[^\w%]+|[^\w%]+$/g, "");
  if (trimmed === "") return false;
  const bare = trimmed.toUpperCase().replace(/[^A-Z0-9]/g, "");
  return TECHNICAL_WORDS.has(bare) || TECHNICAL_PATTERNS.some((p) => p.test(trimmed));
}
