import { beforeAll, describe, expect, it } from "vitest";
import type { DiscretisedRoi } from "../preprocess/discretise";
import { expectIbsiAgreement } from "../test-support/comparisons";
import { ibsiReferences } from "../test-support/reference-data";
import { ibsiPhantomRoi, toyRoi } from "../test-support/rois";
import { thrown } from "../test-support/thrown";
import { TEXTURE_AGGREGATIONS, type TextureAggregation } from "./neighbourhood";
import { GLCM_FEATURE_TAGS, accumulateCooccurrences, glcmFeatures, glcmMatrixFeatures } from "./glcm";
import { paddedRoi } from "./padded-roi";

let phantom: DiscretisedRoi;
beforeAll(async () => {
  phantom = await ibsiPhantomRoi();
});

describe("glcmFeatures on the IBSI-1 digital phantom", () => {
  const references = ibsiReferences().filter((r) => r.tag.startsWith("cm_"));

  it("has a reference for each of the 25 features and 6 aggregations", () => {
    expect(references).toHaveLength(GLCM_FEATURE_TAGS.length * TEXTURE_AGGREGATIONS.length);
  });

  for (const aggregation of TEXTURE_AGGREGATIONS) {
    it(`matches every IBSI reference value for ${aggregation}`, () => {
      const features = glcmFeatures(phantom, { aggregations: [aggregation] });
      const mine = references.filter((r) => r.tag.endsWith(`_${aggregation}`));
      expectIbsiAgreement(`IBSI cm ${aggregation}`, features, mine);
      expect(Object.keys(features).sort()).toEqual(mine.map((r) => r.tag).sort());
    });
  }

  it("returns all 150 tags by default, equal to the one-aggregation results", () => {
    const all = glcmFeatures(phantom);
    expect(Object.keys(all)).toHaveLength(150);
    expect(all.cm_joint_max_2_5D_avg).toBe(glcmFeatures(phantom, { aggregations: ["2_5D_avg"] }).cm_joint_max_2_5D_avg);
    expect(all.cm_joint_max_3D_comb).toBeCloseTo(0.509, 3);
  });
});

describe("accumulateCooccurrences", () => {
  it("counts each pair once per direction, both ways when symmetric", () => {
    const roi = paddedRoi(toyRoi([1, 1, 2], [3, 1, 1], 2), 1);
    const symmetric = new Float64Array(4);
    accumulateCooccurrences(roi, [[1, 0, 0]], undefined, symmetric, true);
    expect(Array.from(symmetric)).toEqual([2, 1, 1, 0]);
    const forward = new Float64Array(4);
    accumulateCooccurrences(roi, [[1, 0, 0]], undefined, forward, false);
    expect(Array.from(forward)).toEqual([1, 1, 0, 0]);
  });

  it("pairs only ROI voxels and fills one matrix per offset", () => {
    // slice 0: 1 2 / 0 3 ; slice 1: 3 0 / 0 0
    const roi = paddedRoi(toyRoi([1, 2, 0, 3, 3, 0, 0, 0], [2, 2, 2], 3), 1);
    const out = new Float64Array(3 * 9);
    accumulateCooccurrences(
      roi,
      [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      undefined,
      out,
      true,
    );
    const m = (n: number): number[] => Array.from(out.subarray(n * 9, (n + 1) * 9));
    expect(m(0)).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 0]); // (1,2) along i; (0 -> 3) is outside
    expect(m(1)).toEqual([0, 0, 0, 0, 0, 1, 0, 1, 0]); // (2,3) along j
    expect(m(2)).toEqual([0, 0, 1, 0, 0, 0, 1, 0, 0]); // (1,3) across slices
  });

  it("restricts to one slice of the padded grid", () => {
    const roi = paddedRoi(toyRoi([1, 2, 0, 3, 3, 0, 0, 0], [2, 2, 2], 3), 1);
    const out = new Float64Array(9);
    accumulateCooccurrences(roi, [[0, 1, 0]], 2, out, true); // padded slice 2 = slice 1: one voxel
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    accumulateCooccurrences(roi, [[0, 1, 0]], 1, out, true);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 1, 0, 1, 0]);
  });
});

describe("glcmMatrixFeatures", () => {
  it("computes every feature of a 2 x 2 matrix exactly", () => {
    // p = [[1/2, 1/4], [1/4, 0]]
    const f = glcmMatrixFeatures(Float64Array.from([2, 1, 1, 0]), 2)!;
    const hx = -(0.75 * Math.log2(0.75) + 0.25 * Math.log2(0.25));
    const expected: Record<string, number> = {
      cm_joint_max: 0.5,
      cm_joint_avg: 1.25,
      cm_joint_var: 0.1875,
      cm_joint_entr: 1.5,
      cm_diff_avg: 0.5,
      cm_diff_var: 0.25,
      cm_diff_entr: 1,
      cm_sum_avg: 2.5,
      cm_sum_var: 0.25,
      cm_sum_entr: 1,
      cm_energy: 0.375,
      cm_contrast: 0.5,
      cm_dissimilarity: 0.5,
      cm_inv_diff: 0.75,
      cm_inv_diff_norm: 0.5 + 0.5 / 1.5,
      cm_inv_diff_mom: 0.75,
      cm_inv_diff_mom_norm: 0.9,
      cm_inv_var: 0.5,
      cm_corr: -1 / 3,
      cm_auto_corr: 1.5,
      cm_clust_tend: 0.25,
      cm_clust_shade: 0,
      cm_clust_prom: 0.0625,
      cm_info_corr1: (1.5 - 2 * hx) / hx,
      cm_info_corr2: Math.sqrt(1 - Math.exp(-2 * (2 * hx - 1.5))),
    };
    expect(Object.keys(f)).toEqual(GLCM_FEATURE_TAGS);
    for (const [tag, value] of Object.entries(expected)) expect(f[tag], tag).toBeCloseTo(value, 14);
  });

  it("is undefined for an empty matrix and NaN where a denominator is 0", () => {
    expect(glcmMatrixFeatures(new Float64Array(4), 2)).toBeUndefined();
    const flat = glcmMatrixFeatures(Float64Array.from([0, 0, 0, 6]), 2)!;
    expect(flat.cm_joint_max).toBe(1);
    expect(flat.cm_corr).toBeNaN();
    expect(flat.cm_info_corr1).toBeNaN();
    expect(flat.cm_info_corr2).toBe(0);
  });
});

describe("glcmFeatures options and failures", () => {
  it("pairs voxels δ apart with `distance`", () => {
    const roi = toyRoi([1, 2, 1, 2], [4, 1, 1], 2);
    const only: TextureAggregation[] = ["3D_comb"];
    expect(glcmFeatures(roi, { aggregations: only }).cm_contrast_3D_comb).toBe(1);
    expect(glcmFeatures(roi, { aggregations: only, distance: 2 }).cm_contrast_3D_comb).toBe(0);
    expect(glcmFeatures(roi, { aggregations: only, distance: 3 }).cm_contrast_3D_comb).toBe(1);
  });

  it("gives NaN for aggregations without a single pair", () => {
    const single = glcmFeatures(toyRoi([0, 3, 0], [3, 1, 1], 3), { aggregations: ["2D_avg", "3D_comb"] });
    expect(Object.keys(single)).toHaveLength(50);
    expect(Object.values(single).every(Number.isNaN)).toBe(true);
  });

  it("rejects an empty ROI", () => {
    const error = thrown(() => glcmFeatures(toyRoi([0, 0, 0], [3, 1, 1], 2)));
    expect(error.code).toBe("empty-roi");
    expect(error.evidence.path).toBe("roi.levels");
  });

  it("rejects bad distances and aggregations", () => {
    const roi = toyRoi([1, 2], [2, 1, 1], 2);
    for (const distance of [0, -1, 1.5, Number.NaN]) {
      const error = thrown(() => glcmFeatures(roi, { distance }));
      expect(error.code).toBe("settings");
      expect(error.evidence.path).toBe("distance");
    }
    const unknown = thrown(() =>
      glcmFeatures(roi, { aggregations: ["3D_avg", "3D"] as unknown as TextureAggregation[] }),
    );
    expect(unknown.code).toBe("settings");
    expect(unknown.evidence.path).toBe("aggregations[1]");
    expect(unknown.message).toContain('Unknown texture aggregation "3D"');
    expect(thrown(() => glcmFeatures(roi, { aggregations: [] })).code).toBe("settings");
    expect(thrown(() => glcmFeatures(roi, { aggregations: ["3D_avg", "3D_avg"] })).evidence.path).toBe(
      "aggregations[1]",
    );
  });

  it("rejects grey levels above the ROI's number of levels", () => {
    const error = thrown(() => glcmFeatures(toyRoi([1, 7], [2, 1, 1], 6)));
    expect(error.code).toBe("settings");
    expect(error.message).toContain("Voxel (1, 0, 0) has grey level 7, outside 1..6");
  });
});
