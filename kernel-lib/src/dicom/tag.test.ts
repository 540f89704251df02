import { describe, expect, it } from "vitest";
import { RadlabError } from "../core/radlab-error";
import { lookupKeyword, lookupTag } from "./dictionary/dictionary";
import { closestKeywords, formatTag, parseTagString, tagHex, toTag, type TagInput } from "./tag";

describe("toTag", () => {
  it("accepts a number, a group/element pair and a keyword, all to the same tag", () => {
    expect(toTag(0x00100010)).toBe(0x00100010);
    expect(toTag([0x0010, 0x0010])).toBe(0x00100010);
    expect(toTag("PatientName")).toBe(0x00100010);
    expect(toTag("PixelData")).toBe(0x7fe00010);
    expect(toTag([0xfffe, 0xe000])).toBe(0xfffee000);
  });

  it("rejects a misspelt keyword at run time, with suggestions (and at compile time for literals)", () => {
    // @ts-expect-error: a misspelt keyword does not compile.
    const misspelt: TagInput = "PatientsName";
    expect(() => toTag(misspelt)).toThrow(RadlabError);
    expect(() => toTag(misspelt)).toThrow(
      '"PatientsName" is not a DICOM keyword (PS3.6).\nHow to fix: Did you mean "PatientName", "PatientState", "PatientAge"? Keywords are case-sensitive.',
    );
    // dcmjs's anonymiser silently skips names like these: here they fail.
    for (const bad of ["RefStudySeq", "ReasonforStudy", "patientName"]) {
      expect(() => toTag(bad as TagInput)).toThrow(/is not a DICOM keyword/);
    }
    expect(closestKeywords("ReasonforStudy", 1)).toEqual(["ReasonForStudy"]);
  });

  it("rejects numbers that are not 32-bit tags", () => {
    expect(() => toTag(-1)).toThrow("-1 is not a DICOM tag");
    expect(() => toTag([0x10000, 0])).toThrow("is not a DICOM tag (expected two numbers 0x0000-0xFFFF)");
  });
});

describe("formatTag and friends", () => {
  it("names tags the way messages do", () => {
    expect(formatTag("TransferSyntaxUID")).toBe("(0002,0010) Transfer Syntax UID");
    expect(formatTag(0x00091001)).toBe("(0009,1001) private");
    expect(formatTag(0x60023000)).toBe("(6002,3000) Overlay Data");
    expect(formatTag(0x00080002)).toBe("(0008,0002)");
    expect(tagHex(0x0008_0018)).toBe("00080018");
    expect(parseTagString("(7FE0,0010)")).toBe(0x7fe00010);
    expect(parseTagString("0010,0020")).toBe(0x00100020);
    expect(parseTagString("PatientID")).toBeUndefined();
  });
});

describe("the dictionary (PS3.6)", () => {
  it("holds every keyword of the standard's table with its VRs and VM", () => {
    expect(lookupKeyword("PatientName")).toEqual({
      tag: 0x00100010,
      keyword: "PatientName",
      vr: ["PN"],
      vm: "1",
      name: "Patient's Name",
      retired: false,
      mask: 0xffffffff,
    });
    expect(lookupKeyword("SmallestImagePixelValue")?.vr).toEqual(["US", "SS"]);
    expect(lookupKeyword("OverlayData")).toMatchObject({ tag: 0x60003000, mask: 0xff00ffff, vr: ["OB", "OW"] });
    expect(lookupTag(0x601e3000)?.keyword).toBe("OverlayData");
    expect(lookupTag(0x50003000)?.keyword).toBe("CurveData");
    expect(lookupTag(0x00091001)).toBeUndefined();
  });
});
