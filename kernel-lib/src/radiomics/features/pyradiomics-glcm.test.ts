import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Triple } from "../image/volume";
import { readNrrd } from "../image/nrrd";
import { maskFromLabel } from "../image/mask";
import { discretise, type DiscretisedRoi } from "../preprocess/discretise";
import { RadiomicsError } from "../radiomics-error";
import { PYRADIOMICS_DATA, pyradiomicsBaseline } from "../test-support/reference-data";
import { accumulateCooccurrences } from "./glcm";
import { readNpy } from "./npy-fixture";
import { paddedRoi } from "./padded-roi";
import { PYRADIOMICS_GLCM_FEATURES, pyradiomicsAngles, pyradiomicsGlcmFeatures } from "./pyradiomics-glcm";

function toyRoi(levels: readonly number[], dims: Triple, levelCount: number): DiscretisedRoi {
  return {
    dims,
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    levels: Int32Array.from(levels),
    levelCount,
    lowerEdge: 1,
    binWidth: 1,
  };
}

function pyradiomicsRoi(testCase: string): DiscretisedRoi {
  const image = readNrrd(path.join(PYRADIOMICS_DATA, `${testCase}_image.nrrd`));
  const mask = maskFromLabel(readNrrd(path.join(PYRADIOMICS_DATA, `${testCase}_label.nrrd`)), 1);
  return discretise(image, mask, { kind: "pyradiomics-bin-width", binWidth: 25 });
}

function thrown(f: () => unknown): RadiomicsError {
  try {
    f();
  } catch (error) {
    if (error instanceof RadiomicsError) return error;
    throw error;
  }
  throw new Error("expected a RadiomicsError");
}

describe.each(["brain1", "breast1"])("pyradiomicsGlcmFeatures on %s", (testCase) => {
  const roi = pyradiomicsRoi(testCase);

  it("agrees with pyradiomics' baseline, feature by feature, to 1e-6", () => {
    const baseline = pyradiomicsBaseline("glcm", testCase);
    const started = performance.now();
    const features = pyradiomicsGlcmFeatures(roi);
    const ms = performance.now() - started;
    expect(Object.keys(features).sort()).toEqual([...baseline.keys()].sort());
    let worst = { name: "", relative: 0 };
    const off: string[] = [];
    for (const [name, expected] of baseline) {
      const relative = Math.abs(features[name]! - expected) / Math.abs(expected);
      if (!(relative <= worst.relative)) worst = { name, relative };
      if (!(relative <= 1e-6)) off.push(`${name}: ${features[name]} vs ${expected}`);
    }
    console.log(
      `pyradiomics glcm ${testCase}: ${baseline.size - off.length} of ${baseline.size} agree; worst ${worst.name} ${worst.relative.toExponential(2)}; ${ms.toFixed(1)} ms`,
    );
    expect(off).toEqual([]);
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
    const unmatched = new Set(ours.keys());
    for (let a = 0; a < 13; a++) {
      const theirs = Array.from({ length: ng * ng }, (_, n) => saved.data[n * 13 + a]!);
      const match = [...unmatched].find((o) => ours[o]!.every((v, n) => Math.abs(v - theirs[n]!) < 1e-15));
      expect(match, `pyradiomics angle ${a}`).toBeDefined();
      unmatched.delete(match!);
    }
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
