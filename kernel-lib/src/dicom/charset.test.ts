import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { decodeIso2022 } from "./charset";
import { readDicomFile } from "./read";
import { DICOM_DATA, inventory } from "./test-support/corpus";

const charsetFile = (name: string) => path.join(DICOM_DATA, "pydicom", "charset_files", name);

describe("Specific Character Set (0008,0005)", () => {
  it("decodes the patient name of every charset file as the inventory (pydicom) gives it", () => {
    const rows = [...inventory().values()].filter((r) => r.path.startsWith("pydicom/charset_files/"));
    const names: Record<string, string> = {
      "chrArab.dcm": "قباني^لنزار",
      "chrFren.dcm": "Buc^Jérôme",
      "chrFrenMulti.dcm": "Buc^Jérôme",
      "chrGerm.dcm": "Äneas^Rüdiger",
      "chrGreek.dcm": "Διονυσιος",
      "chrH31.dcm": "Yamada^Tarou=山田^太郎=やまだ^たろう",
      "chrH32.dcm": "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう",
      "chrHbrw.dcm": "שרון^דבורה",
      "chrI2.dcm": "Hong^Gildong=洪^吉洞=홍^길동",
      "chrJapMulti.dcm": "やまだ^たろう",
      "chrJapMultiExplicitIR6.dcm": "やまだ^たろう",
      "chrKoreanMulti.dcm": "김희중",
      "chrRuss.dcm": "Люкceмбypг",
      "chrX1.dcm": "Wang^XiaoDong=王^小東",
      "chrX2.dcm": "Wang^XiaoDong=王^小东",
    };
    expect(rows.length).toBe(17);
    for (const [file, name] of Object.entries(names)) {
      const pn = readDicomFile(charsetFile(file)).personName("PatientName");
      const full = [pn?.alphabetic, pn?.ideographic, pn?.phonetic].join("=").replace(/=+$/, "");
      expect(`${file}: ${full}`).toBe(`${file}: ${name}`);
    }
  });

  it("decodes each ISO 2022 segment by its escape sequence", () => {
    expect(decodeIso2022("\u001b$B;3ED\u001b(B^\u001b$BB@O:\u001b(B")).toBe("山田^太郎");
    expect(decodeIso2022("plain")).toBe("plain");
  });
});
