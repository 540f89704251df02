import { beforeAll, describe, expect, it } from "vitest";
import type { DiscretisedRoi } from "../preprocess/discretise";
import { expectIbsiAgreement } from "../test-support/comparisons";
import { ibsiReferences } from "../test-support/reference-data";
import { ibsiPhantomRoi, toyRoi } from "../test-support/rois";
import { thrown } from "../test-support/thrown";
import { DIRECTIONS_2D, TEXTURE_AGGREGATIONS, type TextureAggregation } from "./neighbourhood";
import { GLRLM_FEATURE_TAGS, accumulateRuns, glrlmFeatures, glrlmMatrixFeatures, longestPossibleRun } from "./glrlm";
import { paddedRoi } from "./padded-roi";

let phantom: DiscretisedRoi;
beforeAll(async () => {
  phantom = await ibsiPhantomRoi();
});

describe("glrlmFeatures on the IBSI-1 digital phantom", () => {
  const references = ibsiReferences().filter((r) => r.tag.startsWith("rlm_"));

  it("has a reference for each of the 16 features and 6 aggregations", () => {
    expect(references).toHaveLength(GLRLM_FEATURE_TAGS.length * TEXTURE_AGGREGATIONS.length);
  });

  for (const aggregation of TEXTURE_AGGREGATIONS) {
    it(`matches every IBSI reference value for ${aggregation}`, () => {
      const features = glrlmFeatures(phantom, { aggregations: [aggregation] });
      const mine = references.filter((r) => r.tag.endsWith(`_${aggregation}`));
      expectIbsiAgreement(`IBSI rlm ${aggregation}`, features, mine);
      expect(Object.keys(features).sort()).toEqual(mine.map((r) => r.tag).sort());
    });
  }

  it("returns all 96 tags by default", () => {
    const all = glrlmFeatures(phantom);
    expect(Object.keys(all)).toHaveLength(96);
    expect(all.rlm_sre_3D_comb).toBe(glrlmFeatures(phantom, { aggregations: ["3D_comb"] }).rlm_sre_3D_comb);
  });
});

describe("accumulateRuns", () => {
  // j = 0: 1 1 0
  // j = 1: 1 2 2
  const roi = paddedRoi(toyRoi([1, 1, 0, 1, 2, 2], [3, 2, 1], 2), 1);

  it("finds the runs of each in-slice direction, broken by other levels and the ROI border", () => {
    expect(longestPossibleRun(roi)).toBe(3);
    const out = new Float64Array(4 * 6);
    accumulateRuns(roi, DIRECTIONS_2D, undefined, out, 3);
    const m = (n: number): number[] => Array.from(out.subarray(n * 6, (n + 1) * 6));
    // rows: level 1, level 2; columns: run length 1, 2, 3
    expect(m(0)).toEqual([1, 1, 0, 0, 1, 0]); // (1, 0, 0)
    expect(m(1)).toEqual([3, 0, 0, 2, 0, 0]); // (1, 1, 0)
    expect(m(2)).toEqual([1, 1, 0, 2, 0, 0]); // (0, 1, 0)
    expect(m(3)).toEqual([1, 1, 0, 2, 0, 0]); // (-1, 1, 0)
  });

  it("counts every ROI voxel once per direction", () => {
    const out = new Float64Array(6);
    accumulateRuns(roi, [[0, 0, 1]], undefined, out, 3);
    expect(Array.from(out)).toEqual([3, 0, 0, 2, 0, 0]);
  });
});

describe("glrlmMatrixFeatures", () => {
  it("computes every feature of a small matrix exactly", () => {
    // runs: level 1 of length 1 and 2, level 2 of length 2 (3 runs, 5 voxels)
    const f = glrlmMatrixFeatures(Float64Array.from([1, 1, 0, 0, 1, 0]), 2, 3)!;
    const expected: Record<string, number> = {
      rlm_sre: 0.5,
      rlm_lre: 3,
      rlm_lgre: 0.75,
      rlm_hgre: 2,
      rlm_srlge: 0.4375,
      rlm_srhge: 0.75,
      rlm_lrlge: 2,
      rlm_lrhge: 7,
      rlm_glnu: 5 / 3,
      rlm_glnu_norm: 5 / 9,
      rlm_rlnu: 5 / 3,
      rlm_rlnu_norm: 5 / 9,
      rlm_r_perc: 0.6,
      rlm_gl_var: 2 / 9,
      rlm_rl_var: 2 / 9,
      rlm_rl_entr: Math.log2(3),
    };
    expect(Object.keys(f)).toEqual(GLRLM_FEATURE_TAGS);
    for (const [tag, value] of Object.entries(expected)) expect(f[tag], tag).toBeCloseTo(value, 14);
  });

  it("is undefined for an empty matrix", () => {
    expect(glrlmMatrixFeatures(new Float64Array(6), 2, 3)).toBeUndefined();
  });
});

describe("glrlmFeatures failures", () => {
  it("rejects an empty ROI", () => {
    expect(thrown(() => glrlmFeatures(toyRoi([0, 0], [2, 1, 1], 2))).code).toBe("empty-roi");
  });

  it("rejects unknown aggregations and grey levels above the ROI's number of levels", () => {
    const roi = toyRoi([1, 2], [2, 1, 1], 2);
    const unknown = thrown(() => glrlmFeatures(roi, { aggregations: ["2.5D_avg"] as unknown as TextureAggregation[] }));
    expect(unknown.code).toBe("settings");
    expect(unknown.evidence.path).toBe("aggregations[0]");
    const high = thrown(() => glrlmFeatures(toyRoi([1, 3], [2, 1, 1], 2)));
    expect(high.code).toBe("settings");
    expect(high.evidence.path).toBe("roi.levels");
  });
});
