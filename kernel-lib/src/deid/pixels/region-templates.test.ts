import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { readDicomFile } from "../../dicom/read";
import { needsBurnedInScan } from "./burned-in-selection";
import { PixelDeidError } from "./pixel-deid-error";
import { matchRegionTemplates, validateRegionTemplates, type RegionTemplate } from "./region-templates";
import { REGION_TEMPLATES, SKIPPED_REGION_RULES } from "./region-templates.generated";
import { pngDataset, PRESIDIO, ULTRASOUNDS } from "./test-support/burned-in-data";

describe("region templates generated from pydicom/deid", () => {
  it("are all valid, and every skipped rule says why", () => {
    expect(validateRegionTemplates(REGION_TEMPLATES)).toBe(REGION_TEMPLATES);
    expect(REGION_TEMPLATES.length).toBe(102);
    expect(SKIPPED_REGION_RULES.map((r) => r.reason)).toEqual([
      "flags only: no coordinates",
      "flags only: no coordinates",
      "flags only: no coordinates",
      'unknown attribute keyword "Manfacturer" (misspelt in the source), so the rule can never match',
      'unknown attribute keyword "Manfacturer" (misspelt in the source), so the rule can never match',
      'unknown attribute keyword "Manufacture" (misspelt in the source), so the rule can never match',
      "flags only: no coordinates",
    ]);
  });

  it("select the Siemens S2000 and Philips EPIQ ultrasounds by manufacturer, model, rows and columns", () => {
    const rgb = matchRegionTemplates(readDicomFile(path.join(ULTRASOUNDS, "RGB_IMAGE.dcm")), REGION_TEMPLATES);
    expect(rgb.map((m) => [m.template.label, m.boxes])).toEqual([
      ["SIEMMENS (CTP)", [{ left: 0, top: 0, width: 1024, height: 60 }]],
    ]);
    expect(rgb[0]?.reason).toBe(
      'template "SIEMMENS (CTP)" (deid.dicom line 140): (0008,0060) Modality contains "US" and (0008,0070) Manufacturer contains "SIEMENS" and (0008,1090) Manufacturer\'s Model Name contains "S2000" and (0028,0010) Rows equals "768" and (0028,0011) Columns equals "1024"',
    );
    const grey = matchRegionTemplates(readDicomFile(path.join(ULTRASOUNDS, "GREYSCALE_IMAGE.dcm")), REGION_TEMPLATES);
    expect(grey.map((m) => m.template.label)).toEqual(["EPIQ 7G (CTP)"]);
    const ct = readDicomFile(path.join(PRESIDIO, "docs/samples/python/sample_data/2_ORIGINAL.dcm"));
    expect(matchRegionTemplates(ct, REGION_TEMPLATES)).toEqual([]);
  });

  it("reject a misspelt keyword (fail closed)", () => {
    const bad = [
      {
        label: "typo",
        source: "test",
        conditions: [{ join: null, test: "contains", keyword: "Manfacturer", value: "X" }],
        boxes: [],
      },
    ] as unknown as RegionTemplate[];
    expect(() => validateRegionTemplates(bad)).toThrow(PixelDeidError);
    expect(() => validateRegionTemplates(bad)).toThrow(
      'Region template "typo" (test): "Manfacturer" is not a DICOM keyword.\nHow to fix: Spell the attribute as in PS3.6 (for example ManufacturerModelName).',
    );
  });
});

describe("needsBurnedInScan", () => {
  it("scans YES, and absent on text-burning modalities; trusts NO and other modalities", () => {
    expect(needsBurnedInScan(readDicomFile(path.join(ULTRASOUNDS, "GREYSCALE_IMAGE.dcm")))).toEqual({
      scan: true,
      reason: "(0028,0301) Burned In Annotation is YES",
    });
    expect(needsBurnedInScan(readDicomFile(path.join(ULTRASOUNDS, "RGB_IMAGE.dcm")))).toEqual({
      scan: true,
      reason: "(0028,0301) Burned In Annotation is absent on a modality US, which burns text",
    });
    const png = pngDataset(path.join(PRESIDIO, "presidio-image-redactor/tests/test_data/png_images/2_ORIGINAL.png"));
    expect(needsBurnedInScan(png).scan).toBe(true);
    expect(
      needsBurnedInScan(readDicomFile(path.join(PRESIDIO, "docs/samples/python/sample_data/2_ORIGINAL.dcm"))),
    ).toEqual({
      scan: false,
      reason: "(0028,0301) Burned In Annotation is absent and modality CT does not burn text",
    });
    expect(
      needsBurnedInScan(
        readDicomFile(path.join(PRESIDIO, "presidio-image-redactor/tests/test_data/0_ORIGINAL_no_pixels.dcm")),
      ),
    ).toEqual({ scan: false, reason: "no pixel data (7FE0,0010)" });
  });
});
