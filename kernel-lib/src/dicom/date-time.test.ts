import { describe, expect, it } from "vitest";
import { parseDicomDate, parseDicomTime } from "./date-time";

describe("DA and TM values (PS3.5 Table 6.2-1)", () => {
  it("parses dates, including the old dotted form, and refuses impossible ones", () => {
    expect(parseDicomDate("20040826")).toEqual({ year: 2004, month: 8, day: 26, iso: "2004-08-26" });
    expect(parseDicomDate("1993.08.22")?.iso).toBe("1993-08-22");
    expect(parseDicomDate("20230229")).toBeUndefined();
    expect(parseDicomDate("2004082")).toBeUndefined();
    expect(parseDicomDate("")).toBeUndefined();
  });

  it("parses times of every precision and refuses out-of-range ones", () => {
    expect(parseDicomTime("07")).toEqual({ hours: 7, minutes: 0, seconds: 0, fraction: 0, iso: "07:00:00" });
    expect(parseDicomTime("153045.25")).toEqual({
      hours: 15,
      minutes: 30,
      seconds: 45,
      fraction: 0.25,
      iso: "15:30:45.25",
    });
    expect(parseDicomTime("10:20:30.000001")?.fraction).toBe(0.000001);
    expect(parseDicomTime("2460")).toBeUndefined();
    expect(parseDicomTime("12345")).toBeUndefined();
  });
});
