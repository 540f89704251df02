import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDicom, readDicomFile } from "../../dicom/read";
import { writeDicom } from "../../dicom/write";
import { decodeFrame } from "../../dicom/pixels/decode-frame";
import { EXPLICIT_VR_LITTLE_ENDIAN } from "../../dicom/transfer-syntax";
import type { DicomDataset } from "../../dicom/dataset";
import { cleanBurnedInPhi } from "./clean-burned-in-phi";
import { findTextPhi } from "./find-text-phi";
import { frameToGrey } from "./frame-to-grey";
import { createOcrPool, type OcrPool } from "./ocr-pool";
import type { TextReader } from "./ocr-types";
import { phiValuesFromHeader } from "./screen-phi-values";
import { readImageText } from "./read-frame-text";
import { coveredFraction, maskedOutside, presidioCases, readCine, ULTRASOUNDS } from "./test-support/burned-in-data";

// One pool for the file: creating a worker loads 10 MB of language data.
let pool: OcrPool;
beforeAll(async () => {
  pool = await createOcrPool({ workers: 2 });
}, 120_000);
afterAll(async () => {
  await pool.terminate();
});

/** Every token of the PHI burned into the deid-data ultrasounds (README of the data set) plus the header's. */
const BURNED_US_PHI: Record<string, readonly string[]> = {
  "GREYSCALE_IMAGE.dcm": ["ZZZ", "PATIENTFI", "00079241539", "08/29/1951", "CLEVELAN", "03/02/2017", "05:24:57PM"],
  "RGB_IMAGE.dcm": ["ZZZDOWNTIME", "MARY", "00047431395", "CLEVELAND", "8:48:26", "4/14/2020", "120907058"],
};

async function ocrText(ds: DicomDataset, frame = 0): Promise<string> {
  const lines = await readImageText(pool, frameToGrey(await decodeFrame(ds, frame)));
  return lines.map((l) => l.text).join("\n");
}

describe("presidio images with synthetic PHI and ground-truth word boxes", () => {
  it("masks every ground-truth PHI box and measures the area masked outside them", async () => {
    const cases = presidioCases();
    // CT and CR banners do not set Burned In Annotation: scan them on request.
    const results = await Promise.all(cases.map((c) => cleanBurnedInPhi(c.ds, { reader: pool, scan: "always" })));
    let covered = 0;
    let truthBoxes = 0;
    let outside = 0;
    let masked = 0;
    const missed: string[] = [];
    cases.forEach((c, i) => {
      const result = results[i];
      expect(result?.verdict, `${c.name}: ${result?.reason}`).toBe("masked");
      const masks = (result?.boxes ?? []).map((b) => b.box);
      for (const t of c.truth) {
        truthBoxes++;
        // A box counts as covered when at least 90% of its area is masked (ground-truth boxes
        // include the space around the glyphs).
        if (coveredFraction(t.box, masks) >= 0.9) covered++;
        else missed.push(`${c.name} ${t.label} ${coveredFraction(t.box, masks).toFixed(2)}`);
      }
      const area = maskedOutside(
        masks,
        c.truth.map((t) => t.box),
        c.ds.numberOrThrow("Columns"),
        c.ds.numberOrThrow("Rows"),
      );
      outside += area.outside;
      masked += area.masked;
    });
    console.info(
      `presidio: ${covered}/${truthBoxes} PHI boxes covered; ${outside} of ${masked} masked pixels (${((100 * outside) / masked).toFixed(1)}%) outside the PHI boxes`,
    );
    expect(missed).toEqual([]);
    expect(truthBoxes).toBe(19);
    expect(covered).toBe(19);
    // Measured: 40.7% of the masked pixels lie outside the ground-truth word boxes (the margins
    // around each run of words, and two false findings in image content).
    expect(outside / masked).toBeLessThanOrEqual(0.41);
  }, 120_000);
});

describe("deid-data ultrasounds (test-patient PHI burned in)", () => {
  // RGB_IMAGE.dcm cannot be written back by writeDicom: dcmjs refuses its 25-character CS value
  // "US CHEST WALL/SOFT TISSUE" (the limit is 16), a fault of the file's header, not of its pixels.
  // Its output is checked in memory; GREYSCALE_IMAGE.dcm goes through a write and a read.
  for (const [file, roundTrip] of [
    ["GREYSCALE_IMAGE.dcm", true],
    ["RGB_IMAGE.dcm", false],
  ] as const) {
    it(`${file}: masks, writes uncompressed, and OCR of the output finds no original PHI`, async () => {
      const original = readDicomFile(path.join(ULTRASOUNDS, file));
      const before = Buffer.from(original.bytes("PixelData") ?? new Uint8Array(0)).toString("base64");
      const result = await cleanBurnedInPhi(original, { reader: pool });
      expect(result.verdict, result.reason).toBe("masked");
      expect(result.findings.some((f) => f.rule === "region-template")).toBe(true);
      // The burned MRN differs from (0010,0020) Patient ID: only the pattern rule finds it.
      expect(result.findings.some((f) => f.rule === "long-number")).toBe(true);
      const masked = result.dataset as DicomDataset;
      const output = roundTrip ? readDicom(writeDicom(masked)) : masked;
      expect(output.transferSyntaxUid).toBe(EXPLICIT_VR_LITTLE_ENDIAN);
      expect(output.string("BurnedInAnnotation")).toBe("NO");
      expect(original.string("BurnedInAnnotation")).toBe(file === "GREYSCALE_IMAGE.dcm" ? "YES" : undefined);
      // The input was not modified.
      expect(Buffer.from(original.bytes("PixelData") ?? new Uint8Array(0)).toString("base64")).toBe(before);
      const text = (await ocrText(output)).toUpperCase();
      for (const token of BURNED_US_PHI[file] ?? []) expect(text).not.toContain(token);
      const again = findTextPhi(await readImageText(pool, frameToGrey(await decodeFrame(output, 0))), {
        phiValues: phiValuesFromHeader(original),
      });
      expect(again).toEqual([]);
    }, 60_000);
  }

  it("masks every frame of the 27-frame GREYSCALE_CINE", async () => {
    const cine = readCine();
    expect(cine.number("NumberOfFrames")).toBe(27);
    const result = await cleanBurnedInPhi(cine, { reader: pool });
    expect(result.verdict, result.reason).toBe("masked");
    expect(new Set(result.boxes.map((b) => b.frame)).size).toBe(27);
    const output = result.dataset as DicomDataset;
    expect(output.number("NumberOfFrames")).toBe(27);
    for (const frame of [0, 13, 26]) {
      const text = (await ocrText(output, frame)).toUpperCase();
      for (const token of ["ZZZ", "PATIENTFI", "08/29/1951"]) expect(text).not.toContain(token);
    }
  }, 150_000);

  it("dry run: returns boxes and before/after PNG previews, and no dataset", async () => {
    const result = await cleanBurnedInPhi(readDicomFile(path.join(ULTRASOUNDS, "RGB_IMAGE.dcm")), {
      reader: pool,
      dryRun: true,
    });
    expect(result.verdict).toBe("masked");
    expect(result.dataset).toBeUndefined();
    expect(result.previews?.map((p) => p.frame)).toEqual([0]);
    const png = [0x89, 0x50, 0x4e, 0x47];
    expect([...(result.previews?.[0]?.before.subarray(0, 4) ?? [])]).toEqual(png);
    expect([...(result.previews?.[0]?.after.subarray(0, 4) ?? [])]).toEqual(png);
    expect(result.previews?.[0]?.before).not.toEqual(result.previews?.[0]?.after);
  }, 60_000);
});

describe("quarantine", () => {
  const greyscale = () => readDicomFile(path.join(ULTRASOUNDS, "GREYSCALE_IMAGE.dcm"));

  it("quarantines planted PHI that masking cannot remove (a reader that always sees it)", async () => {
    const stubborn: TextReader = {
      read: async () => [
        {
          text: "DOB 08/29/1951",
          box: { left: 900, top: 900, width: 200, height: 20 },
          words: [
            { text: "DOB", confidence: 95, box: { left: 900, top: 900, width: 60, height: 20 } },
            { text: "08/29/1951", confidence: 95, box: { left: 980, top: 900, width: 120, height: 20 } },
          ],
        },
      ],
    };
    const result = await cleanBurnedInPhi(greyscale(), { reader: stubborn, templates: [] });
    expect(result.verdict).toBe("quarantine");
    expect(result.dataset).toBeUndefined();
    expect(result.residual.map((f) => [f.text, f.rule])).toEqual([["08/29/1951", "header-value"]]);
    expect(result.reason).toBe(
      '1 finding(s) (header-value 1) masked in 1 of 1 frame(s), but reading the masked pixels still found 1 PHI finding(s): "08/29/1951" in frame 0 (header-value: matches (0010,0030) Patient\'s Birth Date "08/29/1951" (exact))',
    );
  });

  it("quarantines when OCR fails, with the error as the reason", async () => {
    const broken: TextReader = {
      read: () => Promise.reject(new Error("worker crashed")),
    };
    const result = await cleanBurnedInPhi(greyscale(), { reader: broken });
    expect(result).toMatchObject({
      verdict: "quarantine",
      reason: "burned-in text could not be checked: worker crashed",
    });
  });
});
