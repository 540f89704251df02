import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectBaselineAgreement } from "../test-support/comparisons";
import { expectSameAngleMatrices, readNpy } from "../test-support/npy";
import { PYRADIOMICS_DATA, pyradiomicsBaseline } from "../test-support/reference-data";
import { pyradiomicsRoi, toyRoi } from "../test-support/rois";
import { thrown } from "../test-support/thrown";
import { accumulateCooccurrences } from "./glcm";
import { paddedRoi } from "./padded-roi";
import { PYRADIOMICS_GLCM_FEATURES, pyradiomicsAngles, pyradiomicsGlcmFeatures } from "./pyradiomics-glcm";

describe.each(["brain1", "breast1"])("pyradiomicsGlcmFeatures on %s", (testCase) => {
  const roi = pyradiomicsRoi(testCase);

  it("agrees with pyradiomics' baseline, feature by feature, to 1e-6", () => {
    const started = performance.now();
    const features = pyradiomicsGlcmFeatures(roi);
    const ms = performance.now() - started;
    expectBaselineAgreement(
      `pyradiomics glcm ${testCase} (${ms.toFixed(1)} ms)`,
      features,
      pyradiomicsBaseline("glcm", testCase),
    );
  });

  it("builds the 13 matrices pyradiomics saved (baseline .npy)", () => {
    const saved = readNpy(path.join(PYRADIOMICS_DATA, `baseline/${testCase}_glcm.npy`));
    const padded = paddedRoi(roi, 1);
    const ng = padded.levelCount;
    expect(saved.shape).toEqual([ng, ng, 13]);
    const counts = new Float64Array(13 * ng * ng);
    accumulateCooccurrences(padded, pyradiomicsAngles([1]), undefined, counts, true);
    const ours = Array.from({ length: 13 }, (_, a) => {
      const m = counts.subarray(a * ng * ng, (a + 1) * ng * ng);
      const total = m.reduce((s, v) => s + v, 0);
      return Array.from(m, (v) => v / total);
    });
    expectSameAngleMatrices(ours, saved, (v, t) => Math.abs(v - t) < 1e-15);
  });
});

describe("pyradiomicsAngles", () => {
  it("lists one offset of each opposite pair with the requested Chebyshev norms", () => {
    expect(pyradiomicsAngles([1])).toHaveLength(13);
    expect(pyradiomicsAngles([2])).toHaveLength(49);
    const both = pyradiomicsAngles([1, 2]);
    expect(both).toHaveLength(62);
    const keys = new Set(both.map((a) => a.join(",")));
    for (const a of both) {
      expect(keys.has(a.map((v) => -v).join(","))).toBe(false);
      expect([1, 2]).toContain(Math.max(...a.map(Math.abs)));
    }
  });

  it("rejects empty or non-integer distances", () => {
    const roi = toyRoi([1, 2], [2, 1, 1], 2);
    expect(thrown(() => pyradiomicsGlcmFeatures(roi, { distances: [] })).evidence.path).toBe("distances");
    for (const d of [0, 1.5, -2]) {
      const error = thrown(() => pyradiomicsGlcmFeatures(roi, { distances: [1, d] }));
      expect(error.code).toBe("settings");
      expect(error.evidence.path).toBe("distances[1]");
    }
  });
});

describe("pyradiomicsGlcmFeatures conventions", () => {
  it("returns pyradiomics' arbitrary values for a flat region", () => {
    const f = pyradiomicsGlcmFeatures(toyRoi([2, 2, 2, 2], [2, 2, 1], 3));
    expect(Object.keys(f)).toEqual(PYRADIOMICS_GLCM_FEATURES);
    expect(f.glcm_Correlation).toBe(1);
    expect(f.glcm_Imc1).toBe(0);
    expect(f.glcm_Imc2).toBe(0);
    expect(f.glcm_MCC).toBe(1);
    expect(f.glcm_JointEnergy).toBe(1);
    expect(f.glcm_JointAverage).toBe(2);
    // Ng in Idn and Idmn is the highest grey level present (2), not the discretisation's 3
    expect(f.glcm_Idn).toBe(1);
  });

  it("counts each pair once without symmetricalGLCM, and drops angles without pairs", () => {
    const roi = toyRoi([1, 2], [2, 1, 1], 2); // one pair, along i only
    const asymmetric = pyradiomicsGlcmFeatures(roi, { symmetric: false });
    expect(asymmetric.glcm_JointAverage).toBe(1);
    expect(asymmetric.glcm_SumSquares).toBe(0);
    expect(asymmetric.glcm_Contrast).toBe(1);
    expect(asymmetric.glcm_Correlation).toBe(1);
    const symmetric = pyradiomicsGlcmFeatures(roi);
    expect(symmetric.glcm_JointAverage).toBe(1.5);
    expect(symmetric.glcm_SumSquares).toBe(0.25);
    expect(symmetric.glcm_MaximumProbability).toBe(0.5);
    expect(symmetric.glcm_Correlation).toBeCloseTo(-1, 12);
  });

  it("uses every offset at the requested distances", () => {
    const roi = toyRoi([1, 2, 1, 2], [4, 1, 1], 2);
    expect(pyradiomicsGlcmFeatures(roi).glcm_Contrast).toBe(1);
    expect(pyradiomicsGlcmFeatures(roi, { distances: [2] }).glcm_Contrast).toBe(0);
    expect(pyradiomicsGlcmFeatures(roi, { distances: [1, 2] }).glcm_Contrast).toBe(0.5);
  });

  it("rejects an empty ROI", () => {
    expect(thrown(() => pyradiomicsGlcmFeatures(toyRoi([0, 0], [2, 1, 1], 2))).code).toBe("empty-roi");
  });
});
