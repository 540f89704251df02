import { parseDicomDate, type DicomDate } from "../../dicom/date-time";

const DAY_MS = 86_400_000;

/**
 * Shifts a DA value by whole days (Retain Longitudinal Temporal Information with Modified Dates,
 * PS3.15 E.3.6): `YYYYMMDD`, the ACR-NEMA form `YYYY.MM.DD`, and query ranges `A-B`, `-B`, `A-`.
 * Whole days keep every interval and every time of day.
 *
 * @returns The shifted value, or `undefined` when the value is not a date (the caller removes it).
 * @example
 * ```ts
 * import { shiftDate } from "@radlab/kernel";
 * shiftDate("20200301", -1); // "20200229"
 * ```
 */
export function shiftDate(value: string, days: number): string | undefined {
  const text = value.trim();
  if (text === "") return "";
  if (text.includes("-")) {
    const [from = "", to = "", ...rest] = text.split("-");
    if (rest.length > 0) return undefined;
    const a = from === "" ? "" : shiftDate(from, days);
    const b = to === "" ? "" : shiftDate(to, days);
    return a === undefined || b === undefined || (a === "" && b === "") ? undefined : `${a}-${b}`;
  }
  const date = parseDicomDate(text);
  return date === undefined ? undefined : formatDate(addDays(date, days));
}

/**
 * Shifts a DT value `YYYY[MM[DD[HH[MM[SS[.F]]]]]][&ZZXX]` by whole days, keeping its precision, time
 * of day and UTC offset. A year-only or year-and-month value is shifted from its first day.
 *
 * @returns The shifted value, or `undefined` when the value is not a date-time.
 * @example
 * ```ts
 * import { shiftDateTime } from "@radlab/kernel";
 * shiftDateTime("20200301120000.5+0100", -1); // "20200229120000.5+0100"
 * ```
 */
export function shiftDateTime(value: string, days: number): string | undefined {
  const text = value.trim();
  if (text === "") return "";
  if (text.includes("-") && !/^\d+(\.\d+)?-\d{4}$/.test(text)) {
    // A range (a negative UTC offset has exactly 4 digits after the dash and nothing before it but the value).
    const parts = text.split("-");
    if (parts.length !== 2) return undefined;
    const [from = "", to = ""] = parts;
    const a = from === "" ? "" : shiftDateTime(from, days);
    const b = to === "" ? "" : shiftDateTime(to, days);
    return a === undefined || b === undefined || (a === "" && b === "") ? undefined : `${a}-${b}`;
  }
  const match = /^(\d{4})(\d{2})?(\d{2})?(\d*(?:\.\d{1,6})?)([+-]\d{4})?$/.exec(text);
  if (match === null) return undefined;
  const [, y = "", m, d, rest = "", zone = ""] = match;
  const date = parseDicomDate(`${y}${m ?? "01"}${d ?? "01"}`);
  if (date === undefined) return undefined;
  const shifted = formatDate(addDays(date, days));
  const precision = 4 + (m === undefined ? 0 : 2) + (d === undefined ? 0 : 2);
  return `${shifted.slice(0, precision)}${rest}${zone}`;
}

/**
 * The Patient's Age (AS) at a date, as PS3.5 writes it: `nnnY` from 2 years, `nnnM` from 1 month,
 * `nnnD` below; ages of 90 years and more are written `090Y` (HIPAA Safe Harbor aggregates them).
 *
 * @example
 * ```ts
 * import { ageString, parseDicomDate } from "@radlab/kernel";
 * ageString(parseDicomDate("19700615")!, parseDicomDate("20200614")!); // "049Y"
 * ```
 */
export function ageString(birth: DicomDate, at: DicomDate): string | undefined {
  const days = Math.round((utc(at) - utc(birth)) / DAY_MS);
  if (days < 0) return undefined;
  let months = (at.year - birth.year) * 12 + (at.month - birth.month);
  if (at.day < birth.day) months -= 1;
  const years = Math.floor(months / 12);
  if (years >= 90) return "090Y";
  if (years >= 2) return `${String(years).padStart(3, "0")}Y`;
  if (months >= 1) return `${String(months).padStart(3, "0")}M`;
  return `${String(Math.min(days, 999)).padStart(3, "0")}D`;
}

function utc(date: DicomDate): number {
  return Date.UTC(date.year, date.month - 1, date.day);
}

function addDays(date: DicomDate, days: number): Date {
  return new Date(utc(date) + days * DAY_MS);
}

function formatDate(date: Date): string {
  const y = date.getUTCFullYear();
  if (y < 1 || y > 9999) return "00010101";
  return `${String(y).padStart(4, "0")}${String(date.getUTCMonth() + 1).padStart(2, "0")}${String(date.getUTCDate()).padStart(2, "0")}`;
}
