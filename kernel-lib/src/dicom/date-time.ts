/** A DICOM date (DA, PS3.5 Table 6.2-1): calendar date without time zone. */
export interface DicomDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** `YYYY-MM-DD`. */
  readonly iso: string;
}

/** A DICOM time (TM): hours and, when present, minutes, seconds and fraction of a second. */
export interface DicomTime {
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
  /** Fraction of a second, 0 <= fraction < 1. */
  readonly fraction: number;
  /** `HH:MM:SS.ffffff`, with the precision the value had. */
  readonly iso: string;
}

/**
 * Parses a DA value `YYYYMMDD` (and the ACR-NEMA form `YYYY.MM.DD` older files hold).
 *
 * @returns The date, or `undefined` when the text is not a valid calendar date.
 * @example
 * ```ts
 * parseDicomDate("20040826")?.iso; // "2004-08-26"
 * ```
 */
export function parseDicomDate(text: string): DicomDate | undefined {
  const match = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec(text.trim());
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day)
    return undefined;
  return { year, month, day, iso: `${match[1]}-${match[2]}-${match[3]}` };
}

/**
 * Parses a TM value `HH[MM[SS[.F{1,6}]]]` (and the ACR-NEMA form `HH:MM:SS.frac`).
 *
 * @returns The time, or `undefined` when the text is not a valid time.
 * @example
 * ```ts
 * parseDicomTime("153045.25")?.iso; // "15:30:45.25"
 * ```
 */
export function parseDicomTime(text: string): DicomTime | undefined {
  const match = /^(\d{2})(?::?(\d{2})(?::?(\d{2})(?:\.(\d{1,6}))?)?)?$/.exec(text.trim());
  if (match === null) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2] ?? 0);
  const seconds = Number(match[3] ?? 0);
  if (hours > 23 || minutes > 59 || seconds > 60) return undefined;
  const fraction = match[4] === undefined ? 0 : Number(`0.${match[4]}`);
  const iso = `${match[1]}:${match[2] ?? "00"}:${match[3] ?? "00"}` + (match[4] === undefined ? "" : `.${match[4]}`);
  return { hours, minutes, seconds, fraction, iso };
}
