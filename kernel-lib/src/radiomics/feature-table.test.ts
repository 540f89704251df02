import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { RADLAB_MIME } from "../display/contract/mime-types";
import type { RadiomicsProvenance } from "./extract";
import { FeatureTable, PROVENANCE_COLUMNS, type FeatureFailure, type FeatureRow } from "./feature-table";
import { testProvenance } from "./test-support/feature-rows";
import { thrown } from "./test-support/thrown";

function row(
  caseId: string,
  label: string | null,
  features: Readonly<Record<string, number>>,
  change: Partial<RadiomicsProvenance> = {},
): FeatureRow {
  return {
    caseId,
    patientId: `patient-${caseId}`,
    roi: "GTV",
    label,
    features,
    provenance: testProvenance({
      intensityVoxels: 9,
      spacing: [1, 1, 2.5],
      greyLevels: 4,
      seconds: { firstorder: 0.01 },
      ...change,
    }),
    warnings: [],
  };
}

const failure: FeatureFailure = {
  caseId: "c3",
  patientId: "patient-c3",
  roi: "GTV",
  code: "empty-roi",
  message: "The mask has no voxel",
};

describe("FeatureTable", () => {
  it("lists the features in the first row's order", () => {
    const t = new FeatureTable([row("c1", "benign", { glcm_Contrast: 2, firstorder_Mean: 1 })]);
    expect(t.featureNames).toEqual(["glcm_Contrast", "firstorder_Mean"]);
    expect(Object.isFrozen(t.featureNames)).toBe(true);
    expect(new FeatureTable([]).featureNames).toEqual([]);
  });

  it("records(): provenance columns in order, then the features", () => {
    const t = new FeatureTable([row("c1", null, { glcm_Contrast: 2, firstorder_Mean: 1 })]);
    const [record] = t.records();
    expect(Object.keys(record!)).toEqual([...PROVENANCE_COLUMNS, "glcm_Contrast", "firstorder_Mean"]);
    expect(record).toEqual({
      case_id: "c1",
      patient_id: "patient-c1",
      roi: "GTV",
      label: null,
      settings_hash: "5e771265",
      software: "@radlab/kernel 0.1.0",
      mask_voxels: 10,
      intensity_voxels: 9,
      spacing_x: 1,
      spacing_y: 1,
      spacing_z: 2.5,
      grey_levels: 4,
      glcm_Contrast: 2,
      firstorder_Mean: 1,
    });
  });

  it("toCsv(): exact text, full precision, NaN and null as empty, fields with commas and quotes quoted", () => {
    const t = new FeatureTable([
      row("p1, left", "malignant", { a: 0.1 + 0.2, 'b,"c"': Number.NaN }),
      row("p2", null, { a: -1e-12, 'b,"c"': Number.POSITIVE_INFINITY }, { software: 'radlab "dev"' }),
    ]);
    expect(t.toCsv()).toBe(
      [
        'case_id,patient_id,roi,label,settings_hash,software,mask_voxels,intensity_voxels,spacing_x,spacing_y,spacing_z,grey_levels,a,"b,""c"""',
        '"p1, left","patient-p1, left",GTV,malignant,5e771265,@radlab/kernel 0.1.0,10,9,1,1,2.5,4,0.30000000000000004,',
        'p2,patient-p2,GTV,,5e771265,"radlab ""dev""",10,9,1,1,2.5,4,-1e-12,',
        "",
      ].join("\n"),
    );
    expect(new FeatureTable([]).toCsv()).toBe(`${PROVENANCE_COLUMNS.join(",")}\n`);
  });

  it("column(): one feature's values row by row", () => {
    const t = new FeatureTable([row("c1", null, { x: 1, y: 5 }), row("c2", null, { x: 2, y: Number.NaN })]);
    expect(t.column("x")).toEqual([1, 2]);
    expect(t.column("y")).toEqual([5, Number.NaN]);
  });

  it("column(): an unknown feature is an error that suggests near names", () => {
    const t = new FeatureTable([
      row("c1", null, { firstorder_Mean: 1, firstorder_Median: 1, glcm_Contrast: 1, glcm_Idmn: 1 }),
    ]);
    const near = thrown(() => t.column("firstorder_Maen"));
    expect([near.code, near.evidence.path, near.message]).toEqual([
      "settings",
      "feature",
      'No feature named "firstorder_Maen" in this table\nHow to fix: Did you mean firstorder_Mean, firstorder_Median?',
    ]);
    expect(thrown(() => t.column("GLCM_contrast")).hint).toBe("Did you mean glcm_Contrast?");
    expect(thrown(() => t.column("shape_Sphericity")).hint).toBe(
      "The table has 4 features, for example firstorder_Mean, firstorder_Median, glcm_Contrast.",
    );
  });

  it("hash(): the canonical JSON of the records without the software column, non-finite values as null", () => {
    const t = new FeatureTable([row("c1", "benign", { a: 1.5, b: Number.NaN })]);
    const canonical =
      '[{"a":1.5,"b":null,"case_id":"c1","grey_levels":4,"intensity_voxels":9,"label":"benign","mask_voxels":10,"patient_id":"patient-c1","roi":"GTV","settings_hash":"5e771265","spacing_x":1,"spacing_y":1,"spacing_z":2.5}]';
    expect(t.hash()).toBe(createHash("sha256").update(canonical).digest("hex"));
  });

  it("hash(): the same for another software version or timing, different for any value", () => {
    const base = new FeatureTable([row("c1", "benign", { a: 1.5 })]).hash();
    expect(
      new FeatureTable([row("c1", "benign", { a: 1.5 }, { software: "@radlab/kernel 0.2.0", seconds: {} })]).hash(),
    ).toBe(base);
    const others = [
      new FeatureTable([row("c1", "benign", { a: 1.25 })]),
      new FeatureTable([row("c1", "malignant", { a: 1.5 })]),
      new FeatureTable([row("c2", "benign", { a: 1.5 })]),
      new FeatureTable([row("c1", "benign", { a: 1.5 }, { settingsHash: "0ther" })]),
      new FeatureTable([row("c1", "benign", { a: 1.5 }, { spacing: [1, 1, 3] })]),
      new FeatureTable([row("c1", "benign", { a: 1.5 }), row("c2", "benign", { a: 1.5 })]),
    ].map((t) => t.hash());
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
  });

  it("refuses rows whose feature columns differ from the first row's, in name or order", () => {
    const first = row("c1", null, { a: 1, b: 2 });
    for (const features of [{ a: 1 }, { a: 1, c: 2 }, { b: 2, a: 1 }, { a: 1, b: 2, c: 3 }]) {
      const error = thrown(() => new FeatureTable([first, row("c2", null, features)]));
      expect([error.code, error.evidence.path, error.message]).toEqual([
        "settings",
        "rows",
        "Case c2 has different feature columns from case c1\nHow to fix: Extract every case of one table with the same settings.",
      ]);
    }
  });

  it("toMimeBundle(): a radlab table of the records, captioned with the counts and the failures", () => {
    const t = new FeatureTable([row("c1", null, { a: 1, b: 2 }), row("c2", null, { a: 3, b: 4 })], [failure]);
    const bundle = t.toMimeBundle();
    expect(Object.keys(bundle.data)).toEqual([RADLAB_MIME.table, "text/html", "text/plain"]);
    const payload = bundle.data[RADLAB_MIME.table] as {
      caption: string;
      columns: { name: string }[];
      rows: unknown[][];
    };
    expect(payload.caption).toBe("2 case(s) x 2 features; 1 failed (see .failures)");
    expect(payload.columns.map((c) => c.name)).toEqual([...PROVENANCE_COLUMNS, "a", "b"]);
    expect(payload.rows.map((r) => [r[0], r.at(-2), r.at(-1)])).toEqual([
      ["c1", 1, 2],
      ["c2", 3, 4],
    ]);
    expect(String(bundle.data["text/plain"]).split("\n")[0]).toBe("2 case(s) x 2 features; 1 failed (see .failures)");
    expect(
      (new FeatureTable([row("c1", null, { a: 1 })]).toMimeBundle().data[RADLAB_MIME.table] as { caption: string })
        .caption,
    ).toBe("1 case(s) x 1 features");
    expect(t.failures).toEqual([failure]);
  });
});
