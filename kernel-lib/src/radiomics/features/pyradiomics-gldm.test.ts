import path from "node:path";
import { describe, expect, it } from "vitest";
import { readNrrd } from "../image/nrrd";
import { maskFromLabel } from "../image/mask";
import { discretise, type DiscretisedRoi } from "../preprocess/discretise";
import { PYRADIOMICS_DATA, pyradiomicsBaseline } from "../test-support/reference-data";
import { pyradiomicsGldmFeatures } from "./pyradiomics-gldm";

function pyradiomicsRoi(testCase: string): DiscretisedRoi {
  const image = readNrrd(path.join(PYRADIOMICS_DATA, `${testCase}_image.nrrd`));
  const mask = maskFromLabel(readNrrd(path.join(PYRADIOMICS_DATA, `${testCase}_label.nrrd`)), 1);
  return discretise(image, mask, { kind: "pyradiomics-bin-width", binWidth: 25 });
}

/** |a - b| / |b| (|a - b| when b is 0). */
function relativeError(actual: number, expected: number): number {
  const difference = Math.abs(actual - expected);
  return expected === 0 ? difference : difference / Math.abs(expected);
}

describe("pyradiomicsGldmFeatures against pyradiomics' baseline", () => {
  for (const testCase of ["brain1", "breast1"]) {
    it(`agrees feature by feature on ${testCase} (relative 1e-6)`, () => {
      const features = pyradiomicsGldmFeatures(pyradiomicsRoi(testCase));
      const baseline = pyradiomicsBaseline("gldm", testCase);
      expect(Object.keys(features).sort()).toEqual([...baseline.keys()].sort());
      let worst = 0;
      const misses: string[] = [];
      for (const [name, expected] of baseline) {
        const error = relativeError(features[name]!, expected);
        worst = Math.max(worst, error);
        if (!(error <= 1e-6)) misses.push(`${name}: ${features[name]} vs ${expected}`);
      }
      console.log(
        `pyradiomics gldm ${testCase}: ${baseline.size - misses.length} of ${baseline.size} agree, max relative error ${worst.toExponential(2)}`,
      );
      expect(misses).toEqual([]);
    });
  }
  it("is fast on brain1", () => {
    const roi = pyradiomicsRoi("brain1");
    let start = performance.now();
    pyradiomicsGldmFeatures(roi);
    const cold = performance.now() - start;
    const warm: number[] = [];
    for (let n = 0; n < 5; n++) {
      start = performance.now();
      pyradiomicsGldmFeatures(roi);
      warm.push(performance.now() - start);
    }
    const median = warm.sort((a, b) => a - b)[2]!;
    console.log(`pyradiomics gldm brain1: ${cold.toFixed(1)} ms cold, ${median.toFixed(1)} ms warm (median of 5)`);
    expect(median).toBeLessThan(250);
  });
});

describe("pyradiomicsGldmFeatures failures", () => {
  it("rejects an empty ROI", () => {
    const roi = pyradiomicsRoi("breast1");
    const empty: DiscretisedRoi = { ...roi, levels: new Int32Array(roi.levels.length) };
    expect(() => pyradiomicsGldmFeatures(empty)).toThrowError(expect.objectContaining({ code: "empty-roi" }));
  });
});
