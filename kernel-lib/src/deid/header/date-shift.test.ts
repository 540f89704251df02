import { describe, expect, it } from "vitest";
import { parseDicomDate } from "../../dicom/date-time";
import { ageString, shiftDate, shiftDateTime } from "./date-shift";

const d = (text: string) => {
  const date = parseDicomDate(text);
  if (date === undefined) throw new Error(text);
  return date;
};

describe("date shifting", () => {
  it("shifts DA values, ranges and the ACR-NEMA form across leap days", () => {
    expect(shiftDate("20200301", -1)).toBe("20200229");
    expect(shiftDate("2020.03.01", -366)).toBe("20190301");
    expect(shiftDate("20200101-20200131", -10)).toBe("20191222-20200121");
    expect(shiftDate("-20200131", -10)).toBe("-20200121");
    expect(shiftDate("", -10)).toBe("");
    expect(shiftDate("2020013", -10)).toBeUndefined();
    expect(shiftDate("20200230", -10)).toBeUndefined();
  });
  it("shifts DT values keeping precision, time and UTC offset", () => {
    expect(shiftDateTime("20200301120000.5+0100", -1)).toBe("20200229120000.5+0100");
    expect(shiftDateTime("20200301120000-0500", -1)).toBe("20200229120000-0500");
    expect(shiftDateTime("202003", -31)).toBe("202001");
    expect(shiftDateTime("2020", -400)).toBe("2018");
    expect(shiftDateTime("20200301-20200302", -1)).toBe("20200229-20200301");
    expect(shiftDateTime("yesterday", -1)).toBeUndefined();
  });
  it("writes ages as PS3.5 AS, aggregating 90 and over", () => {
    expect(ageString(d("19700615"), d("20200614"))).toBe("049Y");
    expect(ageString(d("19700615"), d("20200615"))).toBe("050Y");
    expect(ageString(d("20200101"), d("20211231"))).toBe("023M");
    expect(ageString(d("20200101"), d("20200120"))).toBe("019D");
    expect(ageString(d("19200101"), d("20200101"))).toBe("090Y");
    expect(ageString(d("20200102"), d("20200101"))).toBeUndefined();
  });
});
