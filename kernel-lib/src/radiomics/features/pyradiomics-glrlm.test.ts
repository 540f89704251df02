import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectBaselineAgreement } from "../test-support/comparisons";
import { expectSameAngleMatrices, readNpy } from "../test-support/npy";
import { PYRADIOMICS_DATA, pyradiomicsBaseline } from "../test-support/reference-data";
import { pyradiomicsRoi, toyRoi } from "../test-support/rois";
import { thrown } from "../test-support/thrown";
import { accumulateRuns, glrlmFeatures, longestPossibleRun } from "./glrlm";
import { DIRECTIONS_3D } from "./neighbourhood";
import { paddedRoi } from "./padded-roi";
import { PYRADIOMICS_GLRLM_FEATURES, pyradiomicsGlrlmFeatures } from "./pyradiomics-glrlm";

describe.each(["brain1", "breast1"])("pyradiomicsGlrlmFeatures on %s", (testCase) => {
  const roi = pyradiomicsRoi(testCase);

  it("agrees with pyradiomics' baseline, feature by feature, to 1e-6", () => {
    const started = performance.now();
    const features = pyradiomicsGlrlmFeatures(roi);
    const ms = performance.now() - started;
    expectBaselineAgreement(
      `pyradiomics glrlm ${testCase} (${ms.toFixed(1)} ms)`,
      features,
      pyradiomicsBaseline("glrlm", testCase),
    );
  });

  it("builds the 13 run length matrices pyradiomics saved (baseline .npy)", () => {
    // pyradiomics saved its matrices after deleting the run lengths that occur at no angle.
    const saved = readNpy(path.join(PYRADIOMICS_DATA, `baseline/${testCase}_glrlm.npy`));
    const padded = paddedRoi(roi, 1);
    const ng = padded.levelCount;
    const maxRun = longestPossibleRun(padded);
    const counts = new Float64Array(13 * ng * maxRun);
    accumulateRuns(padded, DIRECTIONS_3D, undefined, counts, maxRun);
    const lengths = Array.from({ length: maxRun }, (_, l) => l).filter((l) =>
      counts.some((v, n) => v !== 0 && n % maxRun === l),
    );
    expect(saved.shape).toEqual([ng, lengths.length, 13]);
    const ours = Array.from({ length: 13 }, (_, a) =>
      Array.from({ length: ng }, (_, i) => lengths.map((l) => counts[a * ng * maxRun + i * maxRun + l]!)).flat(),
    );
    expectSameAngleMatrices(ours, saved, (v, t) => v === t);
  });
});

describe("pyradiomicsGlrlmFeatures conventions", () => {
  it("drops the angles along which no line holds two ROI voxels", () => {
    // k = 0: 1 1 ; k = 1: 0 0 ; k = 2: 2 0. Kept: (1, 0, 0) with runs {1: length 2, 2: length 1},
    // and (0, 0, 1), whose line through i = 0 holds two voxels (3 runs of length 1). The other 11
    // angles hold one voxel per line and are dropped.
    const f = pyradiomicsGlrlmFeatures(toyRoi([1, 1, 0, 0, 2, 0], [2, 1, 3], 2));
    expect(Object.keys(f)).toEqual(PYRADIOMICS_GLRLM_FEATURES);
    expect(f.glrlm_ShortRunEmphasis).toBe((0.625 + 1) / 2);
    expect(f.glrlm_RunPercentage).toBeCloseTo((2 / 3 + 1) / 2, 15);
  });

  it("averages the 4 in-slice angles for a single-slice ROI (IBSI 2D_avg of that slice)", () => {
    const levels = [1, 2, 2, 3, 1, 1, 2, 3, 3, 3, 1, 2];
    const roi = toyRoi(levels, [4, 3, 1], 3);
    const f = pyradiomicsGlrlmFeatures(roi);
    const ibsi = glrlmFeatures(roi, { aggregations: ["2D_avg"] });
    expect(f.glrlm_ShortRunEmphasis).toBeCloseTo(ibsi.rlm_sre_2D_avg!, 14);
    expect(f.glrlm_GrayLevelVariance).toBeCloseTo(ibsi.rlm_gl_var_2D_avg!, 14);
    expect(f.glrlm_RunEntropy).toBeCloseTo(ibsi.rlm_rl_entr_2D_avg!, 14);
  });

  it("rejects an empty ROI", () => {
    expect(thrown(() => pyradiomicsGlrlmFeatures(toyRoi([0, 0], [2, 1, 1], 2))).code).toBe("empty-roi");
  });
});
